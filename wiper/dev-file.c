/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The file backend: loop devices, virtio-blk, MMC and regular files. Only the
 * data path exists; it has no command interface, so the command entries are
 * NULL and the callers see -EOPNOTSUPP.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wiper/dev-impl.h"

struct file_priv {
	int fd;
};

/* Read through the fd. */
static ssize_t file_pread(struct wiper_dev *dev, void *buf, size_t len, uint64_t off)
{
	struct file_priv *p = wiper_dev_priv(dev);

	return wiper_fd_pread(p->fd, buf, len, off);
}

/* Write through the fd. */
static ssize_t file_pwrite(struct wiper_dev *dev, const void *buf, size_t len, uint64_t off)
{
	struct file_priv *p = wiper_dev_priv(dev);

	return wiper_fd_pwrite(p->fd, buf, len, off);
}

/* fsync: the kernel turns it into a cache flush for the device. */
static int file_flush(struct wiper_dev *dev)
{
	struct file_priv *p = wiper_dev_priv(dev);

	return wiper_fd_flush(p->fd);
}

/* Release the fd and its flock. */
static void file_close(struct wiper_dev *dev)
{
	struct file_priv *p = wiper_dev_priv(dev);

	if (p) {
		close(p->fd);
		free(p);
	}
}

static const struct wiper_dev_ops file_ops = {
	.name = "file",
	.pread = file_pread,
	.pwrite = file_pwrite,
	.flush = file_flush,
	.close = file_close,
};

int wiper_dev_file_open(int fd, const char *path, struct wiper_dev **out, char *err,
			size_t errlen)
{
	struct wiper_geom g;
	struct file_priv *p;
	int rc;

	rc = wiper_geom_from_fd(fd, &g);
	if (rc < 0) {
		snprintf(err, errlen, "%s: cannot read size: %s", path, strerror(-rc));
		close(fd);
		return rc;
	}
	p = calloc(1, sizeof(*p));
	if (p == NULL) {
		close(fd);
		return -ENOMEM;
	}
	p->fd = fd;
	*out = wiper_dev_new(&file_ops, p, path, &g);
	if (*out == NULL) {
		close(fd);
		free(p);
		return -ENOMEM;
	}
	return 0;
}
