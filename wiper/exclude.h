/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Which media must never be erased, and why: the boot medium, the records
 * medium, anything mounted or used as swap, anything with holders (dm, md,
 * loop). The system's state is read into struct wiper_sysstate once (or built
 * by a test) and applied to each disk by a pure function.
 */
#ifndef WIPER_EXCLUDE_H
#define WIPER_EXCLUDE_H

#include <stddef.h>
#include <sys/types.h>

#include "wiper/disk.h"

struct wiper_mount {
	dev_t devnum;
	char target[256];
	char source[256];
};

struct wiper_sysstate {
	struct wiper_mount *mounts;
	size_t nmounts;
	char **swaps;		/* device paths from /proc/swaps */
	dev_t *swap_devnums;
	size_t nswaps;
	dev_t *boot_devnums;	/* devices that hold the boot medium */
	size_t nboot;
	struct wiper_loop_backing {
		dev_t devnum;	/* a block device used as a loop device's backing */
		char loop[32];
	} *backing;
	size_t nbacking;
};

/* Filesystem labels of Tabula's own boot image start with this (not the records label). */
#define WIPER_BOOT_LABEL_PREFIX "TABULA"

/* Parse /proc/self/mountinfo text. Returns 0 or -ENOMEM / -EINVAL. */
int wiper_mountinfo_parse(const char *text, struct wiper_sysstate *st);
/* Parse /proc/swaps text (paths only; devnums resolved by the caller). */
int wiper_swaps_parse(const char *text, struct wiper_sysstate *st);

/*
 * Read the live state: /proc/self/mountinfo, /proc/swaps (stat'ed to devnums),
 * and the boot medium (/run/live/medium, /lib/live/mount/medium). Returns 0 or
 * -errno.
 */
int wiper_sysstate_read(struct wiper_sysstate *st);
void wiper_sysstate_done(struct wiper_sysstate *st);

/*
 * Decide whether @d is excluded and set d->excl and d->excl_reason. Looks at
 * the disk and every partition. Content (for the records label) should be
 * probed first.
 */
void wiper_exclude_apply(const struct wiper_sysstate *st, struct wiper_disk *d);

const char *wiper_excl_str(enum wiper_excl e);

#endif
