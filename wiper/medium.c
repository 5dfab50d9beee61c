/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One medium: sysfs view, identity and capabilities, for every front end. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "wiper/content.h"
#include "wiper/dev.h"
#include "wiper/enum.h"
#include "wiper/exclude.h"
#include "wiper/medium.h"

void wiper_medium_probe(struct wiper_medium *m)
{
	struct wiper_dev *dev = NULL;
	char err[256];

	m->identified = false;
	m->open_error[0] = '\0';
	memset(&m->id, 0, sizeof(m->id));
	if (wiper_dev_open(m->disk.node, WIPER_OPEN_READ, &dev, err, sizeof(err)) < 0) {
		snprintf(m->open_error, sizeof(m->open_error), "%s", err);
	} else {
		if (wiper_identify(dev, &m->disk, &m->id) == 0)
			m->identified = true;
		wiper_dev_close(dev);
	}
	wiper_caps_compute(&m->disk, &m->id, &m->caps);
}

int wiper_medium_from_path(const char *path, struct wiper_medium *m, char *err, size_t errlen)
{
	struct wiper_sysstate st;
	struct wiper_devview v;
	int rc;

	memset(m, 0, sizeof(*m));
	rc = wiper_view_from_path(path, &v, err, errlen);
	if (rc < 0)
		return rc;
	rc = wiper_disk_from_view(&v, true, &m->disk);
	wiper_devview_done(&v);
	if (rc < 0) {
		snprintf(err, errlen, "%s: not a medium Tabula erases", path);
		return -ENODEV;
	}
	snprintf(m->disk.node, sizeof(m->disk.node), "%s", path);
	wiper_content_probe(m->disk.node, m->disk.name, &m->disk.content);
	rc = wiper_sysstate_read(&st);
	if (rc < 0) {
		snprintf(err, errlen, "cannot read mount and swap state: %s", strerror(-rc));
		wiper_disk_done(&m->disk);
		return rc;
	}
	wiper_exclude_apply(&st, &m->disk);
	wiper_sysstate_done(&st);
	wiper_medium_probe(m);
	return 0;
}

void wiper_medium_copy_shallow(struct wiper_medium *dst, const struct wiper_medium *src)
{
	*dst = *src;
	dst->disk.part_names = NULL;
	dst->disk.part_devnums = NULL;
	dst->disk.holders = NULL;
	dst->disk.nparts = dst->disk.nholders = 0;
}

void wiper_medium_done(struct wiper_medium *m)
{
	if (m)
		wiper_disk_done(&m->disk);
}
