/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The dashboard: one progress bar per medium, outcomes in colour, one line of advice. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <ncurses.h>

#include "ui-ncurses/ui.h"

#define DASH_TOP 3
#define DASH_ROWS 3	/* lines per job */

/* Format seconds as h:mm:ss, or --:-- when unknown. */
static const char *hms(double s, char *buf, size_t len)
{
	unsigned long t = s < 0 ? 0 : (unsigned long)(s + 0.5);

	if (s < 0)
		snprintf(buf, len, "--:--");
	else
		snprintf(buf, len, "%lu:%02lu:%02lu", t / 3600, t / 60 % 60, t % 60);
	return buf;
}

/* How many jobs fit. */
static size_t visible(void)
{
	int n = (ui_rows() - DASH_TOP - 2) / DASH_ROWS;

	return n > 0 ? (size_t)n : 1;
}

/* The one sentence that tells the technician what to do after a bad outcome. */
static const char *advice(const struct ui_app *app, const struct wiper_job_result *r)
{
	if (strstr(r->reason, "frozen"))
		return ui_t(app, T_ADVICE_FROZEN);
	if (r->outcome == WIPER_FAILED)
		return ui_t(app, T_ADVICE_FAILED);
	if (strstr(r->reason, "vanish") || strstr(r->reason, "No such device") ||
	    strstr(r->reason, "ENODEV"))
		return ui_t(app, T_ADVICE_PULLED);
	return ui_t(app, T_ADVICE_INCOMPLETE);
}

/* Draw the bar for @frac (0..1) at @y,@x, @w columns. */
static void bar(int y, int x, int w, double frac)
{
	int fill, i;

	if (w < 3)
		return;
	if (frac < 0)
		frac = 0;
	if (frac > 1)
		frac = 1;
	fill = (int)(frac * (w - 2) + 0.5);
	mvaddch(y, x, '[');
	attron(ui_attr(UI_C_BAR) | A_BOLD);
	for (i = 0; i < w - 2; i++)
		mvaddch(y, x + 1 + i, i < fill ? '#' : '.');
	attroff(ui_attr(UI_C_BAR) | A_BOLD);
	mvaddch(y, x + w - 1, ']');
}

/* Bytes per second in IEC units, as sizes are. */
static const char *rate_str(double bps, char *buf, size_t len)
{
	char sz[32];

	wiper_size_str(bps > 0 ? (uint64_t)bps : 0, sz, sizeof(sz));
	snprintf(buf, len, "%s/s", sz);
	return buf;
}

/* The job's certificate line: its number (whatever the outcome), or why there is none. */
static void cert_line(const struct ui_app *app, const char *cert_no, const char *cert_err,
		      char *buf, size_t len)
{
	if (cert_no[0])
		ui_cut(buf, len, "%s %s", ui_t(app, T_CERT), cert_no);
	else
		ui_cut(buf, len, "%s: %s", ui_t(app, T_NO_CERT), cert_err[0] ? cert_err : "-");
}

/* Draw one job in three lines from @y. */
static void draw_job(struct ui_app *app, struct ui_job *j, int y, bool cur)
{
	struct wiper_progress p;
	struct ui_whole wh;
	bool have, done, waiting;
	char buf[600], eta[32], sz[32], cert_no[64], cert_err[256], model[96], rate[48], cl[400], rs[400];
	int w;

	pthread_mutex_lock(&j->lock);
	p = j->last;
	have = j->have_progress;
	done = j->done;
	waiting = j->cert_waiting;
	snprintf(cert_no, sizeof(cert_no), "%s", j->cert_no);
	snprintf(cert_err, sizeof(cert_err), "%s", j->cert_err);
	pthread_mutex_unlock(&j->lock);

	snprintf(buf, sizeof(buf), "%s%-8s %s  %s  %s", cur ? ">" : " ", j->m.med.disk.name,
		 j->m.med.disk.model[0] ? j->m.med.disk.model :
		 ui_vs(app, ui_medium_model(&j->m, model, sizeof(model)), cl, sizeof(cl)),
		 j->m.med.disk.serial[0] ? j->m.med.disk.serial : "-",
		 wiper_size_str(j->m.med.disk.size_bytes, sz, sizeof(sz)));
	if (cur)
		attron(A_BOLD);
	w = ui_put(y, 0, COLS / 2, buf);
	if (cur)
		attroff(A_BOLD);
	(void)w;
	if (done) {
		/* Safe to read the result: the worker finished writing it before done. */
		const struct wiper_job_result *r = j->res;
		enum ui_color c = r->outcome == WIPER_PASSED ? UI_C_PASS
				  : r->outcome == WIPER_FAILED ? UI_C_FAIL : UI_C_INCOMPLETE;
		enum ui_text t = r->outcome == WIPER_PASSED ? T_PASSED
				 : r->outcome == WIPER_FAILED ? T_FAILED : T_INCOMPLETE;
		int x = COLS / 2 + 1;

		attron(ui_attr(c));
		snprintf(buf, sizeof(buf), " %s ", ui_t(app, t));
		x += ui_put(y, x, COLS - x, buf);
		attroff(ui_attr(c));
		snprintf(buf, sizeof(buf), " %s", hms(r->seconds, eta, sizeof(eta)));
		ui_put(y, x, COLS - x, buf);
		cert_line(app, cert_no, cert_err, cl, sizeof(cl));
		if (r->outcome == WIPER_PASSED) {
			snprintf(buf, sizeof(buf), "  %s: %s · %s %s · %.1f%% %s", ui_v(app, r->label),
				 ui_v(app, r->method_title), ui_v(app, "verify"),
				 ui_v(app, wiper_verify_str(r->verify)), r->verify_coverage * 100,
				 ui_v(app, "read back"));
			ui_put(y + 1, 0, COLS, buf);
			attron(ui_attr(UI_C_GREY));
			snprintf(buf, sizeof(buf), "  %s", cl);
			ui_put(y + 2, 0, COLS, buf);
			attroff(ui_attr(UI_C_GREY));
			return;
		}
		/* Not PASSED: still a record, numbered like any other, and what to do next. */
		ui_cut(buf, sizeof(buf), "  %s · %s", cl, r->reason[0] ? ui_vs(app, r->reason, rs, sizeof(rs))
								     : "-");
		ui_put(y + 1, 0, COLS, buf);
		attron(ui_attr(UI_C_WARN));
		snprintf(buf, sizeof(buf), "  → %s", advice(app, r));
		ui_put(y + 2, 0, COLS, buf);
		attroff(ui_attr(UI_C_WARN));
		return;
	}
	memset(&wh, 0, sizeof(wh));
	if (have)
		ui_progress_whole(&p, j->verify, j->m.med.disk.size_bytes, ui_job_elapsed(j), &wh);
	snprintf(buf, sizeof(buf), "%5.1f%%", wh.frac * 100);
	bar(y, COLS / 2 + 1, COLS - (COLS / 2 + 1) - 8, wh.frac);
	ui_put(y, COLS - 7, 7, buf);
	if (waiting) {
		/* What is held, and the last answer of the ledger, so nobody guesses why. */
		attron(ui_attr(UI_C_WARN));
		ui_cut(buf, sizeof(buf), "  %s %s", ui_t(app, T_CERT_WAITING), app->records_required);
		ui_put(y + 1, 0, COLS, buf);
		attroff(ui_attr(UI_C_WARN));
		ui_cut(buf, sizeof(buf), "  %s", cert_err);
		attron(ui_attr(UI_C_GREY));
		ui_put(y + 2, 0, COLS, buf);
		attroff(ui_attr(UI_C_GREY));
		return;
	}
	if (!have) {
		snprintf(buf, sizeof(buf), "  %s…", ui_t(app, T_STARTING));
		ui_put(y + 1, 0, COLS, buf);
		return;
	}
	/* The whole job first (every pass and verification), the current pass beneath. */
	ui_cut(buf, sizeof(buf), "  %s %.1f%% · %s · %s %s · %s %" PRIu64, ui_t(app, T_JOB),
	       wh.frac * 100, rate_str(wh.rate, rate, sizeof(rate)), ui_t(app, T_ETA),
	       hms(wh.eta, eta, sizeof(eta)),
	       ui_t(app, T_ERRORS), p.errors);
	ui_put(y + 1, 0, COLS, buf);
	ui_cut(buf, sizeof(buf), "  %s %u/%u %s %.1f%% · %s", ui_t(app, T_PASS), p.pass,
	       p.npasses, ui_t(app, p.verifying ? T_VERIFYING : T_WRITING), wh.pass_frac * 100,
	       rate_str(p.rate, rate, sizeof(rate)));
	attron(ui_attr(UI_C_GREY));
	ui_put(y + 2, 0, COLS, buf);
	attroff(ui_attr(UI_C_GREY));
}

static bool details;	/* the job under the cursor is shown in full */

/* The job under the cursor, or NULL. */
static struct ui_job *current(struct ui_app *app)
{
	return app->job_cursor < app->njobs ? app->jobs[app->job_cursor] : NULL;
}

/* One job in full: what was planned, each pass, every command sent and its answer, errors. */
static void draw_details(struct ui_app *app, struct ui_job *j)
{
	const struct wiper_job_result *r = j->res;
	char buf[600], a[32], cert_no[64], cert_err[256], model[96], rs[400];
	bool done;
	size_t i;
	int y = 1, end = ui_rows() - 2;

	pthread_mutex_lock(&j->lock);
	done = j->done;
	snprintf(cert_no, sizeof(cert_no), "%s", j->cert_no);
	snprintf(cert_err, sizeof(cert_err), "%s", j->cert_err);
	pthread_mutex_unlock(&j->lock);
	attron(A_BOLD);
	ui_cut(buf, sizeof(buf), "%s: %s %s  %s  %s", ui_t(app, T_DETAILS_TITLE), j->m.med.disk.name,
	       ui_medium_model(&j->m, model, sizeof(model)),
	       j->m.med.disk.serial[0] ? j->m.med.disk.serial : "-",
	       wiper_size_str(j->m.med.disk.size_bytes, a, sizeof(a)));
	ui_put(y++, 1, COLS - 2, buf);
	attroff(A_BOLD);
	if (!done) {
		/* The worker writes the result as it goes: it is read once the job is done. */
		draw_job(app, j, y + 1, false);
		ui_put(end, 1, COLS - 2, ui_t(app, T_DETAILS_CLOSE));
		return;
	}
	ui_cut(buf, sizeof(buf), "%s · %s %s · %s 0x%016" PRIx64, ui_v(app, r->method_title),
	       ui_v(app, "verify"), ui_v(app, wiper_verify_str(j->verify)), ui_t(app, T_SEED), r->seed);
	ui_put(y++, 1, COLS - 2, buf);
	ui_cut(buf, sizeof(buf), "%s · %s · %s", ui_t(app, r->outcome == WIPER_PASSED ? T_PASSED
					       : r->outcome == WIPER_FAILED ? T_FAILED : T_INCOMPLETE),
	       r->reason[0] ? ui_vs(app, r->reason, rs, sizeof(rs)) : "-", cert_no[0] ? cert_no : cert_err);
	y += ui_put_wrap(y, 1, COLS - 2, 2, buf);
	y++;
	ui_put(y++, 1, COLS - 2, ui_t(app, T_PASSES));
	for (i = 0; i < r->npasses && i < WIPER_PASSES_MAX && y < end - 3; i++) {
		const struct wiper_pass_result *pr = &r->passes[i];

		if (i > 0 && !r->passes[i - 1].completed) {
			/* The job ended in the pass before: the rest never ran. */
			ui_cut(buf, sizeof(buf), app->zh ? "  %zu-%zu 未执行" : "  %zu-%zu not run", i + 1,
			       r->npasses);
			ui_put(y++, 1, COLS - 2, buf);
			i = r->npasses;
			break;
		}
		if (app->zh)
			ui_cut(buf, sizeof(buf), "  %2zu %s %s, 用时 %.1f s, 写错误 %" PRIu64 "%s%s", i + 1,
			       pr->completed ? "已写入" : "未写完",
			       wiper_size_str(pr->bytes, a, sizeof(a)), pr->seconds, pr->write_errors,
			       pr->verified ? "; 已校验, 不符 " : "",
			       pr->verified ? (snprintf(model, sizeof(model), "%" PRIu64 ", 读错误 %"
							PRIu64, pr->verify_mismatches, pr->verify_read_errors),
					       model) : "");
		else
			ui_cut(buf, sizeof(buf), "  %2zu %s %s in %.1f s, %" PRIu64 " write errors%s%s", i + 1,
			       pr->completed ? "written" : "not finished",
			       wiper_size_str(pr->bytes, a, sizeof(a)), pr->seconds, pr->write_errors,
			       pr->verified ? "; verified, mismatches " : "",
			       pr->verified ? (snprintf(model, sizeof(model), "%" PRIu64 ", read errors %"
							PRIu64, pr->verify_mismatches, pr->verify_read_errors),
					       model) : "");
		ui_put(y++, 1, COLS - 2, buf);
	}
	if (i < r->npasses && y < end)
		ui_put(y++, 1, COLS - 2, "  …");
	y++;
	if (y < end)
		ui_put(y++, 1, COLS - 2, ui_t(app, T_STEPS));
	if (r->nsteps == 0 && y < end)
		ui_put(y++, 3, COLS - 4, ui_t(app, T_NO_STEPS));
	for (i = 0; i < r->nsteps && i < WIPER_STEPS_MAX && y < end; i++) {
		ui_cut(buf, sizeof(buf), "%s → %s", r->steps[i].command, r->steps[i].answer);
		ui_put(y++, 3, COLS - 4, buf);
	}
	ui_put(end, 1, COLS - 2, ui_t(app, T_DETAILS_CLOSE));
}

/* Draw every job, scrolled to the cursor: running ones first, newest first. */
static void dash_draw(struct ui_app *app)
{
	size_t order[UI_JOBS_MAX], n, i, pos = 0, top = 0, running = ui_jobs_running(app);
	char buf[256];
	int y = DASH_TOP;

	if (details && current(app)) {
		draw_details(app, current(app));
		return;
	}
	details = false;
	snprintf(buf, sizeof(buf), "%s: %zu %s, %zu %s", ui_t(app, T_DASH), running,
		 ui_t(app, T_RUNNING), app->njobs - running, ui_t(app, T_FINISHED));
	ui_put(1, 1, COLS - 2, buf);
	if (app->njobs == 0) {
		ui_put(DASH_TOP, 2, COLS - 3, ui_t(app, T_NO_JOB));
		return;
	}
	n = ui_jobs_order(app, order);
	for (i = 0; i < n; i++)
		if (order[i] == app->job_cursor)
			pos = i;
	if (pos >= visible())
		top = pos - visible() + 1;
	for (i = top; i < n && i < top + visible(); i++, y += DASH_ROWS)
		draw_job(app, app->jobs[order[i]], y, order[i] == app->job_cursor);
}

/* The stop was confirmed: the job ends INCOMPLETE, with a certificate that says so. */
static void stop_yes(struct ui_app *app, void *arg)
{
	struct ui_job *j = arg;
	size_t i;

	for (i = 0; i < app->njobs; i++)
		if (app->jobs[i] == j) {
			bool done;

			pthread_mutex_lock(&j->lock);
			done = j->done;
			pthread_mutex_unlock(&j->lock);
			if (done) {
				/* It ended while the question was open: its outcome stands. */
				ui_cut(app->status, sizeof(app->status), "%s", ui_t(app, T_JOB_OVER));
				return;
			}
			atomic_store(&j->cancel, true);
			ui_cut(app->status, sizeof(app->status), "%s %s…", ui_t(app, T_STOP_SENT),
			       j->m.med.disk.name);
		}
}

/* s: ask before stopping, naming the medium. */
static void stop_ask(struct ui_app *app)
{
	struct ui_job *j = current(app);
	char model[96];
	bool done;

	if (j == NULL) {
		ui_cut(app->status, sizeof(app->status), "%s", ui_t(app, T_NO_JOB));
		return;
	}
	pthread_mutex_lock(&j->lock);
	done = j->done;
	pthread_mutex_unlock(&j->lock);
	if (done) {
		ui_cut(app->status, sizeof(app->status), "%s", ui_t(app, T_JOB_OVER));
		return;
	}
	ui_cut(app->confirm, sizeof(app->confirm), "%s %s (%s, %s)%s", ui_t(app, T_STOP_ASK),
	       j->m.med.disk.name, ui_medium_model(&j->m, model, sizeof(model)),
	       j->m.med.disk.serial[0] ? j->m.med.disk.serial : "-", ui_t(app, T_STOP_ASK_END));
	app->confirm_yes = stop_yes;
	app->confirm_arg = j;
	app->confirm_no = ui_t(app, T_NOT_STOPPED);
}

/* Move the cursor @d places in the order shown. */
static void move_cursor(struct ui_app *app, int d)
{
	size_t order[UI_JOBS_MAX], n = ui_jobs_order(app, order), i;

	for (i = 0; i < n; i++)
		if (order[i] == app->job_cursor)
			break;
	if (i == n) {
		if (n)
			app->job_cursor = order[0];
		return;
	}
	if (d < 0 && i > 0)
		app->job_cursor = order[i - 1];
	if (d > 0 && i + 1 < n)
		app->job_cursor = order[i + 1];
}

/* Move between jobs, open one, stop one, go back to the list. */
static int dash_key(struct ui_app *app, const struct ui_key *k)
{
	if (details) {
		if (k->action == UI_ACT_BACK || k->action == UI_ACT_OK)
			details = false;
		return UI_REDRAW;
	}
	app->status[0] = '\0';
	switch (k->action) {
	case UI_ACT_UP:
		move_cursor(app, -1);
		break;
	case UI_ACT_DOWN:
		move_cursor(app, 1);
		break;
	case UI_ACT_STOP:
		stop_ask(app);
		break;
	case UI_ACT_OK:
		if (current(app))
			details = true;
		else
			ui_cut(app->status, sizeof(app->status), "%s", ui_t(app, T_NO_JOB));
		break;
	case UI_ACT_BACK:
		ui_screen_switch(app, UI_SCR_LIST);
		break;
	case UI_ACT_CERTS:
		if (app->job_cursor < app->njobs) {
			struct ui_job *j = app->jobs[app->job_cursor];

			pthread_mutex_lock(&j->lock);
			snprintf(app->last_cert, sizeof(app->last_cert), "%s", j->cert_no);
			pthread_mutex_unlock(&j->lock);
		}
		ui_screen_switch(app, UI_SCR_CERTS);
		break;
	default:
		break;
	}
	return UI_REDRAW;
}

/* The dashboard opens on its list, the cursor on the latest job started. */
static void dash_enter(struct ui_app *app)
{
	(void)app;
	details = false;
}

const struct ui_screen ui_screen_dash = {
	.name = "dashboard",
	.enter = dash_enter,
	.draw = dash_draw,
	.key = dash_key,
	.resize = NULL,
};
