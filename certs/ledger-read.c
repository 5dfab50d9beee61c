/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reading the ledger: every row checked against its signed record before it is handed out; raw access for registries. */
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

#define ENTRY_COLS "r.fp, r.seq, r.cert_no, r.serial, r.issued, r.prev_hash, r.hash, r.sig," \
		   " s.pubkey, r.record, r.ended FROM records r LEFT JOIN stations s ON s.fp = r.fp"

/*
 * Every column a reader hands out must say what the signed record says:
 * the record must decode, match its hash, and agree with the position,
 * number, serial, end time and station columns, the station key with
 * its fingerprint, and carry that key's signature over its hash (a record
 * edited with its hash made again matches everything else). A row that
 * does not is refused, never shown.
 */
/* Does @e carry its station key's signature over its hash? 0, or -errno with the message. */
static int sig_check(struct cert_ledger *l, const struct cert_entry *e)
{
	struct cert_key *k = NULL;
	int rc = cert_key_from_public(e->pub, &k);

	if (rc)
		return ledger_err(l, rc, "record %" PRIu64 " (%s): its station key cannot be read;"
				  " run certs verify", e->seq, e->cert_no);
	rc = cert_verify_sig(k, e->hash, e->sig);
	cert_key_free(k);
	if (rc == 1)
		return ledger_err(l, -EBADMSG, "record %" PRIu64 " (%s) does not carry its station's"
				  " signature (altered, its hash made again); run certs verify",
				  e->seq, e->cert_no);
	return rc ? ledger_err(l, rc, "out of memory") : 0;
}

/* The row's signature, unless the snapshot's chains are vouched for (vouch_chains). */
static int row_sig(struct cert_ledger *l, const struct cert_entry *e)
{
	return l->vouched ? 0 : sig_check(l, e);
}

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
		    !strcmp(s->cert_no, e->cert_no) && !strcmp(s->serial, e->serial) &&
		    (s->sig_checked || l->vouched)) {
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
			return row_sig(l, e);
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
	{
		int rc = row_sig(l, e);

		if (rc)
			return rc;
	}
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
		s->sig_checked = !l->vouched;
	}
	return 0;
}

/*
 * Before a reader walks many records: in the same read snapshot, does every
 * row's hash cover its content, and every station's chain link up (each
 * row's prev_hash its predecessor's hash) to a head whose signature holds?
 * Then that one signature vouches for every row in the snapshot, and the
 * rows need not be checked one by one
 * (100,000 Ed25519 checks are 8 s here; this is one per station). Any gap
 * or bad head: false, and every row is checked on its own, which names it.
 */
static bool vouch_chains(struct cert_ledger *l)
{
	uint8_t last[CERT_HASH_LEN], sig[CERT_SIG_LEN], pub[CERT_PUB_LEN];
	char fp[CERT_FP_HEX] = "";
	sqlite3_stmt *st = NULL;
	uint64_t seq = 0;
	bool ok = true, any = false;
	int src = SQLITE_DONE;

	if (sqlite3_prepare_v2(l->db, "SELECT r.fp, r.seq, r.prev_hash, r.hash, r.sig, s.pubkey,"
			       " r.record FROM records r LEFT JOIN stations s ON s.fp = r.fp"
			       " ORDER BY r.fp, r.seq", -1, &st, NULL) != SQLITE_OK)
		return false;
	while (ok && (src = sqlite3_step(st)) == SQLITE_ROW) {
		const char *f = (const char *)sqlite3_column_text(st, 0);
		uint64_t s = (uint64_t)sqlite3_column_int64(st, 1);
		bool same = any && f && !strcmp(f, fp);
		uint8_t own[CERT_HASH_LEN];

		if (!f || strlen(f) >= sizeof(fp) || sqlite3_column_bytes(st, 2) != CERT_HASH_LEN ||
		    sqlite3_column_bytes(st, 3) != CERT_HASH_LEN ||
		    sqlite3_column_bytes(st, 4) != CERT_SIG_LEN ||
		    sqlite3_column_bytes(st, 5) != CERT_PUB_LEN) {
			ok = false;
			break;
		}
		/*
		 * Every row's hash is its own content's, walked or not: a row no
		 * walk shows (an end time out of every range) must not carry a
		 * borrowed hash and signature as a chain's head.
		 */
		cert_chain_hash(sqlite3_column_blob(st, 2), sqlite3_column_blob(st, 6),
				(size_t)sqlite3_column_bytes(st, 6), own);
		if (memcmp(own, sqlite3_column_blob(st, 3), CERT_HASH_LEN)) {
			ok = false;
			break;
		}
		if (any && !same) {
			/* The head of the chain before: its signature vouches for the chain. */
			struct cert_entry h = { .seq = seq };

			memcpy(h.hash, last, CERT_HASH_LEN);
			memcpy(h.sig, sig, CERT_SIG_LEN);
			memcpy(h.pub, pub, CERT_PUB_LEN);
			ok = sig_check(l, &h) == 0;
		} else if (same && (s != seq + 1 || memcmp(sqlite3_column_blob(st, 2), last,
							 CERT_HASH_LEN))) {
			ok = false;
		}
		snprintf(fp, sizeof(fp), "%s", f);
		seq = s;
		memcpy(last, sqlite3_column_blob(st, 3), CERT_HASH_LEN);
		memcpy(sig, sqlite3_column_blob(st, 4), CERT_SIG_LEN);
		memcpy(pub, sqlite3_column_blob(st, 5), CERT_PUB_LEN);
		any = true;
	}
	if (ok && src != SQLITE_DONE && src != SQLITE_ROW)
		ok = false;
	sqlite3_finalize(st);
	if (ok && any) {
		struct cert_entry h = { .seq = seq };

		memcpy(h.hash, last, CERT_HASH_LEN);
		memcpy(h.sig, sig, CERT_SIG_LEN);
		memcpy(h.pub, pub, CERT_PUB_LEN);
		ok = sig_check(l, &h) == 0;
	}
	l->err[0] = '\0';	/* a failure here is named by the row-by-row check */
	return ok;
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
static int each_entry(struct cert_ledger *l, sqlite3_stmt *st, const char *fn, bool many,
		      int (*cb)(const struct cert_entry *e, void *arg), void *arg)
{
	bool own_tx = many && sqlite3_get_autocommit(l->db);
	struct cert_entry e;
	int rc = 0, src;

	/* One read snapshot for the chains' check and the walk (see vouch_chains). */
	if (own_tx && sqlite3_exec(l->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		own_tx = false;
	l->vouched = own_tx && vouch_chains(l);
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
	l->vouched = false;
	if (own_tx)
		sqlite3_exec(l->db, "COMMIT", NULL, NULL, NULL);
	return rc;
}

int cert_ledger_each(struct cert_ledger *l, int64_t from, int64_t to, const char *serial,
		     int (*cb)(const struct cert_entry *e, void *arg), void *arg)
{
	sqlite3_stmt *st = NULL;
	int rc;

	/* [from, to), where to = INT64_MAX is no bound at all: list shows every record. */
	rc = ledger_prep(l, "cert_ledger_each",
		  serial ? "SELECT " ENTRY_COLS " WHERE r.ended >= ?1 AND (r.ended < ?2 OR ?4)"
			   " AND r.serial = ?3 ORDER BY r.fp, r.seq"
			 : "SELECT " ENTRY_COLS " WHERE r.ended >= ?1 AND (r.ended < ?2 OR ?4)"
			   " ORDER BY r.fp, r.seq",
		  &st);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	if (serial)
		sqlite3_bind_text(st, 3, serial, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, to == INT64_MAX);
	return each_entry(l, st, "cert_ledger_each", !serial, cb, arg);
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
	rc = src == SQLITE_CONSTRAINT ? 0 : ledger_stored(l, "cert_ledger_pdf_put", src);
	sqlite3_finalize(st);
	if (src == SQLITE_CONSTRAINT) {
		uint8_t have[CERT_HASH_LEN];

		/* Issued before: fine if it is the same file. */
		if (cert_ledger_pdf_get(l, fp, seq, lang, have) == 0 &&
		    memcmp(have, sha, CERT_HASH_LEN) == 0)
			return 0;
		return ledger_err(l, -EEXIST, "record %" PRIu64
			    " already has a different %s PDF", seq, lang);
	}
	return rc;
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

int cert_ledger_station_name(struct cert_ledger *l, char *name, size_t len)
{
	return ledger_station_of(l, l->fp, name, len);
}

int cert_ledger_own_station_name(struct cert_ledger *l, char *name, size_t len)
{
	char fp[CERT_FP_HEX];
	int rc = ledger_own_fp(l, fp);

	if (rc == -ENOENT)
		return 1;
	return rc ? rc : ledger_station_of(l, fp, name, len);
}

int ledger_station_of(struct cert_ledger *l, const char *fp, char *name, size_t len)
{
	sqlite3_stmt *st = NULL;
	int rc, src;

	rc = ledger_prep(l, "cert_ledger_station_name",
			 "SELECT station_id FROM stations WHERE fp = ?", &st);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, fp, -1, SQLITE_STATIC);
	src = sqlite3_step(st);
	if (src == SQLITE_ROW) {
		snprintf(name, len, "%s", (const char *)sqlite3_column_text(st, 0));
		rc = 0;
	} else if (src == SQLITE_DONE) {
		rc = 1;
	} else {
		rc = ledger_sqerr(l, "cert_ledger_station_name", src);
	}
	sqlite3_finalize(st);
	return rc;
}

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
			rc = ledger_err(l, -EBADMSG, "station key %.16s is malformed",
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
	return each_entry(l, st, "cert_ledger_each_record", true, cb, arg);
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
	rc = ledger_stored(l, "cert_ledger_put_station", src);
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
	rc = ledger_stored(l, "cert_ledger_put_raw", src);
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
