/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The one call a front end needs to certify a finished job: append the
 * record to the ledger (durably, signed) and write its PDF.
 */
#ifndef CERTS_ISSUE_H
#define CERTS_ISSUE_H

#include <stddef.h>
#include <stdint.h>

#include "certs/policy.h"
#include "certs/record.h"

struct wiper_job_result;

/* Optional settings for certs_issue(); all may be NULL / zero. */
struct cert_issue_opts {
	/*
	 * NULL: $TABULA_STATION, else the name the ledger's chain already
	 * carries, else "TABULA". A name that differs from the chain's is refused.
	 */
	const char *station_id;
	const char *pdf_dir;		/* NULL: the ledger's directory */
	const char *lang;		/* NULL: the ledger's setting ("en") */
	const char *key_path;		/* NULL: "<ledger>.key" */
	/*
	 * Key custody spec for cert_custody_open() ("file", "tpm", "tpm:TCTI";
	 * NULL: what the ledger's files say). Ignored when key_path is set.
	 */
	const char *custody;
	const struct cert_origin *origin;
	/* The 保密 rules and classification levels (certs/policy.h); NULL: the defaults. */
	const struct cert_policy_conf *policy;
	enum cert_dest destination;
	const char *destination_details;
	const char *notes;
	int64_t job_id;			/* the open job this certificate ends (certs/journal.h) */
};

/*
 * Certify @res: build the record (cert_record_from_job with @who), append
 * it to the ledger at @ledger_path (created on first use, with its key),
 * then render the PDF to "<dir>/<cert_no>.pdf" and register its SHA-256.
 * The certificate number goes to @cert_no_out (@len >= 64 recommended).
 * Returns 0, or -errno with the reason in @err. If the append succeeded but
 * the PDF failed, the number is still set and -EIO is returned: the record
 * stands, and `certs pdf LEDGER N` renders the same file later.
 */
int certs_issue(const char *ledger_path, const struct wiper_job_result *res,
		const struct cert_people *who, char *cert_no_out, size_t len, char *err,
		size_t errlen);

/* certs_issue() with options. */
int certs_issue_opts(const char *ledger_path, const struct wiper_job_result *res,
		     const struct cert_people *who, const struct cert_issue_opts *o,
		     char *cert_no_out, size_t len, char *err, size_t errlen);

/*
 * The record certs_issue_opts() would append for @res (before the ledger
 * numbers it), into *@out. Every field is checked (certs/validate.h): a
 * value that is not valid text, too long or empty where required, or the
 * same person as operator and witness, is refused with -EINVAL and the
 * field named in @err. 0, -EINVAL or -ENOMEM.
 */
int certs_record_build(const struct wiper_job_result *res, const struct cert_people *who,
		       const struct cert_issue_opts *o, struct cert_record **out, char *err,
		       size_t errlen);
/* certs_record_build() returning the record, or NULL (reason in @err). */
struct cert_record *certs_build_record(const struct wiper_job_result *res,
				       const struct cert_people *who,
				       const struct cert_issue_opts *o, char *err, size_t errlen);

/*
 * Append an already built record @r and write its PDF (as above). Used for
 * destruction records. @pdf_path_out (may be NULL) receives the PDF path.
 */
int certs_issue_record(const char *ledger_path, struct cert_record *r,
		       const struct cert_issue_opts *o, char *pdf_path_out, size_t pathlen,
		       char *err, size_t errlen);

/* Format @fmt into @err (may be NULL); returns @rc. For the front ends' errors too. */
int certs_errf(char *err, size_t errlen, int rc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
