/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The certificates screen: the ledger's certificates, newest first; one
 * certificate's summary; its PDF saved to the records folder or printed
 * through CUPS (in the background); the register of a month or a range of
 * days, typed at a prompt, printed or saved.
 */
#include "config.h"

#include <errno.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <ncurses.h>

#include "certs/ledger.h"
#include "certs/pdf.h"
#include "certs/record.h"
#include "ui-ncurses/lineedit.h"
#include "ui-ncurses/station/period.h"
#include "ui-ncurses/ui.h"

#define CERTS_TOP 4
#define CERTS_MAX 4096

struct row {
	char fp[CERT_FP_HEX];
	uint64_t seq;
	char cert_no[64];
	char when[24];
	char serial[48];
	char model[48];
	char method[48];
	enum cert_result result;
};

static struct {
	struct row *rows;
	size_t n, cursor, top;
	uint64_t total;		/* records walked; the ring keeps the newest */
	size_t finished;	/* jobs finished when loaded: a new one means new records */
	bool viewing;
	bool prompting;		/* the register's period is being typed */
	struct ui_line period;
	char problem[300];	/* why the list is empty */
} c;


/* Local time "YYYY-MM-DD HH:MM" of UTC seconds @t. */
static void when_str(int64_t t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (localtime_r(&tt, &tm) == NULL || strftime(buf, len, "%Y-%m-%d %H:%M", &tm) == 0)
		ui_cut(buf, len, "-");
}

/* Ledger walk: keep the newest CERTS_MAX records in a ring. */
static int add_row(const struct cert_entry *e, void *arg)
{
	struct row *w = &c.rows[c.total % CERTS_MAX];

	(void)arg;
	memset(w, 0, sizeof(*w));
	ui_cut(w->fp, sizeof(w->fp), "%s", e->fp);
	w->seq = e->seq;
	ui_cut(w->cert_no, sizeof(w->cert_no), "%s", e->cert_no);
	when_str(e->issued, w->when, sizeof(w->when));
	ui_cut(w->serial, sizeof(w->serial), "%s", e->serial);
	c.total++;
	return 0;
}

/* Fill the model, method and result of @w from its record. */
static void describe(const struct ui_app *app, struct cert_ledger *l, struct cert_record *r,
		     struct row *w)
{
	struct cert_entry e;
	char err[128];

	memset(&e, 0, sizeof(e));
	if (cert_ledger_get(l, w->fp, w->seq, &e) == 0 &&
	    cert_record_decode(e.canon, e.canon_len, r, err, sizeof(err)) == 0) {
		ui_cut(w->model, sizeof(w->model), "%s", r->model[0] ? r->model : "-");
		if (r->kind == CERT_KIND_DESTROY)
			ui_cut(w->method, sizeof(w->method), "%s: %s", ui_v(app, "Destruct"),
			       ui_v(app, r->destroy_technique));
		else
			ui_cut(w->method, sizeof(w->method), "%s: %s", ui_v(app, r->nist_method_type),
			       ui_v(app, r->method_title[0] ? r->method_title : r->method));
		w->result = r->result;
	} else {
		ui_cut(w->model, sizeof(w->model), "?");
		ui_cut(w->method, sizeof(w->method), "%s", ui_v(app, "unreadable record"));
		w->result = CERT_INCOMPLETE;
	}
	cert_entry_done(&e);
}

/* Open the ledger read-only; NULL with the reason in c.problem. */
static struct cert_ledger *open_ledger(const struct ui_app *app)
{
	struct cert_ledger *l = NULL;
	struct stat st;
	char err[256];

	if (stat(app->cfg.ledger, &st) != 0) {
		ui_cut(c.problem, sizeof(c.problem), "%s: %s", app->cfg.ledger,
			 ui_t(app, T_LEDGER_NONE));
		return NULL;
	}
	if (cert_ledger_open(app->cfg.ledger, CERT_LEDGER_READONLY, &l, err, sizeof(err)) < 0) {
		ui_cut(c.problem, sizeof(c.problem), "%s", err);
		return NULL;
	}
	return l;
}

/* Reload the rows from the ledger, newest first. */
static void load(struct ui_app *app)
{
	struct cert_record *r = cert_record_new();
	struct cert_ledger *l;
	struct row *sorted = NULL;
	size_t i, first;
	int rc;

	c.n = 0;
	c.total = 0;
	c.problem[0] = '\0';
	if (c.rows == NULL)
		c.rows = calloc(CERTS_MAX, sizeof(*c.rows));
	sorted = calloc(CERTS_MAX, sizeof(*sorted));
	if (c.rows == NULL || r == NULL || sorted == NULL) {
		ui_cut(c.problem, sizeof(c.problem), "out of memory");
		goto out;
	}
	l = open_ledger(app);
	if (l == NULL)
		goto out;
	rc = cert_ledger_each(l, INT64_MIN, INT64_MAX, NULL, add_row, NULL);
	if (rc < 0)
		ui_cut(c.problem, sizeof(c.problem), "%s", cert_ledger_error(l));
	c.n = c.total < CERTS_MAX ? (size_t)c.total : CERTS_MAX;
	/* Oldest kept record first in the ring; the newest matter most at the desk. */
	first = c.total < CERTS_MAX ? 0 : (size_t)(c.total % CERTS_MAX);
	for (i = 0; i < c.n; i++)
		sorted[c.n - 1 - i] = c.rows[(first + i) % CERTS_MAX];
	memcpy(c.rows, sorted, c.n * sizeof(*sorted));
	for (i = 0; i < c.n; i++)
		describe(app, l, r, &c.rows[i]);
	cert_ledger_close(l);
out:
	free(sorted);
	cert_record_free(r);
}

/* Go to the certificate the station issued last, if it is listed. */
static void certs_enter(struct ui_app *app)
{
	size_t i;

	load(app);
	/* The header says whether there is any printer at all, not only which is chosen. */
	ui_print_probe(app);
	c.finished = app->njobs - ui_jobs_running(app);
	c.cursor = c.top = 0;
	c.viewing = false;
	c.prompting = app->text_entry = false;
	for (i = 0; app->last_cert[0] && i < c.n; i++)
		if (strcmp(c.rows[i].cert_no, app->last_cert) == 0)
			c.cursor = i;
}

/* The folder PDFs go to: the records medium, else the ledger's folder. */
static void records_dir(const struct ui_app *app, char *buf, size_t len)
{
	char tmp[PATH_MAX];

	if (app->cfg.records[0]) {
		ui_cut(buf, len, "%s", app->cfg.records);
		return;
	}
	ui_cut(tmp, sizeof(tmp), "%s", app->cfg.ledger);
	ui_cut(buf, len, "%s", dirname(tmp));
}

/* The colour of a result. */
static enum ui_color result_color(enum cert_result r)
{
	return r == CERT_PASSED ? UI_C_PASS : r == CERT_FAILED ? UI_C_FAIL
	       : r == CERT_DESTROYED ? UI_C_WARN : UI_C_INCOMPLETE;
}

/* Rows that fit. */
static size_t visible(void)
{
	int n = ui_rows() - CERTS_TOP - 2;

	return n > 0 ? (size_t)n : 1;
}

/* Header: where the certificates come from and which printer is used. */
static void head(struct ui_app *app)
{
	char buf[768], dir[PATH_MAX];

	records_dir(app, dir, sizeof(dir));
	ui_cut(buf, sizeof(buf), "%s: %llu%s · %s: %s · PDF → %s", ui_t(app, T_CERTS),
	    (unsigned long long)c.total, c.total > c.n ? " (newest listed)" : "",
		 ui_t(app, T_PRINTER), app->printer[0] ? app->printer :
		 ui_t(app, app->printers == 0 ? T_PRINTER_NONE : T_PRINTER_DEFAULT),
		 dir);
	ui_put(1, 1, COLS - 2, buf);
}

/* One "Label: value" line of the summary. */
static int field(int y, const char *label, const char *value)
{
	if (y >= ui_rows() - 2)
		return y;
	attron(A_BOLD);
	ui_put(y, 2, 18, label);
	attroff(A_BOLD);
	ui_put(y, 21, COLS - 22, value && value[0] ? value : "-");
	return y + 1;
}

/* Draw one certificate's summary from the ledger. */
static void draw_summary(struct ui_app *app, const struct row *w)
{
	struct cert_record *r = cert_record_new();
	struct cert_entry e;
	struct cert_ledger *l;
	char buf[700], t1[40], sz[32], err[256], rs[400];
	int y = CERTS_TOP - 1;

	memset(&e, 0, sizeof(e));
	l = open_ledger(app);
	if (r == NULL || l == NULL || cert_ledger_get(l, w->fp, w->seq, &e) != 0 ||
	    cert_record_decode(e.canon, e.canon_len, r, err, sizeof(err)) != 0) {
		ui_put(y, 2, COLS - 4, c.problem[0] ? c.problem : "cannot read this record");
		goto out;
	}
	ui_cut(buf, sizeof(buf), "%s  (%s)", r->cert_no, ui_v(app, cert_kind_str(r->kind)));
	y = field(y, ui_t(app, T_F_CERT), buf);
	attron(ui_attr(result_color(r->result)));
	y = field(y, ui_t(app, T_F_RESULT), ui_v(app, cert_result_str(r->result)));
	attroff(ui_attr(result_color(r->result)));
	if (r->reason[0])
		y = field(y, ui_t(app, T_F_REASON), ui_vs(app, r->reason, rs, sizeof(rs)));
	/* The station's local time, with its offset (a version-3 record keeps the one it had). */
	y = field(y, ui_t(app, T_F_ENDED), cert_time_local_str(r->end, r->version >= 3 ?
		  r->utc_offset : cert_utc_offset(r->end), t1, sizeof(t1)));
	ui_cut(buf, sizeof(buf), "%s%s%s · %s %s · %s · %s %s",
	    r->make[0] && strcmp(r->make, r->model) ? r->make : "",
	    r->make[0] && strcmp(r->make, r->model) ? " " : "",
	    r->model[0] ? r->model : ui_t(app, T_NO_MODEL), ui_v(app, "serial"),
	    r->serial[0] ? r->serial : ui_t(app, T_NO_SERIAL), wiper_size_str(r->size_bytes, sz, sizeof(sz)),
	    r->transport, r->node);
	y = field(y, ui_t(app, T_F_MEDIUM), buf);
	y = field(y, ui_t(app, T_F_ASSET), r->origin.property_number);
	if (r->origin.carrier_no[0])
		y = field(y, ui_t(app, T_F_CARRIER), r->origin.carrier_no);
	if (r->origin.owner_unit[0])
		y = field(y, ui_t(app, T_F_OWNER), r->origin.owner_unit);
	if (r->origin.classification[0])
		y = field(y, ui_t(app, T_F_CLASSIFICATION), r->origin.classification);
	if (r->kind == CERT_KIND_DESTROY) {
		y = field(y, ui_t(app, T_F_DESTROYED_BY), ui_v(app, r->destroy_technique));
		y = field(y, ui_t(app, T_F_DETAILS), r->destroy_details);
	} else {
		ui_cut(buf, sizeof(buf), "%s: %s (%s)", ui_v(app, r->nist_method_type),
		       ui_v(app, r->method_title), ui_v(app, r->nist_method_used));
		y = field(y, ui_t(app, T_F_METHOD), buf);
		ui_cut(buf, sizeof(buf), "%s, %.1f%% %s", ui_v(app, r->verify_mode),
		       r->verify_coverage_ppm / 10000.0, ui_v(app, "read back"));
		y = field(y, ui_t(app, T_F_VERIFICATION), buf);
	}
	ui_cut(buf, sizeof(buf), "%s, %s", r->people.operator_.name, r->people.operator_.title);
	y = field(y, ui_t(app, T_F_OPERATOR), buf);
	ui_cut(buf, sizeof(buf), "%s%s%s", r->people.witness.name,
		 r->people.witness.title[0] ? ", " : "", r->people.witness.title);
	y = field(y, ui_t(app, T_F_WITNESS), buf);
	if (r->people.supervisor2.name[0]) {
		ui_cut(buf, sizeof(buf), "%s%s%s", r->people.supervisor2.name,
			 r->people.supervisor2.title[0] ? ", " : "", r->people.supervisor2.title);
		y = field(y, ui_t(app, T_SUPERVISOR2), buf);
	}
	if (r->people.approver.name[0] || r->origin.approval_ref[0]) {
		ui_cut(buf, sizeof(buf), "%s%s%s", r->people.approver.name,
			 r->origin.approval_ref[0] ? " · " : "", r->origin.approval_ref);
		y = field(y, ui_t(app, T_APPROVER), buf);
	}
	y = field(y, ui_t(app, T_F_STATION), r->station_id);
	ui_cut(buf, sizeof(buf), "%02x%02x%02x%02x%02x%02x%02x%02x…  key %.16s…", e.hash[0],
		 e.hash[1], e.hash[2], e.hash[3], e.hash[4], e.hash[5], e.hash[6], e.hash[7],
		 r->key_fingerprint);
	if (app->zh)
		ui_cut(buf, sizeof(buf), "%02x%02x%02x%02x%02x%02x%02x%02x…  密钥 %.16s…", e.hash[0],
		       e.hash[1], e.hash[2], e.hash[3], e.hash[4], e.hash[5], e.hash[6], e.hash[7],
		       r->key_fingerprint);
	y = field(y, ui_t(app, T_F_HASH), buf);
	ui_cut(buf, sizeof(buf), "%s%s%s", ui_dest_text(app, (int)r->destination),
	    r->destination_details[0] ? " — " : "", ui_vs(app, r->destination_details, rs, sizeof(rs)));
	field(y, ui_t(app, T_F_DEST), buf);
out:
	cert_entry_done(&e);
	cert_ledger_close(l);
	cert_record_free(r);
}

/* Column widths of the list: the number in full, the rest shared. */
struct cols {
	int no, serial, model;
};

/* Fit the columns to the terminal. */
static void columns(struct cols *k)
{
	int rest;
	size_t i;

	k->no = 6;
	for (i = 0; i < c.n; i++)
		if (ui_width(c.rows[i].cert_no) > k->no)
			k->no = ui_width(c.rows[i].cert_no);
	if (k->no > 24)
		k->no = 24;
	/* ">" 2, number, time 16, result 10, spaces; serial, model and method share the rest. */
	rest = COLS - 2 - (k->no + 1) - 17 - 11 - 2;
	k->serial = rest / 4 > 24 ? 24 : rest / 4;
	k->model = rest / 4 > 24 ? 24 : rest / 4;
	if (k->serial < 6)
		k->serial = 6;
	if (k->model < 6)
		k->model = 6;
}

/* Draw the list, or the summary of the certificate under the cursor. */
static void draw_body(struct ui_app *app)
{
	struct cols cols;
	size_t i;
	int y = CERTS_TOP;

	if (app->njobs - ui_jobs_running(app) != c.finished) {
		/* A job finished while the list was open: its certificate is new. */
		c.finished = app->njobs - ui_jobs_running(app);
		load(app);
	}
	head(app);
	if (c.n == 0) {
		ui_put(CERTS_TOP, 2, COLS - 4, c.problem[0] ? c.problem : ui_t(app, T_NO_CERTS));
		return;
	}
	if (c.cursor >= c.n)
		c.cursor = c.n - 1;
	if (c.viewing) {
		draw_summary(app, &c.rows[c.cursor]);
		return;
	}
	columns(&cols);
	attron(A_UNDERLINE);
	ui_put_pad(CERTS_TOP - 1, 0, COLS, "");
	{
		static const enum ui_text heads[] = { T_COL_NUMBER, T_COL_TIME, T_COL_SERIAL,
						      T_COL_MODEL, T_COL_RESULT, T_COL_METHOD };
		int x = 2, w[] = { cols.no, 16, cols.serial, cols.model, 10, COLS };

		for (i = 0; i < sizeof(heads) / sizeof(heads[0]) && x < COLS; i++) {
			ui_put(CERTS_TOP - 1, x, COLS - x < w[i] ? COLS - x : w[i], ui_t(app, heads[i]));
			x += w[i] + 1;
		}
	}
	attroff(A_UNDERLINE);
	if (c.cursor < c.top)
		c.top = c.cursor;
	if (c.cursor >= c.top + visible())
		c.top = c.cursor - visible() + 1;
	for (i = c.top; i < c.n && i < c.top + visible(); i++, y++) {
		const struct row *w = &c.rows[i];
		int x = 2;

		if (i == c.cursor)
			attron(ui_attr(UI_C_SEL));
		ui_put_pad(y, 0, COLS, i == c.cursor ? ">" : " ");
		ui_put(y, x, cols.no, w->cert_no);
		x += cols.no + 1;
		ui_put(y, x, 16, w->when);
		x += 17;
		ui_put(y, x, cols.serial, w->serial[0] ? w->serial : "-");
		x += cols.serial + 1;
		ui_put(y, x, cols.model, w->model);
		x += cols.model + 1;
		attron(ui_attr(result_color(w->result)));
		ui_put(y, x, 10, ui_v(app, cert_result_str(w->result)));
		attroff(ui_attr(result_color(w->result)));
		if (i == c.cursor)
			attron(ui_attr(UI_C_SEL));
		x += 11;
		if (x < COLS)
			ui_put(y, x, COLS - x, w->method);
		if (i == c.cursor)
			attroff(ui_attr(UI_C_SEL));
	}
}

/* Forward: the period prompt is drawn over the list. */
static void period_draw(struct ui_app *app);

/* The list or the summary, and the period prompt when it is open. */
static void certs_draw(struct ui_app *app)
{
	draw_body(app);
	if (c.prompting)
		period_draw(app);
}

/* Write @pdf to @dir/@name; the path into @path. 0 or -errno with @app->status set. */
static int save(struct ui_app *app, const char *dir, const char *name, const struct cbuf *pdf,
		char *path, size_t len)
{
	int rc, n = snprintf(path, len, "%s/%s.pdf", dir, name);

	if (n < 0 || (size_t)n >= len) {
		ui_cut(app->status, sizeof(app->status), "%s: path too long", dir);
		return -ENAMETOOLONG;
	}
	rc = cert_write_file(path, pdf->p, pdf->len);
	if (rc < 0)
		ui_cut(app->status, sizeof(app->status), "cannot save %s: %s", path, strerror(-rc));
	return rc;
}

/* Render the certificate under the cursor, save it, and print it if asked. */
static void cert_out(struct ui_app *app, bool print)
{
	const struct row *w = &c.rows[c.cursor];
	struct cbuf pdf = { 0 };
	struct cert_entry e;
	struct cert_ledger *l;
	char dir[PATH_MAX], path[PATH_MAX + 80], err[256];
	int rc;

	memset(&e, 0, sizeof(e));
	l = open_ledger(app);
	if (l == NULL) {
		ui_cut(app->status, sizeof(app->status), "%s", c.problem);
		return;
	}
	rc = cert_ledger_get(l, w->fp, w->seq, &e);
	if (rc != 0) {
		ui_cut(app->status, sizeof(app->status), "%s", cert_ledger_error(l));
		goto out;
	}
	/* In the layout it was issued in, so a re-print is the certificate filed. */
	rc = cert_pdf_render_issued(l, &e, app->zh ? "zh" : "en", &pdf, err, sizeof(err));
	if (rc < 0) {
		ui_cut(app->status, sizeof(app->status), "%s: %s", w->cert_no, err);
		goto out;
	}
	records_dir(app, dir, sizeof(dir));
	if (save(app, dir, w->cert_no, &pdf, path, sizeof(path)) < 0) {
		char why[sizeof(app->status)];

		/* No records medium plugged in must not stop the paper copy. */
		if (!print)
			goto out;
		ui_cut(why, sizeof(why), " · records folder: %s", app->status);
		if (save(app, getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", w->cert_no, &pdf, path,
			 sizeof(path)) < 0)
			goto out;
		ui_print_start(app, w->cert_no, path, why);
		goto out;
	}
	if (print)
		ui_print_start(app, w->cert_no, path, NULL);
	else
		ui_cut(app->status, sizeof(app->status), "%s %s %s", w->cert_no,
			 ui_t(app, T_SAVED), path);
out:
	cbuf_done(&pdf);
	cert_entry_done(&e);
	cert_ledger_close(l);
}

/* Render the register of [@from, @to), save it as @name and print it. */
static void register_out(struct ui_app *app, int64_t from, int64_t to, const char *name)
{
	struct cbuf pdf = { 0 };
	struct cert_ledger *l;
	char dir[PATH_MAX], path[PATH_MAX + 80], err[256];
	int rc;

	l = open_ledger(app);
	if (l == NULL) {
		ui_cut(app->status, sizeof(app->status), "%s", c.problem);
		return;
	}
	rc = cert_pdf_register(l, from, to, app->zh ? "zh" : "en", &pdf, err, sizeof(err));
	if (rc != 0) {
		ui_cut(app->status, sizeof(app->status), "register: %s", err);
		goto out;
	}
	records_dir(app, dir, sizeof(dir));
	if (save(app, dir, name, &pdf, path, sizeof(path)) == 0)
		ui_print_start(app, name, path, NULL);
out:
	cbuf_done(&pdf);
	cert_ledger_close(l);
}

/* Put @text into the period prompt through the one line editor. */
static void period_set(const char *text)
{
	struct ui_key k = { .is_code = false };
	const char *p;

	ui_line_clear(&c.period);
	for (p = text; *p; p++) {
		k.code = (unsigned char)*p;
		ui_line_key(&c.period, &k);
	}
}

/* Open the period prompt on this month (@back months ago). */
static void period_open(struct ui_app *app, int back)
{
	char buf[16];

	ui_period_month(time(NULL), back, buf, sizeof(buf));
	period_set(buf);
	c.prompting = true;
	app->text_entry = true;
	app->status[0] = '\0';
}

/* Up/Down on a "YYYY-MM" in the prompt: the month before or after. */
static void period_shift(int by)
{
	char buf[16];

	if (ui_period_month_shift(c.period.buf, by, buf, sizeof(buf)) == 0)
		period_set(buf);
}

/* Keys while the period prompt is open. */
static int period_key(struct ui_app *app, const struct ui_key *k)
{
	int64_t from, to;
	char name[80];

	if (ui_line_key(&c.period, k))
		return UI_REDRAW;
	switch (k->action) {
	case UI_ACT_UP:
		period_shift(-1);
		break;
	case UI_ACT_DOWN:
		period_shift(1);
		break;
	case UI_ACT_BACK:
		c.prompting = app->text_entry = false;
		break;
	case UI_ACT_OK:
		if (ui_period_parse(c.period.buf, &from, &to, name, sizeof(name)) < 0) {
			ui_cut(app->status, sizeof(app->status), "%s", ui_t(app, T_PERIOD_BAD));
			break;
		}
		c.prompting = app->text_entry = false;
		register_out(app, from, to, name);
		break;
	default:
		break;
	}
	return UI_REDRAW;
}

/* The period prompt, above the status line. */
static void period_draw(struct ui_app *app)
{
	int x;

	attron(A_BOLD);
	ui_put_pad(ui_rows() - 4, 0, COLS, "");
	ui_put(ui_rows() - 4, 1, COLS - 2, ui_t(app, T_PERIOD_HINT));
	attroff(A_BOLD);
	ui_put_pad(ui_rows() - 3, 0, COLS, "");
	x = 1 + ui_put(ui_rows() - 3, 1, COLS - 2, ui_t(app, T_PERIOD));
	ui_line_draw(&c.period, ui_rows() - 3, x + 1, 26, true);
}

/* The medium of the certificate under the cursor, to record its destruction. */
static void destroy_later(struct ui_app *app)
{
	const struct row *w = &c.rows[c.cursor];
	struct cert_record *r = cert_record_new();
	struct cert_entry ent;
	struct cert_ledger *l;
	struct ui_record_fields rec;
	struct ui_medium m;
	const char *slash;
	char err[128];
	int t;

	memset(&ent, 0, sizeof(ent));
	memset(&m, 0, sizeof(m));
	l = open_ledger(app);
	if (r == NULL || l == NULL || cert_ledger_get(l, w->fp, w->seq, &ent) != 0 ||
	    cert_record_decode(ent.canon, ent.canon_len, r, err, sizeof(err)) != 0) {
		ui_cut(app->status, sizeof(app->status), "%s: cannot read this record", w->cert_no);
		goto out;
	}
	if (r->result == CERT_DESTROYED) {
		ui_cut(app->status, sizeof(app->status), "%s", ui_t(app, T_ALREADY_DESTROYED));
		goto out;
	}
	ui_cut(m.med.disk.model, sizeof(m.med.disk.model), "%s", r->model);
	ui_cut(m.med.disk.serial, sizeof(m.med.disk.serial), "%s", r->serial);
	ui_cut(m.med.disk.node, sizeof(m.med.disk.node), "%s", r->node);
	slash = strrchr(r->node, '/');
	ui_cut(m.med.disk.name, sizeof(m.med.disk.name), "%s", slash ? slash + 1 : r->node);
	m.med.disk.size_bytes = r->size_bytes;
	m.med.disk.logical_block = r->logical_block;
	m.med.disk.physical_block = r->physical_block;
	for (t = WIPER_TRAN_UNKNOWN; t <= WIPER_TRAN_SIM; t++)
		if (strcmp(wiper_transport_str((enum wiper_transport)t), r->transport) == 0)
			m.med.disk.transport = (enum wiper_transport)t;
	memset(&rec, 0, sizeof(rec));
	ui_cut(rec.asset, sizeof(rec.asset), "%s", r->origin.property_number);
	ui_cut(rec.owner, sizeof(rec.owner), "%s", r->origin.owner_unit);
	ui_cut(rec.carrier_no, sizeof(rec.carrier_no), "%s", r->origin.carrier_no);
	ui_cut(rec.classification, sizeof(rec.classification), "%s", r->origin.classification);
	app->status[0] = '\0';
	ui_erase_destroy_start(app, &m, &rec);
out:
	cert_entry_done(&ent);
	cert_ledger_close(l);
	cert_record_free(r);
}

/* Move, view, save, print, choose the printer, print the register. */
static int certs_key(struct ui_app *app, const struct ui_key *k)
{
	if (c.prompting)
		return period_key(app, k);
	switch (k->action) {
	case UI_ACT_UP:
		if (c.cursor > 0)
			c.cursor--;
		break;
	case UI_ACT_DOWN:
		if (c.cursor + 1 < c.n)
			c.cursor++;
		break;
	case UI_ACT_PGUP:
		c.cursor = c.cursor > visible() ? c.cursor - visible() : 0;
		break;
	case UI_ACT_PGDN:
		c.cursor = c.cursor + visible() < c.n ? c.cursor + visible() : c.n ? c.n - 1 : 0;
		break;
	case UI_ACT_OK:
		c.viewing = !c.viewing && c.n > 0;
		break;
	case UI_ACT_PRINT:
	case UI_ACT_SAVE:
		if (k->action == UI_ACT_PRINT && ui_print_busy()) {
			ui_cut(app->status, sizeof(app->status), "%s", ui_t(app, T_PRINT_BUSY));
			break;
		}
		if (c.n == 0) {
			ui_cut(app->status, sizeof(app->status), "%s", ui_t(app, T_NO_CERTS));
			break;
		}
		cert_out(app, k->action == UI_ACT_PRINT);
		break;
	case UI_ACT_PRINTER:
		ui_print_next_printer(app);
		break;
	case UI_ACT_REGISTER:
	case UI_ACT_REGISTER_PREV:
		period_open(app, k->action == UI_ACT_REGISTER_PREV);
		break;
	case UI_ACT_DESTROYED:
		if (c.n > 0)
			destroy_later(app);
		break;
	case UI_ACT_BACK:
		if (c.viewing)
			c.viewing = false;
		else
			ui_screen_switch(app, UI_SCR_LIST);
		break;
	default:
		break;
	}
	return UI_REDRAW;
}

const struct ui_screen ui_screen_certs = {
	.name = "certificates",
	.enter = certs_enter,
	.draw = certs_draw,
	.key = certs_key,
	.resize = NULL,
};
