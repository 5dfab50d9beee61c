/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The table of screens and the switch between them. */
#include "config.h"

#include "ui-ncurses/ui.h"

static const struct ui_screen *const screens[UI_SCR_COUNT] = {
	[UI_SCR_SESSION] = &ui_screen_session,
	[UI_SCR_LIST] = &ui_screen_list,
	[UI_SCR_ERASE] = &ui_screen_erase,
	[UI_SCR_DASH] = &ui_screen_dash,
	[UI_SCR_CERTS] = &ui_screen_certs,
	[UI_SCR_RECORDS] = &ui_screen_records,
};

const struct ui_screen *ui_screen_get(enum ui_screen_id id)
{
	return screens[id < UI_SCR_COUNT ? id : UI_SCR_LIST];
}

void ui_screen_switch(struct ui_app *app, enum ui_screen_id id)
{
	app->screen = id;
	if (ui_screen_get(id)->enter)
		ui_screen_get(id)->enter(app);
}
