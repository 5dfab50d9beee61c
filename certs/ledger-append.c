/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Appending a record: checked, numbered, chained, signed through the custody, committed. */
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

/*
 * Give @r its place @seq in the chain: number, custody and counter value,
 * the copy of its predecessor's signature @prev_sig (NULL for the first),
 * the station key. 0 or -ENAMETOOLONG.
 */
static int number_record(struct cert_ledger *l, struct cert_record *r, uint64_t seq,
			 const uint8_t *prev_sig, uint64_t counter)
{
	int n;

	snprintf(r->custody, sizeof(r->custody), "%s", cert_custody_name(l->custody));
	r->custody_counter = counter;
	if (seq > 1 && prev_sig)
		cert_hex(prev_sig, CERT_SIG_LEN, r->prev_sig);
	else
		r->prev_sig[0] = '\0';
	r->seq = seq;
	n = snprintf(r->cert_no, sizeof(r->cert_no), "%s-%06" PRIu64,
		     r->station_id[0] ? r->station_id : "TABULA", seq);
	if (n < 0 || (size_t)n >= sizeof(r->cert_no))
		return ledger_err(l, -ENAMETOOLONG, "station id too long");
	memcpy(r->key_fingerprint, l->fp, CERT_FP_HEX);
	return 0;
}

/* The row of record @r (encoded @canon, chained and signed), inside the append's transaction. */
static int insert_row(struct cert_ledger *l, const struct cert_record *r, int64_t now,
		      const struct cbuf *canon, const uint8_t prev[CERT_HASH_LEN],
		      const uint8_t hash[CERT_HASH_LEN], const uint8_t sig[CERT_SIG_LEN])
{
	sqlite3_stmt *st = NULL;
	int rc, src;

	rc = ledger_prep(l, "cert_ledger_append",
		  "INSERT INTO records(fp, seq, cert_no, serial, ended, issued, record, prev_hash,"
		  " hash, sig) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", &st);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, l->fp, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)r->seq);
	sqlite3_bind_text(st, 3, r->cert_no, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, r->serial, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, r->end);
	sqlite3_bind_int64(st, 6, now);
	sqlite3_bind_blob(st, 7, canon->p, (int)canon->len, SQLITE_STATIC);
	sqlite3_bind_blob(st, 8, prev, CERT_HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_blob(st, 9, hash, CERT_HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_blob(st, 10, sig, CERT_SIG_LEN, SQLITE_STATIC);
	src = sqlite3_step(st);
	rc = ledger_stored(l, "cert_ledger_append", src);
	sqlite3_finalize(st);
	return rc;
}

/* 0 when no PDF was noted as issued for record @seq of this station, else -ESTALE with why. */
static int issued_before(struct cert_ledger *l, uint64_t seq)
{
	sqlite3_stmt *st = NULL;
	int rc, src;

	rc = ledger_prep(l, "cert_ledger_append", "SELECT 1 FROM pdfs WHERE fp = ? AND seq = ? LIMIT 1",
			 &st);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, l->fp, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)seq);
	src = sqlite3_step(st);
	sqlite3_finalize(st);
	if (src == SQLITE_ROW)
		return ledger_err(l, -ESTALE, "%s: a certificate was issued as record %" PRIu64
				  " before (the ledger notes its PDF) but the record is gone: the"
				  " ledger was cut or rolled back. Nothing is added to it; run certs"
				  " verify", l->path, seq);
	return src == SQLITE_DONE ? 0 : ledger_sqerr(l, "cert_ledger_append", src);
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
	bool in_tx = false, have_sig;
	struct cert_custody_check chk;
	uint64_t seq, counter = 0, now_counter;
	int64_t now = (int64_t)time(NULL);
	char why[512];
	int rc;

	/* Nothing that cannot be decoded, shown and verified is ever signed. */
	if ((rc = cert_record_check(r, CERT_CHECK_TIMES, now, why, sizeof(why))))
		return ledger_err(l, rc, "not appended: %s", why);
	if (!l->custody && (rc = cert_ledger_use_custody_spec(l, NULL)))
		return rc;
	if ((rc = ledger_exec(l, "cert_ledger_append", "BEGIN IMMEDIATE")))
		return rc;
	in_tx = true;
	/* The schema may have changed since the open: under the write lock, it cannot now. */
	if ((rc = ledger_schema_gate(l)))
		goto out;
	{
		/* One chain, one station name: every number of it begins the same. */
		char chain[sizeof(r->station_id)];
		const char *mine = r->station_id[0] ? r->station_id : "TABULA";

		rc = cert_ledger_station_name(l, chain, sizeof(chain));
		if (rc < 0)
			goto out;
		if (rc == 0 && strcmp(chain, mine) != 0) {
			rc = ledger_err(l, -EXDEV, "this ledger's certificates are numbered %s-NNNNNN, but"
					" this record names the station \"%s\": set station = %s in"
					" tabula.conf (or TABULA_STATION=%s), or use another ledger",
					chain, mine, chain, chain);
			goto out;
		}
	}
	if ((rc = ledger_register_station(l, r->station_id[0] ? r->station_id : "TABULA")))
		goto out;
	if ((rc = ledger_head_of(l, l->fp, &seq, prev, prev_sig, &have_sig)))
		goto out;
	if (seq && !have_sig) {
		rc = ledger_err(l, -EBADMSG, "the chain head's signature is malformed;"
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
	seq++;
	/*
	 * A certificate was issued under this number before (its PDF's note is
	 * here) and its record is gone: the ledger was cut or rolled back. A new
	 * record would take the number of one already on paper.
	 */
	if ((rc = issued_before(l, seq)))
		goto out;
	if ((rc = number_record(l, r, seq, have_sig ? prev_sig : NULL, counter)))
		goto out;
	if ((rc = cert_record_encode(r, &canon))) {
		ledger_err(l, rc, "cannot encode the record");
		goto out;
	}
	if ((rc = cert_record_roundtrip(r, canon.p, canon.len, why, sizeof(why)))) {
		ledger_err(l, rc, "not appended: %s", why);
		goto out;
	}
	cert_chain_hash(prev, canon.p, canon.len, hash);
	if ((rc = cert_custody_sign(l->custody, hash, sig))) {
		ledger_err(l, rc, "signing failed: %s",
			   cert_custody_error(l->custody));
		goto out;
	}
	if ((rc = insert_row(l, r, now, &canon, prev, hash, sig)))
		goto out;
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
		ledger_err(l, 0, "the TPM counter did not advance to %" PRIu64
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

