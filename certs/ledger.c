/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The SQLite ledger: open, settings, the key custody. The schema is in
 * ledger-schema.c, appending in ledger-append.c, reading in ledger-read.c,
 * verification in ledger-verify*.c and ledger-wal.c, merge and export in
 * ledger-merge.c, open jobs in ledger-jobs.c, trust anchors in
 * ledger-trust.c.
 */
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
	const char *what, *path;
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
	switch (src & 0xff) {
	case SQLITE_NOTADB: what = "not a Tabula ledger (not an SQLite database)"; break;
	case SQLITE_CORRUPT: what = "the ledger file is damaged"; break;
	case SQLITE_BUSY:
	case SQLITE_LOCKED: what = "the ledger is in use by another program; try again"; break;
	case SQLITE_READONLY:
	case SQLITE_PERM:
	case SQLITE_AUTH: what = "no permission to change the ledger"; break;
	case SQLITE_CANTOPEN:
		what = "cannot open the ledger (no such file, or no permission)";
		break;
	case SQLITE_FULL: what = "the disk holding the ledger is full"; break;
	case SQLITE_NOMEM: what = "out of memory"; break;
	default: what = l->db ? sqlite3_errmsg(l->db) : sqlite3_errstr(src);
	}
	path = l->path && l->path[0] ? l->path : "ledger";
	if (getenv("TABULA_DEBUG"))
		return ledger_err(l, rc, "%s: %s [%s: %s]", path, what, fn,
				  l->db ? sqlite3_errmsg(l->db) : sqlite3_errstr(src));
	return ledger_err(l, rc, "%s: %s", path, what);
}

const char *cert_ledger_error(const struct cert_ledger *l)
{
	return l->err;
}

const char *cert_ledger_path(const struct cert_ledger *l)
{
	return l->label ? l->label : l->path;
}

int cert_ledger_set_label(struct cert_ledger *l, const char *label)
{
	char *s = strdup(label);

	if (!s)
		return -ENOMEM;
	free(l->label);
	l->label = s;
	return 0;
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

int ledger_stored(struct cert_ledger *l, const char *fn, int src)
{
	if (src != SQLITE_DONE)
		return ledger_sqerr(l, fn, src);
	if (sqlite3_changes(l->db) != 1)
		return ledger_err(l, -EBADMSG, "%s: a row written to it was not stored (its schema"
				  " was changed by hand to drop it): run certs verify", l->path);
	return 0;
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
	/*
	 * The file is not trusted: no SQL of its schema may call functions with
	 * side effects, and nothing may write the schema table or corrupt pages
	 * through this handle (SQLite's defensive mode).
	 */
	sqlite3_db_config(l->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	sqlite3_db_config(l->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	if (!(flags & CERT_LEDGER_READONLY)) {
		if ((rc = ledger_exec(l, "cert_ledger_open", "PRAGMA journal_mode=WAL")) ||
		    (rc = ledger_exec(l, "cert_ledger_open", "PRAGMA synchronous=FULL")) ||
		    (rc = ledger_schema_setup(l)))
			return rc;
	} else {
		bool any;

		if ((rc = holds_tables(l, &any)))
			return rc;
		if (!any)
			return ledger_err(l, -ENOENT, "%s holds no ledger yet (empty,"
					  " or its creation was interrupted before the first record)",
					  l->path);
	}
	if ((rc = ledger_meta_get(l, "format", fmt, sizeof(fmt))))
		return rc;
	if (strcmp(fmt, LEDGER_FORMAT) != 0)
		return ledger_err(l, -EBADMSG, "%s is not a Tabula ledger", l->path);
	if ((rc = ledger_meta_get(l, "lang", l->lang, sizeof(l->lang))))
		return rc;
	if (!l->lang[0])
		strcpy(l->lang, "en");
	l->jobs_signed = ledger_has_column(l, "open_jobs", "sig");
	l->has_trust = ledger_has_column(l, "trust_log", "hash");
	/* Every value as its column's type, or no reader would see the rows SQL passes by. */
	if (!(flags & CERT_LEDGER_VERIFYING)) {
		char why[400];

		rc = ledger_types_check(l, why, sizeof(why));
		if (rc == 1)
			return ledger_err(l, -EBADMSG, "%s: %s", l->path, why);
		if (rc)
			return rc;
	}
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

/* Does "@path-journal" exist (not a memory database)? */
static bool hot_journal(const char *path)
{
	char j[4096];
	int n = snprintf(j, sizeof(j), "%s-journal", path);

	return strcmp(path, ":memory:") && n > 0 && (size_t)n < sizeof(j) && access(j, F_OK) == 0;
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
		rc = ledger_err(l, -errno, "%s: %s", path, strerror(errno));
	} else if (hot_journal(path)) {
		/*
		 * A ledger runs with a write-ahead log; SQLite would take a rollback
		 * journal beside it as an interrupted transaction and copy its pages
		 * back into the file on open: yesterday's records over today's.
		 */
		rc = ledger_err(l, -EBUSY, "%s-journal lies beside the ledger: a rollback journal,"
				" which Tabula never writes (its ledgers keep a write-ahead log), and"
				" which SQLite would copy back over the ledger's pages. Nothing was"
				" read or written: move that file aside (keep it as evidence) and run"
				" certs verify", path);
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
	free(l->label);
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
		return ledger_err(l, -EINVAL, "unknown language \"%s\"", lang);
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
			    "%s is not the key of this ledger (%.16s...)",
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
		return ledger_err(l, -ENAMETOOLONG, "%s: the ledger's path is too long", l->path);
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

