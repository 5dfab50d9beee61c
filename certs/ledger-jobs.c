/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The ledger's open_jobs table: jobs under way, outside every chain (see journal.c). */
#include "config.h"

#include "certs/ledger.h"
#include "certs/ledger-impl.h"
#include "certs/custody.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certs/record.h"

void ledger_job_digest(const struct cert_open_job *j, uint8_t out[CERT_HASH_LEN])
{
	char head[512];
	uint8_t h[CERT_HASH_LEN];
	int n;

	/* Lengths first, so no field's bytes can pass for another's. */
	n = snprintf(head, sizeof(head), "tabula-open-job-1\n%" PRId64 "\n%zu:%s\n%" PRId64 "\n%"
		     PRIu64 "\n%" PRId64 "\n%zu:%s\n%zu\n", j->id, strlen(j->boot_id), j->boot_id,
		     j->pid, j->pid_start, j->started, strlen(j->serial), j->serial, j->record_len);
	if (n < 0 || (size_t)n >= sizeof(head))
		n = 0;		/* cannot happen: the fields are bounded */
	cert_sha256(head, (size_t)n, h);
	cert_chain_hash(h, j->record, j->record_len, out);
}

bool ledger_job_sig_ok(const struct cert_open_job *j, const uint8_t pub[CERT_PUB_LEN])
{
	uint8_t d[CERT_HASH_LEN];
	struct cert_key *k = NULL;
	bool ok;

	if (!j->sig || cert_key_from_public(pub, &k) != 0)
		return false;
	ledger_job_digest(j, d);
	ok = cert_verify_sig(k, d, j->sig) == 0;
	cert_key_free(k);
	return ok;
}

/* The station id the job's record names, for registering the station with its first job. */
static void job_station_id(struct cert_ledger *l, const struct cert_open_job *j, char *id,
			   size_t len)
{
	char err[64];

	snprintf(id, len, "TABULA");
	if (!l->rec && !(l->rec = cert_record_new()))
		return;
	if (cert_record_decode(j->record, j->record_len, l->rec, err, sizeof(err)) == 0 &&
	    l->rec->station_id[0])
		snprintf(id, len, "%s", l->rec->station_id);
}

/*
 * Job ids are random, not counted: a certificate held while its records
 * medium was away must never end a job of the same id in another ledger
 * (ids counted from 1 would meet in every ledger; serial-less media share
 * the empty serial). 62 random bits; a clash within one ledger is retried.
 */
int cert_ledger_job_add(struct cert_ledger *l, const struct cert_open_job *j, int64_t *id)
{
	struct cert_open_job sj = *j;
	uint8_t d[CERT_HASH_LEN], sig[CERT_SIG_LEN];
	char station[CERT_STR];
	sqlite3_stmt *st = NULL;
	uint64_t r = 0;
	int rc, src = SQLITE_DONE, tries;

	/* The row is signed by the station key: recover certifies only what the station noted. */
	if (!l->custody && (rc = cert_ledger_use_custody_spec(l, NULL)))
		return rc;
	if (!l->jobs_signed)
		return ledger_err(l, -EROFS, "the ledger was opened read-only");
	job_station_id(l, j, station, sizeof(station));
	if ((rc = ledger_exec(l, "cert_ledger_job_add", "BEGIN IMMEDIATE")))
		return rc;
	if ((rc = ledger_schema_gate(l)))
		goto out;
	/* The key is on record from the first job, so the job's signature can be checked. */
	if ((rc = ledger_register_station(l, station)))
		goto out;
	rc = ledger_prep(l, "cert_ledger_job_add",
		  "INSERT INTO open_jobs(id, boot_id, pid, pid_start, started, serial, record, sig)"
		  " VALUES(?, ?, ?, ?, ?, ?, ?, ?)", &st);
	if (rc)
		goto out;
	for (tries = 0; tries < 8; tries++) {
		sqlite3_randomness(sizeof(r), &r);
		r = (r >> 2) | 1;	/* positive, never 0 (0 means "no job") */
		sj.id = (int64_t)r;
		sj.sig = NULL;
		ledger_job_digest(&sj, d);
		if ((rc = cert_custody_sign(l->custody, d, sig))) {
			ledger_err(l, rc, "signing failed: %s",
				   cert_custody_error(l->custody));
			goto out;
		}
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, (sqlite3_int64)r);
		sqlite3_bind_text(st, 2, j->boot_id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, j->pid);
		sqlite3_bind_int64(st, 4, (sqlite3_int64)j->pid_start);
		sqlite3_bind_int64(st, 5, j->started);
		sqlite3_bind_text(st, 6, j->serial, -1, SQLITE_STATIC);
		sqlite3_bind_blob(st, 7, j->record, (int)j->record_len, SQLITE_STATIC);
		sqlite3_bind_blob(st, 8, sig, sizeof(sig), SQLITE_TRANSIENT);
		src = sqlite3_step(st);
		if (src != SQLITE_CONSTRAINT)
			break;
	}
	if ((rc = ledger_stored(l, "cert_ledger_job_add", src)))
		goto out;
	sqlite3_finalize(st);
	st = NULL;
	if ((rc = ledger_exec(l, "cert_ledger_job_add", "COMMIT")))
		goto out;
	*id = (int64_t)r;
	return 0;
out:
	sqlite3_finalize(st);
	sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

int ledger_job_end(struct cert_ledger *l, int64_t id, const char *serial)
{
	sqlite3_stmt *st = NULL;
	int rc, src;

	rc = ledger_prep(l, "cert_ledger_append",
			 "DELETE FROM open_jobs WHERE id = ? AND serial = ?", &st);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, serial, -1, SQLITE_STATIC);
	src = sqlite3_step(st);
	if (src != SQLITE_DONE)
		rc = ledger_sqerr(l, "cert_ledger_append", src);
	else if (sqlite3_changes(l->db) != 1)
		rc = ledger_err(l, -ESRCH, "%s holds no open job %lld for serial"
				" %s (the job began in another ledger, or has ended)", l->path,
				(long long)id, serial);
	sqlite3_finalize(st);
	return rc;
}

int cert_ledger_job_drop(struct cert_ledger *l, int64_t id)
{
	sqlite3_stmt *st = NULL;
	int rc, src;

	rc = ledger_prep(l, "cert_ledger_job_drop", "DELETE FROM open_jobs WHERE id = ?", &st);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	src = sqlite3_step(st);
	if (src != SQLITE_DONE)
		rc = ledger_sqerr(l, "cert_ledger_job_drop", src);
	sqlite3_finalize(st);
	return rc;
}

int cert_ledger_each_job(struct cert_ledger *l,
			 int (*cb)(const struct cert_open_job *j, void *arg), void *arg)
{
	uint8_t pub[CERT_PUB_LEN];
	sqlite3_stmt *st = NULL;
	bool have_pub;
	int rc, src;

	/* The first ledgers had no open jobs table: no job is open in them. */
	if (!ledger_has_column(l, "open_jobs", "id"))
		return 0;
	rc = ledger_own_pub(l, pub);
	if (rc && rc != -ENOENT)
		return rc;
	have_pub = rc == 0;
	rc = ledger_prep(l, "cert_ledger_each_job", l->jobs_signed ?
		  "SELECT id, boot_id, pid, pid_start, started, serial, record, sig FROM open_jobs"
		  " ORDER BY id" :
		  "SELECT id, boot_id, pid, pid_start, started, serial, record, NULL FROM open_jobs"
		  " ORDER BY id", &st);
	if (rc)
		return rc;
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		struct cert_open_job j = { 0 };
		const char *t;

		j.id = sqlite3_column_int64(st, 0);
		t = (const char *)sqlite3_column_text(st, 1);
		snprintf(j.boot_id, sizeof(j.boot_id), "%s", t ? t : "");
		j.pid = sqlite3_column_int64(st, 2);
		j.pid_start = (uint64_t)sqlite3_column_int64(st, 3);
		j.started = sqlite3_column_int64(st, 4);
		t = (const char *)sqlite3_column_text(st, 5);
		snprintf(j.serial, sizeof(j.serial), "%s", t ? t : "");
		j.record = sqlite3_column_blob(st, 6);
		j.record_len = (size_t)sqlite3_column_bytes(st, 6);
		if (!j.record)
			j.record = "";
		if (sqlite3_column_bytes(st, 7) == CERT_SIG_LEN)
			j.sig = sqlite3_column_blob(st, 7);
		j.sig_ok = have_pub && ledger_job_sig_ok(&j, pub);
		if ((rc = cb(&j, arg)))
			break;
	}
	if (!rc && src != SQLITE_DONE)
		rc = ledger_sqerr(l, "cert_ledger_each_job", src);
	sqlite3_finalize(st);
	return rc;
}
