/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The rules for what may go into a record (see certs/validate.h). */
#include "config.h"

#include "certs/validate.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certs/canon.h"
#include "wiper/base/utf8.h"

/* Format @err; returns -EINVAL. */
__attribute__((format(printf, 3, 4)))
static int verr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!err || !errlen)
		return -EINVAL;
	va_start(ap, fmt);
	n = vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= errlen)
		err[errlen - 1] = '\0';
	return -EINVAL;
}

size_t cert_field_limit(size_t size)
{
	/* Headroom below the buffer: a value cut to fit it is still refused. */
	if (size >= 128)
		return size - size / 16;
	return size >= 3 ? size - 2 : 0;
}

/* Is code point @c one that hides or reorders text? */
static bool invisible_or_bidi(uint32_t c)
{
	return (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0x200e ||
	       c == 0x200f || c == 0x061c || c == 0x2028 || c == 0x2029 || c == 0x200b ||
	       c == 0xfeff;
}

int cert_text_check(const char *s, size_t max, bool required, const char *what, char *err,
		    size_t errlen)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, l;
	uint32_t c;

	if (required && n == 0)
		return verr(err, errlen, "%s is empty", what);
	if (n > max)
		return verr(err, errlen, "%s is %zu bytes long; at most %zu are allowed (nothing is"
			    " cut)", what, n, max);
	while (i < n) {
		l = wiper_utf8_len(p + i, n - i, &c);
		if (!l)
			return verr(err, errlen, "%s is not valid UTF-8 (byte %zu is 0x%02x)", what,
				    i + 1, p[i]);
		if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f))
			return verr(err, errlen, "%s holds a control character (U+%04" PRIX32
				    " at byte %zu)", what, c, i + 1);
		if (invisible_or_bidi(c))
			return verr(err, errlen, "%s holds an invisible or text-direction character"
				    " (U+%04" PRIX32 " at byte %zu)", what, c, i + 1);
		i += l;
	}
	return 0;
}

/* Is the code point at @p (length @l) white space for names? */
static bool name_space(const unsigned char *p, size_t l)
{
	return (l == 1 && (*p == ' ' || *p == '\t')) || (l == 2 && p[0] == 0xc2 && p[1] == 0xa0) ||
	       (l == 3 && p[0] == 0xe3 && p[1] == 0x80 && p[2] == 0x80);
}

void cert_name_normalise(const char *s, char *out, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, o = 0, l;
	bool gap = false;
	uint32_t c;

	if (!len)
		return;
	while (i < n) {
		l = wiper_utf8_len(p + i, n - i, &c);
		if (!l)
			l = 1;
		if (name_space(p + i, l)) {
			gap = o > 0;
			i += l;
			continue;
		}
		if (gap && o + 1 < len)
			out[o++] = ' ';
		gap = false;
		if (o + l >= len)
			break;
		memcpy(out + o, p + i, l);
		if (l == 1 && out[o] >= 'A' && out[o] <= 'Z')
			out[o] = (char)(out[o] - 'A' + 'a');
		o += l;
		i += l;
	}
	out[o] = '\0';
}

/* A text field of a struct, named for a person. */
struct tfield {
	const char *what;
	size_t off, size;
	bool required;
	bool exact;	/* filled from a buffer of the same size, or by the ledger: no headroom */
};

#define TF(type, what, m, req) { what, offsetof(type, m), sizeof(((type *)0)->m), req, false }
#define TX(type, what, m) { what, offsetof(type, m), sizeof(((type *)0)->m), false, true }

static const struct tfield person_fields[] = {
	TF(struct cert_person, "name", name, true),
	TF(struct cert_person, "role", title, false),
	TF(struct cert_person, "organization", organization, false),
	TF(struct cert_person, "department", department, false),
	TF(struct cert_person, "location", location, false),
	TF(struct cert_person, "phone", phone, false),
};

/* The same for a person who may be absent (the second supervisor, the approver). */
static const struct tfield optional_person_fields[] = {
	TF(struct cert_person, "name", name, false),
	TF(struct cert_person, "role", title, false),
	TF(struct cert_person, "organization", organization, false),
	TF(struct cert_person, "department", department, false),
	TF(struct cert_person, "location", location, false),
	TF(struct cert_person, "phone", phone, false),
};

static const struct tfield origin_fields[] = {
	TF(struct cert_origin, "owner unit", owner_unit, false),
	TF(struct cert_origin, "asset/property number", property_number, false),
	TF(struct cert_origin, "source", source, false),
	TF(struct cert_origin, "classification", classification, false),
	TF(struct cert_origin, "post-sanitization classification", post_classification, false),
	TF(struct cert_origin, "data backed up", data_backed_up, false),
	TF(struct cert_origin, "backup location", backup_location, false),
	TF(struct cert_origin, "carrier number", carrier_no, false),
	TF(struct cert_origin, "approval reference", approval_ref, false),
};

static const struct tfield record_fields[] = {
	TF(struct cert_record, "tool", tool, false),
	TF(struct cert_record, "tool version", tool_version, false),
	TF(struct cert_record, "make", make, false),
	TF(struct cert_record, "model", model, false),
	TF(struct cert_record, "serial number", serial, false),
	TF(struct cert_record, "media type", media_type, false),
	TF(struct cert_record, "device", node, false),
	TF(struct cert_record, "transport", transport, false),
	TF(struct cert_record, "hidden area before", hidden_before, false),
	TF(struct cert_record, "hidden area after", hidden_after, false),
	TF(struct cert_record, "SMART before", smart_before, false),
	TF(struct cert_record, "SMART after", smart_after, false),
	TF(struct cert_record, "NIST method type", nist_method_type, false),
	TF(struct cert_record, "NIST method used", nist_method_used, false),
	TF(struct cert_record, "method details", method_details, false),
	TF(struct cert_record, "IEEE 2883 method", ieee_method, false),
	TF(struct cert_record, "IEEE 2883 technique", ieee_technique, false),
	TF(struct cert_record, "command", command, false),
	TF(struct cert_record, "method", method, false),
	TF(struct cert_record, "method title", method_title, false),
	TF(struct cert_record, "master seed", seed, false),
	TF(struct cert_record, "PRNG", prng, false),
	TF(struct cert_record, "verify mode", verify_mode, false),
	TF(struct cert_record, "verification method", verification_method, false),
	TF(struct cert_record, "notes", notes, false),
	TF(struct cert_record, "destruction technique", destroy_technique, false),
	TF(struct cert_record, "destruction details", destroy_details, false),
	TF(struct cert_record, "destination details", destination_details, false),
	TF(struct cert_record, "reason", reason, false),
	TX(struct cert_record, "certificate number", cert_no),
	TX(struct cert_record, "previous signature", prev_sig),
	TX(struct cert_record, "key fingerprint", key_fingerprint),
};

static const struct tfield step_fields[] = {
	TX(struct cert_step, "action", action),
	TX(struct cert_step, "pattern", pattern),
	TX(struct cert_step, "seed", seed),
	TX(struct cert_step, "command", command),
	TX(struct cert_step, "answer", answer),
};

#define NF(a) (sizeof(a) / sizeof((a)[0]))

/* Check the fields @t of @base; @prefix ("operator ") goes before each name. */
static int check_fields(const void *base, const struct tfield *t, size_t n, const char *prefix,
			char *err, size_t errlen)
{
	char what[96];
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		const char *s = (const char *)base + t[i].off;

		if (!memchr(s, '\0', t[i].size))
			return verr(err, errlen, "%s%s is not terminated", prefix, t[i].what);
		snprintf(what, sizeof(what), "%s%s", prefix, t[i].what);
		rc = cert_text_check(s, t[i].exact ? t[i].size - 1 : cert_field_limit(t[i].size),
				     t[i].required, what, err, errlen);
		if (rc)
			return rc;
	}
	return 0;
}

int cert_people_check(const struct cert_people *who, char *err, size_t errlen)
{
	char a[CERT_STR], b[CERT_STR], c[CERT_STR];
	int rc;

	if (!who)
		return verr(err, errlen, "the operator and the witness are not named");
	if ((rc = check_fields(&who->operator_, person_fields, NF(person_fields), "operator ", err,
			       errlen)) ||
	    (rc = check_fields(&who->witness, person_fields, NF(person_fields), "witness ", err,
			       errlen)) ||
	    (rc = check_fields(&who->supervisor2, optional_person_fields,
			       NF(optional_person_fields), "second supervisor ", err, errlen)) ||
	    (rc = check_fields(&who->approver, optional_person_fields, NF(optional_person_fields),
			       "approver ", err, errlen)))
		return rc;
	cert_name_normalise(who->operator_.name, a, sizeof(a));
	cert_name_normalise(who->witness.name, b, sizeof(b));
	if (!a[0])
		return verr(err, errlen, "operator name is only white space");
	if (!b[0])
		return verr(err, errlen, "witness name is only white space");
	if (!strcmp(a, b))
		return verr(err, errlen, "the witness (\"%s\") is the operator: a witness must be"
			    " another person", who->witness.name);
	/* A second supervisor is a third person: not the operator, not the first supervisor. */
	if (who->supervisor2.name[0]) {
		cert_name_normalise(who->supervisor2.name, c, sizeof(c));
		if (!c[0])
			return verr(err, errlen, "second supervisor name is only white space");
		if (!strcmp(a, c))
			return verr(err, errlen, "the second supervisor (\"%s\") is the operator: a"
				    " supervisor must be another person", who->supervisor2.name);
		if (!strcmp(b, c))
			return verr(err, errlen, "the two supervisors are the same person (\"%s\")",
				    who->supervisor2.name);
	}
	if (who->approver.name[0]) {
		cert_name_normalise(who->approver.name, c, sizeof(c));
		if (!c[0])
			return verr(err, errlen, "approver name is only white space");
	}
	return 0;
}

int cert_origin_check(const struct cert_origin *o, char *err, size_t errlen)
{
	if (!o)
		return 0;
	return check_fields(o, origin_fields, NF(origin_fields), "", err, errlen);
}

/* The station id: it becomes the certificate number and a file name. */
static int station_check(const char *id, char *err, size_t errlen)
{
	size_t i, n = strnlen(id, 64);

	if (n == 0)
		return verr(err, errlen, "station id is empty");
	if (n > CERT_STATION_ID_MAX)
		return verr(err, errlen, "station id is %zu bytes long; at most %d are allowed", n,
			    CERT_STATION_ID_MAX);
	for (i = 0; i < n; i++) {
		char c = id[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_' || (c == '.' && i > 0)))
			return verr(err, errlen, "station id may hold only letters, digits, '-', '_'"
				    " and '.' (not first); byte %zu is not one", i + 1);
	}
	return 0;
}

int cert_station_id_check(const char *id, char *err, size_t errlen)
{
	return station_check(id, err, errlen);
}

/* A time of the record within [CERT_TIME_MIN, now + skew]. */
static int time_check(int64_t t, int64_t now, const char *what, char *err, size_t errlen)
{
	char buf[32];

	if (t < CERT_TIME_MIN)
		return verr(err, errlen, "%s %s is before 2020-01-01: check the station's clock",
			    what, cert_time_str(t, buf, sizeof(buf)));
	if (t > now + CERT_TIME_SKEW)
		return verr(err, errlen, "%s %s is more than a day after the station's clock", what,
			    cert_time_str(t, buf, sizeof(buf)));
	return 0;
}

int cert_record_check(const struct cert_record *r, unsigned flags, int64_t now, char *err,
		      size_t errlen)
{
	char what[32];
	size_t i;
	int rc;

	if ((rc = cert_people_check(&r->people, err, errlen)) ||
	    (rc = cert_origin_check(&r->origin, err, errlen)) ||
	    (rc = station_check(r->station_id, err, errlen)) ||
	    (rc = check_fields(r, record_fields, NF(record_fields), "", err, errlen)))
		return rc;
	if (r->nsteps > CERT_STEPS_MAX)
		return verr(err, errlen, "the record has %zu steps; at most %d are allowed",
			    r->nsteps, CERT_STEPS_MAX);
	for (i = 0; i < r->nsteps; i++) {
		snprintf(what, sizeof(what), "step %zu ", i + 1);
		if ((rc = check_fields(&r->steps[i], step_fields, NF(step_fields), what, err,
				       errlen)))
			return rc;
	}
	if (r->bad.n > CERT_LBAS_MAX || r->mismatch.n > CERT_LBAS_MAX)
		return verr(err, errlen, "the record lists more than %d blocks", CERT_LBAS_MAX);
	if (flags & CERT_CHECK_TIMES) {
		if ((rc = time_check(r->start, now, "start time", err, errlen)) ||
		    (rc = time_check(r->end, now, "end time", err, errlen)))
			return rc;
		if (r->end < r->start)
			return verr(err, errlen, "the end time is before the start time");
	}
	return 0;
}

int cert_record_roundtrip(const struct cert_record *r, const char *canon, size_t len, char *err,
			  size_t errlen)
{
	struct cert_record *back = cert_record_new();
	struct cbuf again = { 0 };
	char derr[256], field[96];
	int rc;

	if (!back)
		return -ENOMEM;
	if (cert_record_decode(canon, len, back, derr, sizeof(derr))) {
		rc = verr(err, errlen, "the record would not decode: %s", derr);
		goto out;
	}
	if (cert_record_diff(r, back, field, sizeof(field))) {
		rc = verr(err, errlen, "field %s does not survive encoding", field);
		goto out;
	}
	if ((rc = cert_record_encode(back, &again)))
		goto out;
	if (again.len != len || memcmp(again.p, canon, len))
		rc = verr(err, errlen, "the record does not re-encode to the same bytes");
out:
	cbuf_done(&again);
	cert_record_free(back);
	return rc;
}
