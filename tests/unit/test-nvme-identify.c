/* SPDX-License-Identifier: GPL-3.0-or-later */
/* NVMe Identify Controller / Namespace decoding (sanitize-reference §2.2). */
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
#include "wiper/nvme-identify.h"

/* Store @v little-endian in @n bytes at @off. */
static void put_le(uint8_t *buf, size_t off, size_t n, uint64_t v)
{
	size_t i;

	for (i = 0; i < n; i++)
		buf[off + i] = (uint8_t)(v >> (8 * i));
}

/* Store @s space padded in the @n-byte field at @off. */
static void put_str(uint8_t *buf, size_t off, size_t n, const char *s)
{
	size_t len = strlen(s);

	memset(buf + off, ' ', n);
	memcpy(buf + off, s, len < n ? len : n);
}

/* A controller with nothing optional, the base every test edits. */
static void base_ctrl(uint8_t *c)
{
	memset(c, 0, NVME_IDENTIFY_LEN);
	put_le(c, 0, 2, 0x144d);
	put_le(c, 2, 2, 0xa801);
	put_str(c, 4, 20, "S4EWNX0N123456");
	put_str(c, 24, 40, "Samsung SSD 980 PRO 1TB");
	put_str(c, 64, 8, "5B2QGXA7");
	put_le(c, 80, 4, 0x00010300);
	put_le(c, 516, 4, 1);
}

/* A namespace of @fmts formats (MS 0, LBADS 9 unless changed), format 0 in use. */
static void base_ns(uint8_t *n, unsigned fmts)
{
	unsigned i;

	memset(n, 0, NVME_IDENTIFY_LEN);
	put_le(n, 0, 8, 1953525168ull);
	put_le(n, 8, 8, 1953525168ull);
	put_le(n, 16, 8, 123456ull);
	n[25] = (uint8_t)(fmts - 1);
	for (i = 0; i < fmts; i++)
		n[128 + 4 * i + 2] = 9;
}

static void test_ctrl_strings_ids(void **state)
{
	uint8_t c[NVME_IDENTIFY_LEN];
	struct nvme_ctrl_info n;

	(void)state;
	base_ctrl(c);
	assert_int_equal(nvme_ctrl_info_parse(c, sizeof(c), &n), 0);
	assert_int_equal(n.vid, 0x144d);
	assert_int_equal(n.ssvid, 0xa801);
	assert_string_equal(n.serial, "S4EWNX0N123456");
	assert_string_equal(n.model, "Samsung SSD 980 PRO 1TB");
	assert_string_equal(n.firmware, "5B2QGXA7");
	assert_int_equal(n.version, 0x00010300);
	assert_int_equal(n.nn, 1);
	assert_string_equal(n.subnqn, "");
	assert_int_equal(n.sanicap, 0);
	assert_false(n.san_crypto);
	assert_false(n.vwc_present);

	/* Leading spaces, NUL padding, and a full 40-character model. */
	put_str(c, 4, 20, "   SER  1");
	memset(c + 64, 0, 8);
	memcpy(c + 64, "1.0", 3);
	put_str(c, 24, 40, "0123456789012345678901234567890123456789");
	memcpy(c + 768, "nqn.2014.08.org.nvmexpress:uuid:1234", 36);
	assert_int_equal(nvme_ctrl_info_parse(c, sizeof(c), &n), 0);
	assert_string_equal(n.serial, "SER  1");
	assert_string_equal(n.firmware, "1.0");
	assert_string_equal(n.model, "0123456789012345678901234567890123456789");
	assert_string_equal(n.subnqn, "nqn.2014.08.org.nvmexpress:uuid:1234");

	/* A subnqn filling all 256 bytes stays within the field. */
	memset(c + 768, 'q', 256);
	assert_int_equal(nvme_ctrl_info_parse(c, sizeof(c), &n), 0);
	assert_int_equal(strlen(n.subnqn), 256);
}

static void test_ctrl_oacs_tnvmcap(void **state)
{
	uint8_t c[NVME_IDENTIFY_LEN];
	struct nvme_ctrl_info n;

	(void)state;
	base_ctrl(c);
	put_le(c, 256, 2, 0x010b);
	c[260] = 0x16;
	c[261] = 0x0f;
	put_le(c, 280, 8, 1000204886016ull);
	put_le(c, 288, 8, 7);
	put_le(c, 520, 2, 0x005f);
	assert_int_equal(nvme_ctrl_info_parse(c, sizeof(c), &n), 0);
	assert_int_equal(n.oacs, 0x010b);
	assert_true(n.oacs_security);
	assert_true(n.oacs_format);
	assert_true(n.oacs_ns_mgmt);
	assert_int_equal(n.frmw, 0x16);
	assert_int_equal(n.lpa, 0x0f);
	assert_true(n.tnvmcap_lo == 1000204886016ull);
	assert_true(n.tnvmcap_hi == 7);
	assert_int_equal(n.oncs, 0x005f);

	put_le(c, 256, 2, 0x0004);
	assert_int_equal(nvme_ctrl_info_parse(c, sizeof(c), &n), 0);
	assert_false(n.oacs_security);
	assert_false(n.oacs_format);
	assert_false(n.oacs_ns_mgmt);
}

static void test_ctrl_sanicap(void **state)
{
	uint8_t c[NVME_IDENTIFY_LEN];
	struct nvme_ctrl_info n;

	(void)state;
	base_ctrl(c);
	put_le(c, 328, 4, 0x00000001);
	assert_int_equal(nvme_ctrl_info_parse(c, sizeof(c), &n), 0);
	assert_true(n.san_crypto);
	assert_false(n.san_block);
	assert_false(n.san_overwrite);
	assert_false(n.san_verify);
	assert_false(n.san_ndi);
	assert_int_equal(n.san_nodmmas, 0);

	put_le(c, 328, 4, 0x6000000e);
	assert_int_equal(nvme_ctrl_info_parse(c, sizeof(c), &n), 0);
	assert_int_equal(n.sanicap, 0x6000000e);
	assert_false(n.san_crypto);
	assert_true(n.san_block);
	assert_true(n.san_overwrite);
	assert_true(n.san_verify);
	assert_true(n.san_ndi);
	assert_int_equal(n.san_nodmmas, 1);

	put_le(c, 328, 4, 0x80000000);
	assert_int_equal(nvme_ctrl_info_parse(c, sizeof(c), &n), 0);
	assert_int_equal(n.san_nodmmas, 2);
	assert_false(n.san_ndi);
}

static void test_ctrl_fna_vwc(void **state)
{
	uint8_t c[NVME_IDENTIFY_LEN];
	struct nvme_ctrl_info n;

	(void)state;
	base_ctrl(c);
	c[524] = 0x05;
	c[525] = 0x07;
	assert_int_equal(nvme_ctrl_info_parse(c, sizeof(c), &n), 0);
	assert_int_equal(n.fna, 0x05);
	assert_true(n.fna_format_all);
	assert_false(n.fna_secure_all);
	assert_true(n.fna_crypto);
	assert_false(n.fna_no_broadcast);
	assert_int_equal(n.vwc, 0x07);
	assert_true(n.vwc_present);

	c[524] = 0x0a;
	c[525] = 0x06;
	assert_int_equal(nvme_ctrl_info_parse(c, sizeof(c), &n), 0);
	assert_false(n.fna_format_all);
	assert_true(n.fna_secure_all);
	assert_false(n.fna_crypto);
	assert_true(n.fna_no_broadcast);
	assert_false(n.vwc_present);
}

static void test_ctrl_reject(void **state)
{
	uint8_t c[NVME_IDENTIFY_LEN + 1];
	struct nvme_ctrl_info n;

	(void)state;
	memset(c, 0, sizeof(c));
	assert_int_equal(nvme_ctrl_info_parse(c, NVME_IDENTIFY_LEN, &n), -EINVAL);
	base_ctrl(c);
	assert_int_equal(nvme_ctrl_info_parse(c, NVME_IDENTIFY_LEN - 1, &n), -EINVAL);
	assert_int_equal(nvme_ctrl_info_parse(c, NVME_IDENTIFY_LEN + 1, &n), -EINVAL);
	assert_int_equal(nvme_ctrl_info_parse(c, 512, &n), -EINVAL);
	assert_int_equal(nvme_ctrl_info_parse(NULL, NVME_IDENTIFY_LEN, &n), -EINVAL);
}

static void test_ns_basic(void **state)
{
	uint8_t b[NVME_IDENTIFY_LEN];
	struct nvme_ns_info ns;

	(void)state;
	base_ns(b, 1);
	b[24] = 0x01;
	b[32] = 0x80 | 42;
	b[33] = 0x09;
	assert_int_equal(nvme_ns_info_parse(b, sizeof(b), &ns), 0);
	assert_true(ns.nsze == 1953525168ull);
	assert_true(ns.ncap == 1953525168ull);
	assert_true(ns.nuse == 123456ull);
	assert_int_equal(ns.nsfeat, 0x01);
	assert_int_equal(ns.nlbaf, 0);
	assert_int_equal(ns.lbaf_count, 1);
	assert_int_equal(ns.cur_lbaf, 0);
	assert_int_equal(ns.lba_size, 512);
	assert_int_equal(ns.fpi, 0xaa);
	assert_int_equal(ns.dlfeat, 0x09);
	assert_int_equal(ns.dealloc_read, 1);

	b[33] = 0x02;
	assert_int_equal(nvme_ns_info_parse(b, sizeof(b), &ns), 0);
	assert_int_equal(ns.dealloc_read, 2);
	/* Reserved read behaviours are "unknown". */
	b[33] = 0x05;
	assert_int_equal(nvme_ns_info_parse(b, sizeof(b), &ns), 0);
	assert_int_equal(ns.dealloc_read, 0);
}

static void test_ns_formats_4k(void **state)
{
	uint8_t b[NVME_IDENTIFY_LEN];
	struct nvme_ns_info ns;

	(void)state;
	/* Five formats: 512, 512+8, 4096, 4096+8, 4096+64; 4096 in use. */
	base_ns(b, 5);
	put_le(b, 128 + 4 * 1, 2, 8);
	b[128 + 4 * 2 + 2] = 12;
	b[128 + 4 * 2 + 3] = 0x01;
	put_le(b, 128 + 4 * 3, 2, 8);
	b[128 + 4 * 3 + 2] = 12;
	b[128 + 4 * 3 + 3] = 0x02;
	put_le(b, 128 + 4 * 4, 2, 64);
	b[128 + 4 * 4 + 2] = 12;
	b[128 + 4 * 4 + 3] = 0xff; /* only bits 1:0 are RP */
	b[26] = 0x02;
	assert_int_equal(nvme_ns_info_parse(b, sizeof(b), &ns), 0);
	assert_int_equal(ns.nlbaf, 4);
	assert_int_equal(ns.lbaf_count, 5);
	assert_int_equal(ns.flbas, 0x02);
	assert_int_equal(ns.cur_lbaf, 2);
	assert_int_equal(ns.lba_size, 4096);
	assert_int_equal(ns.lbaf[0].ms, 0);
	assert_int_equal(ns.lbaf[0].lbads, 9);
	assert_int_equal(ns.lbaf[1].ms, 8);
	assert_int_equal(ns.lbaf[1].lbads, 9);
	assert_int_equal(ns.lbaf[2].lbads, 12);
	assert_int_equal(ns.lbaf[2].rp, 1);
	assert_int_equal(ns.lbaf[3].ms, 8);
	assert_int_equal(ns.lbaf[3].rp, 2);
	assert_int_equal(ns.lbaf[4].ms, 64);
	assert_int_equal(ns.lbaf[4].rp, 3);
	assert_int_equal(ns.lbaf[5].lbads, 0);

	/* Bit 4 (metadata at end of LBA) does not change the index. */
	b[26] = 0x13;
	assert_int_equal(nvme_ns_info_parse(b, sizeof(b), &ns), 0);
	assert_int_equal(ns.cur_lbaf, 3);
	assert_int_equal(ns.lba_size, 4096);

	/* With 16 or fewer formats, bits 6:5 are reserved and ignored. */
	b[26] = 0x62;
	assert_int_equal(nvme_ns_info_parse(b, sizeof(b), &ns), 0);
	assert_int_equal(ns.cur_lbaf, 2);
}

static void test_ns_many_formats(void **state)
{
	uint8_t b[NVME_IDENTIFY_LEN];
	struct nvme_ns_info ns;

	(void)state;
	/* 64 formats: bits 6:5 are the upper two bits of the index. */
	base_ns(b, 64);
	b[128 + 4 * 37 + 2] = 12;
	b[26] = (uint8_t)((2 << 5) | 5); /* 2 * 16 + 5 = 37 */
	assert_int_equal(nvme_ns_info_parse(b, sizeof(b), &ns), 0);
	assert_int_equal(ns.nlbaf, 63);
	assert_int_equal(ns.lbaf_count, 64);
	assert_int_equal(ns.cur_lbaf, 37);
	assert_int_equal(ns.lba_size, 4096);

	/* An NLBAF beyond the table is capped to the table. */
	b[25] = 200;
	assert_int_equal(nvme_ns_info_parse(b, sizeof(b), &ns), 0);
	assert_int_equal(ns.lbaf_count, 64);
}

static void test_ns_reject(void **state)
{
	uint8_t b[NVME_IDENTIFY_LEN];
	struct nvme_ns_info ns;

	(void)state;
	memset(b, 0, sizeof(b));
	assert_int_equal(nvme_ns_info_parse(b, sizeof(b), &ns), -EINVAL);
	base_ns(b, 2);
	assert_int_equal(nvme_ns_info_parse(b, sizeof(b) - 1, &ns), -EINVAL);
	/* Format in use beyond the table. */
	b[26] = 0x02;
	assert_int_equal(nvme_ns_info_parse(b, sizeof(b), &ns), -EINVAL);
	/* Format in use with an impossible LBADS. */
	b[26] = 0x01;
	b[128 + 4 + 2] = 8;
	assert_int_equal(nvme_ns_info_parse(b, sizeof(b), &ns), -EINVAL);
	b[128 + 4 + 2] = 32;
	assert_int_equal(nvme_ns_info_parse(b, sizeof(b), &ns), -EINVAL);
	b[128 + 4 + 2] = 12;
	assert_int_equal(nvme_ns_info_parse(b, sizeof(b), &ns), 0);
	assert_int_equal(ns.lba_size, 4096);
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

static void test_fixture_qemu_ctrl(void **state)
{
	struct nvme_ctrl_info n;
	uint8_t *data;
	size_t len;

	(void)state;
	data = fixture("nvme/qemu-id-ctrl.bin", &len);
	assert_int_equal(len, NVME_IDENTIFY_LEN);
	assert_int_equal(nvme_ctrl_info_parse(data, len, &n), 0);
	assert_string_equal(n.serial, "NVME-SER-0001");
	assert_string_equal(n.model, "QEMU NVMe Ctrl");
	assert_string_equal(n.firmware, "7.2.22");
	assert_int_equal(n.vid, 0x1b36);
	assert_int_equal(n.oacs, 0x10a);
	assert_true(n.oacs_format);
	assert_int_equal(n.sanicap, 0);
	assert_int_equal(n.fna, 0);
	free(data);
}

static void test_fixture_qemu_ns(void **state)
{
	struct nvme_ns_info ns;
	uint8_t *data;
	size_t len;

	(void)state;
	data = fixture("nvme/qemu-id-ns.bin", &len);
	assert_int_equal(len, NVME_IDENTIFY_LEN);
	assert_int_equal(nvme_ns_info_parse(data, len, &ns), 0);
	/* Whatever QEMU was started with, the format in use must be a real one. */
	assert_true(ns.nsze > 0);
	assert_true(ns.lba_size == 512 || ns.lba_size == 4096);
	assert_true(ns.cur_lbaf < ns.lbaf_count);
	free(data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ctrl_strings_ids),
		cmocka_unit_test(test_ctrl_oacs_tnvmcap),
		cmocka_unit_test(test_ctrl_sanicap),
		cmocka_unit_test(test_ctrl_fna_vwc),
		cmocka_unit_test(test_ctrl_reject),
		cmocka_unit_test(test_ns_basic),
		cmocka_unit_test(test_ns_formats_4k),
		cmocka_unit_test(test_ns_many_formats),
		cmocka_unit_test(test_ns_reject),
		cmocka_unit_test(test_fixture_qemu_ctrl),
		cmocka_unit_test(test_fixture_qemu_ns),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
