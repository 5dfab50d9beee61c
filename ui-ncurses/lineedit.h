/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The one line-editor widget. */
#ifndef UI_NCURSES_LINEEDIT_H
#define UI_NCURSES_LINEEDIT_H

#include <stdbool.h>
#include <stddef.h>

struct ui_key;

struct ui_line {
	char buf[64];
	size_t len;
};

void ui_line_clear(struct ui_line *l);
/* Apply a key (printable text, Backspace, ^U). Returns true if the key was used. */
bool ui_line_key(struct ui_line *l, const struct ui_key *k);
/* Draw the field at @y,@x, @w columns wide. */
void ui_line_draw(const struct ui_line *l, int y, int x, int w, bool focused);

#endif
