/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * ATA commands as taskfiles, and their encoding into SCSI ATA PASS-THROUGH(16)
 * CDBs (SAT, opcode 85h). Everything here is a pure function: bytes in, bytes
 * out. Executing a command is the transport's business (dev-sgio.c, dev-sim.c).
 */
#ifndef WIPER_ATA_CMD_H
#define WIPER_ATA_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ATA opcodes used by Tabula. */
enum {
	ATA_OP_READ_NATIVE_MAX_EXT = 0x27,
	ATA_OP_SET_MAX_EXT = 0x37,
	ATA_OP_AMAC = 0x78,
	ATA_OP_SMART = 0xb0,
	ATA_OP_DCO = 0xb1,
	ATA_OP_SANITIZE = 0xb4,
	ATA_OP_CHECK_POWER_MODE = 0xe5,
	ATA_OP_FLUSH_CACHE_EXT = 0xea,
	ATA_OP_IDENTIFY = 0xec,
	ATA_OP_SET_FEATURES = 0xef,
	ATA_OP_SEC_SET_PASS = 0xf1,
	ATA_OP_SEC_UNLOCK = 0xf2,
	ATA_OP_SEC_ERASE_PREPARE = 0xf3,
	ATA_OP_SEC_ERASE_UNIT = 0xf4,
	ATA_OP_SEC_FREEZE_LOCK = 0xf5,
	ATA_OP_SEC_DISABLE_PASS = 0xf6,
	ATA_OP_READ_NATIVE_MAX = 0xf8,
	ATA_OP_SET_MAX = 0xf9,
};

/* SANITIZE (B4h) subcommands, in FEATURE. */
enum {
	ATA_SANITIZE_STATUS = 0x0000,
	ATA_SANITIZE_CRYPTO = 0x0011,
	ATA_SANITIZE_BLOCK = 0x0012,
	ATA_SANITIZE_OVERWRITE = 0x0014,
	ATA_SANITIZE_FREEZE = 0x0020,
	ATA_SANITIZE_ANTIFREEZE = 0x0040,
};

/* The LBA keys the drive checks before it starts a sanitize. */
#define ATA_SANITIZE_KEY_CRYPTO 0x43727970ULL     /* "Cryp" */
#define ATA_SANITIZE_KEY_BLOCK 0x426b4572ULL      /* "BkEr" */
#define ATA_SANITIZE_KEY_OVERWRITE 0x4f57ULL      /* "OW", in LBA 47:32 */
#define ATA_SANITIZE_KEY_FREEZE 0x46724c6bULL     /* "FrLk" */
#define ATA_SANITIZE_KEY_ANTIFREEZE 0x416e7469ULL /* "Anti" */

/* SAT PROTOCOL field values (byte 1, bits 4:1). */
enum ata_proto {
	ATA_PROTO_NON_DATA = 3,
	ATA_PROTO_PIO_IN = 4,
	ATA_PROTO_PIO_OUT = 5,
	ATA_PROTO_DMA = 6,
	ATA_PROTO_UDMA_IN = 10,
	ATA_PROTO_UDMA_OUT = 11,
	ATA_PROTO_RETURN_INFO = 15,
};

/* A command as the drive sees it: the 48-bit taskfile. */
struct ata_tf {
	uint16_t feature;
	uint16_t count;
	uint64_t lba;	 /* 48 bits used */
	uint8_t device;
	uint8_t command;
};

/* A complete ATA command for a transport to run. */
struct ata_cmd {
	struct ata_tf tf;
	enum ata_proto proto;
	bool ext;	  /* 48-bit command: EXTEND bit */
	bool ck_cond;	  /* ask for the returned registers */
	size_t len;	  /* data length in bytes, a multiple of 512 */
	unsigned timeout_ms;
};

/*
 * Encode @cmd as an ATA PASS-THROUGH(16) CDB into @cdb.
 * Returns 0, or -EINVAL if the command cannot be expressed (a data length
 * that is not a whole number of 512-byte blocks or exceeds 65535 blocks).
 */
int ata_cmd_encode_pt16(const struct ata_cmd *cmd, uint8_t cdb[16]);

/* Constructors for the commands Tabula sends; each fills @cmd completely. */
void ata_cmd_identify(struct ata_cmd *cmd);
void ata_cmd_check_power_mode(struct ata_cmd *cmd);
void ata_cmd_flush_cache_ext(struct ata_cmd *cmd);
void ata_cmd_read_native_max_ext(struct ata_cmd *cmd);
void ata_cmd_get_native_max_amac(struct ata_cmd *cmd);
void ata_cmd_dco_identify(struct ata_cmd *cmd);
void ata_cmd_dco_restore(struct ata_cmd *cmd);
/* SET MAX ADDRESS EXT (37h) to @lba, volatile unless @keep (COUNT bit 0, VV). */
void ata_cmd_set_max_ext(struct ata_cmd *cmd, uint64_t lba, bool keep);
void ata_cmd_smart_read_data(struct ata_cmd *cmd);
void ata_cmd_sanitize_status(struct ata_cmd *cmd, bool clear_failure);
void ata_cmd_sanitize_crypto(struct ata_cmd *cmd, bool failure_mode);
void ata_cmd_sanitize_block(struct ata_cmd *cmd, bool failure_mode);
/* @passes 1..16 (16 is encoded as 0); @invert between passes. */
int ata_cmd_sanitize_overwrite(struct ata_cmd *cmd, uint32_t pattern, unsigned passes,
			       bool invert, bool failure_mode);
void ata_cmd_sanitize_freeze(struct ata_cmd *cmd);
void ata_cmd_sanitize_antifreeze(struct ata_cmd *cmd);
void ata_cmd_security_erase_prepare(struct ata_cmd *cmd);
void ata_cmd_security_pio_out(struct ata_cmd *cmd, uint8_t opcode);

#endif
