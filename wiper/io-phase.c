/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "wiper/io-phase.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wiper/dev.h"

/*
 * Read data is compared piece by piece against the expected bytes, made in a
 * per-thread buffer. A pattern's piece is made once per phase and reused for
 * every piece that starts at the same phase (a zero pass compares against one
 * buffer for the whole device). Random data is first compared in one pass
 * that generates the stream in registers and stores nothing
 * (wiper_prng_compare); only a request that differs is then made piece by
 * piece, each small enough to stay in the L1 cache, to find its blocks.
 */
#define EXPECT_PIECE (64u * 1024u)
#define EXPECT_PIECE_RANDOM (RANDOM_PIECE_KIB * 1024u)
#ifndef RANDOM_PIECE_KIB
#define RANDOM_PIECE_KIB 16u
#endif

/* A thread's expected bytes: the buffer and, for a pattern, its phase. */
struct expect {
	uint8_t *buf;
	size_t phase;	/* pattern phase the buffer holds; SIZE_MAX: none */
};

void wiper_lba_list_add(struct wiper_lba_list *l, uint64_t lba)
{
	if (l->n < WIPER_LBA_LIST_MAX)
		l->lba[l->n++] = lba;
	l->total++;
}

static int cmp_lba(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

void wiper_lba_list_sort(struct wiper_lba_list *l)
{
	qsort(l->lba, l->n, sizeof(l->lba[0]), cmp_lba);
}

bool io_error_is_fatal(int err)
{
	/* EIO is a medium error; these mean the device or its path is gone. */
	return err == -ENODEV || err == -ENXIO || err == -ESHUTDOWN || err == -ENOTCONN ||
	       err == -EBADF || err == -ENOMEDIUM ||
	       /* The device turned read-only or refuses us: retrying block by block is futile. */
	       err == -EROFS || err == -EPERM || err == -EACCES || err == -EINVAL;
}

/* The smallest request the budget may shrink a default one to. */
#define SHAPE_MIN_REQUEST (256u << 10)

void wiper_io_shape(const struct wiper_job_opts *o, bool write, uint32_t lbs, size_t *req,
		    unsigned *depth)
{
	size_t r = o && o->request_bytes ? o->request_bytes :
		   write ? WIPER_WRITE_REQUEST : WIPER_READ_REQUEST;
	unsigned d = o && o->queue_depth ? o->queue_depth :
		     write ? WIPER_WRITE_DEPTH : WIPER_READ_DEPTH;
	size_t budget = o && o->buffer_bytes ? o->buffer_bytes : WIPER_BUFFER_BUDGET;
	size_t unit = lbs > 4096 ? lbs : 4096;

	if (!(o && o->queue_depth) && r * d > budget)
		d = budget / r >= 2 ? (unsigned)(budget / r) : 2;
	if (!(o && o->request_bytes) && r * d > budget) {
		r = budget / d / unit * unit;
		if (r < SHAPE_MIN_REQUEST)
			r = (SHAPE_MIN_REQUEST + unit - 1) / unit * unit;
	}
	*req = r;
	*depth = d;
}

size_t wiper_buffer_share(unsigned njobs)
{
	size_t share = WIPER_BUFFER_TOTAL / (njobs ? njobs : 1);

	return share < WIPER_BUFFER_BUDGET ? share : WIPER_BUFFER_BUDGET;
}

/* Fill @buf with the pass's bytes for device offset @off. */
static int fill_expected(const struct io_phase *ph, uint8_t *buf, size_t len, uint64_t off)
{
	const struct wiper_pass *p = ph->pass;
	size_t i, phase, filled;

	if (p->random)
		return wiper_prng_fill(ph->prng, p->seed, off, buf, len);
	/* The pattern repeats across the whole device: byte X is pattern[X % len]. */
	phase = (size_t)(off % p->pattern_len);
	filled = len < p->pattern_len ? len : p->pattern_len;
	for (i = 0; i < filled; i++)
		buf[i] = p->pattern[(phase + i) % p->pattern_len];
	while (filled < len) {
		/* Doubling keeps the phase: filled is a multiple of pattern_len here. */
		size_t n = filled <= len - filled ? filled : len - filled;

		memcpy(buf + filled, buf, n);
		filled += n;
	}
	return 0;
}

/* End the phase for everyone with a fatal error. */
static void set_fatal(struct io_phase *ph, int err)
{
	int zero = 0;

	atomic_compare_exchange_strong(&ph->fatal, &zero, err);
	atomic_store(&ph->stop, true);
}

/*
 * Record a block that failed and count it. A long run of failures means
 * the device is gone or the medium stopped answering: end the phase.
 */
static void record_bad(struct io_phase *ph, uint64_t lba)
{
	uint64_t run;

	pthread_mutex_lock(&ph->lock);
	wiper_lba_list_add(&ph->res->bad, lba);
	pthread_mutex_unlock(&ph->lock);
	atomic_fetch_add(&ph->bad_blocks, 1);
	run = atomic_fetch_add(&ph->bad_run, 1) + 1;
	if (run % IO_GONE_CHECK == 0 && wiper_dev_gone(ph->dev))
		set_fatal(ph, -ENODEV);
	else if (run >= IO_DEAD_BLOCKS)
		set_fatal(ph, -EIO);
}

/* Record a block that read back wrong. */
static void record_mismatch(struct io_phase *ph, uint64_t lba)
{
	pthread_mutex_lock(&ph->lock);
	wiper_lba_list_add(&ph->res->mismatch, lba);
	pthread_mutex_unlock(&ph->lock);
	atomic_fetch_add(&ph->mismatches, 1);
}

/*
 * A request failed: retry it one logical block at a time to find exactly
 * which blocks fail, and carry on with the rest.
 */
static void narrow_write(struct io_phase *ph, const uint8_t *buf, size_t len, uint64_t off)
{
	size_t i;

	for (i = 0; i < len && !atomic_load(&ph->fatal); i += ph->lbs) {
		ssize_t n = wiper_dev_pwrite(ph->dev, buf + i, ph->lbs, off + i);

		if (n < 0 && io_error_is_fatal((int)n)) {
			set_fatal(ph, (int)n);
			return;
		}
		if (n != (ssize_t)ph->lbs)
			record_bad(ph, (off + i) / ph->lbs);
		else
			atomic_store(&ph->bad_run, 0);
	}
}

/* Compare @got with the expected bytes at @off; record differing blocks. */
static int compare(struct io_phase *ph, const uint8_t *got, struct expect *e, size_t len,
		   uint64_t off)
{
	const struct wiper_pass *p = ph->pass;
	size_t piece = p->random ? EXPECT_PIECE_RANDOM : EXPECT_PIECE;
	const uint8_t *exp = e->buf;
	size_t pos;
	int rc;

	if (p->random) {
		/* The common case, all equal, in one pass that stores nothing. */
		rc = wiper_prng_compare(ph->prng, p->seed, off, got, len);
		if (rc <= 0)
			return rc;
	}
	/* Pieces: made and compared one by one, to find the blocks that differ. */
	for (pos = 0; pos < len; pos += piece) {
		size_t n = len - pos < piece ? len - pos : piece;
		size_t b;

		if (p->random) {
			rc = fill_expected(ph, e->buf, n, off + pos);
			if (rc < 0)
				return rc;
		} else {
			size_t phase = (size_t)((off + pos) % p->pattern_len);

			/* A whole piece is made, so a shorter one (the last) is its prefix. */
			if (phase != e->phase) {
				fill_expected(ph, e->buf, EXPECT_PIECE, off + pos);
				e->phase = phase;
			}
		}
		if (memcmp(got + pos, exp, n) == 0)
			continue;
		for (b = 0; b < n; b += ph->lbs)
			if (memcmp(got + pos + b, exp + b, ph->lbs) != 0)
				record_mismatch(ph, (off + pos + b) / ph->lbs);
	}
	return 0;
}

/* A read failed: read block by block, compare what reads, record what doesn't. */
static int narrow_read(struct io_phase *ph, uint8_t *buf, struct expect *exp, size_t len,
		       uint64_t off)
{
	size_t i;

	for (i = 0; i < len; i += ph->lbs) {
		ssize_t n;

		if (atomic_load(&ph->fatal))
			return atomic_load(&ph->fatal);
		n = wiper_dev_pread(ph->dev, buf, ph->lbs, off + i);
		if (n < 0 && io_error_is_fatal((int)n)) {
			set_fatal(ph, (int)n);
			return (int)n;
		}
		if (n != (ssize_t)ph->lbs) {
			record_bad(ph, (off + i) / ph->lbs);
			continue;
		}
		atomic_store(&ph->bad_run, 0);
		compare(ph, buf, exp, ph->lbs, off + i);
	}
	return 0;
}

/* Where item @idx of the phase lies on the device. */
static void item_range(const struct io_phase *ph, uint64_t idx, uint64_t *off, size_t *len)
{
	if (ph->samples) {
		*off = ph->samples[idx].lba * ph->lbs;
		*len = (size_t)(ph->samples[idx].count * ph->lbs);
		/* Never more than the buffer: callers split samples, this is the backstop. */
		if (*len > ph->req)
			*len = ph->req;
	} else {
		*off = idx * ph->req;
		*len = ph->size - *off < ph->req ? (size_t)(ph->size - *off) : ph->req;
	}
}

/* One I/O thread: take pieces until none is left or the phase stops. */
static void *io_thread(void *arg)
{
	struct io_phase *ph = arg;
	uint8_t *buf = NULL;
	struct expect exp = { NULL, SIZE_MAX };
	size_t buf_phase = SIZE_MAX;	/* pattern phase the write buffer holds */

	if (posix_memalign((void **)&buf, 4096, ph->req) != 0 ||
	    posix_memalign((void **)&exp.buf, 4096, EXPECT_PIECE) != 0) {
		set_fatal(ph, -ENOMEM);
		goto out;
	}
	while (!atomic_load(&ph->stop)) {
		uint64_t idx = atomic_fetch_add(&ph->next, 1), off;
		size_t len, done = 0;
		ssize_t n;

		if (idx >= ph->nitems)
			break;
		if (ph->cancel && atomic_load(ph->cancel)) {
			atomic_store(&ph->stop, true);
			break;
		}
		item_range(ph, idx, &off, &len);
		if (ph->write) {
			if (ph->pass->random) {
				if (fill_expected(ph, buf, len, off) < 0) {
					set_fatal(ph, -ENOTSUP);
					break;
				}
			} else {
				size_t phase = (size_t)(off % ph->pass->pattern_len);

				/* Whole pieces of a pattern are filled once, not per request. */
				if (phase != buf_phase) {
					fill_expected(ph, buf, ph->req, off);
					buf_phase = phase;
				}
			}
			n = wiper_dev_pwrite(ph->dev, buf, len, off);
			if (n < 0 && io_error_is_fatal((int)n)) {
				set_fatal(ph, (int)n);
				break;
			}
			if (n != (ssize_t)len)
				narrow_write(ph, buf, len, off);
			else if (atomic_load(&ph->bad_run))
				atomic_store(&ph->bad_run, 0);
		} else {
			n = wiper_dev_pread(ph->dev, buf, len, off);
			if (n < 0 && io_error_is_fatal((int)n)) {
				set_fatal(ph, (int)n);
				break;
			}
			if (n == (ssize_t)len) {
				if (atomic_load(&ph->bad_run))
					atomic_store(&ph->bad_run, 0);
				if (compare(ph, buf, &exp, len, off) < 0) {
					set_fatal(ph, -ENOTSUP);
					break;
				}
			} else if (narrow_read(ph, buf, &exp, len, off) < 0) {
				break;
			}
		}
		done = len;
		atomic_fetch_add(&ph->done, done);
	}
out:
	free(buf);
	free(exp.buf);
	pthread_mutex_lock(&ph->lock);
	ph->running--;
	pthread_cond_broadcast(&ph->cond);
	pthread_mutex_unlock(&ph->lock);
	return NULL;
}

int io_phase_run(struct io_phase *ph, void (*tick)(struct io_phase *ph, void *arg), void *arg)
{
	pthread_t tids[64];
	unsigned i, started = 0;
	int rc = 0;

	atomic_init(&ph->next, 0);
	atomic_init(&ph->done, 0);
	atomic_init(&ph->bad_blocks, 0);
	atomic_init(&ph->bad_run, 0);
	atomic_init(&ph->mismatches, 0);
	atomic_init(&ph->fatal, 0);
	atomic_init(&ph->stop, false);
	if (ph->samples) {
		ph->nitems = ph->nsamples;
		ph->total = 0;
		for (i = 0; i < ph->nsamples; i++)
			ph->total += ph->samples[i].count * ph->lbs;
	} else {
		ph->nitems = (ph->size + ph->req - 1) / ph->req;
		ph->total = ph->size;
	}
	if (ph->threads == 0)
		ph->threads = 1;
	if (ph->threads > 64)
		ph->threads = 64;
	pthread_mutex_init(&ph->lock, NULL);
	pthread_cond_init(&ph->cond, NULL);
	ph->running = 0;

	pthread_mutex_lock(&ph->lock);
	for (i = 0; i < ph->threads; i++) {
		if (pthread_create(&tids[i], NULL, io_thread, ph) != 0)
			break;
		ph->running++;
		started++;
	}
	if (started == 0) {
		pthread_mutex_unlock(&ph->lock);
		rc = -EAGAIN;
		goto out;
	}
	while (ph->running > 0) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 200 * 1000 * 1000;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&ph->cond, &ph->lock, &ts);
		if (ph->running > 0 && tick) {
			pthread_mutex_unlock(&ph->lock);
			tick(ph, arg);
			pthread_mutex_lock(&ph->lock);
		}
	}
	pthread_mutex_unlock(&ph->lock);
	for (i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
	if (tick)
		tick(ph, arg);
	rc = atomic_load(&ph->fatal);
	if (rc == 0 && ph->cancel && atomic_load(ph->cancel))
		rc = -ECANCELED;
	if (rc == 0 && atomic_load(&ph->done) < ph->total)
		rc = -ECANCELED; /* stopped early without a cause: treat as cancelled */
out:
	pthread_cond_destroy(&ph->cond);
	pthread_mutex_destroy(&ph->lock);
	return rc;
}
