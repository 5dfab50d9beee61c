/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * wiper erase: plan every named device, confirm, then run one job per
 * device through the runner (wiper/run.h) and present the results. The
 * rules of the erase are the runner's; this file orders the steps around
 * the person (confirmation) and the ledger (noted before the first write).
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "wiper/cli/erase.h"

#define MAX_DEVICES 64

static atomic_bool cancel_flag;
/* Workers say they are done (or have progress) through this, so nothing waits longer than needed. */
static pthread_mutex_t run_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t run_cond = PTHREAD_COND_INITIALIZER;

/* SIGINT/SIGTERM: ask every job to stop; they end INCOMPLETE. */
static void on_signal(int sig)
{
	(void)sig;
	atomic_store(&cancel_flag, true);
}

/* Progress callback, on the job's thread: keep the latest snapshot. */
static void on_progress(const struct wiper_progress *p, void *arg)
{
	struct target *t = arg;

	pthread_mutex_lock(&run_lock);
	t->last = *p;
	t->have_progress = true;
	pthread_mutex_unlock(&run_lock);
}

/* The per-device worker thread: the runner does the job. */
static void *worker(void *arg)
{
	struct target *t = arg;
	int rc = wiper_run_exec(t->run);

	pthread_mutex_lock(&run_lock);
	t->rc = rc;
	t->done = true;
	pthread_cond_broadcast(&run_cond);
	pthread_mutex_unlock(&run_lock);
	return NULL;
}

/* Describe and plan every device; EXIT_OK or the exit status after printing why. */
static int plan_all(char **names, int ndev, struct wiper_choice *c, struct target *t)
{
	char err[512];
	int i, j, rc;

	for (i = 0; i < ndev; i++) {
		for (j = 0; j < i; j++)
			if (strcmp(names[i], names[j]) == 0) {
				cli_err("%s: named twice", names[i]);
				return EXIT_USAGE;
			}
		rc = wiper_medium_from_path(names[i], &t[i].m, err, sizeof(err));
		if (rc < 0) {
			cli_err("%s", err);
			return rc == -ENODEV || rc == -ENOENT ? EXIT_USAGE : EXIT_FAIL;
		}
		c->progress_arg = &t[i];	/* the plan keeps its own copy of the choice */
		rc = wiper_run_plan(&t[i].m, c, &t[i].run, err, sizeof(err));
		if (rc < 0) {
			cli_err("%s", err);
			return rc == -ENOMEM ? EXIT_FAIL : EXIT_USAGE;
		}
	}
	return EXIT_OK;
}

/* Open every device (after confirmation); EXIT_OK or EXIT_USAGE after printing why. */
static int open_all(struct target *t, int ndev)
{
	char err[512];
	int i;

	for (i = 0; i < ndev; i++)
		if (wiper_run_open(t[i].run, err, sizeof(err)) < 0) {
			cli_err("%s", err);
			return EXIT_USAGE;
		}
	return EXIT_OK;
}

/* Note each job in the ledger and start its worker; returns how many started. */
static int start_all(const struct run_opts *ro, struct target *t, int ndev, int *rc)
{
	int i;

	for (i = 0; i < ndev; i++) {
		struct target *x = &t[i];

		/* Noted before the first write: if this process dies, the next run certifies it INCOMPLETE. */
		if (ro->cert.ledger && cli_job_begin(&ro->cert, wiper_run_result(x->run), &x->job_id) < 0)
			break;
		if (pthread_create(&x->thread, NULL, worker, x) != 0) {
			cli_err("cannot start a worker thread");
			if (x->job_id)
				cli_job_forget(&ro->cert, x->job_id);
			break;
		}
		x->started = true;
	}
	if (i < ndev) {
		atomic_store(&cancel_flag, true);
		*rc = EXIT_FAIL;
	}
	return i;
}

/* Wait for every worker, showing progress about twice a second. */
static void wait_all(const struct run_opts *ro, struct target *t, int n)
{
	bool tty = isatty(STDERR_FILENO), first = true, all;
	int i;

	for (;;) {
		struct timespec until;

		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += 500 * 1000 * 1000;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_mutex_lock(&run_lock);
		for (;;) {
			for (all = true, i = 0; i < n; i++)
				all = all && t[i].done;
			if (all || pthread_cond_timedwait(&run_cond, &run_lock, &until) == ETIMEDOUT)
				break;
		}
		pthread_mutex_unlock(&run_lock);
		if (all)
			break;
		erase_show_progress(t, (size_t)n, ro->json, tty, first);
		first = false;
	}
	for (i = 0; i < n; i++)
		pthread_join(t[i].thread, NULL);
	if (!first)
		erase_show_progress(t, (size_t)n, false, tty && !ro->json, false);
}

/* Present each result and issue its certificate; the exit status. */
static int finish_all(const struct run_opts *ro, struct target *t, int n, int rc)
{
	int i;

	for (i = 0; i < n; i++) {
		struct wiper_job_result *r = wiper_run_result(t[i].run);

		erase_show_result(r, ro->json);
		if (t[i].rc < 0)
			cli_err("%s: could not run: %s", r->node, strerror(-t[i].rc));
		if (ro->cert.ledger) {
			char cert_no[64] = "";

			/* A job that could not run is certified INCOMPLETE: it was noted, so it ends. */
			if (cli_issue_certificate(&ro->cert, r, t[i].job_id, cert_no, sizeof(cert_no)) < 0)
				rc = EXIT_FAIL;
			else if (!ro->json)
				printf("%s: certificate %s issued into %s\n", r->node, cert_no,
				       ro->cert.ledger);
		}
		if (r->outcome != WIPER_PASSED || t[i].rc < 0)
			rc = EXIT_FAIL;
	}
	return rc;
}

int cmd_erase(int argc, char **argv)
{
	struct wiper_choice choice;
	struct target *t;
	struct run_opts ro;
	struct sigaction sa;
	int first_dev, ndev, started = 0, i, rc;

	first_dev = erase_parse_opts(argc, argv, &ro, false);
	if (first_dev < 0)
		return EXIT_USAGE;
	ndev = argc - first_dev;
	if (ndev > MAX_DEVICES) {
		cli_err("erase: at most %d devices at once", MAX_DEVICES);
		return EXIT_USAGE;
	}
	if (erase_choice(&ro, (unsigned)ndev, &choice) < 0)
		return EXIT_USAGE;
	choice.progress = on_progress;
	choice.cancel = &cancel_flag;
	t = calloc((size_t)ndev, sizeof(*t));
	if (t == NULL) {
		cli_err("out of memory");
		return EXIT_FAIL;
	}
	for (i = 0; i < ndev; i++)
		t[i].lock = &run_lock;
	/* The certificate's side first: a bad ledger or name is refused before any medium is opened. */
	if (ro.cert.ledger ? cli_cert_preflight(&ro.cert) < 0 : cli_cert_policy(&ro.cert) < 0) {
		rc = EXIT_USAGE;
		goto out;
	}
	rc = plan_all(argv + first_dev, ndev, &choice, t);
	if (rc != EXIT_OK)
		goto out;
	if (!ro.cert.ledger)
		cli_err("note: no --ledger given, so no certificate will be issued for %s",
			ndev == 1 ? "this erasure" : "these erasures");
	/* A run that was killed or lost power left its jobs open: certify them INCOMPLETE first. */
	if (ro.cert.ledger && cli_job_recover(&ro.cert) < 0) {
		rc = EXIT_FAIL;
		goto out;
	}
	if (!ro.yes && !erase_confirm(t, (size_t)ndev)) {
		cli_err("not confirmed; nothing was erased");
		rc = EXIT_USAGE;
		goto out;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);	/* a dropped terminal stops the jobs cleanly, INCOMPLETE */
	rc = open_all(t, ndev);
	if (rc != EXIT_OK)
		goto out;
	started = start_all(&ro, t, ndev, &rc);
	wait_all(&ro, t, started);
	rc = finish_all(&ro, t, started, rc);
out:
	for (i = 0; i < ndev; i++) {
		wiper_run_free(t[i].run);
		wiper_medium_done(&t[i].m);
	}
	free(t);
	return rc;
}
