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
#include <unistd.h>

#include "ui-ncurses/ui.h"

void ui_wake(int fd, char why)
{
	ssize_t n;

	/* The pipe is non-blocking: when it is full the loop is awake anyway. */
	n = write(fd, &why, 1);
	(void)n;
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

/* The worker: run the job, issue its certificate, say it is done. */
static void *worker(void *arg)
{
	struct ui_job *j = arg;
	char no[64] = "", err[256] = "";
	int rc;

	if (j->firmware)
		rc = wiper_sanitize_run(j->dev, &j->m.disk, &j->m.id, j->tech, &j->sopts, j->res);
	else
		rc = wiper_job_run(j->dev, &j->opts, j->res);
	wiper_dev_close(j->dev);
	j->dev = NULL;
	if (rc < 0) {
		j->res->outcome = WIPER_INCOMPLETE;
		if (!j->res->reason[0])
			snprintf(j->res->reason, sizeof(j->res->reason), "could not run: %s",
				 strerror(-rc));
	}
	if (!issue(j, no, sizeof(no), err, sizeof(err)))
		snprintf(err, sizeof(err), "not issued: the records medium was away when the station"
			 " quit; its next start certifies this job INCOMPLETE");
	pthread_mutex_lock(&j->lock);
	j->rc = rc;
	j->done = true;
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
	if (j->dev)
		wiper_dev_close(j->dev);
	free(j->res);
	free(j->passes);
	pthread_mutex_destroy(&j->lock);
	free(j);
}

/* Check once more, just before writing, that @m may be erased. */
static int recheck(struct ui_job *j, char *err, size_t errlen)
{
	struct wiper_sysstate st;
	int rc;

	rc = wiper_sysstate_read(&st);
	if (rc < 0) {
		snprintf(err, errlen, "%s: cannot read mount and swap state: %s", j->m.disk.node,
			 strerror(-rc));
		return rc;
	}
	wiper_exclude_apply(&st, &j->m.disk);
	wiper_sysstate_done(&st);
	if (j->m.disk.excl != WIPER_EXCL_NONE) {
		snprintf(err, errlen, "%s: refused: %s", j->m.disk.node, j->m.disk.excl_reason);
		return -EBUSY;
	}
	return 0;
}

/* Decide purge or overwrite and fill the job's options. */
static int plan(struct ui_job *j, const struct wiper_method *method, bool recommended,
		enum wiper_verify_mode verify, char *err, size_t errlen)
{
	struct wiper_job_result *r = j->res;
	uint64_t seed = wiper_prng_new_seed();
	char why[256];
	int n;

	if (recommended &&
	    wiper_purge_pick(&j->m.caps, &j->m.disk, &j->tech, why, sizeof(why)) == 0) {
		j->firmware = true;
		j->sopts.seed = seed;
		j->sopts.progress = on_progress;
		j->sopts.progress_arg = j;
		j->sopts.cancel = &j->cancel;
		snprintf(r->method, sizeof(r->method), "purge");
		snprintf(r->method_title, sizeof(r->method_title), "%s", wiper_tech_str(j->tech));
		snprintf(r->label, sizeof(r->label), "Purge");
		r->seed = seed;
		r->rounds = 1;
		return 0;
	}
	if (method == NULL) {
		/* NIST Clear: one pass of zeros, read back in full. */
		method = wiper_method_find("zero");
		verify = WIPER_VERIFY_ALL;
		if (method == NULL) {
			snprintf(err, errlen, "the zero method is missing from this build");
			return -ENOENT;
		}
	}
	j->passes = calloc(WIPER_PASSES_MAX, sizeof(*j->passes));
	if (j->passes == NULL)
		return -ENOMEM;
	n = wiper_method_resolve(method->passes, method->npasses, method->shuffle_middle, 1, seed,
				 j->passes, WIPER_PASSES_MAX);
	if (n <= 0) {
		snprintf(err, errlen, "%s: cannot build the passes", method->name);
		return -EINVAL;
	}
	j->opts.passes = j->passes;
	j->opts.npasses = (size_t)n;
	j->opts.verify = verify;
	j->opts.prng = WIPER_PRNG_AUTO;
	j->opts.progress = on_progress;
	j->opts.progress_arg = j;
	j->opts.cancel = &j->cancel;
	snprintf(r->method, sizeof(r->method), "%s", method->name);
	snprintf(r->method_title, sizeof(r->method_title), "%s", method->title);
	snprintf(r->label, sizeof(r->label), "Clear");
	r->rounds = 1;
	r->seed = seed;
	return 0;
}

int ui_job_start(struct ui_app *app, const struct ui_medium *m, const struct wiper_method *method,
		 bool recommended, enum wiper_verify_mode verify,
		 const struct ui_record_fields *rec, char *err, size_t errlen)
{
	struct wiper_job_result *r;
	struct ui_job *j;
	int rc;

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
	j->m.disk.part_names = NULL;
	j->m.disk.part_devnums = NULL;
	j->m.disk.holders = NULL;
	j->m.disk.nparts = j->m.disk.nholders = 0;
	if (rec)
		j->rec = *rec;
	/* The worker reads these later, while the UI thread may change the app's. */
	j->rec.snapshot = true;
	j->rec.operator_idx = app->operator_idx;
	j->rec.witness_idx = app->witness_idx;
	snprintf(j->rec.pdf_dir, sizeof(j->rec.pdf_dir), "%s", app->cfg.records);
	j->rec.zh = app->zh;
	j->res = calloc(1, sizeof(*j->res));
	if (j->res == NULL) {
		rc = -ENOMEM;
		goto fail;
	}
	r = j->res;
	snprintf(r->node, sizeof(r->node), "%s", j->m.disk.node);
	snprintf(r->model, sizeof(r->model), "%s", j->m.disk.model);
	snprintf(r->serial, sizeof(r->serial), "%s", j->m.disk.serial);
	snprintf(r->transport, sizeof(r->transport), "%s", wiper_transport_str(j->m.disk.transport));
	r->size_bytes = j->m.disk.size_bytes;
	r->logical_block = j->m.disk.logical_block;
	r->physical_block = j->m.disk.physical_block;
	rc = recheck(j, err, errlen);
	if (rc < 0)
		goto fail;
	rc = plan(j, method, recommended, verify, err, errlen);
	if (rc < 0)
		goto fail;
	rc = wiper_dev_open(j->m.disk.node, WIPER_OPEN_WRITE | WIPER_OPEN_DIRECT, &j->dev, err,
			    errlen);
	if (rc < 0)
		goto fail;
	/* Noted before the first write: should the station die, the next start certifies it. */
	rc = ui_cert_job_begin(app, r, &j->rec, err, errlen);
	if (rc < 0)
		goto fail;
	snprintf(j->ledger, sizeof(j->ledger), "%s", app->cfg.ledger);
	j->ledger_on_records = app->records_required && ui_ledger_on_records(app, j->ledger);
	rc = pthread_create(&j->thread, NULL, worker, j);
	if (rc != 0) {
		snprintf(err, errlen, "cannot start a worker thread: %s", strerror(rc));
		rc = -rc;
		goto fail;
	}
	j->started = true;
	app->jobs[app->njobs++] = j;
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
