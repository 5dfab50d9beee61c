/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The station's screens: reactions, key actions, the screen table, the key
 * binding table and the terminal. The model and logic they show live in
 * ui-ncurses/station/station.h. Only the UI thread calls curses.
 */
#ifndef UI_NCURSES_UI_H
#define UI_NCURSES_UI_H

#include <stdbool.h>

#include "ui-ncurses/station/station.h"

/* Reactions a screen returns to the loop. */
enum {
	UI_OK = 0,
	UI_REDRAW = 1 << 0,
	UI_QUIT = 1 << 1,
	UI_RESCAN = 1 << 2,
};

/* What a key means, after the binding table. */
enum ui_action {
	UI_ACT_NONE,
	UI_ACT_UP,
	UI_ACT_DOWN,
	UI_ACT_PGUP,
	UI_ACT_PGDN,
	UI_ACT_TOGGLE,		/* space: select */
	UI_ACT_ALL,		/* select all erasable */
	UI_ACT_OK,		/* Enter */
	UI_ACT_BACK,		/* Esc */
	UI_ACT_ERASE,
	UI_ACT_DASH,
	UI_ACT_RESCAN,
	UI_ACT_STOP,		/* stop the job under the cursor */
	UI_ACT_SKIP,		/* no witness */
	UI_ACT_QUIT,
	UI_ACT_CERTS,		/* open the certificates screen */
	UI_ACT_PRINT,		/* print the certificate under the cursor */
	UI_ACT_SAVE,		/* save its PDF to the records folder */
	UI_ACT_PRINTER,		/* choose the next printer */
	UI_ACT_REGISTER,	/* print this month's register */
	UI_ACT_REGISTER_PREV,	/* print last month's register */
	UI_ACT_UNFREEZE,	/* suspend to RAM and re-identify a frozen drive */
	UI_ACT_DESTROYED,	/* record the destruction of a certificate's medium */
	UI_ACT_RECORDS,		/* initialise a blank stick as the records medium */
	UI_ACT_ADD_PERSON,	/* no people configured: add one at the session start */
	UI_ACT_HELP,		/* ? or F1: the keys of this screen */
	UI_ACT_STATION,		/* name the station (no "station =" yet) */
	UI_ACT_COUNT
};

/* A key as read: a character (possibly non-ASCII) or a curses key code. */
struct ui_key {
	int code;		/* KEY_* when is_code, else the wide character */
	bool is_code;
	enum ui_action action;	/* from the binding table for the focused screen */
};

struct ui_app;

struct ui_screen {
	const char *name;
	void (*enter)(struct ui_app *app);
	void (*draw)(struct ui_app *app);
	int (*key)(struct ui_app *app, const struct ui_key *k);
	void (*resize)(struct ui_app *app);
};

/* --- screens (screen-*.c) --- */
extern const struct ui_screen ui_screen_session;
extern const struct ui_screen ui_screen_list;
extern const struct ui_screen ui_screen_erase;
extern const struct ui_screen ui_screen_dash;
extern const struct ui_screen ui_screen_certs;
extern const struct ui_screen ui_screen_records;	/* screen-records.c, records.h */
const struct ui_screen *ui_screen_get(enum ui_screen_id id);
/*
 * Open the erase screen at the destruction form for @m alone (a medium that
 * may no longer be attached, e.g. from its FAILED certificate), with the
 * asset number, owner and classification of @rec filled in.
 */
void ui_erase_destroy_start(struct ui_app *app, const struct ui_medium *m,
			    const struct ui_record_fields *rec);
/* Switch the focused screen and call its enter(). */
void ui_screen_switch(struct ui_app *app, enum ui_screen_id id);

/* --- main.c --- */
/* Tests only (tests/station/tabula-sim.c): called once the application is set up, before the first scan. */
extern void (*ui_test_setup)(struct ui_app *app);

/* --- keys.c --- */
/* The action bound to @k on @screen, or UI_ACT_NONE. */
enum ui_action ui_keys_lookup(enum ui_screen_id screen, int code, bool is_code);
/*
 * Draw the key bar for @screen on the bottom line(s): every entry, in as
 * many rows as ui_keys_rows() says.
 */
void ui_keys_draw(const struct ui_app *app, enum ui_screen_id screen);
/* Rows the key bar of @screen takes at this width (1, or 2 on a narrow terminal). */
int ui_keys_rows(const struct ui_app *app, enum ui_screen_id screen);
/* Draw the help over @screen: every key bound on it and what it does, from the same table. */
void ui_keys_help_draw(const struct ui_app *app, enum ui_screen_id screen);

/* --- term.c --- */
enum ui_color { UI_C_NORMAL, UI_C_TITLE, UI_C_GREY, UI_C_PASS, UI_C_FAIL, UI_C_INCOMPLETE,
		UI_C_BAR, UI_C_SEL, UI_C_KEY, UI_C_WARN, UI_C_COUNT };
/* Take over the terminal (locale, curses, colours, stderr capture). Returns 0 or -errno. */
int ui_term_open(void);
/* Give the terminal back; safe to call more than once and from atexit. */
void ui_term_close(void);
/* Fit curses to the terminal's current size (after SIGWINCH). */
void ui_term_resize(void);
/* The attribute for @c, with a monochrome fallback. */
int ui_attr(enum ui_color c);
/* The read end of the captured stderr, to poll; -1 if not captured. */
int ui_term_stderr_fd(void);
/* Drain captured stderr; the last line goes to @last. Returns true if anything came. */
bool ui_term_stderr_drain(char *last, size_t len);
/* Print @s at @y,@x in at most @w columns (UTF-8 aware, CJK wide). Returns columns used. */
int ui_put(int y, int x, int w, const char *s);
/* Like ui_put, padded with spaces to exactly @w columns. */
void ui_put_pad(int y, int x, int w, const char *s);
/*
 * Print @s from @y,@x in lines of at most @w columns, broken at spaces where
 * one is near (else anywhere: CJK text has none), on at most @maxlines
 * lines; the last one is cut. Returns the lines used (at least 1).
 */
int ui_put_wrap(int y, int x, int w, int maxlines, const char *s);
/*
 * The rows a screen lays itself out in: LINES, less the key bar's rows past
 * the first. Its last two rows (ui_rows() - 2 and - 1) are the status line
 * and the key bar's first row, as they were when the bar took one.
 */
int ui_rows(void);
/* Set how many rows the key bar takes (main.c, before each draw). */
void ui_rows_set_bar(int rows);
/* Display width of a UTF-8 string. */
int ui_width(const char *s);
/* Restore the terminal and die with a message (fatal path). */
void ui_fatal(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

#endif
