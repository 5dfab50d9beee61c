/* SPDX-License-Identifier: GPL-3.0-or-later */
/* SMART attribute table and NVMe health log decoding. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "wiper/smart.h"

/* Put attribute @id with raw value @raw into table slot @slot. */
static void attr(uint8_t *b, unsigned slot, uint8_t id, uint64_t raw)
{
	uint8_t *e = b + 2 + 12 * slot;
	int k;

	e[0] = id;
	e[3] = 100;
	e[4] = 100;
	for (k = 0; k < 6; k++)
		e[5 + k] = (uint8_t)(raw >> (8 * k));
}

static void test_ata_attributes(void **state)
{
	struct wiper_smart s;
	uint8_t b[512];

	(void)state;
	memset(b, 0, sizeof(b));
	attr(b, 0, 1, 0);
	attr(b, 3, 5, 12);
	attr(b, 7, 9, 0x0000abcd00004321ULL); /* vendor bytes above 32 bits ignored */
	attr(b, 12, 197, 3);
	assert_int_equal(wiper_smart_parse_ata(b, sizeof(b), true, &s), 0);
	assert_true(s.available);
	assert_true(s.good);
	assert_true(s.have_hours);
	assert_true(s.power_on_hours == 0x4321);
	assert_true(s.reallocated == 12);
	assert_true(s.have_pending && s.pending == 3);
	assert_int_equal(wiper_smart_parse_ata(b, 100, true, &s), -EINVAL);
}

static void test_nvme_log(void **state)
{
	struct wiper_smart s;
	uint8_t b[512];

	(void)state;
	memset(b, 0, sizeof(b));
	b[128] = 0x10; /* 16 hours */
	b[160] = 2;    /* media errors */
	assert_int_equal(wiper_smart_parse_nvme(b, sizeof(b), &s), 0);
	assert_true(s.good);
	assert_true(s.power_on_hours == 16);
	assert_true(s.reallocated == 2);
	b[0] = 0x04; /* reliability degraded */
	assert_int_equal(wiper_smart_parse_nvme(b, sizeof(b), &s), 0);
	assert_false(s.good);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ata_attributes),
		cmocka_unit_test(test_nvme_log),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
