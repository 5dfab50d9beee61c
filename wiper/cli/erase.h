/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * wiper erase and wiper verify: what the command line asked for
 * (erase-opts.c) and how the run is shown (erase-show.c). The rules of an
 * erase are not here: they are in the runner (wiper/run.h).
 */
#ifndef WIPER_CLI_ERASE_H
#define WIPER_CLI_ERASE_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "wiper/cli/cli.h"
#include "wiper/job.h"
#include "wiper/methods.h"
#include "wiper/run.h"

/* The options of erase and verify. */
struct run_opts {
	const char *method;
	const char *pattern;
	enum wiper_verify_mode verify;
	bool verify_set;
	unsigned rounds;
	uint64_t seed;
	bool seed_set;
	bool yes, json;
	bool try_unsupported;
	struct cli_cert_fields cert;
	uint64_t request;
	unsigned qd;
	enum wiper_prng_impl prng;
	/* From the method or the pattern (erase_choice()). */
	struct wiper_pass_def defs[WIPER_PASSES_MAX];
};

/* One device of the run. */
struct target {
	struct wiper_medium m;
	struct wiper_run *run;
	pthread_t thread;
	bool started;
	int rc;
	int64_t job_id;			/* open job in the ledger, 0 without one */
	pthread_mutex_t *lock;		/* the run's, guards the fields below */
	struct wiper_progress last;
	bool have_progress;
	bool done;
};

/* Parse the options; returns the index of the first device or -1 (message printed). */
int erase_parse_opts(int argc, char **argv, struct run_opts *ro, bool is_verify);
/*
 * What the person chose, for the runner; -1 after printing why. @ndev shares
 * the memory budget between the devices.
 */
int erase_choice(struct run_opts *ro, unsigned ndev, struct wiper_choice *c);
/* Resolve the passes of --method/--pattern for wiper verify; count, or -1 after printing. */
int erase_verify_passes(const struct run_opts *ro, struct wiper_pass *passes,
			const struct wiper_method **mout);

/* Ask the operator on /dev/tty to confirm, naming every device. */
bool erase_confirm(struct target *t, size_t n);
/* One progress line per device (TTY) or JSON progress events. */
void erase_show_progress(struct target *t, size_t n, bool json, bool tty, bool first);
/* The result of one device, as text or a JSON line. */
void erase_show_result(const struct wiper_job_result *r, bool json);

#endif
