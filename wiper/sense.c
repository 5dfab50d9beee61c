/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "wiper/sense.h"

#include <errno.h>
#include <string.h>

int scsi_sense_decode(const uint8_t *sb, size_t len, struct scsi_sense *out)
{
	uint8_t rc;

	memset(out, 0, sizeof(*out));
	if (sb == NULL || len < 1)
		return -EINVAL;
	rc = sb[0] & 0x7f;
	switch (rc) {
	case 0x70:
	case 0x71:
		/* Fixed format: key at 2, ASC/ASCQ at 12/13 (if the length reaches them). */
		if (len < 3)
			return -EINVAL;
		out->deferred = rc == 0x71;
		out->key = sb[2] & 0x0f;
		if (sb[0] & 0x80) {
			if (len < 7)
				return -EINVAL;
			out->info_valid = true;
			out->info = (uint64_t)sb[3] << 24 | (uint64_t)sb[4] << 16 |
				    (uint64_t)sb[5] << 8 | sb[6];
		}
		if (len >= 14) {
			out->asc = sb[12];
			out->ascq = sb[13];
		}
		if (len >= 18 && (sb[15] & 0x80)) {
			out->sksv = true;
			out->sks = (uint16_t)(sb[16] << 8 | sb[17]);
		}
		break;
	case 0x72:
	case 0x73: {
		size_t total, off;

		if (len < 8)
			return -EINVAL;
		out->descriptor = true;
		out->deferred = rc == 0x73;
		out->key = sb[1] & 0x0f;
		out->asc = sb[2];
		out->ascq = sb[3];
		total = 8 + (size_t)sb[7];
		if (total > len)
			total = len;
		/* Walk the descriptors for information and sense-key-specific data. */
		for (off = 8; off + 2 <= total;) {
			size_t dlen = 2 + (size_t)sb[off + 1];

			if (off + dlen > total)
				break;
			if (sb[off] == 0x00 && dlen >= 12 && (sb[off + 2] & 0x80)) {
				size_t i;

				out->info_valid = true;
				out->info = 0;
				for (i = 0; i < 8; i++)
					out->info = out->info << 8 | sb[off + 4 + i];
			} else if (sb[off] == 0x02 && dlen >= 8 && (sb[off + 4] & 0x80)) {
				out->sksv = true;
				out->sks = (uint16_t)(sb[off + 5] << 8 | sb[off + 6]);
			}
			off += dlen;
		}
		break;
	}
	default:
		return -EINVAL;
	}
	out->valid = true;
	return 0;
}

int ata_rtf_from_sense(const uint8_t *sb, size_t len, struct ata_rtf *out)
{
	uint8_t rc;

	memset(out, 0, sizeof(*out));
	if (sb == NULL || len < 1)
		return -EINVAL;
	rc = sb[0] & 0x7f;
	if (rc == 0x72 || rc == 0x73) {
		size_t total, off;

		if (len < 8)
			return -EINVAL;
		total = 8 + (size_t)sb[7];
		if (total > len)
			total = len;
		for (off = 8; off + 2 <= total;) {
			size_t dlen = 2 + (size_t)sb[off + 1];
			const uint8_t *d = sb + off;

			if (off + dlen > total)
				return -EINVAL;
			if (d[0] == 0x09) {
				/* ATA Status Return descriptor: exactly 14 bytes. */
				if (d[1] != 0x0c)
					return -EINVAL;
				out->extend = d[2] & 0x01;
				out->error = d[3];
				out->count = (uint16_t)(d[4] << 8 | d[5]);
				out->lba = (uint64_t)d[7] | (uint64_t)d[9] << 8 |
					   (uint64_t)d[11] << 16 | (uint64_t)d[6] << 24 |
					   (uint64_t)d[8] << 32 | (uint64_t)d[10] << 40;
				out->device = d[12];
				out->status = d[13];
				out->valid = true;
				return 0;
			}
			off += dlen;
		}
		return -ENOENT;
	}
	if (rc == 0x70 || rc == 0x71) {
		/*
		 * SAT fixed format carries the ATA registers only with
		 * ASC/ASCQ 00h/1Dh; the upper bytes are flagged, not given.
		 */
		if (len < 14)
			return -EINVAL;
		/*
		 * Linux before the mid-2024 fix ("ata: libata-scsi: Fix offsets
		 * for the fixed format sense data", seen on Debian 12's 6.1 with
		 * QEMU AHCI) puts the registers of a failed command 8 bytes too far:
		 * error, status, device, count at 8..11 and the flags at 16, with
		 * ASC/ASCQ 00h/00h and bytes 3..6 left zero.
		 */
		if (sb[12] == 0x00 && sb[13] == 0x00 && !sb[3] && !sb[4] && !sb[5] && !sb[6] &&
		    (sb[9] & (ATA_STAT_DRDY | ATA_STAT_ERR))) {
			out->error = sb[8];
			out->status = sb[9];
			out->device = sb[10];
			out->count = sb[11];
			out->extend = len > 16 && (sb[16] & 0x80);
			out->partial = true;
			out->valid = true;
			return 0;
		}
		if (sb[12] != 0x00 || sb[13] != 0x1d)
			return -ENOENT;
		out->error = sb[3];
		out->status = sb[4];
		out->device = sb[5];
		out->count = sb[6];
		out->extend = sb[8] & 0x80;
		out->count_upper_nonzero = sb[8] & 0x40;
		out->lba_upper_nonzero = sb[8] & 0x20;
		out->lba = (uint64_t)sb[9] | (uint64_t)sb[10] << 8 | (uint64_t)sb[11] << 16;
		out->partial = true;
		out->valid = true;
		return 0;
	}
	return -EINVAL;
}

bool scsi_sense_is_ata_info(const struct scsi_sense *s)
{
	return s->valid && s->key == SCSI_SK_RECOVERED_ERROR && s->asc == 0x00 && s->ascq == 0x1d;
}

const char *scsi_sense_key_str(uint8_t key)
{
	static const char *const names[16] = {
		"No Sense",	   "Recovered Error", "Not Ready",	"Medium Error",
		"Hardware Error",  "Illegal Request", "Unit Attention", "Data Protect",
		"Blank Check",	   "Vendor Specific", "Copy Aborted",	"Aborted Command",
		"Equal (obsolete)", "Volume Overflow", "Miscompare",	"Completed",
	};
	return names[key & 0x0f];
}

static const struct {
	uint8_t asc, ascq;
	const char *text;
} asc_table[] = {
	{ 0x00, 0x00, "no additional sense information" },
	{ 0x00, 0x1d, "ATA pass-through information available" },
	{ 0x04, 0x00, "logical unit not ready" },
	{ 0x04, 0x04, "logical unit not ready, format in progress" },
	{ 0x04, 0x1b, "logical unit not ready, sanitize in progress" },
	{ 0x11, 0x00, "unrecovered read error" },
	{ 0x0c, 0x00, "write error" },
	{ 0x20, 0x00, "invalid command operation code" },
	{ 0x21, 0x00, "logical block address out of range" },
	{ 0x24, 0x00, "invalid field in CDB" },
	{ 0x26, 0x00, "invalid field in parameter list" },
	{ 0x28, 0x00, "not ready to ready change, medium may have changed" },
	{ 0x29, 0x00, "power on, reset, or bus device reset occurred" },
	{ 0x31, 0x00, "medium format corrupted" },
	{ 0x31, 0x03, "sanitize command failed" },
	{ 0x3a, 0x00, "medium not present" },
	{ 0x44, 0x00, "internal target failure" },
};

const char *scsi_asc_str(uint8_t asc, uint8_t ascq)
{
	size_t i;

	for (i = 0; i < sizeof(asc_table) / sizeof(asc_table[0]); i++)
		if (asc_table[i].asc == asc && asc_table[i].ascq == ascq)
			return asc_table[i].text;
	return NULL;
}
