/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The overwrite engine against the simulated drive. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/lib/sim-drive.h"
#include "wiper/job.h"
#include "wiper/prng.h"

/* Run @method on @sim; returns the result (caller frees). */
static struct wiper_job_result *run(struct sim_drive *sim, const char *method,
				    enum wiper_verify_mode verify, atomic_bool *cancel, size_t req)
{
	static struct wiper_pass passes[WIPER_PASSES_MAX];
	const struct wiper_method *m = wiper_method_find(method);
	struct wiper_job_result *res = calloc(1, sizeof(*res));
	struct wiper_job_opts o;
	struct wiper_dev *dev = sim_drive_open(sim);
	int n;

	assert_non_null(m);
	assert_non_null(res);
	n = wiper_method_resolve(m->passes, m->npasses, m->shuffle_middle, 1, 42, passes,
				 WIPER_PASSES_MAX);
	assert_true(n > 0);
	memset(&o, 0, sizeof(o));
	o.passes = passes;
	o.npasses = (size_t)n;
	o.verify = verify;
	o.cancel = cancel;
	o.request_bytes = req;
	o.queue_depth = 3;
	res->seed = 42;
	assert_int_equal(wiper_job_run(dev, &o, res), 0);
	wiper_dev_close(dev);
	return res;
}

/* Is the whole simulated medium equal to @byte? */
static bool all_bytes(const struct sim_drive *sim, uint8_t byte)
{
	uint64_t i, n = sim->sectors * sim->lbs;

	for (i = 0; i < n; i++)
		if (sim->data[i] != byte)
			return false;
	return true;
}

static void test_zero_passes_512_and_4096(void **state)
{
	static const uint32_t lbs[2] = { 512, 4096 };
	int k;

	(void)state;
	for (k = 0; k < 2; k++) {
		/* A size that is not a multiple of the request size: 1000 blocks. */
		struct sim_drive *sim = sim_drive_new(SIM_PLAIN, 1000, lbs[k], 4096);
		struct wiper_job_result *r;

		memset(sim->data, 0xa5, sim->sectors * sim->lbs);
		r = run(sim, "zero", WIPER_VERIFY_LAST, NULL, 64 * 1024);
		assert_int_equal(r->outcome, WIPER_PASSED);
		assert_true(all_bytes(sim, 0));
		assert_true(r->passes[0].completed);
		assert_true(r->passes[0].bytes == 1000ULL * lbs[k]);
		assert_true(r->passes[0].verified);
		assert_true(r->passes[0].verify_bytes == 1000ULL * lbs[k]);
		assert_true(r->verify_coverage == 1.0);
		free(r);
		sim_drive_free(sim);
	}
}

static void test_random_is_seeded_and_verified(void **state)
{
	struct sim_drive *sim = sim_drive_new(SIM_PLAIN, 777, 512, 512);
	struct wiper_job_result *r;
	uint8_t *expect = malloc(777 * 512);

	(void)state;
	r = run(sim, "random", WIPER_VERIFY_ALL, NULL, 128 * 1024);
	assert_int_equal(r->outcome, WIPER_PASSED);
	assert_true(r->passes[0].pass.random);
	/* The medium holds exactly the stream of the pass's seed. */
	assert_int_equal(wiper_prng_fill(WIPER_PRNG_PORTABLE, r->passes[0].pass.seed, 0, expect,
					 777 * 512), 0);
	assert_memory_equal(sim->data, expect, 777 * 512);
	free(expect);
	free(r);
	sim_drive_free(sim);
}

static void test_flipped_byte_is_caught(void **state)
{
	static const uint64_t where[3] = { 0, 400 * 512 + 17, 1000ULL * 512 - 1 };
	int k;

	(void)state;
	for (k = 0; k < 3; k++) {
		struct sim_drive *sim = sim_drive_new(SIM_PLAIN, 1000, 512, 512);
		struct wiper_job_result *r;
		struct wiper_pass_result pr;
		struct wiper_pass zero = { .random = false, .pattern = { 0 }, .pattern_len = 1 };
		struct wiper_dev *dev;

		r = run(sim, "zero", WIPER_VERIFY_NONE, NULL, 64 * 1024);
		/* Written but not verified is never PASSED. */
		assert_int_equal(r->outcome, WIPER_INCOMPLETE);
		assert_non_null(strstr(r->reason, "not verified"));
		sim->data[where[k]] ^= 0x01;
		memset(&pr, 0, sizeof(pr));
		memset(r, 0, sizeof(*r));
		dev = sim_drive_open(sim);
		assert_int_equal(wiper_verify_pass(dev, &zero, WIPER_VERIFY_ALL, 1, NULL, r, &pr), 0);
		assert_int_equal(pr.verify_mismatches, 1);
		assert_int_equal(r->mismatch.n, 1);
		assert_true(r->mismatch.lba[0] == where[k] / 512);
		wiper_dev_close(dev);
		free(r);
		sim_drive_free(sim);
	}
}

/*
 * Flipped bytes on both sides of every boundary the compare works in (its
 * pieces, the requests) are each caught, in their own block, for a random
 * pass, a zero pass and a 3-byte pattern whose phase moves between pieces;
 * with requests of 1 MiB and of 12 KiB, which split pieces unevenly.
 */
static void test_flips_caught_at_piece_edges(void **state)
{
	static const uint64_t where[] = { 0, 4095, 4096, 16383, 16384, 65535, 65536, 65536 + 3 * 512,
					  (1u << 20) - 1, 1u << 20, (2u << 20) - 1 };
	static const size_t reqs[] = { 1u << 20, 12u * 1024 };
	const size_t nw = sizeof(where) / sizeof(where[0]);
	struct wiper_pass passes[3] = {
		{ .random = true, .seed = 0x5eed },
		{ .random = false, .pattern = { 0 }, .pattern_len = 1 },
		{ .random = false, .pattern = { 0x92, 0x49, 0x24 }, .pattern_len = 3 },
	};
	size_t pi, ri, k;

	(void)state;
	for (pi = 0; pi < 3; pi++) {
		for (ri = 0; ri < 2; ri++) {
			struct sim_drive *sim = sim_drive_new(SIM_PLAIN, 4096, 512, 512);
			uint64_t i, n = sim->sectors * sim->lbs;
			struct wiper_job_result *r = calloc(1, sizeof(*r));
			struct wiper_pass_result pr;
			struct wiper_dev *dev;

			assert_non_null(r);
			if (passes[pi].random)
				assert_int_equal(wiper_prng_fill(WIPER_PRNG_PORTABLE, passes[pi].seed, 0,
								 sim->data, n), 0);
			else
				for (i = 0; i < n; i++)
					sim->data[i] = passes[pi].pattern[i % passes[pi].pattern_len];
			for (k = 0; k < nw; k++)
				sim->data[where[k]] ^= 0x40;
			memset(&pr, 0, sizeof(pr));
			r->request_bytes = reqs[ri];
			dev = sim_drive_open(sim);
			assert_int_equal(wiper_verify_pass(dev, &passes[pi], WIPER_VERIFY_ALL, 1, NULL, r,
							   &pr), 0);
			assert_int_equal(pr.verify_mismatches, nw);
			assert_int_equal(r->mismatch.n, nw);
			wiper_lba_list_sort(&r->mismatch);
			for (k = 0; k < nw; k++)
				assert_true(r->mismatch.lba[k] == where[k] / 512);
			/* and an intact medium reads back clean */
			for (k = 0; k < nw; k++)
				sim->data[where[k]] ^= 0x40;
			memset(&pr, 0, sizeof(pr));
			memset(r, 0, sizeof(*r));
			r->request_bytes = reqs[ri];
			assert_int_equal(wiper_verify_pass(dev, &passes[pi], WIPER_VERIFY_ALL, 1, NULL, r,
							   &pr), 0);
			assert_int_equal(pr.verify_mismatches, 0);
			wiper_dev_close(dev);
			free(r);
			sim_drive_free(sim);
		}
	}
}

static void test_bad_lbas_reported_exactly(void **state)
{
	struct sim_drive *sim = sim_drive_new(SIM_PLAIN, 2048, 512, 512);
	struct wiper_job_result *r;

	(void)state;
	sim_drive_add_bad_lba(sim, 5);
	sim_drive_add_bad_lba(sim, 6);
	sim_drive_add_bad_lba(sim, 1500);
	r = run(sim, "zero", WIPER_VERIFY_LAST, NULL, 64 * 1024);
	assert_int_equal(r->outcome, WIPER_FAILED);
	/* Written once, read once: each bad block fails both ways, listed each time. */
	assert_int_equal(r->passes[0].write_errors, 3);
	assert_int_equal(r->passes[0].verify_read_errors, 3);
	assert_true(r->bad.total == 6);
	{
		int seen5 = 0, seen6 = 0, seen1500 = 0;
		size_t i;

		for (i = 0; i < r->bad.n; i++) {
			seen5 += r->bad.lba[i] == 5;
			seen6 += r->bad.lba[i] == 6;
			seen1500 += r->bad.lba[i] == 1500;
		}
		assert_int_equal(seen5, 2);
		assert_int_equal(seen6, 2);
		assert_int_equal(seen1500, 2);
	}
	/* Everything around the bad blocks was still written. */
	assert_int_equal(sim->data[4 * 512], 0);
	assert_int_equal(sim->data[7 * 512], 0);
	assert_non_null(strstr(r->reason, "destroy physically"));
	free(r);
	sim_drive_free(sim);
}

static void test_dropped_writes_caught(void **state)
{
	struct sim_drive *sim = sim_drive_new(SIM_PLAIN, 4096, 512, 512);
	struct wiper_job_result *r;

	(void)state;
	memset(sim->data, 0x5a, sim->sectors * sim->lbs);
	sim->drop_lba = 1000;
	sim->drop_count = 8;
	r = run(sim, "zero", WIPER_VERIFY_LAST, NULL, 256 * 1024);
	assert_int_equal(r->outcome, WIPER_FAILED);
	assert_true(r->mismatch.total == 8);
	assert_true(r->mismatch.lba[0] >= 1000 && r->mismatch.lba[0] < 1008);
	free(r);
	sim_drive_free(sim);
}

/* A medium that stops answering ends the job at IO_DEAD_BLOCKS, not after every block. */
static void test_dead_medium_stops_early(void **state)
{
	struct sim_drive *sim = sim_drive_new(SIM_PLAIN, 200000, 512, 512);
	struct wiper_job_result *r;

	(void)state;
	sim->dead = true;
	sim->dead_lba = 1024;
	r = run(sim, "zero", WIPER_VERIFY_LAST, NULL, 64 * 1024);
	assert_int_equal(r->outcome, WIPER_FAILED);
	assert_non_null(strstr(r->reason, "stopped answering during writing of pass 1"));
	assert_non_null(strstr(r->reason, "destroy physically"));
	/*
	 * Stopped once the run was long enough, far short of the 198,976 dead
	 * blocks (threads still in flight add a few, and a late good request
	 * may restart the count once).
	 */
	assert_true(r->bad.total >= 65536);
	assert_true(r->bad.total < 100000);
	/*
	 * Listed in LBA order, all in the dead part. (The list keeps the first
	 * blocks met, in time: with threads that need not include LBA 1024.)
	 */
	assert_true(r->bad.n > 1);
	assert_true(r->bad.lba[0] >= 1024);
	for (size_t i = 1; i < r->bad.n; i++)
		assert_true(r->bad.lba[i] >= r->bad.lba[i - 1]);
	assert_false(r->passes[0].completed);
	free(r);
	sim_drive_free(sim);
}

static void test_vanishing_device_incomplete(void **state)
{
	struct sim_drive *sim = sim_drive_new(SIM_PLAIN, 4096, 512, 512);
	struct wiper_job_result *r;

	(void)state;
	sim->vanish_after_io = 5;
	r = run(sim, "dod522022m", WIPER_VERIFY_LAST, NULL, 64 * 1024);
	assert_int_equal(r->outcome, WIPER_INCOMPLETE);
	assert_false(r->passes[0].completed);
	assert_non_null(strstr(r->reason, "device lost during writing of pass 1"));
	free(r);
	sim_drive_free(sim);
}

static void test_cancel_incomplete(void **state)
{
	struct sim_drive *sim = sim_drive_new(SIM_PLAIN, 4096, 512, 512);
	struct wiper_job_result *r;
	atomic_bool cancel;

	(void)state;
	atomic_init(&cancel, true);
	r = run(sim, "zero", WIPER_VERIFY_LAST, &cancel, 64 * 1024);
	assert_int_equal(r->outcome, WIPER_INCOMPLETE);
	assert_string_equal(r->reason, "stopped by the operator during writing of pass 1");
	free(r);
	sim_drive_free(sim);
}

static void test_sample_plan(void **state)
{
	struct wiper_sample *s = NULL, *s2 = NULL;
	uint64_t blocks = 1000003, covered = 0;
	long n, i;

	(void)state;
	n = wiper_sample_plan(blocks, 512, 7, &s);
	assert_int_equal(n, 2000);
	assert_true(s[0].lba == 0);
	assert_true(s[n - 1].lba + s[n - 1].count == blocks);
	for (i = 0; i < n; i++) {
		uint64_t sub = (uint64_t)(i / 2);
		uint64_t start = sub * blocks / 1000, end = (sub + 1) * blocks / 1000;

		assert_true(s[i].lba >= start && s[i].lba + s[i].count <= end);
		assert_true(s[i].count * 20 >= end - start); /* >= 5 % */
		if (i % 2 == 1)
			assert_true(s[i - 1].lba + s[i - 1].count <= s[i].lba);
		covered += s[i].count;
	}
	assert_true(covered * 10 >= blocks);
	/* Reproducible from the seed, different for another seed. */
	assert_int_equal(wiper_sample_plan(blocks, 512, 7, &s2), n);
	assert_memory_equal(s, s2, (size_t)n * sizeof(*s));
	free(s2);
	assert_int_equal(wiper_sample_plan(blocks, 512, 8, &s2), n);
	assert_memory_not_equal(s, s2, (size_t)n * sizeof(*s));
	free(s2);
	free(s);
	/* Tiny media: every block read. */
	assert_int_equal(wiper_sample_plan(10, 512, 1, &s), 10);
	free(s);
}

static void test_sample_verify_catches_and_reports_coverage(void **state)
{
	struct sim_drive *sim = sim_drive_new(SIM_PLAIN, 100000, 512, 512);
	struct wiper_job_result *r;

	(void)state;
	r = run(sim, "zero", WIPER_VERIFY_SAMPLE, NULL, 1 << 20);
	assert_int_equal(r->outcome, WIPER_PASSED);
	assert_true(r->verify_coverage >= 0.10);
	assert_true(r->verify_samples == 2000);
	free(r);
	/* The last block is always sampled: corrupt it and sampling must see it. */
	sim->data[100000ULL * 512 - 1] = 1;
	{
		struct wiper_pass zero = { .random = false, .pattern = { 0 }, .pattern_len = 1 };
		struct wiper_pass_result pr;
		struct wiper_dev *dev = sim_drive_open(sim);

		r = calloc(1, sizeof(*r));
		memset(&pr, 0, sizeof(pr));
		assert_int_equal(wiper_verify_pass(dev, &zero, WIPER_VERIFY_SAMPLE, 99, NULL, r, &pr), 0);
		assert_int_equal(pr.verify_mismatches, 1);
		assert_true(r->mismatch.lba[0] == 99999);
		wiper_dev_close(dev);
		free(r);
	}
	sim_drive_free(sim);
}

static void test_samples_larger_than_requests(void **state)
{
	/* 2,000,000 blocks: each sample is 100 blocks (50 KiB), requests 16 KiB. */
	struct sim_drive *sim = sim_drive_new(SIM_PLAIN, 2000000, 512, 512);
	struct wiper_job_result *r;

	(void)state;
	r = run(sim, "zero", WIPER_VERIFY_SAMPLE, NULL, 16 * 1024);
	assert_int_equal(r->outcome, WIPER_PASSED);
	assert_true(r->verify_coverage >= 0.10);
	free(r);
	sim_drive_free(sim);
}

static void test_gutmann_pattern_phase(void **state)
{
	/* 3-byte patterns must continue across request boundaries. */
	struct sim_drive *sim = sim_drive_new(SIM_PLAIN, 300, 512, 512);
	struct wiper_job_result *r;

	(void)state;
	r = run(sim, "gutmann", WIPER_VERIFY_ALL, NULL, 4096 * 3);
	assert_int_equal(r->outcome, WIPER_PASSED);
	assert_int_equal(r->npasses, 35);
	free(r);
	sim_drive_free(sim);
}

/* The I/O shape: per-phase defaults, explicit values kept, budgets fitted. */
static void test_io_shape(void **state)
{
	struct wiper_job_opts o;
	size_t req;
	unsigned d;

	(void)state;
	wiper_io_shape(NULL, true, 512, &req, &d);
	assert_int_equal(req, WIPER_WRITE_REQUEST);
	assert_int_equal(d, WIPER_WRITE_DEPTH);
	wiper_io_shape(NULL, false, 4096, &req, &d);
	assert_int_equal(req, WIPER_READ_REQUEST);
	assert_int_equal(d, WIPER_READ_DEPTH);
	assert_true((size_t)WIPER_WRITE_REQUEST * WIPER_WRITE_DEPTH <= WIPER_BUFFER_BUDGET);
	assert_true((size_t)WIPER_READ_REQUEST * WIPER_READ_DEPTH <= WIPER_BUFFER_BUDGET);

	/* A smaller budget: fewer in flight first, then smaller requests, each a block multiple. */
	memset(&o, 0, sizeof(o));
	o.buffer_bytes = 12u << 20;
	wiper_io_shape(&o, true, 512, &req, &d);
	assert_int_equal(req, 4u << 20);
	assert_int_equal(d, 3);
	o.buffer_bytes = wiper_buffer_share(8);	/* 6 MiB */
	wiper_io_shape(&o, true, 512, &req, &d);
	assert_int_equal(d, 2);
	assert_int_equal(req, 3u << 20);
	wiper_io_shape(&o, false, 4096, &req, &d);
	assert_int_equal(req, 1u << 20);
	assert_int_equal(d, 6);
	o.buffer_bytes = 256u << 10;	/* below 2 x 256 KiB: the floor, whatever the budget */
	wiper_io_shape(&o, true, 8192, &req, &d);
	assert_int_equal(d, 2);
	assert_int_equal(req, 256u << 10);
	assert_int_equal(req % 8192, 0);
	o.buffer_bytes = (5u << 20) + 4096;	/* shrinks to a 4096 multiple */
	wiper_io_shape(&o, true, 512, &req, &d);
	assert_int_equal(d, 2);
	assert_int_equal(req % 4096, 0);
	assert_true(req * d <= o.buffer_bytes);

	/* Explicit values win over the budget, in both phases. */
	o.request_bytes = 8u << 20;
	o.queue_depth = 3;
	wiper_io_shape(&o, false, 512, &req, &d);
	assert_int_equal(req, 8u << 20);
	assert_int_equal(d, 3);
	o.queue_depth = 0;
	wiper_io_shape(&o, true, 512, &req, &d);
	assert_int_equal(req, 8u << 20);
	assert_int_equal(d, 2);

	/* Shares: one job alone gets the per-job budget, many split the total. */
	assert_int_equal(wiper_buffer_share(1), WIPER_BUFFER_BUDGET);
	assert_int_equal(wiper_buffer_share(0), WIPER_BUFFER_BUDGET);
	assert_int_equal(wiper_buffer_share(6), WIPER_BUFFER_TOTAL / 6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_io_shape),
		cmocka_unit_test(test_zero_passes_512_and_4096),
		cmocka_unit_test(test_random_is_seeded_and_verified),
		cmocka_unit_test(test_flipped_byte_is_caught),
		cmocka_unit_test(test_flips_caught_at_piece_edges),
		cmocka_unit_test(test_bad_lbas_reported_exactly),
		cmocka_unit_test(test_dropped_writes_caught),
		cmocka_unit_test(test_dead_medium_stops_early),
		cmocka_unit_test(test_vanishing_device_incomplete),
		cmocka_unit_test(test_cancel_incomplete),
		cmocka_unit_test(test_sample_plan),
		cmocka_unit_test(test_sample_verify_catches_and_reports_coverage),
		cmocka_unit_test(test_samples_larger_than_requests),
		cmocka_unit_test(test_gutmann_pattern_phase),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
