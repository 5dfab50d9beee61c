/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Moving chains between ledgers: merge into a registry, export a copy. */
#include "config.h"

#include "certs/ledger.h"
#include "certs/ledger-impl.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "certs/record.h"
#include "certs/trust.h"
#include "wiper/base/base.h"

/* The last record of station @fp in @l: seq (0 when none) and its number. */
static int last_record(struct cert_ledger *l, const char *fp, uint64_t *seq, char *cert_no,
		       size_t len)
{
	sqlite3_stmt *st = NULL;
	int rc, src;

	*seq = 0;
	cert_no[0] = '\0';
	rc = ledger_prep(l, "cert_ledger_merge", "SELECT seq, cert_no FROM records WHERE fp = ?"
			 " ORDER BY seq DESC LIMIT 1", &st);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, fp, -1, SQLITE_STATIC);
	src = sqlite3_step(st);
	if (src == SQLITE_ROW) {
		*seq = (uint64_t)sqlite3_column_int64(st, 0);
		snprintf(cert_no, len, "%s", (const char *)sqlite3_column_text(st, 1));
	} else if (src != SQLITE_DONE) {
		rc = ledger_sqerr(l, "cert_ledger_merge", src);
	}
	sqlite3_finalize(st);
	return rc;
}

int cert_merge_rule(struct cert_ledger *src, const struct cert_trust *tr, const char *fp,
		    const char *station_id, uint64_t have, const char *have_no, char *why,
		    size_t whylen)
{
	char src_no[64], upto[32], t[32];
	uint64_t src_seq;
	int rc;

	if ((rc = last_record(src, fp, &src_seq, src_no, sizeof(src_no))))
		return base_errf(why, whylen, rc, "%s", cert_ledger_error(src));
	if (tr->state == CERT_TRUST_UNKNOWN)
		return base_errf(why, whylen, -EKEYREJECTED, "station %s (key %.16s...) is not enrolled"
				 " in the registry: compare its fingerprint with the enrolment sheet"
				 " and enrol it with certs trust add; nothing merged", station_id, fp);
	if (src_seq < have) {
		if (ledger_meta_get(src, "export_upto", upto, sizeof(upto)))
			upto[0] = '\0';
		return base_errf(why, whylen, -EBADMSG, "station %s (key %.16s...): the ledger ends at"
				 " record %" PRIu64 " (%s) but the registry already holds up to record %"
				 PRIu64 " (%s): the ledger was cut or rolled back%s%s%s; nothing merged",
				 station_id, fp, src_seq, src_no[0] ? src_no : "none", have, have_no,
				 upto[0] ? " (it is an export cut at record " : "", upto,
				 upto[0] ? ")" : "");
	}
	if (tr->state == CERT_TRUST_REVOKED && src_seq > have)
		return base_errf(why, whylen, -EKEYREVOKED, "station %s (key %.16s...) was revoked on"
				 " %s%s%s: its records after record %" PRIu64 " are not taken; nothing"
				 " merged", station_id, fp, cert_time_str(tr->revoked, t, sizeof(t)),
				 tr->reason[0] ? ": " : "", tr->reason, have);
	return 0;
}

/* May the chain of station @fp in @src go into @dst? (cert_merge_rule) */
static int merge_allowed(struct cert_ledger *dst, struct cert_ledger *src, const char *fp,
			 const char *station_id)
{
	char have_no[64], why[768];
	struct cert_trust tr;
	uint64_t have;
	int rc;

	if ((rc = cert_trust_get(dst, fp, &tr)))
		return rc;
	if ((rc = last_record(dst, fp, &have, have_no, sizeof(have_no))))
		return rc;
	if ((rc = cert_merge_rule(src, &tr, fp, station_id, have, have_no, why, sizeof(why))))
		return ledger_err(dst, rc, "%s", why);
	return 0;
}

/*
 * Station @fp's records from @src into @dst: those it holds already must be
 * the very same (else a fork), the rest are added and counted in @added.
 */
static int merge_records(struct cert_ledger *dst, struct cert_ledger *src, const char *fp,
			 uint64_t *added)
{
	sqlite3_stmt *sr = NULL, *ins = NULL, *dh = NULL;
	uint8_t hh[CERT_HASH_LEN];
	uint64_t have;
	int rc, s;

	if ((rc = ledger_head_of(dst, fp, &have, hh, NULL, NULL)))
		goto out;
	rc = ledger_prep(src, "cert_ledger_merge",
		  "SELECT fp, seq, cert_no, serial, ended, issued, record, prev_hash, hash, sig"
		  " FROM records WHERE fp = ? ORDER BY seq", &sr);
	if (rc) {
		ledger_err(dst, rc, "%s", src->err);
		goto out;
	}
	sqlite3_bind_text(sr, 1, fp, -1, SQLITE_TRANSIENT);
	rc = ledger_prep(dst, "cert_ledger_merge",
		  "INSERT INTO records VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", &ins);
	if (rc)
		goto out;
	rc = ledger_prep(dst, "cert_ledger_merge", "SELECT hash FROM records WHERE fp = ? AND seq = ?",
		  &dh);
	if (rc)
		goto out;
	while ((s = sqlite3_step(sr)) == SQLITE_ROW) {
		uint64_t seq = (uint64_t)sqlite3_column_int64(sr, 1);
		int c;

		if (seq <= have) {
			/* Already held: it must be the very same record. */
			sqlite3_reset(dh);
			sqlite3_bind_text(dh, 1, fp, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(dh, 2, (sqlite3_int64)seq);
			if (sqlite3_step(dh) != SQLITE_ROW ||
			    sqlite3_column_bytes(dh, 0) != CERT_HASH_LEN ||
			    memcmp(sqlite3_column_blob(dh, 0), sqlite3_column_blob(sr, 8),
				   CERT_HASH_LEN) != 0) {
				rc = ledger_err(dst, -EBADMSG, "station key %.16s...: record %" PRIu64
					  " (%s) differs from the one the registry holds (a fork:"
					  " the chain was rewritten from there); nothing merged", fp,
					  seq, (const char *)sqlite3_column_text(sr, 2));
				goto out;
			}
			continue;
		}
		sqlite3_reset(ins);
		for (c = 0; c < 10; c++)
			sqlite3_bind_value(ins, c + 1, sqlite3_column_value(sr, c));
		s = sqlite3_step(ins);
		if ((rc = ledger_stored(dst, "cert_ledger_merge", s)))
			goto out;
		(*added)++;
	}
	if (s != SQLITE_DONE) {
		rc = ledger_err(dst, -EIO, "reading %s failed", src->path);
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(sr);
	sqlite3_finalize(ins);
	sqlite3_finalize(dh);
	return rc;
}

/* Keep the issued PDFs' hashes too. */
static int merge_pdfs(struct cert_ledger *dst, struct cert_ledger *src)
{
	sqlite3_stmt *ss = NULL, *ins = NULL;
	int rc, s;

	rc = ledger_prep(src, "cert_ledger_merge", "SELECT fp, seq, lang, sha256 FROM pdfs", &ss);
	if (rc) {
		ledger_err(dst, rc, "%s", src->err);
		return rc;
	}
	rc = ledger_prep(dst, "cert_ledger_merge", "INSERT OR IGNORE INTO pdfs VALUES(?, ?, ?, ?)", &ins);
	while (!rc && (s = sqlite3_step(ss)) == SQLITE_ROW) {
		int c;

		sqlite3_reset(ins);
		for (c = 0; c < 4; c++)
			sqlite3_bind_value(ins, c + 1, sqlite3_column_value(ss, c));
		if (sqlite3_step(ins) != SQLITE_DONE)
			rc = ledger_sqerr(dst, "cert_ledger_merge", s);
	}
	sqlite3_finalize(ss);
	sqlite3_finalize(ins);
	return rc;
}

int cert_ledger_merge(struct cert_ledger *dst, struct cert_ledger *src, uint64_t *added)
{
	struct cert_verify v;
	sqlite3_stmt *ss = NULL;
	bool in_tx = false;
	int rc, s;

	*added = 0;
	rc = cert_ledger_verify(src, 0, &v);
	if (rc < 0)
		return ledger_err(dst, rc, "%s: %s", src->path, v.reason);
	if (rc > 0)
		return ledger_err(dst, -EBADMSG, "%s does not verify: record %" PRIu64
			    " of station %.16s: %s", src->path, v.bad_seq, v.fp, v.reason);
	if ((rc = ledger_exec(dst, "cert_ledger_merge", "BEGIN IMMEDIATE")))
		return rc;
	in_tx = true;
	if ((rc = ledger_schema_gate(dst)))
		goto out;
	{
		uint8_t th[CERT_HASH_LEN];
		uint64_t tn;
		char why[256];

		rc = cert_trust_check(dst, &tn, th, why, sizeof(why));
		if (rc > 0)
			rc = ledger_err(dst, -EBADMSG, "the registry's trust log does not verify: %s;"
					" nothing merged", why);
		if (rc)
			goto out;
	}
	rc = ledger_prep(src, "cert_ledger_merge", "SELECT fp, pubkey, station_id FROM stations", &ss);
	if (rc) {
		ledger_err(dst, rc, "%s", src->err);
		goto out;
	}
	while ((s = sqlite3_step(ss)) == SQLITE_ROW) {
		const char *fp = (const char *)sqlite3_column_text(ss, 0);
		sqlite3_stmt *si = NULL;

		if ((rc = merge_allowed(dst, src, fp, (const char *)sqlite3_column_text(ss, 2))))
			goto out;

		rc = ledger_prep(dst, "cert_ledger_merge", "INSERT OR IGNORE INTO stations VALUES(?, ?, ?)",
			  &si);
		if (rc)
			goto out;
		sqlite3_bind_text(si, 1, fp, -1, SQLITE_TRANSIENT);
		sqlite3_bind_blob(si, 2, sqlite3_column_blob(ss, 1), sqlite3_column_bytes(ss, 1),
				  SQLITE_TRANSIENT);
		sqlite3_bind_text(si, 3, (const char *)sqlite3_column_text(ss, 2), -1,
				  SQLITE_TRANSIENT);
		s = sqlite3_step(si);
		sqlite3_finalize(si);
		if (s != SQLITE_DONE) {
			rc = ledger_sqerr(dst, "cert_ledger_merge", s);
			goto out;
		}
		if ((rc = merge_records(dst, src, fp, added)))
			goto out;
	}
	if (s != SQLITE_DONE) {
		rc = ledger_err(dst, -EIO, "reading %s failed", src->path);
		goto out;
	}
	sqlite3_finalize(ss);
	ss = NULL;
	if ((rc = merge_pdfs(dst, src)))
		goto out;
	if ((rc = ledger_exec(dst, "cert_ledger_merge", "COMMIT")))
		goto out;
	in_tx = false;
out:
	sqlite3_finalize(ss);
	if (in_tx) {
		sqlite3_exec(dst->db, "ROLLBACK", NULL, NULL, NULL);
		*added = 0;
	}
	return rc;
}

int cert_ledger_export(struct cert_ledger *l, const char *path, uint64_t upto)
{
	struct cert_ledger *c = NULL;
	sqlite3_stmt *st = NULL;
	char err[256];
	int rc, src;

	if (access(path, F_OK) == 0)
		return ledger_err(l, -EEXIST, "%s exists", path);
	/* A verifiable copy is made only of a ledger that verifies. */
	{
		struct cert_verify v;

		rc = cert_ledger_verify(l, 0, &v);
		if (rc == 1)
			return ledger_err(l, -EBADMSG, "%s does not verify (record %" PRIu64 ": %s):"
					  " no copy is made; run certs verify", l->path, v.bad_seq,
					  v.reason);
		if (rc)
			return rc;
	}
	rc = ledger_prep(l, "cert_ledger_export", "VACUUM INTO ?", &st);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	src = sqlite3_step(st);
	sqlite3_finalize(st);
	if (src != SQLITE_DONE)
		return ledger_sqerr(l, "cert_ledger_export", src);
	if (!upto)
		return 0;
	/* A prefix of each chain still verifies on its own. */
	rc = cert_ledger_open(path, 0, &c, err, sizeof(err));
	if (rc)
		return ledger_err(l, rc, "%s", err);
	rc = ledger_prep(c, "cert_ledger_export", "SELECT 1", &st);
	sqlite3_finalize(st);
	st = NULL;
	if (!rc)
		rc = ledger_exec(c, "cert_ledger_export",
			  "DROP TRIGGER records_no_delete; DROP TRIGGER IF EXISTS pdfs_no_delete; BEGIN;");
	if (!rc) {
		rc = ledger_prep(c, "cert_ledger_export", "DELETE FROM records WHERE seq > ?", &st);
		if (!rc) {
			sqlite3_bind_int64(st, 1, (sqlite3_int64)upto);
			src = sqlite3_step(st);
			if (src != SQLITE_DONE)
				rc = ledger_sqerr(c, "cert_ledger_export", src);
			sqlite3_finalize(st);
			st = NULL;
		}
	}
	if (!rc) {
		rc = ledger_prep(c, "cert_ledger_export", "DELETE FROM pdfs WHERE seq > ?", &st);
		if (!rc) {
			sqlite3_bind_int64(st, 1, (sqlite3_int64)upto);
			if (sqlite3_step(st) != SQLITE_DONE)
				rc = ledger_sqerr(c, "cert_ledger_export", SQLITE_ERROR);
			sqlite3_finalize(st);
		}
	}
	if (!rc) {
		/* Say so in the copy: it verifies, but is not the station's whole ledger. */
		rc = ledger_prep(c, "cert_ledger_export",
				 "INSERT OR REPLACE INTO meta VALUES('export_upto', ?)", &st);
		if (!rc) {
			char n[24];

			snprintf(n, sizeof(n), "%" PRIu64, upto);
			sqlite3_bind_text(st, 1, n, -1, SQLITE_TRANSIENT);
			if (sqlite3_step(st) != SQLITE_DONE)
				rc = ledger_sqerr(c, "cert_ledger_export", SQLITE_ERROR);
			sqlite3_finalize(st);
		}
	}
	/* The protecting triggers back, as the schema makes them. */
	if (!rc && !(rc = ledger_exec(c, "cert_ledger_export", "COMMIT")))
		rc = ledger_schema_setup(c);
	if (rc)
		ledger_err(l, rc, "%s", c->err);
	cert_ledger_close(c);
	if (rc)
		unlink(path);
	return rc;
}

