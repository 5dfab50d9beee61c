/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The period of a register: what the technician types at the prompt of the
 * certificates screen, turned into the half-open UTC interval the ledger's
 * register takes (certs register --from/--to, the whole "to" day included).
 * Days and months are the station's local ones (its time zone: tabula.conf,
 * else the system's): a job done at 06:12 in Beijing on the 2nd is on the 2nd.
 */
#include "config.h"

#include "ui-ncurses/station/period.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* UTC seconds of local 00:00 on @y-@m-@d; false when there is no such day. */
static bool day_start(int y, int m, int d, int64_t *t)
{
	struct tm tm = { .tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_isdst = -1 };
	time_t tt;

	if (y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31)
		return false;
	tt = mktime(&tm);
	/* mktime normalises 2026-02-30 to March: a day that does not exist. */
	if (tt == (time_t)-1 || tm.tm_mon != m - 1 || tm.tm_mday != d)
		return false;
	*t = (int64_t)tt;
	return true;
}

/*
 * One end, "YYYY-MM" or "YYYY-MM-DD", as [@from, @to). Returns the number of
 * fields read (2 a month, 3 a day) or 0.
 */
static int period_end(const char *s, int64_t *from, int64_t *to)
{
	int y, m, d, n = -1;

	if (strspn(s, "0123456789-") != strlen(s))
		return 0;
	if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) == 3 && n == 10 && s[n] == '\0') {
		struct tm next = { .tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d + 1,
				   .tm_isdst = -1 };

		if (!day_start(y, m, d, from))
			return 0;
		/* The next local midnight: a day is not always 86400 s where clocks change. */
		*to = (int64_t)mktime(&next);
		return 3;
	}
	n = -1;
	if (sscanf(s, "%4d-%2d%n", &y, &m, &n) == 2 && n == 7 && s[n] == '\0') {
		if (!day_start(y, m, 1, from) || !day_start(m == 12 ? y + 1 : y, m % 12 + 1, 1, to))
			return 0;
		return 2;
	}
	return 0;
}

/* snprintf that says whether it fit. */
static bool fits(int n, size_t len)
{
	return n >= 0 && (size_t)n < len;
}

int ui_period_parse(const char *text, int64_t *from, int64_t *to, char *name, size_t len)
{
	char a[32], b[32], *sep;
	int64_t f2, t1;
	size_t n;

	while (*text == ' ')
		text++;
	n = strlen(text);
	while (n > 0 && text[n - 1] == ' ')
		n--;
	if (n == 0 || n >= sizeof(a))
		return -EINVAL;
	memcpy(a, text, n);
	a[n] = '\0';
	sep = strstr(a, "..");
	if (sep == NULL)
		sep = strstr(a, " to ");
	if (sep == NULL)
		sep = strchr(a, ' ');
	if (sep == NULL) {
		if (!period_end(a, from, to) || !fits(snprintf(name, len, "register-%s", a), len))
			return -EINVAL;
		return 0;
	}
	snprintf(b, sizeof(b), "%s", sep + strspn(sep, ". to"));
	while (sep > a && sep[-1] == ' ')
		sep--;
	*sep = '\0';
	if (!period_end(a, from, &t1) || !period_end(b, &f2, to) || *to <= *from ||
	    !fits(snprintf(name, len, "register-%s_%s", a, b), len))
		return -EINVAL;
	return 0;
}

int ui_period_month_shift(const char *in, int by, char *out, size_t len)
{
	int64_t from, to;
	struct tm tm;
	time_t t;

	if (period_end(in, &from, &to) != 2)
		return -EINVAL;
	t = (time_t)from;
	localtime_r(&t, &tm);
	tm.tm_mon += by;
	tm.tm_isdst = -1;
	if (mktime(&tm) == (time_t)-1 || tm.tm_year + 1900 < 1970 ||
	    strftime(out, len, "%Y-%m", &tm) == 0)
		return -EINVAL;
	return 0;
}

void ui_period_month(time_t now, int back, char *out, size_t len)
{
	struct tm tm;

	localtime_r(&now, &tm);
	tm.tm_mon -= back;
	tm.tm_mday = 1;
	tm.tm_isdst = -1;
	mktime(&tm);
	if (strftime(out, len, "%Y-%m", &tm) == 0 && len)
		out[0] = '\0';
}
