/* SPDX-License-Identifier: GPL-3.0-or-later */
/* certs_issue: append a record and write its certificate. */
#include "config.h"

#include "certs/issue.h"

#include <errno.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "certs/ledger.h"
#include "certs/policy.h"
#include "certs/pdf.h"
#include "certs/preflight.h"
#include "certs/validate.h"
#include "wiper/base/base.h"

int certs_errf(char *err, size_t errlen, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rc = base_verrf(err, errlen, rc, fmt, ap);
	va_end(ap);
	return rc;
}

int certs_issue_record(const char *ledger_path, struct cert_record *r,
		       const struct cert_issue_opts *o, char *pdf_path_out, size_t pathlen,
		       char *err, size_t errlen)
{
	static const struct cert_issue_opts none = { 0 };
	struct cert_ledger *l = NULL;
	struct cert_entry e = { 0 };
	struct cbuf pdf = { 0 };
	char dirbuf[4096], path[4096], lerrbuf[512];
	const char *dir, *lang;
	uint8_t sha[CERT_HASH_LEN];
	int rc, n;

	if (!o)
		o = &none;
	/* A destruction record is dated by its front end: the station's offset at its end. */
	if (r->version != 2 && !r->utc_offset)
		r->utc_offset = cert_utc_offset(r->end);
	/* Refused before the ledger (or its key) is even created. */
	if ((rc = cert_record_check(r, CERT_CHECK_TIMES, (int64_t)time(NULL), err, errlen)) ||
	    (rc = certs_ledger_path_ok(ledger_path, err, errlen)))
		return rc;
	/* A job's certificate belongs in the ledger the job was noted in, never a new one. */
	rc = cert_ledger_open(ledger_path, o->job_id ? 0 : CERT_LEDGER_CREATE, &l, lerrbuf,
			      sizeof(lerrbuf));
	if (rc)
		return certs_errf(err, errlen, rc, "%s", lerrbuf);
	rc = o->key_path ? cert_ledger_use_key(l, o->key_path) :
			   cert_ledger_use_custody_spec(l, o->custody);
	if (rc) {
		certs_errf(err, errlen, rc, "%s", cert_ledger_error(l));
		goto out;
	}
	/*
	 * A front end that was given no station name (no station =, --station or
	 * $TABULA_STATION) takes the chain's own, so the CLI and the station number
	 * one ledger alike; a name that was given and differs is refused by the
	 * append, before anything is written.
	 */
	if (!o->station_id && !getenv("TABULA_STATION")) {
		char chain[sizeof(r->station_id)];

		rc = cert_ledger_station_name(l, chain, sizeof(chain));
		if (rc < 0) {
			certs_errf(err, errlen, rc, "%s", cert_ledger_error(l));
			goto out;
		}
		if (rc == 0)
			snprintf(r->station_id, sizeof(r->station_id), "%s", chain);
	}
	if ((rc = cert_ledger_append_job(l, r, o->job_id, &e))) {
		certs_errf(err, errlen, rc, "%s", cert_ledger_error(l));
		goto out;
	}
	/* The record is durable from here on; a PDF failure is reported but does not undo it. */
	lang = o->lang ? o->lang : cert_ledger_lang(l);
	if ((rc = cert_pdf_render(&e, lang, &pdf, err, errlen))) {
		if (rc > 0)
			rc = -EIO;	/* keep a -errno (e.g. -ENOENT: no CJK font) as it came */
		goto out;
	}
	if (o->pdf_dir) {
		dir = o->pdf_dir;
	} else {
		n = snprintf(dirbuf, sizeof(dirbuf), "%s", ledger_path);
		if (n < 0 || (size_t)n >= sizeof(dirbuf)) {
			rc = certs_errf(err, errlen, -ENAMETOOLONG, "%s: the ledger's path is too long",
					ledger_path);
			goto out;
		}
		dir = dirname(dirbuf);
	}
	n = snprintf(path, sizeof(path), "%s/%s.pdf", dir, e.cert_no);
	if (n < 0 || (size_t)n >= sizeof(path)) {
		rc = certs_errf(err, errlen, -ENAMETOOLONG,
				"%s: the certificate PDF's path would be too long", dir);
		goto out;
	}
	/* A PDF never lands on the ledger, its working files or its key. */
	if ((rc = certs_output_check(path, true, ledger_path, o->key_path, err, errlen))) {
		rc = -EIO;
		goto out;
	}
	if ((rc = cert_write_file_new(path, pdf.p, pdf.len))) {
		if (rc == -EEXIST)
			certs_errf(err, errlen, -EIO, "%s already holds another certificate: it is"
				   " not overwritten (record %" PRIu64 " is in the ledger; write its PDF"
				   " elsewhere with certs pdf, and find out where the other came from)",
				   path, e.seq);
		else
			certs_errf(err, errlen, -EIO, "write %s: %s", path, strerror(-rc));
		rc = -EIO;
		goto out;
	}
	cert_sha256(pdf.p, pdf.len, sha);
	if ((rc = cert_ledger_pdf_put(l, e.fp, e.seq, lang, sha))) {
		certs_errf(err, errlen, -EIO, "%s", cert_ledger_error(l));
		rc = -EIO;
		goto out;
	}
	if (pdf_path_out && pathlen) {
		n = snprintf(pdf_path_out, pathlen, "%s", path);
		if (n < 0 || (size_t)n >= pathlen)
			rc = certs_errf(err, errlen, -ENAMETOOLONG,
					"the certificate PDF's path is too long");
	}
out:
	cbuf_done(&pdf);
	cert_entry_done(&e);
	cert_ledger_close(l);
	return rc;
}

int certs_record_build(const struct wiper_job_result *res, const struct cert_people *who,
		       const struct cert_issue_opts *o, struct cert_record **out, char *err,
		       size_t errlen)
{
	static const struct cert_issue_opts none = { 0 };
	struct cert_context ctx = { 0 };
	struct cert_record *r;
	int rc, rc2;

	*out = NULL;
	if (!o)
		o = &none;
	r = cert_record_new();
	if (!r)
		return certs_errf(err, errlen, -ENOMEM, "out of memory");
	ctx.station_id = o->station_id ? o->station_id : getenv("TABULA_STATION");
	ctx.people = who;
	ctx.origin = o->origin;
	ctx.destination = o->destination;
	ctx.destination_details = o->destination_details;
	ctx.notes = o->notes;
	rc = cert_record_from_job(r, res, &ctx, err, errlen);
	if (rc && rc != -EOVERFLOW) {
		cert_record_free(r);
		return rc;
	}
	/* The 保密 rules hold for the destination asked for, before the result narrows it. */
	if ((rc2 = cert_policy_check(o->policy, &r->people, &r->origin, r->kind, o->destination, err,
				     errlen))) {
		cert_record_free(r);
		return rc2;
	}
	/* What this result may be certified for, whichever front end issues it. */
	cert_policy_apply(r);
	/* A value cut to fit exceeds its limit, so the check names it. */
	rc2 = cert_record_check(r, 0, 0, err, errlen);
	if (rc2 || rc) {
		cert_record_free(r);
		return rc2 ? rc2 : -EINVAL;
	}
	*out = r;
	return 0;
}

struct cert_record *certs_build_record(const struct wiper_job_result *res,
				       const struct cert_people *who,
				       const struct cert_issue_opts *o, char *err, size_t errlen)
{
	struct cert_record *r;

	return certs_record_build(res, who, o, &r, err, errlen) ? NULL : r;
}

int certs_issue_opts(const char *ledger_path, const struct wiper_job_result *res,
		     const struct cert_people *who, const struct cert_issue_opts *o,
		     char *cert_no_out, size_t len, char *err, size_t errlen)
{
	struct cert_record *r;
	int rc, n;

	if ((rc = certs_record_build(res, who, o, &r, err, errlen)))
		return rc;
	rc = certs_issue_record(ledger_path, r, o, NULL, 0, err, errlen);
	if (r->cert_no[0] && cert_no_out && len) {
		n = snprintf(cert_no_out, len, "%s", r->cert_no);
		if (n < 0 || (size_t)n >= len)
			rc = rc ? rc : certs_errf(err, errlen, -ENAMETOOLONG,
						  "the certificate number is too long");
	}
	cert_record_free(r);
	return rc;
}

int certs_issue(const char *ledger_path, const struct wiper_job_result *res,
		const struct cert_people *who, char *cert_no_out, size_t len, char *err,
		size_t errlen)
{
	return certs_issue_opts(ledger_path, res, who, NULL, cert_no_out, len, err, errlen);
}
