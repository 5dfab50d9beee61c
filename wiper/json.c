/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "wiper/json.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "wiper/base/utf8.h"

void json_init(struct json_out *j, FILE *f, bool pretty)
{
	j->f = f;
	j->pretty = pretty;
	j->depth = 0;
	j->need_comma[0] = false;
}

/*
 * Write a string literal with JSON escapes. Valid UTF-8 passes through; a
 * byte that does not start a valid sequence (a filesystem label in a legacy
 * code page, a firmware string, a path) becomes U+FFFD, so the output is
 * always valid UTF-8 JSON.
 */
static void put_escaped(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), l;
	uint32_t cp;

	fputc('"', f);
	while (n > 0) {
		unsigned char c = *p;

		switch (c) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		default:
			if (c < 0x20 || c == 0x7f) {
				fprintf(f, "\\u%04x", c);
			} else if (c >= 0x80) {
				l = wiper_utf8_len(p, n, &cp);
				if (l == 0) {
					fputs("\\ufffd", f);
				} else {
					fwrite(p, 1, l, f);
					p += l;
					n -= l;
					continue;
				}
			} else {
				fputc(c, f);
			}
		}
		p++;
		n--;
	}
	fputc('"', f);
}

/* Emit the separator, indentation and key before a value. */
static void prefix(struct json_out *j, const char *key)
{
	if (j->need_comma[j->depth])
		fputc(',', j->f);
	j->need_comma[j->depth] = true;
	if (j->pretty && j->depth > 0) {
		int i;

		fputc('\n', j->f);
		for (i = 0; i < j->depth; i++)
			fputs("  ", j->f);
	}
	if (key) {
		put_escaped(j->f, key);
		fputs(j->pretty ? ": " : ":", j->f);
	}
}

/* Open a container. */
static void open_c(struct json_out *j, const char *key, char c)
{
	prefix(j, key);
	fputc(c, j->f);
	if (j->depth + 1 < JSON_MAX_DEPTH)
		j->depth++;
	j->need_comma[j->depth] = false;
}

/* Close a container. */
static void close_c(struct json_out *j, char c)
{
	bool had = j->need_comma[j->depth];

	if (j->depth > 0)
		j->depth--;
	if (j->pretty && had) {
		int i;

		fputc('\n', j->f);
		for (i = 0; i < j->depth; i++)
			fputs("  ", j->f);
	}
	fputc(c, j->f);
}

void json_obj_begin(struct json_out *j, const char *key) { open_c(j, key, '{'); }
void json_obj_end(struct json_out *j) { close_c(j, '}'); }
void json_arr_begin(struct json_out *j, const char *key) { open_c(j, key, '['); }
void json_arr_end(struct json_out *j) { close_c(j, ']'); }

void json_str(struct json_out *j, const char *key, const char *val)
{
	prefix(j, key);
	if (val)
		put_escaped(j->f, val);
	else
		fputs("null", j->f);
}

void json_u64(struct json_out *j, const char *key, uint64_t val)
{
	prefix(j, key);
	fprintf(j->f, "%" PRIu64, val);
}

void json_i64(struct json_out *j, const char *key, int64_t val)
{
	prefix(j, key);
	fprintf(j->f, "%" PRId64, val);
}

void json_dbl(struct json_out *j, const char *key, double val)
{
	prefix(j, key);
	if (isfinite(val))
		fprintf(j->f, "%.6g", val);
	else
		fputs("null", j->f);
}

void json_bool(struct json_out *j, const char *key, bool val)
{
	prefix(j, key);
	fputs(val ? "true" : "false", j->f);
}

void json_null(struct json_out *j, const char *key)
{
	prefix(j, key);
	fputs("null", j->f);
}

void json_end(struct json_out *j)
{
	fputc('\n', j->f);
	fflush(j->f);
}
