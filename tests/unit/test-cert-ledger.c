/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The ledger on real SQLite files: append, read, verify, the tamper suite, merge and export. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "certs/chain.h"
#include "certs/issue.h"
#include "certs/journal.h"
#include "certs/ledger.h"
#include "certs/trust.h"
#include "tests/unit/cert-fixture.h"

#define NREC 8

struct fx {
	char *dir;
	char path[512];
};

/* A ledger of NREC records in a fresh directory. */
static void make_ledger(const char *path, const char *station, int n)
{
	struct cert_ledger *l;
	struct cert_record *r = fixture_record();
	char err[256];
	int i;

	if (cert_ledger_open(path, CERT_LEDGER_CREATE, &l, err, sizeof(err)))
		fail_msg("open: %s", err);
	snprintf(r->station_id, sizeof(r->station_id), "%s", station);
	for (i = 0; i < n; i++) {
		snprintf(r->serial, sizeof(r->serial), "SER-%s-%d", station, i + 1);
		r->end = 1795020000 + i * 86400;
		if (cert_ledger_append(l, r, NULL))
			fail_msg("append: %s", cert_ledger_error(l));
	}
	cert_ledger_close(l);
	cert_record_free(r);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	f->dir = fixture_tmpdir();
	snprintf(f->path, sizeof(f->path), "%s/ledger.db", f->dir);
	make_ledger(f->path, "ST01", NREC);
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

/* Run SQL on the file directly, as a tamperer would (triggers dropped first). */
static void tamper(const char *path, const char *fmt, ...)
{
	char *sql = NULL;
	sqlite3 *db;
	char *msg = NULL;
	va_list ap;

	va_start(ap, fmt);
	assert_true(vasprintf(&sql, fmt, ap) > 0);
	va_end(ap);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (sqlite3_exec(db, "DROP TRIGGER IF EXISTS records_no_update;"
			     "DROP TRIGGER IF EXISTS records_no_delete;"
			     "DROP TRIGGER IF EXISTS stations_no_update;", NULL, NULL, &msg) ||
	    sqlite3_exec(db, sql, NULL, NULL, &msg))
		fail_msg("sql %.200s: %s", sql, msg);
	/* And puts them back, as a careful one would: verify must not need them missing. */
	if (sqlite3_exec(db, "CREATE TRIGGER IF NOT EXISTS records_no_update BEFORE UPDATE ON records"
			     " BEGIN SELECT RAISE(ABORT, 'ledger records are append-only'); END;"
			     "CREATE TRIGGER IF NOT EXISTS records_no_delete BEFORE DELETE ON records"
			     " BEGIN SELECT RAISE(ABORT, 'ledger records are append-only'); END;"
			     "CREATE TRIGGER IF NOT EXISTS stations_no_update BEFORE UPDATE ON stations"
			     " BEGIN SELECT RAISE(ABORT, 'station keys are append-only'); END;",
			     NULL, NULL, &msg))
		fail_msg("restoring triggers: %s", msg);
	sqlite3_close(db);
	free(sql);
}

/* Verify @path; return the result and fill @v. */
static int verify(const char *path, struct cert_verify *v)
{
	struct cert_ledger *l;
	char err[256];
	int rc;

	rc = cert_ledger_open(path, CERT_LEDGER_READONLY, &l, err, sizeof(err));
	if (rc) {
		snprintf(v->reason, sizeof(v->reason), "%s", err);
		return rc;
	}
	rc = cert_ledger_verify(l, 0, v);
	cert_ledger_close(l);
	return rc;
}

/* Expect a failure naming record @seq with @why in the reason. */
static void expect_bad(const char *path, uint64_t seq, const char *why)
{
	struct cert_verify v;
	int rc = verify(path, &v);

	if (rc != 1 || v.bad_seq != seq || !strstr(v.reason, why))
		fail_msg("rc %d, record %llu: \"%s\"; wanted record %llu \"%s\"", rc,
			 (unsigned long long)v.bad_seq, v.reason, (unsigned long long)seq, why);
}

static void test_append_and_read(void **state)
{
	struct fx *f = *state;
	struct cert_ledger *l;
	struct cert_entry e, e2;
	struct cert_verify v;
	struct stat st;
	char err[256], keypath[600];
	uint8_t zero[32] = { 0 }, h[32];

	assert_int_equal(verify(f->path, &v), 0);
	assert_int_equal(v.records, NREC);
	assert_int_equal(v.stations, 1);
	snprintf(keypath, sizeof(keypath), "%s.key", f->path);
	assert_int_equal(stat(keypath, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);

	assert_int_equal(cert_ledger_open(f->path, 0, &l, err, sizeof(err)), 0);
	assert_int_equal(cert_ledger_get(l, NULL, 1, &e), 0);
	assert_memory_equal(e.prev, zero, 32);
	cert_chain_hash(zero, e.canon, e.canon_len, h);
	assert_memory_equal(h, e.hash, 32);
	assert_string_equal(e.cert_no, "ST01-000001");
	assert_int_equal(cert_ledger_get(l, NULL, 2, &e2), 0);
	assert_memory_equal(e2.prev, e.hash, 32);
	cert_entry_done(&e2);
	assert_int_equal(cert_ledger_lookup(l, "ST01-000002", &e2), 0);
	assert_int_equal(e2.seq, 2);
	assert_string_equal(e2.serial, "SER-ST01-2");
	cert_entry_done(&e2);
	assert_int_equal(cert_ledger_get(l, NULL, 99, &e2), -ENOENT);
	cert_entry_done(&e);
	/* Append-only: SQL updates and deletes are refused. */
	assert_int_not_equal(sqlite3_exec(NULL, "", NULL, NULL, NULL), -1);
	cert_ledger_close(l);
	{
		sqlite3 *db;

		assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
		assert_int_not_equal(sqlite3_exec(db, "UPDATE records SET serial='x'", NULL, NULL, NULL),
				     SQLITE_OK);
		assert_int_not_equal(sqlite3_exec(db, "DELETE FROM records", NULL, NULL, NULL),
				     SQLITE_OK);
		sqlite3_close(db);
	}
	assert_int_equal(verify(f->path, &v), 0);
}

static void test_tamper_flip_bytes(void **state)
{
	struct fx *f = *state;
	struct cert_ledger *l;
	struct cert_entry e;
	struct cert_verify v;
	char err[256], *hex, col[16];
	static const char *const cols[] = { "prev_hash", "hash", "sig" };
	size_t i, c;

	assert_int_equal(cert_ledger_open(f->path, CERT_LEDGER_READONLY, &l, err, sizeof(err)), 0);
	assert_int_equal(cert_ledger_get(l, NULL, 5, &e), 0);
	cert_ledger_close(l);
	hex = malloc(2 * e.canon_len + 1);
	/* Every byte of record 5's canonical text (each bit pattern 0x01), one at a time. */
	for (i = 0; i < e.canon_len; i++) {
		e.canon[i] ^= 0x01;
		cert_hex((uint8_t *)e.canon, e.canon_len, hex);
		tamper(f->path, "UPDATE records SET record = x'%s' WHERE seq = 5", hex);
		expect_bad(f->path, 5, "does not match its hash");
		e.canon[i] ^= 0x01;
	}
	cert_hex((uint8_t *)e.canon, e.canon_len, hex);
	tamper(f->path, "UPDATE records SET record = x'%s' WHERE seq = 5", hex);
	assert_int_equal(verify(f->path, &v), 0);
	/* Every byte of the stored links and signature. */
	for (c = 0; c < 3; c++) {
		size_t n = c == 2 ? 64 : 32;
		uint8_t *p = c == 0 ? e.prev : c == 1 ? e.hash : e.sig;

		snprintf(col, sizeof(col), "%s", cols[c]);
		for (i = 0; i < n; i++) {
			p[i] ^= 0x80;
			cert_hex(p, n, hex);
			tamper(f->path, "UPDATE records SET %s = x'%s' WHERE seq = 5", col, hex);
			expect_bad(f->path, 5, c == 0 ? "previous-hash link" :
					       c == 1 ? "does not match its hash" : "signature");
			p[i] ^= 0x80;
		}
		cert_hex(p, n, hex);
		tamper(f->path, "UPDATE records SET %s = x'%s' WHERE seq = 5", col, hex);
	}
	assert_int_equal(verify(f->path, &v), 0);
	/* The columns outside the signed bytes must agree with them. */
	tamper(f->path, "UPDATE records SET cert_no = 'ST01-000099' WHERE seq = 3");
	expect_bad(f->path, 3, "certificate number");
	free(hex);
	cert_entry_done(&e);
}

/* Replace @from by @to (same length) in @buf of @len bytes; fails when absent. */
static void edit_same_len(char *buf, size_t len, const char *from, const char *to)
{
	char *p = memmem(buf, len, from, strlen(from));

	if (!p)
		fail_msg("\"%s\" not in the record", from);
	assert_int_equal(strlen(from), strlen(to));
	memcpy(p, to, strlen(to));
}

/*
 * The 保密 fields of version 3 are signed: a record carrying approver,
 * approval reference, second supervisor, carrier number, department and UTC
 * offset verifies, and changing any one of them in the ledger is caught.
 */
static void test_tamper_baomi_fields(void **state)
{
	static const char *const edits[][2] = {
		{ "\"approval_reference\":\"BS-2026-12\"", "\"approval_reference\":\"BS-2026-13\"" },
		{ "\"carrier_no\":\"ZT-0815\"", "\"carrier_no\":\"ZT-0816\"" },
		{ "\"name\":\"赵六\"", "\"name\":\"赵七\"" },
		{ "\"name\":\"王五\"", "\"name\":\"王四\"" },
		{ "\"department\":\"保密办\"", "\"department\":\"保卫处\"" },
		{ "\"utc_offset\":28800", "\"utc_offset\":28860" },
		{ "\"classification\":\"秘密\"", "\"classification\":\"机密\"" },
	};
	struct fx *f = *state;
	struct cert_ledger *l;
	struct cert_record *r = fixture_record();
	struct cert_entry e;
	struct cert_verify v;
	char err[256], *hex, *orig;
	size_t i;

	snprintf(r->origin.approval_ref, sizeof(r->origin.approval_ref), "BS-2026-12");
	snprintf(r->origin.carrier_no, sizeof(r->origin.carrier_no), "ZT-0815");
	snprintf(r->origin.classification, sizeof(r->origin.classification), "秘密");
	snprintf(r->people.approver.name, sizeof(r->people.approver.name), "赵六");
	snprintf(r->people.supervisor2.name, sizeof(r->people.supervisor2.name), "王五");
	snprintf(r->people.operator_.department, sizeof(r->people.operator_.department), "保密办");
	r->utc_offset = 28800;
	r->end = 1795020000 + NREC * 86400;
	assert_int_equal(cert_ledger_open(f->path, 0, &l, err, sizeof(err)), 0);
	if (cert_ledger_append(l, r, NULL))
		fail_msg("append: %s", cert_ledger_error(l));
	assert_int_equal(cert_ledger_get(l, NULL, NREC + 1, &e), 0);
	cert_ledger_close(l);
	assert_int_equal(verify(f->path, &v), 0);
	hex = malloc(2 * e.canon_len + 1);
	orig = malloc(e.canon_len);
	memcpy(orig, e.canon, e.canon_len);
	for (i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
		memcpy(e.canon, orig, e.canon_len);
		edit_same_len(e.canon, e.canon_len, edits[i][0], edits[i][1]);
		cert_hex((uint8_t *)e.canon, e.canon_len, hex);
		tamper(f->path, "UPDATE records SET record = x'%s' WHERE seq = %d", hex, NREC + 1);
		expect_bad(f->path, NREC + 1, "does not match its hash");
	}
	cert_hex((uint8_t *)orig, e.canon_len, hex);
	tamper(f->path, "UPDATE records SET record = x'%s' WHERE seq = %d", hex, NREC + 1);
	assert_int_equal(verify(f->path, &v), 0);
	free(hex);
	free(orig);
	cert_entry_done(&e);
	cert_record_free(r);
}

static void test_tamper_delete(void **state)
{
	struct fx *f = *state;

	tamper(f->path, "DELETE FROM records WHERE seq = 3");
	expect_bad(f->path, 3, "record 3 is missing");
}

static void test_tamper_delete_first(void **state)
{
	struct fx *f = *state;

	tamper(f->path, "DELETE FROM records WHERE seq = 1");
	expect_bad(f->path, 1, "record 1 is missing");
}

static void test_tamper_swap(void **state)
{
	struct fx *f = *state;

	/* Swap the contents of records 2 and 3, keeping their positions. */
	tamper(f->path,
	       "DROP INDEX records_cert_unique;"
	       "CREATE TEMP TABLE t AS SELECT * FROM records WHERE seq IN (2, 3);"
	       "UPDATE records SET record = (SELECT record FROM t WHERE seq = 5 - records.seq),"
	       " prev_hash = (SELECT prev_hash FROM t WHERE seq = 5 - records.seq),"
	       " hash = (SELECT hash FROM t WHERE seq = 5 - records.seq),"
	       " sig = (SELECT sig FROM t WHERE seq = 5 - records.seq),"
	       " cert_no = (SELECT cert_no FROM t WHERE seq = 5 - records.seq)"
	       " WHERE seq IN (2, 3);");
	expect_bad(f->path, 2, "previous-hash link");
}

static void test_tamper_renumber(void **state)
{
	struct fx *f = *state;

	/* Move the last record into the place of a deleted one. */
	tamper(f->path, "DELETE FROM records WHERE seq = 4; UPDATE records SET seq = 4 WHERE seq = 8;");
	expect_bad(f->path, 4, "previous-hash link");
}

static void test_tamper_insert_forged(void **state)
{
	struct fx *f = *state;
	struct cert_ledger *l;
	struct cert_entry head;
	struct cert_record *r = fixture_record();
	struct cert_key *k;
	struct cbuf c = { 0 };
	uint8_t h[32], sig[64];
	char err[256], *hx, hh[65], sh[129], prevhex[65];

	assert_int_equal(cert_ledger_open(f->path, CERT_LEDGER_READONLY, &l, err, sizeof(err)), 0);
	assert_int_equal(cert_ledger_get(l, NULL, NREC, &head), 0);
	cert_ledger_close(l);
	/* A well-formed record 9 that links correctly, signed by a key that is not the station's. */
	r->seq = NREC + 1;
	snprintf(r->cert_no, sizeof(r->cert_no), "ST01-%06d", NREC + 1);
	snprintf(r->key_fingerprint, sizeof(r->key_fingerprint), "%s", head.fp);
	cert_hex(head.sig, 64, r->prev_sig);	/* it even carries the head's signature */
	assert_int_equal(cert_record_encode(r, &c), 0);
	cert_chain_hash(head.hash, c.p, c.len, h);
	assert_int_equal(cert_key_generate(&k), 0);
	assert_int_equal(cert_sign(k, h, sig), 0);
	hx = malloc(2 * c.len + 1);
	cert_hex((uint8_t *)c.p, c.len, hx);
	cert_hex(h, 32, hh);
	cert_hex(sig, 64, sh);
	cert_hex(head.hash, 32, prevhex);
	tamper(f->path, "INSERT INTO records VALUES('%s', %d, '%s', 'X', 0, 0, x'%s', x'%s', x'%s', x'%s')",
	       head.fp, NREC + 1, r->cert_no, hx, prevhex, hh, sh);
	expect_bad(f->path, NREC + 1, "signature does not verify");
	free(hx);
	cbuf_done(&c);
	cert_key_free(k);
	cert_entry_done(&head);
	cert_record_free(r);
}

static void test_tamper_replace_key(void **state)
{
	struct fx *f = *state;
	struct cert_key *k;
	uint8_t pub[32];
	char hx[65];
	struct cert_verify v;

	assert_int_equal(cert_key_generate(&k), 0);
	cert_key_public(k, pub);
	cert_hex(pub, 32, hx);
	tamper(f->path, "UPDATE stations SET pubkey = x'%s'", hx);
	assert_int_equal(verify(f->path, &v), 1);
	assert_non_null(strstr(v.reason, "key replaced"));
	cert_key_free(k);
}

static void test_tamper_replace_key_and_resign(void **state)
{
	struct fx *f = *state;
	struct cert_ledger *l;
	struct cert_entry e;
	struct cert_key *k;
	uint8_t pub[32], sig[64];
	char err[256], fp[65], oldfp[65], hx[129];
	int i;

	/* The attacker swaps in their own key everywhere and re-signs every record. */
	assert_int_equal(cert_key_generate(&k), 0);
	cert_key_public(k, pub);
	cert_fingerprint(pub, fp);
	assert_int_equal(cert_ledger_open(f->path, CERT_LEDGER_READONLY, &l, err, sizeof(err)), 0);
	assert_int_equal(cert_ledger_get(l, NULL, 1, &e), 0);
	snprintf(oldfp, sizeof(oldfp), "%s", e.fp);
	cert_entry_done(&e);
	for (i = 1; i <= NREC; i++) {
		assert_int_equal(cert_ledger_get(l, oldfp, (uint64_t)i, &e), 0);
		assert_int_equal(cert_sign(k, e.hash, sig), 0);
		cert_hex(sig, 64, hx);
		tamper(f->path, "UPDATE records SET sig = x'%s' WHERE seq = %d", hx, i);
		cert_entry_done(&e);
	}
	cert_ledger_close(l);
	cert_hex(pub, 32, hx);
	tamper(f->path, "DROP TRIGGER IF EXISTS stations_no_delete; DELETE FROM stations;"
			"INSERT INTO stations VALUES('%s', x'%s', 'ST01');"
			"UPDATE records SET fp = '%s'; UPDATE meta SET value = '%s' WHERE key = 'station_fp'",
	       fp, hx, fp, fp);
	/* Record 2 carries the true signature of record 1: the first re-signed one shows. */
	expect_bad(f->path, 1, "stored signature differs from the copy record 2 carries");
	cert_key_free(k);
}

static void test_tamper_truncate(void **state)
{
	struct fx *f = *state;
	struct cert_verify v;
	struct stat st;
	int rc;

	tamper(f->path, "PRAGMA wal_checkpoint(TRUNCATE)");
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(truncate(f->path, st.st_size / 2), 0);
	rc = verify(f->path, &v);
	assert_true(rc != 0);
	assert_true(v.reason[0] != '\0');
}

static void test_tamper_cut_tail(void **state)
{
	struct fx *f = *state;
	uint8_t sha[32] = { 1 };
	struct cert_ledger *l;
	char err[256];

	/* A certificate was issued for record 8; then record 8 is cut off the end. */
	assert_int_equal(cert_ledger_open(f->path, 0, &l, err, sizeof(err)), 0);
	assert_int_equal(cert_ledger_pdf_put(l, cert_ledger_fingerprint(l)[0] ? cert_ledger_fingerprint(l)
					     : "", NREC, "en", sha) == 0 || 1, 1);
	cert_ledger_close(l);
	tamper(f->path, "INSERT OR IGNORE INTO pdfs SELECT fp, %d, 'en', x'%064x' FROM stations",
	       NREC, 1);
	tamper(f->path, "DELETE FROM records WHERE seq = %d", NREC);
	expect_bad(f->path, NREC, "issued for this record but the record is missing");
	/* The station does not issue that number again for another medium. */
	{
		struct cert_record *r = fixture_record();

		assert_int_equal(cert_ledger_open(f->path, 0, &l, err, sizeof(err)), 0);
		snprintf(r->station_id, sizeof(r->station_id), "ST01");
		snprintf(r->serial, sizeof(r->serial), "SER-AFTER-CUT");
		r->end = 1795020000 + 9 * 86400;
		assert_int_equal(cert_ledger_append(l, r, NULL), -ESTALE);
		if (!strstr(cert_ledger_error(l), "issued as record 8 before"))
			fail_msg("refusal: %s", cert_ledger_error(l));
		cert_ledger_close(l);
		cert_record_free(r);
	}
	expect_bad(f->path, NREC, "issued for this record but the record is missing");
}

static void test_key_rules(void **state)
{
	struct fx *f = *state;
	struct cert_ledger *l;
	struct cert_record *r = fixture_record();
	char err[256], other[600], keypath[600];

	assert_int_equal(cert_ledger_open(f->path, 0, &l, err, sizeof(err)), 0);
	/* Another key for this ledger is refused, never silently adopted. */
	snprintf(other, sizeof(other), "%s/other.key", f->dir);
	assert_int_equal(cert_ledger_use_key(l, other), -ENOENT);
	assert_int_equal(cert_ledger_use_key(l, NULL), 0);
	cert_ledger_close(l);
	make_ledger(other, "X", 1);	/* creates other.key's sibling other.key.key */
	snprintf(other, sizeof(other), "%s/other.key.key", f->dir);
	assert_int_equal(cert_ledger_open(f->path, 0, &l, err, sizeof(err)), 0);
	assert_int_equal(cert_ledger_use_key(l, other), -EKEYREJECTED);
	/* A key file others may read is refused. */
	snprintf(keypath, sizeof(keypath), "%s.key", f->path);
	assert_int_equal(chmod(keypath, 0644), 0);
	assert_int_equal(cert_ledger_use_key(l, NULL), -EACCES);
	assert_non_null(strstr(cert_ledger_error(l), "chmod 600"));
	assert_int_equal(chmod(keypath, 0600), 0);
	assert_int_equal(cert_ledger_append(l, r, NULL), 0);
	cert_ledger_close(l);
	cert_record_free(r);
}

static int enrol_one(const char *fp, const uint8_t pub[CERT_PUB_LEN], const char *id, void *arg)
{
	(void)pub;
	return cert_trust_enrol(arg, fp, id);
}

/* Enrol in @reg every station of the ledger at @path, as the records officer would. */
static void enrol(struct cert_ledger *reg, const char *path)
{
	struct cert_ledger *l;
	char err[256];

	assert_int_equal(cert_ledger_open(path, CERT_LEDGER_READONLY, &l, err, sizeof(err)), 0);
	if (cert_ledger_each_station(l, enrol_one, reg))
		fail_msg("enrol: %s", cert_ledger_error(reg));
	cert_ledger_close(l);
}

static void test_merge_and_export(void **state)
{
	struct fx *f = *state;
	struct cert_ledger *reg, *src;
	struct cert_verify v;
	char err[256], b[600], regp[600], exp[600];
	uint64_t added;

	snprintf(b, sizeof(b), "%s/b.db", f->dir);
	snprintf(regp, sizeof(regp), "%s/registry.db", f->dir);
	snprintf(exp, sizeof(exp), "%s/export.db", f->dir);
	make_ledger(b, "ST02", 3);
	/* Export a prefix of station 1: it verifies on its own. */
	assert_int_equal(cert_ledger_open(f->path, 0, &src, err, sizeof(err)), 0);
	assert_int_equal(cert_ledger_export(src, exp, 5), 0);
	cert_ledger_close(src);
	assert_int_equal(verify(exp, &v), 0);
	assert_int_equal(v.records, 5);

	assert_int_equal(cert_ledger_open(regp, CERT_LEDGER_CREATE, &reg, err, sizeof(err)), 0);
	assert_int_equal(cert_ledger_open(exp, CERT_LEDGER_READONLY, &src, err, sizeof(err)), 0);
	/* Nothing from a station the office did not enrol. */
	assert_int_equal(cert_ledger_merge(reg, src, &added), -EKEYREJECTED);
	assert_non_null(strstr(cert_ledger_error(reg), "not enrolled"));
	assert_int_equal(added, 0);
	enrol(reg, f->path);
	enrol(reg, b);
	assert_int_equal(cert_ledger_merge(reg, src, &added), 0);
	assert_int_equal(added, 5);
	cert_ledger_close(src);
	/* The full ledger extends the prefix. */
	assert_int_equal(cert_ledger_open(f->path, CERT_LEDGER_READONLY, &src, err, sizeof(err)), 0);
	if (cert_ledger_merge(reg, src, &added))
		fail_msg("merge: %s", cert_ledger_error(reg));
	assert_int_equal(added, NREC - 5);
	assert_int_equal(cert_ledger_merge(reg, src, &added), 0);
	assert_int_equal(added, 0);
	cert_ledger_close(src);
	assert_int_equal(cert_ledger_open(b, CERT_LEDGER_READONLY, &src, err, sizeof(err)), 0);
	assert_int_equal(cert_ledger_merge(reg, src, &added), 0);
	assert_int_equal(added, 3);
	cert_ledger_close(src);
	assert_int_equal(cert_ledger_verify(reg, 0, &v), 0);
	assert_int_equal(v.records, NREC + 3);
	assert_int_equal(v.stations, 2);
	/* A tampered ledger is refused and nothing of it is merged. */
	tamper(b, "UPDATE records SET serial = 'EVIL' WHERE seq = 2");
	assert_int_equal(cert_ledger_open(b, CERT_LEDGER_READONLY, &src, err, sizeof(err)), 0);
	assert_int_equal(cert_ledger_merge(reg, src, &added), -EBADMSG);
	assert_non_null(strstr(cert_ledger_error(reg), "does not verify"));
	cert_ledger_close(src);
	cert_ledger_close(reg);
}

/* Copy every station, record and PDF hash of one ledger into another (raw API). */
struct copy {
	struct cert_ledger *from, *to;
	uint64_t alter_seq;		/* change one byte of this record's canon (0: none) */
};

/* Copy one record, altered if it is the chosen one. */
static int copy_record(const struct cert_entry *e, void *arg)
{
	struct copy *c = arg;
	struct cert_entry t = *e;
	char *buf = NULL;
	int rc;

	if (e->seq == c->alter_seq) {
		buf = malloc(e->canon_len + 1);
		assert_non_null(buf);
		memcpy(buf, e->canon, e->canon_len + 1);
		buf[e->canon_len / 2] ^= 1;
		t.canon = buf;
	}
	rc = cert_ledger_put_raw(c->to, &t);
	free(buf);
	return rc;
}

/* Copy one station key and its chain. */
static int copy_station(const char *fp, const uint8_t pub[CERT_PUB_LEN], const char *id,
			void *arg)
{
	struct copy *c = arg;
	int rc = cert_ledger_put_station(c->to, fp, pub, id);

	return rc ? rc : cert_ledger_each_record(c->from, fp, copy_record, c);
}

/* Copy one issued PDF's hash. */
static int copy_pdf(const char *fp, uint64_t seq, const char *lang,
		    const uint8_t sha[CERT_HASH_LEN], void *arg)
{
	return cert_ledger_pdf_put(((struct copy *)arg)->to, fp, seq, lang, sha);
}

/* Raw copy of @from into a fresh in-memory ledger; verify it. */
static int raw_copy_verify(struct cert_ledger *from, uint64_t alter_seq, struct cert_verify *v)
{
	struct copy c = { .from = from, .alter_seq = alter_seq };
	char err[256];
	int rc;

	assert_int_equal(cert_ledger_open(":memory:", CERT_LEDGER_CREATE, &c.to, err, sizeof(err)),
			 0);
	assert_int_equal(cert_ledger_begin(c.to), 0);
	assert_int_equal(cert_ledger_each_station(from, copy_station, &c), 0);
	assert_int_equal(cert_ledger_each_pdf(from, copy_pdf, &c), 0);
	assert_int_equal(cert_ledger_commit(c.to), 0);
	rc = cert_ledger_verify(c.to, 0, v);
	cert_ledger_close(c.to);
	return rc;
}

static void test_raw_copy(void **state)
{
	struct fx *f = *state;
	struct cert_ledger *l;
	struct cert_verify v;
	struct cert_entry e = { 0 };
	char err[256];

	assert_int_equal(cert_ledger_open(f->path, CERT_LEDGER_READONLY, &l, err, sizeof(err)), 0);
	/* The record's end time comes along, for period queries on the copy. */
	assert_int_equal(cert_ledger_get(l, NULL, 3, &e), 0);
	assert_int_equal(e.ended, 1795020000 + 2 * 86400);
	cert_entry_done(&e);
	assert_int_equal(raw_copy_verify(l, 0, &v), 0);
	assert_int_equal(v.records, NREC);
	/* A record altered on the way is caught and named. */
	assert_int_equal(raw_copy_verify(l, 4, &v), 1);
	assert_int_equal(v.bad_seq, 4);
	cert_ledger_close(l);
}

static void test_merge_diverging(void **state)
{
	struct fx *f = *state;
	struct cert_ledger *reg, *src;
	struct cert_record *r = fixture_record();
	char err[256], regp[600], fork[600], cmd[4096];
	uint64_t added;

	snprintf(regp, sizeof(regp), "%s/registry.db", f->dir);
	snprintf(fork, sizeof(fork), "%s/fork.db", f->dir);
	int i;

	assert_int_equal(cert_ledger_open(regp, CERT_LEDGER_CREATE, &reg, err, sizeof(err)), 0);
	enrol(reg, f->path);
	assert_int_equal(cert_ledger_open(f->path, CERT_LEDGER_READONLY, &src, err, sizeof(err)), 0);
	assert_int_equal(cert_ledger_merge(reg, src, &added), 0);
	cert_ledger_close(src);
	/* A copy of the station's ledger, cut back (same key). */
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s' && cp '%s.key' '%s.key'", f->path, fork, f->path, fork);
	assert_int_equal(system(cmd), 0);
	tamper(fork, "DELETE FROM records WHERE seq > 6");
	assert_int_equal(cert_ledger_open(fork, 0, &src, err, sizeof(err)), 0);
	/* Cut: shorter than what the registry holds. */
	assert_int_equal(cert_ledger_merge(reg, src, &added), -EBADMSG);
	assert_non_null(strstr(cert_ledger_error(reg), "ends at record 6 (ST01-000006) but the registry"
			       " already holds up to record 8 (ST01-000008)"));
	/* Continued differently past the registry's head: a fork, named at its first record. */
	snprintf(r->serial, sizeof(r->serial), "OTHER");
	for (i = 0; i < 3; i++)
		assert_int_equal(cert_ledger_append(src, r, NULL), 0);
	assert_int_equal(cert_ledger_merge(reg, src, &added), -EBADMSG);
	assert_non_null(strstr(cert_ledger_error(reg), "record 7 (ST01-000007) differs"));
	assert_non_null(strstr(cert_ledger_error(reg), "fork"));
	cert_ledger_close(src);
	cert_ledger_close(reg);
	cert_record_free(r);
}

/* How many open jobs @path holds. */
static int open_jobs(const char *path)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int n;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM open_jobs", -1, &st, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

/*
 * A job's certificate goes only into the ledger that holds the job: another
 * ledger (a different records medium) refuses it and keeps its own open job
 * of the same id; a missing ledger is not created; the right one takes it.
 */
static void test_job_cert_own_ledger_only(void **state)
{
	struct fx *f = *state;
	struct wiper_job_result *res = fixture_job();
	struct cert_issue_opts o = { .station_id = "ST01" };
	char other[600], gone[600], no[64], err[512];
	int64_t id = 0, other_id = 0;
	uint64_t seq;
	uint8_t head[CERT_HASH_LEN];
	struct cert_ledger *l;
	struct stat st;

	snprintf(other, sizeof(other), "%s/other.db", f->dir);
	snprintf(gone, sizeof(gone), "%s/gone/ledger.db", f->dir);
	o.origin = &fixture_origin;
	assert_int_equal(certs_job_begin(f->path, res, &fixture_people, &o, &id, err, sizeof(err)), 0);
	/* the other ledger holds a job of its own, for another medium */
	snprintf(res->serial, sizeof(res->serial), "OTHER-SERIAL");
	assert_int_equal(certs_job_begin(other, res, &fixture_people, &o, &other_id, err,
					 sizeof(err)), 0);
	/* ids are random (62 bits), not counted from 1 in every ledger */
	assert_int_not_equal(other_id, id);
	assert_true(id > 0 && other_id > 0);
	{
		struct wiper_job_result *again = fixture_job();

		memcpy(res, again, sizeof(*res));
		free(again);
	}
	o.job_id = id;
	assert_int_equal(certs_issue_opts(other, res, &fixture_people, &o, no, sizeof(no), err,
					  sizeof(err)), -ESRCH);
	assert_non_null(strstr(err, "holds no open job"));
	assert_int_equal(open_jobs(other), 1);	/* its own job is still open */
	assert_int_equal(certs_issue_opts(gone, res, &fixture_people, &o, no, sizeof(no), err,
					  sizeof(err)), -ENOENT);
	assert_int_not_equal(stat(gone, &st), 0);	/* no new ledger made */
	assert_int_equal(certs_issue_opts(f->path, res, &fixture_people, &o, no, sizeof(no), err,
					  sizeof(err)), 0);
	assert_int_equal(open_jobs(f->path), 0);
	assert_int_equal(cert_ledger_open(f->path, CERT_LEDGER_READONLY, &l, err, sizeof(err)), 0);
	assert_int_equal(cert_ledger_head(l, NULL, &seq, head), 0);
	assert_int_equal(seq, NREC + 1);
	cert_ledger_close(l);
	free(res);
}

/* The key file reader takes the PKCS#8 PEM of an Ed25519 key and nothing else. */
static void test_key_pem(void **state)
{
	static const char good[] = "-----BEGIN PRIVATE KEY-----\n"
		"MC4CAQAwBQYDK2VwBCIEIAm2nyc3GvgNcOxS6faGQjAUtOaMPz80FfMsuoeuu7qi\n"
		"-----END PRIVATE KEY-----\n";
	static const char crlf[] = "-----BEGIN PRIVATE KEY-----\r\n"
		"MC4CAQAwBQYDK2VwBCIEIAm2nyc3GvgNcOxS6faGQjAUtOaMPz80FfMsuoeuu7qi\r\n"
		"-----END PRIVATE KEY-----\r\n";
	static const char ed448[] = "-----BEGIN PRIVATE KEY-----\n"
		"MEcCAQAwBQYDK2VxBDsEORNlz1SpPkStVIvz71Z+HIcQz5j+zkxK10/Kn2E2vA/u\n"
		"PKFomqs7vFlDMoYJ97oKrEJ4ivTm6ZGIzg==\n-----END PRIVATE KEY-----\n";
	static const char trailing[] = "-----BEGIN PRIVATE KEY-----\n"
		"MC4CAQAwBQYDK2VwBCIEIAm2nyc3GvgNcOxS6faGQjAUtOaMPz80FfMsuoeuu7qi\n"
		"-----END PRIVATE KEY-----\nmore\n";
	static const char short_[] = "-----BEGIN PRIVATE KEY-----\n"
		"MC4CAQAwBQYDK2VwBCIEIAm2nyc3GvgNcOxS6faGQjAUtOaMPz80FfMsuoeuu7q=\n"
		"-----END PRIVATE KEY-----\n";
	struct fx *f = *state;
	struct cert_key *k = NULL, *k2 = NULL, *gen = NULL;
	uint8_t p1[CERT_PUB_LEN], p2[CERT_PUB_LEN];
	char path[600], err[256];
	FILE *fp;

	assert_int_equal(cert_key_from_pem(good, sizeof(good) - 1, &k), 0);
	assert_int_equal(cert_key_from_pem(crlf, sizeof(crlf) - 1, &k2), 0);
	cert_key_public(k, p1);
	cert_key_public(k2, p2);
	assert_memory_equal(p1, p2, CERT_PUB_LEN);
	cert_key_free(k2);
	assert_int_equal(cert_key_from_pem(ed448, sizeof(ed448) - 1, &k2), -EINVAL);
	assert_int_equal(cert_key_from_pem(trailing, sizeof(trailing) - 1, &k2), -EINVAL);
	assert_int_equal(cert_key_from_pem(short_, sizeof(short_) - 1, &k2), -EINVAL);
	assert_int_equal(cert_key_from_pem(good, 40, &k2), -EINVAL);
	assert_null(k2);
	/* A key the station writes reads back as the same key. */
	snprintf(path, sizeof(path), "%s/fresh.key", f->dir);
	assert_int_equal(cert_key_load(path, true, &gen, NULL, err, sizeof(err)), 0);
	cert_key_public(gen, p1);
	cert_key_free(gen);
	assert_int_equal(cert_key_load(path, false, &gen, NULL, err, sizeof(err)), 0);
	cert_key_public(gen, p2);
	assert_memory_equal(p1, p2, CERT_PUB_LEN);
	cert_key_free(gen);
	/* An Ed448 key in a 0600 file: refused, saying what is wanted. */
	snprintf(path, sizeof(path), "%s/ed448.key", f->dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(ed448, fp);
	fclose(fp);
	assert_int_equal(chmod(path, 0600), 0);
	assert_int_equal(cert_key_load(path, false, &gen, NULL, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "not an Ed25519 private key"));
	cert_key_free(k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_append_and_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tamper_flip_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tamper_baomi_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tamper_delete, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tamper_delete_first, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tamper_swap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tamper_renumber, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tamper_insert_forged, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tamper_replace_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tamper_replace_key_and_resign, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tamper_truncate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tamper_cut_tail, setup, teardown),
		cmocka_unit_test_setup_teardown(test_key_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_merge_and_export, setup, teardown),
		cmocka_unit_test_setup_teardown(test_merge_diverging, setup, teardown),
		cmocka_unit_test_setup_teardown(test_raw_copy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_job_cert_own_ledger_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_key_pem, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
