/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Whether a machine can unfreeze drives by suspend, from its sysfs power files. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "wiper/unfreeze.h"

/* Write a fake /sys/power with the given files. */
static void fake_power(char *dir, const char *state, const char *mem_sleep)
{
	char p[600];
	FILE *f;

	strcpy(dir, "/tmp/tabula-power-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(p, sizeof(p), "%s/state", dir);
	f = fopen(p, "w");
	fputs(state, f);
	fclose(f);
	if (mem_sleep) {
		snprintf(p, sizeof(p), "%s/mem_sleep", dir);
		f = fopen(p, "w");
		fputs(mem_sleep, f);
		fclose(f);
	}
}

/* Remove it again. */
static void cleanup(const char *dir)
{
	char p[600];

	snprintf(p, sizeof(p), "%s/state", dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/mem_sleep", dir);
	unlink(p);
	rmdir(dir);
}

static void test_possible(void **state)
{
	char dir[64], why[256];

	(void)state;
	fake_power(dir, "freeze mem disk\n", "s2idle [deep]\n");
	assert_int_equal(wiper_unfreeze_possible(dir, why, sizeof(why)), 0);
	cleanup(dir);

	fake_power(dir, "freeze mem\n", "[s2idle]\n");
	assert_int_equal(wiper_unfreeze_possible(dir, why, sizeof(why)), -ENOTSUP);
	assert_non_null(strstr(why, "only s2idle"));
	cleanup(dir);

	fake_power(dir, "freeze\n", NULL);
	assert_int_equal(wiper_unfreeze_possible(dir, why, sizeof(why)), -ENOTSUP);
	assert_non_null(strstr(why, "cannot suspend to RAM"));
	cleanup(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_possible),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
