/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The SQLite ledger: open, append, read. Verification is in ledger-verify.c, merge and
 * export in ledger-merge.c, the open-jobs table in ledger-jobs.c. */
#include "config.h"

#include "certs/ledger.h"
#include "certs/ledger-impl.h"
#include "certs/custody.h"
#include "certs/custody-impl.h"
#include "certs/validate.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

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
	"INSERT OR IGNORE INTO meta VALUES('format', '" LEDGER_FORMAT "');";

int ledger_err(struct cert_ledger *l, int rc, const char *fmt, ...)
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

int ledger_sqerr(struct cert_ledger *l, const char *fn, int src)
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
	return ledger_err(l, rc, "%s: %s", fn, l->db ? sqlite3_errmsg(l->db) : sqlite3_errstr(src));
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

int ledger_exec(struct cert_ledger *l, const char *fn, const char *sql)
{
	int src = sqlite3_exec(l->db, sql, NULL, NULL, NULL);

	return src == SQLITE_OK ? 0 : ledger_sqerr(l, fn, src);
}

int ledger_prep(struct cert_ledger *l, const char *fn, const char *sql, sqlite3_stmt **st)
{
	int src = sqlite3_prepare_v2(l->db, sql, -1, st, NULL);

	return src == SQLITE_OK ? 0 : ledger_sqerr(l, fn, src);
}

int ledger_meta_get(struct cert_ledger *l, const char *key, char *buf, size_t len)
{
	sqlite3_stmt *st = NULL;
	int rc, src;

	buf[0] = '\0';
	rc = ledger_prep(l, "meta_get", "SELECT value FROM meta WHERE key = ?", &st);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	src = sqlite3_step(st);
	if (src == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(st, 0);

		if (v && strlen(v) < len)
			strcpy(buf, v);
	} else if (src != SQLITE_DONE) {
		rc = ledger_sqerr(l, "meta_get", src);
	}
	sqlite3_finalize(st);
	return rc;
}

bool ledger_has_column(struct cert_ledger *l, const char *t, const char *c)
{
	sqlite3_stmt *st = NULL;
	bool have = false;

	if (sqlite3_prepare_v2(l->db, "SELECT 1 FROM pragma_table_info(?) WHERE name = ?", -1, &st,
			       NULL) != SQLITE_OK)
		return false;
	sqlite3_bind_text(st, 1, t, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, c, -1, SQLITE_STATIC);
	have = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return have;
}

/* Bring a ledger made by an older Tabula up to the current schema (inside create_schema). */
static int migrate(struct cert_ledger *l)
{
	if (ledger_has_column(l, "open_jobs", "id") && !ledger_has_column(l, "open_jobs", "sig"))
		return ledger_exec(l, "cert_ledger_open",
				   "ALTER TABLE open_jobs ADD COLUMN sig BLOB NOT NULL DEFAULT x''");
	return 0;
}

/*
 * Create the tables in one transaction: a process killed while creating a
 * ledger leaves an empty file, never a half-made one.
 */
static int create_schema(struct cert_ledger *l)
{
	int rc = ledger_exec(l, "cert_ledger_open", "BEGIN IMMEDIATE");

	if (rc)
		return rc;
	if ((rc = migrate(l)) || (rc = ledger_exec(l, "cert_ledger_open", schema)) ||
	    (rc = ledger_exec(l, "cert_ledger_open", "COMMIT")))
		sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
	if (rc == -EEXIST)
		/* Only the unique index can fail so: an older ledger that holds a number twice. */
		rc = ledger_err(l, -EBADMSG, "%s holds one certificate number in two records"
				" (altered): nothing is added to it; run certs verify", l->path);
	return rc;
}

/* Does the file hold any table at all? */
static int holds_tables(struct cert_ledger *l, bool *any)
{
	sqlite3_stmt *st = NULL;
	int rc, src;

	rc = ledger_prep(l, "cert_ledger_open", "SELECT 1 FROM sqlite_master LIMIT 1", &st);
	if (rc)
		return rc;
	src = sqlite3_step(st);
	*any = src == SQLITE_ROW;
	if (src != SQLITE_ROW && src != SQLITE_DONE)
		rc = ledger_sqerr(l, "cert_ledger_open", src);
	sqlite3_finalize(st);
	return rc;
}

/* Check (and with CERT_LEDGER_CREATE make) the ledger in @l->db. */
static int ledger_setup(struct cert_ledger *l, unsigned flags)
{
	char fmt[64];
	int rc;

	sqlite3_busy_timeout(l->db, 10000);
	sqlite3_extended_result_codes(l->db, 0);
	if (!(flags & CERT_LEDGER_READONLY)) {
		if ((rc = ledger_exec(l, "cert_ledger_open", "PRAGMA journal_mode=WAL")) ||
		    (rc = ledger_exec(l, "cert_ledger_open", "PRAGMA synchronous=FULL")) ||
		    (rc = create_schema(l)))
			return rc;
	} else {
		bool any;

		if ((rc = holds_tables(l, &any)))
			return rc;
		if (!any)
			return ledger_err(l, -ENOENT, "cert_ledger_open: %s holds no ledger yet (empty,"
					  " or its creation was interrupted before the first record)",
					  l->path);
	}
	if ((rc = ledger_meta_get(l, "format", fmt, sizeof(fmt))))
		return rc;
	if (strcmp(fmt, LEDGER_FORMAT) != 0)
		return ledger_err(l, -EBADMSG, "cert_ledger_open: %s is not a Tabula ledger", l->path);
	if ((rc = ledger_meta_get(l, "lang", l->lang, sizeof(l->lang))))
		return rc;
	if (!l->lang[0])
		strcpy(l->lang, "en");
	l->jobs_signed = ledger_has_column(l, "open_jobs", "sig");
	l->has_trust = ledger_has_column(l, "trust_log", "hash");
	return 0;
}



/* Hand out @l, or on failure copy its message to @err and close it. */
static int ledger_hand_out(struct cert_ledger *l, int rc, struct cert_ledger **out, char *err,
			   size_t errlen)
{
	int n;

	if (!rc) {
		*out = l;
		return 0;
	}
	if (err && errlen) {
		n = snprintf(err, errlen, "%s", l->err);
		if (n < 0 || (size_t)n >= errlen)
			err[errlen - 1] = '\0';
	}
	cert_ledger_close(l);
	return rc;
}

int cert_ledger_open(const char *path, unsigned flags, struct cert_ledger **out, char *err,
		     size_t errlen)
{
	struct cert_ledger *l = calloc(1, sizeof(*l));
	int oflags, src, rc;

	*out = NULL;
	if (!l || !(l->path = strdup(path))) {
		free(l);
		return -ENOMEM;
	}
	oflags = (flags & CERT_LEDGER_READONLY) ? SQLITE_OPEN_READONLY :
		 SQLITE_OPEN_READWRITE | ((flags & CERT_LEDGER_CREATE) ? SQLITE_OPEN_CREATE : 0);
	if (!(flags & CERT_LEDGER_CREATE) && access(path, F_OK) != 0) {
		rc = ledger_err(l, -errno, "cert_ledger_open: %s: %s", path, strerror(errno));
	} else {
		src = sqlite3_open_v2(path, &l->db, oflags | SQLITE_OPEN_NOMUTEX, NULL);
		rc = src == SQLITE_OK ? ledger_setup(l, flags) : ledger_sqerr(l, "cert_ledger_open", src);
	}
	return ledger_hand_out(l, rc, out, err, errlen);
}

int cert_ledger_adopt(sqlite3 *db, const char *name, unsigned flags, struct cert_ledger **out,
		      char *err, size_t errlen)
{
	struct cert_ledger *l = calloc(1, sizeof(*l));

	*out = NULL;
	if (!l || !(l->path = strdup(name))) {
		free(l);
		sqlite3_close_v2(db);
		return -ENOMEM;
	}
	l->db = db;
	l->adopted = true;
	return ledger_hand_out(l, ledger_setup(l, flags), out, err, errlen);
}

void cert_ledger_close(struct cert_ledger *l)
{
	if (!l)
		return;
	if (l->db)
		sqlite3_close_v2(l->db);
	if (l->own_custody)
		cert_custody_free(l->custody);
	cert_record_free(l->rec);
	for (unsigned i = 0; i < sizeof(l->seen) / sizeof(l->seen[0]); i++)
		free(l->seen[i].canon);
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
		return ledger_err(l, -EINVAL, "cert_ledger_set_lang: unknown language \"%s\"", lang);
	rc = ledger_prep(l, "cert_ledger_set_lang", "INSERT OR REPLACE INTO meta VALUES('lang', ?)", &st);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, lang, -1, SQLITE_STATIC);
	src = sqlite3_step(st);
	sqlite3_finalize(st);
	if (src != SQLITE_DONE)
		return ledger_sqerr(l, "cert_ledger_set_lang", src);
	strcpy(l->lang, lang);
	return 0;
}

/* Meta "station_fp". */
int ledger_own_fp(struct cert_ledger *l, char fp[CERT_FP_HEX])
{
	return ledger_meta_get(l, "station_fp", fp, CERT_FP_HEX);
}

/* Does "<ledger>.sealed" exist (the ledger's key is sealed by a TPM)? */
static bool ledger_sealed(const struct cert_ledger *l)
{
	char path[4096];
	struct stat sb;
	int n = snprintf(path, sizeof(path), "%s.sealed", l->path);

	return n > 0 && (size_t)n < sizeof(path) && lstat(path, &sb) == 0;
}

/* Check @c holds this ledger's station key, then hand it to @l. */
static int ledger_set_custody(struct cert_ledger *l, struct cert_custody *c, bool take)
{
	char have[CERT_FP_HEX];
	int rc;

	if ((rc = ledger_own_fp(l, have))) {
		if (take)
			cert_custody_free(c);
		return rc;
	}
	if (have[0] && strcmp(have, cert_custody_fingerprint(c)) != 0) {
		rc = ledger_err(l, -EKEYREJECTED,
			    "cert_ledger_use_key: %s is not the key of this ledger (%.16s...)",
			    c->where, have);
		if (take)
			cert_custody_free(c);
		return rc;
	}
	if (l->own_custody)
		cert_custody_free(l->custody);
	l->custody = c;
	l->own_custody = take;
	memcpy(l->fp, cert_custody_fingerprint(c), CERT_FP_HEX);
	return 0;
}

int cert_ledger_use_custody(struct cert_ledger *l, struct cert_custody *c)
{
	return ledger_set_custody(l, c, false);
}

int cert_ledger_take_custody(struct cert_ledger *l, struct cert_custody *c)
{
	return ledger_set_custody(l, c, true);
}

int cert_ledger_use_key(struct cert_ledger *l, const char *key_path)
{
	char spec[4096 + 8], have[CERT_FP_HEX], err[512];
	struct cert_custody *c = NULL;
	int rc, n;

	if (key_path) {
		n = snprintf(spec, sizeof(spec), "file:%s", key_path);
	} else {
		/* A ledger whose key a TPM sealed never silently gets a key file. */
		if (ledger_sealed(l))
			return ledger_err(l, -EKEYREJECTED,
				    "%s: the station key is sealed by a TPM (%s.sealed); use TPM"
				    " custody (--custody tpm)", l->path, l->path);
		n = snprintf(spec, sizeof(spec), "file");
	}
	if (n < 0 || (size_t)n >= sizeof(spec))
		return ledger_err(l, -ENAMETOOLONG, "cert_ledger_use_key: path too long");
	if ((rc = ledger_own_fp(l, have)))
		return rc;
	/* A ledger that already has a key never silently gets a new one. */
	rc = cert_custody_open(spec, l->path, have[0] == '\0' ? CERT_CUSTODY_CREATE : 0, &c, err,
			       sizeof(err));
	if (rc)
		return ledger_err(l, rc, "%s%s", err,
			    rc == -ENOENT ? " (the ledger was signed with another key)" : "");
	return ledger_set_custody(l, c, true);
}

int cert_ledger_use_custody_spec(struct cert_ledger *l, const char *spec)
{
	struct cert_custody *c = NULL;
	char err[512];
	int rc;

	if (!spec || !spec[0])
		spec = getenv("TABULA_CUSTODY");
	if (!spec || !spec[0])
		spec = ledger_sealed(l) ? CERT_CUSTODY_TPM : CERT_CUSTODY_FILE;
	if (!strcmp(spec, CERT_CUSTODY_FILE))
		return cert_ledger_use_key(l, NULL);
	if (!strncmp(spec, CERT_CUSTODY_FILE ":", 5))
		return cert_ledger_use_key(l, spec + 5);
	rc = cert_custody_open(spec, l->path, 0, &c, err, sizeof(err));
	if (rc)
		return ledger_err(l, rc, "%s", err);
	return ledger_set_custody(l, c, true);
}

/* Register the station key and meta on the first append (inside the transaction). */
int ledger_register_station(struct cert_ledger *l, const char *station_id)
{
	uint8_t pub[CERT_PUB_LEN];
	sqlite3_stmt *st = NULL;
	int rc, src;

	cert_custody_public(l->custody, pub);
	rc = ledger_prep(l, "register_station", "INSERT OR IGNORE INTO stations VALUES(?, ?, ?)", &st);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, l->fp, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, pub, sizeof(pub), SQLITE_STATIC);
	sqlite3_bind_text(st, 3, station_id, -1, SQLITE_STATIC);
	src = sqlite3_step(st);
	sqlite3_finalize(st);
	if (src != SQLITE_DONE)
		return ledger_sqerr(l, "register_station", src);
	rc = ledger_prep(l, "register_station", "INSERT OR IGNORE INTO meta VALUES('station_fp', ?)", &st);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, l->fp, -1, SQLITE_STATIC);
	src = sqlite3_step(st);
	sqlite3_finalize(st);
	return src == SQLITE_DONE ? 0 : ledger_sqerr(l, "register_station", src);
}

int ledger_own_pub(struct cert_ledger *l, uint8_t pub[CERT_PUB_LEN])
{
	char fp[CERT_FP_HEX];
	sqlite3_stmt *st = NULL;
	int rc, src;

	if ((rc = ledger_own_fp(l, fp)))
		return rc;
	if (!fp[0])
		return -ENOENT;
	rc = ledger_prep(l, "own_pub", "SELECT pubkey FROM stations WHERE fp = ?", &st);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, fp, -1, SQLITE_STATIC);
	src = sqlite3_step(st);
	if (src == SQLITE_ROW && sqlite3_column_bytes(st, 0) == CERT_PUB_LEN)
		memcpy(pub, sqlite3_column_blob(st, 0), CERT_PUB_LEN);
	else
		rc = src == SQLITE_ROW || src == SQLITE_DONE ? -ENOENT : ledger_sqerr(l, "own_pub", src);
	sqlite3_finalize(st);
	return rc;
}

int ledger_head_of(struct cert_ledger *l, const char *fp, uint64_t *seq, uint8_t hash[32],
		   uint8_t sig[CERT_SIG_LEN], bool *have_sig)
{
	sqlite3_stmt *st = NULL;
	int rc, src;

	*seq = 0;
	memset(hash, 0, CERT_HASH_LEN);
	if (have_sig)
		*have_sig = false;
	rc = ledger_prep(l, "head_of",
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
		rc = ledger_sqerr(l, "head_of", src);
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
	struct cert_custody_check chk;
	uint64_t seq, counter = 0, now_counter;
	int64_t now = (int64_t)time(NULL);
	char why[512];
	int rc, src, n;

	/* Nothing that cannot be decoded, shown and verified is ever signed. */
	if ((rc = cert_record_check(r, CERT_CHECK_TIMES, now, why, sizeof(why))))
		return ledger_err(l, rc, "not appended: %s", why);
	if (!l->custody && (rc = cert_ledger_use_custody_spec(l, NULL)))
		return rc;
	if ((rc = ledger_exec(l, "cert_ledger_append", "BEGIN IMMEDIATE")))
		return rc;
	in_tx = true;
	if ((rc = ledger_register_station(l, r->station_id[0] ? r->station_id : "TABULA")))
		goto out;
	if ((rc = ledger_head_of(l, l->fp, &seq, prev, prev_sig, &have_sig)))
		goto out;
	if (seq && !have_sig) {
		rc = ledger_err(l, -EBADMSG, "cert_ledger_append: the chain head's signature is malformed;"
			  " run certs verify");
		goto out;
	}
	/*
	 * A custody with a counter: the head must carry the counter's value
	 * (else the ledger was rolled back or cut), and this record carries
	 * the next one. Read inside the transaction, so two appenders to this
	 * ledger cannot both take one value.
	 */
	if (cert_custody_has_counter(l->custody)) {
		rc = ledger_counter_gate(l, l->custody, seq, &counter, &chk);
		if (rc == 1)
			rc = ledger_err(l, -ESTALE, "%s", chk.message);
		if (rc)
			goto out;
	}
	snprintf(r->custody, sizeof(r->custody), "%s", cert_custody_name(l->custody));
	r->custody_counter = counter;
	if (seq)
		cert_hex(prev_sig, CERT_SIG_LEN, r->prev_sig);
	else
		r->prev_sig[0] = '\0';
	seq++;
	r->seq = seq;
	n = snprintf(r->cert_no, sizeof(r->cert_no), "%s-%06" PRIu64,
		     r->station_id[0] ? r->station_id : "TABULA", seq);
	if (n < 0 || (size_t)n >= sizeof(r->cert_no)) {
		rc = ledger_err(l, -ENAMETOOLONG, "cert_ledger_append: station id too long");
		goto out;
	}
	memcpy(r->key_fingerprint, l->fp, CERT_FP_HEX);
	if ((rc = cert_record_encode(r, &canon))) {
		ledger_err(l, rc, "cert_ledger_append: cannot encode the record");
		goto out;
	}
	if ((rc = cert_record_roundtrip(r, canon.p, canon.len, why, sizeof(why)))) {
		ledger_err(l, rc, "not appended: %s", why);
		goto out;
	}
	cert_chain_hash(prev, canon.p, canon.len, hash);
	if ((rc = cert_custody_sign(l->custody, hash, sig))) {
		ledger_err(l, rc, "cert_ledger_append: signing failed: %s",
			   cert_custody_error(l->custody));
		goto out;
	}
	rc = ledger_prep(l, "cert_ledger_append",
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
		rc = ledger_sqerr(l, "cert_ledger_append", src);
		goto out;
	}
	/*
	 * The job's certificate and the end of the job are one fact: one
	 * transaction, and only in the ledger that holds this very job (ids
	 * restart in every ledger; another one may hold a job of the same id).
	 */
	if (job_id && (rc = ledger_job_end(l, job_id, r->serial)))
		goto out;
	if ((rc = ledger_exec(l, "cert_ledger_append", "COMMIT")))
		goto out;
	in_tx = false;
	/*
	 * The record stands. Should the advance fail, the ledger is one ahead
	 * of the counter, which the next gate repairs; it is not a rollback.
	 */
	if (cert_custody_has_counter(l->custody) &&
	    (cert_custody_counter_advance(l->custody, &now_counter) || now_counter != counter))
		ledger_err(l, 0, "cert_ledger_append: the TPM counter did not advance to %" PRIu64
			   " (%s); the next start repairs it", counter,
			   cert_custody_error(l->custody));
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
		cert_custody_public(l->custody, out->pub);
		out->canon = canon.p;
		out->canon_len = canon.len;
		canon.p = NULL;
	}
out:
	sqlite3_finalize(st);
	if (in_tx) {
		sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
		/* Nothing was appended: no number may be handed out for it. */
		r->seq = 0;
		r->cert_no[0] = '\0';
		r->custody[0] = '\0';
		r->custody_counter = 0;
	}
	cbuf_done(&canon);
	return rc;
}

#define ENTRY_COLS "r.fp, r.seq, r.cert_no, r.serial, r.issued, r.prev_hash, r.hash, r.sig," \
		   " s.pubkey, r.record, r.ended FROM records r LEFT JOIN stations s ON s.fp = r.fp"

/*
 * Every column a reader hands out must say what the signed record says:
 * the record must decode, match its hash, and agree with the position,
 * number, serial, end time and station columns, and the station key with
 * its fingerprint. A row that does not is refused, never shown.
 */
static int entry_check(struct cert_ledger *l, const struct cert_entry *e)
{
	uint8_t h[CERT_HASH_LEN];
	char err[256], calc[CERT_FP_HEX];
	const char *what = NULL;

	struct ledger_seen *s;
	unsigned i;

	/* The very row checked before (same bytes in every column checked) needs no decoding. */
	for (i = 0; i < sizeof(l->seen) / sizeof(l->seen[0]); i++) {
		s = &l->seen[i];
		if (s->canon && s->len == e->canon_len && s->seq == e->seq && s->ended == e->ended &&
		    !memcmp(s->canon, e->canon, e->canon_len) && !memcmp(s->prev, e->prev, 32) &&
		    !memcmp(s->hash, e->hash, 32) && !strcmp(s->fp, e->fp) &&
		    !strcmp(s->cert_no, e->cert_no) && !strcmp(s->serial, e->serial)) {
			cert_fingerprint(e->pub, calc);
			if (!strcmp(calc, e->fp))
				return 0;
		}
	}
	cert_chain_hash(e->prev, e->canon, e->canon_len, h);
	cert_fingerprint(e->pub, calc);
	if (memcmp(h, e->hash, CERT_HASH_LEN) == 0 && strcmp(calc, e->fp) == 0 &&
	    !ledger_needs_escape(e->cert_no) && !ledger_needs_escape(e->serial)) {
		/* Bytes that match their hash, searched as the verifier does (no decoding). */
		const char *why = ledger_check_members(e->canon, e->canon_len, e->seq, e->cert_no,
						       e->serial, e->fp, e->ended);

		if (!why)
			return 0;
		return ledger_err(l, -EBADMSG, "record %" PRIu64 " (%s) is stored with a column"
				  " differing from its signed content (%s); run certs verify", e->seq,
				  e->cert_no, why);
	}
	if (!l->rec && !(l->rec = cert_record_new()))
		return ledger_err(l, -ENOMEM, "out of memory");
	if (cert_record_decode(e->canon, e->canon_len, l->rec, err, sizeof(err)) != 0)
		return ledger_err(l, -EBADMSG, "record %" PRIu64 " (%s) cannot be read: %s;"
				  " run certs verify", e->seq, e->cert_no, err);
	cert_chain_hash(e->prev, e->canon, e->canon_len, h);
	cert_fingerprint(e->pub, calc);
	if (memcmp(h, e->hash, CERT_HASH_LEN) != 0)
		what = "its hash";
	else if (l->rec->seq != e->seq)
		what = "its chain position";
	else if (strcmp(l->rec->cert_no, e->cert_no) != 0)
		what = "its certificate number";
	else if (strcmp(l->rec->serial, e->serial) != 0)
		what = "its serial";
	else if (l->rec->end != e->ended)
		what = "its end time";
	else if (strcmp(l->rec->key_fingerprint, e->fp) != 0 || strcmp(calc, e->fp) != 0)
		what = "its station key";
	if (what)
		return ledger_err(l, -EBADMSG, "record %" PRIu64 " (%s) is stored with %s differing"
				  " from its signed content (altered); run certs verify", e->seq,
				  e->cert_no, what);
	s = &l->seen[l->seen_next++ % (sizeof(l->seen) / sizeof(l->seen[0]))];
	free(s->canon);
	if ((s->canon = malloc(e->canon_len ? e->canon_len : 1))) {
		memcpy(s->canon, e->canon, e->canon_len);
		s->len = e->canon_len;
		memcpy(s->prev, e->prev, 32);
		memcpy(s->hash, e->hash, 32);
		memcpy(s->fp, e->fp, sizeof(s->fp));
		s->seq = e->seq;
		memcpy(s->cert_no, e->cert_no, sizeof(s->cert_no));
		memcpy(s->serial, e->serial, sizeof(s->serial));
		s->ended = e->ended;
	}
	return 0;
}

/* Fill @e from a row selected with ENTRY_COLS, and check it against its signed record. */
static int entry_from_row(struct cert_ledger *l, sqlite3_stmt *st, struct cert_entry *e)
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
	/* The time of appending is not signed: no reader hands it out. */
	e->issued = 0;
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
	if ((n = entry_check(l, e)))
		cert_entry_done(e);
	return n;
}

/* The only station's fingerprint, or the own one. -ENOENT / -EINVAL if ambiguous. */
static int default_fp(struct cert_ledger *l, char fp[CERT_FP_HEX])
{
	sqlite3_stmt *st = NULL;
	int rc, src, count = 0;

	if ((rc = ledger_own_fp(l, fp)))
		return rc;
	if (fp[0])
		return 0;
	rc = ledger_prep(l, "default_fp", "SELECT fp FROM stations LIMIT 2", &st);
	if (rc)
		return rc;
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		if (count++ == 0)
			snprintf(fp, CERT_FP_HEX, "%s", (const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	if (src != SQLITE_DONE)
		return ledger_sqerr(l, "default_fp", src);
	if (count == 0)
		return ledger_err(l, -ENOENT, "the ledger holds no records");
	if (count > 1)
		return ledger_err(l, -EINVAL, "the registry holds several stations: give a certificate number");
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
	rc = ledger_prep(l, "cert_ledger_get", "SELECT " ENTRY_COLS " WHERE r.fp = ? AND r.seq = ?", &st);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, fp, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)seq);
	src = sqlite3_step(st);
	if (src == SQLITE_ROW)
		rc = entry_from_row(l, st, e);
	else if (src == SQLITE_DONE)
		rc = ledger_err(l, -ENOENT, "no record %" PRIu64 " in the ledger", seq);
	else
		rc = ledger_sqerr(l, "cert_ledger_get", src);
	sqlite3_finalize(st);
	return rc;
}

int cert_ledger_get_cert(struct cert_ledger *l, const char *cert_no, struct cert_entry *e)
{
	sqlite3_stmt *st = NULL;
	int rc, src;

	rc = ledger_prep(l, "cert_ledger_get_cert", "SELECT " ENTRY_COLS " WHERE r.cert_no = ?", &st);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, cert_no, -1, SQLITE_STATIC);
	src = sqlite3_step(st);
	if (src == SQLITE_ROW) {
		rc = entry_from_row(l, st, e);
		/* A number held twice (two stations of one name, or a splice) is no answer. */
		if (!rc && (src = sqlite3_step(st)) != SQLITE_DONE) {
			cert_entry_done(e);
			rc = src == SQLITE_ROW ?
			     ledger_err(l, -EINVAL, "certificate number %s is held by more than one"
					" record; give the record number, or run certs verify", cert_no) :
			     ledger_sqerr(l, "cert_ledger_get_cert", src);
		}
	} else if (src == SQLITE_DONE)
		rc = ledger_err(l, -ENOENT, "no certificate %s in the ledger", cert_no);
	else
		rc = ledger_sqerr(l, "cert_ledger_get_cert", src);
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
		rc = entry_from_row(l, st, &e);
		if (!rc)
			rc = cb(&e, arg);
		cert_entry_done(&e);
		if (rc)
			break;
	}
	if (!rc && src != SQLITE_DONE)
		rc = ledger_sqerr(l, fn, src);
	sqlite3_finalize(st);
	return rc;
}

int cert_ledger_each(struct cert_ledger *l, int64_t from, int64_t to, const char *serial,
		     int (*cb)(const struct cert_entry *e, void *arg), void *arg)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = ledger_prep(l, "cert_ledger_each",
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
	return ledger_head_of(l, fp, seq, hash, NULL, NULL);
}

int cert_ledger_pdf_put(struct cert_ledger *l, const char *fp, uint64_t seq, const char *lang,
			const uint8_t sha[CERT_HASH_LEN])
{
	sqlite3_stmt *st = NULL;
	int rc, src;

	rc = ledger_prep(l, "cert_ledger_pdf_put", "INSERT INTO pdfs VALUES(?, ?, ?, ?)", &st);
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
		return ledger_err(l, -EEXIST, "cert_ledger_pdf_put: record %" PRIu64
			    " already has a different %s PDF", seq, lang);
	}
	return src == SQLITE_DONE ? 0 : ledger_sqerr(l, "cert_ledger_pdf_put", src);
}

int cert_ledger_pdf_get(struct cert_ledger *l, const char *fp, uint64_t seq, const char *lang,
			uint8_t sha[CERT_HASH_LEN])
{
	sqlite3_stmt *st = NULL;
	int rc, src;

	rc = ledger_prep(l, "cert_ledger_pdf_get",
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
		rc = ledger_sqerr(l, "cert_ledger_pdf_get", src);
	sqlite3_finalize(st);
	return rc;
}

/* ---- raw access for other registries ---- */

int cert_ledger_each_station(struct cert_ledger *l,
			     int (*cb)(const char *fp, const uint8_t pub[CERT_PUB_LEN],
				       const char *station_id, void *arg), void *arg)
{
	sqlite3_stmt *st = NULL;
	int rc, src;

	rc = ledger_prep(l, "cert_ledger_each_station",
		  "SELECT fp, pubkey, station_id FROM stations ORDER BY fp", &st);
	if (rc)
		return rc;
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_bytes(st, 1) != CERT_PUB_LEN) {
			rc = ledger_err(l, -EBADMSG, "cert_ledger_each_station: station key %.16s is malformed",
				  (const char *)sqlite3_column_text(st, 0));
			break;
		}
		rc = cb((const char *)sqlite3_column_text(st, 0), sqlite3_column_blob(st, 1),
			(const char *)sqlite3_column_text(st, 2), arg);
		if (rc)
			break;
	}
	if (!rc && src != SQLITE_DONE)
		rc = ledger_sqerr(l, "cert_ledger_each_station", src);
	sqlite3_finalize(st);
	return rc;
}

int cert_ledger_each_pdf(struct cert_ledger *l,
			 int (*cb)(const char *fp, uint64_t seq, const char *lang,
				   const uint8_t sha[CERT_HASH_LEN], void *arg), void *arg)
{
	sqlite3_stmt *st = NULL;
	int rc, src;

	rc = ledger_prep(l, "cert_ledger_each_pdf", "SELECT fp, seq, lang, sha256 FROM pdfs"
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
		rc = ledger_sqerr(l, "cert_ledger_each_pdf", src);
	sqlite3_finalize(st);
	return rc;
}

int cert_ledger_each_record(struct cert_ledger *l, const char *fp,
			    int (*cb)(const struct cert_entry *e, void *arg), void *arg)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = ledger_prep(l, "cert_ledger_each_record",
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

	rc = ledger_prep(l, "cert_ledger_put_station", "INSERT INTO stations VALUES(?, ?, ?)", &st);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, fp, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, pub, CERT_PUB_LEN, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, station_id, -1, SQLITE_STATIC);
	src = sqlite3_step(st);
	if (src != SQLITE_DONE)
		rc = ledger_sqerr(l, "cert_ledger_put_station", src);
	sqlite3_finalize(st);
	return rc;
}

int cert_ledger_put_raw(struct cert_ledger *l, const struct cert_entry *e)
{
	sqlite3_stmt *st = NULL;
	int rc, src;

	rc = ledger_prep(l, "cert_ledger_put_raw", "INSERT INTO records VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
		rc = ledger_sqerr(l, "cert_ledger_put_raw", src);
	sqlite3_finalize(st);
	return rc;
}

int cert_ledger_begin(struct cert_ledger *l)
{
	return ledger_exec(l, "cert_ledger_begin", "BEGIN IMMEDIATE");
}

int cert_ledger_commit(struct cert_ledger *l)
{
	return ledger_exec(l, "cert_ledger_commit", "COMMIT");
}
