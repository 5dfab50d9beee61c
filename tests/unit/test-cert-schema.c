/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The ledger's schema as an insider with sqlite3 changes it: every object
 * added, redefined, retargeted or dropped is reported by verify and refused
 * by every writer, before anything is written; a ledger made by an older
 * Tabula still opens, migrates and verifies.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "certs/chain.h"
#include "certs/ledger.h"
#include "certs/ledger-impl.h"
#include "tests/unit/cert-fixture.h"

#define NREC 3

struct fx {
	char *dir;
	char path[512];
};

static void append_n(struct cert_ledger *l, int from, int n)
{
	struct cert_record *r = fixture_record();
	int i;

	snprintf(r->station_id, sizeof(r->station_id), "ST01");
	for (i = from; i < from + n; i++) {
		snprintf(r->serial, sizeof(r->serial), "SER-%d", i);
		r->end = 1795020000 + i * 86400;
		if (cert_ledger_append(l, r, NULL))
			fail_msg("append %d: %s", i, cert_ledger_error(l));
	}
	cert_record_free(r);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct cert_ledger *l;
	char err[256];

	f->dir = fixture_tmpdir();
	snprintf(f->path, sizeof(f->path), "%s/ledger.db", f->dir);
	if (cert_ledger_open(f->path, CERT_LEDGER_CREATE, &l, err, sizeof(err)))
		fail_msg("open: %s", err);
	append_n(l, 1, NREC);
	cert_ledger_close(l);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	fixture_rmdir(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

/* What the insider types into sqlite3 (with writable_schema on when @raw). */
static void insider(const char *path, bool raw, const char *sql)
{
	sqlite3 *db;
	char *msg = NULL;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if ((raw && sqlite3_exec(db, "PRAGMA writable_schema=ON", NULL, NULL, &msg)) ||
	    sqlite3_exec(db, sql, NULL, NULL, &msg))
		fail_msg("insider's sql %.200s: %s", sql, msg);
	sqlite3_close(db);
}

static long long count(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	long long n = -1;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

/* certs verify's answer: rc, reason into @why. */
static int verify(const char *path, char *why, size_t len)
{
	struct cert_ledger *l;
	struct cert_verify v;
	char err[512];
	int rc;

	rc = cert_ledger_open(path, CERT_LEDGER_READONLY, &l, err, sizeof(err));
	if (rc) {
		snprintf(why, len, "open: %s", err);
		return rc;
	}
	rc = cert_ledger_verify(l, 0, &v);
	snprintf(why, len, "%s", v.reason);
	cert_ledger_close(l);
	return rc;
}

static const struct attack {
	const char *what;
	bool raw;		/* through writable_schema */
	const char *sql;
	const char *names;	/* the object the report must name */
} attacks[] = {
	{ "a trigger that swallows the station's records", false,
	  "CREATE TRIGGER zz BEFORE INSERT ON records BEGIN SELECT RAISE(IGNORE); END", "zz" },
	{ "a trigger that swallows the issued PDFs' notes", false,
	  "CREATE TRIGGER quiet BEFORE INSERT ON pdfs BEGIN SELECT RAISE(IGNORE); END", "quiet" },
	{ "a trigger that writes elsewhere on every key", false,
	  "CREATE TRIGGER m AFTER INSERT ON stations BEGIN INSERT INTO meta VALUES('x', 'y'); END",
	  "m" },
	{ "a trigger on the settings, which the schema's own INSERT would fire", false,
	  "CREATE TRIGGER evil BEFORE INSERT ON meta BEGIN SELECT RAISE(ABORT, 'no'); END", "evil" },
	{ "a view that hides records", false,
	  "CREATE VIEW recent AS SELECT * FROM records WHERE seq < 3", "recent" },
	{ "an index of one's own", false, "CREATE INDEX records_fast ON records(ended)",
	  "records_fast" },
	{ "a table of one's own", false, "CREATE TABLE notes(x)", "notes" },
	{ "a protecting trigger emptied", false,
	  "DROP TRIGGER records_no_delete; CREATE TRIGGER records_no_delete BEFORE DELETE ON"
	  " records BEGIN SELECT 1; END", "records_no_delete" },
	{ "a protecting trigger turned into one that runs on every append", false,
	  "DROP TRIGGER records_no_update; CREATE TRIGGER records_no_update AFTER INSERT ON records"
	  " BEGIN DELETE FROM pdfs; END", "records_no_update" },
	{ "a protecting trigger moved to another table", false,
	  "DROP TRIGGER stations_no_update; CREATE TRIGGER stations_no_update BEFORE UPDATE ON meta"
	  " BEGIN SELECT RAISE(ABORT, 'station keys are append-only'); END", "stations_no_update" },
	{ "the trust log's trigger emptied", false,
	  "DROP TRIGGER trust_no_delete; CREATE TRIGGER trust_no_delete BEFORE DELETE ON trust_log"
	  " BEGIN SELECT 1; END", "trust_no_delete" },
	{ "an index retargeted", false,
	  "DROP INDEX records_serial; CREATE INDEX records_serial ON records(cert_no)",
	  "records_serial" },
	{ "the unique number index made not unique", false,
	  "DROP INDEX records_cert_unique; CREATE INDEX records_cert_unique ON records(fp, cert_no)",
	  "records_cert_unique" },
	{ "the records table's serial made case-blind (writable_schema)", true,
	  "UPDATE sqlite_master SET sql = replace(sql, 'serial TEXT NOT NULL',"
	  " 'serial TEXT NOT NULL COLLATE NOCASE') WHERE name = 'records'", "records" },
	{ "a default slipped into the records table (writable_schema)", true,
	  "UPDATE sqlite_master SET sql = replace(sql, 'issued INTEGER NOT NULL',"
	  " 'issued INTEGER NOT NULL DEFAULT 0') WHERE name = 'records'", "records" },
	{ "a trigger's body edited in place (writable_schema)", true,
	  "UPDATE sqlite_master SET sql = replace(sql, 'RAISE(ABORT, ''pdf hashes are append-only'')',"
	  " '1')"
	  " WHERE name = 'pdfs_no_update'", "pdfs_no_update" },
};

static void test_every_schema_change_reported_and_refused(void **state)
{
	struct fx *f = *state;
	char copy[600], why[1024], err[512];
	size_t i;

	snprintf(copy, sizeof(copy), "%s/attacked.db", f->dir);
	for (i = 0; i < sizeof(attacks) / sizeof(attacks[0]); i++) {
		const struct attack *a = &attacks[i];
		struct cert_ledger *l = NULL;
		char q[80];
		int rc;

		assert_int_equal(verify(f->path, why, sizeof(why)), 0);
		unlink(copy);
		{
			char cmd[1300];

			snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", f->path, copy);
			assert_int_equal(system(cmd), 0);
		}
		insider(copy, a->raw, a->sql);
		snprintf(q, sizeof(q), "\"%s\"", a->names);
		rc = verify(copy, why, sizeof(why));
		if (rc != 1 || !strstr(why, q))
			fail_msg("%s: verify rc %d \"%s\"; wanted a report naming %s", a->what, rc, why, q);
		/* Every writer refuses it before writing anything. */
		rc = cert_ledger_open(copy, 0, &l, err, sizeof(err));
		if (rc != -EBADMSG || !strstr(err, q) || !strstr(err, "nothing is added"))
			fail_msg("%s: a writer's open: rc %d \"%s\"", a->what, rc, err);
		assert_null(l);
		assert_int_equal(count(copy, "SELECT count(*) FROM records"), NREC);
		printf("reported and refused: %s (%s)\n", a->what, why);
	}
	unlink(copy);
}

/* A dropped protecting trigger is reported by verify; a writer puts it back. */
static void test_dropped_trigger(void **state)
{
	struct fx *f = *state;
	struct cert_ledger *l;
	char why[1024], err[512];

	static const char *const each[] = { "pdfs_no_update", "trust_no_update", "trust_no_delete" };

	for (size_t i = 0; i < sizeof(each) / sizeof(each[0]); i++) {
		char sql[128], want[96];

		snprintf(sql, sizeof(sql), "DROP TRIGGER %s", each[i]);
		insider(f->path, false, sql);
		snprintf(want, sizeof(want), "\"%s\" is missing", each[i]);
		if (verify(f->path, why, sizeof(why)) != 1 || !strstr(why, want))
			fail_msg("%s dropped: \"%s\"", each[i], why);
		assert_int_equal(cert_ledger_open(f->path, 0, &l, err, sizeof(err)), 0);
		cert_ledger_close(l);
		assert_int_equal(verify(f->path, why, sizeof(why)), 0);
	}
	insider(f->path, false, "DROP TRIGGER records_no_delete");
	assert_int_equal(verify(f->path, why, sizeof(why)), 1);
	assert_non_null(strstr(why, "\"records_no_delete\" is missing"));
	assert_int_equal(cert_ledger_open(f->path, 0, &l, err, sizeof(err)), 0);
	cert_ledger_close(l);
	assert_int_equal(verify(f->path, why, sizeof(why)), 0);
}

/* The schema changed while a writer holds the ledger open: the append refuses. */
static void test_changed_under_an_open_writer(void **state)
{
	struct fx *f = *state;
	struct cert_record *r = fixture_record();
	uint8_t sha[CERT_HASH_LEN] = { 1 };
	struct cert_ledger *l;
	char err[512], fp[CERT_FP_HEX];
	struct cert_entry e = { 0 };
	int rc;

	assert_int_equal(cert_ledger_open(f->path, 0, &l, err, sizeof(err)), 0);
	insider(f->path, false,
		"CREATE TRIGGER zz BEFORE INSERT ON records BEGIN SELECT RAISE(IGNORE); END");
	snprintf(r->station_id, sizeof(r->station_id), "ST01");
	snprintf(r->serial, sizeof(r->serial), "SER-late");
	r->end = 1795020000 + 9 * 86400;
	rc = cert_ledger_append(l, r, &e);
	if (rc != -EBADMSG || !strstr(cert_ledger_error(l), "\"zz\""))
		fail_msg("append under a swallowing trigger: rc %d \"%s\"", rc, cert_ledger_error(l));
	assert_int_equal(count(f->path, "SELECT count(*) FROM records"), NREC);
	cert_entry_done(&e);
	/* A row swallowed by a trigger is never taken for stored (here a PDF's note). */
	insider(f->path, false, "DROP TRIGGER zz; CREATE TRIGGER quiet BEFORE INSERT ON pdfs"
		" BEGIN SELECT RAISE(IGNORE); END");
	assert_int_equal(cert_ledger_get(l, NULL, 1, &e), 0);
	snprintf(fp, sizeof(fp), "%s", e.fp);
	cert_entry_done(&e);
	rc = cert_ledger_pdf_put(l, fp, 1, "en", sha);
	if (rc == 0 || !strstr(cert_ledger_error(l), "not stored"))
		fail_msg("pdf note under a swallowing trigger: rc %d \"%s\"", rc, cert_ledger_error(l));
	assert_int_equal(count(f->path, "SELECT count(*) FROM pdfs"), 0);
	cert_ledger_close(l);
	cert_record_free(r);
}

/* A ledger of an older Tabula: open_jobs unsigned, no trust log, no unique index. */
static void test_older_ledger(void **state)
{
	struct fx *f = *state;
	struct cert_ledger *l;
	char why[1024], err[512];

	insider(f->path, false,
		"DROP TABLE open_jobs; CREATE TABLE open_jobs(id INTEGER PRIMARY KEY AUTOINCREMENT,"
		" boot_id TEXT NOT NULL, pid INTEGER NOT NULL, pid_start INTEGER NOT NULL,"
		" started INTEGER NOT NULL, serial TEXT NOT NULL, record BLOB NOT NULL);"
		"DROP TABLE trust_log; DROP INDEX records_cert_unique; DROP TRIGGER pdfs_no_delete");
	if (verify(f->path, why, sizeof(why)) != 0)
		fail_msg("an older ledger: %s", why);
	assert_int_equal(cert_ledger_open(f->path, 0, &l, err, sizeof(err)), 0);
	append_n(l, NREC + 1, 1);
	cert_ledger_close(l);
	if (verify(f->path, why, sizeof(why)) != 0)
		fail_msg("an older ledger, migrated: %s", why);
	assert_int_equal(count(f->path, "SELECT count(*) FROM pragma_table_info('open_jobs')"
			       " WHERE name = 'sig'"), 1);
	assert_int_equal(count(f->path, "SELECT count(*) FROM sqlite_master WHERE name IN"
			       " ('trust_log', 'records_cert_unique', 'pdfs_no_update', 'pdfs_no_delete')"), 4);
}

/* The first ledgers had no open_jobs table: they verify, and a writer adds it. */
static void test_first_format(void **state)
{
	struct fx *f = *state;
	struct cert_ledger *l;
	char why[1024], err[512];

	insider(f->path, false, "DROP TABLE open_jobs; DROP TABLE trust_log;"
		" DROP INDEX records_cert_unique; DROP TRIGGER pdfs_no_delete");
	if (verify(f->path, why, sizeof(why)) != 0)
		fail_msg("a first-format ledger: %s", why);
	if (cert_ledger_open(f->path, 0, &l, err, sizeof(err)))
		fail_msg("a first-format ledger, opened to write: %s", err);
	append_n(l, NREC + 1, 1);
	cert_ledger_close(l);
	if (verify(f->path, why, sizeof(why)) != 0)
		fail_msg("a first-format ledger, brought up to date: %s", why);
}

/* Through the ledger's own handle the schema cannot be written at all. */
static void test_defensive_handle(void **state)
{
	struct fx *f = *state;
	struct cert_ledger *l;
	sqlite3 *db;
	char err[512];
	int on = -1, trusted = -1;

	assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	assert_int_equal(cert_ledger_adopt(db, "adopted", 0, &l, err, sizeof(err)), 0);
	sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, -1, &on);
	sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, -1, &trusted);
	assert_int_equal(on, 1);
	assert_int_equal(trusted, 0);
	assert_int_not_equal(sqlite3_exec(db, "PRAGMA writable_schema=ON; UPDATE sqlite_master SET"
					  " sql = sql WHERE name = 'records'", NULL, NULL, NULL),
			     SQLITE_OK);
	cert_ledger_close(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_every_schema_change_reported_and_refused, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_dropped_trigger, setup, teardown),
		cmocka_unit_test_setup_teardown(test_changed_under_an_open_writer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_older_ledger, setup, teardown),
		cmocka_unit_test_setup_teardown(test_first_format, setup, teardown),
		cmocka_unit_test_setup_teardown(test_defensive_handle, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
