/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the device itself says about itself: ATA IDENTIFY (via SG_IO), NVMe
 * Identify (via libnvme), SCSI INQUIRY + VPD, SMART, and whether ATA
 * pass-through really answers behind a USB bridge. Never parsed from another
 * program's output.
 */
#ifndef WIPER_IDENTITY_H
#define WIPER_IDENTITY_H

#include <stdbool.h>
#include <stdint.h>

#include "wiper/ata-identify.h"
#include "wiper/disk.h"
#include "wiper/nvme-identify.h"
#include "wiper/scsi-inquiry.h"

struct wiper_dev;

/* Does ATA pass-through work on this path? (sanitize-reference §3.4) */
enum wiper_ata_pt {
	WIPER_ATA_PT_UNTRIED,
	WIPER_ATA_PT_NONE,	/* rejected, or garbage came back */
	WIPER_ATA_PT_LIMITED,	/* IDENTIFY valid, no returned registers */
	WIPER_ATA_PT_FULL,	/* IDENTIFY valid and registers come back */
};

const char *wiper_ata_pt_str(enum wiper_ata_pt pt);

struct wiper_smart {
	bool available;
	bool good;		/* overall health assessment */
	bool have_hours;
	uint64_t power_on_hours;
	bool have_realloc;
	uint64_t reallocated;	/* ATA attr 5 / NVMe media errors */
	bool have_pending;
	uint64_t pending;	/* ATA attr 197 */
};

struct wiper_identity {
	bool have_ata;
	struct ata_identify ata;
	enum wiper_ata_pt ata_pt;
	char ata_pt_note[128];

	bool have_nvme;
	struct nvme_ctrl_info nvme;
	bool have_nvme_ns;
	struct nvme_ns_info nvme_ns;
	uint32_t nsid;

	bool have_scsi;
	struct scsi_inquiry inq;
	struct scsi_vpd_ids vpd;
	/* SCSI SANITIZE service actions, from REPORT SUPPORTED OPERATION CODES. */
	bool scsi_san_overwrite, scsi_san_block, scsi_san_crypto;

	bool have_sanitize_state;	/* SANITIZE STATUS EXT answered */
	bool sanitize_frozen;		/* SANITIZE FREEZE LOCK is in force */
	bool sanitize_failed;		/* the last sanitize failed (SD3) */

	bool have_native;	/* native max known (HPA/AMAC) */
	uint64_t native_sectors;

	struct wiper_smart smart;

	char notes[512];	/* what could not be read, one clause per problem */
};

/*
 * Ask the device who it is. @dev is open (read-only is enough); @d carries what
 * udev said (transport, USB ids) and is updated with what the device says
 * (model, serial, firmware, WWN, sector sizes) where the device is more
 * authoritative. Never fails for lack of a feature: what could not be read is
 * explained in @id->notes. Returns 0, or -errno when the device vanished.
 */
int wiper_identify(struct wiper_dev *dev, struct wiper_disk *d, struct wiper_identity *id);

#endif
