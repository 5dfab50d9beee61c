/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ATA IDENTIFY DEVICE decoding and loading (sanitize-reference §1.1, §1.2.4). */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/lib/testutil.h"
#include "wiper/ata-identify.h"

/* Recompute word 255: A5h signature, then the byte that makes all 512 sum to zero. */
static void fix_checksum(uint8_t *id)
{
	uint8_t sum = 0;
	int i;

	id[510] = 0xa5;
	for (i = 0; i < 511; i++)
		sum = (uint8_t)(sum + id[i]);
	id[511] = (uint8_t)-sum;
}

/* Set word @w and keep the checksum right. */
static void set_word(uint8_t *id, unsigned w, uint16_t v)
{
	id[w * 2] = (uint8_t)v;
	id[w * 2 + 1] = (uint8_t)(v >> 8);
	fix_checksum(id);
}

/* Set words @w.. to the little-endian value @v spread over @n words. */
static void set_words(uint8_t *id, unsigned w, unsigned n, uint64_t v)
{
	unsigned i;

	for (i = 0; i < n; i++)
		set_word(id, w + i, (uint16_t)(v >> (16 * i)));
}

/* Store @s as ATA does: space padded, first character of each pair in the high byte. */
static void set_string(uint8_t *id, unsigned w, unsigned nwords, const char *s)
{
	size_t len = strlen(s), i;

	for (i = 0; i < nwords * 2u; i++)
		id[w * 2 + (i ^ 1)] = (uint8_t)(i < len ? s[i] : ' ');
	fix_checksum(id);
}

/* A plausible 48-bit SATA SSD, the base every test edits. */
static void base_block(uint8_t *id)
{
	memset(id, 0, ATA_IDENTIFY_LEN);
	set_string(id, 10, 10, "SER-42");
	set_string(id, 23, 4, "FW1.0");
	set_string(id, 27, 20, "TABULA TEST DISK");
	set_words(id, 60, 2, 0x0fffffff);
	set_word(id, 80, 0x01f0);
	set_word(id, 82, 0x0021);
	set_word(id, 83, 0x6400);
	set_word(id, 84, 0x4000);
	set_word(id, 85, 0x0021);
	set_word(id, 87, 0x4000);
	set_words(id, 100, 4, 2000409264ull);
	set_word(id, 217, 1);
}

/* Parse @id, expecting success. */
static void parse_ok(const uint8_t *id, struct ata_identify *a)
{
	assert_int_equal(ata_identify_parse(id, ATA_IDENTIFY_LEN, a), 0);
}

static void test_strings(void **state)
{
	uint8_t id[ATA_IDENTIFY_LEN];
	struct ata_identify a;

	(void)state;
	base_block(id);
	parse_ok(id, &a);
	assert_string_equal(a.model, "TABULA TEST DISK");
	assert_string_equal(a.serial, "SER-42");
	assert_string_equal(a.firmware, "FW1.0");

	/* Word 27 = 4142h: 'A' is the high byte, so it comes first. */
	set_word(id, 27, 0x4142);
	set_word(id, 28, 0x4344);
	parse_ok(id, &a);
	assert_string_equal(a.model, "ABCDLA TEST DISK");

	/* Right-justified serials lose their leading spaces; a full field keeps every byte. */
	set_string(id, 10, 10, "        WD-WCC4E1234");
	set_string(id, 23, 4, "ABCDEFGH");
	set_string(id, 27, 20, "0123456789012345678901234567890123456789");
	parse_ok(id, &a);
	assert_string_equal(a.serial, "WD-WCC4E1234");
	assert_string_equal(a.firmware, "ABCDEFGH");
	assert_string_equal(a.model, "0123456789012345678901234567890123456789");
	assert_int_equal(strlen(a.model), 40);

	/* NUL padding is padding. */
	memset(id + 23 * 2, 0, 8);
	set_word(id, 23, 0x3132);
	parse_ok(id, &a);
	assert_string_equal(a.firmware, "12");
}

static void test_size_28_vs_48(void **state)
{
	uint8_t id[ATA_IDENTIFY_LEN];
	struct ata_identify a;

	(void)state;
	base_block(id);
	set_words(id, 100, 4, 0x123456789ull);
	parse_ok(id, &a);
	assert_true(a.lba48);
	assert_true(a.sectors == 0x123456789ull);
	assert_true(a.flush_ext);

	/* 83.10 without the 01b signature in bits 15:14 does not count. */
	set_word(id, 83, 0x0400);
	set_words(id, 60, 2, 0x00abcdef);
	parse_ok(id, &a);
	assert_false(a.lba48);
	assert_false(a.flush_ext);
	assert_true(a.sectors == 0x00abcdef);

	set_word(id, 83, 0xc400);
	parse_ok(id, &a);
	assert_false(a.lba48);

	/* Plain 28-bit drive: 60-61 is the size. */
	set_word(id, 83, 0x4000);
	set_words(id, 100, 4, 0);
	set_words(id, 60, 2, 1000000);
	parse_ok(id, &a);
	assert_false(a.lba48);
	assert_true(a.sectors == 1000000);

	/* 48-bit flagged but 100-103 empty: fall back to 60-61. */
	set_word(id, 83, 0x4400);
	parse_ok(id, &a);
	assert_true(a.lba48);
	assert_true(a.sectors == 1000000);
}

static void test_size_extended(void **state)
{
	uint8_t id[ATA_IDENTIFY_LEN];
	struct ata_identify a;

	(void)state;
	base_block(id);
	set_words(id, 100, 4, 1000);
	set_words(id, 230, 4, 0x0000123456789abcull);
	/* 230-233 are ignored unless 69.3 says they are valid. */
	parse_ok(id, &a);
	assert_true(a.sectors == 1000);

	set_word(id, 69, 0x0008);
	parse_ok(id, &a);
	assert_true(a.sectors == 0x0000123456789abcull);

	/* 69.3 set but the words are zero: keep 100-103. */
	set_words(id, 230, 4, 0);
	parse_ok(id, &a);
	assert_true(a.sectors == 1000);
}

static void test_sector_sizes(void **state)
{
	uint8_t id[ATA_IDENTIFY_LEN];
	struct ata_identify a;

	(void)state;
	base_block(id);
	parse_ok(id, &a);
	assert_int_equal(a.logical_sector_size, 512);
	assert_int_equal(a.physical_sector_size, 512);
	assert_int_equal(a.alignment_offset, 0);

	/* 512e: 106 valid, 13 set, 2^3 logical per physical. */
	set_word(id, 106, 0x6003);
	set_word(id, 209, 0x4001);
	parse_ok(id, &a);
	assert_int_equal(a.logical_sector_size, 512);
	assert_int_equal(a.physical_sector_size, 4096);
	assert_int_equal(a.alignment_offset, 1);

	/* 4Kn: 106.12 and 117-118 = 2048 words. */
	set_word(id, 106, 0x5000);
	set_words(id, 117, 2, 2048);
	set_word(id, 209, 0);
	parse_ok(id, &a);
	assert_int_equal(a.logical_sector_size, 4096);
	assert_int_equal(a.physical_sector_size, 4096);

	/* 520-byte sectors (260 words), one per physical. */
	set_words(id, 117, 2, 260);
	parse_ok(id, &a);
	assert_int_equal(a.logical_sector_size, 520);

	/* Without the 01b signature word 106 means nothing. */
	set_word(id, 106, 0xf003);
	set_words(id, 117, 2, 2048);
	parse_ok(id, &a);
	assert_int_equal(a.logical_sector_size, 512);
	assert_int_equal(a.physical_sector_size, 512);
	set_word(id, 106, 0xffff);
	parse_ok(id, &a);
	assert_int_equal(a.logical_sector_size, 512);

	/* An absurd 117-118 is ignored rather than believed. */
	set_word(id, 106, 0x5000);
	set_words(id, 117, 2, 0xffffffffu);
	parse_ok(id, &a);
	assert_int_equal(a.logical_sector_size, 512);
	set_words(id, 117, 2, 0);
	parse_ok(id, &a);
	assert_int_equal(a.logical_sector_size, 512);
}

static void test_security_states(void **state)
{
	uint8_t id[ATA_IDENTIFY_LEN];
	struct ata_identify a;

	(void)state;
	base_block(id);
	set_word(id, 89, 10);
	set_word(id, 128, 0x0000);
	parse_ok(id, &a);
	assert_false(a.sec_supported);
	assert_false(a.sec_frozen);
	assert_int_equal(a.erase_time_min, 0);

	/* SEC2: supported, disabled, frozen. */
	set_word(id, 82, 0x0023);
	set_word(id, 128, 0x0009);
	set_word(id, 92, 0xfffe);
	parse_ok(id, &a);
	assert_true(a.sec_supported);
	assert_false(a.sec_enabled);
	assert_false(a.sec_locked);
	assert_true(a.sec_frozen);
	assert_false(a.sec_count_expired);
	assert_false(a.sec_enhanced_erase);
	assert_false(a.sec_master_maximum);
	assert_int_equal(a.master_password_id, 0xfffe);
	assert_int_equal(a.erase_time_min, 20);

	/* SEC4: enabled and locked, enhanced erase, level Maximum, attempts expired. */
	set_word(id, 128, 0x0137);
	parse_ok(id, &a);
	assert_true(a.sec_enabled);
	assert_true(a.sec_locked);
	assert_false(a.sec_frozen);
	assert_true(a.sec_count_expired);
	assert_true(a.sec_enhanced_erase);
	assert_true(a.sec_master_maximum);

	/* SEC1 with enhanced erase only. */
	set_word(id, 128, 0x0021);
	set_word(id, 92, 0xffff);
	parse_ok(id, &a);
	assert_false(a.sec_enabled);
	assert_false(a.sec_frozen);
	assert_true(a.sec_enhanced_erase);
	assert_int_equal(a.master_password_id, 0);

	/* 128.0 alone is enough when word 82 lost the bit. */
	set_word(id, 82, 0x0021);
	parse_ok(id, &a);
	assert_true(a.sec_supported);
	/* FFFFh in word 128 is not "everything set". */
	set_word(id, 82, 0x0023);
	set_word(id, 128, 0xffff);
	parse_ok(id, &a);
	assert_true(a.sec_supported);
	assert_false(a.sec_locked);
	assert_false(a.sec_frozen);
}

static void test_erase_minutes(void **state)
{
	bool more = true;

	(void)state;
	assert_int_equal(ata_identify_erase_minutes(0x0000, &more), 0);
	assert_false(more);
	assert_int_equal(ata_identify_erase_minutes(0x0001, &more), 2);
	assert_false(more);
	assert_int_equal(ata_identify_erase_minutes(0x00fe, &more), 508);
	assert_false(more);
	assert_int_equal(ata_identify_erase_minutes(0x00ff, &more), 508);
	assert_true(more);
	/* Short format: bits 14:8 are reserved and ignored. */
	assert_int_equal(ata_identify_erase_minutes(0x0164, &more), 200);
	assert_false(more);
	/* Extended format. */
	assert_int_equal(ata_identify_erase_minutes(0x8000, &more), 0);
	assert_false(more);
	assert_int_equal(ata_identify_erase_minutes(0x80ff, &more), 510);
	assert_false(more);
	assert_int_equal(ata_identify_erase_minutes(0x8100, &more), 512);
	assert_false(more);
	assert_int_equal(ata_identify_erase_minutes(0xfffe, &more), 65532);
	assert_false(more);
	assert_int_equal(ata_identify_erase_minutes(0xffff, &more), 65532);
	assert_true(more);
}

static void test_erase_times_in_block(void **state)
{
	uint8_t id[ATA_IDENTIFY_LEN];
	struct ata_identify a;

	(void)state;
	base_block(id);
	set_word(id, 82, 0x0023);
	set_word(id, 128, 0x0021);
	set_word(id, 89, 0x00ff);
	set_word(id, 90, 0x0001);
	parse_ok(id, &a);
	assert_int_equal(a.erase_time_min, 508);
	assert_true(a.erase_time_more);
	assert_int_equal(a.enh_erase_time_min, 2);
	assert_false(a.enh_erase_time_more);

	set_word(id, 89, 0x8000 | 300);
	set_word(id, 90, 0xffff);
	parse_ok(id, &a);
	assert_int_equal(a.erase_time_min, 600);
	assert_false(a.erase_time_more);
	assert_int_equal(a.enh_erase_time_min, 65532);
	assert_true(a.enh_erase_time_more);
}

static void test_sanitize_bits(void **state)
{
	uint8_t id[ATA_IDENTIFY_LEN];
	struct ata_identify a;

	(void)state;
	base_block(id);
	parse_ok(id, &a);
	assert_false(a.sanitize_supported);

	set_word(id, 59, 0xfc10);
	parse_ok(id, &a);
	assert_true(a.sanitize_supported);
	assert_true(a.sanitize_block);
	assert_true(a.sanitize_overwrite);
	assert_true(a.sanitize_crypto);
	assert_true(a.sanitize_acs3_rules);
	assert_true(a.sanitize_antifreeze);

	set_word(id, 59, 0x3000);
	parse_ok(id, &a);
	assert_true(a.sanitize_supported);
	assert_true(a.sanitize_crypto);
	assert_false(a.sanitize_block);
	assert_false(a.sanitize_overwrite);
	assert_false(a.sanitize_acs3_rules);
	assert_false(a.sanitize_antifreeze);

	/* Method bits without 59.12 are not a sanitize feature set. */
	set_word(id, 59, 0xe000);
	parse_ok(id, &a);
	assert_false(a.sanitize_supported);
	assert_false(a.sanitize_crypto);

	set_word(id, 59, 0xffff);
	parse_ok(id, &a);
	assert_false(a.sanitize_supported);
}

static void test_wwn_rotation_features(void **state)
{
	uint8_t id[ATA_IDENTIFY_LEN];
	struct ata_identify a;

	(void)state;
	base_block(id);
	set_word(id, 108, 0x5000);
	set_word(id, 109, 0xc500);
	set_word(id, 110, 0xdead);
	set_word(id, 111, 0xbeef);
	/* Words set but no WWN flag: not trusted. */
	parse_ok(id, &a);
	assert_false(a.wwn_valid);
	assert_true(a.wwn == 0);

	set_word(id, 84, 0x4100);
	parse_ok(id, &a);
	assert_true(a.wwn_valid);
	assert_true(a.wwn == 0x5000c500deadbeefull);

	set_word(id, 84, 0x4000);
	set_word(id, 87, 0x4100);
	parse_ok(id, &a);
	assert_true(a.wwn_valid);

	/* The flag without a signature in bits 15:14 does not count. */
	set_word(id, 87, 0x0100);
	parse_ok(id, &a);
	assert_false(a.wwn_valid);

	set_word(id, 84, 0x4100);
	set_words(id, 108, 4, 0);
	parse_ok(id, &a);
	assert_false(a.wwn_valid);

	assert_int_equal(a.rotation_rate, 1);
	set_word(id, 217, 7200);
	parse_ok(id, &a);
	assert_int_equal(a.rotation_rate, 7200);
	set_word(id, 217, 0x0200);
	parse_ok(id, &a);
	assert_int_equal(a.rotation_rate, 0);
	set_word(id, 217, 0xffff);
	parse_ok(id, &a);
	assert_int_equal(a.rotation_rate, 0);

	set_word(id, 69, 0x4030);
	set_word(id, 169, 0x0001);
	parse_ok(id, &a);
	assert_true(a.trim);
	assert_true(a.trim_drat);
	assert_true(a.trim_rzat);
	assert_true(a.encrypts_all);
	assert_true(a.smart_supported);
	assert_true(a.smart_enabled);
	assert_true(a.write_cache_supported);
	assert_true(a.write_cache_enabled);
	assert_int_equal(a.major_version, 0x01f0);
	assert_false(a.acs3);
}

static void test_hidden_areas(void **state)
{
	uint8_t id[ATA_IDENTIFY_LEN];
	struct ata_identify a;

	(void)state;
	base_block(id);
	parse_ok(id, &a);
	assert_false(a.hpa_supported);
	assert_false(a.hpa_enabled);
	assert_false(a.hpa_security_ext);
	assert_false(a.dco_supported);
	assert_false(a.amac_supported);

	set_word(id, 82, 0x0421);
	set_word(id, 85, 0x0421);
	set_word(id, 83, 0x6d00);
	set_word(id, 86, 0x0100);
	parse_ok(id, &a);
	assert_true(a.hpa_supported);
	assert_true(a.hpa_enabled);
	assert_true(a.hpa_security_ext);
	assert_true(a.dco_supported);

	/* AMAC needs ACS-3 and a valid word 119. */
	set_word(id, 119, 0x4100);
	parse_ok(id, &a);
	assert_false(a.amac_supported);
	set_word(id, 80, 0x01f0 | 0x0400);
	parse_ok(id, &a);
	assert_true(a.acs3);
	assert_true(a.amac_supported);
	set_word(id, 119, 0x0100);
	parse_ok(id, &a);
	assert_false(a.amac_supported);
}

static void test_checksum(void **state)
{
	uint8_t id[ATA_IDENTIFY_LEN];
	struct ata_identify a;

	(void)state;
	base_block(id);
	parse_ok(id, &a);
	assert_int_equal(a.integrity, ATA_ID_INTEGRITY_OK);

	/* One byte changed after the checksum was computed. */
	id[27 * 2] ^= 0x01;
	parse_ok(id, &a);
	assert_int_equal(a.integrity, ATA_ID_INTEGRITY_BAD);
	/* The rest is still decoded; the caller decides what to trust. */
	assert_true(a.sectors == 2000409264ull);

	id[510] = 0x00;
	id[511] = 0x00;
	parse_ok(id, &a);
	assert_int_equal(a.integrity, ATA_ID_INTEGRITY_ABSENT);
}

static void test_reject_empty_and_length(void **state)
{
	uint8_t id[ATA_IDENTIFY_LEN + 1];
	struct ata_identify a;

	(void)state;
	memset(id, 0, sizeof(id));
	assert_int_equal(ata_identify_parse(id, ATA_IDENTIFY_LEN, &a), -EINVAL);
	memset(id, 0xff, sizeof(id));
	assert_int_equal(ata_identify_parse(id, ATA_IDENTIFY_LEN, &a), -EINVAL);

	base_block(id);
	assert_int_equal(ata_identify_parse(id, ATA_IDENTIFY_LEN - 1, &a), -EINVAL);
	assert_int_equal(ata_identify_parse(id, ATA_IDENTIFY_LEN + 1, &a), -EINVAL);
	assert_int_equal(ata_identify_parse(id, 0, &a), -EINVAL);
	assert_int_equal(ata_identify_parse(NULL, ATA_IDENTIFY_LEN, &a), -EINVAL);
}

/* Print @id the way `hdparm --Istdout` does, into a malloc'd string. */
static char *to_hdparm_text(const uint8_t *id, const char *header)
{
	size_t cap = 4096, off = 0;
	char *s = malloc(cap);
	unsigned w;

	assert_non_null(s);
	off += (size_t)snprintf(s, cap, "%s", header);
	for (w = 0; w < 256; w++) {
		unsigned v = (unsigned)(id[w * 2] | id[w * 2 + 1] << 8);

		off += (size_t)snprintf(s + off, cap - off, "%04x%c", v, w % 8 == 7 ? '\n' : ' ');
		assert_true(off < cap);
	}
	return s;
}

/* Run ata_identify_load on a C string, expecting failure with message @want. */
static void load_fails(const char *text, const char *want)
{
	uint8_t out[ATA_IDENTIFY_LEN];
	char err[128];

	assert_int_equal(ata_identify_load((const uint8_t *)text, strlen(text), out, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, want);
}

static void test_load_raw(void **state)
{
	uint8_t id[ATA_IDENTIFY_LEN], out[ATA_IDENTIFY_LEN];
	char err[128];

	(void)state;
	base_block(id);
	assert_int_equal(ata_identify_load(id, sizeof(id), out, err, sizeof(err)), 0);
	assert_memory_equal(id, out, sizeof(id));
	assert_string_equal(err, "");

	assert_int_equal(ata_identify_load(id, 300, out, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "truncated: 300 bytes, expected 512");

	assert_int_equal(ata_identify_load(id, 0, out, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "empty file");

	memset(id, 0, sizeof(id));
	assert_int_equal(ata_identify_load(id, sizeof(id), out, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "all zeros: no drive answered");

	/* A NULL or tiny error buffer must not be written past. */
	assert_int_equal(ata_identify_load(id, sizeof(id), out, NULL, 0), -EINVAL);
	err[0] = 'x';
	err[1] = 'y';
	assert_int_equal(ata_identify_load(id, sizeof(id), out, err, 1), -EINVAL);
	assert_int_equal(err[0], '\0');
	assert_int_equal(err[1], 'y');
}

static void test_load_hdparm_text(void **state)
{
	uint8_t id[ATA_IDENTIFY_LEN], out[ATA_IDENTIFY_LEN];
	struct ata_identify a;
	char err[128];
	char *text;
	size_t i;

	(void)state;
	base_block(id);
	set_word(id, 0, 0x0040);
	set_word(id, 59, 0xb000);
	text = to_hdparm_text(id, "");
	assert_int_equal(ata_identify_load((const uint8_t *)text, strlen(text), out, err,
					   sizeof(err)), 0);
	assert_memory_equal(id, out, sizeof(id));
	parse_ok(out, &a);
	assert_string_equal(a.model, "TABULA TEST DISK");
	assert_int_equal(a.integrity, ATA_ID_INTEGRITY_OK);
	assert_true(a.sanitize_crypto);
	free(text);

	/* hdparm's device header, comments, blank lines, CRLF and tabs are all fine. */
	text = to_hdparm_text(id, "\n/dev/sda:\n# captured by hand\n\n   \n");
	for (i = 0; text[i] != '\0'; i++)
		if (text[i] == ' ' && i % 3 == 0)
			text[i] = '\t';
	assert_int_equal(ata_identify_load((const uint8_t *)text, strlen(text), out, err,
					   sizeof(err)), 0);
	assert_memory_equal(id, out, sizeof(id));
	free(text);
}

static void test_load_text_crlf_upper(void **state)
{
	uint8_t id[ATA_IDENTIFY_LEN], out[ATA_IDENTIFY_LEN];
	char err[128];
	char *buf = malloc(256 * 6 + 1);
	size_t off = 0;
	unsigned w;

	(void)state;
	assert_non_null(buf);
	base_block(id);
	for (w = 0; w < 256; w++)
		off += (size_t)snprintf(buf + off, 256 * 6 + 1 - off, "%04X\r\n",
					(unsigned)(id[w * 2] | id[w * 2 + 1] << 8));
	assert_int_equal(ata_identify_load((const uint8_t *)buf, off, out, err, sizeof(err)), 0);
	assert_memory_equal(id, out, sizeof(id));
	free(buf);
}

static void test_load_text_garbage(void **state)
{
	uint8_t id[ATA_IDENTIFY_LEN];
	char *text, *p;

	(void)state;
	base_block(id);

	/* Word count off by one, either way. */
	text = to_hdparm_text(id, "");
	p = strrchr(text, ' ');
	assert_non_null(p);
	p[1] = '\0';
	load_fails(text, "text has 255 hex words, expected 256");
	free(text);

	text = to_hdparm_text(id, "");
	p = realloc(text, strlen(text) + 6);
	assert_non_null(p);
	text = p;
	strcat(text, "abcd\n");
	load_fails(text, "text has 257 hex words, expected 256");
	free(text);

	/* A bad token on line 3. */
	text = to_hdparm_text(id, "");
	p = text;
	p = strchr(p, '\n') + 1;
	p = strchr(p, '\n') + 1;
	memcpy(p, "zz12", 4);
	load_fails(text, "line 3: 'zz12' is not a hex word");
	free(text);

	/* Comments and blank lines still count as lines. */
	text = to_hdparm_text(id, "# one\n\n");
	p = strchr(text, '\n') + 1;
	p = strchr(p, '\n') + 1;
	p += 5;
	memcpy(p, "12345 678", 9);
	load_fails(text, "line 3: '12345' is not a hex word");
	free(text);

	load_fails("0040 3fff c837 0x10\n", "line 1: '0x10' is not a hex word");
	load_fails("# nothing here\n\n", "text has 0 hex words, expected 256");
	load_fails("hello world this is not an identify block at all, but it is plain text "
		   "and long enough not to be mistaken for 512 raw bytes",
		   "line 1: 'hello' is not a hex word");
	load_fails("0040 xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n",
		   "line 1: 'xxxxxxxxxxxxxxxx...' is not a hex word");

	/* 256 words of zeros are well-formed text but no drive. */
	{
		char *z = to_hdparm_text((const uint8_t[ATA_IDENTIFY_LEN]){ 0 }, "");

		load_fails(z, "all zeros: no drive answered");
		free(z);
	}
}

/* Load a fixture file, or skip the test saying which one is missing. */
static uint8_t *fixture(const char *rel, size_t *len)
{
	char path[512];
	uint8_t *data;

	test_fixture(rel, path, sizeof(path));
	data = test_read_file(path, len);
	if (data == NULL) {
		print_message("SKIP: fixture %s missing\n", path);
		skip();
	}
	return data;
}

/* Assert the values QEMU's AHCI disk in tests/qemu is configured with. */
static void check_qemu_ahci(const uint8_t *raw)
{
	struct ata_identify a;

	parse_ok(raw, &a);
	assert_string_equal(a.model, "QEMU-SATA-TEST");
	assert_string_equal(a.serial, "SATA-SER-0001");
	assert_string_equal(a.firmware, "2.5+");
	assert_true(a.sectors == 131072);
	assert_int_equal(a.logical_sector_size, 512);
	assert_int_equal(a.rotation_rate, 1);
	assert_true(a.wwn_valid);
	assert_true(a.wwn == 0x5000c500deadbeefull);
	assert_false(a.sec_supported);
	assert_false(a.sec_frozen);
	assert_true(a.lba48);
}

static void test_fixture_qemu_ahci_bin(void **state)
{
	uint8_t raw[ATA_IDENTIFY_LEN];
	char err[128];
	uint8_t *data;
	size_t len;

	(void)state;
	data = fixture("ata/qemu-ahci.identify.bin", &len);
	assert_int_equal(len, ATA_IDENTIFY_LEN);
	assert_int_equal(ata_identify_load(data, len, raw, err, sizeof(err)), 0);
	check_qemu_ahci(raw);
	free(data);
}

static void test_fixture_qemu_ahci_text(void **state)
{
	uint8_t raw[ATA_IDENTIFY_LEN], bin[ATA_IDENTIFY_LEN];
	char err[128];
	uint8_t *data;
	size_t len;

	(void)state;
	data = fixture("ata/qemu-ahci.hdparm.txt", &len);
	assert_int_equal(ata_identify_load(data, len, raw, err, sizeof(err)), 0);
	free(data);
	check_qemu_ahci(raw);

	/* If both captures exist they must be the same block. */
	data = fixture("ata/qemu-ahci.identify.bin", &len);
	assert_int_equal(ata_identify_load(data, len, bin, err, sizeof(err)), 0);
	assert_memory_equal(raw, bin, sizeof(raw));
	free(data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_size_28_vs_48),
		cmocka_unit_test(test_size_extended),
		cmocka_unit_test(test_sector_sizes),
		cmocka_unit_test(test_security_states),
		cmocka_unit_test(test_erase_minutes),
		cmocka_unit_test(test_erase_times_in_block),
		cmocka_unit_test(test_sanitize_bits),
		cmocka_unit_test(test_wwn_rotation_features),
		cmocka_unit_test(test_hidden_areas),
		cmocka_unit_test(test_checksum),
		cmocka_unit_test(test_reject_empty_and_length),
		cmocka_unit_test(test_load_raw),
		cmocka_unit_test(test_load_hdparm_text),
		cmocka_unit_test(test_load_text_crlf_upper),
		cmocka_unit_test(test_load_text_garbage),
		cmocka_unit_test(test_fixture_qemu_ahci_bin),
		cmocka_unit_test(test_fixture_qemu_ahci_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
