/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The one rule set for what may go into a record. Applied where a record is
 * built (certs_build_record, certs destroy), in the preflight before a
 * medium is touched (certs/preflight.h), and again by the ledger right
 * before it appends (cert_ledger_append_job), so nothing that cannot be
 * decoded, shown or verified is ever signed.
 *
 * Every text field must be:
 *   - valid UTF-8 (no overlong forms, surrogates or code points past U+10FFFF);
 *   - free of control characters: C0 (U+0000-U+001F, so also tab and newline),
 *     DEL (U+007F) and C1 (U+0080-U+009F);
 *   - free of characters that reorder or hide text: the bidirectional
 *     embeddings, overrides and isolates U+202A-U+202E and U+2066-U+2069,
 *     the marks U+200E, U+200F and U+061C, the line and paragraph
 *     separators U+2028/U+2029, U+200B (zero width space) and U+FEFF;
 *   - at most its limit in bytes (cert_field_limit()): a longer value is
 *     refused, never cut. Every limit is below the size of the field's
 *     buffer, so a value a front end cut to fit the buffer is refused too.
 * The operator's and the witness's names must not be empty, and must not
 * name the same person (compared after cert_name_normalise()). The second
 * supervisor (optional) is neither the operator nor the witness (the first
 * supervisor); the approver is optional. The station
 * id is 1-40 of A-Z a-z 0-9 '-' '_' '.', not starting with '.' (it becomes
 * the certificate number and the PDF's file name).
 * With CERT_CHECK_TIMES, start and end lie in [CERT_TIME_MIN, now + 1 day]
 * and the end is not before the start.
 *
 * Errors name the field as a person knows it ("operator name", "serial
 * number") and what is wrong with it, in one line.
 */
#ifndef CERTS_VALIDATE_H
#define CERTS_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "certs/record.h"

/* 2020-01-01T00:00:00Z: no Tabula record is older. */
#define CERT_TIME_MIN INT64_C(1577836800)
/* How far past the station's clock a time may lie (clock skew). */
#define CERT_TIME_SKEW INT64_C(86400)
#define CERT_STATION_ID_MAX 40

enum {
	CERT_CHECK_TIMES = 1,		/* also the start and end times */
};

/*
 * Check one text value @s for the field called @what (in the user's terms)
 * against the rules above, with @max bytes at most; @required refuses "".
 * 0, or -EINVAL with the reason in @err.
 */
int cert_text_check(const char *s, size_t max, bool required, const char *what, char *err,
		    size_t errlen);

/* The byte limit of a text field whose buffer is @size bytes. */
size_t cert_field_limit(size_t size);

/*
 * @s with surrounding white space removed, inner runs of white space (ASCII,
 * NBSP, U+3000) made one space and ASCII letters lower-cased, into @out.
 * For telling whether two names are one person.
 */
void cert_name_normalise(const char *s, char *out, size_t len);

/* The people: both names given, every field valid, two different persons. */
/*
 * Is @id a station name certificates may carry (the first part of every
 * number): 1..CERT_STATION_ID_MAX letters, digits, '-', '_' and '.' (not
 * first)? 0 or -EINVAL with the reason in @err (may be NULL).
 */
int cert_station_id_check(const char *id, char *err, size_t errlen);
int cert_people_check(const struct cert_people *who, char *err, size_t errlen);
/* The origin's fields. */
int cert_origin_check(const struct cert_origin *o, char *err, size_t errlen);

/*
 * The whole record: people, origin, station id, every text field of the
 * medium, method, steps, destruction and destination, and with
 * CERT_CHECK_TIMES the times against @now. 0 or -EINVAL with @err.
 */
int cert_record_check(const struct cert_record *r, unsigned flags, int64_t now, char *err,
		      size_t errlen);

/*
 * Decode @canon (the encoding of @r) and check it gives @r back, field by
 * field, and re-encodes to the same bytes. 0, -EINVAL with the first field
 * that differs in @err, or -ENOMEM.
 */
int cert_record_roundtrip(const struct cert_record *r, const char *canon, size_t len, char *err,
			  size_t errlen);

#endif
