/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "wiper/caps.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const struct {
	const char *key;
	const char *name;
	enum wiper_label label;
} techs[WIPER_TECH_COUNT] = {
	[WIPER_TECH_NVME_SAN_CRYPTO] = { "nvme-sanitize-crypto", "NVMe sanitize crypto erase", WIPER_LABEL_PURGE },
	[WIPER_TECH_NVME_SAN_BLOCK] = { "nvme-sanitize-block", "NVMe sanitize block erase", WIPER_LABEL_PURGE },
	[WIPER_TECH_NVME_SAN_OVERWRITE] = { "nvme-sanitize-overwrite", "NVMe sanitize overwrite", WIPER_LABEL_PURGE },
	[WIPER_TECH_ATA_SAN_CRYPTO] = { "ata-sanitize-crypto", "ATA sanitize crypto scramble", WIPER_LABEL_PURGE },
	[WIPER_TECH_ATA_SAN_BLOCK] = { "ata-sanitize-block", "ATA sanitize block erase", WIPER_LABEL_PURGE },
	[WIPER_TECH_ATA_SAN_OVERWRITE] = { "ata-sanitize-overwrite", "ATA sanitize overwrite", WIPER_LABEL_PURGE },
	[WIPER_TECH_SCSI_SAN_CRYPTO] = { "scsi-sanitize-crypto", "SCSI sanitize cryptographic erase", WIPER_LABEL_PURGE },
	[WIPER_TECH_SCSI_SAN_BLOCK] = { "scsi-sanitize-block", "SCSI sanitize block erase", WIPER_LABEL_PURGE },
	[WIPER_TECH_SCSI_SAN_OVERWRITE] = { "scsi-sanitize-overwrite", "SCSI sanitize overwrite", WIPER_LABEL_PURGE },
	[WIPER_TECH_ATA_SEC_ERASE_ENH] = { "ata-security-erase-enhanced", "ATA enhanced security erase", WIPER_LABEL_PURGE },
	/* IEEE 2883: Format with crypto erase is "Clear, possible Purge". */
	[WIPER_TECH_NVME_FORMAT_CRYPTO] = { "nvme-format-crypto", "NVMe format with crypto erase", WIPER_LABEL_CLEAR },
	[WIPER_TECH_NVME_FORMAT_USER] = { "nvme-format-user-data", "NVMe format with user data erase", WIPER_LABEL_CLEAR },
	[WIPER_TECH_ATA_SEC_ERASE] = { "ata-security-erase", "ATA security erase", WIPER_LABEL_CLEAR },
	[WIPER_TECH_OVERWRITE] = { "overwrite", "host overwrite", WIPER_LABEL_CLEAR },
};

const char *wiper_tech_str(enum wiper_tech t)
{
	return (unsigned)t < WIPER_TECH_COUNT ? techs[t].name : "unknown";
}

const char *wiper_tech_key(enum wiper_tech t)
{
	return (unsigned)t < WIPER_TECH_COUNT ? techs[t].key : "unknown";
}

const char *wiper_label_str(enum wiper_label l)
{
	return l == WIPER_LABEL_PURGE ? "Purge" : "Clear";
}

/* Record a supported technique, usable unless @blocked names a reason. */
static void add(struct wiper_caps *caps, enum wiper_tech t, const char *blocked)
{
	struct wiper_cap *c = &caps->cap[caps->n++];

	c->tech = t;
	c->label = techs[t].label;
	c->usable = blocked == NULL;
	snprintf(c->blocked, sizeof(c->blocked), "%s", blocked ? blocked : "");
}

/* Why ATA sanitize cannot be run on this path right now, or NULL. */
static const char *ata_sanitize_block(const struct wiper_identity *id)
{
	if (id->ata_pt != WIPER_ATA_PT_FULL)
		return "no status readback through this path";
	if (id->sanitize_frozen)
		return "sanitize frozen: suspend and resume, or replug, to unfreeze";
	return NULL;
}

/* Why ATA security erase cannot be run right now, or NULL. */
static const char *ata_security_block(const struct wiper_disk *d, const struct wiper_identity *id)
{
	if (d->transport == WIPER_TRAN_USB)
		return "never through a USB bridge";
	if (id->ata.sec_frozen)
		return "security frozen: suspend and resume, or replug, to unfreeze";
	if (id->ata.sec_count_expired)
		return "password attempts exhausted: power-cycle the drive";
	if (id->ata.sec_locked)
		return "locked with an unknown password";
	if (id->ata.sec_enabled)
		return "a user password is already set";
	if (id->ata_pt != WIPER_ATA_PT_FULL)
		return "no status readback through this path";
	return NULL;
}

void wiper_caps_compute(const struct wiper_disk *d, const struct wiper_identity *id,
			struct wiper_caps *caps)
{
	memset(caps, 0, sizeof(*caps));

	if (id->have_nvme) {
		const struct nvme_ctrl_info *n = &id->nvme;

		if (n->san_crypto)
			add(caps, WIPER_TECH_NVME_SAN_CRYPTO, NULL);
		if (n->san_block)
			add(caps, WIPER_TECH_NVME_SAN_BLOCK, NULL);
		if (n->san_overwrite)
			add(caps, WIPER_TECH_NVME_SAN_OVERWRITE, NULL);
	}
	if (id->have_ata && id->ata.sanitize_supported) {
		const char *why = ata_sanitize_block(id);

		if (id->ata.sanitize_crypto)
			add(caps, WIPER_TECH_ATA_SAN_CRYPTO, why);
		if (id->ata.sanitize_block)
			add(caps, WIPER_TECH_ATA_SAN_BLOCK, why);
		if (id->ata.sanitize_overwrite)
			add(caps, WIPER_TECH_ATA_SAN_OVERWRITE, why);
	}
	if (id->have_scsi && !id->have_ata) {
		if (id->scsi_san_crypto)
			add(caps, WIPER_TECH_SCSI_SAN_CRYPTO, NULL);
		if (id->scsi_san_block)
			add(caps, WIPER_TECH_SCSI_SAN_BLOCK, NULL);
		if (id->scsi_san_overwrite)
			add(caps, WIPER_TECH_SCSI_SAN_OVERWRITE, NULL);
	}
	if (id->have_ata && id->ata.sec_supported && id->ata.sec_enhanced_erase)
		add(caps, WIPER_TECH_ATA_SEC_ERASE_ENH, ata_security_block(d, id));
	if (id->have_nvme && id->nvme.oacs_format) {
		if (id->nvme.fna_crypto)
			add(caps, WIPER_TECH_NVME_FORMAT_CRYPTO, NULL);
		add(caps, WIPER_TECH_NVME_FORMAT_USER, NULL);
	}
	if (id->have_ata && id->ata.sec_supported)
		add(caps, WIPER_TECH_ATA_SEC_ERASE, ata_security_block(d, id));
	add(caps, WIPER_TECH_OVERWRITE, d->readonly ? "read-only device" : NULL);
}

const char *wiper_caps_summary(const struct wiper_caps *caps, const struct wiper_disk *d,
			       char *buf, size_t len)
{
	const char *why = NULL;
	size_t i;

	for (i = 0; i < caps->n; i++)
		if (caps->cap[i].usable && caps->cap[i].label == WIPER_LABEL_PURGE) {
			snprintf(buf, len, "Purge: %s", wiper_tech_str(caps->cap[i].tech));
			return buf;
		}
	/* No usable Purge: say why, in the words of the first blocked one. */
	for (i = 0; i < caps->n; i++)
		if (!caps->cap[i].usable && caps->cap[i].label == WIPER_LABEL_PURGE) {
			why = caps->cap[i].blocked;
			break;
		}
	if (why == NULL) {
		switch (d->transport) {
		case WIPER_TRAN_USB: why = "USB bridge blocks pass-through"; break;
		case WIPER_TRAN_MMC: why = "memory cards have no sanitize command"; break;
		case WIPER_TRAN_LOOP: why = "loop device"; break;
		case WIPER_TRAN_FILE: why = "regular file"; break;
		case WIPER_TRAN_VIRTIO: why = "virtual disk has no sanitize command"; break;
		default: why = "drive offers no sanitize"; break;
		}
	}
	if (caps->n == 0 || !caps->cap[caps->n - 1].usable)
		snprintf(buf, len, "none: %s", caps->n ? caps->cap[caps->n - 1].blocked : why);
	else
		snprintf(buf, len, "Clear only: %s", why);
	return buf;
}


int wiper_purge_pick(const struct wiper_caps *caps, const struct wiper_disk *d,
		     enum wiper_tech *out, char *why, size_t whylen)
{
	char summary[256];
	size_t i;

	for (i = 0; i < caps->n; i++)
		if (caps->cap[i].usable && caps->cap[i].label == WIPER_LABEL_PURGE) {
			*out = caps->cap[i].tech;
			return 0;
		}
	wiper_caps_summary(caps, d, summary, sizeof(summary));
	snprintf(why, whylen, "no Purge technique (%s); use --method clear or another overwrite "
			      "method, and destroy the medium if it must reach Purge",
		 summary);
	return -ENOENT;
}
