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

struct nvme_priv {
	int fd;
};

/* Send one admin command; positive libnvme returns are NVMe status fields. */
static int nvmedev_admin(struct wiper_dev *dev, struct wiper_nvme_cmd *cmd)
{
	struct nvme_priv *p = wiper_dev_priv(dev);
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
	rc = nvme_submit_admin_passthru(p->fd, &pt, &result);
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

/* Read through the block fd. */
static ssize_t nvmedev_pread(struct wiper_dev *dev, void *buf, size_t len, uint64_t off)
{
	struct nvme_priv *p = wiper_dev_priv(dev);

	return wiper_fd_pread(p->fd, buf, len, off);
}

/* Write through the block fd. */
static ssize_t nvmedev_pwrite(struct wiper_dev *dev, const void *buf, size_t len, uint64_t off)
{
	struct nvme_priv *p = wiper_dev_priv(dev);

	return wiper_fd_pwrite(p->fd, buf, len, off);
}

/* fsync becomes an NVMe Flush when the controller has a volatile cache. */
static int nvmedev_flush(struct wiper_dev *dev)
{
	struct nvme_priv *p = wiper_dev_priv(dev);

	return wiper_fd_flush(p->fd);
}

/* Release the fd. */
static void nvmedev_close(struct wiper_dev *dev)
{
	struct nvme_priv *p = wiper_dev_priv(dev);

	if (p) {
		close(p->fd);
		free(p);
	}
}

static const struct wiper_dev_ops nvme_ops = {
	.name = "nvme",
	.nvme_admin = nvmedev_admin,
	.pread = nvmedev_pread,
	.pwrite = nvmedev_pwrite,
	.flush = nvmedev_flush,
	.close = nvmedev_close,
};

int wiper_dev_nvme_open(int fd, const char *path, struct wiper_dev **out, char *err,
			size_t errlen)
{
	struct wiper_geom g;
	struct nvme_priv *p;
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
	*out = wiper_dev_new(&nvme_ops, p, path, &g);
	if (*out == NULL) {
		close(fd);
		free(p);
		return -ENOMEM;
	}
	return 0;
}
