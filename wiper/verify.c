/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reading a pass back: in full, or by the NIST SP 800-88 sampling plan. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wiper/dev.h"
#include "wiper/io-phase.h"
#include "wiper/job.h"

#define PLAN_SUBSECTIONS 1000u

long wiper_sample_plan(uint64_t blocks, uint32_t lbs, uint64_t seed, struct wiper_sample **out)
{
	uint64_t nsub = blocks < PLAN_SUBSECTIONS ? blocks : PLAN_SUBSECTIONS;
	struct wiper_sample *s;
	uint64_t i, sm = seed;
	long n = 0;

	(void)lbs;
	*out = NULL;
	if (blocks == 0)
		return -EINVAL;
	s = calloc(nsub * 2, sizeof(*s));
	if (s == NULL)
		return -ENOMEM;
	for (i = 0; i < nsub; i++) {
		uint64_t start = i * blocks / nsub, end = (i + 1) * blocks / nsub;
		uint64_t len = end - start, k, free_blocks, r1, r2;

		if (len < 2) {
			/* Too small to split: read it whole. */
			s[n].lba = start;
			s[n++].count = len;
			continue;
		}
		/* Each of the two samples covers at least 5 % of the subsection. */
		k = (len * 5 + 99) / 100;
		if (k == 0)
			k = 1;
		free_blocks = len - 2 * k;
		r1 = free_blocks ? wiper_splitmix64(&sm) % (free_blocks + 1) : 0;
		r2 = free_blocks ? wiper_splitmix64(&sm) % (free_blocks + 1) : 0;
		if (r1 > r2) {
			uint64_t t = r1;

			r1 = r2;
			r2 = t;
		}
		/* The first and the last block of the medium are always read. */
		if (i == 0)
			r1 = 0;
		if (i == nsub - 1)
			r2 = free_blocks;
		s[n].lba = start + r1;
		s[n++].count = k;
		s[n].lba = start + r2 + k;
		s[n++].count = k;
	}
	*out = s;
	return n;
}

struct verify_ctx {
	const struct wiper_job_opts *o;
	unsigned pass;
	double start;
};

/* Seconds on the monotonic clock. */
static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Report verification progress. */
static void verify_tick(struct io_phase *ph, void *arg)
{
	struct verify_ctx *c = arg;
	struct wiper_progress p;
	double el = mono() - c->start;

	if (c->o == NULL || c->o->progress == NULL)
		return;
	memset(&p, 0, sizeof(p));
	p.pass = c->pass + 1;
	p.npasses = (unsigned)c->o->npasses;
	p.verifying = true;
	p.done = atomic_load(&ph->done);
	p.total = ph->total;
	p.rate = el > 0 ? (double)p.done / el : 0;
	p.eta = p.rate > 0 ? (double)(p.total - p.done) / p.rate : -1;
	p.errors = atomic_load(&ph->bad_blocks) + atomic_load(&ph->mismatches);
	c->o->progress(&p, c->o->progress_arg);
}

int wiper_verify_pass(struct wiper_dev *dev, const struct wiper_pass *pass,
		      enum wiper_verify_mode mode, uint64_t sample_seed, const struct wiper_job_opts *o,
		      struct wiper_job_result *res, struct wiper_pass_result *pr)
{
	const struct wiper_geom *g = wiper_dev_geom(dev);
	struct wiper_sample *plan = NULL;
	struct verify_ctx ctx;
	struct io_phase ph;
	int rc;

	/* As in the overwrite: sizes and offsets are counted in logical blocks. */
	if (g->logical_block == 0)
		return -EINVAL;
	memset(&ph, 0, sizeof(ph));
	ph.dev = dev;
	ph.pass = pass;
	ph.write = false;
	ph.size = g->size_bytes;
	ph.lbs = g->logical_block;
	wiper_io_shape(o, false, g->logical_block, &ph.req, &ph.threads);

	ph.prng = (o && o->prng != WIPER_PRNG_AUTO) ? o->prng : wiper_prng_best();
	ph.cancel = o ? o->cancel : NULL;
	ph.res = res;
	if (mode == WIPER_VERIFY_SAMPLE) {
		long n = wiper_sample_plan(g->size_bytes / g->logical_block, g->logical_block,
					   sample_seed, &plan);

		if (n < 0)
			return (int)n;
		res->verify_samples = (uint64_t)n;
		/* A sample can be far larger than one request: split it into request-sized pieces. */
		{
			uint64_t per = ph.req / g->logical_block, pieces = 0;
			struct wiper_sample *split;
			long i;

			if (per == 0)
				per = 1;
			for (i = 0; i < n; i++)
				pieces += (plan[i].count + per - 1) / per;
			split = calloc(pieces ? pieces : 1, sizeof(*split));
			if (split == NULL) {
				free(plan);
				return -ENOMEM;
			}
			pieces = 0;
			for (i = 0; i < n; i++) {
				uint64_t off;

				for (off = 0; off < plan[i].count; off += per) {
					split[pieces].lba = plan[i].lba + off;
					split[pieces].count = plan[i].count - off < per ? plan[i].count - off : per;
					pieces++;
				}
			}
			free(plan);
			plan = split;
			n = (long)pieces;
		}
		ph.samples = plan;
		ph.nsamples = (size_t)n;
	}
	memset(&ctx, 0, sizeof(ctx));
	ctx.o = o;
	ctx.pass = (unsigned)(pr - res->passes);
	ctx.start = mono();
	rc = io_phase_run(&ph, verify_tick, &ctx);
	pr->verified = rc == 0;
	pr->verify_bytes = atomic_load(&ph.done);
	pr->verify_seconds = mono() - ctx.start;
	pr->verify_mismatches = atomic_load(&ph.mismatches);
	pr->verify_read_errors = atomic_load(&ph.bad_blocks);
	res->verify_coverage = g->size_bytes ? (double)pr->verify_bytes / (double)g->size_bytes : 0;
	free(plan);
	return rc;
}
