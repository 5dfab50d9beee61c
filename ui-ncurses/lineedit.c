/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The one line editor every text field uses (UTF-8, append and erase at the end). */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <ncurses.h>

#include "ui-ncurses/lineedit.h"
#include "ui-ncurses/ui.h"

void ui_line_clear(struct ui_line *l)
{
	memset(l, 0, sizeof(*l));
}

bool ui_line_key(struct ui_line *l, const struct ui_key *k)
{
	if ((k->is_code && k->code == KEY_BACKSPACE) ||
	    (!k->is_code && (k->code == 127 || k->code == 8))) {
		/* Drop the last whole UTF-8 character. */
		while (l->len > 0) {
			unsigned char c = (unsigned char)l->buf[--l->len];

			if ((c & 0xc0) != 0x80)
				break;
		}
		l->buf[l->len] = '\0';
		return true;
	}
	if (!k->is_code && k->code == 21) {	/* ^U */
		ui_line_clear(l);
		return true;
	}
	if (!k->is_code && k->code >= 32 && k->code != 127) {
		char mb[MB_LEN_MAX];
		mbstate_t st;
		size_t n;

		memset(&st, 0, sizeof(st));
		n = wcrtomb(mb, (wchar_t)k->code, &st);
		if (n == (size_t)-1 || l->len + n >= sizeof(l->buf))
			return true;
		memcpy(l->buf + l->len, mb, n);
		l->len += n;
		l->buf[l->len] = '\0';
		return true;
	}
	return false;
}

void ui_line_draw(const struct ui_line *l, int y, int x, int w, bool focused)
{
	int used;

	attron(focused ? A_REVERSE : A_UNDERLINE);
	ui_put_pad(y, x, w, "");
	used = ui_put(y, x, w - 1, l->buf);
	if (focused)
		ui_put(y, x + used, 1, "_");
	attroff(focused ? A_REVERSE : A_UNDERLINE);
}
