/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The NVMe backend: admin commands through libnvme's passthrough on the
 * namespace's block device (the kernel routes them to the controller's admin
 * queue), data through the block fd.
 */
#include "config.h"

#include <errno.h>
#include <libnvme.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wiper/dev-impl.h"
#include "wiper/status.h"

/* Send one admin command; positive libnvme returns are NVMe status fields. */
static int nvmedev_admin(struct wiper_dev *dev, struct wiper_nvme_cmd *cmd)
{
	struct nvme_passthru_cmd pt;
	__u32 result = 0;
	int rc;

	memset(&pt, 0, sizeof(pt));
	pt.opcode = cmd->opcode;
	pt.nsid = cmd->nsid;
	pt.cdw10 = cmd->cdw10;
	pt.cdw11 = cmd->cdw11;
	pt.cdw12 = cmd->cdw12;
	pt.cdw13 = cmd->cdw13;
	pt.cdw14 = cmd->cdw14;
	pt.cdw15 = cmd->cdw15;
	pt.addr = (__u64)(uintptr_t)cmd->buf;
	pt.data_len = cmd->len;
	pt.timeout_ms = cmd->timeout_ms;
	rc = nvme_submit_admin_passthru(wiper_fd_of(dev), &pt, &result);
	cmd->result = result;
	if (rc < 0) {
		int e = errno ? errno : EIO;

		wiper_dev_set_error(dev, "NVMe admin %02Xh: %s", cmd->opcode, strerror(e));
		return -e;
	}
	if (rc > 0)
		return WIPER_ST_NVME(rc);
	return 0;
}

static const struct wiper_dev_ops nvme_ops = {
	.name = "nvme",
	.nvme_admin = nvmedev_admin,
	.pread = wiper_fdops_pread,
	.pwrite = wiper_fdops_pwrite,
	.flush = wiper_fdops_flush,
	.capacity = wiper_fdops_capacity,
	.close = wiper_fdops_close,
};

int wiper_dev_nvme_open(int fd, const char *path, struct wiper_dev **out, char *err,
			size_t errlen)
{
	return wiper_fd_dev_new(fd, path, &nvme_ops, out, err, errlen);
}
