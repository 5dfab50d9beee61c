/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What every file-descriptor backend shares: geometry, full reads and writes, flush, capacity. */
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
