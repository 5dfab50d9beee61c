/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Generic helpers of the bottom layer; see base.h. */
#include "config.h"

#include "wiper/base/base.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void base_field_copy(const uint8_t *p, size_t n, char *out)
{
	size_t start = 0, end = n, i;

	while (start < end && (p[start] == ' ' || p[start] == '\0'))
		start++;
	while (end > start && (p[end - 1] == ' ' || p[end - 1] == '\0'))
		end--;
	for (i = start; i < end; i++)
		out[i - start] = p[i] == '\0' ? ' ' : (char)p[i];
	out[end - start] = '\0';
}

void base_ata_string(const uint8_t *buf, unsigned w, unsigned nwords, char *out)
{
	uint8_t tmp[64];
	size_t n = nwords * 2u, i;

	/* The longest field (model, words 27-46) is 40 bytes; never more than tmp holds. */
	if (n > sizeof(tmp))
		n = sizeof(tmp);
	for (i = 0; i < n; i++)
		tmp[i] = buf[(w * 2) + (i ^ 1)];
	base_field_copy(tmp, n, out);
}

int base_read_small(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	size_t n;

	if (f == NULL)
		return -errno;
	n = fread(buf, 1, len - 1, f);
	fclose(f);
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return 0;
}

char *base_slurp(const char *path)
{
	size_t cap = 16384, len = 0;
	char *buf = malloc(cap), *nb;
	FILE *f;

	if (buf == NULL)
		return NULL;
	f = fopen(path, "re");
	if (f == NULL) {
		free(buf);
		return NULL;
	}
	for (;;) {
		len += fread(buf + len, 1, cap - len - 1, f);
		if (len < cap - 1)
			break;
		nb = realloc(buf, cap * 2);
		if (nb == NULL) {
			free(buf);
			fclose(f);
			return NULL;
		}
		buf = nb;
		cap *= 2;
	}
	fclose(f);
	buf[len] = '\0';
	return buf;
}

const char *base_time_utc(int64_t t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm) || strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
		if (len)
			buf[0] = '\0';
	}
	return buf;
}

int base_verrf(char *buf, size_t len, int rc, const char *fmt, va_list ap)
{
	int n;

	if (!buf || !len)
		return rc;
	n = vsnprintf(buf, len, fmt, ap);
	if (n < 0 || (size_t)n >= len)
		buf[len - 1] = '\0';
	return rc;
}

int base_errf(char *buf, size_t len, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rc = base_verrf(buf, len, rc, fmt, ap);
	va_end(ap);
	return rc;
}

const char *base_size_iec(uint64_t bytes, char *buf, size_t len)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB" };
	double v = (double)bytes;
	unsigned u = 0;

	if (len == 0)
		return buf;
	while (v >= 1024.0 && u + 1 < sizeof(units) / sizeof(units[0])) {
		v /= 1024.0;
		u++;
	}
	if (u == 0)
		snprintf(buf, len, "%" PRIu64 " B", bytes);
	else if (v >= 100.0 || v == (double)(uint64_t)v)
		snprintf(buf, len, "%.0f %s", v, units[u]);
	else
		snprintf(buf, len, "%.1f %s", v, units[u]);
	return buf;
}

char *base_trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

bool base_copy(char *dst, size_t len, const char *src)
{
	int n = snprintf(dst, len, "%s", src);

	return n >= 0 && (size_t)n < len;
}
