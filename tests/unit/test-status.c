/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The one place device statuses become words. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "wiper/status.h"

static void test_words(void **state)
{
	char buf[160];

	(void)state;
	assert_string_equal(wiper_status_str(0, buf, sizeof(buf)), "success");
	assert_string_equal(wiper_status_str(-ENODEV, buf, sizeof(buf)), "No such device");
	assert_string_equal(wiper_status_str(WIPER_ST_ATA(0x51, 0x04), buf, sizeof(buf)),
			    "ATA command aborted by the drive (status 51h, error 04h)");
	assert_string_equal(wiper_status_str(WIPER_ST_NVME(0x0001), buf, sizeof(buf)),
			    "NVMe: Invalid Command Opcode (SCT 0, SC 01h)");
	assert_string_equal(wiper_status_str(WIPER_ST_NVME(0x401d), buf, sizeof(buf)),
			    "NVMe: Sanitize In Progress (SCT 0, SC 1Dh, do not retry)");
	assert_string_equal(wiper_status_str(WIPER_ST_SCSI(5, 0x20, 0), buf, sizeof(buf)),
			    "SCSI: Illegal Request, invalid command operation code");
	assert_string_equal(wiper_status_str(WIPER_ST_SCSI(2, 0x99, 0x01), buf, sizeof(buf)),
			    "SCSI: Not Ready, ASC/ASCQ 99h/01h");
	assert_int_equal(WIPER_ST_KIND(WIPER_ST_SCSI(5, 0x20, 0)), WIPER_ST_KIND_SCSI);
	assert_true(WIPER_ST_ATA(0xff, 0xff) > 0);
}

static void test_truncation_safe(void **state)
{
	char buf[8];

	(void)state;
	wiper_status_str(WIPER_ST_ATA(0x51, 0x04), buf, sizeof(buf));
	assert_int_equal(buf[7], '\0');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_truncation_safe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
