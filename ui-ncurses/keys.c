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

struct ui_binding {
	int code;
	bool is_code;
	unsigned screens;
	enum ui_action action;
	const char *keyname;	/* shown in the key bar; NULL: not shown */
	enum ui_text label;
};

static const struct ui_binding bindings[] = {
	{ KEY_UP, true, ALL_SCREENS & ~ON(UI_SCR_CERTS), UI_ACT_UP, "↑↓", T_KEY_MOVE },
	{ KEY_UP, true, ON(UI_SCR_CERTS), UI_ACT_UP, NULL, T_KEY_MOVE },
	{ KEY_DOWN, true, ALL_SCREENS, UI_ACT_DOWN, NULL, T_KEY_MOVE },
	{ 'k', false, ON(UI_SCR_LIST) | ON(UI_SCR_DASH) | ON(UI_SCR_CERTS), UI_ACT_UP, NULL,
	  T_KEY_MOVE },
	{ 'j', false, ON(UI_SCR_LIST) | ON(UI_SCR_DASH) | ON(UI_SCR_CERTS), UI_ACT_DOWN, NULL,
	  T_KEY_MOVE },
	{ KEY_PPAGE, true, ALL_SCREENS, UI_ACT_PGUP, NULL, T_KEY_MOVE },
	{ KEY_NPAGE, true, ALL_SCREENS, UI_ACT_PGDN, NULL, T_KEY_MOVE },
	{ ' ', false, ON(UI_SCR_LIST), UI_ACT_TOGGLE, "Space", T_KEY_SELECT },
	{ 'a', false, ON(UI_SCR_LIST), UI_ACT_ALL, "a", T_KEY_ALL },
	{ 'e', false, ON(UI_SCR_LIST), UI_ACT_ERASE, "e", T_KEY_ERASE },
	{ '\r', false, ALL_SCREENS & ~ON(UI_SCR_CERTS), UI_ACT_OK, "Enter", T_KEY_OK },
	{ '\r', false, ON(UI_SCR_CERTS), UI_ACT_OK, "Enter", T_KEY_VIEW },
	{ 'p', false, ON(UI_SCR_CERTS), UI_ACT_PRINT, "p", T_KEY_PRINT },
	{ 's', false, ON(UI_SCR_CERTS), UI_ACT_SAVE, "s", T_KEY_SAVE },
	{ 'o', false, ON(UI_SCR_CERTS), UI_ACT_PRINTER, "o", T_KEY_PRINTER },
	{ 'g', false, ON(UI_SCR_CERTS), UI_ACT_REGISTER, "g", T_KEY_REGISTER },
	{ 'G', false, ON(UI_SCR_CERTS), UI_ACT_REGISTER_PREV, NULL, T_KEY_REGISTER },
	{ 'x', false, ON(UI_SCR_CERTS), UI_ACT_DESTROYED, "x", T_KEY_DESTROYED },
	{ '\n', false, ALL_SCREENS, UI_ACT_OK, NULL, T_KEY_OK },
	{ KEY_ENTER, true, ALL_SCREENS, UI_ACT_OK, NULL, T_KEY_OK },
	{ 'n', false, ON(UI_SCR_SESSION), UI_ACT_SKIP, "n", T_KEY_SKIP },
	/* Not in the bar: the session screen's own line says "press i" when no records medium is present. */
	{ 'i', false, ON(UI_SCR_SESSION), UI_ACT_RECORDS, NULL, T_KEY_OK },
	/* Not in the bar: the session screen says "press a" when no people are configured. */
	{ 'a', false, ON(UI_SCR_SESSION), UI_ACT_ADD_PERSON, NULL, T_KEY_OK },
	{ 'd', false, ON(UI_SCR_LIST), UI_ACT_DASH, "d", T_KEY_DASH },
	{ 'c', false, ON(UI_SCR_LIST) | ON(UI_SCR_DASH), UI_ACT_CERTS, "c", T_KEY_CERTS },
	/* Not in the bar: the frozen drive's own line says "press u". */
	{ 'u', false, ON(UI_SCR_LIST), UI_ACT_UNFREEZE, NULL, T_KEY_UNFREEZE },
	{ 'r', false, ON(UI_SCR_LIST), UI_ACT_RESCAN, "r", T_KEY_RESCAN },
	{ KEY_F(5), true, ON(UI_SCR_LIST), UI_ACT_RESCAN, NULL, T_KEY_RESCAN },
	{ 's', false, ON(UI_SCR_DASH), UI_ACT_STOP, "s", T_KEY_STOP },
	{ 'm', false, ON(UI_SCR_DASH), UI_ACT_BACK, "m", T_KEY_LIST },
	{ 'm', false, ON(UI_SCR_CERTS), UI_ACT_BACK, NULL, T_KEY_LIST },
	{ 27, false, ON(UI_SCR_ERASE) | ON(UI_SCR_CERTS), UI_ACT_BACK, "Esc", T_KEY_BACK },
	{ 27, false, ON(UI_SCR_SESSION), UI_ACT_BACK, NULL, T_KEY_BACK },	/* closes its prompt */
	{ KEY_BACKSPACE, true, 0, UI_ACT_BACK, NULL, T_KEY_BACK },
	{ 'q', false, ON(UI_SCR_SESSION) | ON(UI_SCR_LIST) | ON(UI_SCR_DASH) | ON(UI_SCR_CERTS),
	  UI_ACT_QUIT, "q",
	  T_KEY_QUIT },
	{ KEY_F(10), true, ALL_SCREENS, UI_ACT_QUIT, NULL, T_KEY_QUIT },
};

enum ui_action ui_keys_lookup(enum ui_screen_id screen, int code, bool is_code)
{
	size_t i;

	for (i = 0; i < sizeof(bindings) / sizeof(bindings[0]); i++)
		if (bindings[i].code == code && bindings[i].is_code == is_code &&
		    (bindings[i].screens & ON(screen)))
			return bindings[i].action;
	return UI_ACT_NONE;
}

/* Columns the entry @b takes in the bar. */
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

void ui_keys_draw(const struct ui_app *app, enum ui_screen_id screen)
{
	const struct ui_binding *quit = NULL;
	int x = 0, y = LINES - 1, room;
	size_t i;

	if (y < 0)
		return;
	move(y, 0);
	clrtoeol();
	if (app->text_entry) {
		/* A prompt takes the letters: only these keys do anything while it is open. */
		static const struct ui_binding prompt[] = {
			{ '\r', false, 0, UI_ACT_OK, "Enter", T_KEY_OK },
			{ 27, false, 0, UI_ACT_BACK, "Esc", T_KEY_BACK },
			{ KEY_F(10), true, 0, UI_ACT_QUIT, "F10", T_KEY_QUIT },
		};

		for (i = 0; i < sizeof(prompt) / sizeof(prompt[0]); i++)
			if (x + need(app, &prompt[i]) - 2 <= COLS)
				x += draw_one(app, &prompt[i], y, x);
		return;
	}
	/* The way out is always shown, however narrow the terminal: it goes last. */
	for (i = 0; i < sizeof(bindings) / sizeof(bindings[0]); i++)
		if (bindings[i].action == UI_ACT_QUIT && bindings[i].keyname &&
		    (bindings[i].screens & ON(screen)))
			quit = &bindings[i];
	room = COLS - (quit ? need(app, quit) : 0);
	for (i = 0; i < sizeof(bindings) / sizeof(bindings[0]) && x < COLS; i++) {
		const struct ui_binding *b = &bindings[i];

		if (!b->keyname || !(b->screens & ON(screen)) || b == quit)
			continue;
		if (x + need(app, b) > room)
			continue;
		x += draw_one(app, b, y, x);
	}
	if (quit && x + need(app, quit) - 2 <= COLS)
		draw_one(app, quit, y, x);
}
