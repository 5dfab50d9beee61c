/* SPDX-License-Identifier: GPL-3.0-or-later */
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

int wiper_geom_from_fd(int fd, struct wiper_geom *g)
{
	struct stat st;

	memset(g, 0, sizeof(*g));
	if (fstat(fd, &st) < 0)
		return -errno;
	if (S_ISREG(st.st_mode)) {
		g->size_bytes = (uint64_t)st.st_size;
		g->logical_block = 512;
		g->physical_block = 4096;
		return 0;
	}
	if (!S_ISBLK(st.st_mode))
		return -ENOTBLK;
	{
		uint64_t size = 0;
		int lbs = 0;
		unsigned int pbs = 0;

		if (ioctl(fd, BLKGETSIZE64, &size) < 0 || ioctl(fd, BLKSSZGET, &lbs) < 0 ||
		    ioctl(fd, BLKPBSZGET, &pbs) < 0)
			return -errno;
		/* Every size and offset is divided by it: a zero (or negative) answer is unusable. */
		if (lbs <= 0)
			return -EIO;
		g->size_bytes = size;
		g->logical_block = (uint32_t)lbs;
		g->physical_block = pbs ? pbs : (uint32_t)lbs;
	}
	return 0;
}

ssize_t wiper_fd_pread(int fd, void *buf, size_t len, uint64_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pread(fd, (char *)buf + done, len - done, (off_t)(off + done));

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return done ? (ssize_t)done : -errno;
		}
		if (n == 0)
			break;
		done += (size_t)n;
	}
	return (ssize_t)done;
}

ssize_t wiper_fd_pwrite(int fd, const void *buf, size_t len, uint64_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pwrite(fd, (const char *)buf + done, len - done, (off_t)(off + done));

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return done ? (ssize_t)done : -errno;
		}
		if (n == 0)
			return done ? (ssize_t)done : -ENOSPC;
		done += (size_t)n;
	}
	return (ssize_t)done;
}

int wiper_fd_flush(int fd)
{
	if (fsync(fd) < 0)
		return -errno;
	return 0;
}

int wiper_fd_of(struct wiper_dev *dev)
{
	struct wiper_fd_priv *p = wiper_dev_priv(dev);

	return p->fd;
}

ssize_t wiper_fdops_pread(struct wiper_dev *dev, void *buf, size_t len, uint64_t off)
{
	return wiper_fd_pread(wiper_fd_of(dev), buf, len, off);
}

ssize_t wiper_fdops_pwrite(struct wiper_dev *dev, const void *buf, size_t len, uint64_t off)
{
	return wiper_fd_pwrite(wiper_fd_of(dev), buf, len, off);
}

int wiper_fdops_flush(struct wiper_dev *dev)
{
	/* fsync: the kernel turns it into the device's cache flush command. */
	return wiper_fd_flush(wiper_fd_of(dev));
}

int wiper_fdops_capacity(struct wiper_dev *dev, uint64_t *bytes)
{
	struct wiper_geom g;
	int rc = wiper_geom_from_fd(wiper_fd_of(dev), &g);

	if (rc == 0)
		*bytes = g.size_bytes;
	return rc;
}

void wiper_fdops_close(struct wiper_dev *dev)
{
	struct wiper_fd_priv *p = wiper_dev_priv(dev);

	if (p) {
		close(p->fd);
		free(p);
	}
}

int wiper_fd_dev_new(int fd, const char *path, const struct wiper_dev_ops *ops,
		     struct wiper_dev **out, char *err, size_t errlen)
{
	struct wiper_fd_priv *p;
	struct wiper_geom g;
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
	*out = wiper_dev_new(ops, p, path, &g);
	if (*out == NULL) {
		close(fd);
		free(p);
		return -ENOMEM;
	}
	return 0;
}

/* Read the whole-disk name under /sys/dev/block/M:m, and whether it is a partition. */
static int sysfs_block_name(dev_t rdev, char *name, size_t len, bool *is_part)
{
	char link[PATH_MAX], real[PATH_MAX], attr[PATH_MAX + 16];
	const char *base;

	snprintf(link, sizeof(link), "/sys/dev/block/%u:%u", major(rdev), minor(rdev));
	if (realpath(link, real) == NULL)
		return -errno;
	base = strrchr(real, '/');
	base = base ? base + 1 : real;
	if ((size_t)snprintf(name, len, "%s", base) >= len)
		return -ENAMETOOLONG;
	snprintf(attr, sizeof(attr), "%s/partition", real);
	*is_part = access(attr, F_OK) == 0;
	return 0;
}

int wiper_dev_open(const char *path, unsigned flags, struct wiper_dev **out, char *err,
		   size_t errlen)
{
	char scratch[8], name[256];
	struct stat st;
	bool is_part = false;
	int oflags, fd, rc;

	if (err == NULL) {
		err = scratch;
		errlen = sizeof(scratch);
	}
	*out = NULL;
	if (stat(path, &st) < 0) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(-rc));
		return rc;
	}
	if (!S_ISBLK(st.st_mode) && !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a block device", path);
		return -ENOTBLK;
	}
	if (S_ISBLK(st.st_mode)) {
		rc = sysfs_block_name(st.st_rdev, name, sizeof(name), &is_part);
		if (rc < 0) {
			snprintf(err, errlen, "%s: not known to sysfs: %s", path, strerror(-rc));
			return rc;
		}
		if (is_part) {
			snprintf(err, errlen, "%s: is a partition; name the whole disk", path);
			return -EINVAL;
		}
	}

	if (flags & WIPER_OPEN_WRITE) {
		/* O_EXCL on a block device fails with EBUSY while it is mounted or held. */
		oflags = O_RDWR | O_CLOEXEC | (S_ISBLK(st.st_mode) ? O_EXCL : 0);
		if (flags & WIPER_OPEN_DIRECT)
			oflags |= O_DIRECT;
	} else {
		oflags = O_RDONLY | O_NONBLOCK | O_CLOEXEC;
		if (flags & WIPER_OPEN_DIRECT)
			oflags |= O_DIRECT;
	}
	fd = open(path, oflags);
	if (fd < 0) {
		rc = -errno;
		if (rc == -EBUSY)
			snprintf(err, errlen, "%s: busy (mounted, or held by another device or program)",
				 path);
		else
			snprintf(err, errlen, "%s: %s", path, strerror(-rc));
		return rc;
	}
	if (flags & WIPER_OPEN_WRITE) {
		/*
		 * flock keeps udev from probing the disk while we write it. udev
		 * itself holds a shared lock for a moment while it probes a device
		 * that just appeared (a stick plugged in, a loop device attached):
		 * wait up to 3 s for that before calling the device taken.
		 */
		rc = 0;
		for (int tries = 0; flock(fd, LOCK_EX | LOCK_NB) < 0; tries++) {
			struct timespec ts = { 0, 100 * 1000 * 1000 };

			rc = -errno;
			if (rc != -EWOULDBLOCK || tries >= 30)
				break;
			nanosleep(&ts, NULL);
			rc = 0;
		}
		if (rc < 0) {
			snprintf(err, errlen, "%s: locked by another program (%s)", path,
				 strerror(-rc));
			close(fd);
			return rc == -EWOULDBLOCK ? -EBUSY : rc;
		}
	}

	if (S_ISREG(st.st_mode) || strncmp(name, "loop", 4) == 0 || strncmp(name, "vd", 2) == 0 ||
	    strncmp(name, "mmcblk", 6) == 0 || strncmp(name, "xvd", 3) == 0)
		rc = wiper_dev_file_open(fd, path, out, err, errlen);
	else if (strncmp(name, "nvme", 4) == 0)
		rc = wiper_dev_nvme_open(fd, path, out, err, errlen);
	else if (strncmp(name, "sd", 2) == 0)
		rc = wiper_dev_sgio_open(fd, path, out, err, errlen);
	else	/* anything else gets the plain data path: overwrite works everywhere */
		rc = wiper_dev_file_open(fd, path, out, err, errlen);
	if (rc == 0 && S_ISBLK(st.st_mode))
		(*out)->rdev = st.st_rdev;
	return rc;
}

bool wiper_dev_gone(const struct wiper_dev *dev)
{
	char p[96], buf[32] = "";
	FILE *f;

	if (!dev->rdev)
		return false;
	/* The kernel removes the disk from sysfs when it is unplugged or dies. */
	snprintf(p, sizeof(p), "/sys/dev/block/%u:%u/size", major(dev->rdev), minor(dev->rdev));
	f = fopen(p, "re");
	if (!f)
		return errno == ENOENT;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	return strtoull(buf, NULL, 10) == 0;	/* a medium ejected from its reader */
}
