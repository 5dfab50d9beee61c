/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "wiper/ata-cmd.h"

#include <errno.h>
#include <string.h>

/* Byte-1 and byte-2 fields of the SAT ATA PASS-THROUGH CDB. */
#define PT_EXTEND 0x01
#define PT_CK_COND 0x20
#define PT_T_DIR_IN 0x08
#define PT_BYT_BLOK 0x04
#define PT_TLEN_COUNT 0x02

int ata_cmd_encode_pt16(const struct ata_cmd *cmd, uint8_t cdb[16])
{
	const struct ata_tf *tf = &cmd->tf;
	uint8_t b2 = 0;

	if (cmd->len % 512 != 0 || cmd->len / 512 > 0xffff)
		return -EINVAL;
	if (cmd->len != 0 && cmd->proto != ATA_PROTO_PIO_IN && cmd->proto != ATA_PROTO_PIO_OUT &&
	    cmd->proto != ATA_PROTO_DMA && cmd->proto != ATA_PROTO_UDMA_IN &&
	    cmd->proto != ATA_PROTO_UDMA_OUT)
		return -EINVAL;
	/* A 28-bit command cannot carry the upper taskfile bytes. */
	if (!cmd->ext && (tf->lba >> 28 || tf->count > 0xff || tf->feature > 0xff))
		return -EINVAL;

	memset(cdb, 0, 16);
	cdb[0] = 0x85;
	cdb[1] = (uint8_t)((cmd->proto & 0x0f) << 1) | (cmd->ext ? PT_EXTEND : 0);

	if (cmd->ck_cond)
		b2 |= PT_CK_COND;
	if (cmd->len != 0) {
		/* The transfer length is in COUNT, counted in 512-byte blocks. */
		b2 |= PT_BYT_BLOK | PT_TLEN_COUNT;
		if (cmd->proto == ATA_PROTO_PIO_IN || cmd->proto == ATA_PROTO_UDMA_IN)
			b2 |= PT_T_DIR_IN;
	}
	cdb[2] = b2;

	cdb[3] = cmd->ext ? (uint8_t)(tf->feature >> 8) : 0;
	cdb[4] = (uint8_t)tf->feature;
	cdb[5] = cmd->ext ? (uint8_t)(tf->count >> 8) : 0;
	cdb[6] = (uint8_t)tf->count;
	if (cmd->ext) {
		cdb[7] = (uint8_t)(tf->lba >> 24);
		cdb[9] = (uint8_t)(tf->lba >> 32);
		cdb[11] = (uint8_t)(tf->lba >> 40);
	}
	cdb[8] = (uint8_t)tf->lba;
	cdb[10] = (uint8_t)(tf->lba >> 8);
	cdb[12] = (uint8_t)(tf->lba >> 16);
	cdb[13] = tf->device;
	/* 28-bit commands keep LBA(27:24) in the low nibble of DEVICE. */
	if (!cmd->ext)
		cdb[13] |= (uint8_t)((tf->lba >> 24) & 0x0f);
	cdb[14] = tf->command;
	return 0;
}

/* Fill @cmd with a non-data command that returns its registers. */
static void non_data(struct ata_cmd *cmd, uint8_t op, uint16_t feature, uint16_t count,
		     uint64_t lba, bool ext)
{
	memset(cmd, 0, sizeof(*cmd));
	cmd->tf.command = op;
	cmd->tf.feature = feature;
	cmd->tf.count = count;
	cmd->tf.lba = lba;
	cmd->tf.device = 0x40;
	cmd->proto = ATA_PROTO_NON_DATA;
	cmd->ext = ext;
	cmd->ck_cond = true;
}

/* Fill @cmd with a one-sector PIO data-in command. */
static void pio_in(struct ata_cmd *cmd, uint8_t op, uint16_t feature)
{
	memset(cmd, 0, sizeof(*cmd));
	cmd->tf.command = op;
	cmd->tf.feature = feature;
	cmd->tf.count = 1;
	cmd->tf.device = 0x40;
	cmd->proto = ATA_PROTO_PIO_IN;
	cmd->len = 512;
}

void ata_cmd_identify(struct ata_cmd *cmd)
{
	pio_in(cmd, ATA_OP_IDENTIFY, 0);
}

void ata_cmd_check_power_mode(struct ata_cmd *cmd)
{
	non_data(cmd, ATA_OP_CHECK_POWER_MODE, 0, 0, 0, false);
}

void ata_cmd_flush_cache_ext(struct ata_cmd *cmd)
{
	non_data(cmd, ATA_OP_FLUSH_CACHE_EXT, 0, 0, 0, true);
}

void ata_cmd_read_native_max_ext(struct ata_cmd *cmd)
{
	non_data(cmd, ATA_OP_READ_NATIVE_MAX_EXT, 0, 0, 0, true);
}

void ata_cmd_get_native_max_amac(struct ata_cmd *cmd)
{
	non_data(cmd, ATA_OP_AMAC, 0x0000, 0, 0, true);
}

void ata_cmd_dco_identify(struct ata_cmd *cmd)
{
	pio_in(cmd, ATA_OP_DCO, 0xc2);
}

void ata_cmd_dco_restore(struct ata_cmd *cmd)
{
	non_data(cmd, ATA_OP_DCO, 0xc0, 0, 0, false);
}

void ata_cmd_set_max_ext(struct ata_cmd *cmd, uint64_t lba, bool keep)
{
	non_data(cmd, ATA_OP_SET_MAX_EXT, 0, keep ? 1 : 0, lba, true);
}

void ata_cmd_smart_read_data(struct ata_cmd *cmd)
{
	pio_in(cmd, ATA_OP_SMART, 0xd0);
	/* SMART commands are keyed by C24Fh in LBA(23:8). */
	cmd->tf.lba = 0xc24f00;
}

void ata_cmd_sanitize_status(struct ata_cmd *cmd, bool clear_failure)
{
	non_data(cmd, ATA_OP_SANITIZE, ATA_SANITIZE_STATUS, clear_failure ? 1 : 0, 0, true);
}

void ata_cmd_sanitize_crypto(struct ata_cmd *cmd, bool failure_mode)
{
	non_data(cmd, ATA_OP_SANITIZE, ATA_SANITIZE_CRYPTO, failure_mode ? 0x10 : 0,
		 ATA_SANITIZE_KEY_CRYPTO, true);
}

void ata_cmd_sanitize_block(struct ata_cmd *cmd, bool failure_mode)
{
	non_data(cmd, ATA_OP_SANITIZE, ATA_SANITIZE_BLOCK, failure_mode ? 0x10 : 0,
		 ATA_SANITIZE_KEY_BLOCK, true);
}

int ata_cmd_sanitize_overwrite(struct ata_cmd *cmd, uint32_t pattern, unsigned passes,
			       bool invert, bool failure_mode)
{
	uint16_t count;

	if (passes < 1 || passes > 16)
		return -EINVAL;
	count = (uint16_t)(passes & 0x0f); /* 16 passes is encoded as 0 */
	if (failure_mode)
		count |= 0x10;
	if (invert)
		count |= 0x80;
	non_data(cmd, ATA_OP_SANITIZE, ATA_SANITIZE_OVERWRITE, count,
		 (ATA_SANITIZE_KEY_OVERWRITE << 32) | pattern, true);
	return 0;
}

void ata_cmd_sanitize_freeze(struct ata_cmd *cmd)
{
	non_data(cmd, ATA_OP_SANITIZE, ATA_SANITIZE_FREEZE, 0, ATA_SANITIZE_KEY_FREEZE, true);
}

void ata_cmd_sanitize_antifreeze(struct ata_cmd *cmd)
{
	non_data(cmd, ATA_OP_SANITIZE, ATA_SANITIZE_ANTIFREEZE, 0, ATA_SANITIZE_KEY_ANTIFREEZE,
		 true);
}

void ata_cmd_security_erase_prepare(struct ata_cmd *cmd)
{
	non_data(cmd, ATA_OP_SEC_ERASE_PREPARE, 0, 0, 0, false);
}

void ata_cmd_security_pio_out(struct ata_cmd *cmd, uint8_t opcode)
{
	memset(cmd, 0, sizeof(*cmd));
	cmd->tf.command = opcode;
	cmd->tf.count = 1;
	cmd->tf.device = 0x40;
	cmd->proto = ATA_PROTO_PIO_OUT;
	cmd->len = 512;
}
