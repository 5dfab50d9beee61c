/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The ledger's open_jobs table: jobs under way, outside every chain (see journal.c). */
#include "config.h"

#include "certs/ledger.h"
#include "certs/ledger-impl.h"

#include <errno.h>
#include <stdio.h>

/*
 * Job ids are random, not counted: a certificate held while its records
 * medium was away must never end a job of the same id in another ledger
 * (ids counted from 1 would meet in every ledger; serial-less media share
 * the empty serial). 62 random bits; a clash within one ledger is retried.
 */
int cert_ledger_job_add(struct cert_ledger *l, const struct cert_open_job *j, int64_t *id)
{
	sqlite3_stmt *st = NULL;
	uint64_t r = 0;
	int rc, src, tries;

	rc = ledger_prep(l, "cert_ledger_job_add",
		  "INSERT INTO open_jobs(id, boot_id, pid, pid_start, started, serial, record)"
		  " VALUES(?, ?, ?, ?, ?, ?, ?)", &st);
	if (rc)
		return rc;
	for (tries = 0; tries < 8; tries++) {
		sqlite3_randomness(sizeof(r), &r);
		r = (r >> 2) | 1;	/* positive, never 0 (0 means "no job") */
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, (sqlite3_int64)r);
		sqlite3_bind_text(st, 2, j->boot_id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, j->pid);
		sqlite3_bind_int64(st, 4, (sqlite3_int64)j->pid_start);
		sqlite3_bind_int64(st, 5, j->started);
		sqlite3_bind_text(st, 6, j->serial, -1, SQLITE_STATIC);
		sqlite3_bind_blob(st, 7, j->record, (int)j->record_len, SQLITE_STATIC);
		src = sqlite3_step(st);
		if (src != SQLITE_CONSTRAINT)
			break;
	}
	if (src != SQLITE_DONE)
		rc = ledger_sqerr(l, "cert_ledger_job_add", src);
	else
		*id = (int64_t)r;
	sqlite3_finalize(st);
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
		rc = ledger_err(l, -ESRCH, "cert_ledger_append: %s holds no open job %lld for serial"
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
	sqlite3_stmt *st = NULL;
	int rc, src;

	rc = ledger_prep(l, "cert_ledger_each_job",
		  "SELECT id, boot_id, pid, pid_start, started, serial, record FROM open_jobs"
		  " ORDER BY id", &st);
	if (rc)
		return rc;
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		struct cert_open_job j = { 0 };

		j.id = sqlite3_column_int64(st, 0);
		snprintf(j.boot_id, sizeof(j.boot_id), "%s", (const char *)sqlite3_column_text(st, 1));
		j.pid = sqlite3_column_int64(st, 2);
		j.pid_start = (uint64_t)sqlite3_column_int64(st, 3);
		j.started = sqlite3_column_int64(st, 4);
		snprintf(j.serial, sizeof(j.serial), "%s", (const char *)sqlite3_column_text(st, 5));
		j.record = sqlite3_column_blob(st, 6);
		j.record_len = (size_t)sqlite3_column_bytes(st, 6);
		if (!j.record)
			j.record = "";
		if ((rc = cb(&j, arg)))
			break;
	}
	if (!rc && src != SQLITE_DONE)
		rc = ledger_sqerr(l, "cert_ledger_each_job", src);
	sqlite3_finalize(st);
	return rc;
}
