/* SPDX-License-Identifier: GPL-3.0-or-later */
/* struct wiper_dev: the object and the dispatch of each call to its backend's table. */
#include "config.h"

#include "wiper/dev.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/fs.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "wiper/dev-impl.h"

struct wiper_dev {
	const struct wiper_dev_ops *ops;
	void *priv;
	char *path;
	dev_t rdev;			/* a block device's number, else 0 */
	struct wiper_geom geom;
	char err[256];
};

struct wiper_dev *wiper_dev_new(const struct wiper_dev_ops *ops, void *priv, const char *path,
				const struct wiper_geom *geom)
{
	struct wiper_dev *dev = calloc(1, sizeof(*dev));

	if (dev == NULL)
		return NULL;
	dev->path = strdup(path ? path : "");
	if (dev->path == NULL) {
		free(dev);
		return NULL;
	}
	dev->ops = ops;
	dev->priv = priv;
	if (geom)
		dev->geom = *geom;
	return dev;
}

void wiper_dev_close(struct wiper_dev *dev)
{
	if (dev == NULL)
		return;
	if (dev->ops && dev->ops->close)
		dev->ops->close(dev);
	free(dev->path);
	free(dev);
}

void *wiper_dev_priv(const struct wiper_dev *dev)
{
	return dev->priv;
}

const char *wiper_dev_path(const struct wiper_dev *dev)
{
	return dev->path;
}

const char *wiper_dev_backend(const struct wiper_dev *dev)
{
	return dev->ops->name;
}

const struct wiper_geom *wiper_dev_geom(const struct wiper_dev *dev)
{
	return &dev->geom;
}

void wiper_dev_set_geom(struct wiper_dev *dev, const struct wiper_geom *geom)
{
	dev->geom = *geom;
}

const char *wiper_dev_error(const struct wiper_dev *dev)
{
	return dev->err;
}

void wiper_dev_set_error(struct wiper_dev *dev, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(dev->err, sizeof(dev->err), fmt, ap);
	va_end(ap);
}

int wiper_dev_ata(struct wiper_dev *dev, const struct ata_cmd *cmd, void *buf,
		  struct wiper_ata_result *res)
{
	struct wiper_ata_result scratch;

	if (res == NULL)
		res = &scratch;
	memset(res, 0, sizeof(*res));
	if (dev->ops->ata == NULL)
		return -EOPNOTSUPP;
	return dev->ops->ata(dev, cmd, buf, res);
}

int wiper_dev_nvme_admin(struct wiper_dev *dev, struct wiper_nvme_cmd *cmd)
{
	if (dev->ops->nvme_admin == NULL)
		return -EOPNOTSUPP;
	return dev->ops->nvme_admin(dev, cmd);
}

int wiper_dev_scsi(struct wiper_dev *dev, struct wiper_scsi_cmd *cmd)
{
	if (dev->ops->scsi == NULL)
		return -EOPNOTSUPP;
	return dev->ops->scsi(dev, cmd);
}

ssize_t wiper_dev_pread(struct wiper_dev *dev, void *buf, size_t len, uint64_t off)
{
	if (dev->ops->pread == NULL)
		return -EOPNOTSUPP;
	return dev->ops->pread(dev, buf, len, off);
}

ssize_t wiper_dev_pwrite(struct wiper_dev *dev, const void *buf, size_t len, uint64_t off)
{
	if (dev->ops->pwrite == NULL)
		return -EOPNOTSUPP;
	return dev->ops->pwrite(dev, buf, len, off);
}

int wiper_dev_flush(struct wiper_dev *dev)
{
	if (dev->ops->flush == NULL)
		return -EOPNOTSUPP;
	return dev->ops->flush(dev);
}

int wiper_dev_capacity(struct wiper_dev *dev, uint64_t *bytes)
{
	if (dev->ops->capacity == NULL)
		return -EOPNOTSUPP;
	return dev->ops->capacity(dev, bytes);
}

bool wiper_dev_has_ata(const struct wiper_dev *dev)
{
	return dev->ops->ata != NULL;
}

bool wiper_dev_has_nvme(const struct wiper_dev *dev)
{
	return dev->ops->nvme_admin != NULL;
}

bool wiper_dev_has_scsi(const struct wiper_dev *dev)
{
	return dev->ops->scsi != NULL;
}

void wiper_dev_set_rdev(struct wiper_dev *dev, dev_t rdev)
{
	dev->rdev = rdev;
}

dev_t wiper_dev_rdev(const struct wiper_dev *dev)
{
	return dev->rdev;
}
