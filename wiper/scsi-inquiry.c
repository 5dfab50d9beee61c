/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "wiper/scsi-inquiry.h"

#include <errno.h>
#include <string.h>

#include "wiper/base/base.h"

/* Standard INQUIRY data is at least 36 bytes (SPC): everything we decode lies within. */
#define INQ_MIN_LEN 36

/* VPD 83h designator types and associations used here. */
#define DESIG_T10 0x1
#define DESIG_NAA 0x3
#define ASSOC_LU 0x0

void scsi_cdb_inquiry(uint8_t cdb[6], int vpd, uint16_t alloc_len)
{
	memset(cdb, 0, 6);
	cdb[0] = 0x12;
	if (vpd >= 0) {
		cdb[1] = 0x01; /* EVPD */
		cdb[2] = (uint8_t)vpd;
	}
	cdb[3] = (uint8_t)(alloc_len >> 8);
	cdb[4] = (uint8_t)alloc_len;
}

void scsi_cdb_read_capacity16(uint8_t cdb[16], uint32_t alloc_len)
{
	memset(cdb, 0, 16);
	cdb[0] = 0x9e;
	cdb[1] = 0x10; /* service action READ CAPACITY(16) */
	cdb[10] = (uint8_t)(alloc_len >> 24);
	cdb[11] = (uint8_t)(alloc_len >> 16);
	cdb[12] = (uint8_t)(alloc_len >> 8);
	cdb[13] = (uint8_t)alloc_len;
}

/* Read a big-endian 16-bit field. */
static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* Read a big-endian 32-bit field. */
static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Copy the part of field [@off, @off + @n) that lies inside the first @avail bytes. */
static void get_field(const uint8_t *buf, size_t avail, size_t off, size_t n, char *out)
{
	if (avail <= off)
		n = 0;
	else if (avail - off < n)
		n = avail - off;
	base_field_copy(buf + off, n, out);
}

int scsi_inquiry_parse(const uint8_t *buf, size_t len, struct scsi_inquiry *out)
{
	size_t avail;

	if (buf == NULL || out == NULL || len < INQ_MIN_LEN)
		return -EINVAL;
	/* Fields beyond ADDITIONAL LENGTH were not sent, whatever the buffer holds. */
	avail = (size_t)buf[4] + 5;
	if (avail > len)
		avail = len;

	memset(out, 0, sizeof(*out));
	out->peripheral_type = buf[0] & 0x1f;
	out->removable = buf[1] & 0x80;
	out->version = buf[2];
	get_field(buf, avail, 8, 8, out->vendor);
	get_field(buf, avail, 16, 16, out->product);
	get_field(buf, avail, 32, 4, out->revision);
	return 0;
}

/*
 * Check the 4-byte VPD header for page @page and return the page's length
 * including the header, or -EINVAL if @len does not hold all of it.
 */
static int vpd_len(const uint8_t *buf, size_t len, uint8_t page)
{
	size_t total;

	if (buf == NULL || len < 4 || buf[1] != page)
		return -EINVAL;
	total = (size_t)be16(buf + 2) + 4;
	if (total > len)
		return -EINVAL;
	return (int)total;
}

int scsi_vpd80_parse(const uint8_t *buf, size_t len, struct scsi_vpd_ids *ids)
{
	int total = vpd_len(buf, len, 0x80);
	size_t n;

	if (total < 0 || ids == NULL)
		return -EINVAL;
	n = (size_t)total - 4;
	/* Longer serials are cut to the field; none seen in the wild comes near 64. */
	if (n > sizeof(ids->serial) - 1)
		n = sizeof(ids->serial) - 1;
	base_field_copy(buf + 4, n, ids->serial);
	return 0;
}

/* Write "naa." and the designator bytes in lowercase hex into @out (@outlen bytes). */
static void format_naa(const uint8_t *d, size_t n, char *out, size_t outlen)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, o = 4;

	memcpy(out, "naa.", 4);
	for (i = 0; i < n && o + 2 < outlen; i++) {
		out[o++] = hex[d[i] >> 4];
		out[o++] = hex[d[i] & 0x0f];
	}
	out[o] = '\0';
}

int scsi_vpd83_parse(const uint8_t *buf, size_t len, struct scsi_vpd_ids *ids)
{
	char naa[sizeof(ids->naa)] = "", t10[sizeof(ids->t10)] = "";
	int total = vpd_len(buf, len, 0x83);
	size_t off = 4;

	if (total < 0 || ids == NULL)
		return -EINVAL;

	/* Walk every descriptor first, so a damaged page changes nothing in @ids. */
	while (off < (size_t)total) {
		const uint8_t *d = buf + off;
		uint8_t type, assoc;
		size_t dlen;

		if ((size_t)total - off < 4)
			return -EINVAL;
		dlen = d[3];
		if ((size_t)total - off - 4 < dlen)
			return -EINVAL;
		type = d[1] & 0x0f;
		assoc = (d[1] >> 4) & 0x03;

		/* NAA is 8 bytes (types 2, 3, 5) or 16 (type 6); other lengths are malformed. */
		if (type == DESIG_NAA && assoc == ASSOC_LU && naa[0] == '\0' &&
		    (dlen == 8 || dlen == 16))
			format_naa(d + 4, dlen, naa, sizeof(naa));
		if (type == DESIG_T10 && assoc == ASSOC_LU && t10[0] == '\0' && dlen > 0)
			base_field_copy(d + 4, dlen < sizeof(t10) ? dlen : sizeof(t10) - 1, t10);
		off += 4 + dlen;
	}
	memcpy(ids->naa, naa, sizeof(naa));
	memcpy(ids->t10, t10, sizeof(t10));
	return 0;
}

bool scsi_vpd00_has(const uint8_t *buf, size_t len, uint8_t page)
{
	int total = vpd_len(buf, len, 0x00);
	int i;

	if (total < 0)
		return false;
	for (i = 4; i < total; i++)
		if (buf[i] == page)
			return true;
	return false;
}

int scsi_read_capacity16_parse(const uint8_t *buf, size_t len, struct scsi_capacity *out)
{
	uint64_t last;
	uint32_t block_len;

	/* The full answer is 32 bytes; what we decode is in the first 16. */
	if (buf == NULL || out == NULL || len < 16)
		return -EINVAL;
	last = (uint64_t)be32(buf) << 32 | be32(buf + 4);
	block_len = be32(buf + 8);
	/* All-ones would wrap to zero blocks, and a zero block length means nothing. */
	if (last == UINT64_MAX || block_len == 0)
		return -EINVAL;

	memset(out, 0, sizeof(*out));
	out->blocks = last + 1;
	out->block_len = block_len;
	out->lbppbe = buf[13] & 0x0f;
	out->tpe = buf[14] & 0x80;
	out->tprz = buf[14] & 0x40;
	out->lowest_aligned = (uint16_t)((buf[14] & 0x3f) << 8 | buf[15]);
	return 0;
}
