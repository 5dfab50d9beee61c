/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The one erase path. Every front end (the wiper CLI, the station, unattended
 * mode) runs a job through these calls and nothing else; the rules that
 * decide whether an erase may start, what it must cover and what its result
 * may claim live here, once:
 *
 *   wiper_run_plan()   before confirmation: the medium is not excluded; the
 *                      technique is chosen from its capabilities (once: the
 *                      job runs what was confirmed); the passes are built;
 *                      other namespaces a subsystem-wide sanitize reaches are
 *                      listed and must pass the exclusions too.
 *   wiper_run_open()   after confirmation: opened O_EXCL with the exclusions
 *                      read afresh, and it is the same medium as confirmed
 *                      (device number, diskseq, serial, size).
 *   wiper_run_exec()   on the job's thread: hidden areas (HPA, AMAC, DCO)
 *                      restored before any host overwrite; sibling namespaces
 *                      re-checked right before a subsystem-wide sanitize; the
 *                      job; the capacity re-read at the end (a changed size
 *                      is never PASSED); the result's geometry.
 *
 * A front end collects the person's choices (struct wiper_choice), notes the
 * job in its ledger between open and exec, shows progress and presents the
 * result. What may be certified for which destination is decided in certs/.
 */
#ifndef WIPER_RUN_H
#define WIPER_RUN_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wiper/caps.h"
#include "wiper/job.h"
#include "wiper/medium.h"
#include "wiper/methods.h"
#include "wiper/prng.h"

struct wiper_dev;
struct wiper_run;

enum wiper_choice_kind {
	WIPER_CHOOSE_RECOMMENDED,	/* Purge where a Purge technique is usable, else Clear */
	WIPER_CHOOSE_PURGE,		/* the strongest usable Purge technique; refused without */
	WIPER_CHOOSE_TECH,		/* the named firmware technique */
	WIPER_CHOOSE_CLEAR,		/* NIST Clear: one pass of zeros, read back in full */
	WIPER_CHOOSE_OVERWRITE,		/* a host overwrite method, or custom passes */
};

/* What the person chose, and how the job reports back. */
struct wiper_choice {
	enum wiper_choice_kind kind;
	enum wiper_tech tech;			/* WIPER_CHOOSE_TECH */
	/* Diagnostics: send a named SANITIZE the device does not advertise (never erase or format). */
	bool try_unsupported;

	/* WIPER_CHOOSE_OVERWRITE: a method, or custom pass definitions (borrowed). */
	const struct wiper_method *method;
	const struct wiper_pass_def *defs;
	size_t ndefs;
	const char *custom_title;		/* "00,ff,random" */
	unsigned rounds;			/* 0: 1 */
	enum wiper_verify_mode verify;
	bool verify_set;			/* else the method's own (Clear: all) */
	uint64_t seed;				/* master seed for random data and sampling */
	enum wiper_prng_impl prng;
	size_t request_bytes;			/* 0: default */
	unsigned queue_depth;			/* 0: default */
	size_t buffer_bytes;			/* 0: WIPER_BUFFER_BUDGET */

	/* Firmware sanitize timing; 0: the defaults (tests shorten them). */
	unsigned poll_ms;
	unsigned long deadline_ms;

	/* Called on the job's thread about 5 times a second. */
	void (*progress)(const struct wiper_progress *p, void *arg);
	void *progress_arg;
	atomic_bool *cancel;			/* set to stop: the job ends INCOMPLETE */
};

/*
 * Plan a job for @m (the medium as shown to the person) and @c. Returns 0
 * with *@out set, or -errno with one line for the person in @err: -EPERM
 * when the medium (or a namespace the technique also erases) may never be
 * erased, -EOPNOTSUPP when the chosen technique is not usable on it,
 * -EINVAL for passes that cannot be built, -ENOMEM.
 */
int wiper_run_plan(const struct wiper_medium *m, const struct wiper_choice *c,
		   struct wiper_run **out, char *err, size_t errlen);

/*
 * Open the planned medium for writing (O_EXCL, flock) and check it is still
 * erasable and the same medium as planned. 0, or -errno with the reason in
 * @err: -EPERM (excluded now), -ESTALE (a different medium is there now),
 * -ENODEV (gone), or the open's error. Nothing has been written either way.
 */
int wiper_run_open(struct wiper_run *r, char *err, size_t errlen);

/*
 * Use @dev (taken: closed by the run) instead of opening the node: for the
 * simulated drive in tests. wiper_run_open() then checks identity and size
 * against the device itself, as it does after opening a real node.
 */
void wiper_run_take_dev(struct wiper_run *r, struct wiper_dev *dev);

/*
 * Run the job (after wiper_run_open()). Always leaves an outcome in the
 * result; returns 0, or -errno when the job could not run at all (the
 * outcome is then INCOMPLETE with the reason). Closes the device.
 */
int wiper_run_exec(struct wiper_run *r);

/*
 * What WIPER_CHOOSE_RECOMMENDED picks for @m, for showing the plan before it
 * is made: true with the Purge technique in *@tech, false for Clear.
 */
bool wiper_run_recommended(const struct wiper_medium *m, enum wiper_tech *tech);

/* The result: identity and method filled by the plan, the rest by exec. */
struct wiper_job_result *wiper_run_result(struct wiper_run *r);
/* The medium as planned (borrowed). */
const struct wiper_medium *wiper_run_medium(const struct wiper_run *r);
/* Is it a firmware technique (not a host overwrite)? Which one? */
bool wiper_run_firmware(const struct wiper_run *r);
enum wiper_tech wiper_run_technique(const struct wiper_run *r);
/* Other namespaces the technique erases too ("/dev/nvme0n2, /dev/nvme0n3"), or "". */
const char *wiper_run_also(const struct wiper_run *r);
/* The planned passes (host overwrite), for presenting the plan. */
size_t wiper_run_passes(const struct wiper_run *r, const struct wiper_pass **passes);

void wiper_run_free(struct wiper_run *r);

#endif
