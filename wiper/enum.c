/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "wiper/enum.h"

#include <dirent.h>
#include <errno.h>
#include <libudev.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "wiper/base/base.h"
#include "wiper/content.h"

/* The sysfs attributes, relative to the disk, that classification reads. */
static const char *const view_attrs[] = {
	"size", "ro", "removable", "queue/logical_block_size", "queue/physical_block_size",
	"queue/rotational", "device/vendor", "device/model", "device/rev", "device/serial",
	"device/firmware_rev", "device/transport", "device/wwid", "serial", "loop/backing_file",
	"diskseq",
};

/* Add the holders listed in @dir/holders through @add. */
static int read_holders(const char *dir, void *obj, int (*add)(void *, const char *))
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d;
	int rc = 0;

	if ((size_t)snprintf(path, sizeof(path), "%s/holders", dir) >= sizeof(path))
		return -ENAMETOOLONG;
	d = opendir(path);
	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL && rc == 0)
		if (de->d_name[0] != '.')
			rc = add(obj, de->d_name);
	closedir(d);
	return rc;
}

/* Adapter: add a holder to a disk view. */
static int add_disk_holder(void *obj, const char *name)
{
	return wiper_devview_add_holder(obj, name);
}

/* Adapter: add a holder to a partition view. */
static int add_part_holder(void *obj, const char *name)
{
	return wiper_part_view_add_holder(obj, name);
}

/* Find the SCSI host driver (proc_name) of a disk from its sysfs path. */
static void read_host_driver(struct wiper_devview *v)
{
	char path[PATH_MAX], val[64];
	const char *p = v->syspath, *host = NULL, *end;

	/* The last "/hostN/" component of the path is the disk's SCSI host. */
	while ((p = strstr(p, "/host")) != NULL) {
		if (p[5] >= '0' && p[5] <= '9')
			host = p;
		p += 5;
	}
	if (host == NULL)
		return;
	end = strchr(host + 1, '/');
	if (end == NULL)
		return;
	if ((size_t)snprintf(path, sizeof(path), "%.*s/scsi_host%.*s/proc_name",
			     (int)(end - v->syspath), v->syspath, (int)(end - host), host) >=
	    sizeof(path))
		return;
	if (base_read_small(path, val, sizeof(val)) == 0)
		wiper_devview_add_attr(v, "host/proc_name", val);
}

/* Add partitions (subdirectories with a "partition" file) of the disk. */
static int read_partitions(struct wiper_devview *v)
{
	struct dirent *de;
	DIR *d = opendir(v->syspath);
	int rc = 0;

	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL && rc == 0) {
		char dir[PATH_MAX], path[PATH_MAX + 16], val[64];
		unsigned ma, mi;
		struct wiper_part_view *p;

		if (de->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(dir, sizeof(dir), "%s/%s", v->syspath, de->d_name) >=
		    sizeof(dir))
			continue;
		snprintf(path, sizeof(path), "%s/partition", dir);
		if (access(path, F_OK) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/dev", dir);
		if (base_read_small(path, val, sizeof(val)) < 0 || sscanf(val, "%u:%u", &ma, &mi) != 2)
			continue;
		p = wiper_devview_add_part(v, de->d_name, makedev(ma, mi));
		if (p == NULL) {
			rc = -ENOMEM;
			break;
		}
		rc = read_holders(dir, p, add_part_holder);
	}
	closedir(d);
	return rc;
}

int wiper_view_from_udev(struct udev_device *ud, struct wiper_devview *v)
{
	struct udev_list_entry *e;
	const char *s;
	size_t i;
	int rc;

	wiper_devview_init(v);
	snprintf(v->name, sizeof(v->name), "%s", udev_device_get_sysname(ud));
	s = udev_device_get_devnode(ud);
	snprintf(v->node, sizeof(v->node), "%s", s ? s : "");
	snprintf(v->syspath, sizeof(v->syspath), "%s", udev_device_get_syspath(ud));
	v->devnum = udev_device_get_devnum(ud);

	udev_list_entry_foreach(e, udev_device_get_properties_list_entry(ud)) {
		const char *k = udev_list_entry_get_name(e);
		const char *val = udev_list_entry_get_value(e);

		if (k && val) {
			rc = wiper_devview_add_prop(v, k, val);
			if (rc < 0)
				goto fail;
		}
	}
	for (i = 0; i < sizeof(view_attrs) / sizeof(view_attrs[0]); i++) {
		char path[PATH_MAX], val[512];

		if ((size_t)snprintf(path, sizeof(path), "%s/%s", v->syspath, view_attrs[i]) >=
		    sizeof(path))
			continue;
		if (base_read_small(path, val, sizeof(val)) == 0) {
			rc = wiper_devview_add_attr(v, view_attrs[i], val);
			if (rc < 0)
				goto fail;
		}
	}
	{
		char path[PATH_MAX];

		snprintf(path, sizeof(path), "%s/partition", v->syspath);
		if (access(path, F_OK) == 0)
			wiper_devview_add_attr(v, "partition", "1");
	}
	read_host_driver(v);
	rc = read_holders(v->syspath, v, add_disk_holder);
	if (rc == 0)
		rc = read_partitions(v);
	if (rc < 0)
		goto fail;
	return 0;
fail:
	wiper_devview_done(v);
	return rc;
}

int wiper_view_from_path(const char *path, struct wiper_devview *v, char *err, size_t errlen)
{
	struct udev_device *ud;
	struct udev *udev;
	struct stat st;
	int rc;

	if (stat(path, &st) < 0) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return rc;
	}
	if (!S_ISBLK(st.st_mode)) {
		snprintf(err, errlen, "%s: not a block device", path);
		return -ENOTBLK;
	}
	udev = udev_new();
	if (udev == NULL)
		return -ENOMEM;
	ud = udev_device_new_from_devnum(udev, 'b', st.st_rdev);
	if (ud == NULL) {
		rc = -ENODEV;
		snprintf(err, errlen, "%s: unknown to udev", path);
		goto out;
	}
	rc = wiper_view_from_udev(ud, v);
	if (rc == 0 && wiper_devview_attr(v, "partition")) {
		snprintf(err, errlen, "%s: is a partition; name the whole disk", path);
		wiper_devview_done(v);
		rc = -EINVAL;
	}
	udev_device_unref(ud);
out:
	udev_unref(udev);
	return rc;
}

int wiper_enum_views(struct wiper_devview **out)
{
	struct udev_list_entry *e;
	struct udev_enumerate *en;
	struct wiper_devview *views = NULL;
	struct udev *udev;
	size_t n = 0;
	int rc = 0;

	*out = NULL;
	udev = udev_new();
	if (udev == NULL)
		return -ENOMEM;
	en = udev_enumerate_new(udev);
	if (en == NULL) {
		rc = -ENOMEM;
		goto out;
	}
	udev_enumerate_add_match_subsystem(en, "block");
	udev_enumerate_add_match_property(en, "DEVTYPE", "disk");
	rc = udev_enumerate_scan_devices(en);
	if (rc < 0)
		goto out;
	udev_list_entry_foreach(e, udev_enumerate_get_list_entry(en)) {
		struct udev_device *ud = udev_device_new_from_syspath(udev, udev_list_entry_get_name(e));
		struct wiper_devview *nv;

		if (ud == NULL)
			continue; /* vanished between listing and opening */
		nv = realloc(views, (n + 1) * sizeof(*nv));
		if (nv == NULL) {
			udev_device_unref(ud);
			rc = -ENOMEM;
			goto out;
		}
		views = nv;
		rc = wiper_view_from_udev(ud, &views[n]);
		udev_device_unref(ud);
		if (rc < 0)
			goto out;
		n++;
	}
	rc = 0;
out:
	udev_enumerate_unref(en);
	udev_unref(udev);
	if (rc < 0) {
		wiper_devviews_free(views, n);
		return rc;
	}
	*out = views;
	return (int)n;
}

/* Order disks by name with numbers compared as numbers (sdb < sdaa, loop2 < loop10). */
static int disk_cmp(const void *a, const void *b)
{
	const char *x = ((const struct wiper_disk *)a)->name;
	const char *y = ((const struct wiper_disk *)b)->name;

	while (*x && *y) {
		if (*x >= '0' && *x <= '9' && *y >= '0' && *y <= '9') {
			unsigned long nx = strtoul(x, (char **)&x, 10);
			unsigned long ny = strtoul(y, (char **)&y, 10);

			if (nx != ny)
				return nx < ny ? -1 : 1;
			continue;
		}
		if (*x != *y)
			return (unsigned char)*x < (unsigned char)*y ? -1 : 1;
		x++;
		y++;
	}
	if (*x == *y)
		return 0;
	return *x ? 1 : -1;
}

int wiper_scan_views(const struct wiper_devview *views, size_t nviews,
		     const struct wiper_scan_opts *opts, const struct wiper_sysstate *st,
		     struct wiper_disk **out)
{
	struct wiper_disk *disks;
	size_t i, n = 0;

	*out = NULL;
	disks = calloc(nviews ? nviews : 1, sizeof(*disks));
	if (disks == NULL)
		return -ENOMEM;
	for (i = 0; i < nviews; i++) {
		struct wiper_disk *d = &disks[n];
		int rc = wiper_disk_from_view(&views[i], opts->include_loop, d);

		if (rc == -ENODEV)
			continue;
		if (rc < 0) {
			wiper_disks_free(disks, n);
			return rc;
		}
		/* An unbound loop device has no medium behind it. */
		if (d->transport == WIPER_TRAN_LOOP && d->size_bytes == 0) {
			wiper_disk_done(d);
			continue;
		}
		if (opts->probe_content)
			wiper_content_probe(d->node, d->name, &d->content);
		if (st)
			wiper_exclude_apply(st, d);
		n++;
	}
	qsort(disks, n, sizeof(*disks), disk_cmp);
	*out = disks;
	return (int)n;
}

int wiper_scan(const struct wiper_scan_opts *opts, struct wiper_disk **out)
{
	struct wiper_devview *views = NULL;
	struct wiper_sysstate st;
	int n, rc;

	memset(&st, 0, sizeof(st));
	n = wiper_enum_views(&views);
	if (n < 0)
		return n;
	rc = wiper_sysstate_read(&st);
	if (rc < 0) {
		wiper_devviews_free(views, (size_t)n);
		return rc;
	}
	rc = wiper_scan_views(views, (size_t)n, opts, &st, out);
	wiper_sysstate_done(&st);
	wiper_devviews_free(views, (size_t)n);
	return rc;
}

void wiper_disks_free(struct wiper_disk *d, size_t n)
{
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < n; i++)
		wiper_disk_done(&d[i]);
	free(d);
}
