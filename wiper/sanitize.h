/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Firmware sanitize: ATA SANITIZE and SECURITY ERASE over SG_IO, NVMe
 * Sanitize and Format through libnvme, with hidden-area restoration, status
 * polling against a deadline, and the verification NIST asks for (a pre/post
 * comparison of sampled blocks for crypto and block erase, a full read-back
 * after an overwrite sanitize). Every command sent is logged in the result.
 */
#ifndef WIPER_SANITIZE_H
#define WIPER_SANITIZE_H

#include <stdatomic.h>

#include "wiper/caps.h"
#include "wiper/job.h"

struct wiper_dev;

struct wiper_sanitize_opts {
	unsigned poll_ms;		/* status poll interval; 0: 2000 ms */
	unsigned long deadline_ms;	/* give up after; 0: derived from the drive's estimate */
	uint64_t seed;			/* sampling seed */
	void (*progress)(const struct wiper_progress *p, void *arg);
	void *progress_arg;
	atomic_bool *cancel;
	/*
	 * Diagnostics: send a sanitize command even though the device does not
	 * advertise it, so its refusal is recorded. Never applies to Format with
	 * crypto erase (QEMU accepts it without FNA support and would "succeed").
	 */
	bool try_unsupported;
	/*
	 * The runner (wiper/run.h) chose @tech from the capabilities already
	 * and confirmed it with the person: run it as chosen, labelled @label,
	 * without deciding again.
	 */
	bool planned;
	enum wiper_label label;
};

/*
 * Make hidden areas (HPA, AMAC, DCO) accessible before any erase, so that
 * host overwrite and verification reach every sector; records the commands
 * and the capacities before and after in @res. A hidden area that cannot be
 * restored sets res->outcome to FAILED with the reason. Returns 0.
 */
int wiper_hidden_restore(struct wiper_dev *dev, struct wiper_disk *d, struct wiper_identity *id,
			 struct wiper_job_result *res);

/*
 * Run technique @tech on @dev (opened for writing) and verify it. @d and @id
 * describe the medium (from wiper_identify); @res's identity fields are set by
 * the caller. Hidden areas (HPA) are restored first. Returns 0 when the job
 * reached an outcome (res->outcome), or -errno when it could not start.
 */
int wiper_sanitize_run(struct wiper_dev *dev, struct wiper_disk *d, struct wiper_identity *id,
		       enum wiper_tech tech, const struct wiper_sanitize_opts *o,
		       struct wiper_job_result *res);

#endif
