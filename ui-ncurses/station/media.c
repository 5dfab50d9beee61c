/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The media list: scan, identify, keep selections across hotplug rescans. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui-ncurses/station/station.h"

bool ui_medium_erasable(const struct ui_medium *m)
{
	return m->med.disk.excl == WIPER_EXCL_NONE && !m->demo_blocked && !m->busy;
}

/* Find the medium called @name in the old list (same node and serial). */
static const struct ui_medium *find_old(const struct ui_medium *old, size_t n,
					const struct wiper_disk *d)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(old[i].med.disk.name, d->name) == 0 &&
		    strcmp(old[i].med.disk.serial, d->serial) == 0 &&
		    old[i].med.disk.size_bytes == d->size_bytes)
			return &old[i];
	return NULL;
}

size_t ui_media_follow(const struct ui_medium *old, size_t nold, size_t cursor,
		       const struct ui_medium *nm, size_t n)
{
	size_t i;

	if (cursor < nold)
		for (i = 0; i < n; i++)
			if (strcmp(nm[i].med.disk.name, old[cursor].med.disk.name) == 0 &&
			    nm[i].med.disk.size_bytes == old[cursor].med.disk.size_bytes)
				return i;
	/* The medium under the cursor is gone: stay on the row, within the list. */
	return cursor < n ? cursor : n ? n - 1 : 0;
}

/* Is a job running on @name? */
static bool is_busy(struct ui_app *app, const char *name)
{
	size_t i;
	bool busy = false;

	for (i = 0; i < app->njobs; i++) {
		struct ui_job *j = app->jobs[i];

		pthread_mutex_lock(&j->lock);
		if (!j->done && strcmp(j->m.med.disk.name, name) == 0)
			busy = true;
		pthread_mutex_unlock(&j->lock);
	}
	return busy;
}

/* Ask the device who it is (read-only) and what it can do. */
static void identify(struct ui_medium *m)
{
	struct wiper_dev *dev = NULL;
	char err[256];

	memset(&m->med.id, 0, sizeof(m->med.id));
	m->med.identified = false;
	if (m->med.disk.excl == WIPER_EXCL_NONE &&
	    wiper_dev_open(m->med.disk.node, WIPER_OPEN_READ, &dev, err, sizeof(err)) == 0) {
		if (wiper_identify(dev, &m->med.disk, &m->med.id) == 0)
			m->med.identified = true;
		wiper_dev_close(dev);
	}
	wiper_caps_compute(&m->med.disk, &m->med.id, &m->med.caps);
	wiper_caps_summary(&m->med.caps, &m->med.disk, m->summary, sizeof(m->summary));
}

/* Rescan; with @fresh every medium is identified again, not taken from the old list. */
static int rescan(struct ui_app *app, bool fresh)
{
	struct wiper_scan_opts so = { .include_loop = app->include_loop, .probe_content = true };
	struct ui_medium *old = app->media, *nm;
	size_t nold = app->nmedia, i, n = 0;
	struct wiper_disk *disks = NULL;
	int rc;

	rc = wiper_scan(&so, &disks);
	if (rc < 0)
		return rc;
	nm = calloc((size_t)rc + 1 + UI_SIM_MEDIA_MAX, sizeof(*nm));
	if (nm == NULL) {
		wiper_disks_free(disks, (size_t)rc);
		return -ENOMEM;
	}
	for (i = 0; i < (size_t)rc; i++) {
		struct wiper_disk *d = &disks[i];
		const struct ui_medium *o;
		struct ui_medium *m;

		/* Unattached loop devices are not media. */
		if (d->transport == WIPER_TRAN_LOOP && d->size_bytes == 0)
			continue;
		m = &nm[n++];
		m->med.disk = *d;
		/* The disk's arrays now belong to the new list. */
		memset(d, 0, sizeof(*d));
		m->busy = is_busy(app, m->med.disk.name);
		o = fresh ? NULL : find_old(old, nold, &m->med.disk);
		if (o && (m->busy || o->med.disk.excl == m->med.disk.excl)) {
			/* Known medium: keep what identify found, do not reopen it. */
			m->med.id = o->med.id;
			m->med.caps = o->med.caps;
			m->med.identified = o->med.identified;
			snprintf(m->summary, sizeof(m->summary), "%s", o->summary);
			if (o->med.identified) {
				snprintf(m->med.disk.model, sizeof(m->med.disk.model), "%s", o->med.disk.model);
				snprintf(m->med.disk.serial, sizeof(m->med.disk.serial), "%s", o->med.disk.serial);
			}
			m->selected = o->selected;
		} else if (!m->busy) {
			identify(m);
		}
		wiper_content_str(&m->med.disk.content, m->content, sizeof(m->content));
		/* In a demo only our own loop devices may be erased, never a bystander's. */
		m->demo_blocked = app->demo && (m->med.disk.transport != WIPER_TRAN_LOOP ||
						(app->demo_dir[0] &&
						 strncmp(m->med.disk.backing_file, app->demo_dir,
							 strlen(app->demo_dir)) != 0));
		if (!ui_medium_erasable(m))
			m->selected = false;
	}
	wiper_disks_free(disks, (size_t)rc);
	if (app->sim_media) {
		size_t k = n;

		n += app->sim_media(app, nm + n, UI_SIM_MEDIA_MAX);
		for (; k < n; k++) {
			const struct ui_medium *o = find_old(old, nold, &nm[k].med.disk);

			nm[k].busy = is_busy(app, nm[k].med.disk.name);
			nm[k].selected = o && o->selected && ui_medium_erasable(&nm[k]);
		}
	}
	/*
	 * The cursor stays on its medium, not on its row: a stick pulled or
	 * plugged above it must not slide another medium under the technician's
	 * next key.
	 */
	app->cursor = ui_media_follow(old, nold, app->cursor, nm, n);
	ui_media_free(app);
	app->media = nm;
	app->nmedia = n;
	return (int)n;
}

int ui_media_rescan(struct ui_app *app)
{
	return rescan(app, false);
}

int ui_media_reidentify(struct ui_app *app)
{
	return rescan(app, true);
}

void ui_media_free(struct ui_app *app)
{
	size_t i;

	for (i = 0; i < app->nmedia; i++)
		wiper_disk_done(&app->media[i].med.disk);
	free(app->media);
	app->media = NULL;
	app->nmedia = 0;
}

const char *ui_medium_model(const struct ui_medium *m, char *buf, size_t len)
{
	const char *slash = strrchr(m->med.disk.backing_file, '/');

	if (m->med.disk.model[0])
		return m->med.disk.model;
	if (m->med.disk.backing_file[0]) {
		int n = snprintf(buf, len, "file %s", slash ? slash + 1 : m->med.disk.backing_file);

		/* A long name is cut to the column anyway; keep what fits. */
		return n < 0 ? "-" : buf;
	}
	return "-";
}
