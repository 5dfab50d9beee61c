/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * An overwrite job and its result. The result is a plain struct that the
 * certificate layer records as it is: identity, method, every pass with its
 * pattern or seed, bytes, time, rate, errors, verification and outcome.
 */
#ifndef WIPER_JOB_H
#define WIPER_JOB_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "wiper/methods.h"
#include "wiper/prng.h"

struct wiper_dev;

enum wiper_outcome { WIPER_PASSED, WIPER_FAILED, WIPER_INCOMPLETE };
const char *wiper_outcome_str(enum wiper_outcome o);

#define WIPER_LBA_LIST_MAX 1024
#define WIPER_STEPS_MAX 64

/* One command sent to the drive, and its answer, for the certificate. */
struct wiper_step {
	char command[160];	/* "ATA SANITIZE BLOCK ERASE EXT (B4h/0012h, FAILURE MODE=0)" */
	char answer[160];	/* "completed without error", "NVMe: Invalid Command Opcode ..." */
	int rc;
	time_t at;
};

/* A bounded list of LBAs, with the total count even when the list is full. */
struct wiper_lba_list {
	uint64_t lba[WIPER_LBA_LIST_MAX];
	size_t n;
	uint64_t total;
};

/* Append an LBA to a bounded list (the total keeps counting when it is full). */
void wiper_lba_list_add(struct wiper_lba_list *l, uint64_t lba);
/* Put the listed LBAs in ascending order (threads record them as they meet them). */
void wiper_lba_list_sort(struct wiper_lba_list *l);

struct wiper_pass_result {
	struct wiper_pass pass;
	bool completed;			/* every byte was attempted and flushed */
	uint64_t bytes;			/* bytes written */
	double seconds;
	uint64_t write_errors;		/* logical blocks that refused the write */
	bool verified;			/* a verification ran after this pass */
	uint64_t verify_bytes;
	double verify_seconds;
	uint64_t verify_mismatches;	/* logical blocks that read back wrong */
	uint64_t verify_read_errors;	/* logical blocks that could not be read */
};

struct wiper_job_result {
	/* The medium, copied in by the front end. */
	char node[128];
	char model[128];
	char serial[128];
	char transport[16];
	uint64_t size_bytes;
	uint32_t logical_block;
	uint32_t physical_block;

	char method[48];
	char method_title[96];
	char label[8];			/* "Clear" */
	enum wiper_verify_mode verify;
	unsigned rounds;
	uint64_t seed;			/* the job's master seed */
	char prng[16];			/* implementation that generated the stream */
	size_t request_bytes;
	unsigned queue_depth;

	struct wiper_pass_result passes[WIPER_PASSES_MAX];
	size_t npasses;

	struct wiper_lba_list bad;	/* blocks that could not be written or read */
	struct wiper_lba_list mismatch;	/* blocks that read back differently */
	double verify_coverage;		/* fraction of the medium read back, 0..1 */
	uint64_t verify_samples;	/* sample regions (sampling mode) */

	/* Firmware sanitize (method purge or a named technique), when one ran. */
	char technique[48];		/* "nvme-sanitize-crypto"; "" for host overwrite */
	struct wiper_step steps[WIPER_STEPS_MAX];
	size_t nsteps;
	bool hidden_checked;		/* the native max was read */
	uint64_t sectors_before;	/* user-addressable sectors before */
	uint64_t native_sectors;	/* the drive's native max */
	uint64_t sectors_after;		/* after restoring hidden areas */
	uint64_t compare_blocks;	/* pre/post comparison of sampled blocks */
	uint64_t compare_uniform;	/* of those, blocks that held no data before */
	uint64_t compare_unchanged;	/* blocks with data that did not change: failure */

	time_t start, end;		/* UTC */
	double seconds;
	enum wiper_outcome outcome;
	char reason[256];		/* why not PASSED */
};

/* A snapshot of a job's progress, handed to the progress callback. */
struct wiper_progress {
	unsigned pass;			/* 1-based */
	unsigned npasses;
	bool verifying;
	uint64_t done;			/* bytes of this phase */
	uint64_t total;
	double rate;			/* bytes per second in this phase */
	double eta;			/* seconds left in the whole job, <0 unknown */
	uint64_t errors;		/* bad blocks so far */
};

struct wiper_job_opts {
	const struct wiper_pass *passes;	/* borrowed */
	size_t npasses;
	enum wiper_verify_mode verify;
	enum wiper_prng_impl prng;
	size_t request_bytes;		/* both phases; 0: each phase's default */
	unsigned queue_depth;		/* I/O threads, both phases; 0: default */
	size_t buffer_bytes;		/* I/O buffers at most; 0: WIPER_BUFFER_BUDGET */
	/* Called from the job's thread about 5 times a second. */
	void (*progress)(const struct wiper_progress *p, void *arg);
	void *progress_arg;
	atomic_bool *cancel;		/* set to stop: the job ends INCOMPLETE */
};

/* Does a verification follow pass @i (0-based) of @npasses under @mode? */
bool wiper_verify_after(enum wiper_verify_mode mode, size_t i, size_t npasses);
/*
 * Bytes that verification reads of a @size-byte medium (0: none follows).
 * Sampling reads about an eighth (the plan is drawn at run time): the
 * figure the whole job's progress and ETA are reckoned with.
 */
uint64_t wiper_verify_bytes(enum wiper_verify_mode mode, size_t i, size_t npasses, uint64_t size);

/*
 * The I/O shape of a phase, by default. Writing a pass takes 4 requests of
 * 4 MiB in flight, reading one back 8 of 1 MiB: measured on loop devices over
 * tmpfs and over a disk file (tests/bench/request-matrix.sh, throughput.sh,
 * 2026-12-02), 4 MiB writes reach the write ceiling where 1 MiB writes of
 * freshly generated data stayed at 0.87-0.93x, while 1 MiB reads verify at
 * the read ceiling and 4 MiB reads of a disk-backed loop fell to 0.83-0.97x.
 * A job's buffers (requests in flight x request size) stay within its
 * buffer budget: fewer requests in flight first (not below 2), then smaller
 * requests (not below 256 KiB).
 */
#define WIPER_WRITE_REQUEST (4u << 20)
#define WIPER_WRITE_DEPTH 4u
#define WIPER_READ_REQUEST (1u << 20)
#define WIPER_READ_DEPTH 8u
#define WIPER_BUFFER_BUDGET (16u << 20)
/* All jobs of one process together, when it runs several (see wiper_buffer_share). */
#define WIPER_BUFFER_TOTAL (48u << 20)

/*
 * The request size and depth of a writing (@write) or reading phase under
 * @o (NULL: the defaults) on a device of @lbs-byte logical blocks: explicit
 * request_bytes / queue_depth as given, the rest fitted to the budget. The
 * request is a multiple of 4096 and of @lbs.
 */
void wiper_io_shape(const struct wiper_job_opts *o, bool write, uint32_t lbs, size_t *req,
		    unsigned *depth);

/* The buffer budget of one of @njobs jobs running at once in one process. */
size_t wiper_buffer_share(unsigned njobs);

/*
 * Run every pass of @o on @dev (opened for writing, preferably O_DIRECT),
 * flush after each, verify as asked, and fill @res (whose identity fields the
 * caller set). Never reports PASSED unless every byte was written and flushed
 * and verification, if asked, found nothing. Returns 0 when the job ran to an
 * outcome (see res->outcome), or -errno when it could not start.
 */
int wiper_job_run(struct wiper_dev *dev, const struct wiper_job_opts *o,
		  struct wiper_job_result *res);

/*
 * Read @dev back and compare it with @pass: in full (mode ALL/LAST) or by
 * NIST sampling (SAMPLE, seeded by @sample_seed). Fills the verification
 * fields of @res and @pr. Returns 0 or -errno when the device vanished.
 */
int wiper_verify_pass(struct wiper_dev *dev, const struct wiper_pass *pass,
		      enum wiper_verify_mode mode, uint64_t sample_seed, const struct wiper_job_opts *o,
		      struct wiper_job_result *res, struct wiper_pass_result *pr);

/* One region of the NIST sampling plan, in logical blocks. */
struct wiper_sample {
	uint64_t lba;
	uint64_t count;
};

/*
 * The NIST SP 800-88 sampling plan for @blocks logical blocks of @lbs bytes:
 * at least 1000 equal subsections (fewer only when the medium has fewer
 * blocks), two non-overlapping pseudorandom samples in each, each at least
 * 5 % of its subsection, the first and the last block always included.
 * Returns the number of regions in *@out (malloc'ed), or -errno.
 */
long wiper_sample_plan(uint64_t blocks, uint32_t lbs, uint64_t seed, struct wiper_sample **out);

#endif
