/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The device factory: open a node with the backend that fits it; notice when it is gone. */
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
		wiper_dev_set_rdev(*out, st.st_rdev);
	return rc;
}

bool wiper_dev_gone(const struct wiper_dev *dev)
{
	char p[96], buf[32] = "";
	FILE *f;

	if (!wiper_dev_rdev(dev))
		return false;
	/* The kernel removes the disk from sysfs when it is unplugged or dies. */
	snprintf(p, sizeof(p), "/sys/dev/block/%u:%u/size", major(wiper_dev_rdev(dev)), minor(wiper_dev_rdev(dev)));
	f = fopen(p, "re");
	if (!f)
		return errno == ENOENT;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	return strtoull(buf, NULL, 10) == 0;	/* a medium ejected from its reader */
}

bool wiper_dev_leaving(const struct wiper_dev *dev, unsigned ms)
{
	const struct timespec tick = { 0, 100 * 1000 * 1000 };

	if (!wiper_dev_rdev(dev))	/* a file: nothing to leave */
		return false;
	for (unsigned t = 0; t < ms; t += 100) {
		if (wiper_dev_gone(dev))
			return true;
		nanosleep(&tick, NULL);
	}
	return wiper_dev_gone(dev);
}
