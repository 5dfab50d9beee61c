/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * One phase of a job (writing a pass, or reading it back) spread over a few
 * I/O threads. Each thread takes the next request-sized piece, generates its
 * data (pattern or random stream) and transfers it, so generation in one
 * thread overlaps the I/O of the others; a failed request is narrowed to the
 * logical blocks that fail. Internal to libwiper (overwrite.c, verify.c).
 */
#ifndef WIPER_IO_PHASE_H
#define WIPER_IO_PHASE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "wiper/job.h"

struct io_phase {
	/* Set by the caller. */
	struct wiper_dev *dev;
	const struct wiper_pass *pass;
	bool write;
	uint64_t size;			/* bytes of the device */
	uint32_t lbs;
	size_t req;
	unsigned threads;
	enum wiper_prng_impl prng;
	const struct wiper_sample *samples;	/* NULL: the whole device */
	size_t nsamples;
	atomic_bool *cancel;
	struct wiper_job_result *res;	/* LBA lists, under lock */

	/* Shared progress. */
	atomic_uint_fast64_t next;
	uint64_t nitems;
	atomic_uint_fast64_t done;	/* bytes */
	uint64_t total;			/* bytes this phase covers */
	atomic_uint_fast64_t bad_blocks;	/* write or read errors */
	atomic_uint_fast64_t mismatches;
	atomic_uint_fast64_t bad_run;	/* blocks failed in a row, any thread */
	atomic_int fatal;		/* first -errno that ends the phase */
	atomic_bool stop;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned running;
};

/*
 * A medium that fails this many logical blocks in a row has stopped
 * answering: the phase ends (-EIO) instead of trying every block of the
 * disk one by one, which could take hours. Sooner, and every
 * IO_GONE_CHECK blocks in a row, the device is asked whether it is still
 * there at all; if not, the phase ends with -ENODEV.
 */
#define IO_DEAD_BLOCKS 65536u
#define IO_GONE_CHECK 256u

/*
 * Run the phase; calls @tick about every 200 ms with the phase's progress.
 * Returns 0 when it ran to the end, -ECANCELED when cancelled, -EIO when
 * the medium stopped answering (IO_DEAD_BLOCKS), or the fatal -errno
 * (device gone).
 */
int io_phase_run(struct io_phase *ph, void (*tick)(struct io_phase *ph, void *arg), void *arg);


/* Is this error the device going away (as opposed to a bad block)? */
bool io_error_is_fatal(int err);

#endif
