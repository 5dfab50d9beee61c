/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Session start: the operator and the witness (the first supervisor) pick
 * their names; where the configuration asks for them, the second supervisor
 * (supervisors = 2), the approver and the batch's approval reference.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <ncurses.h>

#include "ui-ncurses/lineedit.h"
#include "ui-ncurses/station/records.h"
#include "ui-ncurses/ui.h"

/* 0: operator, 1: witness, 2: second supervisor, 3: approver, 4: approval reference. */
static int step;
static size_t cursor;
static bool adding;		/* the "New person" prompt is open */
static struct ui_line person_line;
static bool naming;		/* the station name prompt is open */
static struct ui_line station_line;
static struct ui_line approval_line;

/* Does the configuration ask for an approver (required, or some person may approve)? */
static bool wants_approval(const struct ui_app *app)
{
	size_t i;

	if (app->cfg.rec.policy.require_approval)
		return true;
	for (i = 0; i < app->cfg.npeople; i++)
		if (app->cfg.people[i].may_approve)
			return true;
	return false;
}

/* Go on from step @from to the next one the configuration asks for, or to the media list. */
static void next_step(struct ui_app *app, int from)
{
	cursor = 0;
	step = from + 1;
	if (step == 2 && app->cfg.supervisors < 2)
		step = 3;
	if (step == 3 && !wants_approval(app))
		step = 5;
	if (step == 4 && app->approver_idx < 0 && !app->cfg.rec.policy.require_approval)
		step = 5;
	if (step == 4) {
		ui_line_clear(&approval_line);
		app->text_entry = true;
		return;
	}
	if (step >= 5) {
		app->text_entry = false;
		ui_screen_switch(app, UI_SCR_LIST);
	}
}

/*
 * Where a person added here is kept: the configuration file the station was
 * started with, else tabula.conf on the records medium when it is there.
 * False when there is nowhere (the person lasts for this session only).
 */
static bool person_file(const struct ui_app *app, char *path, size_t len)
{
	int n;

	if (app->config_path)
		n = snprintf(path, len, "%s", app->config_path);
	else if (app->records_required && !app->ledger_in_ram)
		n = snprintf(path, len, "%s/tabula.conf", app->records_required);
	else
		return false;
	return n > 0 && (size_t)n < len;
}

/*
 * A station whose configuration names nobody (a fresh records medium) gets
 * its people here, each "Name, Role", allowed to operate and witness, and
 * kept for the next start.
 */
static void person_add(struct ui_app *app)
{
	char path[PATH_MAX], err[256];

	if (ui_config_add_person(&app->cfg, person_line.buf) != 0) {
		ui_cut(app->status, sizeof(app->status), "%s", ui_t(app, T_PERSON_BAD));
		return;
	}
	adding = app->text_entry = false;
	if (!person_file(app, path, sizeof(path)))
		ui_cut(app->status, sizeof(app->status), "%s", ui_t(app, T_PERSON_SESSION_ONLY));
	else if (ui_config_append_person(path, person_line.buf, err, sizeof(err)) != 0)
		ui_cut(app->status, sizeof(app->status), "%s", err);
	else
		ui_cut(app->status, sizeof(app->status), "%s %s", ui_t(app, T_PERSON_KEPT), path);
	ui_line_clear(&person_line);
}

/* The station's name as typed: kept where people are kept, used from now on. */
static void station_set(struct ui_app *app)
{
	char path[PATH_MAX], err[256];

	if (ui_config_set_station(&app->cfg, station_line.buf) != 0) {
		ui_cut(app->status, sizeof(app->status), "%s", ui_t(app, T_STATION_BAD));
		return;
	}
	naming = app->text_entry = false;
	if (!person_file(app, path, sizeof(path)))
		ui_cut(app->status, sizeof(app->status), "%s", ui_t(app, T_PERSON_SESSION_ONLY));
	else if (ui_config_append_station(path, station_line.buf, err, sizeof(err)) != 0)
		ui_cut(app->status, sizeof(app->status), "%s", err);
	else
		ui_cut(app->status, sizeof(app->status), "%s %s", ui_t(app, T_STATION_KEPT), path);
}

/* May person @i be picked in the current step? */
static bool eligible(const struct ui_app *app, size_t i)
{
	const struct ui_person *p = &app->cfg.people[i];

	size_t k;
	bool any = false;

	if (step == 0)
		return p->may_operate;
	if (step == 1)
		return p->may_witness && (int)i != app->operator_idx;
	if (step == 2)
		return p->may_witness && (int)i != app->operator_idx && (int)i != app->witness_idx;
	/* The approver: a person the configuration names as one, else anybody. */
	for (k = 0; k < app->cfg.npeople; k++)
		any |= app->cfg.people[k].may_approve;
	return any ? p->may_approve : true;
}

/* The @nth eligible person's index, or -1. */
static int nth(const struct ui_app *app, size_t nth)
{
	size_t i, k = 0;

	for (i = 0; i < app->cfg.npeople; i++)
		if (eligible(app, i) && k++ == nth)
			return (int)i;
	return -1;
}

/* How many people can be picked now. */
static size_t count(const struct ui_app *app)
{
	size_t i, k = 0;

	for (i = 0; i < app->cfg.npeople; i++)
		k += eligible(app, i);
	return k;
}

/* Start at the operator step. */
static void session_enter(struct ui_app *app)
{
	step = 0;
	cursor = 0;
	adding = naming = app->text_entry = false;
	app->supervisor2_idx = app->approver_idx = -1;
	app->approval_ref[0] = '\0';
}

/* Print "Label: value" on line @y. */
static void field(int y, const char *label, const char *value)
{
	int x = ui_put(y, 2, COLS - 2, label);

	x += ui_put(y, 2 + x, COLS - 2 - x, ": ");
	ui_put(y, 2 + x, COLS - 2 - x, value);
}

/* Draw the station's identity and the list of people. */
static void session_draw(struct ui_app *app)
{
	char buf[640];
	size_t i, n = count(app);
	int y = 2;

	attron(A_BOLD);
	ui_put(y++, 2, COLS - 2, ui_t(app, T_SESSION));
	attroff(A_BOLD);
	y++;
	field(y++, ui_t(app, T_STATION), app->cfg.station);
	if (naming) {
		int x = ui_put(y, 4, COLS - 4, ui_t(app, T_STATION_ASK));

		ui_line_draw(&station_line, y++, 5 + x, COLS - 7 - x > 10 ? COLS - 7 - x : 10, true);
	} else if (!app->cfg.station_set) {
		attron(ui_attr(UI_C_WARN));
		y += ui_put_wrap(y, 4, COLS - 5, 2, ui_t(app, T_STATION_UNSET));
		attroff(ui_attr(UI_C_WARN));
	}
	ui_cert_ledger_status(app, buf, sizeof(buf));
	{
		/* The whole status, wrapped: a rolled-back ledger's message names the records lost. */
		int x = ui_put(y, 2, COLS - 2, ui_t(app, T_LEDGER));

		x += ui_put(y, 2 + x, COLS - 2 - x, ": ");
		y += ui_put_wrap(y, 2 + x, COLS - 3 - x, 4, buf);
	}
	field(y++, ui_t(app, T_RECORDS), app->cfg.records[0] ? app->cfg.records : "-");
	y += ui_records_session_hint(app, y);
	if (app->operator_idx >= 0) {
		snprintf(buf, sizeof(buf), "%s, %s", app->cfg.people[app->operator_idx].name,
			 app->cfg.people[app->operator_idx].role);
		field(y++, ui_t(app, T_OPERATOR), buf);
	}
	if (step >= 2 && app->witness_idx >= 0)
		field(y++, ui_t(app, T_WITNESS), app->cfg.people[app->witness_idx].name);
	if (step >= 3 && app->supervisor2_idx >= 0)
		field(y++, ui_t(app, T_SUPERVISOR2), app->cfg.people[app->supervisor2_idx].name);
	if (step >= 4 && app->approver_idx >= 0)
		field(y++, ui_t(app, T_APPROVER), app->cfg.people[app->approver_idx].name);
	y++;
	if (step == 4) {
		int x = ui_put(y, 2, COLS - 2, ui_t(app, T_APPROVAL_REF));

		ui_line_draw(&approval_line, y, 3 + x, COLS - 5 - x > 10 ? COLS - 5 - x : 10, true);
		if (app->cfg.rec.policy.require_approval)
			ui_put(y + 1, 2, COLS - 2, ui_t(app, T_APPROVAL_REQUIRED));
		return;
	}
	if (adding) {
		int x = ui_put(y, 2, COLS - 2, ui_t(app, T_ADD_PERSON));

		ui_line_draw(&person_line, y, 3 + x, COLS - 5 - x > 10 ? COLS - 5 - x : 10, true);
		return;
	}
	if (app->cfg.npeople == 0) {
		ui_put(y++, 2, COLS - 2, ui_t(app, T_NO_PEOPLE));
		return;
	}
	if (app->people_configured == 0 && step == 0 && app->cfg.npeople < 2)
		ui_put(y++, 2, COLS - 2, ui_t(app, T_ADD_PERSON_MORE));
	ui_put(y++, 2, COLS - 2, ui_t(app, step == 0 ? T_PICK_OPERATOR : step == 1 ? T_PICK_WITNESS :
				       step == 2 ? T_PICK_SUPERVISOR2 : T_PICK_APPROVER));
	if (step == 1)
		ui_put(y++, 2, COLS - 2, ui_t(app, app->cfg.require_witness ? T_WITNESS_REQUIRED
									    : T_NO_WITNESS));
	y++;
	for (i = 0; i < n && y < ui_rows() - 2; i++, y++) {
		const struct ui_person *p = &app->cfg.people[nth(app, i)];

		snprintf(buf, sizeof(buf), "%s %s%s%s", i == cursor ? ">" : " ", p->name,
			 p->role[0] ? " — " : "", p->role);
		if (i == cursor)
			attron(ui_attr(UI_C_SEL));
		ui_put_pad(y, 4, COLS - 8 > 20 ? COLS - 8 : COLS - 4, buf);
		if (i == cursor)
			attroff(ui_attr(UI_C_SEL));
	}
}

/* Pick the person under the cursor, or skip the witness. */
static int session_key(struct ui_app *app, const struct ui_key *k)
{
	size_t n = count(app);

	if (naming) {
		if (ui_line_key(&station_line, k))
			return UI_REDRAW;
		if (k->action == UI_ACT_OK)
			station_set(app);
		else if (k->action == UI_ACT_BACK)
			naming = app->text_entry = false;
		return UI_REDRAW;
	}
	if (step == 4) {
		if (ui_line_key(&approval_line, k))
			return UI_REDRAW;
		if (k->action == UI_ACT_OK) {
			if (app->cfg.rec.policy.require_approval && approval_line.len == 0) {
				ui_cut(app->status, sizeof(app->status), "%s",
				       ui_t(app, T_APPROVAL_REQUIRED));
				return UI_REDRAW;
			}
			snprintf(app->approval_ref, sizeof(app->approval_ref), "%s",
				 approval_line.buf);
			next_step(app, 4);
		} else if (k->action == UI_ACT_BACK) {
			app->text_entry = false;
			step = 3;
			cursor = 0;
		}
		return UI_REDRAW;
	}
	if (adding) {
		if (ui_line_key(&person_line, k))
			return UI_REDRAW;
		if (k->action == UI_ACT_OK)
			person_add(app);
		else if (k->action == UI_ACT_BACK)
			adding = app->text_entry = false;
		return UI_REDRAW;
	}
	app->status[0] = '\0';
	switch (k->action) {
	case UI_ACT_ADD_PERSON:
		/* Only where the configuration names nobody: people are the records officer's list. */
		if (app->people_configured == 0 && step == 0) {
			ui_line_clear(&person_line);
			adding = app->text_entry = true;
		}
		break;
	case UI_ACT_UP:
		if (cursor > 0)
			cursor--;
		break;
	case UI_ACT_DOWN:
		if (cursor + 1 < n)
			cursor++;
		break;
	case UI_ACT_OK:
		if (app->cfg.npeople == 0) {
			/* Every certificate names who did the work: nobody, no session. */
			ui_cut(app->status, sizeof(app->status), "%s", ui_t(app, T_NO_PEOPLE));
			break;
		}
		if (n == 0) {
			if ((step == 1 && !app->cfg.require_witness) ||
			    (step == 3 && !app->cfg.rec.policy.require_approval)) {
				if (step == 1)
					app->witness_idx = -1;
				else
					app->approver_idx = -1;
				next_step(app, step);
			}
			else
				snprintf(app->status, sizeof(app->status), "%s",
					 ui_t(app, T_NO_PEOPLE));
			break;
		}
		if (step == 0) {
			app->operator_idx = nth(app, cursor);
			step = 1;
			cursor = 0;
		} else if (step == 1) {
			app->witness_idx = nth(app, cursor);
			next_step(app, 1);
		} else if (step == 2) {
			app->supervisor2_idx = nth(app, cursor);
			next_step(app, 2);
		} else {
			app->approver_idx = nth(app, cursor);
			next_step(app, 3);
		}
		break;
	case UI_ACT_RECORDS:
		ui_screen_switch(app, UI_SCR_RECORDS);
		break;
	case UI_ACT_STATION:
		/* Only until it has a name: the chain's numbers must not change under it. */
		if (!app->cfg.station_set) {
			ui_line_clear(&station_line);
			naming = app->text_entry = true;
		}
		break;
	case UI_ACT_BACK:
		/*
		 * One step back: approver → second supervisor (when asked for) →
		 * witness → operator; from the operator, back to the session kept.
		 */
		if (step == 1 || step == 2) {
			step--;
			cursor = 0;
		} else if (step == 3) {
			step = app->cfg.supervisors < 2 ? 1 : 2;
			cursor = 0;
		} else if (app->operator_idx >= 0 &&
			   (app->witness_idx >= 0 || !app->cfg.require_witness)) {
			ui_screen_switch(app, UI_SCR_LIST);
		}
		break;
	case UI_ACT_SKIP:
		if (step == 1 && app->cfg.require_witness)
			snprintf(app->status, sizeof(app->status), "%s",
				 ui_t(app, T_WITNESS_REQUIRED));
		else if (step == 1) {
			app->witness_idx = -1;	/* no witness this session, not the last one's */
			next_step(app, 1);
		}
		else if (step == 3 && app->cfg.rec.policy.require_approval)
			snprintf(app->status, sizeof(app->status), "%s",
				 ui_t(app, T_APPROVAL_REQUIRED));
		else if (step == 3) {
			app->approver_idx = -1;
			app->approval_ref[0] = '\0';
			next_step(app, 3);
		}
		break;
	default:
		break;
	}
	return UI_REDRAW;
}

const struct ui_screen ui_screen_session = {
	.name = "session",
	.enter = session_enter,
	.draw = session_draw,
	.key = session_key,
	.resize = NULL,
};
