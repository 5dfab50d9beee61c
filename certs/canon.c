/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Canonical JSON encoder and strict decoder. */
#include "config.h"

#include "certs/canon.h"
#include "wiper/base/utf8.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CJ_MAX_DEPTH 32

int cbuf_put(struct cbuf *b, const void *p, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *np;

		while (cap < b->len + n + 1)
			cap *= 2;
		np = realloc(b->p, cap);
		if (!np)
			return -ENOMEM;
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

void cbuf_done(struct cbuf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

struct cj *cj_new(enum cj_type t)
{
	struct cj *v = calloc(1, sizeof(*v));

	if (v)
		v->type = t;
	return v;
}

struct cj *cj_str(const char *s)
{
	struct cj *v = cj_new(CJ_STR);

	if (!v)
		return NULL;
	v->slen = strlen(s);
	v->s = strdup(s);
	if (!v->s) {
		free(v);
		return NULL;
	}
	return v;
}

struct cj *cj_u64(uint64_t u)
{
	struct cj *v = cj_new(CJ_INT);

	if (v)
		v->u = u;
	return v;
}

struct cj *cj_i64(int64_t i)
{
	struct cj *v = cj_new(CJ_INT);

	if (!v)
		return NULL;
	if (i < 0) {
		v->neg = true;
		v->u = (uint64_t)(-(i + 1)) + 1;
	} else {
		v->u = (uint64_t)i;
	}
	return v;
}

struct cj *cj_bool(bool b)
{
	struct cj *v = cj_new(CJ_BOOL);

	if (v)
		v->b = b;
	return v;
}

void cj_free(struct cj *v)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; i < v->n; i++) {
		if (v->keys)
			free(v->keys[i]);
		cj_free(v->items[i]);
	}
	free(v->keys);
	free(v->items);
	free(v->s);
	free(v);
}

int cj_add(struct cj *o, const char *key, struct cj *v)
{
	char *k = NULL;

	if (!o || !v || (key ? o->type != CJ_OBJ : o->type != CJ_ARR)) {
		cj_free(v);
		return -EINVAL;
	}
	if (key && cj_get(o, key)) {
		cj_free(v);
		return -EEXIST;
	}
	if (o->n == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 8;
		struct cj **ni = realloc(o->items, cap * sizeof(*ni));

		if (!ni)
			goto nomem;
		o->items = ni;
		if (key) {
			char **nk = realloc(o->keys, cap * sizeof(*nk));

			if (!nk)
				goto nomem;
			o->keys = nk;
		}
		o->cap = cap;
	}
	if (key) {
		k = strdup(key);
		if (!k)
			goto nomem;
		o->keys[o->n] = k;
	}
	o->items[o->n++] = v;
	return 0;
nomem:
	cj_free(v);
	return -ENOMEM;
}

const struct cj *cj_get(const struct cj *o, const char *key)
{
	size_t i;

	if (!o || o->type != CJ_OBJ)
		return NULL;
	for (i = 0; i < o->n; i++)
		if (strcmp(o->keys[i], key) == 0)
			return o->items[i];
	return NULL;
}

/* Append the canonical form of string @s; -EILSEQ when it is not UTF-8 (the parser would refuse it). */
static int enc_str(const char *s, size_t n, struct cbuf *out)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, run = 0, l;
	uint32_t cp;
	int rc;

	for (i = 0; i < n; i += l)
		if (!(l = wiper_utf8_len((const unsigned char *)s + i, n - i, &cp)) || cp == 0)
			return -EILSEQ;
	if ((rc = cbuf_put(out, "\"", 1)))
		return rc;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[7];
		size_t el = 2;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		if ((rc = cbuf_put(out, s + run, i - run)))
			return rc;
		run = i + 1;
		esc[0] = '\\';
		switch (c) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			el = 6;
		}
		if ((rc = cbuf_put(out, esc, el)))
			return rc;
	}
	if ((rc = cbuf_put(out, s + run, n - run)))
		return rc;
	return cbuf_put(out, "\"", 1);
}

/* Encode an object with its keys in bytewise order (insertion sort on indices). */
static int enc_obj(const struct cj *v, struct cbuf *out)
{
	size_t *idx = NULL, i;
	int rc = 0;

	if (v->n) {
		idx = malloc(v->n * sizeof(*idx));
		if (!idx)
			return -ENOMEM;
		for (i = 0; i < v->n; i++)
			idx[i] = i;
		/* strcmp on UTF-8 orders by code point, the same as bytewise. */
		for (i = 1; i < v->n; i++) {
			size_t j = i, t = idx[i];

			while (j > 0 && strcmp(v->keys[idx[j - 1]], v->keys[t]) > 0) {
				idx[j] = idx[j - 1];
				j--;
			}
			idx[j] = t;
		}
	}
	if ((rc = cbuf_put(out, "{", 1)))
		goto out;
	for (i = 0; i < v->n; i++) {
		if (i && (rc = cbuf_put(out, ",", 1)))
			goto out;
		if ((rc = enc_str(v->keys[idx[i]], strlen(v->keys[idx[i]]), out)))
			goto out;
		if ((rc = cbuf_put(out, ":", 1)))
			goto out;
		if ((rc = cj_encode(v->items[idx[i]], out)))
			goto out;
	}
	rc = cbuf_put(out, "}", 1);
out:
	free(idx);
	return rc;
}

int cj_encode(const struct cj *v, struct cbuf *out)
{
	char num[32];
	size_t i;
	int rc, n;

	switch (v->type) {
	case CJ_NULL:
		return cbuf_put(out, "null", 4);
	case CJ_BOOL:
		return v->b ? cbuf_put(out, "true", 4) : cbuf_put(out, "false", 5);
	case CJ_INT:
		n = snprintf(num, sizeof(num), "%s%" PRIu64, v->neg && v->u ? "-" : "", v->u);
		if (n < 0 || (size_t)n >= sizeof(num))
			return -EOVERFLOW;
		return cbuf_put(out, num, (size_t)n);
	case CJ_STR:
		return enc_str(v->s, v->slen, out);
	case CJ_ARR:
		if ((rc = cbuf_put(out, "[", 1)))
			return rc;
		for (i = 0; i < v->n; i++) {
			if (i && (rc = cbuf_put(out, ",", 1)))
				return rc;
			if ((rc = cj_encode(v->items[i], out)))
				return rc;
		}
		return cbuf_put(out, "]", 1);
	case CJ_OBJ:
		return enc_obj(v, out);
	}
	return -EINVAL;
}

/* ---- decoder ---- */

struct parser {
	const unsigned char *p;
	size_t len, pos;
	char *err;
	size_t errlen;
	int depth;
};

/*
 * Record a parse error at the current offset; perr() is the expression
 * -EINVAL. A macro, so the analyzer sees the error value at each failure:
 * it does not follow variadic functions, and took the call for a possible 0.
 */
#define perr(ps, ...) (perr_note((ps), __VA_ARGS__), -EINVAL)

/* Note a parse error at the current offset in the caller's error buffer. */
__attribute__((format(printf, 2, 3)))
static void perr_note(struct parser *ps, const char *fmt, ...)
{
	char msg[200];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < 0)
		msg[0] = '\0';
	if (ps->err && ps->errlen) {
		n = snprintf(ps->err, ps->errlen, "offset %zu: %s", ps->pos, msg);
		if (n < 0 || (size_t)n >= ps->errlen)
			ps->err[ps->errlen - 1] = '\0';
	}
}

/* Skip JSON whitespace. */
static void skip_ws(struct parser *ps)
{
	while (ps->pos < ps->len && (ps->p[ps->pos] == ' ' || ps->p[ps->pos] == '\t' ||
				     ps->p[ps->pos] == '\n' || ps->p[ps->pos] == '\r'))
		ps->pos++;
}

/* Read 4 hex digits. */
static int hex4(struct parser *ps, uint32_t *out)
{
	uint32_t v = 0;
	int i;

	if (ps->len - ps->pos < 4)
		return perr(ps, "truncated \\u escape");
	for (i = 0; i < 4; i++) {
		unsigned char c = ps->p[ps->pos + i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return perr(ps, "bad hex digit in \\u escape");
	}
	ps->pos += 4;
	*out = v;
	return 0;
}

/* Append code point @cp as UTF-8. */
static int put_cp(struct cbuf *b, uint32_t cp)
{
	unsigned char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (unsigned char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = 0xc0 | (cp >> 6);
		u[1] = 0x80 | (cp & 0x3f);
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = 0xe0 | (cp >> 12);
		u[1] = 0x80 | ((cp >> 6) & 0x3f);
		u[2] = 0x80 | (cp & 0x3f);
		n = 3;
	} else {
		u[0] = 0xf0 | (cp >> 18);
		u[1] = 0x80 | ((cp >> 12) & 0x3f);
		u[2] = 0x80 | ((cp >> 6) & 0x3f);
		u[3] = 0x80 | (cp & 0x3f);
		n = 4;
	}
	return cbuf_put(b, u, n);
}

/* Parse a string (at the opening quote) into a fresh buffer. */
static int parse_string(struct parser *ps, char **out, size_t *outlen)
{
	struct cbuf b = { 0 };
	int rc = 0;

	ps->pos++;	/* '"' */
	if ((rc = cbuf_put(&b, "", 0)))
		goto out;
	for (;;) {
		unsigned char c;
		size_t l;

		if (ps->pos >= ps->len) {
			rc = perr(ps, "unterminated string");
			goto out;
		}
		c = ps->p[ps->pos];
		if (c == '"') {
			ps->pos++;
			break;
		}
		if (c < 0x20) {
			rc = perr(ps, "unescaped control character 0x%02x in string", c);
			goto out;
		}
		if (c == '\\') {
			uint32_t cp, lo;

			if (ps->pos + 1 >= ps->len) {
				rc = perr(ps, "unterminated escape");
				goto out;
			}
			c = ps->p[ps->pos + 1];
			ps->pos += 2;
			switch (c) {
			case '"': case '\\': case '/':
				rc = cbuf_put(&b, &c, 1);
				break;
			case 'b': rc = cbuf_put(&b, "\b", 1); break;
			case 'f': rc = cbuf_put(&b, "\f", 1); break;
			case 'n': rc = cbuf_put(&b, "\n", 1); break;
			case 'r': rc = cbuf_put(&b, "\r", 1); break;
			case 't': rc = cbuf_put(&b, "\t", 1); break;
			case 'u':
				if ((rc = hex4(ps, &cp)))
					goto out;
				if (cp >= 0xdc00 && cp <= 0xdfff) {
					rc = perr(ps, "lone low surrogate \\u%04x", (unsigned)cp);
					goto out;
				}
				if (cp >= 0xd800 && cp <= 0xdbff) {
					if (ps->len - ps->pos < 6 || ps->p[ps->pos] != '\\' ||
					    ps->p[ps->pos + 1] != 'u') {
						rc = perr(ps, "lone high surrogate \\u%04x", (unsigned)cp);
						goto out;
					}
					ps->pos += 2;
					if ((rc = hex4(ps, &lo)))
						goto out;
					if (lo < 0xdc00 || lo > 0xdfff) {
						rc = perr(ps, "high surrogate not followed by a low one");
						goto out;
					}
					cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				}
				if (cp == 0) {
					rc = perr(ps, "U+0000 is not allowed in strings");
					goto out;
				}
				rc = put_cp(&b, cp);
				break;
			default:
				ps->pos -= 1;
				rc = perr(ps, "unknown escape '\\%c'", c >= 0x20 && c < 0x7f ? c : '?');
				goto out;
			}
			if (rc)
				goto out;
			continue;
		}
		{
			uint32_t any;

			l = wiper_utf8_len(ps->p + ps->pos, ps->len - ps->pos, &any);
		}
		if (!l) {
			rc = perr(ps, "invalid UTF-8 in string");
			goto out;
		}
		if ((rc = cbuf_put(&b, ps->p + ps->pos, l)))
			goto out;
		ps->pos += l;
	}
	*out = b.p;
	*outlen = b.len;
	b.p = NULL;
out:
	cbuf_done(&b);
	return rc;
}

/* Parse an integer. */
static int parse_number(struct parser *ps, struct cj *v)
{
	size_t start = ps->pos;
	uint64_t u = 0;

	if (ps->p[ps->pos] == '-') {
		v->neg = true;
		ps->pos++;
	}
	if (ps->pos >= ps->len || ps->p[ps->pos] < '0' || ps->p[ps->pos] > '9')
		return perr(ps, "malformed number");
	if (ps->p[ps->pos] == '0' && ps->pos + 1 < ps->len && ps->p[ps->pos + 1] >= '0' &&
	    ps->p[ps->pos + 1] <= '9')
		return perr(ps, "number with a leading zero");
	while (ps->pos < ps->len && ps->p[ps->pos] >= '0' && ps->p[ps->pos] <= '9') {
		unsigned d = ps->p[ps->pos] - '0';

		if (u > (UINT64_MAX - d) / 10)
			return perr(ps, "integer out of range");
		u = u * 10 + d;
		ps->pos++;
	}
	if (ps->pos < ps->len && (ps->p[ps->pos] == '.' || ps->p[ps->pos] == 'e' ||
				  ps->p[ps->pos] == 'E'))
		return perr(ps, "only integers are allowed (no fraction or exponent)");
	if (v->neg && u == 0) {
		ps->pos = start;
		return perr(ps, "negative zero");
	}
	if (v->neg && u > (uint64_t)INT64_MAX + 1) {
		ps->pos = start;
		return perr(ps, "integer out of range");
	}
	v->u = u;
	return 0;
}

static int parse_value(struct parser *ps, struct cj **out);

/* Parse an object or array (at its opening bracket). */
static int parse_container(struct parser *ps, struct cj *v)
{
	bool obj = v->type == CJ_OBJ;
	char close = obj ? '}' : ']';
	int rc;

	if (++ps->depth > CJ_MAX_DEPTH)
		return perr(ps, "nesting deeper than %d", CJ_MAX_DEPTH);
	ps->pos++;
	skip_ws(ps);
	if (ps->pos < ps->len && ps->p[ps->pos] == close) {
		ps->pos++;
		ps->depth--;
		return 0;
	}
	for (;;) {
		char *key = NULL;
		size_t klen, kpos;
		struct cj *item = NULL;

		skip_ws(ps);
		if (obj) {
			if (ps->pos >= ps->len || ps->p[ps->pos] != '"')
				return perr(ps, "expected a string key");
			kpos = ps->pos;
			if ((rc = parse_string(ps, &key, &klen)))
				return rc;
			if (cj_get(v, key)) {
				ps->pos = kpos;
				rc = perr(ps, "duplicate key \"%s\"", key);
				free(key);
				return rc;
			}
			skip_ws(ps);
			if (ps->pos >= ps->len || ps->p[ps->pos] != ':') {
				free(key);
				return perr(ps, "expected ':' after key");
			}
			ps->pos++;
			skip_ws(ps);
		}
		rc = parse_value(ps, &item);
		if (rc) {
			free(key);
			return rc;
		}
		rc = cj_add(v, key, item);
		free(key);
		if (rc)
			return rc;
		skip_ws(ps);
		if (ps->pos >= ps->len)
			return perr(ps, "unterminated %s", obj ? "object" : "array");
		if (ps->p[ps->pos] == ',') {
			ps->pos++;
			continue;
		}
		if (ps->p[ps->pos] == close) {
			ps->pos++;
			ps->depth--;
			return 0;
		}
		return perr(ps, "expected ',' or '%c'", close);
	}
}

/* Parse any value. */
static int parse_value(struct parser *ps, struct cj **out)
{
	struct cj *v = NULL;
	unsigned char c;
	int rc = 0;

	skip_ws(ps);
	if (ps->pos >= ps->len)
		return perr(ps, "unexpected end of input");
	c = ps->p[ps->pos];
	if (c == '{' || c == '[') {
		v = cj_new(c == '{' ? CJ_OBJ : CJ_ARR);
		if (!v)
			return -ENOMEM;
		rc = parse_container(ps, v);
	} else if (c == '"') {
		v = cj_new(CJ_STR);
		if (!v)
			return -ENOMEM;
		rc = parse_string(ps, &v->s, &v->slen);
	} else if (c == '-' || (c >= '0' && c <= '9')) {
		v = cj_new(CJ_INT);
		if (!v)
			return -ENOMEM;
		rc = parse_number(ps, v);
	} else if (ps->len - ps->pos >= 4 && !memcmp(ps->p + ps->pos, "true", 4)) {
		v = cj_bool(true);
		ps->pos += 4;
	} else if (ps->len - ps->pos >= 5 && !memcmp(ps->p + ps->pos, "false", 5)) {
		v = cj_bool(false);
		ps->pos += 5;
	} else if (ps->len - ps->pos >= 4 && !memcmp(ps->p + ps->pos, "null", 4)) {
		v = cj_new(CJ_NULL);
		ps->pos += 4;
	} else {
		return perr(ps, "unexpected character '%c'", c >= 0x20 && c < 0x7f ? c : '?');
	}
	if (!v)
		return -ENOMEM;
	if (rc) {
		cj_free(v);
		return rc;
	}
	*out = v;
	return 0;
}

int cj_parse(const char *buf, size_t len, struct cj **out, size_t *consumed, char *err,
	     size_t errlen)
{
	struct parser ps = { (const unsigned char *)buf, len, 0, err, errlen, 0 };
	struct cj *v = NULL;
	int rc;

	*out = NULL;
	rc = parse_value(&ps, &v);
	if (rc)
		return rc;
	if (consumed) {
		*consumed = ps.pos;
	} else {
		skip_ws(&ps);
		if (ps.pos != len) {
			cj_free(v);
			return perr(&ps, "trailing data after the value");
		}
	}
	*out = v;
	return 0;
}

int cj_parse_canonical(const char *buf, size_t len, struct cj **out, char *err, size_t errlen)
{
	struct cbuf b = { 0 };
	struct cj *v = NULL;
	size_t i;
	int rc;

	*out = NULL;
	rc = cj_parse(buf, len, &v, NULL, err, errlen);
	if (rc)
		return rc;
	rc = cj_encode(v, &b);
	if (rc)
		goto out;
	if (b.len != len || memcmp(b.p, buf, len)) {
		for (i = 0; i < len && i < b.len && b.p[i] == buf[i]; i++)
			;
		/* Like perr(): no buffer (or an empty one) is allowed, and nothing is written then. */
		if (err && errlen) {
			rc = snprintf(err, errlen, "offset %zu: not in canonical form", i);
			if (rc < 0 || (size_t)rc >= errlen)
				err[errlen - 1] = '\0';
		}
		rc = -EINVAL;
		goto out;
	}
	*out = v;
	v = NULL;
out:
	cbuf_done(&b);
	cj_free(v);
	return rc;
}
