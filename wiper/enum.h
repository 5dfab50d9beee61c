/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Enumeration: the live system's block devices as views (libudev + sysfs),
 * and the scan that turns views into classified, probed, checked disks.
 */
#ifndef WIPER_ENUM_H
#define WIPER_ENUM_H

#include <stdbool.h>
#include <stddef.h>

#include "wiper/devview.h"
#include "wiper/disk.h"
#include "wiper/exclude.h"

struct udev_device;

/* Capture the view of one udev block device. Returns 0 or -errno. */
int wiper_view_from_udev(struct udev_device *ud, struct wiper_devview *v);

/* Capture the view of the whole-disk block device at @path. -ENOTBLK, -ENOENT ... */
int wiper_view_from_path(const char *path, struct wiper_devview *v, char *err, size_t errlen);

/* Every whole-disk block device of the live system. Returns the count or -errno. */
int wiper_enum_views(struct wiper_devview **out);

struct wiper_scan_opts {
	bool include_loop;
	bool probe_content;	/* libblkid on each medium */
};

/*
 * Classify @views, probe their content, and apply the exclusions of @st.
 * Returns the number of disks in *@out (free with wiper_disks_free), or -errno.
 */
int wiper_scan_views(const struct wiper_devview *views, size_t nviews,
		     const struct wiper_scan_opts *opts, const struct wiper_sysstate *st,
		     struct wiper_disk **out);

/* The whole live scan: enumerate, read system state, classify, probe, exclude. */
int wiper_scan(const struct wiper_scan_opts *opts, struct wiper_disk **out);

void wiper_disks_free(struct wiper_disk *d, size_t n);

#endif
