/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Decoding of the 512-byte ATA IDENTIFY DEVICE block. Pure functions; the same
 * decoder serves live drives, the simulator and `wiper decode ata-identify`.
 */
#ifndef WIPER_ATA_IDENTIFY_H
#define WIPER_ATA_IDENTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ATA_IDENTIFY_LEN 512

/* Integrity word 255: absent (no A5h signature), good, or bad checksum. */
enum ata_id_integrity { ATA_ID_INTEGRITY_ABSENT, ATA_ID_INTEGRITY_OK, ATA_ID_INTEGRITY_BAD };

struct ata_identify {
	char model[41];		/* words 27-46, trimmed */
	char serial[21];	/* words 10-19, trimmed */
	char firmware[9];	/* words 23-26, trimmed */
	uint64_t wwn;		/* words 108-111; 0 if absent */
	bool wwn_valid;

	bool lba48;			/* 83.10 */
	uint64_t sectors;		/* 100-103 if lba48 (230-233 if 69.3), else 60-61 */
	uint32_t logical_sector_size;	/* 512 unless 106.12: words 117-118 (words) * 2 */
	uint32_t physical_sector_size;	/* logical << (106 bits 3:0) when 106.13 */
	uint16_t alignment_offset;	/* 209 bits 13:0, in logical sectors */
	uint16_t rotation_rate;		/* 217: 0 unknown, 1 non-rotating, else rpm */
	uint16_t major_version;		/* word 80 */
	bool acs3;			/* 80.10 */

	bool trim;			/* 169.0 */
	bool trim_drat, trim_rzat;	/* 69.14, 69.5 */
	bool encrypts_all;		/* 69.4 */

	bool smart_supported;		/* 82.0 */
	bool smart_enabled;		/* 85.0 */
	bool write_cache_supported;	/* 82.5 */
	bool write_cache_enabled;	/* 85.5 */
	bool flush_ext;			/* 83.13 */

	/* Security feature set (word 128, 82.1, 89, 90, 92). */
	bool sec_supported, sec_enabled, sec_locked, sec_frozen, sec_count_expired;
	bool sec_enhanced_erase;
	bool sec_master_maximum;	/* 128.8: 1 = Maximum, 0 = High */
	uint16_t master_password_id;	/* word 92; 0 if not supported */
	unsigned erase_time_min;	/* word 89 decoded; 0 = not reported */
	bool erase_time_more;		/* "more than" the value */
	unsigned enh_erase_time_min;	/* word 90 decoded */
	bool enh_erase_time_more;

	/* Sanitize feature set (word 59). */
	bool sanitize_supported, sanitize_crypto, sanitize_block, sanitize_overwrite;
	bool sanitize_antifreeze, sanitize_acs3_rules;

	/* Hidden areas. */
	bool hpa_supported, hpa_enabled;	/* 82.10, 85.10 */
	bool hpa_security_ext;			/* 83.8 supported and 86.8 enabled */
	bool dco_supported;			/* 83.11 */
	bool amac_supported;			/* 119.8 (ACS-3) */

	enum ata_id_integrity integrity;
};

/*
 * Decode @buf (exactly 512 bytes, little-endian words as the drive sends them).
 * Returns 0, or -EINVAL if @len is not 512 or the block is all zeros or all
 * ones (no drive answered). A bad checksum is not an error: it is reported in
 * @out->integrity, and callers decide whether to trust the rest.
 */
int ata_identify_parse(const uint8_t *buf, size_t len, struct ata_identify *out);

/* Decode an erase-time word (89 or 90) into minutes; *@more set for "more than". */
unsigned ata_identify_erase_minutes(uint16_t word, bool *more);

/*
 * Read a saved IDENTIFY: 512 raw bytes, or the text dump that `hdparm --Istdout`
 * prints (256 hex words, 8 per line, whitespace free-form). Returns 0 and fills
 * @out (512 bytes), or -EINVAL with a reason in @err.
 */
int ata_identify_load(const uint8_t *data, size_t len, uint8_t out[ATA_IDENTIFY_LEN],
		      char *err, size_t errlen);

#endif
