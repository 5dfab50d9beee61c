/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The whole job's progress the dashboard shows (ui_progress_whole): every
 * pass and verification weighed by its bytes, the job's own rate and ETA,
 * the current pass beside it.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ui-ncurses/station/station.h"

#define MIB (1024.0 * 1024.0)
#define SIZE ((uint64_t)64 << 20)

/* A snapshot: pass @pass of @n, @done of @total bytes of its phase. */
static struct wiper_progress snap(unsigned pass, unsigned n, bool verifying, uint64_t done,
				  uint64_t total)
{
	struct wiper_progress p;

	memset(&p, 0, sizeof(p));
	p.pass = pass;
	p.npasses = n;
	p.verifying = verifying;
	p.done = done;
	p.total = total;
	p.rate = 50 * MIB;
	p.eta = 1;
	return p;
}

/* Gutmann, pass 8 of 35 written in full: the job is 8/36 done (35 writes and one read-back). */
static void test_gutmann_pass_done_is_not_job_done(void **state)
{
	struct wiper_progress p = snap(8, 35, false, SIZE, SIZE);
	struct ui_whole w;

	(void)state;
	ui_progress_whole(&p, WIPER_VERIFY_LAST, SIZE, 10.0, &w);
	assert_true(w.pass_frac > 0.999);
	assert_true(w.frac > 8.0 / 36 - 1e-9 && w.frac < 8.0 / 36 + 1e-9);
	assert_true(w.total > 36.0 * SIZE - 1 && w.total < 36.0 * SIZE + 1);
	/* 8 × 64 MiB in 10 s, and 28 × 64 MiB to go at that rate. */
	assert_true(w.rate > 8 * 64 * MIB / 10 - 1 && w.rate < 8 * 64 * MIB / 10 + 1);
	assert_true(w.eta > 35.0 - 1e-6 && w.eta < 35.0 + 1e-6);
}

/* Verify all: each pass is read back, so half of pass 1's read-back is 1.5 of 6 phases. */
static void test_verify_all_counts_every_read_back(void **state)
{
	struct wiper_progress p = snap(1, 3, true, SIZE / 2, SIZE);
	struct ui_whole w;

	(void)state;
	ui_progress_whole(&p, WIPER_VERIFY_ALL, SIZE, 3.0, &w);
	assert_true(w.frac > 1.5 / 6 - 1e-9 && w.frac < 1.5 / 6 + 1e-9);
	assert_true(w.pass_frac > 0.5 - 1e-9 && w.pass_frac < 0.5 + 1e-9);
}

/* Sampling reads about an eighth of the medium after the last pass; its phase total is its own. */
static void test_sample_read_back_weighs_an_eighth(void **state)
{
	struct wiper_progress p = snap(3, 3, true, 100, 100);
	struct ui_whole w;

	(void)state;
	ui_progress_whole(&p, WIPER_VERIFY_SAMPLE, SIZE, 3.0, &w);
	assert_true(w.frac > 0.999999);
	assert_true(w.total > 3.0 * SIZE + SIZE / 8 - 1 && w.total < 3.0 * SIZE + SIZE / 8 + 1);
	p = snap(3, 3, false, SIZE, SIZE);
	ui_progress_whole(&p, WIPER_VERIFY_SAMPLE, SIZE, 3.0, &w);
	assert_true(w.frac < 1.0 && w.frac > 0.95);
}

/* One pass, no verification: the job is the pass. */
static void test_one_pass_is_the_job(void **state)
{
	struct wiper_progress p = snap(1, 1, false, SIZE / 4, SIZE);
	struct ui_whole w;

	(void)state;
	ui_progress_whole(&p, WIPER_VERIFY_NONE, SIZE, 2.0, &w);
	assert_true(w.frac > 0.25 - 1e-9 && w.frac < 0.25 + 1e-9);
	assert_true(w.eta > 6.0 - 1e-6 && w.eta < 6.0 + 1e-6);
}

/* Nothing moved yet, no time passed, a firmware percentage, a pass past the plan: no nonsense. */
static void test_edges(void **state)
{
	struct wiper_progress p = snap(1, 1, false, 0, 0);
	struct ui_whole w;

	(void)state;
	ui_progress_whole(&p, WIPER_VERIFY_LAST, SIZE, 0.0, &w);
	assert_true(w.frac == 0 && w.rate == 0 && w.eta < 0);
	p = snap(1, 1, false, 5000, 10000);	/* sanitize: hundredths of a percent */
	ui_progress_whole(&p, WIPER_VERIFY_NONE, SIZE, 4.0, &w);
	assert_true(w.frac > 0.5 - 1e-9 && w.frac < 0.5 + 1e-9);
	p = snap(9, 3, false, SIZE * 2, SIZE);
	ui_progress_whole(&p, WIPER_VERIFY_NONE, SIZE, 4.0, &w);
	assert_true(w.frac <= 1.0 && w.pass_frac <= 1.0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gutmann_pass_done_is_not_job_done),
		cmocka_unit_test(test_verify_all_counts_every_read_back),
		cmocka_unit_test(test_sample_read_back_weighs_an_eighth),
		cmocka_unit_test(test_one_pass_is_the_job),
		cmocka_unit_test(test_edges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
