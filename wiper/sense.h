/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * SCSI sense data and the ATA registers a SATL returns in it. Pure decoders.
 */
#ifndef WIPER_SENSE_H
#define WIPER_SENSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	SCSI_SK_NO_SENSE = 0x0,
	SCSI_SK_RECOVERED_ERROR = 0x1,
	SCSI_SK_NOT_READY = 0x2,
	SCSI_SK_MEDIUM_ERROR = 0x3,
	SCSI_SK_HARDWARE_ERROR = 0x4,
	SCSI_SK_ILLEGAL_REQUEST = 0x5,
	SCSI_SK_UNIT_ATTENTION = 0x6,
	SCSI_SK_DATA_PROTECT = 0x7,
	SCSI_SK_ABORTED_COMMAND = 0xb,
};

/* ATA status and error bits. */
#define ATA_STAT_ERR 0x01
#define ATA_STAT_DRQ 0x08
#define ATA_STAT_DF 0x20
#define ATA_STAT_DRDY 0x40
#define ATA_STAT_BSY 0x80
#define ATA_ERR_ABRT 0x04

/* Decoded sense data (either format). */
struct scsi_sense {
	bool valid;
	bool descriptor;	/* response code 72h/73h */
	bool deferred;		/* 71h/73h */
	uint8_t key, asc, ascq;
	bool sksv;		/* sense-key-specific bytes valid */
	uint16_t sks;		/* e.g. progress indication */
	bool info_valid;
	uint64_t info;
};

/* The ATA registers returned by a SATL (ATA Status Return descriptor / fixed). */
struct ata_rtf {
	bool valid;
	bool extend;
	bool count_upper_nonzero; /* fixed format only: high byte lost */
	bool lba_upper_nonzero;	  /* fixed format only */
	bool partial;		  /* fixed format: COUNT(15:8)/LBA(47:24) unknown */
	uint8_t error;
	uint8_t status;
	uint8_t device;
	uint16_t count;
	uint64_t lba;
};

/*
 * Decode @len bytes of sense data. Returns 0 and fills @out, or -EINVAL if the
 * buffer is empty, too short for its response code, or not sense data at all.
 */
int scsi_sense_decode(const uint8_t *sb, size_t len, struct scsi_sense *out);

/*
 * Find the ATA registers in sense data: the ATA Status Return descriptor (09h)
 * of descriptor sense, or the ATA fields of fixed sense (SAT-2+). Returns 0,
 * -ENOENT if the sense holds no ATA registers, -EINVAL if it is malformed.
 */
int ata_rtf_from_sense(const uint8_t *sb, size_t len, struct ata_rtf *out);

/* True for "ATA PASS-THROUGH INFORMATION AVAILABLE" (recovered, 00h/1Dh). */
bool scsi_sense_is_ata_info(const struct scsi_sense *s);

/* A short English phrase for a sense key, and for an ASC/ASCQ pair (or NULL). */
const char *scsi_sense_key_str(uint8_t key);
const char *scsi_asc_str(uint8_t asc, uint8_t ascq);

#endif
