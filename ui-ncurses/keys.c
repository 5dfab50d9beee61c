/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The one key binding table: every key the station understands, on which
 * screens, and the label shown in the key bar at the bottom.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <ncurses.h>

#include "ui-ncurses/ui.h"

#define ON(s) (1u << (s))
#define ALL_SCREENS (ON(UI_SCR_SESSION) | ON(UI_SCR_LIST) | ON(UI_SCR_ERASE) | ON(UI_SCR_DASH) | \
		     ON(UI_SCR_CERTS))
#define EVERY_SCREEN (ALL_SCREENS | ON(UI_SCR_RECORDS))

struct ui_binding {
	int code;
	bool is_code;
	unsigned screens;
	enum ui_action action;
	const char *keyname;	/* shown in the key bar; NULL: only in the help */
	enum ui_text label;
};

static const struct ui_binding bindings[] = {
	{ KEY_UP, true, ALL_SCREENS & ~ON(UI_SCR_CERTS), UI_ACT_UP, "↑↓", T_KEY_MOVE },
	{ KEY_UP, true, ON(UI_SCR_CERTS) | ON(UI_SCR_RECORDS), UI_ACT_UP, NULL, T_KEY_MOVE },
	{ KEY_DOWN, true, EVERY_SCREEN, UI_ACT_DOWN, NULL, T_KEY_MOVE },
	{ 'k', false, ON(UI_SCR_LIST) | ON(UI_SCR_DASH) | ON(UI_SCR_CERTS), UI_ACT_UP, NULL,
	  T_KEY_MOVE },
	{ 'j', false, ON(UI_SCR_LIST) | ON(UI_SCR_DASH) | ON(UI_SCR_CERTS), UI_ACT_DOWN, NULL,
	  T_KEY_MOVE },
	{ KEY_PPAGE, true, ALL_SCREENS, UI_ACT_PGUP, NULL, T_KEY_MOVE },
	{ KEY_NPAGE, true, ALL_SCREENS, UI_ACT_PGDN, NULL, T_KEY_MOVE },
	{ ' ', false, ON(UI_SCR_LIST), UI_ACT_TOGGLE, "Space", T_KEY_SELECT },
	{ 'a', false, ON(UI_SCR_LIST), UI_ACT_ALL, "a", T_KEY_ALL },
	{ 'e', false, ON(UI_SCR_LIST), UI_ACT_ERASE, "e", T_KEY_ERASE },
	{ '\r', false, (ALL_SCREENS | ON(UI_SCR_RECORDS)) & ~ON(UI_SCR_CERTS) & ~ON(UI_SCR_DASH),
	  UI_ACT_OK, "Enter", T_KEY_OK },
	{ '\r', false, ON(UI_SCR_CERTS), UI_ACT_OK, "Enter", T_KEY_VIEW },
	{ '\r', false, ON(UI_SCR_DASH), UI_ACT_OK, "Enter", T_KEY_DETAILS },
	{ 'p', false, ON(UI_SCR_CERTS), UI_ACT_PRINT, "p", T_KEY_PRINT },
	{ 's', false, ON(UI_SCR_CERTS), UI_ACT_SAVE, "s", T_KEY_SAVE },
	{ 'o', false, ON(UI_SCR_CERTS), UI_ACT_PRINTER, "o", T_KEY_PRINTER },
	{ 'g', false, ON(UI_SCR_CERTS), UI_ACT_REGISTER, "g", T_KEY_REGISTER },
	{ 'G', false, ON(UI_SCR_CERTS), UI_ACT_REGISTER_PREV, NULL, T_KEY_REGISTER_PREV },
	{ 'x', false, ON(UI_SCR_CERTS), UI_ACT_DESTROYED, "x", T_KEY_DESTROYED },
	{ '\n', false, EVERY_SCREEN, UI_ACT_OK, NULL, T_KEY_OK },
	{ KEY_ENTER, true, EVERY_SCREEN, UI_ACT_OK, NULL, T_KEY_OK },
	{ 'n', false, ON(UI_SCR_SESSION), UI_ACT_SKIP, "n", T_KEY_SKIP },
	/* Not in the bar: the session screen's own line says "press i" when no records medium is present. */
	{ 'i', false, ON(UI_SCR_SESSION), UI_ACT_RECORDS, NULL, T_KEY_RECORDS_INIT },
	/* Not in the bar: the session screen says "press a" when no people are configured. */
	{ 'a', false, ON(UI_SCR_SESSION), UI_ACT_ADD_PERSON, NULL, T_KEY_ADD_PERSON },
	/* Not in the bar: the session screen says "press t" while the station has no name. */
	{ 't', false, ON(UI_SCR_SESSION), UI_ACT_STATION, NULL, T_KEY_STATION },
	{ 'd', false, ON(UI_SCR_LIST), UI_ACT_DASH, "d", T_KEY_DASH },
	{ 'c', false, ON(UI_SCR_LIST) | ON(UI_SCR_DASH), UI_ACT_CERTS, "c", T_KEY_CERTS },
	/* Not in the bar: the frozen drive's own line says "press u". */
	{ 'u', false, ON(UI_SCR_LIST), UI_ACT_UNFREEZE, NULL, T_KEY_UNFREEZE },
	{ 'r', false, ON(UI_SCR_LIST), UI_ACT_RESCAN, "r", T_KEY_RESCAN },
	{ KEY_F(5), true, ON(UI_SCR_LIST), UI_ACT_RESCAN, NULL, T_KEY_RESCAN },
	{ 's', false, ON(UI_SCR_DASH), UI_ACT_STOP, "s", T_KEY_STOP },
	{ 'm', false, ON(UI_SCR_DASH), UI_ACT_BACK, "m", T_KEY_LIST },
	{ 'm', false, ON(UI_SCR_CERTS), UI_ACT_BACK, NULL, T_KEY_LIST },
	{ 27, false, ON(UI_SCR_ERASE) | ON(UI_SCR_CERTS) | ON(UI_SCR_SESSION) | ON(UI_SCR_DASH) |
	  ON(UI_SCR_RECORDS), UI_ACT_BACK, "Esc", T_KEY_BACK },
	/* The media list's way back is to the session: another operator or witness. */
	{ 27, false, ON(UI_SCR_LIST), UI_ACT_BACK, "Esc", T_KEY_SESSION },
	{ KEY_BACKSPACE, true, 0, UI_ACT_BACK, NULL, T_KEY_BACK },
	{ '?', false, EVERY_SCREEN, UI_ACT_HELP, "?", T_KEY_HELP },
	{ KEY_F(1), true, EVERY_SCREEN, UI_ACT_HELP, NULL, T_KEY_HELP },
	{ 'q', false, ON(UI_SCR_SESSION) | ON(UI_SCR_LIST) | ON(UI_SCR_DASH) | ON(UI_SCR_CERTS),
	  UI_ACT_QUIT, "q",
	  T_KEY_QUIT },
	{ KEY_F(10), true, EVERY_SCREEN, UI_ACT_QUIT, NULL, T_KEY_QUIT },
};

#define NBINDINGS (sizeof(bindings) / sizeof(bindings[0]))

/* The keys a prompt leaves: only these do anything while one is open. */
static const struct ui_binding prompt[] = {
	{ '\r', false, 0, UI_ACT_OK, "Enter", T_KEY_OK },
	{ 27, false, 0, UI_ACT_BACK, "Esc", T_KEY_BACK },
	{ KEY_F(1), true, 0, UI_ACT_HELP, "F1", T_KEY_HELP },
	{ KEY_F(10), true, 0, UI_ACT_QUIT, "F10", T_KEY_QUIT },
};

#define NPROMPT (sizeof(prompt) / sizeof(prompt[0]))

enum ui_action ui_keys_lookup(enum ui_screen_id screen, int code, bool is_code)
{
	size_t i;

	for (i = 0; i < NBINDINGS; i++)
		if (bindings[i].code == code && bindings[i].is_code == is_code &&
		    (bindings[i].screens & ON(screen)))
			return bindings[i].action;
	return UI_ACT_NONE;
}

/* The name of @b's key as the help lists it. */
static const char *binding_name(const struct ui_binding *b, char *buf, size_t len)
{
	if (b->is_code) {
		switch (b->code) {
		case KEY_UP: return "↑";
		case KEY_DOWN: return "↓";
		case KEY_PPAGE: return "PgUp";
		case KEY_NPAGE: return "PgDn";
		case KEY_ENTER: return "Enter";
		case KEY_BACKSPACE: return "Backspace";
		default:
			if (b->code >= KEY_F(1) && b->code <= KEY_F(12)) {
				snprintf(buf, len, "F%d", b->code - KEY_F(0));
				return buf;
			}
			return "?";
		}
	}
	switch (b->code) {
	case '\r': case '\n': return "Enter";
	case 27: return "Esc";
	case ' ': return "Space";
	default:
		snprintf(buf, len, "%c", b->code);
		return buf;
	}
}

/* The bindings of @screen in the bar (the way out last), or a prompt's. Returns how many. */
static size_t bar_entries(const struct ui_app *app, enum ui_screen_id screen,
			  const struct ui_binding **out)
{
	const struct ui_binding *quit = NULL;
	size_t i, n = 0;

	if (app->text_entry) {
		for (i = 0; i < NPROMPT; i++)
			out[n++] = &prompt[i];
		return n;
	}
	for (i = 0; i < NBINDINGS; i++) {
		const struct ui_binding *b = &bindings[i];

		if (!b->keyname || !(b->screens & ON(screen)))
			continue;
		if (b->action == UI_ACT_QUIT)
			quit = b;
		else
			out[n++] = b;
	}
	if (quit)
		out[n++] = quit;
	return n;
}

/* Columns the entry @b takes in the bar, its separator included. */
static int need(const struct ui_app *app, const struct ui_binding *b)
{
	return ui_width(b->keyname) + 1 + ui_width(ui_t(app, b->label)) + 2;
}

/* Draw one entry at @y,@x. Returns the columns used. */
static int draw_one(const struct ui_app *app, const struct ui_binding *b, int y, int x)
{
	int x0 = x;

	attron(ui_attr(UI_C_KEY));
	x += ui_put(y, x, COLS - x, b->keyname);
	attroff(ui_attr(UI_C_KEY));
	x += ui_put(y, x, COLS - x, " ");
	x += ui_put(y, x, COLS - x, ui_t(app, b->label));
	x += ui_put(y, x, COLS - x, "  ");
	return x - x0;
}

/*
 * Lay the bar out in rows of COLS columns: the row of each entry into
 * @row. Returns the rows needed.
 */
static int layout(const struct ui_app *app, const struct ui_binding *const *e, size_t n, int *row)
{
	int x = 0, r = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		int w = need(app, e[i]);

		if (x > 0 && x + w - 2 > COLS) {
			r++;
			x = 0;
		}
		row[i] = r;
		x += w;
	}
	return r + 1;
}

int ui_keys_rows(const struct ui_app *app, enum ui_screen_id screen)
{
	const struct ui_binding *e[NBINDINGS + NPROMPT];
	int row[NBINDINGS + NPROMPT];
	size_t n = bar_entries(app, screen, e);

	return n ? layout(app, e, n, row) : 1;
}

void ui_keys_draw(const struct ui_app *app, enum ui_screen_id screen)
{
	const struct ui_binding *e[NBINDINGS + NPROMPT];
	int row[NBINDINGS + NPROMPT], rows, x = 0, r = 0;
	size_t i, n = bar_entries(app, screen, e);

	rows = n ? layout(app, e, n, row) : 1;
	/* Every entry is shown: on a narrow terminal the bar takes a second row. */
	for (i = 0; i < (size_t)rows; i++) {
		if (LINES - rows + (int)i < 0)
			continue;
		move(LINES - rows + (int)i, 0);
		clrtoeol();
	}
	for (i = 0; i < n; i++) {
		if (row[i] != r) {
			r = row[i];
			x = 0;
		}
		if (LINES - rows + r >= 0)
			x += draw_one(app, e[i], LINES - rows + r, x);
	}
}

/* One line of the help: the keys of an action and what it does. */
struct help_line {
	enum ui_action action;
	enum ui_text label;
	char keys[48];
};

/* Is @name one of the space-separated names in @keys? */
static bool has_name(const char *keys, const char *name)
{
	size_t l = strlen(name);
	const char *p = keys;

	while ((p = strstr(p, name)) != NULL) {
		if ((p == keys || p[-1] == ' ') && (p[l] == ' ' || p[l] == '\0'))
			return true;
		p += l;
	}
	return false;
}

/* The help's lines for @screen, one per action, into @h. Returns how many. */
static size_t help_lines(enum ui_screen_id screen, struct help_line *h)
{
	size_t i, j, n = 0;
	char nb[16];

	for (i = 0; i < NBINDINGS; i++) {
		const struct ui_binding *b = &bindings[i];
		const char *name;
		size_t l;

		if (!(b->screens & ON(screen)))
			continue;
		name = binding_name(b, nb, sizeof(nb));
		/* A key listed for this action already (Enter: \r, \n, KEY_ENTER) is not listed again. */
		for (j = 0; j < n; j++)
			if (h[j].action == b->action && has_name(h[j].keys, name))
				break;
		if (j < n)
			continue;
		for (j = 0; j < n; j++)
			if (h[j].action == b->action && h[j].label == b->label)
				break;
		if (j == n) {
			h[n].action = b->action;
			h[n].label = b->label;
			h[n].keys[0] = '\0';
			n++;
		}
		l = strlen(h[j].keys);
		snprintf(h[j].keys + l, sizeof(h[j].keys) - l, "%s%s", l ? " " : "", name);
	}
	return n;
}

void ui_keys_help_draw(const struct ui_app *app, enum ui_screen_id screen)
{
	struct help_line h[NBINDINGS];
	size_t i, n = help_lines(screen, h);
	int kw = 0, lw = ui_width(ui_t(app, T_HELP_CLOSE)), w, x, y, top, rows;

	for (i = 0; i < n; i++) {
		if (ui_width(h[i].keys) > kw)
			kw = ui_width(h[i].keys);
		if (kw + 2 + ui_width(ui_t(app, h[i].label)) > lw)
			lw = kw + 2 + ui_width(ui_t(app, h[i].label));
	}
	if (ui_width(ui_t(app, T_HELP_TITLE)) > lw)
		lw = ui_width(ui_t(app, T_HELP_TITLE));
	w = lw + 4 < COLS ? lw + 4 : COLS;
	rows = (int)n + 4;
	top = LINES - rows > 2 ? (LINES - rows) / 2 : 1;
	x = (COLS - w) / 2;
	attron(A_REVERSE);
	for (y = top; y < top + rows && y < LINES; y++)
		ui_put_pad(y, x, w, "");
	attron(A_BOLD);
	ui_put(top, x + 2, w - 4, ui_t(app, T_HELP_TITLE));
	attroff(A_BOLD);
	for (i = 0; i < n && top + 2 + (int)i < LINES - 1; i++) {
		y = top + 2 + (int)i;
		attron(A_BOLD);
		ui_put(y, x + 2, kw, h[i].keys);
		attroff(A_BOLD);
		ui_put(y, x + 4 + kw, w - 6 - kw, ui_t(app, h[i].label));
	}
	if (top + rows - 1 < LINES)
		ui_put(top + rows - 1, x + 2, w - 4, ui_t(app, T_HELP_CLOSE));
	attroff(A_REVERSE);
}
