/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Erase jobs: one worker thread per medium. Workers never touch curses: they
 * post progress snapshots under the job's lock and wake the UI loop through
 * the self-pipe.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ui-ncurses/station/station.h"

void ui_wake(int fd, char why)
{
	ssize_t n;

	/* The pipe is non-blocking: when it is full the loop is awake anyway. */
	n = write(fd, &why, 1);
	(void)n;
}

/* Seconds on the monotonic clock. */
static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Progress callback, on the job's thread: keep the latest snapshot. */
static void on_progress(const struct wiper_progress *p, void *arg)
{
	struct ui_job *j = arg;

	pthread_mutex_lock(&j->lock);
	j->last = *p;
	j->have_progress = true;
	pthread_mutex_unlock(&j->lock);
	ui_wake(j->app->wake_wr, 'p');
}

/*
 * Set whether the job's certificate is held for its records medium, and
 * why (@why: the last answer, or ""); wake the UI on a change.
 */
static void set_waiting(struct ui_job *j, bool waiting, const char *why)
{
	bool was;

	pthread_mutex_lock(&j->lock);
	was = j->cert_waiting;
	j->cert_waiting = waiting;
	snprintf(j->cert_err, sizeof(j->cert_err), "%s", waiting ? why : "");
	pthread_mutex_unlock(&j->lock);
	if (was != waiting)
		ui_wake(j->app->wake_wr, 'p');
}

/*
 * Issue the job's certificate. A job noted in the ledger on the records
 * medium certifies in that ledger and nowhere else: should the medium have
 * been pulled (its mount point left a bare directory in RAM), or another
 * records medium be there instead, the certificate is held until the one
 * holding the job is back (the issue opens no new ledger, and ends only the
 * job this ledger really holds). Returns false when the station quits
 * first: the job then stays open in its ledger, and the next start
 * certifies it INCOMPLETE.
 */
static bool issue(struct ui_job *j, char *no, size_t nolen, char *err, size_t errlen)
{
	int rc;

	for (;;) {
		err[0] = '\0';
		no[0] = '\0';
		if (!j->ledger_on_records || ui_ledger_on_records(j->app, j->ledger)) {
			rc = ui_cert_issue(j->app, j->ledger, j->res, &j->rec, no, nolen, err, errlen);
			/*
			 * A number is only ever one the ledger holds (the append clears
			 * it when it rolls back): the record stands, and a PDF that
			 * failed after it is reported, not retried.
			 */
			if (rc >= 0 || no[0] || !j->ledger_on_records ||
			    (rc != -ENOENT && rc != -ESRCH && rc != -EIO && rc != -ENODEV &&
			     rc != -EROFS && rc != -EACCES)) {
				if (rc < 0 && !err[0])
					snprintf(err, errlen, "certificate not issued");
				set_waiting(j, false, "");
				return true;
			}
		} else {
			snprintf(err, errlen, "no records medium at %s", j->app->records_required);
		}
		if (atomic_load(&j->app->stopping))
			return false;
		set_waiting(j, true, err);
		sleep(1);
	}
}

/* The worker: the runner does the job; then issue its certificate, say it is done. */
static void *worker(void *arg)
{
	struct ui_job *j = arg;
	char no[64] = "", err[256] = "";
	int rc;

	rc = wiper_run_exec(j->run);
	if (!issue(j, no, sizeof(no), err, sizeof(err)))
		snprintf(err, sizeof(err), "not issued: the records medium was away when the station"
			 " quit; its next start certifies this job INCOMPLETE");
	pthread_mutex_lock(&j->lock);
	j->rc = rc;
	j->done = true;
	j->t_end = mono();
	snprintf(j->cert_no, sizeof(j->cert_no), "%s", no);
	snprintf(j->cert_err, sizeof(j->cert_err), "%s", err);
	pthread_mutex_unlock(&j->lock);
	ui_wake(j->app->wake_wr, 'd');
	return NULL;
}

/* Free a job that never started or has been joined. */
static void job_free(struct ui_job *j)
{
	if (j == NULL)
		return;
	wiper_run_free(j->run);
	pthread_mutex_destroy(&j->lock);
	free(j);
}

/* What the technician chose, for the runner. */
static void choice_of(struct ui_job *j, const struct wiper_method *method, bool recommended,
		      enum wiper_verify_mode verify, struct wiper_choice *c)
{
	memset(c, 0, sizeof(*c));
	c->seed = wiper_prng_new_seed() & ((1ULL << 53) - 1);
	c->prng = WIPER_PRNG_AUTO;
	c->progress = on_progress;
	c->progress_arg = j;
	c->cancel = &j->cancel;
	if (recommended) {
		c->kind = WIPER_CHOOSE_RECOMMENDED;
	} else if (method == NULL) {
		c->kind = WIPER_CHOOSE_CLEAR;
	} else {
		c->kind = WIPER_CHOOSE_OVERWRITE;
		c->method = method;
		c->verify = verify;
		c->verify_set = true;
	}
}

int ui_job_start(struct ui_app *app, const struct ui_medium *m, const struct wiper_method *method,
		 bool recommended, enum wiper_verify_mode verify,
		 const struct ui_record_fields *rec, char *err, size_t errlen)
{
	struct wiper_choice c;
	struct ui_job *j;
	int rc;

	err[0] = '\0';
	if (app->njobs >= UI_JOBS_MAX) {
		snprintf(err, errlen, "too many jobs in this session (%d)", UI_JOBS_MAX);
		return -E2BIG;
	}
	j = calloc(1, sizeof(*j));
	if (j == NULL)
		return -ENOMEM;
	pthread_mutex_init(&j->lock, NULL);
	atomic_init(&j->cancel, false);
	j->app = app;
	j->m = *m;
	/* The partition and holder arrays stay with the media list. */
	wiper_medium_copy_shallow(&j->m.med, &m->med);
	if (rec)
		j->rec = *rec;
	/* The worker reads these later, while the UI thread may change the app's. */
	j->rec.snapshot = true;
	j->rec.operator_idx = app->operator_idx;
	j->rec.witness_idx = app->witness_idx;
	j->rec.supervisor2_idx = app->supervisor2_idx;
	j->rec.approver_idx = app->approver_idx;
	snprintf(j->rec.approval_ref, sizeof(j->rec.approval_ref), "%s", app->approval_ref);
	snprintf(j->rec.pdf_dir, sizeof(j->rec.pdf_dir), "%s", app->cfg.records);
	j->rec.zh = app->zh;
	choice_of(j, method, recommended, verify, &c);
	/* Jobs running at once share the process's buffer budget, this one included. */
	c.buffer_bytes = wiper_buffer_share((unsigned)ui_jobs_running(app) + 1);
	rc = wiper_run_plan(&m->med, &c, &j->run, err, errlen);
	if (rc < 0)
		goto fail;
	j->res = wiper_run_result(j->run);
	j->verify = j->res->verify;
	if (app->sim_dev_open) {
		struct wiper_dev *dev = app->sim_dev_open(app, &m->med);

		if (dev)
			wiper_run_take_dev(j->run, dev);
	}
	rc = wiper_run_open(j->run, err, errlen);
	if (rc < 0)
		goto fail;
	/* Noted before the first write: should the station die, the next start certifies it. */
	rc = ui_cert_job_begin(app, j->res, &j->rec, err, errlen);
	if (rc < 0)
		goto fail;
	snprintf(j->ledger, sizeof(j->ledger), "%s", app->cfg.ledger);
	j->ledger_on_records = app->records_required && ui_ledger_on_records(app, j->ledger);
	j->t0 = mono();
	rc = pthread_create(&j->thread, NULL, worker, j);
	if (rc != 0) {
		snprintf(err, errlen, "cannot start a worker thread: %s", strerror(rc));
		rc = -rc;
		goto fail;
	}
	j->started = true;
	app->jobs[app->njobs++] = j;
	/* The dashboard opens on the job just started (ui_jobs_order lists it first). */
	app->job_cursor = app->njobs - 1;
	return 0;
fail:
	if (rc == -ENOMEM && err[0] == '\0')
		snprintf(err, errlen, "out of memory");
	ui_cert_job_forget(app, &j->rec);
	job_free(j);
	return rc;
}

void ui_jobs_reap(struct ui_app *app)
{
	size_t i;

	for (i = 0; i < app->njobs; i++) {
		struct ui_job *j = app->jobs[i];
		bool done;

		pthread_mutex_lock(&j->lock);
		done = j->done;
		pthread_mutex_unlock(&j->lock);
		if (done && j->started && !j->joined) {
			pthread_join(j->thread, NULL);
			j->joined = true;
		}
	}
}

size_t ui_jobs_running(struct ui_app *app)
{
	size_t i, n = 0;

	for (i = 0; i < app->njobs; i++) {
		pthread_mutex_lock(&app->jobs[i]->lock);
		if (!app->jobs[i]->done)
			n++;
		pthread_mutex_unlock(&app->jobs[i]->lock);
	}
	return n;
}

double ui_job_elapsed(struct ui_job *j)
{
	double end;

	pthread_mutex_lock(&j->lock);
	end = j->done ? j->t_end : mono();
	pthread_mutex_unlock(&j->lock);
	return end - j->t0;
}

size_t ui_jobs_order(struct ui_app *app, size_t order[UI_JOBS_MAX])
{
	size_t i, n = 0;
	int pass;

	for (pass = 0; pass < 2; pass++)
		for (i = app->njobs; i-- > 0;) {
			bool done;

			pthread_mutex_lock(&app->jobs[i]->lock);
			done = app->jobs[i]->done;
			pthread_mutex_unlock(&app->jobs[i]->lock);
			if (done == (pass == 1))
				order[n++] = i;
		}
	return n;
}

void ui_jobs_stop_all(struct ui_app *app)
{
	size_t i;

	atomic_store(&app->stopping, true);
	for (i = 0; i < app->njobs; i++)
		atomic_store(&app->jobs[i]->cancel, true);
	for (i = 0; i < app->njobs; i++) {
		struct ui_job *j = app->jobs[i];

		if (j->started && !j->joined) {
			pthread_join(j->thread, NULL);
			j->joined = true;
		}
	}
	for (i = 0; i < app->njobs; i++)
		job_free(app->jobs[i]);
	app->njobs = 0;
}
