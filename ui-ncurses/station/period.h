/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The period of a register, as the technician types it. Pure functions, no curses. */
#ifndef UI_NCURSES_PERIOD_H
#define UI_NCURSES_PERIOD_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/*
 * Parse @text: a month "YYYY-MM", a day "YYYY-MM-DD", or two of them as
 * "FROM..TO", "FROM to TO" or "FROM TO" (both ends included, a month end
 * meaning its whole month), in local days ($TZ). Sets [@from, @to) in UTC seconds and the file
 * name for its register into @name ("register-2026-11",
 * "register-2026-03-01_2026-03-14"). Returns 0, or -EINVAL when it is not a
 * period (no such day, the end before the start, anything else).
 */
int ui_period_parse(const char *text, int64_t *from, int64_t *to, char *name, size_t len);

/*
 * The month "YYYY-MM" @in moved by @by months (negative: back) into @out.
 * Returns 0, or -EINVAL when @in is not a month.
 */
int ui_period_month_shift(const char *in, int by, char *out, size_t len);

/* The local month of @now, @back months earlier, as "YYYY-MM" into @out. */
void ui_period_month(time_t now, int back, char *out, size_t len);

#endif
