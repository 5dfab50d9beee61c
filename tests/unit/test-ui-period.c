/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The register's period as the technician types it at the station. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ui-ncurses/station/period.h"

/* Parse @text and check the interval and the name. */
static void ok(const char *text, int64_t from, int64_t to, const char *name)
{
	int64_t f = -1, t = -1;
	char n[64] = "";

	assert_int_equal(ui_period_parse(text, &f, &t, n, sizeof(n)), 0);
	assert_int_equal(f, from);
	assert_int_equal(t, to);
	assert_string_equal(n, name);
}

/* Parse @text and expect a refusal. */
static void bad(const char *text)
{
	int64_t f, t;
	char n[64];

	assert_int_equal(ui_period_parse(text, &f, &t, n, sizeof(n)), -EINVAL);
}

/* 2026-03-01T00:00:00Z and friends, in UTC seconds. */
#define MAR_1 1772323200LL
#define APR_1 1775001600LL
#define DAY 86400LL

static void test_month(void **state)
{
	(void)state;
	ok("2026-03", MAR_1, APR_1, "register-2026-03");
	ok("  2026-03 ", MAR_1, APR_1, "register-2026-03");
	/* December runs into the next year; February of a leap year has 29 days. */
	ok("2025-12", 1764547200LL, 1767225600LL, "register-2025-12");
	ok("2028-02", 1832976000LL, 1832976000LL + 29 * DAY, "register-2028-02");
}

static void test_day(void **state)
{
	(void)state;
	ok("2026-03-14", MAR_1 + 13 * DAY, MAR_1 + 14 * DAY, "register-2026-03-14");
	ok("2028-02-29", 1832976000LL + 28 * DAY, 1832976000LL + 29 * DAY, "register-2028-02-29");
}

static void test_range(void **state)
{
	(void)state;
	/* Both ends included: the whole last day, the whole last month. */
	ok("2026-03-01..2026-03-31", MAR_1, APR_1, "register-2026-03-01_2026-03-31");
	ok("2026-03-01 .. 2026-03-31", MAR_1, APR_1, "register-2026-03-01_2026-03-31");
	ok("2026-03-01 to 2026-03-31", MAR_1, APR_1, "register-2026-03-01_2026-03-31");
	ok("2026-03-01 2026-03-31", MAR_1, APR_1, "register-2026-03-01_2026-03-31");
	ok("2026-01..2026-03", 1767225600LL, APR_1, "register-2026-01_2026-03");
	ok("2026-03-14..2026-03-14", MAR_1 + 13 * DAY, MAR_1 + 14 * DAY,
	   "register-2026-03-14_2026-03-14");
}

static void test_refused(void **state)
{
	(void)state;
	bad("");
	bad("   ");
	bad("2026-13");
	bad("2026-00");
	bad("2026-02-30");
	bad("2027-02-29");
	bad("2026-3");
	bad("26-03");
	bad("2026-03-1");
	bad("1969-12");
	bad("march");
	bad("2026-03x");
	bad("2026-03-14..");
	bad("..2026-03-14");
	bad("2026-03-31..2026-03-01");
	bad("2026-03-01..2026-03-02..2026-03-03");
}

static void test_name_too_long(void **state)
{
	int64_t f, t;
	char n[12];

	(void)state;
	assert_int_equal(ui_period_parse("2026-03", &f, &t, n, sizeof(n)), -EINVAL);
}

static void test_shift(void **state)
{
	char m[16];

	(void)state;
	assert_int_equal(ui_period_month_shift("2026-03", -1, m, sizeof(m)), 0);
	assert_string_equal(m, "2026-02");
	assert_int_equal(ui_period_month_shift("2026-01", -1, m, sizeof(m)), 0);
	assert_string_equal(m, "2025-12");
	assert_int_equal(ui_period_month_shift("2025-12", 1, m, sizeof(m)), 0);
	assert_string_equal(m, "2026-01");
	assert_int_equal(ui_period_month_shift("2026-03", -15, m, sizeof(m)), 0);
	assert_string_equal(m, "2024-12");
	assert_int_equal(ui_period_month_shift("2026-03-14", -1, m, sizeof(m)), -EINVAL);
	assert_int_equal(ui_period_month_shift("1970-01", -1, m, sizeof(m)), -EINVAL);
}

static void test_month_of(void **state)
{
	char m[16];

	(void)state;
	/* 2026-03-31T12:00Z: a month back is February, not "March 3rd". */
	ui_period_month((time_t)(APR_1 - DAY / 2), 0, m, sizeof(m));
	assert_string_equal(m, "2026-03");
	ui_period_month((time_t)(APR_1 - DAY / 2), 1, m, sizeof(m));
	assert_string_equal(m, "2026-02");
	ui_period_month((time_t)(APR_1 - DAY / 2), 3, m, sizeof(m));
	assert_string_equal(m, "2025-12");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_month),	  cmocka_unit_test(test_day),
		cmocka_unit_test(test_range),	  cmocka_unit_test(test_refused),
		cmocka_unit_test(test_name_too_long), cmocka_unit_test(test_shift),
		cmocka_unit_test(test_month_of),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
