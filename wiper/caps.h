/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Erase techniques a medium supports, each with the NIST SP 800-88 / IEEE 2883
 * label it earns, or the reason it is unavailable. Derived purely from
 * struct wiper_disk + struct wiper_identity.
 */
#ifndef WIPER_CAPS_H
#define WIPER_CAPS_H

#include <stdbool.h>
#include <stddef.h>

#include "wiper/disk.h"
#include "wiper/identity.h"

enum wiper_tech {
	WIPER_TECH_NVME_SAN_CRYPTO,
	WIPER_TECH_NVME_SAN_BLOCK,
	WIPER_TECH_NVME_SAN_OVERWRITE,
	WIPER_TECH_ATA_SAN_CRYPTO,
	WIPER_TECH_ATA_SAN_BLOCK,
	WIPER_TECH_ATA_SAN_OVERWRITE,
	WIPER_TECH_SCSI_SAN_CRYPTO,
	WIPER_TECH_SCSI_SAN_BLOCK,
	WIPER_TECH_SCSI_SAN_OVERWRITE,
	WIPER_TECH_ATA_SEC_ERASE_ENH,
	WIPER_TECH_NVME_FORMAT_CRYPTO,
	WIPER_TECH_NVME_FORMAT_USER,
	WIPER_TECH_ATA_SEC_ERASE,
	WIPER_TECH_OVERWRITE,
	WIPER_TECH_COUNT
};

enum wiper_label { WIPER_LABEL_CLEAR, WIPER_LABEL_PURGE };

struct wiper_cap {
	enum wiper_tech tech;
	enum wiper_label label;
	bool usable;		/* supported and not blocked right now */
	char blocked[128];	/* why not usable: "security frozen", "USB bridge" */
};

struct wiper_caps {
	struct wiper_cap cap[WIPER_TECH_COUNT];
	size_t n;		/* supported techniques, strongest first */
};

const char *wiper_tech_str(enum wiper_tech t);	   /* "NVMe sanitize crypto erase" */
const char *wiper_tech_key(enum wiper_tech t);	   /* "nvme-sanitize-crypto" */
const char *wiper_label_str(enum wiper_label l);   /* "Purge" */

/* Fill @caps from what is known; pure. */
void wiper_caps_compute(const struct wiper_disk *d, const struct wiper_identity *id,
			struct wiper_caps *caps);

/* The one-line summary a technician reads: "Purge: NVMe crypto erase" / "Clear only: ...". */
const char *wiper_caps_summary(const struct wiper_caps *caps, const struct wiper_disk *d,
			       char *buf, size_t len);

/*
 * The strongest usable Purge technique of @caps, or -ENOENT with the reason
 * in @why ("no Purge technique: USB bridge blocks pass-through").
 */
int wiper_purge_pick(const struct wiper_caps *caps, const struct wiper_disk *d,
		     enum wiper_tech *out, char *why, size_t whylen);

#endif
