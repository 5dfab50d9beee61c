/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A device as udev and sysfs describe it: its name, node, sysfs path, udev
 * properties, selected sysfs attributes and holders. Enumeration fills these
 * from libudev (enum.c) or from a captured text view (devview.c), so that the
 * classification in disk.c runs the same on a live system and in tests.
 *
 * Captured view format, one device per section:
 *   [sdb]
 *   node /dev/sdb
 *   syspath /sys/devices/.../block/sdb
 *   devnum 8:16
 *   P ID_BUS=ata                  udev property
 *   A queue/logical_block_size=512 sysfs attribute relative to syspath
 *   H dm-0                        holder
 *   S sdb1 8:17                   partition (child) name and devnum
 */
#ifndef WIPER_DEVVIEW_H
#define WIPER_DEVVIEW_H

#include <stddef.h>
#include <sys/types.h>

struct wiper_kv {
	char *key;
	char *val;
};

struct wiper_part_view {
	char name[64];
	dev_t devnum;
	struct wiper_kv *attrs;		/* "size", "start", "partition" */
	size_t nattrs;
	char **holders;
	size_t nholders;
};

struct wiper_devview {
	char name[64];
	char node[128];
	char syspath[512];
	dev_t devnum;
	struct wiper_kv *props;
	size_t nprops;
	struct wiper_kv *attrs;
	size_t nattrs;
	char **holders;
	size_t nholders;
	struct wiper_part_view *parts;
	size_t nparts;
};

void wiper_devview_init(struct wiper_devview *v);
void wiper_devview_done(struct wiper_devview *v);

/* Look up a property or attribute; NULL when absent. */
const char *wiper_devview_prop(const struct wiper_devview *v, const char *key);
const char *wiper_devview_attr(const struct wiper_devview *v, const char *key);

/* Add entries (copies the strings). Return 0 or -ENOMEM. */
int wiper_devview_add_prop(struct wiper_devview *v, const char *key, const char *val);
int wiper_devview_add_attr(struct wiper_devview *v, const char *key, const char *val);
int wiper_devview_add_holder(struct wiper_devview *v, const char *name);
struct wiper_part_view *wiper_devview_add_part(struct wiper_devview *v, const char *name,
					       dev_t devnum);
int wiper_part_view_add_holder(struct wiper_part_view *p, const char *name);

/*
 * Parse a captured view (format above). Returns the number of devices stored
 * in *@out (an array the caller frees with wiper_devviews_free), or -EINVAL
 * with the line number in @err.
 */
int wiper_devviews_parse(const char *text, struct wiper_devview **out, char *err, size_t errlen);
void wiper_devviews_free(struct wiper_devview *v, size_t n);

#endif
