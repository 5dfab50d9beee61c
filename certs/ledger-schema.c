/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The ledger's schema: what it is, how an older ledger is brought up to it,
 * and whether a file's schema is exactly it.
 *
 * SQLite runs whatever the file's schema says on every write: a trigger of
 * an insider's ("BEFORE INSERT ON records ... RAISE(IGNORE)") would let the
 * station believe it recorded a certificate that was never stored. So the
 * file's schema is compared, object by object and character by character,
 * with the one this code makes, before anything is written to it and when
 * it is verified.
 */
#include "config.h"

#include "certs/ledger.h"
#include "certs/ledger-impl.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"CREATE TABLE IF NOT EXISTS stations(fp TEXT PRIMARY KEY, pubkey BLOB NOT NULL,"
	" station_id TEXT NOT NULL);"
	"CREATE TABLE IF NOT EXISTS records(fp TEXT NOT NULL, seq INTEGER NOT NULL,"
	" cert_no TEXT NOT NULL, serial TEXT NOT NULL, ended INTEGER NOT NULL,"
	" issued INTEGER NOT NULL, record BLOB NOT NULL, prev_hash BLOB NOT NULL,"
	" hash BLOB NOT NULL, sig BLOB NOT NULL, PRIMARY KEY(fp, seq));"
	"CREATE INDEX IF NOT EXISTS records_serial ON records(serial);"
	"CREATE INDEX IF NOT EXISTS records_cert ON records(cert_no);"
	/* One number, one record per station: a lookup by number is never a choice. */
	"CREATE UNIQUE INDEX IF NOT EXISTS records_cert_unique ON records(fp, cert_no);"
	"CREATE TABLE IF NOT EXISTS pdfs(fp TEXT NOT NULL, seq INTEGER NOT NULL,"
	" lang TEXT NOT NULL, sha256 BLOB NOT NULL, PRIMARY KEY(fp, seq, lang));"
	"CREATE TRIGGER IF NOT EXISTS records_no_update BEFORE UPDATE ON records"
	" BEGIN SELECT RAISE(ABORT, 'ledger records are append-only'); END;"
	"CREATE TRIGGER IF NOT EXISTS records_no_delete BEFORE DELETE ON records"
	" BEGIN SELECT RAISE(ABORT, 'ledger records are append-only'); END;"
	"CREATE TRIGGER IF NOT EXISTS stations_no_update BEFORE UPDATE ON stations"
	" BEGIN SELECT RAISE(ABORT, 'station keys are append-only'); END;"
	"CREATE TRIGGER IF NOT EXISTS stations_no_delete BEFORE DELETE ON stations"
	" BEGIN SELECT RAISE(ABORT, 'station keys are append-only'); END;"
	/* Jobs under way: not part of any chain; see certs/journal.c. */
	"CREATE TABLE IF NOT EXISTS open_jobs(id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" boot_id TEXT NOT NULL, pid INTEGER NOT NULL, pid_start INTEGER NOT NULL,"
	" started INTEGER NOT NULL, serial TEXT NOT NULL, record BLOB NOT NULL,"
	" sig BLOB NOT NULL DEFAULT x'');"
	/*
	 * The stations a records office enrolled, as an append-only log of
	 * enrolments and revocations, each row chained to the one before
	 * (see ledger-trust.c). Empty in a station's own ledger.
	 */
	"CREATE TABLE IF NOT EXISTS trust_log(n INTEGER PRIMARY KEY, fp TEXT NOT NULL,"
	" action TEXT NOT NULL CHECK(action IN ('enrol', 'revoke')), name TEXT NOT NULL,"
	" at INTEGER NOT NULL, reason TEXT NOT NULL, prev BLOB NOT NULL, hash BLOB NOT NULL);"
	"CREATE TRIGGER IF NOT EXISTS trust_no_update BEFORE UPDATE ON trust_log"
	" BEGIN SELECT RAISE(ABORT, 'the trust log is append-only'); END;"
	"CREATE TRIGGER IF NOT EXISTS trust_no_delete BEFORE DELETE ON trust_log"
	" BEGIN SELECT RAISE(ABORT, 'the trust log is append-only'); END;"
	"CREATE TRIGGER IF NOT EXISTS pdfs_no_update BEFORE UPDATE ON pdfs"
	" BEGIN SELECT RAISE(ABORT, 'pdf hashes are append-only'); END;"
	/* (since 2026-12-03: a note deleted let a record be cut with no trace in the file) */
	"CREATE TRIGGER IF NOT EXISTS pdfs_no_delete BEFORE DELETE ON pdfs"
	" BEGIN SELECT RAISE(ABORT, 'pdf hashes are append-only'); END;"
	"INSERT OR IGNORE INTO meta VALUES('format', '" LEDGER_FORMAT "');";

/*
 * open_jobs before its rows were signed (Tabula before 2026-11-25), and
 * what migrate() turns it into: both are a ledger's own.
 */
static const char open_jobs_unsigned[] =
	"CREATE TABLE open_jobs(id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" boot_id TEXT NOT NULL, pid INTEGER NOT NULL, pid_start INTEGER NOT NULL,"
	" started INTEGER NOT NULL, serial TEXT NOT NULL, record BLOB NOT NULL)";
static const char open_jobs_migration[] = "ALTER TABLE open_jobs ADD COLUMN sig BLOB NOT NULL DEFAULT x''";

/*
 * The objects every ledger has had since the first (the first had no
 * open_jobs, no trust log, no unique number index, no pdfs_no_delete);
 * the trust log's triggers came with it.
 */
static const char *const required[] = {
	"meta", "stations", "records", "records_serial", "records_cert", "pdfs",
	"records_no_update", "records_no_delete", "stations_no_update", "stations_no_delete",
	"pdfs_no_update",
};
static const char *const with_trust_log[] = { "trust_no_update", "trust_no_delete" };

/* ---- the reference: the schema above, made once in memory and read back ---- */

struct ref_obj {
	char *type, *name, *tbl, *sql;	/* sql NULL for SQLite's own automatic indexes */
	char *alt[2];			/* older forms of the same object (open_jobs) */
};

static struct {
	pthread_once_t once;
	int rc;
	size_t n;
	struct ref_obj obj[32];
} ref = { .once = PTHREAD_ONCE_INIT };

static char *dup_col(sqlite3_stmt *st, int i)
{
	const char *s = (const char *)sqlite3_column_text(st, i);

	return s ? strdup(s) : NULL;
}

/* The sql of table @name in @db, or NULL. */
static char *table_sql(sqlite3 *db, const char *name)
{
	sqlite3_stmt *st = NULL;
	char *s = NULL;

	if (sqlite3_prepare_v2(db, "SELECT sql FROM sqlite_master WHERE name = ?", -1, &st, NULL) ==
	    SQLITE_OK) {
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			s = dup_col(st, 0);
	}
	sqlite3_finalize(st);
	return s;
}

static void ref_build(void)
{
	sqlite3 *db = NULL, *old = NULL;
	sqlite3_stmt *st = NULL;
	char *alt0 = NULL, *alt1 = NULL;

	ref.rc = -ENOMEM;
	if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY, NULL) ||
	    sqlite3_exec(db, schema, NULL, NULL, NULL) ||
	    sqlite3_open_v2(":memory:", &old, SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY, NULL) ||
	    sqlite3_exec(old, open_jobs_unsigned, NULL, NULL, NULL) ||
	    !(alt0 = table_sql(old, "open_jobs")) ||
	    sqlite3_exec(old, open_jobs_migration, NULL, NULL, NULL) ||
	    !(alt1 = table_sql(old, "open_jobs")) ||
	    sqlite3_prepare_v2(db, "SELECT type, name, tbl_name, sql FROM sqlite_master", -1, &st,
			       NULL))
		goto out;
	while (sqlite3_step(st) == SQLITE_ROW && ref.n < sizeof(ref.obj) / sizeof(ref.obj[0])) {
		struct ref_obj *o = &ref.obj[ref.n++];

		o->type = dup_col(st, 0);
		o->name = dup_col(st, 1);
		o->tbl = dup_col(st, 2);
		o->sql = dup_col(st, 3);
		if (!o->type || !o->name || !o->tbl)
			goto out;
		if (!strcmp(o->name, "open_jobs")) {
			o->alt[0] = alt0;
			o->alt[1] = alt1;
			alt0 = alt1 = NULL;
		}
	}
	ref.rc = ref.n ? 0 : -EIO;
out:
	free(alt0);
	free(alt1);
	sqlite3_finalize(st);
	sqlite3_close_v2(db);
	sqlite3_close_v2(old);
}

static const struct ref_obj *ref_find(const char *name)
{
	for (size_t i = 0; i < ref.n; i++)
		if (!strcmp(ref.obj[i].name, name))
			return &ref.obj[i];
	return NULL;
}

static bool same(const char *a, const char *b)
{
	return a && b ? !strcmp(a, b) : a == b;
}

static bool matches(const struct ref_obj *o, const char *type, const char *tbl, const char *sql)
{
	if (!same(o->type, type) || !same(o->tbl, tbl))
		return false;
	return same(o->sql, sql) || (o->alt[0] && same(o->alt[0], sql)) ||
	       (o->alt[1] && same(o->alt[1], sql));
}

int ledger_schema_check(struct cert_ledger *l, struct ledger_schema_report *r)
{
	bool found[sizeof(required) / sizeof(required[0])] = { false };
	bool trust_log = false, trust_found[2] = { false, false };
	size_t nreq = sizeof(required) / sizeof(required[0]), i;
	sqlite3_stmt *st = NULL;
	int rc, src;

	memset(r, 0, sizeof(*r));
	pthread_once(&ref.once, ref_build);
	if (ref.rc)
		return ledger_err(l, ref.rc, "cannot build the ledger's reference schema");
	rc = ledger_prep(l, "ledger_schema_check",
			 "SELECT type, name, tbl_name, sql FROM main.sqlite_master", &st);
	if (rc)
		return rc;
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		const char *type = (const char *)sqlite3_column_text(st, 0);
		const char *name = (const char *)sqlite3_column_text(st, 1);
		const char *tbl = (const char *)sqlite3_column_text(st, 2);
		const char *sql = (const char *)sqlite3_column_text(st, 3);
		const struct ref_obj *o = ref_find(name ? name : "");

		if (!o) {
			r->finding = LEDGER_SCHEMA_FOREIGN;
		} else if (!matches(o, type, tbl, sql)) {
			r->finding = LEDGER_SCHEMA_REDEFINED;
		} else {
			if (!strcmp(o->name, "records_cert_unique"))
				r->unique_index = true;
			if (!strcmp(o->name, "trust_log"))
				trust_log = true;
			for (i = 0; i < nreq; i++)
				if (!strcmp(required[i], o->name))
					found[i] = true;
			for (i = 0; i < 2; i++)
				if (!strcmp(with_trust_log[i], o->name))
					trust_found[i] = true;
			continue;
		}
		snprintf(r->name, sizeof(r->name), "%.63s", name ? name : "");
		snprintf(r->type, sizeof(r->type), "%.15s", type ? type : "");
		break;
	}
	if (!r->finding && src != SQLITE_DONE)
		rc = ledger_sqerr(l, "ledger_schema_check", src);
	sqlite3_finalize(st);
	for (i = 0; !rc && !r->finding && i < nreq; i++)
		if (!found[i]) {
			r->finding = LEDGER_SCHEMA_MISSING;
			snprintf(r->name, sizeof(r->name), "%s", required[i]);
			snprintf(r->type, sizeof(r->type), "%s",
				 strstr(required[i], "_no_") ? "trigger" : "object");
		}
	for (i = 0; !rc && !r->finding && trust_log && i < 2; i++)
		if (!trust_found[i]) {
			r->finding = LEDGER_SCHEMA_MISSING;
			snprintf(r->name, sizeof(r->name), "%s", with_trust_log[i]);
			snprintf(r->type, sizeof(r->type), "trigger");
		}
	return rc ? rc : r->finding ? 1 : 0;
}

const char *ledger_schema_finding(const struct ledger_schema_report *r, char *buf, size_t len)
{
	switch (r->finding) {
	case LEDGER_SCHEMA_FOREIGN:
		snprintf(buf, len, "the ledger holds a foreign schema %s \"%s\" (added by hand)",
			 r->type, r->name);
		break;
	case LEDGER_SCHEMA_REDEFINED:
		snprintf(buf, len, "the ledger's %s \"%s\" is not the one Tabula makes (%s)",
			 r->type, r->name, !strcmp(r->type, "trigger") ?
			 "a protecting trigger was redefined by hand" : "the schema was changed by hand");
		break;
	case LEDGER_SCHEMA_MISSING:
		snprintf(buf, len, "the ledger's \"%s\" is missing (%s)", r->name,
			 !strcmp(r->type, "trigger") ?
			 "a protecting trigger was dropped, as before deleting records" :
			 "the schema was changed by hand");
		break;
	default:
		snprintf(buf, len, "the ledger's schema is its own");
	}
	return buf;
}

/* ---- the types of the stored values ---- */

/*
 * Each table, its columns, and the type each value must be stored as. The
 * tables are not STRICT: SQLite would store a BLOB of digits in an INTEGER
 * column, which the C readers take for the number while SQL's comparisons
 * (ended >= ?, serial = ?) pass it by, hiding the record from the register.
 */
static const struct typed_table {
	const char *table, *row;	/* @row: SQL naming the row in a message */
	const char *cols[10], *types[10];
} typed[] = {
	{ "records", "'record ' || quote(seq)",
	  { "fp", "seq", "cert_no", "serial", "ended", "issued", "record", "prev_hash", "hash", "sig" },
	  { "text", "integer", "text", "text", "integer", "integer", "blob", "blob", "blob", "blob" } },
	{ "stations", "'station key ' || quote(fp)", { "fp", "pubkey", "station_id" },
	  { "text", "blob", "text" } },
	{ "pdfs", "'the PDF note of record ' || quote(seq)", { "fp", "seq", "lang", "sha256" },
	  { "text", "integer", "text", "blob" } },
	{ "meta", "'the setting ' || quote(key)", { "key", "value" }, { "text", "text" } },
	{ "open_jobs", "'open job ' || quote(id)",
	  { "id", "boot_id", "pid", "pid_start", "started", "serial", "record" },
	  { "integer", "text", "integer", "integer", "integer", "text", "blob" } },
	{ "trust_log", "'trust log entry ' || quote(n)",
	  { "n", "fp", "action", "name", "at", "reason", "prev", "hash" },
	  { "integer", "text", "text", "text", "integer", "text", "blob", "blob" } },
};

/* Keep only what a terminal may print of @s. */
static void printable(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}

int ledger_types_check(struct cert_ledger *l, char *why, size_t len)
{
	for (size_t t = 0; t < sizeof(typed) / sizeof(typed[0]); t++) {
		const struct typed_table *tt = &typed[t];
		char sql[2048], cond[1024] = "", kase[1024] = "";
		size_t cl = 0, kl = 0;
		sqlite3_stmt *st = NULL;
		int src;

		if (!ledger_has_column(l, tt->table, tt->cols[0]))
			continue;	/* an older ledger without this table */
		for (size_t c = 0; c < 10 && tt->cols[c]; c++) {
			cl += (size_t)snprintf(cond + cl, sizeof(cond) - cl, "%stypeof(%s) != '%s'",
					       c ? " OR " : "", tt->cols[c], tt->types[c]);
			kl += (size_t)snprintf(kase + kl, sizeof(kase) - kl,
					       " WHEN typeof(%s) != '%s' THEN '%s is stored as ' ||"
					       " typeof(%s) || ', not %s'", tt->cols[c], tt->types[c],
					       tt->cols[c], tt->cols[c], tt->types[c]);
		}
		snprintf(sql, sizeof(sql), "SELECT %s, CASE%s END FROM %s WHERE %s LIMIT 1", tt->row,
			 kase, tt->table, cond);
		if (ledger_prep(l, "ledger_types_check", sql, &st))
			return -EIO;
		src = sqlite3_step(st);
		if (src == SQLITE_ROW) {
			char row[96], col[160];

			const char *r0 = (const char *)sqlite3_column_text(st, 0);
			const char *c1 = (const char *)sqlite3_column_text(st, 1);

			snprintf(row, sizeof(row), "%s", r0 ? r0 : "a row");
			snprintf(col, sizeof(col), "%s", c1 ? c1 : "");
			printable(row);
			snprintf(why, len, "%s of the %s table: its %s (altered: SQL's comparisons pass"
				 " such a value by, so readers would not see the row)", row, tt->table, col);
		}
		sqlite3_finalize(st);
		if (src == SQLITE_ROW)
			return 1;
		if (src != SQLITE_DONE)
			return ledger_sqerr(l, "ledger_types_check", src);
	}
	return 0;
}

/* Bring a ledger made by an older Tabula up to the current schema (inside ledger_schema_setup). */
static int migrate(struct cert_ledger *l)
{
	if (ledger_has_column(l, "open_jobs", "id") && !ledger_has_column(l, "open_jobs", "sig"))
		return ledger_exec(l, "cert_ledger_open", open_jobs_migration);
	return 0;
}

int ledger_schema_gate(struct cert_ledger *l)
{
	struct ledger_schema_report r;
	char why[256];
	int rc = ledger_schema_check(l, &r);

	if (rc == 1)
		rc = ledger_err(l, -EBADMSG, "%s: %s: nothing is added to it; run certs verify",
				l->path, ledger_schema_finding(&r, why, sizeof(why)));
	return rc;
}

int ledger_schema_setup(struct cert_ledger *l)
{
	int rc = ledger_exec(l, "cert_ledger_open", "BEGIN IMMEDIATE");

	if (rc)
		return rc;
	/*
	 * Someone else's object is refused before the schema's own SQL runs
	 * (a trigger on meta would fire on its INSERT); what is only missing is
	 * made below, and all is checked again after.
	 */
	{
		struct ledger_schema_report r;
		char why[256];

		rc = ledger_schema_check(l, &r);
		if (rc == 1 && r.finding == LEDGER_SCHEMA_MISSING)
			rc = 0;
		else if (rc == 1)
			rc = ledger_err(l, -EBADMSG, "%s: %s: nothing is added to it; run certs verify",
					l->path, ledger_schema_finding(&r, why, sizeof(why)));
		if (rc) {
			sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
			return rc;
		}
	}
	if ((rc = migrate(l)) || (rc = ledger_exec(l, "cert_ledger_open", schema)) ||
	    (rc = ledger_schema_gate(l)) || (rc = ledger_exec(l, "cert_ledger_open", "COMMIT")))
		goto fail;
	return 0;
fail:
	sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
	if (rc == -EEXIST)
		/* Only the unique index can fail so: an older ledger that holds a number twice. */
		rc = ledger_err(l, -EBADMSG, "%s holds one certificate number in two records"
				" (altered): nothing is added to it; run certs verify", l->path);
	return rc;
}
