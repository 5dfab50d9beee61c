/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The runner's checks against the system and the device: exclusions read
 * afresh, the same medium as confirmed, and the other namespaces a
 * subsystem-wide sanitize or format reaches.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "wiper/content.h"
#include "wiper/dev.h"
#include "wiper/enum.h"
#include "wiper/exclude.h"
#include "wiper/identity.h"
#include "wiper/run-impl.h"

bool wiper_run_all_namespaces(const struct wiper_run *r)
{
	switch (r->tech) {
	case WIPER_TECH_NVME_SAN_CRYPTO:
	case WIPER_TECH_NVME_SAN_BLOCK:
	case WIPER_TECH_NVME_SAN_OVERWRITE:
		return true;
	case WIPER_TECH_NVME_FORMAT_CRYPTO:
	case WIPER_TECH_NVME_FORMAT_USER:
		return r->m.id.nvme.fna_format_all || r->m.id.nvme.fna_secure_all;
	default:
		return false;
	}
}

/* Check one sibling namespace @name of the controller; append it to r->also. */
static int sibling(struct wiper_run *r, const struct wiper_sysstate *st, const char *name,
		   char *err, size_t errlen)
{
	char node[300], why[256];
	struct wiper_devview v;
	struct wiper_disk sib;
	size_t len;
	int rc = 0;

	snprintf(node, sizeof(node), "/dev/%s", name);
	if (wiper_view_from_path(node, &v, why, sizeof(why)) < 0)
		return 0;
	if (wiper_disk_from_view(&v, true, &sib) == 0) {
		wiper_content_probe(node, sib.name, &sib.content);
		wiper_exclude_apply(st, &sib);
		if (sib.excl != WIPER_EXCL_NONE) {
			snprintf(err, errlen, "%s: refusing %s: it also erases namespace %s, which is %s",
				 r->m.disk.node, wiper_tech_str(r->tech), node, sib.excl_reason);
			rc = -EPERM;
		} else if (!strstr(r->also, node)) {
			len = strlen(r->also);
			snprintf(r->also + len, sizeof(r->also) - len, "%s%s", len ? ", " : "", node);
		}
		wiper_disk_done(&sib);
	}
	wiper_devview_done(&v);
	return rc;
}

int wiper_run_siblings(struct wiper_run *r, char *err, size_t errlen)
{
	struct wiper_sysstate st;
	char ctrl[512], *slash;
	struct dirent *de;
	DIR *dir;
	int rc = 0;

	if (!wiper_run_all_namespaces(r) || r->m.disk.syspath[0] == '\0')
		return 0;
	snprintf(ctrl, sizeof(ctrl), "%s", r->m.disk.syspath);
	slash = strrchr(ctrl, '/');
	if (slash == NULL)
		return 0;
	*slash = '\0';
	dir = opendir(ctrl);
	if (dir == NULL)
		return 0;
	if (wiper_sysstate_read(&st) < 0) {
		closedir(dir);
		snprintf(err, errlen, "%s: cannot read mount state to check the other namespaces",
			 r->m.disk.node);
		return -EIO;
	}
	while ((de = readdir(dir)) != NULL && rc == 0) {
		unsigned a, b;
		char tail;

		if (sscanf(de->d_name, "nvme%un%u%c", &a, &b, &tail) != 2 ||
		    strcmp(de->d_name, r->m.disk.name) == 0)
			continue;
		rc = sibling(r, &st, de->d_name, err, errlen);
	}
	closedir(dir);
	wiper_sysstate_done(&st);
	return rc;
}

int wiper_run_siblings_recheck(struct wiper_run *r, char *err, size_t errlen)
{
	/* A namespace mounted since the confirmation is found here, before anything is sent. */
	return wiper_run_siblings(r, err, errlen);
}

int wiper_run_check_node(struct wiper_run *r, char *err, size_t errlen)
{
	const struct wiper_disk *was = &r->m.disk;
	struct wiper_sysstate st;
	struct wiper_devview v;
	struct wiper_disk now;
	char why[256];
	int rc;

	if (wiper_view_from_path(was->node, &v, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "%s: vanished after confirmation: %s", was->node, why);
		return -ENODEV;
	}
	rc = wiper_disk_from_view(&v, true, &now);
	wiper_devview_done(&v);
	if (rc < 0) {
		snprintf(err, errlen, "%s: a different medium is there now (replugged?); nothing was "
			 "erased, confirm again", was->node);
		return -ESTALE;
	}
	if (now.devnum != was->devnum || (was->diskseq && now.diskseq != was->diskseq) ||
	    now.size_bytes != was->size_bytes) {
		snprintf(err, errlen, "%s: a different medium is there now (replugged?); nothing was "
			 "erased, confirm again", was->node);
		rc = -ESTALE;
		goto out;
	}
	rc = wiper_sysstate_read(&st);
	if (rc < 0) {
		snprintf(err, errlen, "%s: cannot read mount and swap state: %s", was->node,
			 strerror(-rc));
		goto out;
	}
	/* Partitions and holders as they are now: the list the person saw may be old. */
	wiper_exclude_apply(&st, &now);
	wiper_sysstate_done(&st);
	if (now.excl != WIPER_EXCL_NONE) {
		snprintf(err, errlen, "%s: refusing to erase: %s", was->node, now.excl_reason);
		rc = -EPERM;
	}
out:
	wiper_disk_done(&now);
	return rc;
}

int wiper_run_check_identity(struct wiper_run *r, char *err, size_t errlen)
{
	const struct wiper_disk *was = &r->m.disk;
	struct wiper_identity id;
	struct wiper_disk now;
	uint64_t size = wiper_dev_geom(r->dev)->size_bytes;
	char a[32], b[32];

	if (was->size_bytes && size != was->size_bytes) {
		snprintf(err, errlen, "%s: the medium is %s now, %s when confirmed (replugged?); "
			 "nothing was erased, confirm again", was->node,
			 wiper_size_str(size, a, sizeof(a)), wiper_size_str(was->size_bytes, b, sizeof(b)));
		return -ESTALE;
	}
	if (!was->serial[0] || !r->m.identified)
		return 0;
	memset(&now, 0, sizeof(now));
	now.transport = was->transport;
	snprintf(now.serial, sizeof(now.serial), "%s", was->serial);
	if (wiper_identify(r->dev, &now, &id) == 0 && now.serial[0] &&
	    strcmp(now.serial, was->serial) != 0) {
		snprintf(err, errlen, "%s: a different medium is there now (serial %s, confirmed %s); "
			 "nothing was erased, confirm again", was->node, now.serial, was->serial);
		return -ESTALE;
	}
	return 0;
}
