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
	SIM_SAS,	/* SCSI disk: SANITIZE, REPORT SUPPORTED OPCODES; no ATA */
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

	/* Hidden areas: sectors <= native_sectors (HPA) <= capacity (DCO). */
	uint64_t native_sectors;
	uint64_t capacity;		/* what the data buffer holds */
	bool dco_supported;
	bool hpa_locked;		/* SET MAX is refused (a password-locked HPA) */
	bool dco_frozen;

	/* ATA security feature set (SEC0-SEC6). */
	struct {
		bool supported, enhanced;
		bool enabled, locked, frozen, expired;
		bool master_maximum;		/* level Maximum */
		uint8_t user_pw[32], master_pw[32];
		unsigned attempts;
		bool prepared;			/* ERASE PREPARE was the last command */
		unsigned erase_calls;
	} sec;

	/* ATA sanitize and NVMe sanitize share one model of the operation. */
	struct {
		bool ata_crypto, ata_block, ata_overwrite, ata_antifreeze_supported;
		bool frozen, antifreeze;
		enum { SIM_SAN_IDLE, SIM_SAN_RUNNING, SIM_SAN_FAILED, SIM_SAN_DONE } state;
		unsigned op;			/* ATA feature or NVMe SANACT of the running one */
		bool failure_mode;		/* ATA FAILURE MODE / NVMe AUSE */
		uint32_t pattern;
		unsigned passes;
		uint32_t progress;		/* 0..65536 */
		uint32_t step;			/* progress per status poll */
		bool stall;			/* progress never moves */
		bool fail;			/* the operation ends failed */
		bool lie;			/* reports success, changes nothing */
		unsigned started;
	} san;

	/* SCSI SANITIZE service actions offered (SIM_SAS). */
	bool scsi_overwrite, scsi_block, scsi_crypto;

	/* NVMe format. */
	bool format_lie;
	unsigned formats;

	/* Faults. */
	uint64_t bad_lbas[64];
	size_t nbad;
	bool no_rtfr;		/* SATL returns no ATA registers */
	uint64_t drop_lba;	/* writes to [drop_lba, drop_lba + drop_count) */
	uint64_t drop_count;	/* are acknowledged but silently discarded */
	bool dead;		/* every LBA from dead_lba on fails with EIO */
	uint64_t dead_lba;
	uint64_t grow_to_sectors;	/* 0: never; else the user capacity becomes this */
	long grow_after_io;	/* at this I/O number */
	long vanish_after_io;	/* -1: never; else the I/O number that fails first */
	long io_count;
	bool vanished;
	unsigned write_delay_us;	/* every write takes at least this long (a slow drive) */

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

/* Shrink the native max to @native with a device configuration overlay. */
void sim_drive_set_dco(struct sim_drive *sim, uint64_t native);

/* Hide all but @visible sectors behind a host protected area. */
void sim_drive_set_hpa(struct sim_drive *sim, uint64_t visible);

/* Power-cycle the drive: freeze locks drop, a set password locks it again. */
void sim_drive_power_cycle(struct sim_drive *sim);

/* Refresh word 128 / 85 and the checksum from the security state. */
void sim_drive_sync_identify(struct sim_drive *sim);

/* The command-set models (sim-ata.c, sim-nvme.c), called by the transport. */
int sim_ata_exec(struct sim_drive *sim, const struct ata_cmd *cmd, void *buf,
		 struct wiper_ata_result *res);
int sim_nvme_exec(struct sim_drive *sim, struct wiper_nvme_cmd *cmd);
/* Apply a finished sanitize or format to the medium. */
void sim_apply_erase(struct sim_drive *sim, int how, uint32_t pattern);
enum { SIM_ERASE_ZERO, SIM_ERASE_RANDOM, SIM_ERASE_PATTERN };
void sim_log(struct sim_drive *sim, const char *what, uint8_t op, uint16_t feature, int rc);
/*
 * Advance a running sanitize by one status poll; when it completes, apply
 * @how (SIM_ERASE_*) unless the drive lies, or fail it when told to.
 */
void sim_sanitize_tick(struct sim_drive *sim, int how);

/* A wiper_dev over the drive; closing it leaves the drive alive. */
struct wiper_dev *sim_drive_open(struct sim_drive *sim);

/* How many logged commands match @what/@op. */
size_t sim_drive_count(const struct sim_drive *sim, const char *what, uint8_t op);

#endif
