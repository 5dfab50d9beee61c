/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The simulated drive: a struct wiper_dev whose transport is a model of a
 * drive, not canned answers. It keeps its user data in memory, answers ATA
 * (through a modelled SATL), NVMe admin and SCSI commands from its identify
 * data and state, and injects faults: unreadable/unwritable LBAs, a bridge
 * that returns no ATA registers or rejects pass-through, and a device that
 * vanishes after a number of I/Os. Later work extends the state (security
 * and sanitize state machines) in the same struct; every command it receives
 * is logged so a test can assert what the engine sent.
 */
#ifndef TABULA_SIM_DRIVE_H
#define TABULA_SIM_DRIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wiper/dev.h"

enum sim_kind {
	SIM_SATA,	/* ATA drive behind a full SATL (libata): ATA + SCSI */
	SIM_USB_SAT,	/* ATA drive behind a USB bridge that passes ATA */
	SIM_USB_NOSAT,	/* USB bridge without ATA pass-through: SCSI only */
	SIM_NVME,	/* NVMe namespace: admin commands */
	SIM_PLAIN,	/* data path only (like a loop device) */
};

#define SIM_LOG_MAX 512

struct sim_log_entry {
	char what[16];		/* "ata", "nvme", "scsi" */
	uint8_t op;		/* ATA command, NVMe opcode, SCSI opcode */
	uint16_t feature;	/* ATA feature / NVMe CDW10 low bits */
	int rc;
};

struct sim_drive {
	enum sim_kind kind;
	uint64_t sectors;	/* user-addressable logical sectors */
	uint32_t lbs, pbs;
	uint8_t *data;		/* sectors * lbs bytes */

	/* Identity. */
	uint8_t ata_id[512];
	uint8_t nvme_ctrl[4096];
	uint8_t nvme_ns[4096];
	char inq_vendor[9];
	char inq_product[17];
	char vpd_serial[32];

	/* Hidden area: native max > sectors when an HPA is set. */
	uint64_t native_sectors;

	/* Faults. */
	uint64_t bad_lbas[64];
	size_t nbad;
	bool no_rtfr;		/* SATL returns no ATA registers */
	uint64_t drop_lba;	/* writes to [drop_lba, drop_lba + drop_count) */
	uint64_t drop_count;	/* are acknowledged but silently discarded */
	long vanish_after_io;	/* -1: never; else the I/O number that fails first */
	long io_count;
	bool vanished;

	/* What the drive received. */
	struct sim_log_entry log[SIM_LOG_MAX];
	size_t nlog;
};

/* A drive of @sectors logical sectors of @lbs bytes (@pbs physical). NULL on OOM. */
struct sim_drive *sim_drive_new(enum sim_kind kind, uint64_t sectors, uint32_t lbs, uint32_t pbs);
void sim_drive_free(struct sim_drive *sim);

/* Fill the identify data from the drive's geometry and these strings. */
void sim_drive_set_identity(struct sim_drive *sim, const char *model, const char *serial,
			    const char *firmware);

/* Edit one ATA IDENTIFY word; the integrity checksum is kept right. */
void sim_drive_ata_word(struct sim_drive *sim, unsigned word, uint16_t val);
/* Set/clear bits of an ATA IDENTIFY word. */
void sim_drive_ata_bits(struct sim_drive *sim, unsigned word, uint16_t set, uint16_t clear);
/* Write a 32-bit little-endian field of Identify Controller. */
void sim_drive_nvme_ctrl_u32(struct sim_drive *sim, size_t off, uint32_t val);
void sim_drive_nvme_ctrl_u8(struct sim_drive *sim, size_t off, uint8_t val);

void sim_drive_add_bad_lba(struct sim_drive *sim, uint64_t lba);

/* A wiper_dev over the drive; closing it leaves the drive alive. */
struct wiper_dev *sim_drive_open(struct sim_drive *sim);

/* How many logged commands match @what/@op. */
size_t sim_drive_count(const struct sim_drive *sim, const char *what, uint8_t op);

#endif
