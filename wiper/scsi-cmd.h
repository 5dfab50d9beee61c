/* SPDX-License-Identifier: GPL-3.0-or-later */
/* SCSI SANITIZE and REPORT SUPPORTED OPERATION CODES (sanitize-reference §3.1). */
#ifndef WIPER_SCSI_CMD_H
#define WIPER_SCSI_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum scsi_sanitize_sa {
	SCSI_SANITIZE_OVERWRITE = 0x01,
	SCSI_SANITIZE_BLOCK = 0x02,
	SCSI_SANITIZE_CRYPTO = 0x03,
	SCSI_SANITIZE_EXIT_FAILURE = 0x1f,
};

/*
 * Build SANITIZE (48h): @immed returns at once, @ause allows an unrestricted
 * exit from failure. For OVERWRITE, @param receives the parameter list
 * (@passes 1..31, @pattern of @plen 1..4 bytes, @invert) and its length is
 * returned; otherwise 0. -EINVAL for bad arguments.
 */
int scsi_cdb_sanitize(uint8_t cdb[10], enum scsi_sanitize_sa sa, bool immed, bool ause,
		      uint8_t *param, size_t param_max, unsigned passes, const uint8_t *pattern,
		      size_t plen, bool invert);

/* REPORT SUPPORTED OPERATION CODES (A3h/0Ch) for one opcode + service action. */
void scsi_cdb_report_opcode(uint8_t cdb[12], uint8_t opcode, uint16_t sa, uint32_t alloc);

/* Decode the one-command answer: SUPPORT field 011b (or 101b) means supported. */
int scsi_report_opcode_parse(const uint8_t *buf, size_t len, bool *supported);

/* REQUEST SENSE (03h), used to poll sanitize progress. */
void scsi_cdb_request_sense(uint8_t cdb[6], uint8_t alloc);

#endif
