/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The PostgreSQL registry: merge station ledgers into it, verify it (libpq). */
#include "config.h"

#include "certs/registry-pg.h"
#include "certs/trust.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#define REGISTRY_FORMAT "tabula-ledger-1"
/* pg_advisory_xact_lock key serialising schema creation and merges ("TABULA"). */
#define REGISTRY_LOCK "5420656465156"

struct cert_pg {
	PGconn *conn;
	char err[768];
};

/*
 * The ledger schema in PostgreSQL terms. Rows are append-only: a trigger
 * refuses UPDATE, DELETE and TRUNCATE, as the SQLite ledger's triggers do.
 */
static const char schema[] =
	"CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"CREATE TABLE IF NOT EXISTS stations(fp TEXT PRIMARY KEY, pubkey BYTEA NOT NULL,"
	" station_id TEXT NOT NULL);"
	"CREATE TABLE IF NOT EXISTS records(fp TEXT NOT NULL, seq BIGINT NOT NULL,"
	" cert_no TEXT NOT NULL, serial TEXT NOT NULL, ended BIGINT NOT NULL,"
	" issued BIGINT NOT NULL, record BYTEA NOT NULL, prev_hash BYTEA NOT NULL,"
	" hash BYTEA NOT NULL, sig BYTEA NOT NULL, PRIMARY KEY(fp, seq));"
	"CREATE INDEX IF NOT EXISTS records_serial ON records(serial);"
	"CREATE INDEX IF NOT EXISTS records_cert ON records(cert_no);"
	"CREATE TABLE IF NOT EXISTS pdfs(fp TEXT NOT NULL, seq BIGINT NOT NULL,"
	" lang TEXT NOT NULL, sha256 BYTEA NOT NULL, PRIMARY KEY(fp, seq, lang));"
	"CREATE OR REPLACE FUNCTION tabula_append_only() RETURNS trigger LANGUAGE plpgsql AS"
	" $$BEGIN RAISE EXCEPTION 'Tabula registry tables are append-only'; END$$;"
	"CREATE OR REPLACE TRIGGER records_append_only BEFORE UPDATE OR DELETE ON records"
	" FOR EACH ROW EXECUTE FUNCTION tabula_append_only();"
	"CREATE OR REPLACE TRIGGER records_no_truncate BEFORE TRUNCATE ON records"
	" FOR EACH STATEMENT EXECUTE FUNCTION tabula_append_only();"
	"CREATE OR REPLACE TRIGGER stations_append_only BEFORE UPDATE OR DELETE ON stations"
	" FOR EACH ROW EXECUTE FUNCTION tabula_append_only();"
	"CREATE OR REPLACE TRIGGER stations_no_truncate BEFORE TRUNCATE ON stations"
	" FOR EACH STATEMENT EXECUTE FUNCTION tabula_append_only();"
	"CREATE OR REPLACE TRIGGER pdfs_append_only BEFORE UPDATE OR DELETE ON pdfs"
	" FOR EACH ROW EXECUTE FUNCTION tabula_append_only();"
	/* The trust anchors: the same log as a SQLite registry's (certs/trust.h). */
	"CREATE TABLE IF NOT EXISTS trust_log(n BIGINT PRIMARY KEY, fp TEXT NOT NULL,"
	" action TEXT NOT NULL CHECK(action IN ('enrol', 'revoke')), name TEXT NOT NULL,"
	" at BIGINT NOT NULL, reason TEXT NOT NULL, prev BYTEA NOT NULL, hash BYTEA NOT NULL);"
	"CREATE OR REPLACE TRIGGER trust_append_only BEFORE UPDATE OR DELETE ON trust_log"
	" FOR EACH ROW EXECUTE FUNCTION tabula_append_only();"
	"CREATE OR REPLACE TRIGGER trust_no_truncate BEFORE TRUNCATE ON trust_log"
	" FOR EACH STATEMENT EXECUTE FUNCTION tabula_append_only();"
	"INSERT INTO meta VALUES('format', '" REGISTRY_FORMAT "') ON CONFLICT DO NOTHING;";

/* Set the error message. Returns @rc. */
__attribute__((format(printf, 3, 4)))
static int pgerr(struct cert_pg *pg, int rc, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(pg->err, sizeof(pg->err), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(pg->err))
		pg->err[sizeof(pg->err) - 1] = '\0';
	return rc;
}

/* The server's message for a failed result (@fn: what was being done), without its trailing newline. */
static int pgfail(struct cert_pg *pg, const char *fn, const PGresult *res)
{
	const char *m = res ? PQresultErrorMessage(res) : PQerrorMessage(pg->conn);
	size_t len = strlen(m);

	while (len && m[len - 1] == '\n')
		len--;
	return pgerr(pg, PQstatus(pg->conn) == CONNECTION_OK ? -EIO : -ECONNRESET, "%s: %.*s", fn,
		     (int)len, m);
}

bool cert_pg_is_uri(const char *s)
{
	return !strncmp(s, "postgresql://", 13) || !strncmp(s, "postgres://", 11);
}

int cert_pg_open(const char *conninfo, struct cert_pg **out, char *err, size_t errlen)
{
	struct cert_pg *pg = calloc(1, sizeof(*pg));
	int rc = 0, n;

	*out = NULL;
	if (!pg)
		return -ENOMEM;
	pg->conn = PQconnectdb(conninfo);
	if (!pg->conn) {
		rc = pgerr(pg, -ENOMEM, "out of memory");
	} else if (PQstatus(pg->conn) != CONNECTION_OK) {
		const char *m = PQerrorMessage(pg->conn);
		size_t len = strlen(m);

		while (len && m[len - 1] == '\n')
			len--;
		rc = pgerr(pg, -ECONNREFUSED, "%.*s", (int)len, m);
	}
	if (rc) {
		if (err && errlen) {
			n = snprintf(err, errlen, "%s", pg->err);
			if (n < 0 || (size_t)n >= errlen)
				err[errlen - 1] = '\0';
		}
		cert_pg_close(pg);
		return rc;
	}
	*out = pg;
	return 0;
}

void cert_pg_close(struct cert_pg *pg)
{
	if (!pg)
		return;
	PQfinish(pg->conn);
	free(pg);
}

const char *cert_pg_error(const struct cert_pg *pg)
{
	return pg->err;
}

/* Run SQL without results. */
static int pg_exec(struct cert_pg *pg, const char *fn, const char *sql)
{
	PGresult *res = PQexec(pg->conn, sql);
	int rc = 0;

	if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK)
		rc = pgfail(pg, fn, res);
	PQclear(res);
	return rc;
}

/*
 * Run @sql with @n parameters (text, or binary where @lens[i] is non-zero)
 * and binary results. NULL on failure, with the error set.
 */
static PGresult *pg_query(struct cert_pg *pg, const char *fn, const char *sql, int n,
			  const char *const *vals, const int *lens)
{
	int fmts[12], i;
	PGresult *res;

	for (i = 0; i < n && i < 12; i++)
		fmts[i] = lens && lens[i] ? 1 : 0;
	res = PQexecParams(pg->conn, sql, n, NULL, vals, lens, fmts, 1);
	if (PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK)
		return res;
	pgfail(pg, fn, res);
	PQclear(res);
	return NULL;
}

/* A big-endian binary int8 column as an integer. */
static int64_t col_int8(const PGresult *res, int row, int col)
{
	const unsigned char *p = (const unsigned char *)PQgetvalue(res, row, col);
	uint64_t v = 0;
	int i;

	if (PQgetlength(res, row, col) != 8)
		return -1;
	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return (int64_t)v;
}

/* A binary text column as a NUL-terminated string (binary text is the bytes). */
static void col_text(const PGresult *res, int row, int col, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%.*s", PQgetlength(res, row, col), PQgetvalue(res, row, col));

	if (n < 0 || (size_t)n >= len)
		buf[len - 1] = '\0';
}

/* Is binary column @col exactly @len bytes? Then copy it to @out. */
static bool col_bytes(const PGresult *res, int row, int col, void *out, size_t len)
{
	if (PQgetisnull(res, row, col) || (size_t)PQgetlength(res, row, col) != len)
		return false;
	memcpy(out, PQgetvalue(res, row, col), len);
	return true;
}

/* Lock the registry for this transaction and make sure its tables exist. */
static int registry_prepare(struct cert_pg *pg)
{
	PGresult *res;
	char fmt[64];
	int rc;

	if ((rc = pg_exec(pg, "merging into the registry",
			  "SET client_min_messages = warning;"
			  "SELECT pg_advisory_xact_lock(" REGISTRY_LOCK ")")) ||
	    (rc = pg_exec(pg, "merging into the registry", schema)))
		return rc;
	res = pg_query(pg, "merging into the registry", "SELECT value FROM meta WHERE key = 'format'", 0, NULL,
		       NULL);
	if (!res)
		return -EIO;
	fmt[0] = '\0';
	if (PQntuples(res) == 1)
		col_text(res, 0, 0, fmt, sizeof(fmt));
	PQclear(res);
	if (strcmp(fmt, REGISTRY_FORMAT) != 0)
		return pgerr(pg, -EBADMSG, "the database holds tables that are not"
			     " a Tabula registry");
	return 0;
}

/* Does the registry have its trust log (registries from before trust anchors do not)? */
static int has_trust_log(struct cert_pg *pg, const char *fn, bool *has)
{
	PGresult *res = pg_query(pg, fn, "SELECT to_regclass('trust_log') IS NOT NULL", 0, NULL, NULL);

	if (!res)
		return -EIO;
	*has = PQntuples(res) == 1 && PQgetlength(res, 0, 0) == 1 && PQgetvalue(res, 0, 0)[0];
	PQclear(res);
	return 0;
}

/* A binary bytea column into @out when it is a hash's size; its length, else 0. */
static size_t col_hash(const PGresult *res, int row, int col, uint8_t out[CERT_HASH_LEN])
{
	return col_bytes(res, row, col, out, CERT_HASH_LEN) ? CERT_HASH_LEN : 0;
}

/* Copy the registry's trust log, row for row, into @l (within the caller's transaction). */
static int copy_trust(struct cert_pg *pg, const char *fn, struct cert_ledger *l)
{
	PGresult *res;
	bool has;
	int i, rc;

	if ((rc = has_trust_log(pg, fn, &has)) || !has)
		return rc;
	res = pg_query(pg, fn, "SELECT n, fp, action, name, at, reason, prev, hash FROM trust_log"
		       " ORDER BY n", 0, NULL, NULL);
	if (!res)
		return -EIO;
	for (i = 0; i < PQntuples(res) && !rc; i++) {
		struct cert_trust_row r = { 0 };

		r.n = col_int8(res, i, 0);
		col_text(res, i, 1, r.fp, sizeof(r.fp));
		col_text(res, i, 2, r.action, sizeof(r.action));
		col_text(res, i, 3, r.name, sizeof(r.name));
		r.at = col_int8(res, i, 4);
		col_text(res, i, 5, r.reason, sizeof(r.reason));
		r.prev_len = col_hash(res, i, 6, r.prev);
		r.hash_len = col_hash(res, i, 7, r.hash);
		if (cert_trust_put_row(l, &r))
			rc = pgerr(pg, -EIO, "%s", cert_ledger_error(l));
	}
	PQclear(res);
	return rc;
}

/* A private ledger for copies of the registry. */
static int private_ledger(struct cert_pg *pg, struct cert_ledger **out)
{
	char err[512];
	int rc = cert_ledger_open(":memory:", CERT_LEDGER_CREATE, out, err, sizeof(err));

	return rc ? pgerr(pg, rc, "%s", err) : 0;
}

static int copy_stations(struct cert_pg *pg, struct cert_ledger *l);

int cert_pg_trust_copy(struct cert_pg *pg, struct cert_ledger **out)
{
	struct cert_ledger *l = NULL;
	int rc;

	*out = NULL;
	if ((rc = pg_exec(pg, "reading the registry's trust anchors", "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")))
		return rc;
	if (!(rc = private_ledger(pg, &l)) && !(rc = copy_stations(pg, l)))
		rc = copy_trust(pg, "reading the registry's trust anchors", l);
	PQclear(PQexec(pg->conn, "COMMIT"));
	if (rc) {
		cert_ledger_close(l);
		return rc;
	}
	*out = l;
	return 0;
}

/*
 * Within the caller's transaction: lock the registry, make sure its tables
 * exist, and copy its stations and trust log into a private ledger in *@out,
 * whose chain must verify (else -EBADMSG: "nothing @undone"). For @what (the
 * message's "doing what"). 0 or -errno, reason in pg->err.
 */
static int locked_trust_copy(struct cert_pg *pg, const char *what, const char *undone,
			     struct cert_ledger **out)
{
	uint8_t head[CERT_HASH_LEN];
	char why[256];
	uint64_t n;
	int rc;

	*out = NULL;
	if ((rc = registry_prepare(pg)) || (rc = private_ledger(pg, out)) ||
	    (rc = copy_stations(pg, *out)) || (rc = copy_trust(pg, what, *out)))
		return rc;
	rc = cert_trust_check(*out, &n, head, why, sizeof(why));
	if (rc > 0)
		return pgerr(pg, -EBADMSG, "the registry's trust log does not verify: %s; nothing %s",
			     why, undone);
	return rc ? pgerr(pg, rc, "%s", cert_ledger_error(*out)) : 0;
}

/*
 * Append to the trust log: the registry is locked, its log copied into a
 * private ledger, where the one implementation (certs/ledger-trust.c) checks
 * the chain, applies the rules and makes the entry; that entry is then
 * stored here. @revoke: revoke @fp for @text, else enrol it as @text.
 */
static int trust_change(struct cert_pg *pg, const char *fp, const char *text, bool revoke)
{
	struct cert_ledger *l = NULL;
	struct cert_trust_row r;
	char n[24], at[24];
	int rc;

	if ((rc = pg_exec(pg, "changing the registry's trust anchors", "BEGIN")))
		return rc;
	if ((rc = locked_trust_copy(pg, "changing the registry's trust anchors", "changed", &l)))
		goto out;
	rc = revoke ? cert_trust_revoke(l, fp, text) : cert_trust_enrol(l, fp, text);
	if (rc) {
		pgerr(pg, rc, "%s", cert_ledger_error(l));
		goto out;
	}
	if ((rc = cert_trust_last_row(l, &r))) {
		pgerr(pg, rc, "%s", cert_ledger_error(l));
		goto out;
	}
	snprintf(n, sizeof(n), "%" PRId64, r.n);
	snprintf(at, sizeof(at), "%" PRId64, r.at);
	{
		const char *vals[8] = { n, r.fp, r.action, r.name, at, r.reason,
					(const char *)r.prev, (const char *)r.hash };
		int lens[8] = { 0, 0, 0, 0, 0, 0, CERT_HASH_LEN, CERT_HASH_LEN };
		PGresult *res = pg_query(pg, "changing the registry's trust anchors", "INSERT INTO trust_log VALUES($1::bigint,"
					 " $2, $3, $4, $5::bigint, $6, $7::bytea, $8::bytea)", 8,
					 vals, lens);

		if (!res) {
			rc = -EIO;
			goto out;
		}
		PQclear(res);
	}
	rc = pg_exec(pg, "changing the registry's trust anchors", "COMMIT");
	cert_ledger_close(l);
	return rc;
out:
	cert_ledger_close(l);
	PQclear(PQexec(pg->conn, "ROLLBACK"));
	return rc;
}

int cert_pg_trust_enrol(struct cert_pg *pg, const char *fp, const char *name)
{
	return trust_change(pg, fp, name, false);
}

int cert_pg_trust_revoke(struct cert_pg *pg, const char *fp, const char *reason)
{
	return trust_change(pg, fp, reason, true);
}

/* State of one merge. */
struct merge {
	struct cert_pg *pg;
	struct cert_ledger *src;
	struct cert_ledger *trust;	/* a private copy of the registry's trust log */
	const char *fp;			/* station being merged, borrowed */
	uint64_t have;			/* records the registry holds for it */
	uint64_t added;
};

/* Merge one record of the station in m->fp. */
static int merge_record(const struct cert_entry *e, void *arg)
{
	struct merge *m = arg;
	struct cert_pg *pg = m->pg;
	char seq[24], ended[24], issued[24];
	const char *vals[10];
	int lens[10] = { 0 };
	PGresult *res;
	uint8_t hash[CERT_HASH_LEN];
	bool same;

	snprintf(seq, sizeof(seq), "%" PRIu64, e->seq);
	if (e->seq <= m->have) {
		/* Already held: it must be the very same record. */
		vals[0] = m->fp;
		vals[1] = seq;
		res = pg_query(pg, "merging into the registry",
			       "SELECT hash FROM records WHERE fp = $1 AND seq = $2::bigint", 2, vals,
			       NULL);
		if (!res)
			return -EIO;
		same = PQntuples(res) == 1 && col_bytes(res, 0, 0, hash, CERT_HASH_LEN) &&
		       !memcmp(hash, e->hash, CERT_HASH_LEN);
		PQclear(res);
		if (!same)
			return pgerr(pg, -EBADMSG, "station %.16s: record %" PRIu64
				     " differs from the one in the registry (diverging chain);"
				     " nothing merged", m->fp, e->seq);
		return 0;
	}
	snprintf(ended, sizeof(ended), "%" PRId64, e->ended);
	snprintf(issued, sizeof(issued), "%" PRId64, e->issued);
	vals[0] = e->fp;
	vals[1] = seq;
	vals[2] = e->cert_no;
	vals[3] = e->serial;
	vals[4] = ended;
	vals[5] = issued;
	vals[6] = e->canon;
	lens[6] = (int)e->canon_len;
	vals[7] = (const char *)e->prev;
	lens[7] = CERT_HASH_LEN;
	vals[8] = (const char *)e->hash;
	lens[8] = CERT_HASH_LEN;
	vals[9] = (const char *)e->sig;
	lens[9] = CERT_SIG_LEN;
	res = pg_query(pg, "merging into the registry",
		       "INSERT INTO records VALUES($1, $2::bigint, $3, $4, $5::bigint, $6::bigint,"
		       " $7::bytea, $8::bytea, $9::bytea, $10::bytea)", 10, vals, lens);
	if (!res)
		return -EIO;
	/* A trigger that returns NULL stores nothing and still succeeds. */
	if (strcmp(PQcmdTuples(res), "1") != 0) {
		PQclear(res);
		return pgerr(pg, -EBADMSG, "the registry did not store record %s of station %.16s"
			     " (a trigger of someone else's on its records table?); nothing merged",
			     seq, e->fp);
	}
	PQclear(res);
	m->added++;
	return 0;
}

/* Merge one station: its key, then its chain. */
static int merge_station(const char *fp, const uint8_t pub[CERT_PUB_LEN], const char *station_id,
			 void *arg)
{
	struct merge *m = arg;
	struct cert_pg *pg = m->pg;
	const char *vals[3] = { fp, (const char *)pub, station_id };
	int lens[3] = { 0, CERT_PUB_LEN, 0 };
	uint8_t have_pub[CERT_PUB_LEN];
	char have_no[64], why[768];
	struct cert_trust tr;
	PGresult *res;
	int64_t have;
	bool same;
	int rc;

	res = pg_query(pg, "merging into the registry",
		       "INSERT INTO stations VALUES($1, $2::bytea, $3) ON CONFLICT DO NOTHING", 3, vals,
		       lens);
	if (!res)
		return -EIO;
	PQclear(res);
	res = pg_query(pg, "merging into the registry", "SELECT pubkey FROM stations WHERE fp = $1", 1, vals,
		       NULL);
	if (!res)
		return -EIO;
	same = PQntuples(res) == 1 && col_bytes(res, 0, 0, have_pub, CERT_PUB_LEN) &&
	       !memcmp(have_pub, pub, CERT_PUB_LEN);
	PQclear(res);
	if (!same)
		return pgerr(pg, -EBADMSG, "station %.16s: the registry holds another"
			     " key under this fingerprint (registry altered?); nothing merged", fp);
	res = pg_query(pg, "merging into the registry", "SELECT seq, cert_no FROM records WHERE fp = $1"
		       " ORDER BY seq DESC LIMIT 1", 1, vals, NULL);
	if (!res)
		return -EIO;
	have = PQntuples(res) == 1 ? col_int8(res, 0, 0) : 0;
	have_no[0] = '\0';
	if (PQntuples(res) == 1)
		col_text(res, 0, 1, have_no, sizeof(have_no));
	PQclear(res);
	if (have < 0)
		return pgerr(pg, -EIO, "cannot read the chain head of %.16s", fp);
	if (cert_trust_get(m->trust, fp, &tr))
		return pgerr(pg, -EIO, "%s", cert_ledger_error(m->trust));
	if ((rc = cert_merge_rule(m->src, &tr, fp, station_id, (uint64_t)have, have_no, why,
				  sizeof(why))))
		return pgerr(pg, rc, "%s", why);
	m->fp = fp;
	m->have = (uint64_t)have;
	return cert_ledger_each_record(m->src, fp, merge_record, m);
}

/* Keep the hash of one issued PDF. */
static int merge_pdf(const char *fp, uint64_t seq, const char *lang,
		     const uint8_t sha[CERT_HASH_LEN], void *arg)
{
	struct merge *m = arg;
	char num[24];
	const char *vals[4] = { fp, num, lang, (const char *)sha };
	int lens[4] = { 0, 0, 0, CERT_HASH_LEN };
	PGresult *res;

	snprintf(num, sizeof(num), "%" PRIu64, seq);
	res = pg_query(m->pg, "merging into the registry",
		       "INSERT INTO pdfs VALUES($1, $2::bigint, $3, $4::bytea) ON CONFLICT DO NOTHING",
		       4, vals, lens);
	if (!res)
		return -EIO;
	PQclear(res);
	return 0;
}

int cert_pg_merge(struct cert_pg *pg, struct cert_ledger *src, uint64_t *added)
{
	struct merge m = { .pg = pg, .src = src };
	struct cert_verify v;
	int rc;

	*added = 0;
	rc = cert_ledger_verify(src, 0, &v);
	if (rc < 0)
		return pgerr(pg, rc, "%s: %s", cert_ledger_path(src), v.reason);
	if (rc > 0)
		return pgerr(pg, -EBADMSG, "%s does not verify: record %" PRIu64
			     " of station %.16s: %s", cert_ledger_path(src), v.bad_seq, v.fp, v.reason);
	if ((rc = pg_exec(pg, "merging into the registry", "BEGIN")))
		return rc;
	if ((rc = locked_trust_copy(pg, "merging into the registry", "merged", &m.trust)))
		goto out;
	rc = cert_ledger_each_station(src, merge_station, &m);
	if (rc > 0 || (rc < 0 && !pg->err[0]))
		rc = pgerr(pg, rc > 0 ? -EIO : rc, "%s: %s", cert_ledger_path(src),
			   cert_ledger_error(src));
	if (!rc)
		rc = cert_ledger_each_pdf(src, merge_pdf, &m);
	if (!rc)
		rc = pg_exec(pg, "merging into the registry", "COMMIT");
	if (!rc) {
		cert_ledger_close(m.trust);
		*added = m.added;
		return 0;
	}
out:
	cert_ledger_close(m.trust);
	PQclear(PQexec(pg->conn, "ROLLBACK"));
	return rc;
}

/* ---- verification ---- */

/* Copy the stations of the registry into @l. */
static int copy_stations(struct cert_pg *pg, struct cert_ledger *l)
{
	PGresult *res;
	int i, rc = 0;

	res = pg_query(pg, "verifying the registry", "SELECT fp, pubkey, station_id FROM stations", 0, NULL,
		       NULL);
	if (!res)
		return -EIO;
	for (i = 0; i < PQntuples(res) && !rc; i++) {
		char fp[CERT_FP_HEX], id[256];
		uint8_t pub[CERT_PUB_LEN] = { 0 };

		col_text(res, i, 0, fp, sizeof(fp));
		col_text(res, i, 2, id, sizeof(id));
		/* A malformed key is stored as zeros: its fingerprint then cannot match. */
		if (!col_bytes(res, i, 1, pub, CERT_PUB_LEN))
			memset(pub, 0, sizeof(pub));
		if (cert_ledger_put_station(l, fp, pub, id))
			rc = pgerr(pg, -EIO, "%s", cert_ledger_error(l));
	}
	PQclear(res);
	return rc;
}

/* Copy every record of the registry into @l, one row at a time. */
static int copy_records(struct cert_pg *pg, struct cert_ledger *l)
{
	PGresult *res;
	int rc = 0;

	if (!PQsendQueryParams(pg->conn, "SELECT fp, seq, cert_no, serial, ended, issued, record,"
			       " prev_hash, hash, sig FROM records ORDER BY fp, seq", 0, NULL, NULL,
			       NULL, NULL, 1) || !PQsetSingleRowMode(pg->conn))
		return pgfail(pg, "reading the registry", NULL);
	while ((res = PQgetResult(pg->conn))) {
		struct cert_entry e = { 0 };
		int len;

		if (PQresultStatus(res) == PGRES_TUPLES_OK || rc) {
			PQclear(res);
			continue;
		}
		if (PQresultStatus(res) != PGRES_SINGLE_TUPLE) {
			rc = pgfail(pg, "reading the registry", res);
			PQclear(res);
			continue;
		}
		col_text(res, 0, 0, e.fp, sizeof(e.fp));
		e.seq = (uint64_t)col_int8(res, 0, 1);
		col_text(res, 0, 2, e.cert_no, sizeof(e.cert_no));
		col_text(res, 0, 3, e.serial, sizeof(e.serial));
		e.ended = col_int8(res, 0, 4);
		e.issued = col_int8(res, 0, 5);
		len = PQgetlength(res, 0, 6);
		e.canon = (char *)PQgetvalue(res, 0, 6);	/* borrowed for the put */
		e.canon_len = (size_t)len;
		/*
		 * A hash, link or signature of the wrong size cannot be stored as
		 * such; it goes in as all-ones, which never verifies, so the
		 * verifier still names the record.
		 */
		if (!col_bytes(res, 0, 7, e.prev, CERT_HASH_LEN))
			memset(e.prev, 0xff, CERT_HASH_LEN);
		if (!col_bytes(res, 0, 8, e.hash, CERT_HASH_LEN))
			memset(e.hash, 0xff, CERT_HASH_LEN);
		if (!col_bytes(res, 0, 9, e.sig, CERT_SIG_LEN))
			memset(e.sig, 0xff, CERT_SIG_LEN);
		if (cert_ledger_put_raw(l, &e))
			rc = pgerr(pg, -EIO, "%s", cert_ledger_error(l));
		PQclear(res);
	}
	return rc;
}

/* Copy the issued PDFs' hashes into @l. */
static int copy_pdfs(struct cert_pg *pg, struct cert_ledger *l)
{
	PGresult *res;
	int i, rc = 0;

	res = pg_query(pg, "verifying the registry", "SELECT fp, seq, lang, sha256 FROM pdfs", 0, NULL,
		       NULL);
	if (!res)
		return -EIO;
	for (i = 0; i < PQntuples(res) && !rc; i++) {
		char fp[CERT_FP_HEX], lang[8];
		uint8_t sha[CERT_HASH_LEN];

		col_text(res, i, 0, fp, sizeof(fp));
		col_text(res, i, 2, lang, sizeof(lang));
		if (!col_bytes(res, i, 3, sha, CERT_HASH_LEN))
			continue;
		if (cert_ledger_pdf_put(l, fp, (uint64_t)col_int8(res, i, 1), lang, sha))
			rc = pgerr(pg, -EIO, "%s", cert_ledger_error(l));
	}
	PQclear(res);
	return rc;
}

int cert_pg_snapshot(struct cert_pg *pg, struct cert_ledger **out)
{
	struct cert_ledger *l = NULL;
	PGresult *res;
	char fmt[64] = "";
	int rc;

	*out = NULL;
	if ((rc = pg_exec(pg, "reading the registry", "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")))
		goto fail;
	res = pg_query(pg, "reading the registry", "SELECT value FROM meta WHERE key = 'format'", 0,
		       NULL, NULL);
	if (!res) {
		rc = -EBADMSG;
		goto fail;
	}
	if (PQntuples(res) == 1)
		col_text(res, 0, 0, fmt, sizeof(fmt));
	PQclear(res);
	if (strcmp(fmt, REGISTRY_FORMAT) != 0) {
		rc = pgerr(pg, -EBADMSG, "the database is not a Tabula registry");
		goto fail;
	}
	if ((rc = private_ledger(pg, &l)))
		goto fail;
	if ((rc = cert_ledger_begin(l))) {
		pgerr(pg, rc, "%s", cert_ledger_error(l));
		goto fail;
	}
	if ((rc = copy_stations(pg, l)) || (rc = copy_records(pg, l)) ||
	    (rc = copy_pdfs(pg, l)) || (rc = copy_trust(pg, "reading the registry", l)))
		goto fail;
	PQclear(PQexec(pg->conn, "COMMIT"));
	if ((rc = cert_ledger_commit(l))) {
		pgerr(pg, rc, "%s", cert_ledger_error(l));
		goto fail;
	}
	*out = l;
	return 0;
fail:
	PQclear(PQexec(pg->conn, "ROLLBACK"));
	cert_ledger_close(l);
	return rc < 0 ? rc : -EIO;
}

int cert_pg_verify(struct cert_pg *pg, unsigned flags, struct cert_verify *v)
{
	struct cert_ledger *l = NULL;
	int rc;

	memset(v, 0, sizeof(*v));
	if ((rc = cert_pg_snapshot(pg, &l))) {
		snprintf(v->reason, sizeof(v->reason), "the registry cannot be read: %s", pg->err);
		return rc;
	}
	rc = cert_ledger_verify(l, flags, v);
	if (rc < 0)
		pgerr(pg, rc, "%s", v->reason);
	cert_ledger_close(l);
	return rc;
}
