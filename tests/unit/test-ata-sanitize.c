/* SPDX-License-Identifier: GPL-3.0-or-later */
/* SANITIZE STATUS EXT decoding. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "wiper/ata-sanitize.h"

static void test_status(void **state)
{
	struct ata_sanitize_status s;
	struct ata_rtf r;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.valid = true;
	r.status = 0x50;
	r.count = 0x4000; /* in progress */
	r.lba = 0x8000;	  /* 50 % */
	assert_int_equal(ata_sanitize_status_decode(&r, &s), 0);
	assert_true(s.in_progress);
	assert_false(s.completed_ok);
	assert_true(s.progress == 50.0);
	r.count = 0x8000 | 0x1000;
	r.lba = 0xffff;
	assert_int_equal(ata_sanitize_status_decode(&r, &s), 0);
	assert_true(s.completed_ok);
	assert_true(s.antifreeze);
	assert_false(s.in_progress);
	r.count = 0x2000;
	assert_int_equal(ata_sanitize_status_decode(&r, &s), 0);
	assert_true(s.frozen);
	/* Aborted: the reason is in LBA(7:0). */
	r.status = 0x51;
	r.error = 0x04;
	r.lba = 0x03;
	assert_int_equal(ata_sanitize_status_decode(&r, &s), 0);
	assert_true(s.aborted);
	assert_int_equal(s.reason, 3);
	assert_string_equal(ata_sanitize_reason_str(s.reason), "sanitize is frozen");
	/* Fixed-format registers lose COUNT(15:8): refuse to guess. */
	r.partial = true;
	assert_int_equal(ata_sanitize_status_decode(&r, &s), -ENODATA);
	r.valid = false;
	assert_int_equal(ata_sanitize_status_decode(&r, &s), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
