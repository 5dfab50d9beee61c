/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The file backend: loop devices, virtio-blk, MMC and regular files. Only the
 * data path exists; it has no command interface, so the command entries are
 * NULL and the callers see -EOPNOTSUPP.
 */
#include "config.h"

#include "wiper/dev-impl.h"

static const struct wiper_dev_ops file_ops = {
	.name = "file",
	.pread = wiper_fdops_pread,
	.pwrite = wiper_fdops_pwrite,
	.flush = wiper_fdops_flush,
	.capacity = wiper_fdops_capacity,
	.close = wiper_fdops_close,
};

int wiper_dev_file_open(int fd, const char *path, struct wiper_dev **out, char *err,
			size_t errlen)
{
	return wiper_fd_dev_new(fd, path, &file_ops, out, err, errlen);
}
