/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Sense data and returned ATA registers, both formats. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "wiper/sense.h"

/* libata's answer to a CK_COND command that succeeded (ATA status 50h). */
static const uint8_t desc_ok[22] = {
	0x72, 0x01, 0x00, 0x1d, 0, 0, 0, 0x0e,
	0x09, 0x0c, 0x01, 0x00, 0x80, 0x01, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0x40, 0x50,
};

static void test_descriptor_ok(void **state)
{
	struct scsi_sense s;
	struct ata_rtf r;

	(void)state;
	assert_int_equal(scsi_sense_decode(desc_ok, sizeof(desc_ok), &s), 0);
	assert_true(s.descriptor);
	assert_int_equal(s.key, SCSI_SK_RECOVERED_ERROR);
	assert_true(scsi_sense_is_ata_info(&s));
	assert_int_equal(ata_rtf_from_sense(desc_ok, sizeof(desc_ok), &r), 0);
	assert_true(r.valid);
	assert_true(r.extend);
	assert_false(r.partial);
	assert_int_equal(r.error, 0x00);
	assert_int_equal(r.count, 0x8001);	/* COUNT(15:8) at d[4], (7:0) at d[5] */
	/* d[6] 31:24=12, d[7] 7:0=34, d[8] 39:32=56, d[9] 15:8=78, d[10] 47:40=9a, d[11] 23:16=bc */
	assert_true(r.lba == 0x9a5612bc7834ULL);
	assert_int_equal(r.device, 0x40);
	assert_int_equal(r.status, 0x50);
}

static void test_descriptor_abort(void **state)
{
	static const uint8_t abrt[22] = {
		0x72, 0x0b, 0x00, 0x00, 0, 0, 0, 0x0e,
		0x09, 0x0c, 0x00, 0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0x40, 0x51,
	};
	struct scsi_sense s;
	struct ata_rtf r;

	(void)state;
	assert_int_equal(scsi_sense_decode(abrt, sizeof(abrt), &s), 0);
	assert_int_equal(s.key, SCSI_SK_ABORTED_COMMAND);
	assert_false(scsi_sense_is_ata_info(&s));
	assert_int_equal(ata_rtf_from_sense(abrt, sizeof(abrt), &r), 0);
	assert_int_equal(r.status, 0x51);
	assert_int_equal(r.error, ATA_ERR_ABRT);
	assert_false(r.extend);
}

static void test_fixed_sat(void **state)
{
	static const uint8_t fixed[18] = {
		0x70, 0x00, 0x01, 0x00, 0x50, 0x40, 0x01, 0x0a,
		0xc0, 0x34, 0x12, 0x00, 0x00, 0x1d, 0, 0, 0, 0,
	};
	struct scsi_sense s;
	struct ata_rtf r;

	(void)state;
	assert_int_equal(scsi_sense_decode(fixed, sizeof(fixed), &s), 0);
	assert_false(s.descriptor);
	assert_true(scsi_sense_is_ata_info(&s));
	assert_int_equal(ata_rtf_from_sense(fixed, sizeof(fixed), &r), 0);
	assert_true(r.partial);
	assert_true(r.extend);
	assert_true(r.count_upper_nonzero);
	assert_false(r.lba_upper_nonzero);
	assert_int_equal(r.status, 0x50);
	assert_int_equal(r.count, 0x01);
	assert_true(r.lba == 0x1234);
}

static void test_fixed_plain_and_progress(void **state)
{
	static const uint8_t invalid_op[18] = {
		0x70, 0x00, 0x05, 0, 0, 0, 0, 0x0a, 0, 0, 0, 0, 0x20, 0x00, 0, 0, 0, 0,
	};
	static const uint8_t progress[18] = {
		0xf0, 0x00, 0x02, 0x00, 0x00, 0x10, 0x00, 0x0a, 0, 0, 0, 0, 0x04, 0x1b, 0, 0x80, 0x80, 0x00,
	};
	struct scsi_sense s;
	struct ata_rtf r;

	(void)state;
	assert_int_equal(scsi_sense_decode(invalid_op, sizeof(invalid_op), &s), 0);
	assert_int_equal(s.key, SCSI_SK_ILLEGAL_REQUEST);
	assert_int_equal(s.asc, 0x20);
	assert_string_equal(scsi_asc_str(s.asc, s.ascq), "invalid command operation code");
	assert_int_equal(ata_rtf_from_sense(invalid_op, sizeof(invalid_op), &r), -ENOENT);

	assert_int_equal(scsi_sense_decode(progress, sizeof(progress), &s), 0);
	assert_int_equal(s.key, SCSI_SK_NOT_READY);
	assert_true(s.info_valid);
	assert_true(s.info == 0x1000);
	assert_true(s.sksv);
	assert_int_equal(s.sks, 0x8000); /* 50 % of 65536 */
	assert_string_equal(scsi_asc_str(0x04, 0x1b), "logical unit not ready, sanitize in progress");
}

static void test_descriptor_progress(void **state)
{
	static const uint8_t d[16] = {
		0x72, 0x02, 0x04, 0x1b, 0, 0, 0, 0x08,
		0x02, 0x06, 0x00, 0x00, 0x80, 0x40, 0x00, 0x00,
	};
	struct scsi_sense s;

	(void)state;
	assert_int_equal(scsi_sense_decode(d, sizeof(d), &s), 0);
	assert_true(s.sksv);
	assert_int_equal(s.sks, 0x4000);
}

static void test_malformed(void **state)
{
	static const uint8_t garbage[4] = { 0x12, 0x34, 0x56, 0x78 };
	static const uint8_t short_desc[5] = { 0x72, 0x01, 0x00, 0x1d, 0x00 };
	static const uint8_t bad_len[22] = {
		0x72, 0x01, 0x00, 0x1d, 0, 0, 0, 0x0e,
		0x09, 0x0a, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x40, 0x50,
	};
	/* Additional length claims more than the buffer holds: the descriptor is cut. */
	static const uint8_t cut[12] = { 0x72, 0x01, 0x00, 0x1d, 0, 0, 0, 0x0e, 0x09, 0x0c, 0, 0 };
	struct scsi_sense s;
	struct ata_rtf r;

	(void)state;
	assert_int_equal(scsi_sense_decode(garbage, sizeof(garbage), &s), -EINVAL);
	assert_int_equal(scsi_sense_decode(NULL, 0, &s), -EINVAL);
	assert_int_equal(scsi_sense_decode(short_desc, sizeof(short_desc), &s), -EINVAL);
	assert_int_equal(ata_rtf_from_sense(bad_len, sizeof(bad_len), &r), -EINVAL);
	assert_int_equal(ata_rtf_from_sense(cut, sizeof(cut), &r), -EINVAL);
	assert_false(r.valid);
	assert_int_equal(ata_rtf_from_sense(garbage, sizeof(garbage), &r), -EINVAL);
}

static void test_libata_61_fixed_layout(void **state)
{
	/* QEMU AHCI under Linux 6.1 answering SANITIZE STATUS EXT (unsupported). */
	static const uint8_t sb[18] = { 0x70, 0x00, 0x0b, 0x00, 0x00, 0x00, 0x00, 0x0a, 0x04,
					0x41, 0x40, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x00 };
	struct ata_rtf r;

	(void)state;
	assert_int_equal(ata_rtf_from_sense(sb, sizeof(sb), &r), 0);
	assert_true(r.valid);
	assert_true(r.partial);
	assert_int_equal(r.status, 0x41);
	assert_int_equal(r.error, ATA_ERR_ABRT);
	assert_int_equal(r.device, 0x40);
	assert_true(r.extend);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_descriptor_ok),
		cmocka_unit_test(test_descriptor_abort),
		cmocka_unit_test(test_fixed_sat),
		cmocka_unit_test(test_fixed_plain_and_progress),
		cmocka_unit_test(test_descriptor_progress),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_libata_61_fixed_layout),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
