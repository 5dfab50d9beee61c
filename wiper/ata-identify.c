/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "wiper/ata-identify.h"
#include "wiper/base/hexdigit.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "wiper/base/base.h"

#define ATA_ID_WORDS (ATA_IDENTIFY_LEN / 2)

/* Read IDENTIFY word @w; @buf always holds ATA_IDENTIFY_LEN bytes here. */
static uint16_t word(const uint8_t *buf, unsigned w)
{
	return (uint16_t)(buf[w * 2] | buf[w * 2 + 1] << 8);
}

/* Tell whether a word carries information: 0000h and FFFFh mean "not reported". */
static bool word_valid(uint16_t v)
{
	return v != 0x0000 && v != 0xffff;
}

/* Tell whether a word carrying the 15:14 = 01b signature (83, 84, 87, 106, 119, 209) is valid. */
static bool word_signed(uint16_t v)
{
	return (v & 0xc000) == 0x4000;
}

/* Read @n words from @w up as one number, least significant word first. */
static uint64_t words_le(const uint8_t *buf, unsigned w, unsigned n)
{
	uint64_t v = 0;
	unsigned i;

	for (i = n; i-- > 0;)
		v = v << 16 | word(buf, w + i);
	return v;
}

unsigned ata_identify_erase_minutes(uint16_t w, bool *more)
{
	unsigned v;

	*more = false;
	if (w & 0x8000) {
		/* Extended format: bits 14:0 in units of 2 minutes; 7FFFh means "> 65532 min". */
		v = w & 0x7fff;
		if (v == 0x7fff) {
			*more = true;
			return 65532;
		}
		return v * 2;
	}
	/* Short format: bits 7:0 in units of 2 minutes; FFh means "> 508 min". */
	v = w & 0xff;
	if (v == 0xff) {
		*more = true;
		return 508;
	}
	return v * 2;
}

/* Tell whether all @len bytes of @buf equal @c. */
static bool all_bytes(const uint8_t *buf, size_t len, uint8_t c)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (buf[i] != c)
			return false;
	return true;
}

/* Decide the integrity word state: no A5h signature means the drive did not fill it in. */
static enum ata_id_integrity check_integrity(const uint8_t *buf)
{
	uint8_t sum = 0;
	size_t i;

	if (buf[510] != 0xa5)
		return ATA_ID_INTEGRITY_ABSENT;
	for (i = 0; i < ATA_IDENTIFY_LEN; i++)
		sum = (uint8_t)(sum + buf[i]);
	return sum == 0 ? ATA_ID_INTEGRITY_OK : ATA_ID_INTEGRITY_BAD;
}

/* Fill the capacity and sector geometry fields. */
static void parse_geometry(const uint8_t *buf, struct ata_identify *out)
{
	uint16_t w69 = word(buf, 69), w83 = word(buf, 83), w106 = word(buf, 106);
	uint16_t w209 = word(buf, 209);

	out->lba48 = word_signed(w83) && (w83 & 0x0400);
	out->sectors = words_le(buf, 60, 2);
	if (out->lba48) {
		uint64_t s48 = words_le(buf, 100, 4);
		uint64_t ext = words_le(buf, 230, 4);

		/* Some bridges set 83.10 but leave 100-103 empty; 60-61 is then all we have. */
		if (s48 != 0)
			out->sectors = s48;
		/* ACS-4 moved the authoritative count to 230-233, flagged by 69.3. */
		if (word_valid(w69) && (w69 & 0x0008) && ext != 0)
			out->sectors = ext;
	}

	out->logical_sector_size = 512;
	if (word_signed(w106) && (w106 & 0x1000)) {
		uint32_t lwords = (uint32_t)words_le(buf, 117, 2);

		/*
		 * Only sizes a drive can really have (512 B to 64 KiB) are taken;
		 * anything else is damage, and a huge value would overflow the
		 * byte size and every capacity computed from it.
		 */
		if (lwords >= 256 && lwords <= 32768)
			out->logical_sector_size = lwords * 2;
	}
	out->physical_sector_size = out->logical_sector_size;
	if (word_signed(w106) && (w106 & 0x2000))
		out->physical_sector_size = out->logical_sector_size << (w106 & 0x0f);
	if (word_signed(w209))
		out->alignment_offset = w209 & 0x3fff;
}

/* Fill the security feature set fields (words 82, 89, 90, 92, 128). */
static void parse_security(const uint8_t *buf, struct ata_identify *out)
{
	uint16_t w82 = word(buf, 82), w128 = word(buf, 128), w92 = word(buf, 92);

	/* 128.0 repeats 82.1; either is enough, as some bridges mangle one of them. */
	out->sec_supported = (word_valid(w82) && (w82 & 0x0002)) ||
			     (word_valid(w128) && (w128 & 0x0001));
	if (!out->sec_supported)
		return;
	if (word_valid(w128)) {
		out->sec_enabled = w128 & 0x0002;
		out->sec_locked = w128 & 0x0004;
		out->sec_frozen = w128 & 0x0008;
		out->sec_count_expired = w128 & 0x0010;
		out->sec_enhanced_erase = w128 & 0x0020;
		out->sec_master_maximum = w128 & 0x0100;
	}
	if (word_valid(w92))
		out->master_password_id = w92;
	out->erase_time_min = ata_identify_erase_minutes(word(buf, 89), &out->erase_time_more);
	out->enh_erase_time_min = ata_identify_erase_minutes(word(buf, 90), &out->enh_erase_time_more);
}

int ata_identify_parse(const uint8_t *buf, size_t len, struct ata_identify *out)
{
	uint16_t w59, w69, w80, w82, w83, w84, w85, w86, w87, w119, w169, w217;

	if (buf == NULL || out == NULL || len != ATA_IDENTIFY_LEN)
		return -EINVAL;
	if (all_bytes(buf, len, 0x00) || all_bytes(buf, len, 0xff))
		return -EINVAL;

	memset(out, 0, sizeof(*out));
	base_ata_string(buf, 10, 10, out->serial);
	base_ata_string(buf, 23, 4, out->firmware);
	base_ata_string(buf, 27, 20, out->model);

	w59 = word(buf, 59);
	w69 = word(buf, 69);
	w80 = word(buf, 80);
	w82 = word(buf, 82);
	w83 = word(buf, 83);
	w84 = word(buf, 84);
	w85 = word(buf, 85);
	w86 = word(buf, 86);
	w87 = word(buf, 87);
	w119 = word(buf, 119);
	w169 = word(buf, 169);
	w217 = word(buf, 217);
	/* Treat a word that does not pass its validity test as all zeros. */
	if (!word_valid(w59))
		w59 = 0;
	if (!word_valid(w69))
		w69 = 0;
	if (!word_valid(w80))
		w80 = 0;
	if (!word_valid(w82))
		w82 = 0;
	if (!word_signed(w83))
		w83 = 0;
	if (!word_signed(w84))
		w84 = 0;
	if (!word_valid(w85))
		w85 = 0;
	if (!word_valid(w86))
		w86 = 0;
	if (!word_signed(w87))
		w87 = 0;
	if (!word_signed(w119))
		w119 = 0;
	if (!word_valid(w169))
		w169 = 0;

	parse_geometry(buf, out);

	/* 0401h-FFFEh are rpm; 0002h-0400h and FFFFh are reserved, so report "unknown". */
	if (w217 == 0x0001 || (w217 >= 0x0401 && w217 != 0xffff))
		out->rotation_rate = w217;

	out->major_version = w80;
	out->acs3 = w80 & 0x0400;

	out->trim = w169 & 0x0001;
	out->trim_drat = w69 & 0x4000;
	out->trim_rzat = w69 & 0x0020;
	out->encrypts_all = w69 & 0x0010;

	out->smart_supported = w82 & 0x0001;
	out->smart_enabled = w85 & 0x0001;
	out->write_cache_supported = w82 & 0x0020;
	out->write_cache_enabled = w85 & 0x0020;
	out->flush_ext = w83 & 0x2000;

	/*
	 * The WWN is taken only when the drive says it has one (84.8, or its
	 * copy 87.8): on pre-ATA-7 drives words 108-111 were reserved or
	 * vendor-specific, and a non-zero value there is not a name.
	 */
	if ((w84 & 0x0100) || (w87 & 0x0100)) {
		uint64_t wwn = (uint64_t)word(buf, 108) << 48 | (uint64_t)word(buf, 109) << 32 |
			       (uint64_t)word(buf, 110) << 16 | word(buf, 111);

		if (wwn != 0 && wwn != UINT64_MAX) {
			out->wwn = wwn;
			out->wwn_valid = true;
		}
	}

	parse_security(buf, out);

	if (w59 & 0x1000) {
		out->sanitize_supported = true;
		out->sanitize_block = w59 & 0x8000;
		out->sanitize_overwrite = w59 & 0x4000;
		out->sanitize_crypto = w59 & 0x2000;
		out->sanitize_acs3_rules = w59 & 0x0800;
		out->sanitize_antifreeze = w59 & 0x0400;
	}

	out->hpa_supported = w82 & 0x0400;
	out->hpa_enabled = w85 & 0x0400;
	out->hpa_security_ext = (w83 & 0x0100) && (w86 & 0x0100);
	out->dco_supported = w83 & 0x0800;
	/* hdparm and the standard agree: 119.8 means AMAC only on an ACS-3 drive. */
	out->amac_supported = out->acs3 && (w119 & 0x0100);

	out->integrity = check_integrity(buf);
	return 0;
}

/* Put @msg into @err if there is room for it; truncation is harmless here. */
static void set_err(char *err, size_t errlen, const char *msg)
{
	if (err != NULL && errlen > 0)
		snprintf(err, errlen, "%s", msg);
}

/* Tell whether @c is the whitespace a text dump may contain. */
static bool is_space(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/*
 * Tell whether @data looks like a text dump rather than raw bytes: only
 * printable ASCII and whitespace. A real IDENTIFY block always has control
 * bytes (zeros, at least) in it.
 */
static bool looks_like_text(const uint8_t *data, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!is_space(data[i]) && (data[i] < 0x20 || data[i] > 0x7e))
			return false;
	return true;
}

/* Parse the words of one text line [@p, @end) into @out; *@nwords counts across lines. */
static int load_line(const uint8_t *p, const uint8_t *end, unsigned lineno,
		     uint8_t out[ATA_IDENTIFY_LEN], unsigned *nwords, char *err, size_t errlen)
{
	while (p < end) {
		const uint8_t *tok;
		size_t toklen;
		unsigned v = 0;
		bool ok;
		size_t i;

		while (p < end && is_space(*p))
			p++;
		if (p == end)
			break;
		tok = p;
		while (p < end && !is_space(*p))
			p++;
		toklen = (size_t)(p - tok);

		ok = toklen == 4;
		for (i = 0; ok && i < toklen; i++) {
			int d = wiper_hex_digit(tok[i]);

			if (d < 0)
				ok = false;
			else
				v = v << 4 | (unsigned)d;
		}
		if (!ok) {
			if (err != NULL && errlen > 0) {
				/* Quote at most 16 characters of the offending token. */
				snprintf(err, errlen, "line %u: '%.*s%s' is not a hex word", lineno,
					 (int)(toklen > 16 ? 16 : toklen), (const char *)tok,
					 toklen > 16 ? "..." : "");
			}
			return -EINVAL;
		}
		/* Keep counting past 256 so the error can say how many there were. */
		if (*nwords < ATA_ID_WORDS) {
			out[*nwords * 2] = (uint8_t)v;
			out[*nwords * 2 + 1] = (uint8_t)(v >> 8);
		}
		(*nwords)++;
	}
	return 0;
}

/* Parse the `hdparm --Istdout` text dump in @data into @out. */
static int load_text(const uint8_t *data, size_t len, uint8_t out[ATA_IDENTIFY_LEN], char *err,
		     size_t errlen)
{
	const uint8_t *p = data, *end = data + len;
	unsigned lineno = 0, nwords = 0;
	int rc;

	while (p < end) {
		const uint8_t *eol = memchr(p, '\n', (size_t)(end - p));
		const uint8_t *line_end = eol ? eol : end;
		const uint8_t *first = p, *last = line_end;

		lineno++;
		while (first < last && is_space(*first))
			first++;
		while (last > first && is_space(last[-1]))
			last--;
		/*
		 * Skip blank lines, '#' comments, and the "/dev/sda:" header hdparm
		 * prints before the words when it is given a device.
		 */
		if (first < last && *first != '#' && last[-1] != ':') {
			rc = load_line(first, last, lineno, out, &nwords, err, errlen);
			if (rc < 0)
				return rc;
		}
		p = eol ? eol + 1 : end;
	}
	if (nwords != ATA_ID_WORDS) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "text has %u hex words, expected %u", nwords,
				 (unsigned)ATA_ID_WORDS);
		return -EINVAL;
	}
	return 0;
}

int ata_identify_load(const uint8_t *data, size_t len, uint8_t out[ATA_IDENTIFY_LEN],
		      char *err, size_t errlen)
{
	uint8_t tmp[ATA_IDENTIFY_LEN];
	int rc;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (out == NULL || (data == NULL && len != 0)) {
		set_err(err, errlen, "no data");
		return -EINVAL;
	}
	if (len == 0) {
		set_err(err, errlen, "empty file");
		return -EINVAL;
	}

	/* The shortest possible text dump (256 words and separators) is far longer than 512 bytes. */
	if (len == ATA_IDENTIFY_LEN) {
		memcpy(tmp, data, ATA_IDENTIFY_LEN);
	} else if (looks_like_text(data, len)) {
		memset(tmp, 0, sizeof(tmp));
		rc = load_text(data, len, tmp, err, errlen);
		if (rc < 0)
			return rc;
	} else {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "%s: %zu bytes, expected %u",
				 len < ATA_IDENTIFY_LEN ? "truncated" : "too long", len,
				 (unsigned)ATA_IDENTIFY_LEN);
		return -EINVAL;
	}

	if (all_bytes(tmp, sizeof(tmp), 0x00)) {
		set_err(err, errlen, "all zeros: no drive answered");
		return -EINVAL;
	}
	if (all_bytes(tmp, sizeof(tmp), 0xff)) {
		set_err(err, errlen, "all ones: no drive answered");
		return -EINVAL;
	}
	memcpy(out, tmp, ATA_IDENTIFY_LEN);
	return 0;
}
