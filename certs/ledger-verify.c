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
int ledger_vfail(struct cert_verify *v, const char *fp, uint64_t seq, const char *cert_no,
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

/*
 * Keep row @r's record for a worker to decode (deep checks, a value that
 * needs escaping), or check its members now while SQLite holds the bytes
 * and keep no copy; the worker reports it after the signature. 0 or -ENOMEM.
 */
static int keep_content(struct cert_ledger *l, struct vrow *r, const void *blob, size_t clen,
			unsigned flags, const char *fp)
{
	if ((flags & CERT_VERIFY_DEEP) || ledger_needs_escape(r->serial) ||
	    ledger_needs_escape(r->cert_no)) {
		r->canon = malloc(clen + 1);
		if (!r->canon)
			return ledger_err(l, -ENOMEM, "out of memory");
		memcpy(r->canon, blob, clen);
		r->canon[clen] = '\0';
		r->canon_len = clen;
	} else {
		r->content_why = ledger_check_members(blob, clen, r->seq, r->cert_no, r->serial, fp,
						      r->ended);
	}
	return 0;
}

/*
 * The record carries its predecessor's signature, so the head signature
 * vouches for every stored signature too: check the copy in row @n - 1
 * (record @seq) against the signature stored with row @n - 2. NULL when it
 * holds; else the reason (in @buf), and the row at fault in @bad.
 */
static const char *check_prev_sig(const void *blob, size_t clen, const struct vrow *rows, size_t n,
				  uint64_t seq, char *buf, size_t len, size_t *bad)
{
	char sighex[2 * CERT_SIG_LEN + 1];
	int e;

	if (n > 1)
		cert_hex(rows[n - 2].sig, CERT_SIG_LEN, sighex);
	else
		sighex[0] = '\0';
	if (has_member(blob, clen, "prev_signature", sighex, true))
		return NULL;
	if (n > 1 && (has_member(blob, clen, "format", CERT_FORMAT_3, true) ||
		      has_member(blob, clen, "format", CERT_FORMAT_2, true))) {
		e = snprintf(buf, len, "stored signature differs from the copy record %" PRIu64
			     " carries (signature altered)", seq);
		if (e < 0 || (size_t)e >= len)
			buf[0] = '\0';
		*bad = n - 2;
	} else {
		snprintf(buf, len, "record does not carry the previous record's signature (not a %s"
			 " or %s record)", CERT_FORMAT_2, CERT_FORMAT_3);
		*bad = n - 1;
	}
	return buf;
}

/* Pass 2: the workers check signatures and content (a short chain on this thread). */
static void run_workers(struct vjob *job)
{
	pthread_t tid[VERIFY_THREADS_MAX];
	size_t i, nthreads;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

	pthread_mutex_init(&job->lock, NULL);
	nthreads = ncpu < 1 ? 1 : ncpu > VERIFY_THREADS_MAX ? VERIFY_THREADS_MAX : (size_t)ncpu;
	if (job->n < 2 * VCHUNK)
		nthreads = 0;
	for (i = 0; i < nthreads; i++)
		if (pthread_create(&tid[i], NULL, vworker, job) != 0)
			break;
	if (i == 0)
		vworker(job);
	nthreads = i;
	for (i = 0; i < nthreads; i++)
		pthread_join(tid[i], NULL);
	pthread_mutex_destroy(&job->lock);
}

/*
 * Verify the chain of station @fp with public key @pub. (A little over 120
 * lines: pass 1 reads the rows from SQLite in order and stops at the first
 * bad link with the reason and position it found; its checks share the row
 * being read, the previous hash and the failure state, which a split would
 * only pass around.)
 */
static int verify_station(struct cert_ledger *l, const char *fp, const uint8_t *pub,
			  unsigned flags, struct cert_verify *v)
{
	uint8_t prev[CERT_HASH_LEN] = { 0 }, h[CERT_HASH_LEN];
	struct vjob job = { 0 };
	struct vrow *rows = NULL;
	size_t n = 0, cap = 0, bad = SIZE_MAX;
	const char *why = NULL;
	char whybuf[256];
	sqlite3_stmt *st = NULL;
	const void *blob;
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
				rc = ledger_err(l, -ENOMEM, "out of memory");
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
		if ((rc = keep_content(l, r, blob, (size_t)clen, flags, fp)))
			goto out;
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
		if ((why = check_prev_sig(blob, (size_t)clen, rows, n, seq, whybuf, sizeof(whybuf),
					  &bad)))
			break;
		memcpy(r->hash, h, CERT_HASH_LEN);
		memcpy(r->sig, sqlite3_column_blob(st, 3), CERT_SIG_LEN);
		memcpy(prev, h, CERT_HASH_LEN);
	}
	if (bad == SIZE_MAX && src != SQLITE_DONE) {
		rc = ledger_sqerr(l, "cert_ledger_verify", src);
		ledger_vfail(v, fp, 0, NULL, "the ledger file cannot be read: %s", sqlite3_errmsg(l->db));
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
	run_workers(&job);
	if (n > 0 && job.first_bad < job.n) {
		rc = ledger_vfail(v, fp, rows[job.first_bad].seq, rows[job.first_bad].cert_no, "%s",
			   job.reason);
		goto out;
	}
	if (bad != SIZE_MAX) {
		rc = ledger_vfail(v, fp, rows[bad].seq, rows[bad].cert_no, "%s", why);
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
		rc = ledger_vfail(v, (const char *)sqlite3_column_text(st, 0),
			   (uint64_t)sqlite3_column_int64(st, 1), NULL,
			   "a certificate was issued for this record but the record is missing");
	else if (src != SQLITE_DONE)
		rc = ledger_sqerr(l, "cert_ledger_verify", src);
	sqlite3_finalize(st);
	return rc;
}

/* Every station's chain, the station's own key present, no record of a key the ledger lacks. */
static int verify_chains(struct cert_ledger *l, unsigned flags, struct cert_verify *v,
			 const char *own)
{
	sqlite3_stmt *st = NULL;
	char fp[CERT_FP_HEX];
	bool own_seen = false;
	int rc = 0, src;

	rc = ledger_prep(l, "cert_ledger_verify", "SELECT fp, pubkey FROM stations ORDER BY fp", &st);
	if (rc)
		return rc;
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		uint8_t pub[CERT_PUB_LEN];
		char calc[CERT_FP_HEX];

		snprintf(fp, sizeof(fp), "%s", (const char *)sqlite3_column_text(st, 0));
		v->stations++;
		if (!strcmp(fp, own))
			own_seen = true;
		if (sqlite3_column_bytes(st, 1) != CERT_PUB_LEN) {
			rc = ledger_vfail(v, fp, 0, NULL, "station key %.16s is malformed", fp);
			break;
		}
		memcpy(pub, sqlite3_column_blob(st, 1), CERT_PUB_LEN);
		cert_fingerprint(pub, calc);
		if (strcmp(calc, fp) != 0) {
			rc = ledger_vfail(v, fp, 0, NULL,
					  "station key does not match its fingerprint %.16s (key replaced)", fp);
			break;
		}
		rc = verify_station(l, fp, pub, flags, v);
		if (rc)
			break;
	}
	if (!rc && src != SQLITE_DONE && src != SQLITE_ROW) {
		rc = ledger_sqerr(l, "cert_ledger_verify", src);
		ledger_vfail(v, "", 0, NULL, "the ledger file cannot be read: %s", l->err);
	}
	sqlite3_finalize(st);
	if (!rc && own[0] && !own_seen)
		rc = ledger_vfail(v, own, 0, NULL, "the station's own key %.16s is missing from the ledger",
				  own);
	/* A station's own ledger holds its own chain only; a second one was spliced in. */
	if (!rc && own[0] && v->stations > 1 && strspn(own, "0123456789abcdef") == strlen(own)) {
		char q[256];

		snprintf(q, sizeof(q), "SELECT fp, seq, cert_no FROM records WHERE fp != '%s'"
			 " ORDER BY seq LIMIT 1", own);
		rc = ledger_verify_probe(l, v, q, "the station's ledger holds records of another station"
					 " key (spliced in)");
		if (!rc)
			rc = ledger_vfail(v, "", 0, NULL, "the station's ledger holds a second station key"
					  " (spliced in)");
	}
	/* Records whose station has no key at all. */
	if (!rc)
		rc = ledger_verify_probe(l, v, "SELECT fp, seq, cert_no FROM records WHERE fp NOT IN"
					 " (SELECT fp FROM stations) LIMIT 1",
					 "record is signed by an unknown station key (forged)");
	return rc;
}

/* After the chains, so that a record at fault is named first: every other byte of the file. */
static int verify_rest(struct cert_ledger *l, struct cert_verify *v, const char *own)
{
	bool unique_index = false;
	int rc;

	rc = verify_pdfs(l, v);
	if (!rc) {
		char why[400];

		rc = ledger_types_check(l, why, sizeof(why));
		if (rc == 1)
			rc = ledger_vfail(v, "", 0, NULL, "%s", why);
	}
	if (!rc)
		rc = ledger_verify_schema(l, v, &unique_index);
	if (!rc)
		rc = ledger_verify_columns(l, v);
	if (!rc)
		rc = ledger_verify_meta(l, v);
	if (!rc)
		rc = ledger_verify_probe(l, v, "SELECT fp, seq, NULL FROM pdfs WHERE lang NOT IN ('en',"
					 " 'zh') OR typeof(sha256) != 'blob' OR length(sha256) != 32"
					 " LIMIT 1",
					 "the note of this record's issued PDF is malformed (altered)");
	if (!rc && !unique_index)
		rc = ledger_verify_probe(l, v, "SELECT fp, min(seq), cert_no FROM records GROUP BY fp,"
					 " cert_no HAVING count(*) > 1 LIMIT 1",
					 "the certificate number is held by more than one record");
	if (!rc)
		rc = ledger_verify_station_names(l, v);
	if (!rc) {
		struct jobcheck jc = { v, own, 0 };

		rc = cert_ledger_each_job(l, ledger_job_checked, &jc);
		if (rc > 0 || jc.rc)
			rc = 1;
	}
	return rc;
}

int cert_ledger_verify(struct cert_ledger *l, unsigned flags, struct cert_verify *v)
{
	char own[CERT_FP_HEX];
	bool background = false, answered;
	struct icheck ic;
	int rc;

	memset(v, 0, sizeof(*v));
	if ((rc = ledger_own_fp(l, own)))
		goto fail;
	rc = ledger_exec(l, "cert_ledger_verify", "BEGIN");
	if (rc)
		goto fail;
	/* SQLite's own check of every page runs on its own thread meanwhile. */
	background = ledger_icheck_start(l, &ic);
	rc = verify_chains(l, flags, v, own);
	if (!rc)
		rc = verify_rest(l, v, own);
	/* Last, as it names no record: SQLite's own check of every page and index. */
	if (background) {
		rc = ledger_icheck_finish(&ic, v, rc, &answered);
		if (!rc && !answered)
			rc = ledger_verify_integrity(l, v);
	} else if (!rc) {
		rc = ledger_verify_integrity(l, v);
	}
	sqlite3_exec(l->db, "COMMIT", NULL, NULL, NULL);
	if (!rc)
		rc = ledger_verify_wal(l, v);
	if (rc < 0 && !v->reason[0])
		snprintf(v->reason, sizeof(v->reason), "%s", l->err);
	return rc;
fail:
	if (background)
		ledger_icheck_finish(&ic, v, rc, &answered);
	snprintf(v->reason, sizeof(v->reason), "the ledger file cannot be read: %s", l->err);
	return rc;
}
