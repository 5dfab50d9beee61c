/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The overwrite job: every pass written, flushed and verified as asked. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "wiper/dev.h"
#include "wiper/io-phase.h"
#include "wiper/job.h"
#include "wiper/status.h"

const char *wiper_outcome_str(enum wiper_outcome o)
{
	switch (o) {
	case WIPER_PASSED: return "PASSED";
	case WIPER_FAILED: return "FAILED";
	case WIPER_INCOMPLETE: return "INCOMPLETE";
	}
	return "UNKNOWN";
}

/* Seconds on the monotonic clock. */
static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct job_ctx {
	const struct wiper_job_opts *o;
	unsigned pass;
	bool verifying;
	double phase_start;
	uint64_t work_total;	/* bytes of all phases */
	uint64_t work_before;	/* bytes of finished phases */
	uint64_t errors_before;
};

/* Turn a phase's counters into a progress snapshot for the front end. */
static void tick(struct io_phase *ph, void *arg)
{
	struct job_ctx *c = arg;
	struct wiper_progress p;
	double el = now() - c->phase_start;
	uint64_t done = atomic_load(&ph->done);

	if (c->o->progress == NULL)
		return;
	memset(&p, 0, sizeof(p));
	p.pass = c->pass + 1;
	p.npasses = (unsigned)c->o->npasses;
	p.verifying = c->verifying;
	p.done = done;
	p.total = ph->total;
	p.rate = el > 0 ? (double)done / el : 0;
	p.eta = p.rate > 0 ? (double)(c->work_total - c->work_before - done) / p.rate : -1;
	p.errors = c->errors_before + atomic_load(&ph->bad_blocks) + atomic_load(&ph->mismatches);
	c->o->progress(&p, c->o->progress_arg);
}

bool wiper_verify_after(enum wiper_verify_mode mode, size_t i, size_t npasses)
{
	switch (mode) {
	case WIPER_VERIFY_ALL: return true;
	case WIPER_VERIFY_LAST:
	case WIPER_VERIFY_SAMPLE: return i + 1 == npasses;
	case WIPER_VERIFY_NONE: break;
	}
	return false;
}

uint64_t wiper_verify_bytes(enum wiper_verify_mode mode, size_t i, size_t npasses, uint64_t size)
{
	if (!wiper_verify_after(mode, i, npasses))
		return 0;
	return mode == WIPER_VERIFY_SAMPLE ? size / 8 : size;
}

/* Should a verification follow pass @i? */
static bool verify_after(const struct wiper_job_opts *o, size_t i)
{
	return wiper_verify_after(o->verify, i, o->npasses);
}

/* End the job INCOMPLETE with a reason, unless an earlier reason stands. */
__attribute__((format(printf, 2, 3)))
static void incomplete(struct wiper_job_result *res, const char *fmt, ...)
{
	va_list ap;

	res->outcome = WIPER_INCOMPLETE;
	va_start(ap, fmt);
	vsnprintf(res->reason, sizeof(res->reason), fmt, ap);
	va_end(ap);
}

/* The words for a phase that could not finish. */
static void phase_stopped(struct wiper_job_result *res, int rc, const char *what, size_t pass)
{
	char why[128];

	if (rc == -ECANCELED) {
		incomplete(res, "stopped by the operator during %s of pass %zu", what, pass + 1);
	} else if (rc == -EIO) {
		/* io-phase.c: IO_DEAD_BLOCKS blocks failed in a row, the device still there. */
		res->outcome = WIPER_FAILED;
		snprintf(res->reason, sizeof(res->reason), "the medium stopped answering during %s"
			 " of pass %zu (%u blocks in a row failed) - destroy physically", what,
			 pass + 1, IO_DEAD_BLOCKS);
	} else
		incomplete(res, "device lost during %s of pass %zu: %s", what, pass + 1,
			   wiper_status_str(rc, why, sizeof(why)));
}

/* Write pass @i, flush it and verify it as asked. False when the job cannot go on. */
static bool run_pass(struct wiper_dev *dev, const struct wiper_job_opts *o, size_t i,
		     struct job_ctx *ctx, struct wiper_job_result *res)
{
	const struct wiper_geom *g = wiper_dev_geom(dev);
	struct wiper_pass_result *pr = &res->passes[i];
	struct io_phase ph;
	double ts;
	int rc;

	memset(pr, 0, sizeof(*pr));
	pr->pass = o->passes[i];
	memset(&ph, 0, sizeof(ph));
	ph.dev = dev;
	ph.pass = &o->passes[i];
	ph.write = true;
	ph.size = g->size_bytes;
	ph.lbs = g->logical_block;
	ph.req = res->request_bytes;
	ph.threads = res->queue_depth;
	ph.prng = o->prng == WIPER_PRNG_AUTO ? wiper_prng_best() : o->prng;
	ph.cancel = o->cancel;
	ph.res = res;

	ctx->pass = (unsigned)i;
	ctx->verifying = false;
	ctx->phase_start = ts = now();
	rc = io_phase_run(&ph, tick, ctx);
	pr->bytes = atomic_load(&ph.done);
	pr->write_errors = atomic_load(&ph.bad_blocks);
	ctx->errors_before += pr->write_errors;
	ctx->work_before += g->size_bytes;
	if (rc < 0) {
		pr->seconds = now() - ts;
		phase_stopped(res, rc, "writing", i);
		return false;
	}
	/* The drive's cache must hold nothing of this pass before it counts. */
	rc = wiper_dev_flush(dev);
	pr->seconds = now() - ts;
	if (rc < 0) {
		char why[128];

		/*
		 * A drive pulled during the flush answers EIO, not ENODEV, and
		 * leaves sysfs a moment later: lost, not failed (which would read
		 * "destroy physically" for a good drive).
		 */
		if (io_error_is_fatal(rc) || wiper_dev_leaving(dev, 2000)) {
			phase_stopped(res, io_error_is_fatal(rc) ? rc : -ENODEV, "the flush", i);
		} else {
			res->outcome = WIPER_FAILED;
			snprintf(res->reason, sizeof(res->reason),
				 "cache flush failed after pass %zu: %s", i + 1,
				 wiper_status_str(rc, why, sizeof(why)));
		}
		return false;
	}
	pr->completed = true;
	if (verify_after(o, i)) {
		ctx->verifying = true;
		ctx->phase_start = now();
		rc = wiper_verify_pass(dev, &o->passes[i], o->verify, res->seed ^ 0x5eed, o, res, pr);
		ctx->errors_before += pr->verify_mismatches + pr->verify_read_errors;
		if (rc < 0) {
			phase_stopped(res, rc, "verification", i);
			return false;
		}
	}
	return true;
}

/* What every pass found decides the outcome: never PASSED with a bad block or unverified. */
static void judge(const struct wiper_job_opts *o, struct wiper_job_result *res)
{
	/* Threads record blocks as they meet them: list them in LBA order. */
	wiper_lba_list_sort(&res->bad);
	wiper_lba_list_sort(&res->mismatch);
	if (res->outcome != WIPER_PASSED)
		return;
	if (res->bad.total > 0) {
		res->outcome = WIPER_FAILED;
		snprintf(res->reason, sizeof(res->reason),
			 "%llu unreadable or unwritable blocks (first LBA %llu) - destroy physically",
			 (unsigned long long)res->bad.total, (unsigned long long)res->bad.lba[0]);
	} else if (res->mismatch.total > 0) {
		res->outcome = WIPER_FAILED;
		snprintf(res->reason, sizeof(res->reason),
			 "verification found %llu blocks that differ (first LBA %llu)",
			 (unsigned long long)res->mismatch.total,
			 (unsigned long long)res->mismatch.lba[0]);
	} else if (o->verify == WIPER_VERIFY_NONE) {
		/* NIST requires verification: an unverified erase cannot be certified. */
		res->outcome = WIPER_INCOMPLETE;
		snprintf(res->reason, sizeof(res->reason),
			 "written but not verified (--verify none): not certifiable as erased");
	}
}

int wiper_job_run(struct wiper_dev *dev, const struct wiper_job_opts *o,
		  struct wiper_job_result *res)
{
	const struct wiper_geom *g = wiper_dev_geom(dev);
	struct job_ctx ctx;
	double t0 = now();
	size_t i;

	if (o->npasses == 0 || o->npasses > WIPER_PASSES_MAX || g->size_bytes == 0 ||
	    g->logical_block == 0)
		return -EINVAL;
	if (o->prng != WIPER_PRNG_AUTO && !wiper_prng_supported(o->prng))
		return -ENOTSUP;

	res->start = time(NULL);
	res->outcome = WIPER_PASSED;
	res->reason[0] = '\0';
	res->verify = o->verify;
	res->npasses = o->npasses;
	if (o->request_bytes && (o->request_bytes % 4096 || o->request_bytes < g->logical_block))
		return -EINVAL;
	/* The record names the writing phase's shape: the one that erases. */
	wiper_io_shape(o, true, g->logical_block, &res->request_bytes, &res->queue_depth);
	snprintf(res->prng, sizeof(res->prng), "%s",
		 wiper_prng_impl_str(o->prng == WIPER_PRNG_AUTO ? wiper_prng_best() : o->prng));
	if (res->size_bytes == 0) {
		res->size_bytes = g->size_bytes;
		res->logical_block = g->logical_block;
		res->physical_block = g->physical_block;
	}

	memset(&ctx, 0, sizeof(ctx));
	ctx.o = o;
	for (i = 0; i < o->npasses; i++) {
		ctx.work_total += g->size_bytes;
		ctx.work_total += wiper_verify_bytes(o->verify, i, o->npasses, g->size_bytes);
	}
	for (i = 0; i < o->npasses; i++)
		if (!run_pass(dev, o, i, &ctx, res))
			break;
	judge(o, res);
	res->end = time(NULL);
	res->seconds = now() - t0;
	return 0;
}
