/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Backend constructors; only dev.c and the tests' simulator use these. */
#ifndef WIPER_DEV_IMPL_H
#define WIPER_DEV_IMPL_H

#include "wiper/dev.h"

/* Each returns 0 and sets *out, or -errno with a reason in @err. @fd is taken. */
int wiper_dev_file_open(int fd, const char *path, struct wiper_dev **out, char *err,
			size_t errlen);
int wiper_dev_sgio_open(int fd, const char *path, struct wiper_dev **out, char *err,
			size_t errlen);
int wiper_dev_nvme_open(int fd, const char *path, struct wiper_dev **out, char *err,
			size_t errlen);

/* Fill @g from an open block device or regular file. */
int wiper_geom_from_fd(int fd, struct wiper_geom *g);

/* Data path shared by the three real backends: pread/pwrite/fsync on an fd. */
ssize_t wiper_fd_pread(int fd, void *buf, size_t len, uint64_t off);
ssize_t wiper_fd_pwrite(int fd, const void *buf, size_t len, uint64_t off);
int wiper_fd_flush(int fd);

/*
 * The real backends keep one open fd as their private data; these are their
 * pread/pwrite/flush/close entries, shared so that each backend only adds
 * its command interface.
 */
struct wiper_fd_priv {
	int fd;
};
int wiper_fd_of(struct wiper_dev *dev);
ssize_t wiper_fdops_pread(struct wiper_dev *dev, void *buf, size_t len, uint64_t off);
ssize_t wiper_fdops_pwrite(struct wiper_dev *dev, const void *buf, size_t len, uint64_t off);
int wiper_fdops_flush(struct wiper_dev *dev);
int wiper_fdops_capacity(struct wiper_dev *dev, uint64_t *bytes);
void wiper_fdops_close(struct wiper_dev *dev);

/*
 * Make a device over @fd (taken, closed on failure) with @ops, reading its
 * geometry. Returns 0 or -errno with a reason in @err.
 */
int wiper_fd_dev_new(int fd, const char *path, const struct wiper_dev_ops *ops,
		     struct wiper_dev **out, char *err, size_t errlen);

/* The block device number a node was opened through (0: none), for wiper_dev_gone(). */
void wiper_dev_set_rdev(struct wiper_dev *dev, dev_t rdev);
dev_t wiper_dev_rdev(const struct wiper_dev *dev);

#endif
