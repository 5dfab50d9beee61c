/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Moving chains between ledgers: merge into a registry, export a copy. */
#include "config.h"

#include "certs/ledger.h"
#include "certs/ledger-impl.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>


int cert_ledger_merge(struct cert_ledger *dst, struct cert_ledger *src, uint64_t *added)
{
	struct cert_verify v;
	sqlite3_stmt *ss = NULL, *sr = NULL, *ins = NULL, *dh = NULL;
	bool in_tx = false;
	int rc, s;

	*added = 0;
	rc = cert_ledger_verify(src, 0, &v);
	if (rc < 0)
		return ledger_err(dst, rc, "cert_ledger_merge: %s: %s", src->path, v.reason);
	if (rc > 0)
		return ledger_err(dst, -EBADMSG, "cert_ledger_merge: %s does not verify: record %" PRIu64
			    " of station %.16s: %s", src->path, v.bad_seq, v.fp, v.reason);
	if ((rc = ledger_exec(dst, "cert_ledger_merge", "BEGIN IMMEDIATE")))
		return rc;
	in_tx = true;
	rc = ledger_prep(src, "cert_ledger_merge", "SELECT fp, pubkey, station_id FROM stations", &ss);
	if (rc) {
		ledger_err(dst, rc, "%s", src->err);
		goto out;
	}
	while ((s = sqlite3_step(ss)) == SQLITE_ROW) {
		const char *fp = (const char *)sqlite3_column_text(ss, 0);
		uint64_t have;
		uint8_t hh[CERT_HASH_LEN];
		sqlite3_stmt *si = NULL;

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
					rc = ledger_err(dst, -EBADMSG, "cert_ledger_merge: station %.16s: record %"
						  PRIu64 " differs from the one in the registry"
						  " (diverging chain); nothing merged", fp, seq);
					goto out;
				}
				continue;
			}
			sqlite3_reset(ins);
			for (c = 0; c < 10; c++)
				sqlite3_bind_value(ins, c + 1, sqlite3_column_value(sr, c));
			s = sqlite3_step(ins);
			if (s != SQLITE_DONE) {
				rc = ledger_sqerr(dst, "cert_ledger_merge", s);
				goto out;
			}
			(*added)++;
		}
		if (s != SQLITE_DONE) {
			rc = ledger_err(dst, -EIO, "cert_ledger_merge: reading %s failed", src->path);
			goto out;
		}
		sqlite3_finalize(sr);
		sqlite3_finalize(ins);
		sqlite3_finalize(dh);
		sr = ins = dh = NULL;
	}
	if (s != SQLITE_DONE) {
		rc = ledger_err(dst, -EIO, "cert_ledger_merge: reading %s failed", src->path);
		goto out;
	}
	/* Keep the issued PDFs' hashes too. */
	sqlite3_finalize(ss);
	ss = NULL;
	rc = ledger_prep(src, "cert_ledger_merge", "SELECT fp, seq, lang, sha256 FROM pdfs", &ss);
	if (rc) {
		ledger_err(dst, rc, "%s", src->err);
		goto out;
	}
	rc = ledger_prep(dst, "cert_ledger_merge", "INSERT OR IGNORE INTO pdfs VALUES(?, ?, ?, ?)", &ins);
	if (rc)
		goto out;
	while ((s = sqlite3_step(ss)) == SQLITE_ROW) {
		int c;

		sqlite3_reset(ins);
		for (c = 0; c < 4; c++)
			sqlite3_bind_value(ins, c + 1, sqlite3_column_value(ss, c));
		if (sqlite3_step(ins) != SQLITE_DONE) {
			rc = ledger_sqerr(dst, "cert_ledger_merge", s);
			goto out;
		}
	}
	if ((rc = ledger_exec(dst, "cert_ledger_merge", "COMMIT")))
		goto out;
	in_tx = false;
out:
	sqlite3_finalize(ss);
	sqlite3_finalize(sr);
	sqlite3_finalize(ins);
	sqlite3_finalize(dh);
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
		return ledger_err(l, -EEXIST, "cert_ledger_export: %s exists", path);
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
		return ledger_err(l, rc, "cert_ledger_export: %s", err);
	rc = ledger_prep(c, "cert_ledger_export", "SELECT 1", &st);
	sqlite3_finalize(st);
	st = NULL;
	if (!rc)
		rc = ledger_exec(c, "cert_ledger_export",
			  "DROP TRIGGER records_no_delete; BEGIN;");
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
	if (!rc)
		rc = ledger_exec(c, "cert_ledger_export",
			  "COMMIT; CREATE TRIGGER records_no_delete BEFORE DELETE ON records"
			  " BEGIN SELECT RAISE(ABORT, 'ledger records are append-only'); END;");
	if (rc)
		ledger_err(l, rc, "%s", c->err);
	cert_ledger_close(c);
	if (rc)
		unlink(path);
	return rc;
}

