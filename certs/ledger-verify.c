/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Ledger verification: links, hashes, chained signatures, members, the head signature. */
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

#define VERIFY_THREADS_MAX 8


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
	int64_t ended;
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

bool ledger_needs_escape(const char *s)
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
const char *ledger_check_members(const void *canon, size_t len, uint64_t seq,
				 const char *cert_no, const char *serial, const char *fp, int64_t ended)
{
	char num[24], t[32];
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
	/* The register selects by this column: it must be the signed end time. */
	if (!has_member(canon, len, "end", cert_time_str(ended, t, sizeof(t)), true))
		return "end time column differs from the signed record";
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
	if ((j->flags & CERT_VERIFY_DEEP) || ledger_needs_escape(r->serial) || ledger_needs_escape(r->cert_no)) {
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
		if (rec->end != r->ended)
			return "end time column differs from the signed record";
		return NULL;
	}
	return ledger_check_members(r->canon, r->canon_len, r->seq, r->cert_no, r->serial, j->fp,
			     r->ended);
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

	rc = ledger_prep(l, "cert_ledger_verify",
		  "SELECT seq, prev_hash, hash, sig, record, cert_no, serial, ended FROM records"
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
				rc = ledger_err(l, -ENOMEM, "cert_ledger_verify: out of memory");
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
		r->ended = sqlite3_column_int64(st, 7);
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
		if ((flags & CERT_VERIFY_DEEP) || ledger_needs_escape(r->serial) || ledger_needs_escape(r->cert_no)) {
			/* A worker decodes it: keep a copy. */
			r->canon = malloc((size_t)clen + 1);
			if (!r->canon) {
				rc = ledger_err(l, -ENOMEM, "cert_ledger_verify: out of memory");
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
			r->content_why = ledger_check_members(blob, (size_t)clen, r->seq, r->cert_no,
						       r->serial, fp, r->ended);
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
		rc = ledger_sqerr(l, "cert_ledger_verify", src);
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
		nthreads = 0;		/* a short chain is checked on this thread */
	for (i = 0; i < nthreads; i++)
		if (pthread_create(&tid[i], NULL, vworker, &job) != 0)
			break;
	if (i == 0)
		vworker(&job);
	nthreads = i;
	for (i = 0; i < nthreads; i++)
		pthread_join(tid[i], NULL);
	pthread_mutex_destroy(&job.lock);
	if (n > 0 && job.first_bad < job.n) {
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

	rc = ledger_prep(l, "cert_ledger_verify",
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
		rc = ledger_sqerr(l, "cert_ledger_verify", src);
	sqlite3_finalize(st);
	return rc;
}

/* ---- the rest of the file: every byte that is not a signed record ---- */

/*
 * SQLite's integrity check on its own connection and thread, while the
 * chains are checked on this one: on a ledger of 100,000 records it reads
 * every page (0.4 s here), which then costs no time of its own.
 */
struct icheck {
	pthread_t tid;
	char *path;
	char msg[512];
	bool done;			/* msg holds the answer ("ok" when intact) */
};

static void *icheck_run(void *arg)
{
	struct icheck *c = arg;
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;

	if (sqlite3_open_v2(c->path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) ==
	    SQLITE_OK) {
		sqlite3_busy_timeout(db, 10000);
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
static bool icheck_start(struct cert_ledger *l, struct icheck *c)
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

/* The background check's answer: 0, or 1 after vfail(); false in @*answered when it had none. */
static int icheck_finish(struct icheck *c, struct cert_verify *v, int rc, bool *answered)
{
	pthread_join(c->tid, NULL);
	free(c->path);
	*answered = c->done;
	if (rc || !c->done || !strcmp(c->msg, "ok"))
		return rc;
	return vfail(v, "", 0, NULL, "the ledger file is damaged (SQLite's integrity check: %s)",
		     c->msg);
}

/* SQLite's own check of every page, b-tree, index entry and row. */
static int verify_integrity(struct cert_ledger *l, struct cert_verify *v)
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
			rc = vfail(v, "", 0, NULL, "the ledger file is damaged (SQLite's integrity"
				   " check: %s)", msg ? msg : "no answer");
	} else {
		rc = vfail(v, "", 0, NULL, "the ledger file is damaged (SQLite's integrity check"
			   " failed: %s)", sqlite3_errmsg(l->db));
	}
	sqlite3_finalize(st);
	return rc;
}

/* The objects every ledger has, and those a current one may have besides. */
static const char *const required_objects[] = {
	"meta", "stations", "records", "records_serial", "records_cert", "pdfs", "open_jobs",
	"records_no_update", "records_no_delete", "stations_no_update", "stations_no_delete",
};
static const char *const optional_objects[] = {
	"records_cert_unique", "trust_log", "trust_no_update", "trust_no_delete",
	"pdfs_no_update", "sqlite_sequence", "sqlite_autoindex_meta_1",
	"sqlite_autoindex_stations_1", "sqlite_autoindex_records_1", "sqlite_autoindex_pdfs_1",
};

/* Is @name in @list? */
static bool listed(const char *const *list, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(list[i], name))
			return true;
	return false;
}

/*
 * The schema is the ledger's: no trigger dropped (records deleted behind
 * it), no index or trigger of anyone else's (a view or trigger that
 * rewrites what readers see).
 */
static int verify_schema(struct cert_ledger *l, struct cert_verify *v, bool *unique_index)
{
	size_t nreq = sizeof(required_objects) / sizeof(required_objects[0]), seen = 0, i;
	bool found[sizeof(required_objects) / sizeof(required_objects[0])] = { false };
	sqlite3_stmt *st = NULL;
	int rc, src;

	*unique_index = false;
	rc = ledger_prep(l, "cert_ledger_verify", "SELECT name FROM sqlite_master", &st);
	if (rc)
		return rc;
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);

		if (!name)
			name = "";
		for (i = 0; i < nreq; i++)
			if (!found[i] && !strcmp(required_objects[i], name)) {
				found[i] = true;
				seen++;
				break;
			}
		if (i < nreq)
			continue;
		if (!strcmp(name, "records_cert_unique"))
			*unique_index = true;
		if (!listed(optional_objects, sizeof(optional_objects) / sizeof(optional_objects[0]),
			    name)) {
			rc = vfail(v, "", 0, NULL, "the ledger holds a foreign schema object \"%.64s\""
				   " (added by hand)", name);
			break;
		}
	}
	if (!rc && src != SQLITE_DONE)
		rc = ledger_sqerr(l, "cert_ledger_verify", src);
	sqlite3_finalize(st);
	for (i = 0; !rc && i < nreq; i++)
		if (!found[i])
			rc = vfail(v, "", 0, NULL, "the ledger's \"%s\" is missing (%s)",
				   required_objects[i], strstr(required_objects[i], "_no_") ?
				   "a protecting trigger was dropped, as before deleting records" :
				   "the schema was changed by hand");
	return rc;
}

/* Every column a reader selects is there, under its name. */
static int verify_columns(struct cert_ledger *l, struct cert_verify *v)
{
	static const char *const probes[] = {
		"SELECT fp, seq, cert_no, serial, ended, issued, record, prev_hash, hash, sig"
		" FROM records LIMIT 0",
		"SELECT fp, pubkey, station_id FROM stations LIMIT 0",
		"SELECT key, value FROM meta LIMIT 0",
		"SELECT fp, seq, lang, sha256 FROM pdfs LIMIT 0",
		"SELECT id, boot_id, pid, pid_start, started, serial, record FROM open_jobs LIMIT 0",
	};
	sqlite3_stmt *st = NULL;
	size_t i;

	for (i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		if (sqlite3_prepare_v2(l->db, probes[i], -1, &st, NULL) != SQLITE_OK)
			return vfail(v, "", 0, NULL, "the ledger's tables were changed by hand (%s)",
				     sqlite3_errmsg(l->db));
		sqlite3_finalize(st);
		st = NULL;
	}
	if (l->has_trust && sqlite3_prepare_v2(l->db, "SELECT n, fp, action, name, at, reason, prev,"
					       " hash FROM trust_log LIMIT 0", -1, &st, NULL) != SQLITE_OK)
		return vfail(v, "", 0, NULL, "the ledger's tables were changed by hand (%s)",
			     sqlite3_errmsg(l->db));
	sqlite3_finalize(st);
	st = NULL;
	if (l->jobs_signed && sqlite3_prepare_v2(l->db, "SELECT sig FROM open_jobs LIMIT 0", -1, &st,
						 NULL) != SQLITE_OK)
		return vfail(v, "", 0, NULL, "the ledger's tables were changed by hand (%s)",
			     sqlite3_errmsg(l->db));
	sqlite3_finalize(st);
	return 0;
}

/* The settings: only the known ones, each with a value it can have. */
static int verify_meta(struct cert_ledger *l, struct cert_verify *v)
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
			rc = vfail(v, "", 0, NULL, "the ledger's setting \"%.32s\" is not one Tabula"
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
static int verify_probe(struct cert_ledger *l, struct cert_verify *v, const char *sql,
			const char *why)
{
	sqlite3_stmt *st = NULL;
	int rc, src;

	rc = ledger_prep(l, "cert_ledger_verify", sql, &st);
	if (rc)
		return rc;
	src = sqlite3_step(st);
	if (src == SQLITE_ROW)
		rc = vfail(v, (const char *)sqlite3_column_text(st, 0),
			   (uint64_t)sqlite3_column_int64(st, 1),
			   (const char *)sqlite3_column_text(st, 2), "%s", why);
	else if (src != SQLITE_DONE)
		rc = ledger_sqerr(l, "cert_ledger_verify", src);
	sqlite3_finalize(st);
	return rc;
}

struct jobcheck {
	struct cert_verify *v;
	const char *fp;
	int rc;
};

/* An open job the station did not sign. */
static int job_checked(const struct cert_open_job *j, void *arg)
{
	struct jobcheck *c = arg;

	if (j->sig_ok)
		return 0;
	c->rc = vfail(c->v, c->fp, 0, NULL, "open job %lld (serial %.64s) is not signed by the"
		      " station key (inserted or altered): certs recover will not certify it",
		      (long long)j->id, j->serial);
	return 1;
}

/* The name a station is stored under must be the one its first signed record gives. */
static int verify_station_names(struct cert_ledger *l, struct cert_verify *v)
{
	sqlite3_stmt *st = NULL;
	char err[128];
	int rc, src;

	if (!l->rec && !(l->rec = cert_record_new()))
		return ledger_err(l, -ENOMEM, "cert_ledger_verify: out of memory");
	rc = ledger_prep(l, "cert_ledger_verify", "SELECT s.fp, s.station_id, r.record, r.cert_no"
			 " FROM stations s JOIN records r ON r.fp = s.fp AND r.seq = 1", &st);
	if (rc)
		return rc;
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 1);

		if (cert_record_decode(sqlite3_column_blob(st, 2), (size_t)sqlite3_column_bytes(st, 2),
				       l->rec, err, sizeof(err)) != 0 ||
		    !name || strcmp(name, l->rec->station_id[0] ? l->rec->station_id : "TABULA")) {
			rc = vfail(v, (const char *)sqlite3_column_text(st, 0), 1,
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

/* ---- the write-ahead log, read as SQLite would recover it ---- */

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* SQLite's WAL checksum over @n bytes (a multiple of 8), continuing s[0], s[1]. */
static void wal_sum(const uint8_t *p, size_t n, bool big, uint32_t s[2])
{
	size_t i;

	for (i = 0; i + 8 <= n; i += 8) {
		uint32_t a = big ? get32(p + i) :
			     (uint32_t)p[i] | (uint32_t)p[i + 1] << 8 | (uint32_t)p[i + 2] << 16 |
			     (uint32_t)p[i + 3] << 24;
		uint32_t b = big ? get32(p + i + 4) :
			     (uint32_t)p[i + 4] | (uint32_t)p[i + 5] << 8 | (uint32_t)p[i + 6] << 16 |
			     (uint32_t)p[i + 7] << 24;

		s[0] += a + s[1];
		s[1] += b + s[0];
	}
}

int cert_ledger_check_wal(const void *wal, size_t len, char *why, size_t whylen)
{
	const uint8_t *w = wal;
	uint32_t magic, psz, s[2] = { 0, 0 }, salt1, salt2;
	size_t fsz, off, nframes, i, valid;
	bool big;

	if (len < 32) {
		/* SQLite ignores a log shorter than its header; so can nothing be lost in it. */
		return 0;
	}
	magic = get32(w);
	psz = get32(w + 8);
	if ((magic & 0xfffffffe) != 0x377f0682 || get32(w + 4) != 3007000 || psz < 512 ||
	    psz > 65536 || (psz & (psz - 1))) {
		snprintf(why, whylen, "the write-ahead log's header is damaged: SQLite ignores the"
			 " whole log, so the records it holds are not in the ledger");
		return 1;
	}
	big = magic & 1;
	wal_sum(w, 24, big, s);
	if (s[0] != get32(w + 24) || s[1] != get32(w + 28)) {
		snprintf(why, whylen, "the write-ahead log's header is damaged: SQLite ignores the"
			 " whole log, so the records it holds are not in the ledger");
		return 1;
	}
	salt1 = get32(w + 16);
	salt2 = get32(w + 20);
	fsz = 24 + (size_t)psz;
	nframes = (len - 32) / fsz;
	/* What SQLite recovers: frames of this log's salts whose running checksum holds. */
	for (i = 0, off = 32; i < nframes; i++, off += fsz) {
		const uint8_t *f = w + off;

		if (get32(f + 8) != salt1 || get32(f + 12) != salt2)
			break;
		wal_sum(f, 8, big, s);
		wal_sum(f + 24, psz, big, s);
		if (s[0] != get32(f + 16) || s[1] != get32(f + 20))
			break;
	}
	valid = i;
	/*
	 * SQLite rightly ignores frames left from an earlier round of the log
	 * (another salt), and frames of a transaction whose commit was never
	 * written (a crash mid-append: that record was never acknowledged). A
	 * commit frame of this round after the first frame that fails is a
	 * commit SQLite drops: the ledger silently lacks what it committed.
	 */
	{
		size_t commits = 0, first_commit = 0, last_current = valid;

		for (; i < nframes; i++) {
			const uint8_t *f = w + 32 + i * fsz;

			if (get32(f + 8) != salt1 && get32(f + 12) != salt2)
				continue;
			last_current = i;
			if (get32(f + 4) != 0 && !commits++)
				first_commit = i;
		}
		if (!commits)
			return 0;
		/*
		 * Only the very last frame written, a commit, fails: what a crash
		 * between writing a frame's header and its page leaves (that append
		 * was never acknowledged), and what a changed byte in the newest
		 * commit looks like too. Said, but not a failure: the PDFs and the
		 * registry tell which.
		 */
		if (commits == 1 && first_commit == valid && last_current == valid) {
			snprintf(why, whylen, "the write-ahead log's last frame (%zu) does not check out:"
				 " an append cut short by a crash or power loss, or an altered byte; the"
				 " record it held is not in the ledger (compare with --pdfs DIR and the"
				 " registry)", valid + 1);
			return 2;
		}
		snprintf(why, whylen, "frame %zu of the write-ahead log is damaged (altered, or a write"
			 " cut short): SQLite drops it and the commit at frame %zu, so the ledger lacks"
			 " records it held", valid + 1, first_commit + 1);
		return 1;
	}
}

/* The -wal file beside the ledger file, if there is one. */
static int verify_wal(struct cert_ledger *l, struct cert_verify *v)
{
	char path[4200], why[400];
	FILE *f;
	char *buf = NULL;
	long n;
	int rc = 0;

	if (snprintf(path, sizeof(path), "%s-wal", l->path) >= (int)sizeof(path))
		return 0;
	f = fopen(path, "rbe");
	if (!f)
		return 0;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)n)) && fread(buf, 1, (size_t)n, f) == (size_t)n &&
	    (rc = cert_ledger_check_wal(buf, (size_t)n, why, sizeof(why)))) {
		if (rc == 2) {
			snprintf(v->warning, sizeof(v->warning), "%s", why);
			rc = 0;
		} else {
			rc = vfail(v, "", 0, NULL, "%s", why);
		}
	}
	free(buf);
	fclose(f);
	return rc;
}

int cert_ledger_verify(struct cert_ledger *l, unsigned flags, struct cert_verify *v)
{
	sqlite3_stmt *st = NULL;
	char own[CERT_FP_HEX], fp[CERT_FP_HEX];
	bool own_seen = false, unique_index = false, background = false;
	struct icheck ic;
	int rc, src;

	memset(v, 0, sizeof(*v));
	if ((rc = ledger_own_fp(l, own)))
		goto fail;
	rc = ledger_exec(l, "cert_ledger_verify", "BEGIN");
	if (rc)
		goto fail;
	background = icheck_start(l, &ic);

	rc = ledger_prep(l, "cert_ledger_verify", "SELECT fp, pubkey FROM stations ORDER BY fp", &st);
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
		rc = ledger_sqerr(l, "cert_ledger_verify", src);
		vfail(v, "", 0, NULL, "the ledger file cannot be read: %s", l->err);
	}
	sqlite3_finalize(st);
	st = NULL;
	if (!rc && own[0] && !own_seen)
		rc = vfail(v, own, 0, NULL, "the station's own key %.16s is missing from the ledger",
			   own);
	/* A station's own ledger holds its own chain only; a second one was spliced in. */
	if (!rc && own[0] && v->stations > 1 && strspn(own, "0123456789abcdef") == strlen(own)) {
		char q[256];

		snprintf(q, sizeof(q), "SELECT fp, seq, cert_no FROM records WHERE fp != '%s'"
			 " ORDER BY seq LIMIT 1", own);
		rc = verify_probe(l, v, q, "the station's ledger holds records of another station key"
				  " (spliced in)");
		if (!rc)
			rc = vfail(v, "", 0, NULL, "the station's ledger holds a second station key"
				   " (spliced in)");
	}
	if (!rc) {
		sqlite3_stmt *c = NULL;

		/* Records whose station has no key at all. */
		rc = ledger_prep(l, "cert_ledger_verify",
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
	/* After the chains, so that a record at fault is named first. */
	if (!rc)
		rc = verify_schema(l, v, &unique_index);
	if (!rc)
		rc = verify_columns(l, v);
	if (!rc)
		rc = verify_meta(l, v);
	if (!rc)
		rc = verify_probe(l, v, "SELECT fp, seq, NULL FROM pdfs WHERE lang NOT IN ('en', 'zh')"
				  " OR typeof(sha256) != 'blob' OR length(sha256) != 32 LIMIT 1",
				  "the note of this record's issued PDF is malformed (altered)");
	if (!rc && !unique_index)
		rc = verify_probe(l, v, "SELECT fp, min(seq), cert_no FROM records GROUP BY fp, cert_no"
				  " HAVING count(*) > 1 LIMIT 1",
				  "the certificate number is held by more than one record");
	if (!rc)
		rc = verify_station_names(l, v);
	if (!rc) {
		struct jobcheck jc = { v, own, 0 };

		rc = cert_ledger_each_job(l, job_checked, &jc);
		if (rc > 0 || jc.rc)
			rc = 1;
	}
	/* Last, as it names no record: SQLite's own check of every page and index. */
	if (background) {
		bool answered;

		rc = icheck_finish(&ic, v, rc, &answered);
		background = false;
		if (!rc && !answered)
			rc = verify_integrity(l, v);
	} else if (!rc) {
		rc = verify_integrity(l, v);
	}
	sqlite3_exec(l->db, "COMMIT", NULL, NULL, NULL);
	if (!rc)
		rc = verify_wal(l, v);
	if (rc < 0 && !v->reason[0])
		snprintf(v->reason, sizeof(v->reason), "%s", l->err);
	return rc;
fail:
	if (background) {
		bool answered;

		icheck_finish(&ic, v, rc, &answered);
	}
	snprintf(v->reason, sizeof(v->reason), "the ledger file cannot be read: %s", l->err);
	return rc;
}

