/* SPDX-License-Identifier: GPL-3.0-or-later */
/* SCSI SANITIZE and REPORT SUPPORTED OPERATION CODES, byte for byte. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "wiper/scsi-cmd.h"

static void test_sanitize(void **state)
{
	static const uint8_t block[10] = { 0x48, 0x82, 0, 0, 0, 0, 0, 0, 0, 0 };
	static const uint8_t crypto_ause[10] = { 0x48, 0xa3, 0, 0, 0, 0, 0, 0, 0, 0 };
	static const uint8_t ow[10] = { 0x48, 0x81, 0, 0, 0, 0, 0, 0x00, 0x08, 0 };
	static const uint8_t ow_param[8] = { 0x83, 0x00, 0x00, 0x04, 0xde, 0xad, 0xbe, 0xef };
	static const uint8_t exitf[10] = { 0x48, 0x1f, 0, 0, 0, 0, 0, 0, 0, 0 };
	static const uint8_t pat[4] = { 0xde, 0xad, 0xbe, 0xef };
	uint8_t cdb[10], param[16];

	(void)state;
	assert_int_equal(scsi_cdb_sanitize(cdb, SCSI_SANITIZE_BLOCK, true, false, NULL, 0, 0, NULL, 0, false), 0);
	assert_memory_equal(cdb, block, 10);
	assert_int_equal(scsi_cdb_sanitize(cdb, SCSI_SANITIZE_CRYPTO, true, true, NULL, 0, 0, NULL, 0, false), 0);
	assert_memory_equal(cdb, crypto_ause, 10);
	assert_int_equal(scsi_cdb_sanitize(cdb, SCSI_SANITIZE_OVERWRITE, true, false, param, sizeof(param), 3, pat, 4, true), 8);
	assert_memory_equal(cdb, ow, 10);
	assert_memory_equal(param, ow_param, 8);
	assert_int_equal(scsi_cdb_sanitize(cdb, SCSI_SANITIZE_EXIT_FAILURE, false, false, NULL, 0, 0, NULL, 0, false), 0);
	assert_memory_equal(cdb, exitf, 10);
	/* Rejected: AUSE on exit, 0 or 32 passes, a 5-byte pattern, no room. */
	assert_int_equal(scsi_cdb_sanitize(cdb, SCSI_SANITIZE_EXIT_FAILURE, false, true, NULL, 0, 0, NULL, 0, false), -EINVAL);
	assert_int_equal(scsi_cdb_sanitize(cdb, SCSI_SANITIZE_OVERWRITE, true, false, param, sizeof(param), 0, pat, 4, false), -EINVAL);
	assert_int_equal(scsi_cdb_sanitize(cdb, SCSI_SANITIZE_OVERWRITE, true, false, param, sizeof(param), 32, pat, 4, false), -EINVAL);
	assert_int_equal(scsi_cdb_sanitize(cdb, SCSI_SANITIZE_OVERWRITE, true, false, param, sizeof(param), 1, pat, 5, false), -EINVAL);
	assert_int_equal(scsi_cdb_sanitize(cdb, SCSI_SANITIZE_OVERWRITE, true, false, param, 6, 1, pat, 4, false), -EINVAL);
	assert_int_equal(scsi_cdb_sanitize(cdb, 0x04, true, false, NULL, 0, 0, NULL, 0, false), -EINVAL);
}

static void test_report_opcode(void **state)
{
	static const uint8_t want[12] = { 0xa3, 0x0c, 0x03, 0x48, 0x00, 0x02, 0, 0, 0x02, 0x00, 0, 0 };
	uint8_t cdb[12];
	uint8_t ans[4] = { 0, 0x03, 0, 10 };
	bool sup;

	(void)state;
	scsi_cdb_report_opcode(cdb, 0x48, 0x02, 512);
	assert_memory_equal(cdb, want, 12);
	assert_int_equal(scsi_report_opcode_parse(ans, sizeof(ans), &sup), 0);
	assert_true(sup);
	ans[1] = 0x01; /* not supported */
	assert_int_equal(scsi_report_opcode_parse(ans, sizeof(ans), &sup), 0);
	assert_false(sup);
	assert_int_equal(scsi_report_opcode_parse(ans, 2, &sup), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sanitize),
		cmocka_unit_test(test_report_opcode),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
