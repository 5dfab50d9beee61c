/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The SQLite ledger: append, read, verify, merge, export. */
#include "config.h"

#include "certs/ledger.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#define LEDGER_FORMAT "tabula-ledger-1"
#define VERIFY_THREADS_MAX 8

struct cert_ledger {
	sqlite3 *db;
	char *path;
	struct cert_key *key;		/* station key, private */
	char fp[CERT_FP_HEX];
	char lang[8];
	char err[512];
};

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
	" started INTEGER NOT NULL, serial TEXT NOT NULL, record BLOB NOT NULL);"
	"CREATE TRIGGER IF NOT EXISTS pdfs_no_update BEFORE UPDATE ON pdfs"
	" BEGIN SELECT RAISE(ABORT, 'pdf hashes are append-only'); END;"
	"INSERT OR IGNORE INTO meta VALUES('format', '" LEDGER_FORMAT "');";

/* Set the ledger's error message. Returns @rc. */
__attribute__((format(printf, 3, 4)))
static int lerr(struct cert_ledger *l, int rc, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(l->err, sizeof(l->err), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(l->err))
		l->err[sizeof(l->err) - 1] = '\0';
	return rc;
}

/* An SQLite error as -errno, with the message. */
static int sqerr(struct cert_ledger *l, const char *fn, int src)
{
	int rc;

	switch (src & 0xff) {
	case SQLITE_NOMEM: rc = -ENOMEM; break;
	case SQLITE_BUSY:
	case SQLITE_LOCKED: rc = -EBUSY; break;
	case SQLITE_READONLY:
	case SQLITE_PERM:
	case SQLITE_AUTH: rc = -EACCES; break;
	case SQLITE_CANTOPEN: rc = -ENOENT; break;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB: rc = -EBADMSG; break;
	case SQLITE_CONSTRAINT: rc = -EEXIST; break;
	default: rc = -EIO;
	}
	return lerr(l, rc, "%s: %s", fn, l->db ? sqlite3_errmsg(l->db) : sqlite3_errstr(src));
}

const char *cert_ledger_error(const struct cert_ledger *l)
{
	return l->err;
}

const char *cert_ledger_path(const struct cert_ledger *l)
{
	return l->path;
}

const char *cert_ledger_fingerprint(const struct cert_ledger *l)
{
	return l->fp;
}

void cert_entry_done(struct cert_entry *e)
{
	if (!e)
		return;
	free(e->canon);
	e->canon = NULL;
	e->canon_len = 0;
}

/* Run SQL without results. */
static int exec(struct cert_ledger *l, const char *fn, const char *sql)
{
	int src = sqlite3_exec(l->db, sql, NULL, NULL, NULL);

	return src == SQLITE_OK ? 0 : sqerr(l, fn, src);
}

/* Prepare a statement. */
static int prep(struct cert_ledger *l, const char *fn, const char *sql, sqlite3_stmt **st)
{
	int src = sqlite3_prepare_v2(l->db, sql, -1, st, NULL);

	return src == SQLITE_OK ? 0 : sqerr(l, fn, src);
}

/* A meta value into @buf, or "" when absent. */
static int meta_get(struct cert_ledger *l, const char *key, char *buf, size_t len)
{
	sqlite3_stmt *st = NULL;
	int rc, src;

	buf[0] = '\0';
	rc = prep(l, "meta_get", "SELECT value FROM meta WHERE key = ?", &st);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	src = sqlite3_step(st);
	if (src == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(st, 0);

		if (v && strlen(v) < len)
			strcpy(buf, v);
	} else if (src != SQLITE_DONE) {
		rc = sqerr(l, "meta_get", src);
	}
	sqlite3_finalize(st);
	return rc;
}

/*
 * Create the tables in one transaction: a process killed while creating a
 * ledger leaves an empty file, never a half-made one.
 */
static int create_schema(struct cert_ledger *l)
{
	int rc = exec(l, "cert_ledger_open", "BEGIN IMMEDIATE");

	if (rc)
		return rc;
	if ((rc = exec(l, "cert_ledger_open", schema)) ||
	    (rc = exec(l, "cert_ledger_open", "COMMIT")))
		sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

/* Does the file hold any table at all? */
static int holds_tables(struct cert_ledger *l, bool *any)
{
	sqlite3_stmt *st = NULL;
	int rc, src;

	rc = prep(l, "cert_ledger_open", "SELECT 1 FROM sqlite_master LIMIT 1", &st);
	if (rc)
		return rc;
	src = sqlite3_step(st);
	*any = src == SQLITE_ROW;
	if (src != SQLITE_ROW && src != SQLITE_DONE)
		rc = sqerr(l, "cert_ledger_open", src);
	sqlite3_finalize(st);
	return rc;
}

int cert_ledger_open(const char *path, unsigned flags, struct cert_ledger **out, char *err,
		     size_t errlen)
{
	struct cert_ledger *l = calloc(1, sizeof(*l));
	char fmt[64];
	int oflags, src, rc = 0, n;

	*out = NULL;
	if (!l || !(l->path = strdup(path))) {
		free(l);
		return -ENOMEM;
	}
	oflags = (flags & CERT_LEDGER_READONLY) ? SQLITE_OPEN_READONLY :
		 SQLITE_OPEN_READWRITE | ((flags & CERT_LEDGER_CREATE) ? SQLITE_OPEN_CREATE : 0);
	if (!(flags & CERT_LEDGER_CREATE) && access(path, F_OK) != 0) {
		rc = lerr(l, -errno, "cert_ledger_open: %s: %s", path, strerror(errno));
		goto out;
	}
	src = sqlite3_open_v2(path, &l->db, oflags | SQLITE_OPEN_NOMUTEX, NULL);
	if (src != SQLITE_OK) {
		rc = sqerr(l, "cert_ledger_open", src);
		goto out;
	}
	sqlite3_busy_timeout(l->db, 10000);
	sqlite3_extended_result_codes(l->db, 0);
	if (!(flags & CERT_LEDGER_READONLY)) {
		if ((rc = exec(l, "cert_ledger_open", "PRAGMA journal_mode=WAL")) ||
		    (rc = exec(l, "cert_ledger_open", "PRAGMA synchronous=FULL")) ||
		    (rc = create_schema(l)))
			goto out;
	} else {
		bool any;

		if ((rc = holds_tables(l, &any)))
			goto out;
		if (!any) {
			rc = lerr(l, -ENOENT, "cert_ledger_open: %s holds no ledger yet (empty, or its"
				  " creation was interrupted before the first record)", path);
			goto out;
		}
	}
	if ((rc = meta_get(l, "format", fmt, sizeof(fmt))))
		goto out;
	if (strcmp(fmt, LEDGER_FORMAT) != 0) {
		rc = lerr(l, -EBADMSG, "cert_ledger_open: %s is not a Tabula ledger", path);
		goto out;
	}
	if ((rc = meta_get(l, "lang", l->lang, sizeof(l->lang))))
		goto out;
	if (!l->lang[0])
		strcpy(l->lang, "en");
	*out = l;
	l = NULL;
out:
	if (l) {
		if (err && errlen) {
			n = snprintf(err, errlen, "%s", l->err);
			if (n < 0 || (size_t)n >= errlen)
				err[errlen - 1] = '\0';
		}
		cert_ledger_close(l);
	}
	return rc;
}

void cert_ledger_close(struct cert_ledger *l)
{
	if (!l)
		return;
	if (l->db)
		sqlite3_close_v2(l->db);
	cert_key_free(l->key);
	free(l->path);
	free(l);
}

const char *cert_ledger_lang(struct cert_ledger *l)
{
	return l->lang;
}

int cert_ledger_set_lang(struct cert_ledger *l, const char *lang)
{
	sqlite3_stmt *st = NULL;
	int rc, src;

	if (strcmp(lang, "en") && strcmp(lang, "zh"))
		return lerr(l, -EINVAL, "cert_ledger_set_lang: unknown language \"%s\"", lang);
	rc = prep(l, "cert_ledger_set_lang", "INSERT OR REPLACE INTO meta VALUES('lang', ?)", &st);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, lang, -1, SQLITE_STATIC);
	src = sqlite3_step(st);
	sqlite3_finalize(st);
	if (src != SQLITE_DONE)
		return sqerr(l, "cert_ledger_set_lang", src);
	strcpy(l->lang, lang);
	return 0;
}

/* The fingerprint of the station whose key this ledger holds (meta "station_fp"). */
static int own_fp(struct cert_ledger *l, char fp[CERT_FP_HEX])
{
	return meta_get(l, "station_fp", fp, CERT_FP_HEX);
}

int cert_ledger_use_key(struct cert_ledger *l, const char *key_path)
{
	char path[4096], have[CERT_FP_HEX], err[256];
	struct cert_key *k = NULL;
	int rc, n;

	if (key_path) {
		n = snprintf(path, sizeof(path), "%s", key_path);
	} else {
		n = snprintf(path, sizeof(path), "%s.key", l->path);
	}
	if (n < 0 || (size_t)n >= sizeof(path))
		return lerr(l, -ENAMETOOLONG, "cert_ledger_use_key: path too long");
	if ((rc = own_fp(l, have)))
		return rc;
	/* A ledger that already has a key never silently gets a new one. */
	rc = cert_key_load(path, have[0] == '\0', &k, NULL, err, sizeof(err));
	if (rc)
		return lerr(l, rc, "%s%s", err,
			    rc == -ENOENT ? " (the ledger was signed with another key)" : "");
	cert_key_fingerprint(k, l->fp);
	if (have[0] && strcmp(have, l->fp) != 0) {
		cert_key_free(k);
		l->fp[0] = '\0';
		return lerr(l, -EKEYREJECTED,
			    "cert_ledger_use_key: %s is not the key of this ledger (%.16s...)", path,
			    have);
	}
	cert_key_free(l->key);
	l->key = k;
	return 0;
}

/* Register the station key and meta on the first append (inside the transaction). */
static int register_station(struct cert_ledger *l, const char *station_id)
{
	uint8_t pub[CERT_PUB_LEN];
	sqlite3_stmt *st = NULL;
	int rc, src;

	cert_key_public(l->key, pub);
	rc = prep(l, "register_station", "INSERT OR IGNORE INTO stations VALUES(?, ?, ?)", &st);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, l->fp, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, pub, sizeof(pub), SQLITE_STATIC);
	sqlite3_bind_text(st, 3, station_id, -1, SQLITE_STATIC);
	src = sqlite3_step(st);
	sqlite3_finalize(st);
	if (src != SQLITE_DONE)
		return sqerr(l, "register_station", src);
	rc = prep(l, "register_station", "INSERT OR IGNORE INTO meta VALUES('station_fp', ?)", &st);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, l->fp, -1, SQLITE_STATIC);
	src = sqlite3_step(st);
	sqlite3_finalize(st);
	return src == SQLITE_DONE ? 0 : sqerr(l, "register_station", src);
}

/* Head (last seq and hash) of station @fp; seq 0 and zero hash when empty. */
static int head_of(struct cert_ledger *l, const char *fp, uint64_t *seq, uint8_t hash[32],
		   uint8_t sig[CERT_SIG_LEN], bool *have_sig)
{
	sqlite3_stmt *st = NULL;
	int rc, src;

	*seq = 0;
	memset(hash, 0, CERT_HASH_LEN);
	if (have_sig)
		*have_sig = false;
	rc = prep(l, "head_of",
		  "SELECT seq, hash, sig FROM records WHERE fp = ? ORDER BY seq DESC LIMIT 1", &st);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, fp, -1, SQLITE_STATIC);
	src = sqlite3_step(st);
	if (src == SQLITE_ROW) {
		*seq = (uint64_t)sqlite3_column_int64(st, 0);
		if (sqlite3_column_bytes(st, 1) == CERT_HASH_LEN)
			memcpy(hash, sqlite3_column_blob(st, 1), CERT_HASH_LEN);
		if (sig && sqlite3_column_bytes(st, 2) == CERT_SIG_LEN) {
			memcpy(sig, sqlite3_column_blob(st, 2), CERT_SIG_LEN);
			*have_sig = true;
		}
	} else if (src != SQLITE_DONE) {
		rc = sqerr(l, "head_of", src);
	}
	sqlite3_finalize(st);
	return rc;
}

int cert_ledger_append(struct cert_ledger *l, struct cert_record *r, struct cert_entry *out)
{
	return cert_ledger_append_job(l, r, 0, out);
}

int cert_ledger_append_job(struct cert_ledger *l, struct cert_record *r, int64_t job_id,
			   struct cert_entry *out)
{
	uint8_t prev[CERT_HASH_LEN], hash[CERT_HASH_LEN], sig[CERT_SIG_LEN];
	uint8_t prev_sig[CERT_SIG_LEN];
	struct cbuf canon = { 0 };
	sqlite3_stmt *st = NULL;
	bool in_tx = false, have_sig;
	uint64_t seq;
	int64_t now = (int64_t)time(NULL);
	int rc, src, n;

	if (!l->key && (rc = cert_ledger_use_key(l, NULL)))
		return rc;
	if ((rc = exec(l, "cert_ledger_append", "BEGIN IMMEDIATE")))
		return rc;
	in_tx = true;
	if ((rc = register_station(l, r->station_id[0] ? r->station_id : "TABULA")))
		goto out;
	if ((rc = head_of(l, l->fp, &seq, prev, prev_sig, &have_sig)))
		goto out;
	if (seq && !have_sig) {
		rc = lerr(l, -EBADMSG, "cert_ledger_append: the chain head's signature is malformed;"
			  " run certs verify");
		goto out;
	}
	if (seq)
		cert_hex(prev_sig, CERT_SIG_LEN, r->prev_sig);
	else
		r->prev_sig[0] = '\0';
	seq++;
	r->seq = seq;
	n = snprintf(r->cert_no, sizeof(r->cert_no), "%s-%06" PRIu64,
		     r->station_id[0] ? r->station_id : "TABULA", seq);
	if (n < 0 || (size_t)n >= sizeof(r->cert_no)) {
		rc = lerr(l, -ENAMETOOLONG, "cert_ledger_append: station id too long");
		goto out;
	}
	memcpy(r->key_fingerprint, l->fp, CERT_FP_HEX);
	if ((rc = cert_record_encode(r, &canon))) {
		lerr(l, rc, "cert_ledger_append: cannot encode the record");
		goto out;
	}
	cert_chain_hash(prev, canon.p, canon.len, hash);
	if ((rc = cert_sign(l->key, hash, sig))) {
		lerr(l, rc, "cert_ledger_append: signing failed");
		goto out;
	}
	rc = prep(l, "cert_ledger_append",
		  "INSERT INTO records(fp, seq, cert_no, serial, ended, issued, record, prev_hash,"
		  " hash, sig) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", &st);
	if (rc)
		goto out;
	sqlite3_bind_text(st, 1, l->fp, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)seq);
	sqlite3_bind_text(st, 3, r->cert_no, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, r->serial, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, r->end);
	sqlite3_bind_int64(st, 6, now);
	sqlite3_bind_blob(st, 7, canon.p, (int)canon.len, SQLITE_STATIC);
	sqlite3_bind_blob(st, 8, prev, sizeof(prev), SQLITE_STATIC);
	sqlite3_bind_blob(st, 9, hash, sizeof(hash), SQLITE_STATIC);
	sqlite3_bind_blob(st, 10, sig, sizeof(sig), SQLITE_STATIC);
	src = sqlite3_step(st);
	if (src != SQLITE_DONE) {
		rc = sqerr(l, "cert_ledger_append", src);
		goto out;
	}
	/* The job's certificate and the end of the job are one fact: one transaction. */
	if (job_id && (rc = cert_ledger_job_drop(l, job_id)))
		goto out;
	if ((rc = exec(l, "cert_ledger_append", "COMMIT")))
		goto out;
	in_tx = false;
	if (out) {
		memset(out, 0, sizeof(*out));
		memcpy(out->fp, l->fp, CERT_FP_HEX);
		out->seq = seq;
		memcpy(out->cert_no, r->cert_no, sizeof(out->cert_no));
		snprintf(out->serial, sizeof(out->serial), "%s", r->serial);
		out->issued = now;
		memcpy(out->prev, prev, sizeof(prev));
		memcpy(out->hash, hash, sizeof(hash));
		memcpy(out->sig, sig, sizeof(sig));
		cert_key_public(l->key, out->pub);
		out->canon = canon.p;
		out->canon_len = canon.len;
		canon.p = NULL;
	}
out:
	sqlite3_finalize(st);
	if (in_tx)
		sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
	cbuf_done(&canon);
	return rc;
}

#define ENTRY_COLS "r.fp, r.seq, r.cert_no, r.serial, r.issued, r.prev_hash, r.hash, r.sig," \
		   " s.pubkey, r.record, r.ended FROM records r LEFT JOIN stations s ON s.fp = r.fp"

/* Fill @e from a row selected with ENTRY_COLS. */
static int entry_from_row(sqlite3_stmt *st, struct cert_entry *e)
{
	const char *t;
	int n;

	memset(e, 0, sizeof(*e));
	t = (const char *)sqlite3_column_text(st, 0);
	snprintf(e->fp, sizeof(e->fp), "%s", t ? t : "");
	e->seq = (uint64_t)sqlite3_column_int64(st, 1);
	t = (const char *)sqlite3_column_text(st, 2);
	snprintf(e->cert_no, sizeof(e->cert_no), "%s", t ? t : "");
	t = (const char *)sqlite3_column_text(st, 3);
	snprintf(e->serial, sizeof(e->serial), "%s", t ? t : "");
	e->issued = sqlite3_column_int64(st, 4);
	if (sqlite3_column_bytes(st, 5) == CERT_HASH_LEN)
		memcpy(e->prev, sqlite3_column_blob(st, 5), CERT_HASH_LEN);
	if (sqlite3_column_bytes(st, 6) == CERT_HASH_LEN)
		memcpy(e->hash, sqlite3_column_blob(st, 6), CERT_HASH_LEN);
	if (sqlite3_column_bytes(st, 7) == CERT_SIG_LEN)
		memcpy(e->sig, sqlite3_column_blob(st, 7), CERT_SIG_LEN);
	if (sqlite3_column_bytes(st, 8) == CERT_PUB_LEN)
		memcpy(e->pub, sqlite3_column_blob(st, 8), CERT_PUB_LEN);
	n = sqlite3_column_bytes(st, 9);
	e->canon = malloc((size_t)n + 1);
	if (!e->canon)
		return -ENOMEM;
	if (n)
		memcpy(e->canon, sqlite3_column_blob(st, 9), (size_t)n);
	e->canon[n] = '\0';
	e->canon_len = (size_t)n;
	e->ended = sqlite3_column_int64(st, 10);
	return 0;
}

/* The only station's fingerprint, or the own one. -ENOENT / -EINVAL if ambiguous. */
static int default_fp(struct cert_ledger *l, char fp[CERT_FP_HEX])
{
	sqlite3_stmt *st = NULL;
	int rc, src, count = 0;

	if ((rc = own_fp(l, fp)))
		return rc;
	if (fp[0])
		return 0;
	rc = prep(l, "default_fp", "SELECT fp FROM stations LIMIT 2", &st);
	if (rc)
		return rc;
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		if (count++ == 0)
			snprintf(fp, CERT_FP_HEX, "%s", (const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	if (src != SQLITE_DONE)
		return sqerr(l, "default_fp", src);
	if (count == 0)
		return lerr(l, -ENOENT, "the ledger holds no records");
	if (count > 1)
		return lerr(l, -EINVAL, "the registry holds several stations: give a certificate number");
	return 0;
}

int cert_ledger_get(struct cert_ledger *l, const char *fp, uint64_t seq, struct cert_entry *e)
{
	char dfp[CERT_FP_HEX];
	sqlite3_stmt *st = NULL;
	int rc, src;

	if (!fp) {
		if ((rc = default_fp(l, dfp)))
			return rc;
		fp = dfp;
	}
	rc = prep(l, "cert_ledger_get", "SELECT " ENTRY_COLS " WHERE r.fp = ? AND r.seq = ?", &st);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, fp, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)seq);
	src = sqlite3_step(st);
	if (src == SQLITE_ROW)
		rc = entry_from_row(st, e);
	else if (src == SQLITE_DONE)
		rc = lerr(l, -ENOENT, "no record %" PRIu64 " in the ledger", seq);
	else
		rc = sqerr(l, "cert_ledger_get", src);
	sqlite3_finalize(st);
	return rc;
}

int cert_ledger_get_cert(struct cert_ledger *l, const char *cert_no, struct cert_entry *e)
{
	sqlite3_stmt *st = NULL;
	int rc, src;

	rc = prep(l, "cert_ledger_get_cert", "SELECT " ENTRY_COLS " WHERE r.cert_no = ?", &st);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, cert_no, -1, SQLITE_STATIC);
	src = sqlite3_step(st);
	if (src == SQLITE_ROW)
		rc = entry_from_row(st, e);
	else if (src == SQLITE_DONE)
		rc = lerr(l, -ENOENT, "no certificate %s in the ledger", cert_no);
	else
		rc = sqerr(l, "cert_ledger_get_cert", src);
	sqlite3_finalize(st);
	return rc;
}

int cert_ledger_lookup(struct cert_ledger *l, const char *what, struct cert_entry *e)
{
	char *end;
	unsigned long long n;

	errno = 0;
	n = strtoull(what, &end, 10);
	if (what[0] >= '0' && what[0] <= '9' && !*end && !errno)
		return cert_ledger_get(l, NULL, n, e);
	return cert_ledger_get_cert(l, what, e);
}

/* Step a prepared entry query, hand each row to @cb, finalize; @fn names the caller in errors. */
static int each_entry(struct cert_ledger *l, sqlite3_stmt *st, const char *fn,
		      int (*cb)(const struct cert_entry *e, void *arg), void *arg)
{
	struct cert_entry e;
	int rc = 0, src;

	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		rc = entry_from_row(st, &e);
		if (!rc)
			rc = cb(&e, arg);
		cert_entry_done(&e);
		if (rc)
			break;
	}
	if (!rc && src != SQLITE_DONE)
		rc = sqerr(l, fn, src);
	sqlite3_finalize(st);
	return rc;
}

int cert_ledger_each(struct cert_ledger *l, int64_t from, int64_t to, const char *serial,
		     int (*cb)(const struct cert_entry *e, void *arg), void *arg)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = prep(l, "cert_ledger_each",
		  serial ? "SELECT " ENTRY_COLS " WHERE r.ended >= ? AND r.ended < ? AND r.serial = ?"
			   " ORDER BY r.fp, r.seq"
			 : "SELECT " ENTRY_COLS " WHERE r.ended >= ? AND r.ended < ? ORDER BY r.fp, r.seq",
		  &st);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	if (serial)
		sqlite3_bind_text(st, 3, serial, -1, SQLITE_STATIC);
	return each_entry(l, st, "cert_ledger_each", cb, arg);
}

int cert_ledger_head(struct cert_ledger *l, const char *fp, uint64_t *seq,
		     uint8_t hash[CERT_HASH_LEN])
{
	char dfp[CERT_FP_HEX];
	int rc;

	if (!fp) {
		if ((rc = default_fp(l, dfp)))
			return rc;
		fp = dfp;
	}
	return head_of(l, fp, seq, hash, NULL, NULL);
}

int cert_ledger_pdf_put(struct cert_ledger *l, const char *fp, uint64_t seq, const char *lang,
			const uint8_t sha[CERT_HASH_LEN])
{
	sqlite3_stmt *st = NULL;
	int rc, src;

	rc = prep(l, "cert_ledger_pdf_put", "INSERT INTO pdfs VALUES(?, ?, ?, ?)", &st);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, fp, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)seq);
	sqlite3_bind_text(st, 3, lang, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 4, sha, CERT_HASH_LEN, SQLITE_STATIC);
	src = sqlite3_step(st);
	sqlite3_finalize(st);
	if (src == SQLITE_CONSTRAINT) {
		uint8_t have[CERT_HASH_LEN];

		/* Issued before: fine if it is the same file. */
		if (cert_ledger_pdf_get(l, fp, seq, lang, have) == 0 &&
		    memcmp(have, sha, CERT_HASH_LEN) == 0)
			return 0;
		return lerr(l, -EEXIST, "cert_ledger_pdf_put: record %" PRIu64
			    " already has a different %s PDF", seq, lang);
	}
	return src == SQLITE_DONE ? 0 : sqerr(l, "cert_ledger_pdf_put", src);
}

int cert_ledger_pdf_get(struct cert_ledger *l, const char *fp, uint64_t seq, const char *lang,
			uint8_t sha[CERT_HASH_LEN])
{
	sqlite3_stmt *st = NULL;
	int rc, src;

	rc = prep(l, "cert_ledger_pdf_get",
		  "SELECT sha256 FROM pdfs WHERE fp = ? AND seq = ? AND lang = ?", &st);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, fp, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)seq);
	sqlite3_bind_text(st, 3, lang, -1, SQLITE_STATIC);
	src = sqlite3_step(st);
	if (src == SQLITE_ROW && sqlite3_column_bytes(st, 0) == CERT_HASH_LEN)
		memcpy(sha, sqlite3_column_blob(st, 0), CERT_HASH_LEN);
	else if (src == SQLITE_ROW || src == SQLITE_DONE)
		rc = -ENOENT;
	else
		rc = sqerr(l, "cert_ledger_pdf_get", src);
	sqlite3_finalize(st);
	return rc;
}

/* ---- verification ---- */

/* One row as the verifier holds it. */
struct vrow {
	uint64_t seq;
	uint8_t hash[CERT_HASH_LEN];
	uint8_t sig[CERT_SIG_LEN];
	char *canon;			/* kept only when a worker must decode it */
	size_t canon_len;
	const char *content_why;	/* content check done in pass 1 (canon NULL) */
	char cert_no[64];
	char serial[CERT_STR];
};

/* Work shared by the verification threads. */
struct vjob {
	struct vrow *rows;
	size_t n;			/* rows to check */
	size_t nall;			/* rows read */
	unsigned flags;
	uint8_t pub[CERT_PUB_LEN];
	const char *fp;
	size_t next;			/* next chunk, under lock */
	pthread_mutex_t lock;
	size_t first_bad;		/* lowest failing index, under lock; n when none */
	char reason[512];
};

#define VCHUNK 256

/* Is `"key":"val"` (or `"key":val` with @quote false) in the canonical bytes? */
static bool has_member(const void *canon, size_t len, const char *key, const char *val,
		       bool quote)
{
	char pat[256];
	int n = snprintf(pat, sizeof(pat), quote ? "\"%s\":\"%s\"" : "\"%s\":%s", key, val);

	if (n < 0 || (size_t)n >= sizeof(pat))
		return false;
	return memmem(canon, len, pat, (size_t)n) != NULL;
}

/* Would @s be escaped in canonical JSON? Then a byte search cannot find it. */
static bool needs_escape(const char *s)
{
	for (; *s; s++)
		if (*s == '"' || *s == '\\' || (unsigned char)*s < 0x20)
			return true;
	return false;
}

/*
 * The signed bytes must bind position, number, key and serial; canonical
 * form makes a byte search exact for values that need no escaping.
 * Returns a reason or NULL.
 */
static const char *check_members(const void *canon, size_t len, uint64_t seq,
				 const char *cert_no, const char *serial, const char *fp)
{
	char num[24];
	int n;

	n = snprintf(num, sizeof(num), "%" PRIu64, seq);
	if (n < 0 || (size_t)n >= sizeof(num) || !has_member(canon, len, "seq", num, false))
		return "record states another chain position (moved?)";
	if (!has_member(canon, len, "cert_no", cert_no, true))
		return "certificate number column differs from the signed record";
	if (!has_member(canon, len, "key_fingerprint", fp, true))
		return "record names another station key (key replaced?)";
	if (!has_member(canon, len, "serial", serial, true))
		return "serial column differs from the signed record";
	return NULL;
}

/* Check one row's signature and its record's content. Returns a reason or NULL. */
static const char *check_row(struct cert_key *k, const struct vjob *j, size_t i,
			     struct cert_record *rec, char *buf, size_t len)
{
	const struct vrow *r = &j->rows[i];
	char err[256];
	int n;

	if (((j->flags & CERT_VERIFY_EVERY_SIG) || i + 1 == j->nall) &&
	    cert_verify_sig(k, r->hash, r->sig) != 0)
		return "signature does not verify with the station key";
	if (!r->canon)
		return r->content_why;
	if ((j->flags & CERT_VERIFY_DEEP) || needs_escape(r->serial) || needs_escape(r->cert_no)) {
		if (cert_record_decode(r->canon, r->canon_len, rec, err, sizeof(err)) != 0) {
			n = snprintf(buf, len, "record is not a valid canonical record: %s", err);
			if (n < 0 || (size_t)n >= len)
				return "record is not a valid canonical record";
			return buf;
		}
		if (rec->seq != r->seq)
			return "record states another chain position (moved?)";
		if (strcmp(rec->cert_no, r->cert_no) != 0)
			return "certificate number column differs from the signed record";
		if (strcmp(rec->serial, r->serial) != 0)
			return "serial column differs from the signed record";
		if (strcmp(rec->key_fingerprint, j->fp) != 0)
			return "record names another station key (key replaced?)";
		return NULL;
	}
	return check_members(r->canon, r->canon_len, r->seq, r->cert_no, r->serial, j->fp);
}

/* Verification thread: take chunks, check rows, note the lowest failure. */
static void *vworker(void *arg)
{
	struct vjob *j = arg;
	struct cert_record *rec = cert_record_new();
	struct cert_key *k = NULL;
	char buf[400];

	if (!rec || cert_key_from_public(j->pub, &k) != 0) {
		pthread_mutex_lock(&j->lock);
		j->first_bad = 0;
		snprintf(j->reason, sizeof(j->reason), "out of memory or bad station key");
		pthread_mutex_unlock(&j->lock);
		goto out;
	}
	for (;;) {
		size_t start, end, i;

		pthread_mutex_lock(&j->lock);
		start = j->next;
		j->next += VCHUNK;
		if (start >= j->first_bad)
			start = j->n;
		pthread_mutex_unlock(&j->lock);
		if (start >= j->n)
			break;
		end = start + VCHUNK < j->n ? start + VCHUNK : j->n;
		for (i = start; i < end; i++) {
			const char *why = check_row(k, j, i, rec, buf, sizeof(buf));

			if (why) {
				pthread_mutex_lock(&j->lock);
				if (i < j->first_bad) {
					j->first_bad = i;
					snprintf(j->reason, sizeof(j->reason), "%s", why);
				}
				pthread_mutex_unlock(&j->lock);
				break;
			}
		}
	}
out:
	cert_key_free(k);
	cert_record_free(rec);
	return NULL;
}

/* Note a failure in @v. Returns 1. */
__attribute__((format(printf, 5, 6)))
static int vfail(struct cert_verify *v, const char *fp, uint64_t seq, const char *cert_no,
		 const char *fmt, ...)
{
	va_list ap;
	int n;

	snprintf(v->fp, sizeof(v->fp), "%s", fp);
	v->bad_seq = seq;
	snprintf(v->cert_no, sizeof(v->cert_no), "%s", cert_no ? cert_no : "");
	va_start(ap, fmt);
	n = vsnprintf(v->reason, sizeof(v->reason), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(v->reason))
		v->reason[sizeof(v->reason) - 1] = '\0';
	return 1;
}

/* Free the rows of one station. */
static void free_rows(struct vrow *rows, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(rows[i].canon);
	free(rows);
}

/* Verify the chain of station @fp with public key @pub. */
static int verify_station(struct cert_ledger *l, const char *fp, const uint8_t *pub,
			  unsigned flags, struct cert_verify *v)
{
	uint8_t prev[CERT_HASH_LEN] = { 0 }, h[CERT_HASH_LEN];
	struct vjob job = { 0 };
	struct vrow *rows = NULL;
	size_t n = 0, cap = 0, i, bad = SIZE_MAX, nthreads;
	const char *why = NULL;
	char whybuf[256], sighex[2 * CERT_SIG_LEN + 1];
	pthread_t tid[VERIFY_THREADS_MAX];
	sqlite3_stmt *st = NULL;
	const void *blob;
	long ncpu;
	int rc, src, e;

	rc = prep(l, "cert_ledger_verify",
		  "SELECT seq, prev_hash, hash, sig, record, cert_no, serial FROM records"
		  " WHERE fp = ? ORDER BY seq", &st);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, fp, -1, SQLITE_STATIC);
	/* Pass 1, in order: sequence, links and hashes. */
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		struct vrow *r;
		uint64_t seq = (uint64_t)sqlite3_column_int64(st, 0);
		int clen = sqlite3_column_bytes(st, 4);

		if (n == cap) {
			struct vrow *nr = realloc(rows, (cap ? cap * 2 : 1024) * sizeof(*nr));

			if (!nr) {
				rc = lerr(l, -ENOMEM, "cert_ledger_verify: out of memory");
				goto out;
			}
			rows = nr;
			cap = cap ? cap * 2 : 1024;
		}
		r = &rows[n];
		memset(r, 0, sizeof(*r));
		r->seq = seq;
		snprintf(r->cert_no, sizeof(r->cert_no), "%s",
			 (const char *)sqlite3_column_text(st, 5));
		snprintf(r->serial, sizeof(r->serial), "%s", (const char *)sqlite3_column_text(st, 6));
		n++;
		if (seq != n) {
			/* Name the missing position, after checking everything before it. */
			r->seq = n;
			r->cert_no[0] = '\0';
			e = snprintf(whybuf, sizeof(whybuf), "record %zu is missing: the chain jumps"
				     " from record %zu to record %" PRIu64, n, n - 1, seq);
			if (e < 0 || (size_t)e >= sizeof(whybuf))
				whybuf[0] = '\0';
			bad = n - 1;
			why = whybuf;
			break;
		}
		if (sqlite3_column_bytes(st, 1) != CERT_HASH_LEN ||
		    memcmp(sqlite3_column_blob(st, 1), prev, CERT_HASH_LEN) != 0) {
			e = snprintf(whybuf, sizeof(whybuf), "previous-hash link does not match record %"
				     PRIu64 "'s hash (a record was removed, inserted or swapped)",
				     seq - 1);
			if (e < 0 || (size_t)e >= sizeof(whybuf))
				whybuf[0] = '\0';
			bad = n - 1;
			why = whybuf;
			break;
		}
		blob = sqlite3_column_blob(st, 4);
		if (!blob)
			blob = "";
		if ((flags & CERT_VERIFY_DEEP) || needs_escape(r->serial) || needs_escape(r->cert_no)) {
			/* A worker decodes it: keep a copy. */
			r->canon = malloc((size_t)clen + 1);
			if (!r->canon) {
				rc = lerr(l, -ENOMEM, "cert_ledger_verify: out of memory");
				goto out;
			}
			memcpy(r->canon, blob, (size_t)clen);
			r->canon[clen] = '\0';
			r->canon_len = (size_t)clen;
		} else {
			/*
			 * Check the content now, while SQLite holds the bytes, and keep no
			 * copy; the worker reports it after the signature, as before.
			 */
			r->content_why = check_members(blob, (size_t)clen, r->seq, r->cert_no,
						       r->serial, fp);
		}
		cert_chain_hash(prev, blob, (size_t)clen, h);
		if (sqlite3_column_bytes(st, 2) != CERT_HASH_LEN ||
		    memcmp(sqlite3_column_blob(st, 2), h, CERT_HASH_LEN) != 0) {
			/* Check every earlier signature first: the report names the first bad record. */
			bad = n - 1;
			why = "record content does not match its hash (altered)";
			break;
		}
		if (sqlite3_column_bytes(st, 3) != CERT_SIG_LEN) {
			bad = n - 1;
			why = "signature missing or malformed";
			break;
		}
		/*
		 * The record carries its predecessor's signature, so the head
		 * signature vouches for every stored signature too.
		 */
		if (n > 1)
			cert_hex(rows[n - 2].sig, CERT_SIG_LEN, sighex);
		else
			sighex[0] = '\0';
		if (!has_member(blob, (size_t)clen, "prev_signature", sighex, true)) {
			if (n > 1 && has_member(blob, (size_t)clen, "format", CERT_FORMAT, true)) {
				e = snprintf(whybuf, sizeof(whybuf), "stored signature differs from the"
					     " copy record %" PRIu64 " carries (signature altered)",
					     seq);
				if (e < 0 || (size_t)e >= sizeof(whybuf))
					whybuf[0] = '\0';
				bad = n - 2;
			} else {
				snprintf(whybuf, sizeof(whybuf), "record does not carry the previous"
					 " record's signature (not a %s record)", CERT_FORMAT);
				bad = n - 1;
			}
			why = whybuf;
			break;
		}
		memcpy(r->hash, h, CERT_HASH_LEN);
		memcpy(r->sig, sqlite3_column_blob(st, 3), CERT_SIG_LEN);
		memcpy(prev, h, CERT_HASH_LEN);
	}
	if (bad == SIZE_MAX && src != SQLITE_DONE) {
		rc = sqerr(l, "cert_ledger_verify", src);
		vfail(v, fp, 0, NULL, "the ledger file cannot be read: %s", sqlite3_errmsg(l->db));
		goto out;
	}
	/* Pass 2, in parallel: signatures and record content up to the first bad link. */
	job.rows = rows;
	job.n = bad == SIZE_MAX ? n : bad;
	job.first_bad = job.n;
	job.nall = bad == SIZE_MAX ? n : bad;
	job.flags = flags;
	job.fp = fp;
	memcpy(job.pub, pub, CERT_PUB_LEN);
	pthread_mutex_init(&job.lock, NULL);
	ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	nthreads = ncpu < 1 ? 1 : ncpu > VERIFY_THREADS_MAX ? VERIFY_THREADS_MAX : (size_t)ncpu;
	if (job.n < 2 * VCHUNK)
		nthreads = 1;
	for (i = 0; i < nthreads; i++)
		if (pthread_create(&tid[i], NULL, vworker, &job) != 0)
			break;
	if (i == 0)
		vworker(&job);
	nthreads = i;
	for (i = 0; i < nthreads; i++)
		pthread_join(tid[i], NULL);
	pthread_mutex_destroy(&job.lock);
	if (job.first_bad < job.n) {
		rc = vfail(v, fp, rows[job.first_bad].seq, rows[job.first_bad].cert_no, "%s",
			   job.reason);
		goto out;
	}
	if (bad != SIZE_MAX) {
		rc = vfail(v, fp, rows[bad].seq, rows[bad].cert_no, "%s", why);
		goto out;
	}
	v->records += n;
	v->head_seq = n;
	memcpy(v->head, prev, CERT_HASH_LEN);
	rc = 0;
out:
	sqlite3_finalize(st);
	if (rows)
		free_rows(rows, n);
	return rc;
}

/* A PDF registered for a record that is not there means the tail was cut off. */
static int verify_pdfs(struct cert_ledger *l, struct cert_verify *v)
{
	sqlite3_stmt *st = NULL;
	int rc, src;

	rc = prep(l, "cert_ledger_verify",
		  "SELECT p.fp, p.seq FROM pdfs p WHERE NOT EXISTS (SELECT 1 FROM records r"
		  " WHERE r.fp = p.fp AND r.seq = p.seq) ORDER BY p.fp, p.seq LIMIT 1", &st);
	if (rc)
		return rc;
	src = sqlite3_step(st);
	if (src == SQLITE_ROW)
		rc = vfail(v, (const char *)sqlite3_column_text(st, 0),
			   (uint64_t)sqlite3_column_int64(st, 1), NULL,
			   "a certificate was issued for this record but the record is missing");
	else if (src != SQLITE_DONE)
		rc = sqerr(l, "cert_ledger_verify", src);
	sqlite3_finalize(st);
	return rc;
}

int cert_ledger_verify(struct cert_ledger *l, unsigned flags, struct cert_verify *v)
{
	sqlite3_stmt *st = NULL;
	char own[CERT_FP_HEX], fp[CERT_FP_HEX];
	bool own_seen = false;
	int rc, src;

	memset(v, 0, sizeof(*v));
	if ((rc = own_fp(l, own)))
		goto fail;
	rc = exec(l, "cert_ledger_verify", "BEGIN");
	if (rc)
		goto fail;
	rc = prep(l, "cert_ledger_verify", "SELECT fp, pubkey FROM stations ORDER BY fp", &st);
	if (rc)
		goto fail;
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		uint8_t pub[CERT_PUB_LEN];
		char calc[CERT_FP_HEX];

		snprintf(fp, sizeof(fp), "%s", (const char *)sqlite3_column_text(st, 0));
		v->stations++;
		if (!strcmp(fp, own))
			own_seen = true;
		if (sqlite3_column_bytes(st, 1) != CERT_PUB_LEN) {
			rc = vfail(v, fp, 0, NULL, "station key %.16s is malformed", fp);
			break;
		}
		memcpy(pub, sqlite3_column_blob(st, 1), CERT_PUB_LEN);
		cert_fingerprint(pub, calc);
		if (strcmp(calc, fp) != 0) {
			rc = vfail(v, fp, 0, NULL,
				   "station key does not match its fingerprint %.16s (key replaced)", fp);
			break;
		}
		rc = verify_station(l, fp, pub, flags, v);
		if (rc)
			break;
	}
	if (!rc && src != SQLITE_DONE && src != SQLITE_ROW) {
		rc = sqerr(l, "cert_ledger_verify", src);
		vfail(v, "", 0, NULL, "the ledger file cannot be read: %s", l->err);
	}
	sqlite3_finalize(st);
	st = NULL;
	if (!rc && own[0] && !own_seen)
		rc = vfail(v, own, 0, NULL, "the station's own key %.16s is missing from the ledger",
			   own);
	if (!rc) {
		sqlite3_stmt *c = NULL;

		/* Records whose station has no key at all. */
		rc = prep(l, "cert_ledger_verify",
			  "SELECT fp, seq, cert_no FROM records WHERE fp NOT IN (SELECT fp FROM stations)"
			  " LIMIT 1", &c);
		if (!rc) {
			if (sqlite3_step(c) == SQLITE_ROW)
				rc = vfail(v, (const char *)sqlite3_column_text(c, 0),
					   (uint64_t)sqlite3_column_int64(c, 1),
					   (const char *)sqlite3_column_text(c, 2),
					   "record is signed by an unknown station key (forged)");
			sqlite3_finalize(c);
		}
	}
	if (!rc)
		rc = verify_pdfs(l, v);
	sqlite3_exec(l->db, "COMMIT", NULL, NULL, NULL);
	if (rc < 0 && !v->reason[0])
		snprintf(v->reason, sizeof(v->reason), "%s", l->err);
	return rc;
fail:
	snprintf(v->reason, sizeof(v->reason), "the ledger file cannot be read: %s", l->err);
	return rc;
}

/* ---- raw access for other registries ---- */

int cert_ledger_each_station(struct cert_ledger *l,
			     int (*cb)(const char *fp, const uint8_t pub[CERT_PUB_LEN],
				       const char *station_id, void *arg), void *arg)
{
	sqlite3_stmt *st = NULL;
	int rc, src;

	rc = prep(l, "cert_ledger_each_station",
		  "SELECT fp, pubkey, station_id FROM stations ORDER BY fp", &st);
	if (rc)
		return rc;
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_bytes(st, 1) != CERT_PUB_LEN) {
			rc = lerr(l, -EBADMSG, "cert_ledger_each_station: station key %.16s is malformed",
				  (const char *)sqlite3_column_text(st, 0));
			break;
		}
		rc = cb((const char *)sqlite3_column_text(st, 0), sqlite3_column_blob(st, 1),
			(const char *)sqlite3_column_text(st, 2), arg);
		if (rc)
			break;
	}
	if (!rc && src != SQLITE_DONE)
		rc = sqerr(l, "cert_ledger_each_station", src);
	sqlite3_finalize(st);
	return rc;
}

int cert_ledger_each_pdf(struct cert_ledger *l,
			 int (*cb)(const char *fp, uint64_t seq, const char *lang,
				   const uint8_t sha[CERT_HASH_LEN], void *arg), void *arg)
{
	sqlite3_stmt *st = NULL;
	int rc, src;

	rc = prep(l, "cert_ledger_each_pdf", "SELECT fp, seq, lang, sha256 FROM pdfs"
		  " ORDER BY fp, seq, lang", &st);
	if (rc)
		return rc;
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_bytes(st, 3) != CERT_HASH_LEN)
			continue;	/* the verifier ignores these too */
		rc = cb((const char *)sqlite3_column_text(st, 0),
			(uint64_t)sqlite3_column_int64(st, 1), (const char *)sqlite3_column_text(st, 2),
			sqlite3_column_blob(st, 3), arg);
		if (rc)
			break;
	}
	if (!rc && src != SQLITE_DONE)
		rc = sqerr(l, "cert_ledger_each_pdf", src);
	sqlite3_finalize(st);
	return rc;
}

int cert_ledger_each_record(struct cert_ledger *l, const char *fp,
			    int (*cb)(const struct cert_entry *e, void *arg), void *arg)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = prep(l, "cert_ledger_each_record",
		  "SELECT " ENTRY_COLS " WHERE r.fp = ? ORDER BY r.seq", &st);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, fp, -1, SQLITE_STATIC);
	return each_entry(l, st, "cert_ledger_each_record", cb, arg);
}

int cert_ledger_put_station(struct cert_ledger *l, const char *fp,
			    const uint8_t pub[CERT_PUB_LEN], const char *station_id)
{
	sqlite3_stmt *st = NULL;
	int rc, src;

	rc = prep(l, "cert_ledger_put_station", "INSERT INTO stations VALUES(?, ?, ?)", &st);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, fp, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, pub, CERT_PUB_LEN, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, station_id, -1, SQLITE_STATIC);
	src = sqlite3_step(st);
	if (src != SQLITE_DONE)
		rc = sqerr(l, "cert_ledger_put_station", src);
	sqlite3_finalize(st);
	return rc;
}

int cert_ledger_put_raw(struct cert_ledger *l, const struct cert_entry *e)
{
	sqlite3_stmt *st = NULL;
	int rc, src;

	rc = prep(l, "cert_ledger_put_raw", "INSERT INTO records VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		  &st);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, e->fp, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)e->seq);
	sqlite3_bind_text(st, 3, e->cert_no, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, e->serial, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, e->ended);
	sqlite3_bind_int64(st, 6, e->issued);
	sqlite3_bind_blob(st, 7, e->canon, (int)e->canon_len, SQLITE_STATIC);
	sqlite3_bind_blob(st, 8, e->prev, CERT_HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_blob(st, 9, e->hash, CERT_HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_blob(st, 10, e->sig, CERT_SIG_LEN, SQLITE_STATIC);
	src = sqlite3_step(st);
	if (src != SQLITE_DONE)
		rc = sqerr(l, "cert_ledger_put_raw", src);
	sqlite3_finalize(st);
	return rc;
}

int cert_ledger_begin(struct cert_ledger *l)
{
	return exec(l, "cert_ledger_begin", "BEGIN IMMEDIATE");
}

int cert_ledger_commit(struct cert_ledger *l)
{
	return exec(l, "cert_ledger_commit", "COMMIT");
}

/* ---- merge and export ---- */

int cert_ledger_merge(struct cert_ledger *dst, struct cert_ledger *src, uint64_t *added)
{
	struct cert_verify v;
	sqlite3_stmt *ss = NULL, *sr = NULL, *ins = NULL, *dh = NULL;
	bool in_tx = false;
	int rc, s;

	*added = 0;
	rc = cert_ledger_verify(src, 0, &v);
	if (rc < 0)
		return lerr(dst, rc, "cert_ledger_merge: %s: %s", src->path, v.reason);
	if (rc > 0)
		return lerr(dst, -EBADMSG, "cert_ledger_merge: %s does not verify: record %" PRIu64
			    " of station %.16s: %s", src->path, v.bad_seq, v.fp, v.reason);
	if ((rc = exec(dst, "cert_ledger_merge", "BEGIN IMMEDIATE")))
		return rc;
	in_tx = true;
	rc = prep(src, "cert_ledger_merge", "SELECT fp, pubkey, station_id FROM stations", &ss);
	if (rc) {
		lerr(dst, rc, "%s", src->err);
		goto out;
	}
	while ((s = sqlite3_step(ss)) == SQLITE_ROW) {
		const char *fp = (const char *)sqlite3_column_text(ss, 0);
		uint64_t have;
		uint8_t hh[CERT_HASH_LEN];
		sqlite3_stmt *si = NULL;

		rc = prep(dst, "cert_ledger_merge", "INSERT OR IGNORE INTO stations VALUES(?, ?, ?)",
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
			rc = sqerr(dst, "cert_ledger_merge", s);
			goto out;
		}
		if ((rc = head_of(dst, fp, &have, hh, NULL, NULL)))
			goto out;
		rc = prep(src, "cert_ledger_merge",
			  "SELECT fp, seq, cert_no, serial, ended, issued, record, prev_hash, hash, sig"
			  " FROM records WHERE fp = ? ORDER BY seq", &sr);
		if (rc) {
			lerr(dst, rc, "%s", src->err);
			goto out;
		}
		sqlite3_bind_text(sr, 1, fp, -1, SQLITE_TRANSIENT);
		rc = prep(dst, "cert_ledger_merge",
			  "INSERT INTO records VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", &ins);
		if (rc)
			goto out;
		rc = prep(dst, "cert_ledger_merge", "SELECT hash FROM records WHERE fp = ? AND seq = ?",
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
					rc = lerr(dst, -EBADMSG, "cert_ledger_merge: station %.16s: record %"
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
				rc = sqerr(dst, "cert_ledger_merge", s);
				goto out;
			}
			(*added)++;
		}
		if (s != SQLITE_DONE) {
			rc = lerr(dst, -EIO, "cert_ledger_merge: reading %s failed", src->path);
			goto out;
		}
		sqlite3_finalize(sr);
		sqlite3_finalize(ins);
		sqlite3_finalize(dh);
		sr = ins = dh = NULL;
	}
	if (s != SQLITE_DONE) {
		rc = lerr(dst, -EIO, "cert_ledger_merge: reading %s failed", src->path);
		goto out;
	}
	/* Keep the issued PDFs' hashes too. */
	sqlite3_finalize(ss);
	ss = NULL;
	rc = prep(src, "cert_ledger_merge", "SELECT fp, seq, lang, sha256 FROM pdfs", &ss);
	if (rc) {
		lerr(dst, rc, "%s", src->err);
		goto out;
	}
	rc = prep(dst, "cert_ledger_merge", "INSERT OR IGNORE INTO pdfs VALUES(?, ?, ?, ?)", &ins);
	if (rc)
		goto out;
	while ((s = sqlite3_step(ss)) == SQLITE_ROW) {
		int c;

		sqlite3_reset(ins);
		for (c = 0; c < 4; c++)
			sqlite3_bind_value(ins, c + 1, sqlite3_column_value(ss, c));
		if (sqlite3_step(ins) != SQLITE_DONE) {
			rc = sqerr(dst, "cert_ledger_merge", s);
			goto out;
		}
	}
	if ((rc = exec(dst, "cert_ledger_merge", "COMMIT")))
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
		return lerr(l, -EEXIST, "cert_ledger_export: %s exists", path);
	rc = prep(l, "cert_ledger_export", "VACUUM INTO ?", &st);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	src = sqlite3_step(st);
	sqlite3_finalize(st);
	if (src != SQLITE_DONE)
		return sqerr(l, "cert_ledger_export", src);
	if (!upto)
		return 0;
	/* A prefix of each chain still verifies on its own. */
	rc = cert_ledger_open(path, 0, &c, err, sizeof(err));
	if (rc)
		return lerr(l, rc, "cert_ledger_export: %s", err);
	rc = prep(c, "cert_ledger_export", "SELECT 1", &st);
	sqlite3_finalize(st);
	st = NULL;
	if (!rc)
		rc = exec(c, "cert_ledger_export",
			  "DROP TRIGGER records_no_delete; BEGIN;");
	if (!rc) {
		rc = prep(c, "cert_ledger_export", "DELETE FROM records WHERE seq > ?", &st);
		if (!rc) {
			sqlite3_bind_int64(st, 1, (sqlite3_int64)upto);
			src = sqlite3_step(st);
			if (src != SQLITE_DONE)
				rc = sqerr(c, "cert_ledger_export", src);
			sqlite3_finalize(st);
			st = NULL;
		}
	}
	if (!rc) {
		rc = prep(c, "cert_ledger_export", "DELETE FROM pdfs WHERE seq > ?", &st);
		if (!rc) {
			sqlite3_bind_int64(st, 1, (sqlite3_int64)upto);
			if (sqlite3_step(st) != SQLITE_DONE)
				rc = sqerr(c, "cert_ledger_export", SQLITE_ERROR);
			sqlite3_finalize(st);
		}
	}
	if (!rc)
		rc = exec(c, "cert_ledger_export",
			  "COMMIT; CREATE TRIGGER records_no_delete BEFORE DELETE ON records"
			  " BEGIN SELECT RAISE(ABORT, 'ledger records are append-only'); END;");
	if (rc)
		lerr(l, rc, "%s", c->err);
	cert_ledger_close(c);
	if (rc)
		unlink(path);
	return rc;
}

/* ---- jobs under way ---- */

int cert_ledger_job_add(struct cert_ledger *l, const struct cert_open_job *j, int64_t *id)
{
	sqlite3_stmt *st = NULL;
	int rc, src;

	rc = prep(l, "cert_ledger_job_add",
		  "INSERT INTO open_jobs(boot_id, pid, pid_start, started, serial, record)"
		  " VALUES(?, ?, ?, ?, ?, ?)", &st);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, j->boot_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, j->pid);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)j->pid_start);
	sqlite3_bind_int64(st, 4, j->started);
	sqlite3_bind_text(st, 5, j->serial, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 6, j->record, (int)j->record_len, SQLITE_STATIC);
	src = sqlite3_step(st);
	if (src != SQLITE_DONE)
		rc = sqerr(l, "cert_ledger_job_add", src);
	else
		*id = (int64_t)sqlite3_last_insert_rowid(l->db);
	sqlite3_finalize(st);
	return rc;
}

int cert_ledger_job_drop(struct cert_ledger *l, int64_t id)
{
	sqlite3_stmt *st = NULL;
	int rc, src;

	rc = prep(l, "cert_ledger_job_drop", "DELETE FROM open_jobs WHERE id = ?", &st);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	src = sqlite3_step(st);
	if (src != SQLITE_DONE)
		rc = sqerr(l, "cert_ledger_job_drop", src);
	sqlite3_finalize(st);
	return rc;
}

int cert_ledger_each_job(struct cert_ledger *l,
			 int (*cb)(const struct cert_open_job *j, void *arg), void *arg)
{
	sqlite3_stmt *st = NULL;
	int rc, src;

	rc = prep(l, "cert_ledger_each_job",
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
		rc = sqerr(l, "cert_ledger_each_job", src);
	sqlite3_finalize(st);
	return rc;
}
