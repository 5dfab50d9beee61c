/* SPDX-License-Identifier: GPL-3.0-or-later */
/* SCSI INQUIRY, VPD 00h/80h/83h and READ CAPACITY(16): CDBs and decoders (sanitize-reference §3.3). */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "wiper/scsi-inquiry.h"

/* Standard INQUIRY data as a SATL answers, 96 bytes. */
static void std_inquiry(uint8_t *b)
{
	memset(b, 0, 96);
	b[0] = 0x00;
	b[1] = 0x80;
	b[2] = 0x06;
	b[3] = 0x02;
	b[4] = 91;
	memcpy(b + 8, "ATA     Samsung SSD 870 1B6Q", 28);
}

static void test_cdb_inquiry(void **state)
{
	static const uint8_t std[6] = { 0x12, 0x00, 0x00, 0x00, 0x60, 0x00 };
	static const uint8_t vpd80[6] = { 0x12, 0x01, 0x80, 0x00, 0xfc, 0x00 };
	static const uint8_t vpd00[6] = { 0x12, 0x01, 0x00, 0x02, 0x00, 0x00 };
	uint8_t cdb[6];

	(void)state;
	memset(cdb, 0xee, sizeof(cdb));
	scsi_cdb_inquiry(cdb, -1, 96);
	assert_memory_equal(cdb, std, 6);
	scsi_cdb_inquiry(cdb, 0x80, 252);
	assert_memory_equal(cdb, vpd80, 6);
	/* Page 00h still sets EVPD. */
	scsi_cdb_inquiry(cdb, 0x00, 512);
	assert_memory_equal(cdb, vpd00, 6);
}

static void test_cdb_read_capacity16(void **state)
{
	static const uint8_t want[16] = { 0x9e, 0x10, 0, 0, 0, 0, 0, 0, 0, 0,
					  0x00, 0x00, 0x00, 0x20, 0, 0 };
	static const uint8_t big[16] = { 0x9e, 0x10, 0, 0, 0, 0, 0, 0, 0, 0,
					 0x12, 0x34, 0x56, 0x78, 0, 0 };
	uint8_t cdb[16];

	(void)state;
	memset(cdb, 0xee, sizeof(cdb));
	scsi_cdb_read_capacity16(cdb, 32);
	assert_memory_equal(cdb, want, 16);
	scsi_cdb_read_capacity16(cdb, 0x12345678);
	assert_memory_equal(cdb, big, 16);
}

static void test_inquiry_strings(void **state)
{
	struct scsi_inquiry q;
	uint8_t b[96];

	(void)state;
	std_inquiry(b);
	assert_int_equal(scsi_inquiry_parse(b, sizeof(b), &q), 0);
	assert_int_equal(q.peripheral_type, 0);
	assert_true(q.removable);
	assert_int_equal(q.version, 6);
	assert_string_equal(q.vendor, "ATA");
	assert_string_equal(q.product, "Samsung SSD 870");
	assert_string_equal(q.revision, "1B6Q");

	/* Exactly 36 bytes is enough; full-width fields keep every character. */
	memcpy(b + 8, "VENDOR01PRODUCT-NAME-16!REV1", 28);
	b[0] = 0x05;
	b[1] = 0x00;
	b[4] = 31;
	assert_int_equal(scsi_inquiry_parse(b, 36, &q), 0);
	assert_int_equal(q.peripheral_type, 5);
	assert_false(q.removable);
	assert_string_equal(q.vendor, "VENDOR01");
	assert_string_equal(q.product, "PRODUCT-NAME-16!");
	assert_string_equal(q.revision, "REV1");

	/* Fields past ADDITIONAL LENGTH were not sent. */
	b[4] = 19; /* 24 bytes: vendor and the first 8 of product */
	assert_int_equal(scsi_inquiry_parse(b, 96, &q), 0);
	assert_string_equal(q.vendor, "VENDOR01");
	assert_string_equal(q.product, "PRODUCT-");
	assert_string_equal(q.revision, "");
}

static void test_inquiry_short(void **state)
{
	struct scsi_inquiry q;
	uint8_t b[96];

	(void)state;
	std_inquiry(b);
	assert_int_equal(scsi_inquiry_parse(b, 35, &q), -EINVAL);
	assert_int_equal(scsi_inquiry_parse(b, 0, &q), -EINVAL);
	assert_int_equal(scsi_inquiry_parse(NULL, 96, &q), -EINVAL);
}

static void test_vpd80(void **state)
{
	struct scsi_vpd_ids ids;
	uint8_t b[64];

	(void)state;
	memset(&ids, 0, sizeof(ids));
	strcpy(ids.naa, "naa.keep");
	memset(b, 0, sizeof(b));
	b[1] = 0x80;
	b[3] = 20;
	memcpy(b + 4, "      S5STNF0T123456", 20);
	assert_int_equal(scsi_vpd80_parse(b, 24, &ids), 0);
	assert_string_equal(ids.serial, "S5STNF0T123456");
	/* VPD 80h leaves the other identifiers alone. */
	assert_string_equal(ids.naa, "naa.keep");

	/* Truncated: the page says 20 bytes, only 10 came. */
	strcpy(ids.serial, "old");
	assert_int_equal(scsi_vpd80_parse(b, 14, &ids), -EINVAL);
	assert_string_equal(ids.serial, "old");
	assert_int_equal(scsi_vpd80_parse(b, 3, &ids), -EINVAL);
	/* Wrong page code. */
	b[1] = 0x83;
	assert_int_equal(scsi_vpd80_parse(b, 24, &ids), -EINVAL);

	/* An empty serial is a valid page. */
	b[1] = 0x80;
	b[3] = 0;
	assert_int_equal(scsi_vpd80_parse(b, 4, &ids), 0);
	assert_string_equal(ids.serial, "");
}

static void test_vpd80_long(void **state)
{
	struct scsi_vpd_ids ids;
	uint8_t b[4 + 100];

	(void)state;
	memset(b, 'A', sizeof(b));
	b[0] = 0;
	b[1] = 0x80;
	b[2] = 0;
	b[3] = 100;
	assert_int_equal(scsi_vpd80_parse(b, sizeof(b), &ids), 0);
	assert_int_equal(strlen(ids.serial), 64);
}

/* VPD 83h with a T10 vendor id, a target-port NAA, and the LU NAA, in that order. */
static size_t vpd83_page(uint8_t *b)
{
	static const uint8_t t10[] = { 0x02, 0x01, 0x00, 24 };
	static const uint8_t port_naa[] = { 0x61, 0x93, 0x00, 8, 0x50, 0x01, 0x02, 0x03,
					    0x04, 0x05, 0x06, 0x07 };
	static const uint8_t lu_naa[] = { 0x01, 0x03, 0x00, 8, 0x50, 0x00, 0xc5, 0x00,
					  0x12, 0x34, 0x56, 0x78 };
	size_t off = 4;

	memset(b, 0, 256);
	b[1] = 0x83;
	memcpy(b + off, t10, 4);
	memcpy(b + off + 4, "ATA     ST1000DM003-1CH1", 24);
	off += 28;
	memcpy(b + off, port_naa, sizeof(port_naa));
	off += sizeof(port_naa);
	memcpy(b + off, lu_naa, sizeof(lu_naa));
	off += sizeof(lu_naa);
	b[2] = (uint8_t)((off - 4) >> 8);
	b[3] = (uint8_t)(off - 4);
	return off;
}

static void test_vpd83(void **state)
{
	struct scsi_vpd_ids ids;
	uint8_t b[256];
	size_t len;

	(void)state;
	memset(&ids, 0, sizeof(ids));
	strcpy(ids.serial, "keep");
	len = vpd83_page(b);
	assert_int_equal(scsi_vpd83_parse(b, len, &ids), 0);
	assert_string_equal(ids.naa, "naa.5000c50012345678");
	assert_string_equal(ids.t10, "ATA     ST1000DM003-1CH1");
	assert_string_equal(ids.serial, "keep");

	/* A buffer longer than the page is fine. */
	assert_int_equal(scsi_vpd83_parse(b, sizeof(b), &ids), 0);
	assert_string_equal(ids.naa, "naa.5000c50012345678");
}

static void test_vpd83_naa16(void **state)
{
	static const uint8_t page[] = { 0x00, 0x83, 0x00, 20, 0x01, 0x03, 0x00, 16,
					0x60, 0x01, 0x40, 0x50, 0xaa, 0xbb, 0xcc, 0xdd,
					0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77 };
	struct scsi_vpd_ids ids;

	(void)state;
	memset(&ids, 0, sizeof(ids));
	assert_int_equal(scsi_vpd83_parse(page, sizeof(page), &ids), 0);
	assert_string_equal(ids.naa, "naa.60014050aabbccdd0011223344556677");
	assert_string_equal(ids.t10, "");
}

static void test_vpd83_truncated(void **state)
{
	struct scsi_vpd_ids ids;
	uint8_t b[256];
	size_t len;

	(void)state;
	memset(&ids, 0, sizeof(ids));
	strcpy(ids.naa, "naa.old");
	len = vpd83_page(b);
	/* Buffer shorter than the page length. */
	assert_int_equal(scsi_vpd83_parse(b, len - 1, &ids), -EINVAL);
	assert_int_equal(scsi_vpd83_parse(b, 3, &ids), -EINVAL);
	assert_string_equal(ids.naa, "naa.old");

	/* The last designator claims more bytes than the page holds. */
	len = vpd83_page(b);
	b[len - 12 + 3] = 9;
	assert_int_equal(scsi_vpd83_parse(b, len, &ids), -EINVAL);
	assert_string_equal(ids.naa, "naa.old");

	/* A descriptor header cut in half at the end of the page. */
	len = vpd83_page(b);
	b[3] = (uint8_t)(b[3] + 2);
	assert_int_equal(scsi_vpd83_parse(b, len + 2, &ids), -EINVAL);

	/* Wrong page code. */
	len = vpd83_page(b);
	b[1] = 0x80;
	assert_int_equal(scsi_vpd83_parse(b, len, &ids), -EINVAL);

	/* An NAA of an impossible length is skipped, not printed. */
	{
		static const uint8_t odd[] = { 0x00, 0x83, 0x00, 9, 0x01, 0x03, 0x00, 5,
					       0x50, 0x01, 0x02, 0x03, 0x04 };

		assert_int_equal(scsi_vpd83_parse(odd, sizeof(odd), &ids), 0);
		assert_string_equal(ids.naa, "");
	}
}

static void test_vpd00(void **state)
{
	static const uint8_t page[] = { 0x00, 0x00, 0x00, 0x05, 0x00, 0x80, 0x83, 0x89, 0xb1 };

	(void)state;
	assert_true(scsi_vpd00_has(page, sizeof(page), 0x89));
	assert_true(scsi_vpd00_has(page, sizeof(page), 0xb1));
	assert_true(scsi_vpd00_has(page, sizeof(page), 0x80));
	assert_false(scsi_vpd00_has(page, sizeof(page), 0xb0));
	/* Truncated list: nothing is trusted. */
	assert_false(scsi_vpd00_has(page, sizeof(page) - 1, 0x80));
	assert_false(scsi_vpd00_has(page, 3, 0x00));
	assert_false(scsi_vpd00_has(NULL, 0, 0x00));
}

static void test_read_capacity16(void **state)
{
	/* 1953525168 blocks of 512, 8 per physical, aligned at 0, thin with zeros. */
	static const uint8_t r[32] = { 0x00, 0x00, 0x00, 0x00, 0x74, 0x70, 0x6d, 0xaf,
				       0x00, 0x00, 0x02, 0x00, 0x00, 0x03, 0xc0, 0x00 };
	static const uint8_t r4k[32] = { 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
					 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x01, 0x07 };
	struct scsi_capacity c;
	uint8_t bad[32];

	(void)state;
	assert_int_equal(scsi_read_capacity16_parse(r, sizeof(r), &c), 0);
	assert_true(c.blocks == 1953525168ull);
	assert_int_equal(c.block_len, 512);
	assert_int_equal(c.lbppbe, 3);
	assert_int_equal(c.lowest_aligned, 0);
	assert_true(c.tpe);
	assert_true(c.tprz);

	assert_int_equal(scsi_read_capacity16_parse(r4k, sizeof(r4k), &c), 0);
	assert_true(c.blocks == 0x100000001ull);
	assert_int_equal(c.block_len, 4096);
	assert_int_equal(c.lbppbe, 0);
	assert_int_equal(c.lowest_aligned, 0x107);
	assert_false(c.tpe);
	assert_false(c.tprz);

	assert_int_equal(scsi_read_capacity16_parse(r, 15, &c), -EINVAL);
	memcpy(bad, r, sizeof(bad));
	memset(bad + 8, 0, 4);
	assert_int_equal(scsi_read_capacity16_parse(bad, sizeof(bad), &c), -EINVAL);
	memset(bad, 0xff, 8);
	memcpy(bad + 8, r + 8, 4);
	assert_int_equal(scsi_read_capacity16_parse(bad, sizeof(bad), &c), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cdb_inquiry),
		cmocka_unit_test(test_cdb_read_capacity16),
		cmocka_unit_test(test_inquiry_strings),
		cmocka_unit_test(test_inquiry_short),
		cmocka_unit_test(test_vpd80),
		cmocka_unit_test(test_vpd80_long),
		cmocka_unit_test(test_vpd83),
		cmocka_unit_test(test_vpd83_naa16),
		cmocka_unit_test(test_vpd83_truncated),
		cmocka_unit_test(test_vpd00),
		cmocka_unit_test(test_read_capacity16),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
