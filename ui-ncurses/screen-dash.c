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
	int n = (LINES - DASH_TOP - 2) / DASH_ROWS;

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

/* Draw one job in three lines from @y. */
static void draw_job(struct ui_app *app, struct ui_job *j, int y, bool cur)
{
	struct wiper_progress p;
	bool have, done, waiting;
	char buf[600], eta[32], sz[32], cert_no[64], cert_err[256], model[96];
	double frac;
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
		 ui_medium_model(&j->m, model, sizeof(model)),
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
		snprintf(buf, sizeof(buf), " %.0f s", r->seconds);
		ui_put(y, x, COLS - x, buf);
		if (r->outcome == WIPER_PASSED)
			snprintf(buf, sizeof(buf), "  %s: %s · verify %s · %.1f%% read back", r->label,
				 r->method_title, wiper_verify_str(r->verify),
				 r->verify_coverage * 100);
		else
			snprintf(buf, sizeof(buf), "  %s", r->reason[0] ? r->reason : "-");
		ui_put(y + 1, 0, COLS, buf);
		if (r->outcome != WIPER_PASSED) {
			attron(ui_attr(UI_C_WARN));
			snprintf(buf, sizeof(buf), "  → %s", advice(app, r));
			ui_put(y + 2, 0, COLS, buf);
			attroff(ui_attr(UI_C_WARN));
		} else {
			if (cert_no[0])
				snprintf(buf, sizeof(buf), "  %s %s", ui_t(app, T_CERT), cert_no);
			else
				snprintf(buf, sizeof(buf), "  %s: %s", ui_t(app, T_NO_CERT), cert_err);
			attron(ui_attr(UI_C_GREY));
			ui_put(y + 2, 0, COLS, buf);
			attroff(ui_attr(UI_C_GREY));
		}
		return;
	}
	frac = have && p.total ? (double)p.done / (double)p.total : 0;
	snprintf(buf, sizeof(buf), "%5.1f%%", frac * 100);
	bar(y, COLS / 2 + 1, COLS - (COLS / 2 + 1) - 8, frac);
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
	if (have)
		snprintf(buf, sizeof(buf), "  pass %u/%u %-6s %8.1f MB/s  ETA %s  errors %" PRIu64,
			 p.pass, p.npasses, p.verifying ? "verify" : "write", p.rate / 1e6,
			 hms(p.eta, eta, sizeof(eta)), p.errors);
	else
		snprintf(buf, sizeof(buf), "  %s…", ui_t(app, T_STARTING));
	ui_put(y + 1, 0, COLS, buf);
}

/* Draw every job, scrolled to the cursor. */
static void dash_draw(struct ui_app *app)
{
	size_t i, top = 0, running = ui_jobs_running(app);
	char buf[256];
	int y = DASH_TOP;

	snprintf(buf, sizeof(buf), "%s: %zu %s, %zu %s", ui_t(app, T_DASH), running,
		 ui_t(app, T_RUNNING), app->njobs - running, ui_t(app, T_FINISHED));
	ui_put(1, 1, COLS - 2, buf);
	if (app->job_cursor >= app->njobs)
		app->job_cursor = app->njobs ? app->njobs - 1 : 0;
	if (app->job_cursor >= visible())
		top = app->job_cursor - visible() + 1;
	for (i = top; i < app->njobs && i < top + visible(); i++, y += DASH_ROWS)
		draw_job(app, app->jobs[i], y, i == app->job_cursor);
}

/* Move between jobs, stop one, go back to the list. */
static int dash_key(struct ui_app *app, const struct ui_key *k)
{
	switch (k->action) {
	case UI_ACT_UP:
		if (app->job_cursor > 0)
			app->job_cursor--;
		break;
	case UI_ACT_DOWN:
		if (app->job_cursor + 1 < app->njobs)
			app->job_cursor++;
		break;
	case UI_ACT_STOP:
		if (app->job_cursor < app->njobs)
			atomic_store(&app->jobs[app->job_cursor]->cancel, true);
		break;
	case UI_ACT_BACK:
	case UI_ACT_OK:
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

const struct ui_screen ui_screen_dash = {
	.name = "dashboard",
	.enter = NULL,
	.draw = dash_draw,
	.key = dash_key,
	.resize = NULL,
};
