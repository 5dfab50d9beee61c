/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Ledger verification of everything in the file that is not a signed record: schema, columns, settings, notes, open jobs, SQLite's integrity. */
#include "config.h"

#include "certs/ledger.h"
#include "certs/ledger-impl.h"

#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "certs/chain.h"
#include "certs/record.h"

/* ---- the rest of the file: every byte that is not a signed record ---- */


static void *icheck_run(void *arg)
{
	struct icheck *c = arg;
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;

	if (sqlite3_open_v2(c->path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) ==
	    SQLITE_OK) {
		sqlite3_busy_timeout(db, 10000);
		sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
		sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
		if (sqlite3_prepare_v2(db, "PRAGMA integrity_check(1)", -1, &st, NULL) == SQLITE_OK) {
			if (sqlite3_step(st) == SQLITE_ROW) {
				const char *m = (const char *)sqlite3_column_text(st, 0);

				snprintf(c->msg, sizeof(c->msg), "%s", m ? m : "no answer");
			} else {
				snprintf(c->msg, sizeof(c->msg), "failed: %s", sqlite3_errmsg(db));
			}
			c->done = true;
		}
		sqlite3_finalize(st);
	}
	sqlite3_close_v2(db);
	return NULL;
}

/* Start the check in the background when the ledger is a file; false: do it in line. */
bool ledger_icheck_start(struct cert_ledger *l, struct icheck *c)
{
	memset(c, 0, sizeof(*c));
	if (l->adopted || !strcmp(l->path, ":memory:") || access(l->path, R_OK) != 0 ||
	    !(c->path = strdup(l->path)))
		return false;
	if (pthread_create(&c->tid, NULL, icheck_run, c) != 0) {
		free(c->path);
		c->path = NULL;
		return false;
	}
	return true;
}

/* The background check's answer: 0, or 1 after ledger_vfail(); false in @*answered when it had none. */
int ledger_icheck_finish(struct icheck *c, struct cert_verify *v, int rc, bool *answered)
{
	pthread_join(c->tid, NULL);
	free(c->path);
	*answered = c->done;
	if (rc || !c->done || !strcmp(c->msg, "ok"))
		return rc;
	return ledger_vfail(v, "", 0, NULL, "the ledger file is damaged (SQLite's integrity check: %s)",
		     c->msg);
}

/* SQLite's own check of every page, b-tree, index entry and row. */
int ledger_verify_integrity(struct cert_ledger *l, struct cert_verify *v)
{
	sqlite3_stmt *st = NULL;
	const char *msg;
	int rc, src;

	rc = ledger_prep(l, "cert_ledger_verify", "PRAGMA integrity_check(1)", &st);
	if (rc)
		return rc;
	src = sqlite3_step(st);
	if (src == SQLITE_ROW) {
		msg = (const char *)sqlite3_column_text(st, 0);
		if (!msg || strcmp(msg, "ok") != 0)
			rc = ledger_vfail(v, "", 0, NULL, "the ledger file is damaged (SQLite's integrity"
				   " check: %s)", msg ? msg : "no answer");
	} else {
		rc = ledger_vfail(v, "", 0, NULL, "the ledger file is damaged (SQLite's integrity check"
			   " failed: %s)", sqlite3_errmsg(l->db));
	}
	sqlite3_finalize(st);
	return rc;
}

/*
 * The schema is the ledger's, object by object and character by character:
 * no trigger dropped (records deleted behind it) or redefined, no index,
 * view or trigger of anyone else's (one that rewrites what readers see or
 * swallows what the station writes). See ledger-schema.c.
 */
int ledger_verify_schema(struct cert_ledger *l, struct cert_verify *v, bool *unique_index)
{
	struct ledger_schema_report r;
	char why[256];
	int rc = ledger_schema_check(l, &r);

	*unique_index = r.unique_index;
	if (rc == 1)
		return ledger_vfail(v, "", 0, NULL, "%s", ledger_schema_finding(&r, why, sizeof(why)));
	return rc;
}

/* Every column a reader selects is there, under its name. */
int ledger_verify_columns(struct cert_ledger *l, struct cert_verify *v)
{
	static const char *const probes[] = {
		"SELECT fp, seq, cert_no, serial, ended, issued, record, prev_hash, hash, sig"
		" FROM records LIMIT 0",
		"SELECT fp, pubkey, station_id FROM stations LIMIT 0",
		"SELECT key, value FROM meta LIMIT 0",
		"SELECT fp, seq, lang, sha256 FROM pdfs LIMIT 0",
		"SELECT id, boot_id, pid, pid_start, started, serial, record FROM open_jobs LIMIT 0",
	};
	/* (the last: only where the table is, the first ledgers had none) */
	size_t nprobes = sizeof(probes) / sizeof(probes[0]) -
			 !ledger_has_column(l, "open_jobs", "id");
	sqlite3_stmt *st = NULL;
	size_t i;

	for (i = 0; i < nprobes; i++) {
		if (sqlite3_prepare_v2(l->db, probes[i], -1, &st, NULL) != SQLITE_OK)
			return ledger_vfail(v, "", 0, NULL, "the ledger's tables were changed by hand (%s)",
				     sqlite3_errmsg(l->db));
		sqlite3_finalize(st);
		st = NULL;
	}
	if (l->has_trust && sqlite3_prepare_v2(l->db, "SELECT n, fp, action, name, at, reason, prev,"
					       " hash FROM trust_log LIMIT 0", -1, &st, NULL) != SQLITE_OK)
		return ledger_vfail(v, "", 0, NULL, "the ledger's tables were changed by hand (%s)",
			     sqlite3_errmsg(l->db));
	sqlite3_finalize(st);
	st = NULL;
	if (l->jobs_signed && sqlite3_prepare_v2(l->db, "SELECT sig FROM open_jobs LIMIT 0", -1, &st,
						 NULL) != SQLITE_OK)
		return ledger_vfail(v, "", 0, NULL, "the ledger's tables were changed by hand (%s)",
			     sqlite3_errmsg(l->db));
	sqlite3_finalize(st);
	return 0;
}

/* The settings: only the known ones, each with a value it can have. */
int ledger_verify_meta(struct cert_ledger *l, struct cert_verify *v)
{
	sqlite3_stmt *st = NULL;
	int rc, src;

	rc = ledger_prep(l, "cert_ledger_verify", "SELECT key, value FROM meta ORDER BY key", &st);
	if (rc)
		return rc;
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(st, 0);
		const char *val = (const char *)sqlite3_column_text(st, 1);
		bool ok = false;

		if (!k || !val || sqlite3_column_type(st, 1) != SQLITE_TEXT)
			ok = false;
		else if (!strcmp(k, "format"))
			ok = !strcmp(val, LEDGER_FORMAT);
		else if (!strcmp(k, "lang"))
			ok = !strcmp(val, "en") || !strcmp(val, "zh");
		else if (!strcmp(k, "station_fp"))
			ok = strlen(val) == CERT_FP_HEX - 1 && strspn(val, "0123456789abcdef") ==
			     CERT_FP_HEX - 1;
		else if (!strcmp(k, "export_upto")) {
			char *end;
			unsigned long long n;

			errno = 0;
			n = strtoull(val, &end, 10);
			ok = val[0] >= '1' && val[0] <= '9' && !*end && !errno;
			v->export_upto = n;
		}
		if (!ok) {
			rc = ledger_vfail(v, "", 0, NULL, "the ledger's setting \"%.32s\" is not one Tabula"
				   " writes (altered)", k ? k : "");
			break;
		}
	}
	if (!rc && src != SQLITE_DONE)
		rc = ledger_sqerr(l, "cert_ledger_verify", src);
	sqlite3_finalize(st);
	return rc;
}

/* One SQL probe that names a row when something is wrong. */
int ledger_verify_probe(struct cert_ledger *l, struct cert_verify *v, const char *sql,
			const char *why)
{
	sqlite3_stmt *st = NULL;
	int rc, src;

	rc = ledger_prep(l, "cert_ledger_verify", sql, &st);
	if (rc)
		return rc;
	src = sqlite3_step(st);
	if (src == SQLITE_ROW)
		rc = ledger_vfail(v, (const char *)sqlite3_column_text(st, 0),
			   (uint64_t)sqlite3_column_int64(st, 1),
			   (const char *)sqlite3_column_text(st, 2), "%s", why);
	else if (src != SQLITE_DONE)
		rc = ledger_sqerr(l, "cert_ledger_verify", src);
	sqlite3_finalize(st);
	return rc;
}


/* An open job the station did not sign. */
int ledger_job_checked(const struct cert_open_job *j, void *arg)
{
	struct jobcheck *c = arg;

	if (j->sig_ok)
		return 0;
	c->rc = ledger_vfail(c->v, c->fp, 0, NULL, "open job %lld (serial %.64s) is not signed by the"
		      " station key (inserted or altered): certs recover will not certify it",
		      (long long)j->id, j->serial);
	return 1;
}

/* The name a station is stored under must be the one its first signed record gives. */
int ledger_verify_station_names(struct cert_ledger *l, struct cert_verify *v)
{
	sqlite3_stmt *st = NULL;
	char err[128];
	int rc, src;

	if (!l->rec && !(l->rec = cert_record_new()))
		return ledger_err(l, -ENOMEM, "out of memory");
	rc = ledger_prep(l, "cert_ledger_verify", "SELECT s.fp, s.station_id, r.record, r.cert_no"
			 " FROM stations s JOIN records r ON r.fp = s.fp AND r.seq = 1", &st);
	if (rc)
		return rc;
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 1);

		if (cert_record_decode(sqlite3_column_blob(st, 2), (size_t)sqlite3_column_bytes(st, 2),
				       l->rec, err, sizeof(err)) != 0 ||
		    !name || strcmp(name, l->rec->station_id[0] ? l->rec->station_id : "TABULA")) {
			rc = ledger_vfail(v, (const char *)sqlite3_column_text(st, 0), 1,
				   (const char *)sqlite3_column_text(st, 3), "the station's stored name"
				   " differs from the one its first signed record gives (altered)");
			break;
		}
	}
	if (!rc && src != SQLITE_DONE && src != SQLITE_ROW)
		rc = ledger_sqerr(l, "cert_ledger_verify", src);
	sqlite3_finalize(st);
	return rc;
}
