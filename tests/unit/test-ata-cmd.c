/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ATA PASS-THROUGH(16) encoding, byte for byte (sanitize-reference §1.4). */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "wiper/ata-cmd.h"

/* Encode @cmd and compare with @want. */
static void expect_cdb(const struct ata_cmd *cmd, const uint8_t want[16])
{
	uint8_t cdb[16];

	assert_int_equal(ata_cmd_encode_pt16(cmd, cdb), 0);
	assert_memory_equal(cdb, want, 16);
}

static void test_identify(void **state)
{
	static const uint8_t want[16] = { 0x85, 0x08, 0x0e, 0, 0, 0, 0x01, 0, 0, 0, 0, 0, 0, 0x40, 0xec, 0 };
	struct ata_cmd c;

	(void)state;
	ata_cmd_identify(&c);
	assert_int_equal(c.len, 512);
	expect_cdb(&c, want);
}

static void test_sanitize_status(void **state)
{
	static const uint8_t want[16] = { 0x85, 0x07, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x40, 0xb4, 0 };
	static const uint8_t clear[16] = { 0x85, 0x07, 0x20, 0, 0, 0, 0x01, 0, 0, 0, 0, 0, 0, 0x40, 0xb4, 0 };
	struct ata_cmd c;

	(void)state;
	ata_cmd_sanitize_status(&c, false);
	expect_cdb(&c, want);
	ata_cmd_sanitize_status(&c, true);
	expect_cdb(&c, clear);
}

static void test_sanitize_block_crypto(void **state)
{
	static const uint8_t block[16] = { 0x85, 0x07, 0x20, 0x00, 0x12, 0x00, 0x00, 0x42, 0x72, 0x00, 0x45, 0x00, 0x6b, 0x40, 0xb4, 0x00 };
	static const uint8_t block_fm[16] = { 0x85, 0x07, 0x20, 0x00, 0x12, 0x00, 0x10, 0x42, 0x72, 0x00, 0x45, 0x00, 0x6b, 0x40, 0xb4, 0x00 };
	static const uint8_t crypto[16] = { 0x85, 0x07, 0x20, 0x00, 0x11, 0x00, 0x00, 0x43, 0x70, 0x00, 0x79, 0x00, 0x72, 0x40, 0xb4, 0x00 };
	struct ata_cmd c;

	(void)state;
	ata_cmd_sanitize_block(&c, false);
	expect_cdb(&c, block);
	ata_cmd_sanitize_block(&c, true);
	expect_cdb(&c, block_fm);
	ata_cmd_sanitize_crypto(&c, false);
	expect_cdb(&c, crypto);
}

static void test_sanitize_overwrite(void **state)
{
	static const uint8_t one_pass[16] = { 0x85, 0x07, 0x20, 0x00, 0x14, 0x00, 0x01, 0x00, 0x00, 0x57, 0x00, 0x4f, 0x00, 0x40, 0xb4, 0x00 };
	/* Pattern 0xA1B2C3D4 lands in LBA(31:0): bytes 7 (31:24), 12 (23:16), 10 (15:8), 8 (7:0). */
	static const uint8_t pat16[16] = { 0x85, 0x07, 0x20, 0x00, 0x14, 0x00, 0x80, 0xa1, 0xd4, 0x57, 0xc3, 0x4f, 0xb2, 0x40, 0xb4, 0x00 };
	struct ata_cmd c;

	(void)state;
	assert_int_equal(ata_cmd_sanitize_overwrite(&c, 0, 1, false, false), 0);
	expect_cdb(&c, one_pass);
	/* 16 passes encode as 0; invert sets bit 7. */
	assert_int_equal(ata_cmd_sanitize_overwrite(&c, 0xa1b2c3d4, 16, true, false), 0);
	expect_cdb(&c, pat16);
	assert_int_equal(ata_cmd_sanitize_overwrite(&c, 0, 0, false, false), -EINVAL);
	assert_int_equal(ata_cmd_sanitize_overwrite(&c, 0, 17, false, false), -EINVAL);
}

static void test_freeze_antifreeze(void **state)
{
	static const uint8_t freeze[16] = { 0x85, 0x07, 0x20, 0x00, 0x20, 0x00, 0x00, 0x46, 0x6b, 0x00, 0x4c, 0x00, 0x72, 0x40, 0xb4, 0x00 };
	static const uint8_t anti[16] = { 0x85, 0x07, 0x20, 0x00, 0x40, 0x00, 0x00, 0x41, 0x69, 0x00, 0x74, 0x00, 0x6e, 0x40, 0xb4, 0x00 };
	struct ata_cmd c;

	(void)state;
	ata_cmd_sanitize_freeze(&c);
	expect_cdb(&c, freeze);
	ata_cmd_sanitize_antifreeze(&c);
	expect_cdb(&c, anti);
}

static void test_security(void **state)
{
	static const uint8_t setpw[16] = { 0x85, 0x0a, 0x06, 0, 0, 0, 0x01, 0, 0, 0, 0, 0, 0, 0x40, 0xf1, 0 };
	static const uint8_t prep[16] = { 0x85, 0x06, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x40, 0xf3, 0 };
	static const uint8_t erase[16] = { 0x85, 0x0a, 0x06, 0, 0, 0, 0x01, 0, 0, 0, 0, 0, 0, 0x40, 0xf4, 0 };
	struct ata_cmd c;

	(void)state;
	ata_cmd_security_pio_out(&c, ATA_OP_SEC_SET_PASS);
	expect_cdb(&c, setpw);
	ata_cmd_security_erase_prepare(&c);
	expect_cdb(&c, prep);
	ata_cmd_security_pio_out(&c, ATA_OP_SEC_ERASE_UNIT);
	expect_cdb(&c, erase);
}

static void test_hidden_and_flush(void **state)
{
	static const uint8_t rnm[16] = { 0x85, 0x07, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x40, 0x27, 0 };
	static const uint8_t amac[16] = { 0x85, 0x07, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x40, 0x78, 0 };
	static const uint8_t dco[16] = { 0x85, 0x08, 0x0e, 0x00, 0xc2, 0, 0x01, 0, 0, 0, 0, 0, 0, 0x40, 0xb1, 0 };
	static const uint8_t flush[16] = { 0x85, 0x07, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x40, 0xea, 0 };
	static const uint8_t cpm[16] = { 0x85, 0x06, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x40, 0xe5, 0 };
	struct ata_cmd c;

	(void)state;
	ata_cmd_read_native_max_ext(&c);
	expect_cdb(&c, rnm);
	ata_cmd_get_native_max_amac(&c);
	expect_cdb(&c, amac);
	ata_cmd_dco_identify(&c);
	expect_cdb(&c, dco);
	ata_cmd_flush_cache_ext(&c);
	expect_cdb(&c, flush);
	ata_cmd_check_power_mode(&c);
	expect_cdb(&c, cpm);
}

static void test_smart_and_28bit_lba(void **state)
{
	static const uint8_t smart[16] = { 0x85, 0x08, 0x0e, 0x00, 0xd0, 0x00, 0x01, 0x00, 0x00, 0x00, 0x4f, 0x00, 0xc2, 0x40, 0xb0, 0x00 };
	struct ata_cmd c;
	uint8_t cdb[16];

	(void)state;
	ata_cmd_smart_read_data(&c);
	expect_cdb(&c, smart);
	/* 28-bit: LBA(27:24) goes into DEVICE bits 3:0. */
	memset(&c, 0, sizeof(c));
	c.tf.command = 0xf9;
	c.tf.lba = 0x0abcdef1;
	c.tf.device = 0x40;
	c.proto = ATA_PROTO_NON_DATA;
	assert_int_equal(ata_cmd_encode_pt16(&c, cdb), 0);
	assert_int_equal(cdb[13], 0x4a);
	assert_int_equal(cdb[12], 0xbc);
	assert_int_equal(cdb[10], 0xde);
	assert_int_equal(cdb[8], 0xf1);
	/* ... and cannot carry more than 28 bits. */
	c.tf.lba = 0x10000000;
	assert_int_equal(ata_cmd_encode_pt16(&c, cdb), -EINVAL);
}

static void test_dco_restore_and_set_max(void **state)
{
	static const uint8_t restore[16] = { 0x85, 0x06, 0x20, 0x00, 0xc0, 0, 0, 0, 0, 0, 0, 0, 0, 0x40, 0xb1, 0 };
	static const uint8_t setmax[16] = { 0x85, 0x07, 0x20, 0x00, 0x00, 0x00, 0x00, 0x34, 0x9a, 0x12, 0x78, 0x00, 0x56, 0x40, 0x37, 0x00 };
	static const uint8_t setmax_keep[16] = { 0x85, 0x07, 0x20, 0x00, 0x00, 0x00, 0x01, 0x34, 0x9a, 0x12, 0x78, 0x00, 0x56, 0x40, 0x37, 0x00 };
	struct ata_cmd c;

	(void)state;
	ata_cmd_dco_restore(&c);
	expect_cdb(&c, restore);
	ata_cmd_set_max_ext(&c, 0x123456789aULL, false);
	expect_cdb(&c, setmax);
	ata_cmd_set_max_ext(&c, 0x123456789aULL, true);
	expect_cdb(&c, setmax_keep);
}

static void test_invalid_lengths(void **state)
{
	struct ata_cmd c;
	uint8_t cdb[16];

	(void)state;
	ata_cmd_identify(&c);
	c.len = 511;
	assert_int_equal(ata_cmd_encode_pt16(&c, cdb), -EINVAL);
	c.len = 512u * 65536u;
	assert_int_equal(ata_cmd_encode_pt16(&c, cdb), -EINVAL);
	ata_cmd_flush_cache_ext(&c);
	c.len = 512; /* data on a non-data protocol */
	assert_int_equal(ata_cmd_encode_pt16(&c, cdb), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identify),
		cmocka_unit_test(test_sanitize_status),
		cmocka_unit_test(test_sanitize_block_crypto),
		cmocka_unit_test(test_sanitize_overwrite),
		cmocka_unit_test(test_freeze_antifreeze),
		cmocka_unit_test(test_security),
		cmocka_unit_test(test_hidden_and_flush),
		cmocka_unit_test(test_smart_and_28bit_lba),
		cmocka_unit_test(test_dco_restore_and_set_max),
		cmocka_unit_test(test_invalid_lengths),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
