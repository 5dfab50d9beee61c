/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The media list: every medium, two lines each; excluded ones greyed with the reason. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <ncurses.h>

#include "ui-ncurses/ui.h"

#define LIST_TOP 3	/* first row of the list */

/* How many media fit on the screen. */
static size_t visible(void)
{
	int rows = (ui_rows() - LIST_TOP - 2) / 2;

	return rows > 0 ? (size_t)rows : 1;
}

/* Keep the cursor on the screen. */
static void scroll_to_cursor(struct ui_app *app)
{
	if (app->cursor < app->top)
		app->top = app->cursor;
	if (app->cursor >= app->top + visible())
		app->top = app->cursor - visible() + 1;
}

/* Count the selected media. */
static size_t nselected(const struct ui_app *app)
{
	size_t i, n = 0;

	for (i = 0; i < app->nmedia; i++)
		n += app->media[i].selected;
	return n;
}

/* The second line of a medium: why it is not offered, or what is on it and what can be done. */
static void detail(const struct ui_app *app, const struct ui_medium *m, char *buf, size_t len)
{
	char c[400], s[300];

	if (m->med.disk.excl != WIPER_EXCL_NONE)
		snprintf(buf, len, "%s: %s", ui_t(app, T_EXCLUDED),
			 ui_vs(app, m->med.disk.excl_reason, c, sizeof(c)));
	else if (m->demo_blocked)
		snprintf(buf, len, "%s: %s", ui_t(app, T_EXCLUDED),
			 ui_t(app, m->med.disk.transport == WIPER_TRAN_LOOP ? T_DEMO_NOT_OURS : T_DEMO));
	else if (m->busy)
		snprintf(buf, len, "%s … %s", ui_t(app, T_RUNNING), ui_vs(app, m->content, c, sizeof(c)));
	else if (ui_medium_frozen(m))
		snprintf(buf, len, "%s", ui_t(app, m->med.id.have_ata && m->med.id.ata.sec_frozen
						    ? T_FROZEN_SEC : T_FROZEN_SAN));
	else
		snprintf(buf, len, "%s · %s", m->content[0] ? ui_vs(app, m->content, c, sizeof(c)) : "-",
			 ui_vs(app, m->summary, s, sizeof(s)));
}

/* Draw the column header and the rows. */
static void list_draw(struct ui_app *app)
{
	int wmodel, wserial, y = LIST_TOP;
	char buf[768], sz[96];
	size_t i;

	snprintf(buf, sizeof(buf), "%s: %s · %s: %s · %s %zu, %s %zu",
		 ui_t(app, T_OPERATOR),
		 app->operator_idx >= 0 ? app->cfg.people[app->operator_idx].name : "-",
		 ui_t(app, T_WITNESS),
		 app->witness_idx >= 0 ? app->cfg.people[app->witness_idx].name : "-",
		 ui_t(app, T_MEDIA), app->nmedia, ui_t(app, T_SELECTED), nselected(app));
	snprintf(sz, sizeof(sz), " · %s (%s)", ui_t(app, T_HOTPLUG), ui_v(app, app->hotplug_src));
	/* On a narrow terminal the people and counts matter more than the update source. */
	if (ui_width(buf) + ui_width(sz) <= COLS - 2)
		strncat(buf, sz, sizeof(buf) - strlen(buf) - 1);
	ui_put(1, 1, COLS - 1, buf);
	/* Model and serial share what is left, the model at most 40 columns, the serial 24. */
	wmodel = (COLS - 4 - 10 - 7 - 11) * 3 / 5;
	if (wmodel > 40)
		wmodel = 40;
	wserial = COLS - 4 - 10 - 7 - 11 - wmodel;
	if (wserial > 24)
		wserial = 24;
	if (wmodel < 8)
		wmodel = 8;
	attron(A_UNDERLINE);
	/* Each heading at its column (a Chinese heading is narrower in columns than in bytes). */
	ui_put_pad(2, 0, COLS, "");
	ui_put(2, 4, 9, ui_t(app, T_COL_DEVICE));
	ui_put(2, 14, 6, ui_t(app, T_COL_BUS));
	ui_put(2, 21, wmodel - 1, ui_t(app, T_COL_MODEL));
	ui_put(2, 21 + wmodel, wserial - 1, ui_t(app, T_COL_SERIAL));
	/* The size follows the serial (as lsblk's columns do), on the right edge at 80 columns. */
	ui_put(2, 21 + wmodel + wserial + 10 - ui_width(ui_t(app, T_COL_SIZE)), 4, ui_t(app, T_COL_SIZE));
	attroff(A_UNDERLINE);
	if (app->nmedia == 0) {
		ui_put(LIST_TOP + 1, 4, COLS - 4, ui_t(app, T_NO_MEDIA));
		return;
	}
	scroll_to_cursor(app);
	for (i = app->top; i < app->nmedia && i < app->top + visible(); i++, y += 2) {
		const struct ui_medium *m = &app->media[i];
		bool off = !ui_medium_erasable(m) && !m->busy;
		int attr = off ? ui_attr(UI_C_GREY) : (int)A_NORMAL;

		if (i == app->cursor)
			attr = ui_attr(UI_C_SEL) | (off ? (int)A_DIM : 0);
		attron(attr);
		ui_put_pad(y, 0, COLS, m->selected ? "[x]" : off ? " - " : "[ ]");
		/* The cursor is also a glyph, for monochrome terminals and screen readers. */
		if (i == app->cursor)
			ui_put(y, 3, 1, ">");
		ui_put(y, 4, 9, m->med.disk.name);
		ui_put(y, 14, 6, wiper_transport_str(m->med.disk.transport));
		/* A loop device's "file NAME" is the station's word; a drive's model is its own. */
		ui_put(y, 21, wmodel - 1, m->med.disk.model[0] ? m->med.disk.model :
			ui_vs(app, ui_medium_model(m, sz, sizeof(sz)), buf, sizeof(buf)));
		ui_put(y, 21 + wmodel, wserial - 1, m->med.disk.serial[0] ? m->med.disk.serial : "-");
		wiper_size_str(m->med.disk.size_bytes, sz, sizeof(sz));
		ui_put(y, 21 + wmodel + wserial + 10 - ui_width(sz), ui_width(sz), sz);
		attroff(attr);
		detail(app, m, buf, sizeof(buf));
		attron(off ? ui_attr(UI_C_GREY) : (int)A_NORMAL);
		ui_put_pad(y + 1, 0, COLS, "");
		ui_put(y + 1, 6, COLS - 7, buf);
		attroff(off ? ui_attr(UI_C_GREY) : (int)A_NORMAL);
	}
	if (app->top + visible() < app->nmedia)
		ui_put(ui_rows() - 3, COLS - 3, 3, "↓");
}

/* Move, select, and start the erase flow. */
static int list_key(struct ui_app *app, const struct ui_key *k)
{
	struct ui_medium *m = app->cursor < app->nmedia ? &app->media[app->cursor] : NULL;
	size_t i;

	switch (k->action) {
	case UI_ACT_UP:
		if (app->cursor > 0)
			app->cursor--;
		break;
	case UI_ACT_DOWN:
		if (app->cursor + 1 < app->nmedia)
			app->cursor++;
		break;
	case UI_ACT_PGUP:
		app->cursor = app->cursor > visible() ? app->cursor - visible() : 0;
		break;
	case UI_ACT_PGDN:
		app->cursor += visible();
		if (app->cursor >= app->nmedia)
			app->cursor = app->nmedia ? app->nmedia - 1 : 0;
		break;
	case UI_ACT_TOGGLE:
		if (m == NULL)
			break;
		if (!ui_medium_erasable(m)) {
			char buf[400];

			detail(app, m, buf, sizeof(buf));
			snprintf(app->status, sizeof(app->status), "%s: %s", m->med.disk.name, buf);
			break;
		}
		m->selected = !m->selected;
		app->status[0] = '\0';
		if (app->cursor + 1 < app->nmedia)
			app->cursor++;
		break;
	case UI_ACT_ALL: {
		bool any = false;

		for (i = 0; i < app->nmedia; i++)
			any |= ui_medium_erasable(&app->media[i]) && !app->media[i].selected;
		for (i = 0; i < app->nmedia; i++)
			app->media[i].selected = any && ui_medium_erasable(&app->media[i]);
		break;
	}
	case UI_ACT_ERASE:
	case UI_ACT_OK:
		/* Enter takes the highlighted medium; e erases what is selected, and says when nothing is. */
		if (k->action == UI_ACT_OK && nselected(app) == 0 && m && ui_medium_erasable(m))
			m->selected = true;
		if (nselected(app) == 0) {
			snprintf(app->status, sizeof(app->status), "%s",
				 ui_t(app, T_NOTHING_SELECTED));
			break;
		}
		if (ui_ledger_refuse(app))
			break;
		app->status[0] = '\0';
		ui_screen_switch(app, UI_SCR_ERASE);
		break;
	case UI_ACT_DASH:
		ui_screen_switch(app, UI_SCR_DASH);
		break;
	case UI_ACT_CERTS:
		app->status[0] = '\0';
		ui_screen_switch(app, UI_SCR_CERTS);
		break;
	case UI_ACT_UNFREEZE:
		if (m && ui_medium_frozen(m) && ui_jobs_running(app) == 0) {
			/* The machine sleeps for seconds: say so before it does. */
			attron(ui_attr(UI_C_WARN));
			ui_put_pad(ui_rows() - 2, 0, COLS, ui_t(app, T_UNFREEZE_SUSPENDING));
			attroff(ui_attr(UI_C_WARN));
			refresh();
		}
		ui_unfreeze(app, app->status, sizeof(app->status));
		break;
	case UI_ACT_RESCAN:
		return UI_REDRAW | UI_RESCAN;
	case UI_ACT_BACK:
		/* Back to the session: another operator or witness, without quitting. */
		app->status[0] = '\0';
		ui_screen_switch(app, UI_SCR_SESSION);
		break;
	default:
		break;
	}
	return UI_REDRAW;
}

const struct ui_screen ui_screen_list = {
	.name = "list",
	.enter = NULL,
	.draw = list_draw,
	.key = list_key,
	.resize = NULL,
};
