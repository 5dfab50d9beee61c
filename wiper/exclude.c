/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "wiper/exclude.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "wiper/base/base.h"

/* Where the live image's initramfs (and Debian live-boot) mounts the medium it booted from. */
static const char *const boot_mounts[] = { "/run/live/medium", "/lib/live/mount/medium" };

const char *wiper_excl_str(enum wiper_excl e)
{
	switch (e) {
	case WIPER_EXCL_NONE: return "none";
	case WIPER_EXCL_BOOT: return "boot";
	case WIPER_EXCL_RECORDS: return "records";
	case WIPER_EXCL_MOUNTED: return "mounted";
	case WIPER_EXCL_SWAP: return "swap";
	case WIPER_EXCL_HOLDERS: return "holders";
	case WIPER_EXCL_READONLY: return "readonly";
	case WIPER_EXCL_VIRTUAL: return "no-medium";
	}
	return "unknown";
}

/* Undo the octal escapes (\040) of mountinfo and swaps fields, in place. */
static void unescape(char *s)
{
	char *o = s;

	while (*s) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*o++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0'));
			s += 4;
		} else {
			*o++ = *s++;
		}
	}
	*o = '\0';
}

/* Append one mount. */
static int add_mount(struct wiper_sysstate *st, dev_t dn, const char *target, const char *source)
{
	struct wiper_mount *nm = realloc(st->mounts, (st->nmounts + 1) * sizeof(*nm));

	if (nm == NULL)
		return -ENOMEM;
	st->mounts = nm;
	nm += st->nmounts++;
	nm->devnum = dn;
	snprintf(nm->target, sizeof(nm->target), "%s", target);
	snprintf(nm->source, sizeof(nm->source), "%s", source);
	return 0;
}

int wiper_mountinfo_parse(const char *text, struct wiper_sysstate *st)
{
	const char *p = text;

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char line[4096], *save = NULL, *tok, *target = NULL, *source = NULL;
		unsigned ma = 0, mi = 0;
		int field = 0;
		bool after_sep = false, have_dev = false;
		int after = 0;

		if (len >= sizeof(line))
			len = sizeof(line) - 1;
		memcpy(line, p, len);
		line[len] = '\0';
		p = nl ? nl + 1 : p + len;

		for (tok = strtok_r(line, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
			field++;
			if (after_sep) {
				/* after "-": fstype, source, super options */
				if (++after == 2)
					source = tok;
				continue;
			}
			if (field == 3)
				have_dev = sscanf(tok, "%u:%u", &ma, &mi) == 2;
			else if (field == 5)
				target = tok;
			else if (field > 6 && strcmp(tok, "-") == 0)
				after_sep = true;
		}
		if (!have_dev || target == NULL)
			continue;
		unescape(target);
		if (source)
			unescape(source);
		if (add_mount(st, makedev(ma, mi), target, source ? source : "") < 0)
			return -ENOMEM;
	}
	return 0;
}

int wiper_swaps_parse(const char *text, struct wiper_sysstate *st)
{
	const char *p = text;
	bool header = true;

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char line[1024], *sp, **ns;
		dev_t *nd;

		if (len >= sizeof(line))
			len = sizeof(line) - 1;
		memcpy(line, p, len);
		line[len] = '\0';
		p = nl ? nl + 1 : p + len;
		if (header) {
			header = false;
			if (strncmp(line, "Filename", 8) == 0)
				continue;
		}
		sp = strpbrk(line, " \t");
		if (sp)
			*sp = '\0';
		if (line[0] == '\0')
			continue;
		unescape(line);
		ns = realloc(st->swaps, (st->nswaps + 1) * sizeof(*ns));
		if (ns == NULL)
			return -ENOMEM;
		st->swaps = ns;
		nd = realloc(st->swap_devnums, (st->nswaps + 1) * sizeof(*nd));
		if (nd == NULL)
			return -ENOMEM;
		st->swap_devnums = nd;
		ns[st->nswaps] = strdup(line);
		if (ns[st->nswaps] == NULL)
			return -ENOMEM;
		nd[st->nswaps] = 0;
		st->nswaps++;
	}
	return 0;
}

/* Add a boot device number. */
static int add_boot(struct wiper_sysstate *st, dev_t dn)
{
	dev_t *nb = realloc(st->boot_devnums, (st->nboot + 1) * sizeof(*nb));

	if (nb == NULL)
		return -ENOMEM;
	st->boot_devnums = nb;
	nb[st->nboot++] = dn;
	return 0;
}

int wiper_sysstate_read(struct wiper_sysstate *st)
{
	size_t i, n;
	char *text;
	int rc;

	memset(st, 0, sizeof(*st));
	text = base_slurp("/proc/self/mountinfo");
	if (text == NULL)
		return -errno ? -errno : -EIO;
	rc = wiper_mountinfo_parse(text, st);
	free(text);
	if (rc < 0)
		return rc;
	/*
	 * Some filesystems (btrfs) report an anonymous device number: resolve the
	 * mount source too, so the real disk is still matched.
	 */
	n = st->nmounts;
	for (i = 0; i < n; i++) {
		struct stat sb;

		if (strncmp(st->mounts[i].source, "/dev/", 5) == 0 &&
		    stat(st->mounts[i].source, &sb) == 0 && S_ISBLK(sb.st_mode) &&
		    sb.st_rdev != st->mounts[i].devnum) {
			char target[256], source[256];

			snprintf(target, sizeof(target), "%s", st->mounts[i].target);
			snprintf(source, sizeof(source), "%s", st->mounts[i].source);
			rc = add_mount(st, sb.st_rdev, target, source);
			if (rc < 0)
				return rc;
		}
	}
	text = base_slurp("/proc/swaps");
	if (text) {
		rc = wiper_swaps_parse(text, st);
		free(text);
		if (rc < 0)
			return rc;
		for (i = 0; i < st->nswaps; i++) {
			struct stat sb;

			if (stat(st->swaps[i], &sb) == 0)
				st->swap_devnums[i] = S_ISBLK(sb.st_mode) ? sb.st_rdev : sb.st_dev;
		}
	}
	/* A loop device can sit directly on a disk or partition (losetup /dev/sdb). */
	{
		DIR *dir = opendir("/sys/block");
		struct dirent *de;

		while (dir && (de = readdir(dir)) != NULL) {
			char path[300], back[512];
			struct stat sb;
			FILE *f;
			size_t len;

			if (strncmp(de->d_name, "loop", 4) != 0)
				continue;
			snprintf(path, sizeof(path), "/sys/block/%s/loop/backing_file", de->d_name);
			f = fopen(path, "re");
			if (f == NULL)
				continue;
			len = fread(back, 1, sizeof(back) - 1, f);
			fclose(f);
			back[len] = '\0';
			while (len > 0 && back[len - 1] == '\n')
				back[--len] = '\0';
			if (stat(back, &sb) == 0 && S_ISBLK(sb.st_mode)) {
				struct wiper_loop_backing *nb =
					realloc(st->backing, (st->nbacking + 1) * sizeof(*nb));

				if (nb == NULL) {
					closedir(dir);
					return -ENOMEM;
				}
				st->backing = nb;
				nb[st->nbacking].devnum = sb.st_rdev;
				snprintf(nb[st->nbacking].loop, sizeof(nb[st->nbacking].loop), "%.31s",
					 de->d_name);
				st->nbacking++;
			}
		}
		if (dir)
			closedir(dir);
	}
	for (i = 0; i < st->nmounts; i++) {
		size_t b;

		for (b = 0; b < sizeof(boot_mounts) / sizeof(boot_mounts[0]); b++)
			if (strcmp(st->mounts[i].target, boot_mounts[b]) == 0) {
				rc = add_boot(st, st->mounts[i].devnum);
				if (rc < 0)
					return rc;
			}
	}
	return 0;
}

void wiper_sysstate_done(struct wiper_sysstate *st)
{
	size_t i;

	if (st == NULL)
		return;
	free(st->mounts);
	for (i = 0; i < st->nswaps; i++)
		free(st->swaps[i]);
	free(st->swaps);
	free(st->swap_devnums);
	free(st->boot_devnums);
	free(st->backing);
	memset(st, 0, sizeof(*st));
}

/* Set the exclusion once; the first reason found wins. */
__attribute__((format(printf, 3, 4)))
static void exclude(struct wiper_disk *d, enum wiper_excl e, const char *fmt, ...)
{
	va_list ap;

	if (d->excl != WIPER_EXCL_NONE)
		return;
	d->excl = e;
	va_start(ap, fmt);
	vsnprintf(d->excl_reason, sizeof(d->excl_reason), fmt, ap);
	va_end(ap);
}

/* Name of the disk or partition that has device number @dn, or NULL. */
static const char *member_name(const struct wiper_disk *d, dev_t dn)
{
	size_t i;

	if (dn == d->devnum)
		return d->name;
	for (i = 0; i < d->nparts; i++)
		if (d->part_devnums[i] == dn)
			return d->part_names[i];
	return NULL;
}

/* What kind of device a holder is, for the reason text. */
static const char *holder_kind(const char *name)
{
	if (strncmp(name, "dm-", 3) == 0)
		return "device-mapper";
	if (strncmp(name, "md", 2) == 0)
		return "software RAID";
	if (strncmp(name, "loop", 4) == 0)
		return "loop device";
	if (strncmp(name, "bcache", 6) == 0)
		return "bcache";
	return "another device";
}

void wiper_exclude_apply(const struct wiper_sysstate *st, struct wiper_disk *d)
{
	size_t i, j;

	d->excl = WIPER_EXCL_NONE;
	d->excl_reason[0] = '\0';

	for (i = 0; i < st->nboot; i++) {
		const char *who = member_name(d, st->boot_devnums[i]);

		if (who)
			exclude(d, WIPER_EXCL_BOOT, "boot medium (%s holds the running system)", who);
	}
	/* Tabula's own image, even when booted "toram" and no longer mounted. */
	for (i = 0; i < d->content.nfs; i++)
		if (strncmp(d->content.fs[i].label, WIPER_BOOT_LABEL_PREFIX,
			    strlen(WIPER_BOOT_LABEL_PREFIX)) == 0 &&
		    strcmp(d->content.fs[i].label, WIPER_RECORDS_LABEL) != 0 &&
		    strcmp(d->content.fs[i].fstype, "iso9660") == 0)
			exclude(d, WIPER_EXCL_BOOT, "boot medium (Tabula image '%s')",
				d->content.fs[i].label);
	for (i = 0; i < d->content.nfs; i++)
		if (strcmp(d->content.fs[i].label, WIPER_RECORDS_LABEL) == 0)
			exclude(d, WIPER_EXCL_RECORDS, "records medium (%s labelled %s)",
				d->content.fs[i].part[0] ? d->content.fs[i].part : d->name,
				WIPER_RECORDS_LABEL);
	for (i = 0; i < st->nmounts; i++) {
		const char *who = member_name(d, st->mounts[i].devnum);

		if (who)
			exclude(d, WIPER_EXCL_MOUNTED, "mounted at %s (%s)", st->mounts[i].target, who);
	}
	for (i = 0; i < st->nswaps; i++) {
		const char *who = st->swap_devnums[i] ? member_name(d, st->swap_devnums[i]) : NULL;

		if (who)
			exclude(d, WIPER_EXCL_SWAP, "used as swap (%s)", st->swaps[i]);
	}
	for (i = 0; i < st->nbacking; i++) {
		const char *who = member_name(d, st->backing[i].devnum);

		if (who)
			exclude(d, WIPER_EXCL_HOLDERS, "backs loop device %s (%s)", st->backing[i].loop,
				who);
	}
	for (j = 0; j < d->nholders; j++) {
		char what[96];

		snprintf(what, sizeof(what), "%s (%s)", d->holders[j], holder_kind(d->holders[j]));
		exclude(d, WIPER_EXCL_HOLDERS, "in use by %s", what);
	}
	if (d->readonly)
		exclude(d, WIPER_EXCL_READONLY, "read-only device");
	if (d->size_bytes == 0)
		exclude(d, WIPER_EXCL_VIRTUAL, "no medium (size 0)");
}
