/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * One medium as every front end sees it: what udev and sysfs say (struct
 * wiper_disk), what the device itself answered (struct wiper_identity) and
 * what erase techniques that makes usable (struct wiper_caps). The wiper CLI
 * and the station both describe media with this struct; the runner
 * (wiper/run.h) takes one as the medium the person confirmed.
 */
#ifndef WIPER_MEDIUM_H
#define WIPER_MEDIUM_H

#include <stdbool.h>
#include <stddef.h>

#include "wiper/caps.h"
#include "wiper/disk.h"
#include "wiper/identity.h"

struct wiper_medium {
	struct wiper_disk disk;
	bool identified;		/* the device answered an identify */
	struct wiper_identity id;
	struct wiper_caps caps;
	char open_error[256];		/* why it could not be opened to identify, or "" */
};

/*
 * Identify @m->disk (opened read-only) and compute its capabilities. A
 * device that cannot be opened keeps the reason in m->open_error and the
 * capabilities that follow from sysfs alone.
 */
void wiper_medium_probe(struct wiper_medium *m);

/*
 * Fill @m for the device node or regular file at @path: sysfs and udev
 * view, contents (libblkid), the exclusions read from the system's state now,
 * then wiper_medium_probe(). Returns 0 (check m->disk.excl: an excluded
 * medium is described, not refused, here), -ENODEV when @path is not a medium
 * Tabula erases, or -errno; the reason in @err.
 */
int wiper_medium_from_path(const char *path, struct wiper_medium *m, char *err, size_t errlen);

/*
 * Copy @src into @dst without its partition and holder arrays (which stay
 * with @src): for a job that outlives the list the medium came from.
 */
void wiper_medium_copy_shallow(struct wiper_medium *dst, const struct wiper_medium *src);

/* Free what wiper_medium_from_path() allocated; NULL-safe. */
void wiper_medium_done(struct wiper_medium *m);

#endif
