/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The media list: scan, identify, keep selections across hotplug rescans. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui-ncurses/ui.h"

bool ui_medium_erasable(const struct ui_medium *m)
{
	return m->disk.excl == WIPER_EXCL_NONE && !m->demo_blocked && !m->busy;
}

/* Find the medium called @name in the old list (same node and serial). */
static const struct ui_medium *find_old(const struct ui_medium *old, size_t n,
					const struct wiper_disk *d)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(old[i].disk.name, d->name) == 0 &&
		    strcmp(old[i].disk.serial, d->serial) == 0 &&
		    old[i].disk.size_bytes == d->size_bytes)
			return &old[i];
	return NULL;
}

/* Is a job running on @name? */
static bool is_busy(struct ui_app *app, const char *name)
{
	size_t i;
	bool busy = false;

	for (i = 0; i < app->njobs; i++) {
		struct ui_job *j = app->jobs[i];

		pthread_mutex_lock(&j->lock);
		if (!j->done && strcmp(j->m.disk.name, name) == 0)
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

	memset(&m->id, 0, sizeof(m->id));
	m->identified = false;
	if (m->disk.excl == WIPER_EXCL_NONE &&
	    wiper_dev_open(m->disk.node, WIPER_OPEN_READ, &dev, err, sizeof(err)) == 0) {
		if (wiper_identify(dev, &m->disk, &m->id) == 0)
			m->identified = true;
		wiper_dev_close(dev);
	}
	wiper_caps_compute(&m->disk, &m->id, &m->caps);
	wiper_caps_summary(&m->caps, &m->disk, m->summary, sizeof(m->summary));
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
	nm = calloc((size_t)rc + 1, sizeof(*nm));
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
		m->disk = *d;
		/* The disk's arrays now belong to the new list. */
		memset(d, 0, sizeof(*d));
		m->busy = is_busy(app, m->disk.name);
		o = fresh ? NULL : find_old(old, nold, &m->disk);
		if (o && (m->busy || o->disk.excl == m->disk.excl)) {
			/* Known medium: keep what identify found, do not reopen it. */
			m->id = o->id;
			m->caps = o->caps;
			m->identified = o->identified;
			snprintf(m->summary, sizeof(m->summary), "%s", o->summary);
			if (o->identified) {
				snprintf(m->disk.model, sizeof(m->disk.model), "%s", o->disk.model);
				snprintf(m->disk.serial, sizeof(m->disk.serial), "%s", o->disk.serial);
			}
			m->selected = o->selected;
		} else if (!m->busy) {
			identify(m);
		}
		wiper_content_str(&m->disk.content, m->content, sizeof(m->content));
		/* In a demo only our own loop devices may be erased, never a bystander's. */
		m->demo_blocked = app->demo && (m->disk.transport != WIPER_TRAN_LOOP ||
						(app->demo_dir[0] &&
						 strncmp(m->disk.backing_file, app->demo_dir,
							 strlen(app->demo_dir)) != 0));
		if (!ui_medium_erasable(m))
			m->selected = false;
	}
	wiper_disks_free(disks, (size_t)rc);
	ui_media_free(app);
	app->media = nm;
	app->nmedia = n;
	if (app->cursor >= n)
		app->cursor = n ? n - 1 : 0;
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
		wiper_disk_done(&app->media[i].disk);
	free(app->media);
	app->media = NULL;
	app->nmedia = 0;
}

const char *ui_medium_model(const struct ui_medium *m, char *buf, size_t len)
{
	const char *slash = strrchr(m->disk.backing_file, '/');

	if (m->disk.model[0])
		return m->disk.model;
	if (m->disk.backing_file[0]) {
		int n = snprintf(buf, len, "file %s", slash ? slash + 1 : m->disk.backing_file);

		/* A long name is cut to the column anyway; keep what fits. */
		return n < 0 ? "-" : buf;
	}
	return "-";
}
