/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "wiper/disk.h"
#include "wiper/base/base.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *wiper_transport_str(enum wiper_transport t)
{
	switch (t) {
	case WIPER_TRAN_SATA: return "sata";
	case WIPER_TRAN_ATA: return "ata";
	case WIPER_TRAN_SAS: return "sas";
	case WIPER_TRAN_SCSI: return "scsi";
	case WIPER_TRAN_NVME: return "nvme";
	case WIPER_TRAN_USB: return "usb";
	case WIPER_TRAN_MMC: return "mmc";
	case WIPER_TRAN_VIRTIO: return "virtio";
	case WIPER_TRAN_LOOP: return "loop";
	case WIPER_TRAN_FILE: return "file";
	case WIPER_TRAN_SIM: return "sim";
	case WIPER_TRAN_UNKNOWN: break;
	}
	return "unknown";
}

/* Does @s start with @prefix? */
static bool starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Copy @src into @dst, trimming surrounding whitespace. */
static void copy_trim(char *dst, size_t len, const char *src)
{
	size_t n;

	if (len == 0)
		return;
	dst[0] = '\0';
	if (src == NULL)
		return;
	while (isspace((unsigned char)*src))
		src++;
	n = strlen(src);
	while (n > 0 && isspace((unsigned char)src[n - 1]))
		n--;
	if (n >= len)
		n = len - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Decode udev's \xNN escapes (ID_MODEL_ENC) and trim. */
static void copy_udev_enc(char *dst, size_t len, const char *src)
{
	char tmp[256];
	size_t o = 0;

	if (src == NULL) {
		dst[0] = '\0';
		return;
	}
	while (*src && o + 1 < sizeof(tmp)) {
		unsigned v;

		if (src[0] == '\\' && src[1] == 'x' && isxdigit((unsigned char)src[2]) &&
		    isxdigit((unsigned char)src[3]) && sscanf(src + 2, "%2x", &v) == 1) {
			tmp[o++] = (char)(v >= 0x20 && v < 0x7f ? v : ' ');
			src += 4;
		} else {
			tmp[o++] = *src++;
		}
	}
	tmp[o] = '\0';
	copy_trim(dst, len, tmp);
}

/* First non-empty of two strings. */
static const char *first(const char *a, const char *b)
{
	if (a && *a)
		return a;
	return b;
}

/* Parse an unsigned decimal attribute; 0 if absent or bad. */
static uint64_t attr_u64(const struct wiper_devview *v, const char *key)
{
	const char *s = wiper_devview_attr(v, key);
	char *end;
	unsigned long long x;

	if (s == NULL)
		return 0;
	errno = 0;
	x = strtoull(s, &end, 10);
	if (errno || end == s)
		return 0;
	return x;
}

/* Parse a 4-digit hex USB id. */
static uint16_t hex16(const char *s)
{
	unsigned long x;
	char *end;

	if (s == NULL)
		return 0;
	x = strtoul(s, &end, 16);
	if (end == s || x > 0xffff)
		return 0;
	return (uint16_t)x;
}

/* Is this a block device Tabula never treats as a medium? */
static bool ignored_name(const char *name)
{
	static const char *const prefixes[] = { "ram", "zram", "dm-", "md", "sr", "fd", "nbd",
						"nullb", "zd", "drbd", "rbd", "pmem" };
	size_t i;

	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (starts(name, prefixes[i]))
			return true;
	/* nvmeXcYnZ are the hidden per-path nodes under native NVMe multipath. */
	if (starts(name, "nvme")) {
		unsigned a, b, c;
		char tail;

		if (sscanf(name, "nvme%uc%un%u%c", &a, &b, &c, &tail) == 3)
			return true;
	}
	/* eMMC hardware boot and RPMB partitions are not user data areas. */
	if (starts(name, "mmcblk") && (strstr(name, "boot") || strstr(name, "rpmb")))
		return true;
	return false;
}

/* Work out the transport the way lsblk does, from name, path and host driver. */
static enum wiper_transport classify(const struct wiper_devview *v, const char *host)
{
	const char *bus = wiper_devview_prop(v, "ID_BUS");

	if (starts(v->name, "loop"))
		return WIPER_TRAN_LOOP;
	if (starts(v->name, "nvme"))
		return WIPER_TRAN_NVME;
	if (starts(v->name, "mmcblk"))
		return WIPER_TRAN_MMC;
	if (starts(v->name, "vd") || starts(v->name, "xvd"))
		return WIPER_TRAN_VIRTIO;
	if (strstr(v->syspath, "/usb") || (bus && strcmp(bus, "usb") == 0))
		return WIPER_TRAN_USB;
	if (strstr(v->syspath, "/end_device-") || strstr(v->syspath, "/sas_"))
		return WIPER_TRAN_SAS;
	if (host && *host) {
		if (starts(host, "ahci") || starts(host, "sata"))
			return WIPER_TRAN_SATA;
		if (starts(host, "ata") || starts(host, "pata"))
			return WIPER_TRAN_ATA;
		if (strstr(host, "sas") || starts(host, "mpt"))
			return WIPER_TRAN_SAS;
		if (starts(host, "usb-storage") || starts(host, "uas"))
			return WIPER_TRAN_USB;
	}
	if (bus && strcmp(bus, "ata") == 0)
		return WIPER_TRAN_SATA;
	if (starts(v->name, "sd"))
		return WIPER_TRAN_SCSI;
	return WIPER_TRAN_UNKNOWN;
}

/* Append @name to a string vector unless present. */
static int add_unique(char ***vec, size_t *n, const char *name)
{
	char **nv;
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp((*vec)[i], name) == 0)
			return 0;
	nv = realloc(*vec, (*n + 1) * sizeof(*nv));
	if (nv == NULL)
		return -ENOMEM;
	*vec = nv;
	nv[*n] = strdup(name);
	if (nv[*n] == NULL)
		return -ENOMEM;
	(*n)++;
	return 0;
}

int wiper_disk_from_view(const struct wiper_devview *v, bool include_loop, struct wiper_disk *d)
{
	const char *host = wiper_devview_attr(v, "host/proc_name");
	const char *s;
	size_t i, j;
	int rc;

	memset(d, 0, sizeof(*d));
	if (ignored_name(v->name))
		return -ENODEV;
	if (starts(v->name, "loop") && !include_loop)
		return -ENODEV;
	s = wiper_devview_prop(v, "DEVTYPE");
	if (s && strcmp(s, "partition") == 0)
		return -ENODEV;
	if (wiper_devview_attr(v, "partition"))
		return -ENODEV;

	snprintf(d->name, sizeof(d->name), "%s", v->name);
	if (v->node[0])
		snprintf(d->node, sizeof(d->node), "%s", v->node);
	else
		snprintf(d->node, sizeof(d->node), "/dev/%s", v->name);
	snprintf(d->syspath, sizeof(d->syspath), "%s", v->syspath);
	d->devnum = v->devnum;
	d->transport = classify(v, host);
	copy_trim(d->host_driver, sizeof(d->host_driver), host);

	copy_trim(d->vendor, sizeof(d->vendor), wiper_devview_attr(v, "device/vendor"));
	if (strncmp(d->vendor, "0x", 2) == 0)
		d->vendor[0] = '\0'; /* virtio puts a PCI id here */
	s = wiper_devview_prop(v, "ID_MODEL_ENC");
	if (s)
		copy_udev_enc(d->model, sizeof(d->model), s);
	else
		copy_trim(d->model, sizeof(d->model),
			  first(wiper_devview_attr(v, "device/model"), wiper_devview_prop(v, "ID_MODEL")));
	if (d->transport == WIPER_TRAN_NVME)
		copy_trim(d->model, sizeof(d->model),
			  first(wiper_devview_attr(v, "device/model"), d->model));

	s = first(wiper_devview_prop(v, "ID_SCSI_SERIAL"), wiper_devview_prop(v, "ID_SERIAL_SHORT"));
	s = first(s, wiper_devview_attr(v, "device/serial"));
	s = first(s, wiper_devview_attr(v, "serial"));
	if (s == NULL && d->transport == WIPER_TRAN_VIRTIO)
		s = wiper_devview_prop(v, "ID_SERIAL");
	copy_trim(d->serial, sizeof(d->serial), s);

	copy_trim(d->firmware, sizeof(d->firmware),
		  first(first(wiper_devview_attr(v, "device/firmware_rev"),
			      wiper_devview_prop(v, "ID_REVISION")),
			wiper_devview_attr(v, "device/rev")));
	s = first(wiper_devview_prop(v, "ID_WWN_WITH_EXTENSION"), wiper_devview_prop(v, "ID_WWN"));
	copy_trim(d->wwn, sizeof(d->wwn), first(s, wiper_devview_attr(v, "device/wwid")));

	d->logical_block = (uint32_t)attr_u64(v, "queue/logical_block_size");
	d->physical_block = (uint32_t)attr_u64(v, "queue/physical_block_size");
	if (d->logical_block == 0)
		d->logical_block = 512;
	if (d->physical_block == 0)
		d->physical_block = d->logical_block;
	/* sysfs "size" is always in 512-byte units, whatever the sector size. */
	d->size_bytes = attr_u64(v, "size") * 512;
	d->sectors = d->size_bytes / d->logical_block;
	d->diskseq = attr_u64(v, "diskseq");
	d->removable = attr_u64(v, "removable") != 0;
	d->rotational = attr_u64(v, "queue/rotational") != 0;
	d->readonly = attr_u64(v, "ro") != 0;
	copy_trim(d->backing_file, sizeof(d->backing_file),
		  wiper_devview_attr(v, "loop/backing_file"));

	s = wiper_devview_prop(v, "ID_NSID");
	if (s)
		d->nvme_nsid = (uint32_t)strtoul(s, NULL, 10);
	if (d->transport == WIPER_TRAN_USB) {
		d->usb_vid = hex16(first(wiper_devview_prop(v, "ID_USB_VENDOR_ID"),
					 wiper_devview_prop(v, "ID_VENDOR_ID")));
		d->usb_pid = hex16(first(wiper_devview_prop(v, "ID_USB_MODEL_ID"),
					 wiper_devview_prop(v, "ID_MODEL_ID")));
		copy_trim(d->usb_driver, sizeof(d->usb_driver),
			  first(wiper_devview_prop(v, "ID_USB_DRIVER"), host));
	}

	if (v->nparts) {
		d->part_names = calloc(v->nparts, sizeof(*d->part_names));
		d->part_devnums = calloc(v->nparts, sizeof(*d->part_devnums));
		if (d->part_names == NULL || d->part_devnums == NULL) {
			rc = -ENOMEM;
			goto fail;
		}
		for (i = 0; i < v->nparts; i++) {
			d->part_names[i] = strdup(v->parts[i].name);
			if (d->part_names[i] == NULL) {
				rc = -ENOMEM;
				goto fail;
			}
			d->part_devnums[i] = v->parts[i].devnum;
			d->nparts++;
			for (j = 0; j < v->parts[i].nholders; j++) {
				rc = add_unique(&d->holders, &d->nholders, v->parts[i].holders[j]);
				if (rc < 0)
					goto fail;
			}
		}
	}
	for (i = 0; i < v->nholders; i++) {
		rc = add_unique(&d->holders, &d->nholders, v->holders[i]);
		if (rc < 0)
			goto fail;
	}
	return 0;
fail:
	wiper_disk_done(d);
	return rc;
}

void wiper_disk_done(struct wiper_disk *d)
{
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; d->part_names && i < d->nparts; i++)
		free(d->part_names[i]);
	free(d->part_names);
	free(d->part_devnums);
	for (i = 0; i < d->nholders; i++)
		free(d->holders[i]);
	free(d->holders);
	d->part_names = NULL;
	d->part_devnums = NULL;
	d->holders = NULL;
	d->nparts = d->nholders = 0;
}

const char *wiper_size_str(uint64_t bytes, char *buf, size_t len)
{
	/* One formatting for the screen, the CLI and the PDF. */
	return base_size_iec(bytes, buf, len);
}

const char *wiper_content_str(const struct wiper_content *c, char *buf, size_t len)
{
	size_t i, off = 0;
	int n;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	if (!c->probed) {
		if (c->error)
			snprintf(buf, len, "unreadable (%s)", strerror(-c->error));
		else
			snprintf(buf, len, "unknown");
		return buf;
	}
	if (c->pttype[0]) {
		n = snprintf(buf, len, "%s:", c->pttype);
		if (n < 0 || (size_t)n >= len)
			return buf;
		off = (size_t)n;
	}
	for (i = 0; i < c->nfs && off < len; i++) {
		const struct wiper_fs *f = &c->fs[i];
		char sz[32];

		wiper_size_str(f->size, sz, sizeof(sz));
		if (f->fstype[0] && f->label[0])
			n = snprintf(buf + off, len - off, "%s%s '%s' %s", i ? ", " : (off ? " " : ""),
				     f->fstype, f->label, sz);
		else if (f->fstype[0])
			n = snprintf(buf + off, len - off, "%s%s %s", i ? ", " : (off ? " " : ""),
				     f->fstype, sz);
		else
			n = snprintf(buf + off, len - off, "%s%s %s", i ? ", " : (off ? " " : ""),
				     f->part[0] ? "unknown" : "data", sz);
		if (n < 0 || (size_t)n >= len - off)
			return buf;
		off += (size_t)n;
	}
	if (c->pttype[0] && c->nfs == 0 && off < len)
		snprintf(buf + off, len - off, " no partitions");
	if (c->truncated && off < len)
		snprintf(buf + off, len - off, ", ...");
	if (off == 0 && buf[0] == '\0')
		snprintf(buf, len, "no partitions or filesystems found");
	return buf;
}
