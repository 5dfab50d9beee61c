/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The simulated drive's ATA command set, behind a modelled SATL: IDENTIFY,
 * the security feature set state machine (SEC0-SEC6: frozen, locked,
 * attempt counter, user/master passwords, normal/enhanced erase), SANITIZE
 * (status, progress, failure mode, freeze/antifreeze), and the host
 * protected area. Values follow sanitize-reference.md §1.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "tests/lib/sim-drive.h"
#include "wiper/status.h"

/* Fill the returned registers as a SATL does with descriptor sense. */
static void rtf(struct sim_drive *sim, struct wiper_ata_result *res, uint8_t status,
		uint8_t error, uint16_t count, uint64_t lba)
{
	if (sim->no_rtfr || res == NULL)
		return;
	res->rtf.valid = true;
	res->rtf.extend = true;
	res->rtf.status = status;
	res->rtf.error = error;
	res->rtf.count = count;
	res->rtf.lba = lba;
	res->rtf.device = 0x40;
	res->sense.valid = true;
	res->sense.descriptor = true;
	res->sense.key = 0x01;
	res->sense.asc = 0x00;
	res->sense.ascq = 0x1d;
}

/* Abort the command: ERR + ABRT, with @reason in LBA(7:0) as SANITIZE does. */
static int abort_cmd(struct sim_drive *sim, struct wiper_ata_result *res, uint8_t reason)
{
	rtf(sim, res, 0x51, 0x04, 0, reason);
	return WIPER_ST_ATA(0x51, 0x04);
}

/* Does the 32-byte password in @blk match @pw? */
static bool pw_match(const uint8_t *blk, const uint8_t *pw)
{
	return memcmp(blk + 2, pw, 32) == 0;
}

/* A failed password attempt; five of them expire the counter. */
static int bad_password(struct sim_drive *sim, struct wiper_ata_result *res)
{
	if (++sim->sec.attempts >= 5)
		sim->sec.expired = true;
	sim_drive_sync_identify(sim);
	return abort_cmd(sim, res, 0);
}

/* The security commands (F1h-F6h). */
static int security(struct sim_drive *sim, const struct ata_cmd *cmd, const uint8_t *blk,
		    struct wiper_ata_result *res)
{
	uint8_t op = cmd->tf.command;
	bool prepared = sim->sec.prepared;
	bool master;

	sim->sec.prepared = false;
	if (!sim->sec.supported)
		return abort_cmd(sim, res, 0);
	if (op == ATA_OP_SEC_FREEZE_LOCK) {
		if (sim->sec.locked)
			return abort_cmd(sim, res, 0);
		sim->sec.frozen = true;
		sim_drive_sync_identify(sim);
		rtf(sim, res, 0x50, 0, 0, 0);
		return 0;
	}
	if (sim->sec.frozen || sim->sec.expired)
		return abort_cmd(sim, res, 0);
	if (op == ATA_OP_SEC_ERASE_PREPARE) {
		sim->sec.prepared = true;
		rtf(sim, res, 0x50, 0, 0, 0);
		return 0;
	}
	if (blk == NULL || cmd->len < 512)
		return abort_cmd(sim, res, 0);
	master = blk[0] & 0x01;
	switch (op) {
	case ATA_OP_SEC_SET_PASS:
		if (sim->sec.locked)
			return abort_cmd(sim, res, 0);
		if (master) {
			memcpy(sim->sec.master_pw, blk + 2, 32);
		} else {
			memcpy(sim->sec.user_pw, blk + 2, 32);
			sim->sec.enabled = true;
			sim->sec.master_maximum = blk[1] & 0x01;
		}
		break;
	case ATA_OP_SEC_UNLOCK:
		if (master ? (sim->sec.master_maximum || !pw_match(blk, sim->sec.master_pw)) :
			     !pw_match(blk, sim->sec.user_pw))
			return bad_password(sim, res);
		sim->sec.locked = false;
		sim->sec.attempts = 0;
		break;
	case ATA_OP_SEC_DISABLE_PASS:
		if (sim->sec.locked || !sim->sec.enabled)
			return abort_cmd(sim, res, 0);
		if (!pw_match(blk, master ? sim->sec.master_pw : sim->sec.user_pw))
			return bad_password(sim, res);
		sim->sec.enabled = false;
		memset(sim->sec.user_pw, 0, 32);
		break;
	case ATA_OP_SEC_ERASE_UNIT: {
		bool enhanced = blk[0] & 0x02;

		/* ERASE UNIT must follow ERASE PREPARE directly. */
		if (!prepared || !sim->sec.enabled)
			return abort_cmd(sim, res, 0);
		if (enhanced && !sim->sec.enhanced)
			return abort_cmd(sim, res, 0);
		if (!pw_match(blk, master ? sim->sec.master_pw : sim->sec.user_pw))
			return bad_password(sim, res);
		sim->sec.erase_calls++;
		if (!sim->san.lie) {
			/* Enhanced reaches the hidden area too; normal only the user area. */
			uint64_t n = enhanced ? sim->native_sectors : sim->sectors;

			memset(sim->data, enhanced ? 0xa5 : 0x00, n * sim->lbs);
		}
		sim->sec.enabled = false;
		sim->sec.locked = false;
		sim->sec.attempts = 0;
		memset(sim->sec.user_pw, 0, 32);
		break;
	}
	default:
		return abort_cmd(sim, res, 0);
	}
	sim_drive_sync_identify(sim);
	rtf(sim, res, 0x50, 0, 0, 0);
	return 0;
}

/* Advance a running ATA sanitize on each status poll. */
static void sanitize_tick(struct sim_drive *sim)
{
	sim_sanitize_tick(sim, sim->san.op == ATA_SANITIZE_CRYPTO ? SIM_ERASE_RANDOM :
			       sim->san.op == ATA_SANITIZE_BLOCK ? SIM_ERASE_ZERO : SIM_ERASE_PATTERN);
}

/* SANITIZE (B4h) and its subcommands. */
static int sanitize(struct sim_drive *sim, const struct ata_cmd *cmd, struct wiper_ata_result *res)
{
	uint16_t feat = cmd->tf.feature, count = cmd->tf.count;
	uint64_t lba = cmd->tf.lba;
	bool supported = sim->san.ata_crypto || sim->san.ata_block || sim->san.ata_overwrite;

	if (!supported)
		return abort_cmd(sim, res, 2);
	if (feat == ATA_SANITIZE_STATUS) {
		uint16_t flags = 0;

		if (count & 1) {
			/* Clearing a failure needs the failure to have been unrestricted. */
			if (sim->san.state == SIM_SAN_FAILED && !sim->san.failure_mode)
				return abort_cmd(sim, res, 1);
			if (sim->san.state == SIM_SAN_FAILED)
				sim->san.state = SIM_SAN_IDLE;
		}
		sanitize_tick(sim);
		if (sim->san.state == SIM_SAN_FAILED)
			return abort_cmd(sim, res, 1);
		if (sim->san.state == SIM_SAN_DONE)
			flags |= 0x8000;
		if (sim->san.state == SIM_SAN_RUNNING)
			flags |= 0x4000;
		if (sim->san.frozen)
			flags |= 0x2000;
		if (sim->san.antifreeze)
			flags |= 0x1000;
		rtf(sim, res, 0x50, 0, flags,
		    sim->san.state == SIM_SAN_RUNNING ? (sim->san.progress & 0xffff) : 0xffff);
		return 0;
	}
	if (feat == ATA_SANITIZE_FREEZE) {
		if (lba != ATA_SANITIZE_KEY_FREEZE)
			return abort_cmd(sim, res, 2);
		if (sim->san.antifreeze)
			return abort_cmd(sim, res, 4);
		sim->san.frozen = true;
		rtf(sim, res, 0x50, 0, 0, 0);
		return 0;
	}
	if (feat == ATA_SANITIZE_ANTIFREEZE) {
		if (lba != ATA_SANITIZE_KEY_ANTIFREEZE || !sim->san.ata_antifreeze_supported)
			return abort_cmd(sim, res, 2);
		sim->san.antifreeze = true;
		rtf(sim, res, 0x50, 0, 0, 0);
		return 0;
	}
	if (sim->san.frozen)
		return abort_cmd(sim, res, 3);
	if (sim->sec.locked)
		return abort_cmd(sim, res, 0);
	if (sim->san.state == SIM_SAN_RUNNING)
		return abort_cmd(sim, res, 0);
	switch (feat) {
	case ATA_SANITIZE_CRYPTO:
		if (!sim->san.ata_crypto || lba != ATA_SANITIZE_KEY_CRYPTO)
			return abort_cmd(sim, res, 2);
		break;
	case ATA_SANITIZE_BLOCK:
		if (!sim->san.ata_block || lba != ATA_SANITIZE_KEY_BLOCK)
			return abort_cmd(sim, res, 2);
		break;
	case ATA_SANITIZE_OVERWRITE:
		if (!sim->san.ata_overwrite || (lba >> 32) != ATA_SANITIZE_KEY_OVERWRITE)
			return abort_cmd(sim, res, 2);
		sim->san.pattern = (uint32_t)lba;
		sim->san.passes = (count & 0xf) ? (count & 0xf) : 16;
		break;
	default:
		return abort_cmd(sim, res, 2);
	}
	sim->san.op = feat;
	sim->san.failure_mode = count & 0x10;
	sim->san.state = SIM_SAN_RUNNING;
	sim->san.progress = 0;
	sim->san.started++;
	rtf(sim, res, 0x50, 0, 0, 0);
	return 0;
}

/* DEVICE CONFIGURATION OVERLAY: IDENTIFY (C2h) and RESTORE (C0h). */
static int dco(struct sim_drive *sim, const struct ata_cmd *cmd, void *buf,
	       struct wiper_ata_result *res)
{
	if (!sim->dco_supported)
		return abort_cmd(sim, res, 0);
	if (cmd->tf.feature == 0xc2) {
		uint8_t *b = buf, sum = 0;
		uint64_t max = sim->capacity - 1;
		int i;

		if (b == NULL || cmd->len < 512)
			return abort_cmd(sim, res, 0);
		memset(b, 0, 512);
		b[0] = 0x02; /* revision */
		for (i = 0; i < 4; i++) {
			b[6 + 2 * i] = (uint8_t)(max >> (16 * i));
			b[7 + 2 * i] = (uint8_t)(max >> (16 * i + 8));
		}
		b[510] = 0xa5;
		for (i = 0; i < 511; i++)
			sum = (uint8_t)(sum + b[i]);
		b[511] = (uint8_t)(0x100 - sum);
		rtf(sim, res, 0x50, 0, 0, 0);
		return 0;
	}
	if (cmd->tf.feature == 0xc0) {
		/* RESTORE fails while an HPA is set or the overlay is frozen. */
		if (sim->dco_frozen || sim->sectors < sim->native_sectors)
			return abort_cmd(sim, res, 0);
		sim->native_sectors = sim->capacity;
		rtf(sim, res, 0x50, 0, 0, 0);
		return 0;
	}
	return abort_cmd(sim, res, 0);
}

int sim_ata_exec(struct sim_drive *sim, const struct ata_cmd *cmd, void *buf,
		 struct wiper_ata_result *res)
{
	int rc = 0;

	if (sim->vanished)
		return -ENODEV;
	if (sim->kind == SIM_USB_NOSAT || sim->kind == SIM_SAS) {
		/* The bridge refuses the pass-through CDB: invalid opcode. */
		rc = WIPER_ST_SCSI(0x5, 0x20, 0x00);
		sim_log(sim, "ata", cmd->tf.command, cmd->tf.feature, rc);
		return rc;
	}
	switch (cmd->tf.command) {
	case ATA_OP_IDENTIFY:
		sim->sec.prepared = false;
		if (cmd->len < 512 || buf == NULL) {
			rc = -EINVAL;
			break;
		}
		memcpy(buf, sim->ata_id, 512);
		if (cmd->ck_cond)
			rtf(sim, res, 0x50, 0, 0, 0);
		break;
	case ATA_OP_CHECK_POWER_MODE:
	case ATA_OP_FLUSH_CACHE_EXT:
		sim->sec.prepared = false;
		rtf(sim, res, 0x50, 0, 0xff, 0);
		break;
	case ATA_OP_READ_NATIVE_MAX_EXT:
		sim->sec.prepared = false;
		rtf(sim, res, 0x50, 0, 0, sim->native_sectors - 1);
		break;
	case ATA_OP_SET_MAX_EXT:
		sim->sec.prepared = false;
		if (cmd->tf.lba + 1 > sim->native_sectors || sim->hpa_locked) {
			rc = abort_cmd(sim, res, 0);
			break;
		}
		sim->sectors = cmd->tf.lba + 1;
		{
			uint64_t v = sim->sectors;
			int i;

			for (i = 0; i < 4; i++)
				sim_drive_ata_word(sim, 100 + (unsigned)i, (uint16_t)(v >> (16 * i)));
		}
		if (sim->sectors == sim->native_sectors)
			sim_drive_ata_bits(sim, 85, 0, 0x0400);
		rtf(sim, res, 0x50, 0, 0, cmd->tf.lba);
		break;
	case ATA_OP_SANITIZE:
		sim->sec.prepared = false;
		rc = sanitize(sim, cmd, res);
		break;
	case ATA_OP_DCO:
		sim->sec.prepared = false;
		rc = dco(sim, cmd, buf, res);
		break;
	case ATA_OP_SEC_SET_PASS:
	case ATA_OP_SEC_UNLOCK:
	case ATA_OP_SEC_ERASE_PREPARE:
	case ATA_OP_SEC_ERASE_UNIT:
	case ATA_OP_SEC_FREEZE_LOCK:
	case ATA_OP_SEC_DISABLE_PASS:
		rc = security(sim, cmd, buf, res);
		break;
	default:
		sim->sec.prepared = false;
		rc = abort_cmd(sim, res, 0);
	}
	sim_log(sim, "ata", cmd->tf.command, cmd->tf.feature, rc);
	return rc;
}
