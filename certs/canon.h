/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Canonical JSON: one byte-exact encoding of a value tree, and a strict
 * decoder. Canonical form: object keys sorted bytewise, no insignificant
 * whitespace, integers only (no fraction, exponent, leading zero or -0),
 * strings in UTF-8 with only '"', '\\' and control characters escaped
 * (\b \f \n \r \t, else \u00xx in lower case). U+0000 is not allowed.
 */
#ifndef CERTS_CANON_H
#define CERTS_CANON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum cj_type { CJ_NULL, CJ_BOOL, CJ_INT, CJ_STR, CJ_ARR, CJ_OBJ };

/* A JSON value. Arrays use items; objects use keys and items side by side. */
struct cj {
	enum cj_type type;
	bool b;
	bool neg;		/* integer: negative */
	uint64_t u;		/* integer: magnitude */
	char *s;		/* string, NUL-terminated (no U+0000 inside) */
	size_t slen;
	char **keys;
	struct cj **items;
	size_t n, cap;
};

/* A growable byte buffer. */
struct cbuf {
	char *p;
	size_t len, cap;
};

int cbuf_put(struct cbuf *b, const void *p, size_t n);
void cbuf_done(struct cbuf *b);

struct cj *cj_new(enum cj_type t);
struct cj *cj_str(const char *s);
struct cj *cj_u64(uint64_t v);
struct cj *cj_i64(int64_t v);
struct cj *cj_bool(bool v);
void cj_free(struct cj *v);

/*
 * Add @v (taken, freed on failure) to object @o under @key, or to array @o
 * when @key is NULL. Returns 0, -ENOMEM, -EEXIST (duplicate key) or -EINVAL
 * (@o or @v is NULL, e.g. after a failed allocation).
 */
int cj_add(struct cj *o, const char *key, struct cj *v);

/* The member @key of object @o, or NULL. */
const struct cj *cj_get(const struct cj *o, const char *key);

/*
 * Append the canonical encoding of @v to @out. Returns 0, -ENOMEM, or
 * -EILSEQ when a string is not valid UTF-8: what is written is always JSON
 * the strict parser takes back.
 */
int cj_encode(const struct cj *v, struct cbuf *out);

/*
 * Parse one JSON value from @buf (@len bytes). With @consumed NULL any
 * trailing byte is an error; otherwise the length used is stored there.
 * Strict: duplicate keys, bad UTF-8, non-integer numbers, integers beyond
 * 64 bits, U+0000, lone surrogates and nesting deeper than 32 are errors.
 * Returns 0 or -EINVAL with the reason and byte offset in @err, or -ENOMEM.
 */
int cj_parse(const char *buf, size_t len, struct cj **out, size_t *consumed, char *err,
	     size_t errlen);

/* cj_parse, and the input must be exactly the canonical encoding. */
int cj_parse_canonical(const char *buf, size_t len, struct cj **out, char *err, size_t errlen);

#endif
