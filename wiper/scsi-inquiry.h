/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * SCSI INQUIRY and VPD pages (00h, 80h, 83h, 89h, B1h): CDB builders and pure
 * decoders.
 */
#ifndef WIPER_SCSI_INQUIRY_H
#define WIPER_SCSI_INQUIRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct scsi_inquiry {
	uint8_t peripheral_type;
	bool removable;
	uint8_t version;
	char vendor[9];
	char product[17];
	char revision[5];
};

struct scsi_vpd_ids {
	char serial[65];	/* VPD 80h */
	char naa[40];		/* VPD 83h: first NAA designator as hex, "naa.5000..." */
	char t10[80];		/* first T10 vendor id designator */
};

/* Build INQUIRY (12h) for the standard page (@vpd < 0) or VPD page @vpd. */
void scsi_cdb_inquiry(uint8_t cdb[6], int vpd, uint16_t alloc_len);
/* Build READ CAPACITY(16). */
void scsi_cdb_read_capacity16(uint8_t cdb[16], uint32_t alloc_len);

/* Decoders: 0, or -EINVAL when the data is too short or inconsistent. */
int scsi_inquiry_parse(const uint8_t *buf, size_t len, struct scsi_inquiry *out);
int scsi_vpd80_parse(const uint8_t *buf, size_t len, struct scsi_vpd_ids *ids);
int scsi_vpd83_parse(const uint8_t *buf, size_t len, struct scsi_vpd_ids *ids);
/* VPD 00h: is @page listed? */
bool scsi_vpd00_has(const uint8_t *buf, size_t len, uint8_t page);

struct scsi_capacity {
	uint64_t blocks;	/* last LBA + 1 */
	uint32_t block_len;
	uint8_t lbppbe;		/* log2(logical per physical) */
	uint16_t lowest_aligned;
	bool tpe, tprz;
};
int scsi_read_capacity16_parse(const uint8_t *buf, size_t len, struct scsi_capacity *out);

#endif
