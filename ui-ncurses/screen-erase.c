/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The erase flow: method, verification (overwrite methods only), where the
 * media go next, the certificate's details (an asset number per medium, the
 * batch's owner and classification), then a confirmation naming every
 * medium by model, serial and size that the technician answers by typing
 * how many media are listed. Recording a destruction takes the technique
 * instead of the verification and destination.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ncurses.h>

#include "certs/record.h"
#include "ui-ncurses/lineedit.h"
#include "wiper/base/utf8.h"
#include "ui-ncurses/ui.h"

enum erase_step { STEP_METHOD, STEP_VERIFY, STEP_DEST, STEP_ASSET, STEP_CONFIRM, STEP_DESTROY };

/*
 * The fields of the details step, in the order Enter moves through them:
 * the carrier number (载体编号, the 保密 office's own label) and the asset
 * number of each medium (what the technician reads off the labels), then
 * the owner and classification of the whole batch.
 */
#define FIELD_OWNER (2 * e.n)
#define FIELD_CLASS (2 * e.n + 1)
#define NFIELDS (2 * e.n + 2)

static struct {
	enum erase_step step;
	struct ui_medium t[UI_MEDIA_MAX];	/* the media, copied (no partition arrays) */
	size_t n;
	size_t method_cursor;			/* 0 recommended, 1 clear, 2.. methods, last destroy */
	size_t verify_cursor;
	size_t dest_cursor;			/* into destinations[] */
	size_t field;				/* a medium's asset, FIELD_OWNER, FIELD_CLASS */
	struct ui_line owner, classification;
	struct ui_line asset[UI_MEDIA_MAX];
	struct ui_line carrier[UI_MEDIA_MAX];
	struct ui_line confirm;
	size_t tech_cursor;			/* destruction technique */
	bool destroy_only;			/* from a certificate: the medium may be gone */
	struct ui_line details;
} e;

/* How a medium was destroyed, as the record names it (NIST 800-88 / IEEE 2883 words). */
static const char *const techniques[] = { "Shred", "Disintegrate", "Incinerate", "Degauss", "Other" };
#define NTECH (sizeof(techniques) / sizeof(techniques[0]))

static const enum wiper_verify_mode verify_modes[] = {
	WIPER_VERIFY_LAST, WIPER_VERIFY_ALL, WIPER_VERIFY_SAMPLE, WIPER_VERIFY_NONE,
};
static const enum ui_text verify_text[] = {
	T_VERIFY_LAST, T_VERIFY_ALL, T_VERIFY_SAMPLE, T_VERIFY_NONE,
};
#define NVERIFY (sizeof(verify_modes) / sizeof(verify_modes[0]))

/* Where the media go next, the usual first. */
static const enum cert_dest destinations[] = {
	CERT_DEST_INTERNAL_REUSE, CERT_DEST_EXTERNAL_REUSE, CERT_DEST_RECYCLING,
	CERT_DEST_DESTRUCTION, CERT_DEST_MANUFACTURER, CERT_DEST_OTHER,
};
#define NDEST (sizeof(destinations) / sizeof(destinations[0]))

/* Number of method entries: recommended, clear, the table, destroy. */
static size_t nmethods(void)
{
	size_t n;

	wiper_methods(&n);
	return n + 3;
}

/* The overwrite method under the cursor, or NULL for recommended/clear/destroy. */
static const struct wiper_method *method_at(size_t i)
{
	size_t n;
	const struct wiper_method *m = wiper_methods(&n);

	return i >= 2 && i - 2 < n ? &m[i - 2] : NULL;
}

/* Is the cursor on "Destroy"? */
static bool is_destroy(void)
{
	return e.method_cursor == nmethods() - 1;
}

/* Copy the selected media in, so a rescan cannot pull them from under us. */
static void erase_enter(struct ui_app *app)
{
	size_t i;

	memset(&e, 0, sizeof(e));
	for (i = 0; i < app->nmedia && e.n < UI_MEDIA_MAX; i++) {
		if (!app->media[i].selected || !ui_medium_erasable(&app->media[i]))
			continue;
		e.t[e.n] = app->media[i];
		e.t[e.n].med.disk.part_names = NULL;
		e.t[e.n].med.disk.part_devnums = NULL;
		e.t[e.n].med.disk.holders = NULL;
		e.t[e.n].med.disk.nparts = e.t[e.n].med.disk.nholders = 0;
		e.n++;
	}
	e.step = STEP_METHOD;
}

/*
 * Type @s into @l through the one line editor, so the field behaves as if
 * typed: one key per character (UTF-8 decoded, as the terminal gives wide
 * characters), so "信息中心 IT Dept" comes back whole.
 */
static void type_into(struct ui_line *l, const char *s)
{
	struct ui_key k = { .is_code = false };
	size_t i = 0, n = strlen(s), cl;
	uint32_t cp;

	while (i < n) {
		cl = wiper_utf8_len((const unsigned char *)s + i, n - i, &cp);
		if (!cl) {
			i++;	/* not UTF-8: the record could not hold it anyway */
			continue;
		}
		k.code = (int)cp;
		if (cp >= 32 && cp != 127)
			ui_line_key(l, &k);
		i += cl;
	}
}

void ui_erase_destroy_start(struct ui_app *app, const struct ui_medium *m,
			    const struct ui_record_fields *rec)
{
	ui_screen_switch(app, UI_SCR_ERASE);
	memset(&e, 0, sizeof(e));
	e.t[0] = *m;
	e.n = 1;
	e.method_cursor = nmethods() - 1;
	e.step = STEP_DESTROY;
	/* Never an erase: the node may name another disk by now. */
	e.destroy_only = true;
	type_into(&e.asset[0], rec->asset);
	type_into(&e.carrier[0], rec->carrier_no);
	type_into(&e.owner, rec->owner);
	type_into(&e.classification, rec->classification);
}

/* What the chosen method does to medium @m, in one line. */
static void plan_line(const struct ui_app *app, const struct ui_medium *m, char *buf, size_t len)
{
	const struct wiper_method *meth = method_at(e.method_cursor);
	enum wiper_tech tech;
	char sm[300];

	if (is_destroy() && e.step != STEP_METHOD)
		snprintf(buf, len, "%s: %s%s%s", ui_v(app, "Destruct"), ui_v(app, techniques[e.tech_cursor]),
			 e.details.len ? " — " : "", e.details.buf);
	else if (is_destroy())
		snprintf(buf, len, "%s", ui_t(app, T_DESTROY));
	else if (meth)
		snprintf(buf, len, "%s: %s", ui_v(app, "Clear"), ui_v(app, meth->title));
	else if (e.method_cursor == 0 && wiper_run_recommended(&m->med, &tech))
		snprintf(buf, len, "%s: %s", ui_v(app, "Purge"), ui_v(app, wiper_tech_str(tech)));
	else if (e.method_cursor == 0)
		snprintf(buf, len, "%s (%s)", ui_t(app, T_CLEAR), ui_vs(app, m->summary, sm, sizeof(sm)));
	else
		snprintf(buf, len, "%s", ui_t(app, T_CLEAR));
}

/* One line naming a medium: node, model, serial, size. */
static void medium_line(const struct ui_app *app, const struct ui_medium *m, char *buf, size_t len)
{
	char sz[32], model[96], mz[200];

	snprintf(buf, len, "%-8s %s  %s %s  %s", m->med.disk.name,
		 m->med.disk.model[0] ? m->med.disk.model : m->med.disk.backing_file[0] ?
		 ui_vs(app, ui_medium_model(m, model, sizeof(model)), mz, sizeof(mz)) :
		 ui_t(app, T_NO_MODEL), ui_v(app, "serial"),
		 m->med.disk.serial[0] ? m->med.disk.serial : ui_t(app, T_NO_SERIAL),
		 wiper_size_str(m->med.disk.size_bytes, sz, sizeof(sz)));
}

/* Draw a list of choices from @first, with the cursor on @cur. */
static int draw_choices(int y, size_t first, size_t n, size_t cur, const char *(*label)(size_t, const struct ui_app *),
			const struct ui_app *app, int maxy)
{
	size_t i;

	for (i = first; i < n && y < maxy; i++, y++) {
		if (i == cur)
			attron(ui_attr(UI_C_SEL));
		ui_put_pad(y, 2, COLS - 4, "");
		/* The cursor is also a glyph, for monochrome terminals (as on the media list). */
		if (i == cur)
			ui_put(y, 2, 1, ">");
		ui_put(y, 3, COLS - 6, label(i, app));
		if (i == cur)
			attroff(ui_attr(UI_C_SEL));
	}
	return y;
}

/* Label of method entry @i. */
static const char *method_label(size_t i, const struct ui_app *app)
{
	static char buf[160];
	const struct wiper_method *m = method_at(i);

	if (i == 0)
		return ui_t(app, T_RECOMMENDED);
	if (i == 1)
		return ui_t(app, T_CLEAR);
	if (m) {
		snprintf(buf, sizeof(buf), "%s: %s (%s)", ui_v(app, "Clear"), ui_v(app, m->title),
			 m->name);
		return buf;
	}
	return ui_t(app, T_DESTROY);
}

/* Label of destruction technique @i. */
static const char *tech_label(size_t i, const struct ui_app *app)
{
	return ui_v(app, techniques[i]);
}

/* Label of verification entry @i. */
static const char *verify_label(size_t i, const struct ui_app *app)
{
	return ui_t(app, verify_text[i]);
}

/* Label of destination entry @i. */
static const char *dest_label(size_t i, const struct ui_app *app)
{
	return ui_dest_text(app, (int)destinations[i]);
}

/* The destination the record will carry. */
static enum cert_dest chosen_dest(void)
{
	return is_destroy() ? CERT_DEST_DESTRUCTION : destinations[e.dest_cursor];
}

/* The details step: an asset number per medium, owner and classification for the batch. */
static void draw_details(struct ui_app *app, int y)
{
	char buf[512];
	size_t i, first = 0, rows;
	int lw = 16, fw = COLS - 4 - lw - 2;

	/* The media scroll; the two batch fields stay below them. */
	rows = ui_rows() - 6 > y ? (size_t)(ui_rows() - 6 - y) : 1;
	if (e.field < 2 * e.n && e.field / 2 >= rows)
		first = e.field / 2 - rows + 1;
	for (i = first; i < e.n && i < first + rows; i++, y++) {
		int x = COLS / 2 - 8, w = (COLS - x - 20) / 2;

		medium_line(app, &e.t[i], buf, sizeof(buf));
		ui_put(y, 2, x - 3, buf);
		x += ui_put(y, x, 12, ui_t(app, T_F_CARRIER)) + 1;
		ui_line_draw(&e.carrier[i], y, x, w, e.field == 2 * i);
		x += w + 1;
		x += ui_put(y, x, 8, ui_t(app, T_F_ASSET_NO)) + 1;
		ui_line_draw(&e.asset[i], y, x, COLS - x - 1, e.field == 2 * i + 1);
	}
	y++;
	ui_put(y, 2, lw, ui_t(app, T_F_OWNER));
	ui_line_draw(&e.owner, y++, 3 + lw, fw > 40 ? 40 : fw, e.field == FIELD_OWNER);
	ui_put(y, 2, lw, ui_t(app, T_F_CLASSIFICATION));
	ui_line_draw(&e.classification, y, 3 + lw, fw > 40 ? 40 : fw, e.field == FIELD_CLASS);
	/* The station's levels, so the technician types one of them. */
	if (e.field == FIELD_CLASS) {
		const struct cert_policy_conf *pc = &app->cfg.rec.policy;

		/* In Chinese the levels' Chinese names alone; in English both. */
		if (app->zh) {
			buf[0] = '\0';
			for (i = 0; i < pc->nlevels; i++)
				ui_cut(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s", i ? "、" : "",
				       pc->levels[i].zh);
		} else {
			cert_policy_class_list(pc, buf, sizeof(buf));
		}
		ui_put(y + 1, 3 + lw, COLS - 4 - lw, buf);
	}
}

/* The lines under the list of media on the confirmation: where they go, whose they are. */
static int draw_record_lines(struct ui_app *app, int y)
{
	char buf[600];
	int n = 0;

	attron(A_BOLD);
	snprintf(buf, sizeof(buf), "%s: %s", ui_t(app, T_F_DEST),
		 ui_dest_text(app, (int)chosen_dest()));
	ui_put(y++, 4, COLS - 6, buf);
	buf[0] = '\0';
	if (e.owner.len)
		n = snprintf(buf, sizeof(buf), "%s: %s", ui_t(app, T_F_OWNER), e.owner.buf);
	if (e.classification.len && n >= 0 && (size_t)n < sizeof(buf))
		snprintf(buf + n, sizeof(buf) - (size_t)n, "%s%s: %s", n ? " · " : "",
			 ui_t(app, T_F_CLASSIFICATION), e.classification.buf);
	if (buf[0])
		ui_put(y++, 4, COLS - 6, buf);
	attroff(A_BOLD);
	return y;
}

/* Draw the step the technician is on. */
static void erase_draw(struct ui_app *app)
{
	static const enum ui_text titles[] = { T_METHOD, T_VERIFY, T_DEST_STEP, T_ASSET, T_CONFIRM,
					       T_DESTROY_HOW };
	enum ui_text title = e.step == STEP_CONFIRM && is_destroy() ? T_DESTROY_CONFIRM : titles[e.step];
	char buf[512], num[16];
	int y = 2, plan_rows;
	size_t i, first;

	attron(A_BOLD);
	ui_put(y++, 1, COLS - 2, ui_t(app, title));
	attroff(A_BOLD);
	y++;
	switch (e.step) {
	case STEP_METHOD:
		plan_rows = (int)(e.n < 4 ? e.n : 4) + 2;
		first = 0;
		if ((int)e.method_cursor >= ui_rows() - 4 - plan_rows - y)
			first = e.method_cursor - (size_t)(ui_rows() - 4 - plan_rows - y) + 1;
		draw_choices(y, first, nmethods(), e.method_cursor, method_label, app,
			     ui_rows() - 3 - plan_rows);
		y = ui_rows() - 3 - plan_rows + 1;
		attron(A_UNDERLINE);
		ui_put(y++, 1, COLS - 2, ui_t(app, T_PLAN));
		attroff(A_UNDERLINE);
		for (i = 0; i < e.n && y < ui_rows() - 2; i++) {
			char p[300];

			if (i == 3 && e.n > 4) {
				snprintf(buf, sizeof(buf), "… +%zu", e.n - 3);
				ui_put(y++, 2, COLS - 3, buf);
				break;
			}
			plan_line(app, &e.t[i], p, sizeof(p));
			snprintf(buf, sizeof(buf), "%-8s %s", e.t[i].med.disk.name, p);
			/* One medium has the spare row: its plan is wrapped, not cut. */
			y += ui_put_wrap(y, 2, COLS - 3, e.n == 1 ? 2 : 1, buf);
		}
		break;
	case STEP_VERIFY:
		draw_choices(y, 0, NVERIFY, e.verify_cursor, verify_label, app, ui_rows() - 3);
		break;
	case STEP_DEST:
		y = draw_choices(y, 0, NDEST, e.dest_cursor, dest_label, app, ui_rows() - 5);
		attron(ui_attr(UI_C_GREY));
		ui_put(y + 1, 2, COLS - 4, ui_t(app, T_DEST_FAILED_NOTE));
		attroff(ui_attr(UI_C_GREY));
		break;
	case STEP_DESTROY:
		y = draw_choices(y, 0, NTECH, e.tech_cursor, tech_label, app, ui_rows() - 6);
		y++;
		ui_put(y++, 2, COLS - 4, ui_t(app, T_DESTROY_DETAILS));
		ui_line_draw(&e.details, y, 3, COLS - 6, true);
		break;
	case STEP_ASSET:
		draw_details(app, y);
		break;
	case STEP_CONFIRM:
		attron(ui_attr(UI_C_FAIL));
		ui_put(y++, 2, COLS - 4, ui_t(app, is_destroy() ? T_WILL_DESTROY : T_WILL_ERASE));
		attroff(ui_attr(UI_C_FAIL));
		for (i = 0; i < e.n && y < ui_rows() - 7; i++) {
			char p[300];

			medium_line(app, &e.t[i], buf, sizeof(buf));
			ui_put(y++, 4, COLS - 6, buf);
			plan_line(app, &e.t[i], p, sizeof(p));
			if (e.asset[i].len) {
				snprintf(buf, sizeof(buf), "%s %s", ui_t(app, T_F_ASSET_NO),
					 e.asset[i].buf);
				ui_put(y - 1, COLS - 2 - ui_width(buf), ui_width(buf), buf);
			}
			ui_put(y++, 8, COLS - 10, p);
		}
		if (i < e.n) {
			snprintf(buf, sizeof(buf), "… +%zu", e.n - i);
			ui_put(y++, 4, COLS - 6, buf);
		}
		y = draw_record_lines(app, y) + 1;
		snprintf(num, sizeof(num), " (%zu)", e.n);
		i = (size_t)ui_put(y, 2, COLS - 14,
				   ui_t(app, is_destroy() ? T_TYPE_COUNT_DESTROY : T_TYPE_COUNT));
		ui_line_draw(&e.confirm, y, 3 + (int)i, 8, true);
		break;
	}
}

/* The certificate fields of medium @i. */
static void record_of(size_t i, struct ui_record_fields *rec)
{
	memset(rec, 0, sizeof(*rec));
	snprintf(rec->asset, sizeof(rec->asset), "%s", e.asset[i].buf);
	snprintf(rec->carrier_no, sizeof(rec->carrier_no), "%s", e.carrier[i].buf);
	snprintf(rec->owner, sizeof(rec->owner), "%s", e.owner.buf);
	snprintf(rec->classification, sizeof(rec->classification), "%s", e.classification.buf);
	rec->destination = (int)chosen_dest();
}

/* Start a job on every medium; report the first refusal. */
static void start_all(struct ui_app *app)
{
	const struct wiper_method *m = method_at(e.method_cursor);
	enum wiper_verify_mode v = verify_modes[e.verify_cursor];
	struct ui_record_fields rec;
	char err[256];
	size_t i, started = 0;

	app->status[0] = '\0';
	for (i = 0; i < e.n; i++) {
		err[0] = '\0';
		record_of(i, &rec);
		if (ui_job_start(app, &e.t[i], m, e.method_cursor == 0, v, &rec, err,
				 sizeof(err)) < 0) {
			if (!app->status[0])
				snprintf(app->status, sizeof(app->status), "%s: %s", e.t[i].med.disk.name,
					 err[0] ? err : "could not start");
			continue;
		}
		started++;
	}
	for (i = 0; i < app->nmedia; i++)
		app->media[i].selected = false;
	ui_screen_switch(app, started ? UI_SCR_DASH : UI_SCR_LIST);
}

/* Record the destruction of every medium; then show the certificates. */
static void record_all(struct ui_app *app)
{
	struct ui_record_fields rec;
	char err[256], no[64], first[64] = "", problem[300] = "";
	size_t i, done = 0;
	int rc;

	app->status[0] = '\0';
	for (i = 0; i < e.n; i++) {
		err[0] = '\0';
		record_of(i, &rec);
		rc = ui_cert_destroy(app, &e.t[i], techniques[e.tech_cursor], e.details.buf, &rec,
				     no, sizeof(no), err, sizeof(err));
		/* With a number the record stands, even if its PDF could not be written. */
		if (rc < 0 && !problem[0])
			snprintf(problem, sizeof(problem), "%s: %.200s", e.t[i].med.disk.name,
				 err[0] ? err : "not recorded");
		if (!no[0])
			continue;
		if (!first[0])
			snprintf(first, sizeof(first), "%s", no);
		snprintf(app->last_cert, sizeof(app->last_cert), "%s", no);
		done++;
	}
	for (i = 0; i < app->nmedia; i++)
		app->media[i].selected = false;
	ui_screen_switch(app, done ? UI_SCR_CERTS : UI_SCR_LIST);
	if (done)
		snprintf(app->status, sizeof(app->status), "%s: %zu (%s%s%s)%s%.300s",
			 ui_t(app, T_DESTROYED), done, first, done > 1 ? " … " : "",
			 done > 1 ? app->last_cert : "", problem[0] ? " · " : "", problem);
	else
		snprintf(app->status, sizeof(app->status), "%.300s", problem);
}

/* Move through the steps. */
static int erase_key(struct ui_app *app, const struct ui_key *k)
{
	size_t *cur = e.step == STEP_METHOD ? &e.method_cursor
		      : e.step == STEP_VERIFY ? &e.verify_cursor
		      : e.step == STEP_DEST ? &e.dest_cursor
		      : e.step == STEP_DESTROY ? &e.tech_cursor : &e.field;
	size_t max = e.step == STEP_METHOD ? nmethods() : e.step == STEP_VERIFY ? NVERIFY
		     : e.step == STEP_DEST ? NDEST
		     : e.step == STEP_DESTROY ? NTECH : NFIELDS;
	struct ui_line *line = e.field == FIELD_OWNER ? &e.owner
			       : e.field == FIELD_CLASS ? &e.classification
			       : e.field % 2 ? &e.asset[e.field / 2 < UI_MEDIA_MAX ? e.field / 2 : 0]
			       : &e.carrier[e.field / 2 < UI_MEDIA_MAX ? e.field / 2 : 0];
	const struct wiper_method *m;
	size_t i;

	if (e.step == STEP_ASSET && ui_line_key(line, k))
		return UI_REDRAW;
	if (e.step == STEP_CONFIRM && ui_line_key(&e.confirm, k))
		return UI_REDRAW;
	if (e.step == STEP_DESTROY && ui_line_key(&e.details, k))
		return UI_REDRAW;
	switch (k->action) {
	case UI_ACT_UP:
		if (e.step != STEP_CONFIRM && *cur > 0)
			(*cur)--;
		break;
	case UI_ACT_DOWN:
		if (e.step != STEP_CONFIRM && *cur + 1 < max)
			(*cur)++;
		break;
	case UI_ACT_BACK:
		app->status[0] = '\0';
		if (e.step == STEP_METHOD)
			ui_screen_switch(app, UI_SCR_LIST);
		else if (e.step == STEP_DESTROY && e.destroy_only)
			ui_screen_switch(app, UI_SCR_CERTS);
		else if (e.step == STEP_DESTROY)
			e.step = STEP_METHOD;
		else if (e.step == STEP_ASSET && is_destroy())
			e.step = STEP_DESTROY;
		else if (e.step == STEP_ASSET)
			e.step = STEP_DEST;
		else if (e.step == STEP_DEST && method_at(e.method_cursor) == NULL)
			e.step = STEP_METHOD;
		else
			e.step--;
		break;
	case UI_ACT_OK:
		app->status[0] = '\0';
		switch (e.step) {
		case STEP_METHOD:
			if (is_destroy()) {
				e.step = STEP_DESTROY;
				break;
			}
			m = method_at(e.method_cursor);
			if (m) {
				for (i = 0; i < NVERIFY; i++)
					if (verify_modes[i] == m->default_verify)
						e.verify_cursor = i;
				e.step = STEP_VERIFY;
			} else {
				e.step = STEP_DEST;
			}
			break;
		case STEP_VERIFY:
			e.step = STEP_DEST;
			break;
		case STEP_DEST:
			e.step = STEP_ASSET;
			break;
		case STEP_DESTROY:
			if (strcmp(techniques[e.tech_cursor], "Other") == 0 && e.details.len == 0) {
				snprintf(app->status, sizeof(app->status), "%s",
					 ui_t(app, T_DESTROY_DETAILS));
				break;
			}
			e.step = STEP_ASSET;
			break;
		case STEP_ASSET:
			if (e.field + 1 < NFIELDS) {
				e.field++;
				break;
			}
			/* The 保密 rules before the confirmation, so nothing is touched if they say no. */
			{
				struct ui_record_fields rec;
				char err[300];

				record_of(0, &rec);
				if (ui_cert_policy_check(app, &rec, err, sizeof(err))) {
					ui_cut(app->status, sizeof(app->status), "%s", err);
					break;
				}
			}
			e.step = STEP_CONFIRM;
			break;
		case STEP_CONFIRM:
			if (strtoul(e.confirm.buf, NULL, 10) == e.n && e.confirm.len &&
			    strspn(e.confirm.buf, "0123456789") == e.confirm.len) {
				/* The records medium may have gone since the flow began. */
				if (ui_ledger_refuse(app))
					ui_line_clear(&e.confirm);
				else if (is_destroy())
					record_all(app);
				else if (!e.destroy_only)
					start_all(app);
			} else {
				snprintf(app->status, sizeof(app->status), "%s",
					 ui_t(app, T_WRONG_COUNT));
				ui_line_clear(&e.confirm);
			}
			break;
		}
		break;
	default:
		break;
	}
	return UI_REDRAW;
}

const struct ui_screen ui_screen_erase = {
	.name = "erase",
	.enter = erase_enter,
	.draw = erase_draw,
	.key = erase_key,
	.resize = NULL,
};
