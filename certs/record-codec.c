/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The record's canonical encoding (what the ledger hashes and signs) and its strict inverse. */
#include "config.h"

#include "certs/record.h"
#include "certs/record-impl.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- the field table ---- */

enum ftype { F_STR, F_U64, F_U32, F_BOOL, F_TIME, F_I32 };

struct field {
	const char *obj;	/* "" for the top level */
	const char *key;
	enum ftype t;
	size_t off;
	size_t size;
	unsigned since;		/* the first encoding version with this member (0: all) */
};

#define RF(o, k, t, m) { o, k, t, offsetof(struct cert_record, m), \
			  sizeof(((struct cert_record *)0)->m), 0 }
#define RF3(o, k, t, m) { o, k, t, offsetof(struct cert_record, m), \
			   sizeof(((struct cert_record *)0)->m), 3 }
#define PERSON(o, m) \
	RF(o, "name", F_STR, m.name), RF(o, "title", F_STR, m.title), \
	RF(o, "organization", F_STR, m.organization), RF(o, "location", F_STR, m.location), \
	RF(o, "phone", F_STR, m.phone), RF3(o, "department", F_STR, m.department)
#define PERSON3(o, m) \
	RF3(o, "name", F_STR, m.name), RF3(o, "title", F_STR, m.title), \
	RF3(o, "organization", F_STR, m.organization), RF3(o, "location", F_STR, m.location), \
	RF3(o, "phone", F_STR, m.phone), RF3(o, "department", F_STR, m.department)

static const struct field fields[] = {
	RF("", "seq", F_U64, seq),
	RF("", "cert_no", F_STR, cert_no),
	RF("", "prev_signature", F_STR, prev_sig),
	RF("", "start", F_TIME, start),
	RF("", "end", F_TIME, end),
	RF("", "duration_ms", F_U64, duration_ms),
	RF("", "reason", F_STR, reason),
	RF("station", "id", F_STR, station_id),
	RF("station", "tool", F_STR, tool),
	RF("station", "version", F_STR, tool_version),
	RF("station", "key_fingerprint", F_STR, key_fingerprint),
	PERSON("operator", people.operator_),
	PERSON("witness", people.witness),
	PERSON3("supervisor2", people.supervisor2),
	PERSON3("approver", people.approver),
	RF3("station", "utc_offset", F_I32, utc_offset),
	RF3("origin", "carrier_no", F_STR, origin.carrier_no),
	RF3("origin", "approval_reference", F_STR, origin.approval_ref),
	RF("origin", "owner_unit", F_STR, origin.owner_unit),
	RF("origin", "property_number", F_STR, origin.property_number),
	RF("origin", "source", F_STR, origin.source),
	RF("origin", "classification", F_STR, origin.classification),
	RF("origin", "post_classification", F_STR, origin.post_classification),
	RF("origin", "data_backed_up", F_STR, origin.data_backed_up),
	RF("origin", "backup_location", F_STR, origin.backup_location),
	RF("media", "make", F_STR, make),
	RF("media", "model", F_STR, model),
	RF("media", "serial", F_STR, serial),
	RF("media", "type", F_STR, media_type),
	RF("media", "node", F_STR, node),
	RF("media", "transport", F_STR, transport),
	RF("media", "size_bytes", F_U64, size_bytes),
	RF("media", "logical_block", F_U32, logical_block),
	RF("media", "physical_block", F_U32, physical_block),
	RF("media", "hidden_area_before", F_STR, hidden_before),
	RF("media", "hidden_area_after", F_STR, hidden_after),
	RF("media", "smart_before", F_STR, smart_before),
	RF("media", "smart_after", F_STR, smart_after),
	RF("sanitization", "nist_method_type", F_STR, nist_method_type),
	RF("sanitization", "nist_method_used", F_STR, nist_method_used),
	RF("sanitization", "method_details", F_STR, method_details),
	RF("sanitization", "ieee2883_method", F_STR, ieee_method),
	RF("sanitization", "ieee2883_technique", F_STR, ieee_technique),
	RF("sanitization", "command", F_STR, command),
	RF("sanitization", "method", F_STR, method),
	RF("sanitization", "method_title", F_STR, method_title),
	RF("sanitization", "rounds", F_U32, rounds),
	RF("sanitization", "seed", F_STR, seed),
	RF("sanitization", "prng", F_STR, prng),
	RF("sanitization", "request_bytes", F_U64, request_bytes),
	RF("sanitization", "queue_depth", F_U32, queue_depth),
	RF("sanitization", "notes", F_STR, notes),
	RF("verification", "mode", F_STR, verify_mode),
	RF("verification", "method", F_STR, verification_method),
	RF("verification", "coverage_ppm", F_U32, verify_coverage_ppm),
	RF("verification", "samples", F_U64, verify_samples),
	RF("verification", "bad_total", F_U64, bad.total),
	RF("verification", "mismatch_total", F_U64, mismatch.total),
	RF("destruction", "technique", F_STR, destroy_technique),
	RF("destruction", "details", F_STR, destroy_details),
	RF("destination", "details", F_STR, destination_details),
};

/* Members handled in code rather than by the table. */
static const struct { const char *obj, *key; unsigned since; } special[] = {
	{ "", "format", 0 }, { "", "kind", 0 }, { "", "result", 0 }, { "", "steps", 0 },
	{ "verification", "bad_lbas", 0 }, { "verification", "mismatch_lbas", 0 },
	{ "destination", "kind", 0 },
	{ "", "station", 0 }, { "", "operator", 0 }, { "", "witness", 0 }, { "", "origin", 0 },
	{ "", "media", 0 }, { "", "sanitization", 0 }, { "", "verification", 0 },
	{ "", "destruction", 0 }, { "", "destination", 0 },
	{ "", "supervisor2", 3 }, { "", "approver", 3 },
};

/* The objects (station first: custody_members()), with the version that added each. */
static const char *const objects[] = { "station", "operator", "witness", "origin", "media",
				       "sanitization", "verification", "destruction",
				       "destination", "supervisor2", "approver" };
static const unsigned object_since[] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 3 };
#define NOBJ (sizeof(objects) / sizeof(objects[0]))

/* Is a member added in version @since part of a version-@v encoding? */
static bool in_version(unsigned since, unsigned v)
{
	return since <= v;
}

/* The version @r is encoded in. */
static unsigned record_version(const struct cert_record *r)
{
	return r->version ? r->version : CERT_VERSION_CURRENT;
}

#define STEP(k, t, m) { "", k, t, offsetof(struct cert_step, m), \
			sizeof(((struct cert_step *)0)->m), 0 }
static const struct field step_fields[] = {
	STEP("action", F_STR, action),
	STEP("pattern", F_STR, pattern),
	STEP("seed", F_STR, seed),
	STEP("command", F_STR, command),
	STEP("answer", F_STR, answer),
	STEP("completed", F_BOOL, completed),
	STEP("bytes", F_U64, bytes),
	STEP("ms", F_U64, ms),
	STEP("write_errors", F_U64, write_errors),
	STEP("verified", F_BOOL, verified),
	STEP("verify_bytes", F_U64, verify_bytes),
	STEP("verify_ms", F_U64, verify_ms),
	STEP("verify_mismatches", F_U64, verify_mismatches),
	STEP("verify_read_errors", F_U64, verify_read_errors),
};
#define NFIELDS(a) (sizeof(a) / sizeof((a)[0]))

/* The JSON value of one field of @base. */
static struct cj *field_value(const struct field *f, const void *base)
{
	const char *p = (const char *)base + f->off;
	char tbuf[32];
	uint64_t u64;
	uint32_t u32;
	int64_t i64;
	bool b;

	switch (f->t) {
	case F_STR:
		return cj_str(p);
	case F_U64:
		memcpy(&u64, p, sizeof(u64));
		return cj_u64(u64);
	case F_U32:
		memcpy(&u32, p, sizeof(u32));
		return cj_u64(u32);
	case F_BOOL:
		memcpy(&b, p, sizeof(b));
		return cj_bool(b);
	case F_TIME:
		memcpy(&i64, p, sizeof(i64));
		return cj_str(cert_time_str(i64, tbuf, sizeof(tbuf)));
	case F_I32: {
		int32_t i32;

		memcpy(&i32, p, sizeof(i32));
		return cj_i64(i32);
	}
	}
	return NULL;
}

/* An array of LBAs. */
static struct cj *lba_array(const struct cert_lbas *l)
{
	struct cj *a = cj_new(CJ_ARR);
	size_t i;

	for (i = 0; a && i < l->n; i++)
		if (cj_add(a, NULL, cj_u64(l->lba[i]))) {
			cj_free(a);
			return NULL;
		}
	return a;
}

/* The record as a value tree. NULL on ENOMEM. */
static struct cj *record_tree(const struct cert_record *r)
{
	struct cj *top = cj_new(CJ_OBJ), *objs[NOBJ], *steps = NULL;
	unsigned ver = record_version(r);
	size_t i, j;
	int rc = 0;

	for (i = 0; i < NOBJ; i++)
		objs[i] = cj_new(CJ_OBJ);
	for (i = 0; i < NFIELDS(fields); i++) {
		const struct field *f = &fields[i];
		struct cj *o = top;

		if (!in_version(f->since, ver))
			continue;

		if (f->obj[0])
			for (j = 0; j < NOBJ; j++)
				if (!strcmp(objects[j], f->obj))
					o = objs[j];
		if (!rc)
			rc = cj_add(o, f->key, field_value(f, r));
	}
	/* Custody: present from the first record that names it on (see record.h). */
	if (!rc && r->custody[0])
		rc = cj_add(objs[0], "custody", cj_str(r->custody));
	if (!rc && r->custody[0])
		rc = cj_add(objs[0], "counter", cj_u64(r->custody_counter));
	if (!rc)
		rc = cj_add(top, "format", cj_str(ver == 2 ? CERT_FORMAT_2 : CERT_FORMAT_3));
	if (!rc)
		rc = cj_add(top, "kind", cj_str(cert_kind_str(r->kind)));
	if (!rc)
		rc = cj_add(top, "result", cj_str(cert_result_str(r->result)));
	if (!rc)
		rc = cj_add(objs[6], "bad_lbas", lba_array(&r->bad));
	if (!rc)
		rc = cj_add(objs[6], "mismatch_lbas", lba_array(&r->mismatch));
	if (!rc)
		rc = cj_add(objs[8], "kind", cj_str(cert_dest_str(r->destination)));
	steps = cj_new(CJ_ARR);
	for (i = 0; !rc && i < r->nsteps; i++) {
		struct cj *s = cj_new(CJ_OBJ);

		for (j = 0; j < NFIELDS(step_fields); j++)
			if (!rc)
				rc = cj_add(s, step_fields[j].key,
					    field_value(&step_fields[j], &r->steps[i]));
		if (!rc)
			rc = cj_add(steps, NULL, s);
		else
			cj_free(s);
	}
	if (!rc)
		rc = cj_add(top, "steps", steps);
	else
		cj_free(steps);
	for (i = 0; i < NOBJ; i++) {
		if (!rc && in_version(object_since[i], ver))
			rc = cj_add(top, objects[i], objs[i]);
		else
			cj_free(objs[i]);
	}
	if (rc) {
		cj_free(top);
		return NULL;
	}
	return top;
}

int cert_record_encode(const struct cert_record *r, struct cbuf *out)
{
	struct cj *t = record_tree(r);
	int rc;

	if (!t)
		return -ENOMEM;
	rc = cj_encode(t, out);
	cj_free(t);
	return rc;
}

/* Report a decode error. */
__attribute__((format(printf, 3, 4)))
static int derr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= errlen) {
		if (errlen)
			err[errlen - 1] = '\0';
	}
	return -EINVAL;
}

/* Store JSON value @v into field @f of @base. */
static int field_store(const struct field *f, const char *path, const struct cj *v, void *base,
		       char *err, size_t errlen)
{
	char *p = (char *)base + f->off;
	int64_t i64;
	uint32_t u32;
	bool b;

	switch (f->t) {
	case F_STR:
	case F_TIME:
		if (v->type != CJ_STR)
			return derr(err, errlen, "field \"%s\" must be a string", path);
		if (f->t == F_TIME) {
			char tbuf[32];

			/*
			 * strptime() is lenient (one-digit fields, blanks, Feb 30,
			 * second 60, year 0226): only the exact form the encoder
			 * writes is one encoding of the time.
			 */
			if (cert_time_parse(v->s, &i64) || v->slen != 20 ||
			    strlen(cert_time_str(i64, tbuf, sizeof(tbuf))) != v->slen ||
			    memcmp(tbuf, v->s, v->slen) != 0)
				return derr(err, errlen,
					    "field \"%s\" must be a UTC time YYYY-MM-DDTHH:MM:SSZ",
					    path);
			memcpy(p, &i64, sizeof(i64));
			return 0;
		}
		if (v->slen >= f->size)
			return derr(err, errlen, "field \"%s\" is longer than %zu bytes", path,
				    f->size - 1);
		memcpy(p, v->s, v->slen + 1);
		return 0;
	case F_U64:
	case F_U32:
		if (v->type != CJ_INT || v->neg)
			return derr(err, errlen, "field \"%s\" must be a non-negative integer",
				    path);
		if (f->t == F_U32) {
			if (v->u > UINT32_MAX)
				return derr(err, errlen, "field \"%s\" is out of range", path);
			u32 = (uint32_t)v->u;
			memcpy(p, &u32, sizeof(u32));
		} else {
			memcpy(p, &v->u, sizeof(v->u));
		}
		return 0;
	case F_BOOL:
		if (v->type != CJ_BOOL)
			return derr(err, errlen, "field \"%s\" must be true or false", path);
		b = v->b;
		memcpy(p, &b, sizeof(b));
		return 0;
	case F_I32: {
		/* A UTC offset: within a day either way, whole minutes (what time zones use). */
		int32_t i32;

		if (v->type != CJ_INT || v->u > 86400 || v->u % 60)
			return derr(err, errlen, "field \"%s\" must be a UTC offset in seconds (whole"
				    " minutes, at most a day)", path);
		i32 = v->neg ? -(int32_t)v->u : (int32_t)v->u;
		memcpy(p, &i32, sizeof(i32));
		return 0;
	}
	}
	return -EINVAL;
}

/* Is @key a known member of object @obj in version @ver? */
static bool known(const char *obj, const char *key, unsigned ver)
{
	size_t i;

	for (i = 0; i < NFIELDS(fields); i++)
		if (in_version(fields[i].since, ver) && !strcmp(fields[i].obj, obj) &&
		    !strcmp(fields[i].key, key))
			return true;
	for (i = 0; i < NFIELDS(special); i++)
		if (in_version(special[i].since, ver) && !strcmp(special[i].obj, obj) &&
		    !strcmp(special[i].key, key))
			return true;
	/* The optional custody pair (custody_members()). */
	return !strcmp(obj, "station") && (!strcmp(key, "custody") || !strcmp(key, "counter"));
}

/* Number of members object @obj must have in version @ver. */
static size_t expected_members(const char *obj, unsigned ver)
{
	size_t i, n = 0;

	for (i = 0; i < NFIELDS(fields); i++)
		n += in_version(fields[i].since, ver) && !strcmp(fields[i].obj, obj);
	for (i = 0; i < NFIELDS(special); i++)
		n += in_version(special[i].since, ver) && !strcmp(special[i].obj, obj);
	return n;
}

/*
 * Check that object @o (at @obj) has no unknown member. Keys are unique and
 * every known one is required, so equal counts mean nothing unknown; the
 * slow search only runs to name the culprit.
 */
static int check_members(const struct cj *o, const char *obj, size_t expect, unsigned ver,
			 char *err, size_t errlen)
{
	size_t i;

	if (o->n == expect)
		return 0;
	for (i = 0; i < o->n; i++)
		if (!known(obj, o->keys[i], ver))
			return derr(err, errlen, "unknown field \"%s%s%s\"", obj, obj[0] ? "." : "",
				    o->keys[i]);
	return 0;
}

/* A member that must be a string naming one of @names. */
static int enum_member(const struct cj *o, const char *key, const char *path,
		       const char *const *names, size_t n, int *out, char *err, size_t errlen)
{
	const struct cj *v = cj_get(o, key);
	int i;

	if (!v)
		return derr(err, errlen, "missing field \"%s\"", path);
	if (v->type != CJ_STR || (i = cert_name_index(names, n, v->s)) < 0)
		return derr(err, errlen, "field \"%s\" has an unknown value", path);
	*out = i;
	return 0;
}

/* Decode an LBA array. */
static int lba_member(const struct cj *o, const char *key, struct cert_lbas *l, char *err,
		      size_t errlen)
{
	const struct cj *a = cj_get(o, key);
	size_t i;

	if (!a)
		return derr(err, errlen, "missing field \"verification.%s\"", key);
	if (a->type != CJ_ARR || a->n > CERT_LBAS_MAX)
		return derr(err, errlen, "field \"verification.%s\" must be an array of at most %d LBAs",
			    key, CERT_LBAS_MAX);
	for (i = 0; i < a->n; i++) {
		if (a->items[i]->type != CJ_INT || a->items[i]->neg)
			return derr(err, errlen, "verification.%s[%zu] is not an LBA", key, i);
		l->lba[i] = a->items[i]->u;
	}
	l->n = a->n;
	return 0;
}

/*
 * The optional pair station.custody / station.counter: both or neither
 * (records from before custody was recorded have neither). *@extra counts
 * the members found, for check_members().
 */
static int custody_members(const struct cj *st, struct cert_record *r, size_t *extra, char *err,
			   size_t errlen)
{
	const struct cj *c = cj_get(st, "custody"), *n = cj_get(st, "counter");

	*extra = 0;
	if (!c && !n)
		return 0;
	if (!c || !n)
		return derr(err, errlen, "field \"station.%s\" needs \"station.%s\"",
			    c ? "custody" : "counter", c ? "counter" : "custody");
	if (c->type != CJ_STR || (strcmp(c->s, "file") && strcmp(c->s, "tpm")))
		return derr(err, errlen, "field \"station.custody\" must be \"file\" or \"tpm\"");
	if (n->type != CJ_INT || n->neg)
		return derr(err, errlen, "field \"station.counter\" must be a non-negative integer");
	if (!strcmp(c->s, "file") && n->u != 0)
		return derr(err, errlen, "field \"station.counter\" must be 0 for file custody");
	memcpy(r->custody, c->s, c->slen + 1);
	r->custody_counter = n->u;
	*extra = 2;
	return 0;
}

int cert_record_from_cj(const struct cj *top, struct cert_record *r, char *err, size_t errlen)
{
	static _Atomic size_t expect_tab[2][NOBJ + 1];
	_Atomic size_t *expect_n;
	const struct cj *v, *steps;
	char path[96];
	unsigned ver;
	size_t i, j;
	int rc, e;

	memset(r, 0, sizeof(*r));
	if (top->type != CJ_OBJ)
		return derr(err, errlen, "a record must be a JSON object");
	v = cj_get(top, "format");
	if (!v || v->type != CJ_STR || (strcmp(v->s, CERT_FORMAT_3) && strcmp(v->s, CERT_FORMAT_2)))
		return derr(err, errlen, "field \"format\" must be \"%s\" or \"%s\"", CERT_FORMAT_3,
			    CERT_FORMAT_2);
	ver = strcmp(v->s, CERT_FORMAT_2) ? 3 : 2;
	r->version = ver;
	expect_n = expect_tab[ver - 2];
	if (!expect_n[0]) {
		/* Computed once; the table is constant, so a race only repeats the work. */
		for (i = 0; i < NOBJ; i++)
			expect_n[i + 1] = expected_members(objects[i], ver);
		expect_n[0] = expected_members("", ver);
	}
	if ((rc = check_members(top, "", expect_n[0], ver, err, errlen)))
		return rc;
	for (i = 0; i < NOBJ; i++) {
		size_t extra = 0;

		if (!in_version(object_since[i], ver))
			continue;
		v = cj_get(top, objects[i]);
		if (!v)
			return derr(err, errlen, "missing field \"%s\"", objects[i]);
		if (v->type != CJ_OBJ)
			return derr(err, errlen, "field \"%s\" must be an object", objects[i]);
		if (i == 0 && (rc = custody_members(v, r, &extra, err, errlen)))
			return rc;
		if ((rc = check_members(v, objects[i], expect_n[i + 1] + extra, ver, err, errlen)))
			return rc;
	}
	for (i = 0; i < NFIELDS(fields); i++) {
		const struct field *f = &fields[i];
		const struct cj *o = f->obj[0] ? cj_get(top, f->obj) : top;

		if (!in_version(f->since, ver))
			continue;
		e = snprintf(path, sizeof(path), "%s%s%s", f->obj, f->obj[0] ? "." : "", f->key);
		if (e < 0 || (size_t)e >= sizeof(path))
			return -EOVERFLOW;
		v = cj_get(o, f->key);
		if (!v)
			return derr(err, errlen, "missing field \"%s\"", path);
		if ((rc = field_store(f, path, v, r, err, errlen)))
			return rc;
	}
	if ((rc = enum_member(top, "kind", "kind", cert_kind_names, 2, &e, err, errlen)))
		return rc;
	r->kind = (enum cert_kind)e;
	if ((rc = enum_member(top, "result", "result", cert_result_names, 4, &e, err, errlen)))
		return rc;
	r->result = (enum cert_result)e;
	if ((rc = enum_member(cj_get(top, "destination"), "kind", "destination.kind", cert_dest_names, 6,
			      &e, err, errlen)))
		return rc;
	r->destination = (enum cert_dest)e;
	if ((rc = lba_member(cj_get(top, "verification"), "bad_lbas", &r->bad, err, errlen)) ||
	    (rc = lba_member(cj_get(top, "verification"), "mismatch_lbas", &r->mismatch, err,
			     errlen)))
		return rc;
	steps = cj_get(top, "steps");
	if (!steps)
		return derr(err, errlen, "missing field \"steps\"");
	if (steps->type != CJ_ARR || steps->n > CERT_STEPS_MAX)
		return derr(err, errlen, "field \"steps\" must be an array of at most %d steps",
			    CERT_STEPS_MAX);
	for (i = 0; i < steps->n; i++) {
		const struct cj *s = steps->items[i];

		if (s->type != CJ_OBJ)
			return derr(err, errlen, "steps[%zu] must be an object", i);
		for (j = 0; s->n != NFIELDS(step_fields) && j < s->n; j++) {
			size_t k;
			bool ok = false;

			for (k = 0; k < NFIELDS(step_fields); k++)
				ok |= !strcmp(step_fields[k].key, s->keys[j]);
			if (!ok)
				return derr(err, errlen, "unknown field \"steps[%zu].%s\"", i,
					    s->keys[j]);
		}
		for (j = 0; j < NFIELDS(step_fields); j++) {
			e = snprintf(path, sizeof(path), "steps[%zu].%s", i, step_fields[j].key);
			if (e < 0 || (size_t)e >= sizeof(path))
				return -EOVERFLOW;
			v = cj_get(s, step_fields[j].key);
			if (!v)
				return derr(err, errlen, "missing field \"%s\"", path);
			if ((rc = field_store(&step_fields[j], path, v, &r->steps[i], err, errlen)))
				return rc;
		}
	}
	r->nsteps = steps->n;
	return 0;
}

/* Do fields @f of @a and @b hold the same value? */
static bool field_equal(const struct field *f, const void *a, const void *b)
{
	const char *pa = (const char *)a + f->off, *pb = (const char *)b + f->off;

	if (f->t == F_STR)
		return strncmp(pa, pb, f->size) == 0;
	return memcmp(pa, pb, f->size) == 0;
}

/* Say which field differs. Returns 1. */
static int differs(char *what, size_t len, const char *obj, const char *key, size_t step)
{
	int n;

	if (!what || !len)
		return 1;
	if (step != SIZE_MAX)
		n = snprintf(what, len, "steps[%zu].%s", step, key);
	else
		n = snprintf(what, len, "%s%s%s", obj, obj[0] ? "." : "", key);
	if (n < 0 || (size_t)n >= len)
		what[len - 1] = '\0';
	return 1;
}

int cert_record_diff(const struct cert_record *a, const struct cert_record *b, char *what,
		     size_t len)
{
	size_t i, j;

	if (record_version(a) != record_version(b))
		return differs(what, len, "", "format", SIZE_MAX);
	for (i = 0; i < NFIELDS(fields); i++)
		if (!field_equal(&fields[i], a, b))
			return differs(what, len, fields[i].obj, fields[i].key, SIZE_MAX);
	if (a->kind != b->kind)
		return differs(what, len, "", "kind", SIZE_MAX);
	if (a->result != b->result)
		return differs(what, len, "", "result", SIZE_MAX);
	if (a->destination != b->destination)
		return differs(what, len, "destination", "kind", SIZE_MAX);
	if (a->bad.n != b->bad.n || memcmp(a->bad.lba, b->bad.lba, a->bad.n * sizeof(a->bad.lba[0])))
		return differs(what, len, "verification", "bad_lbas", SIZE_MAX);
	if (a->mismatch.n != b->mismatch.n ||
	    memcmp(a->mismatch.lba, b->mismatch.lba, a->mismatch.n * sizeof(a->mismatch.lba[0])))
		return differs(what, len, "verification", "mismatch_lbas", SIZE_MAX);
	if (a->nsteps != b->nsteps)
		return differs(what, len, "", "steps", SIZE_MAX);
	for (i = 0; i < a->nsteps; i++)
		for (j = 0; j < NFIELDS(step_fields); j++)
			if (!field_equal(&step_fields[j], &a->steps[i], &b->steps[i]))
				return differs(what, len, "", step_fields[j].key, i);
	return 0;
}

int cert_record_decode(const char *buf, size_t len, struct cert_record *r, char *err,
		       size_t errlen)
{
	struct cj *v = NULL;
	int rc;

	rc = cj_parse_canonical(buf, len, &v, err, errlen);
	if (rc)
		return rc;
	rc = cert_record_from_cj(v, r, err, errlen);
	cj_free(v);
	return rc;
}
