/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The registry's trust log: stations enrolled and revoked (see certs/trust.h). */
#include "config.h"

#include "certs/trust.h"
#include "certs/ledger-impl.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

int cert_trust_parse_fp(const char *in, char fp[CERT_FP_HEX])
{
	size_t n = 0;

	for (; *in; in++) {
		if (*in == ' ' || *in == ':')
			continue;
		if (!isxdigit((unsigned char)*in) || n == CERT_FP_HEX - 1)
			return -EINVAL;
		fp[n++] = (char)tolower((unsigned char)*in);
	}
	fp[n] = '\0';
	return n == CERT_FP_HEX - 1 ? 0 : -EINVAL;
}

/* The hash of one entry, chained to @prev. */
static void entry_hash(const uint8_t prev[CERT_HASH_LEN], int64_t n, const char *fp,
		       const char *action, const char *name, int64_t at, const char *reason,
		       uint8_t out[CERT_HASH_LEN])
{
	char buf[1024];
	int len;

	len = snprintf(buf, sizeof(buf), "tabula-trust-1\n%" PRId64 "\n%s\n%s\n%zu:%s\n%" PRId64
		       "\n%zu:%s\n", n, fp, action, strlen(name), name, at, strlen(reason), reason);
	if (len < 0 || (size_t)len >= sizeof(buf))
		len = 0;	/* the fields are bounded when written; a longer one fails the check */
	cert_chain_hash(prev, buf, (size_t)len, out);
}

/* Is @s short, non-empty (unless @empty_ok) and free of control characters? */
static bool text_ok(const char *s, bool empty_ok, size_t max)
{
	size_t n = strlen(s);

	if ((!n && !empty_ok) || n >= max)
		return false;
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

/* Append one entry to the log, in one transaction. */
static int trust_append(struct cert_ledger *l, const char *fp, const char *action,
			const char *name, const char *reason)
{
	uint8_t prev[CERT_HASH_LEN] = { 0 }, h[CERT_HASH_LEN];
	sqlite3_stmt *st = NULL;
	int64_t n = 1, at = (int64_t)time(NULL);
	int rc, src;

	if (!l->has_trust)
		return ledger_err(l, -EROFS, "the registry was opened read-only");
	rc = ledger_prep(l, "cert_trust", "SELECT n, hash FROM trust_log ORDER BY n DESC LIMIT 1", &st);
	if (rc)
		return rc;
	src = sqlite3_step(st);
	if (src == SQLITE_ROW) {
		n = sqlite3_column_int64(st, 0) + 1;
		if (sqlite3_column_bytes(st, 1) == CERT_HASH_LEN)
			memcpy(prev, sqlite3_column_blob(st, 1), CERT_HASH_LEN);
	} else if (src != SQLITE_DONE) {
		rc = ledger_sqerr(l, "cert_trust", src);
	}
	sqlite3_finalize(st);
	if (rc)
		return rc;
	entry_hash(prev, n, fp, action, name, at, reason, h);
	rc = ledger_prep(l, "cert_trust", "INSERT INTO trust_log VALUES(?, ?, ?, ?, ?, ?, ?, ?)", &st);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, n);
	sqlite3_bind_text(st, 2, fp, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, action, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, at);
	sqlite3_bind_text(st, 6, reason, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 7, prev, CERT_HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_blob(st, 8, h, CERT_HASH_LEN, SQLITE_STATIC);
	src = sqlite3_step(st);
	rc = ledger_stored(l, "cert_trust", src);
	sqlite3_finalize(st);
	return rc;
}

int cert_trust_get(struct cert_ledger *l, const char *fp, struct cert_trust *t)
{
	sqlite3_stmt *st = NULL;
	int rc, src;

	memset(t, 0, sizeof(*t));
	snprintf(t->fp, sizeof(t->fp), "%s", fp);
	if (!l->has_trust)
		return 0;	/* a ledger from before trust anchors: nobody enrolled */
	rc = ledger_prep(l, "cert_trust_get", "SELECT action, name, at, reason FROM trust_log"
			 " WHERE fp = ? ORDER BY n", &st);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, fp, -1, SQLITE_STATIC);
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		const char *a = (const char *)sqlite3_column_text(st, 0);
		const char *name = (const char *)sqlite3_column_text(st, 1);
		const char *why = (const char *)sqlite3_column_text(st, 3);

		if (a && !strcmp(a, "enrol") && t->state == CERT_TRUST_UNKNOWN) {
			t->state = CERT_TRUST_ENROLLED;
			snprintf(t->name, sizeof(t->name), "%s", name ? name : "");
			t->enrolled = sqlite3_column_int64(st, 2);
		} else if (a && !strcmp(a, "revoke") && t->state == CERT_TRUST_ENROLLED) {
			t->state = CERT_TRUST_REVOKED;
			t->revoked = sqlite3_column_int64(st, 2);
			snprintf(t->reason, sizeof(t->reason), "%s", why ? why : "");
		}
	}
	if (src != SQLITE_DONE)
		rc = ledger_sqerr(l, "cert_trust_get", src);
	sqlite3_finalize(st);
	return rc;
}

int cert_trust_enrol(struct cert_ledger *l, const char *fp, const char *name)
{
	struct cert_trust t;
	int rc;

	if (!text_ok(name, false, CERT_STR))
		return ledger_err(l, -EINVAL, "the station name must be 1 to 127 bytes without"
				  " control characters");
	if ((rc = ledger_exec(l, "cert_trust_enrol", "BEGIN IMMEDIATE")))
		return rc;
	if ((rc = cert_trust_get(l, fp, &t)))
		goto out;
	if (t.state == CERT_TRUST_ENROLLED) {
		rc = ledger_err(l, -EEXIST, "station %.16s... is enrolled already, as \"%s\"", fp,
				t.name);
		goto out;
	}
	if (t.state == CERT_TRUST_REVOKED) {
		rc = ledger_err(l, -EKEYREVOKED, "station %.16s... was revoked; a revoked key is"
				" never enrolled again", fp);
		goto out;
	}
	if ((rc = trust_append(l, fp, "enrol", name, "")))
		goto out;
	return ledger_exec(l, "cert_trust_enrol", "COMMIT");
out:
	sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

int cert_trust_revoke(struct cert_ledger *l, const char *fp, const char *reason)
{
	struct cert_trust t;
	int rc;

	if (!text_ok(reason, true, CERT_TEXT))
		return ledger_err(l, -EINVAL, "the reason must be under 512 bytes without control"
				  " characters");
	if ((rc = ledger_exec(l, "cert_trust_revoke", "BEGIN IMMEDIATE")))
		return rc;
	if ((rc = cert_trust_get(l, fp, &t)))
		goto out;
	if (t.state == CERT_TRUST_UNKNOWN) {
		rc = ledger_err(l, -ENOENT, "station %.16s... is not enrolled in this registry", fp);
		goto out;
	}
	if (t.state == CERT_TRUST_REVOKED) {
		rc = ledger_err(l, -EALREADY, "station %.16s... is revoked already", fp);
		goto out;
	}
	if ((rc = trust_append(l, fp, "revoke", t.name, reason)))
		goto out;
	return ledger_exec(l, "cert_trust_revoke", "COMMIT");
out:
	sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

int cert_trust_each(struct cert_ledger *l, int (*cb)(const struct cert_trust *t, void *arg),
		    void *arg)
{
	sqlite3_stmt *st = NULL;
	struct cert_trust t;
	int rc, src;

	if (!l->has_trust)
		return 0;
	rc = ledger_prep(l, "cert_trust_each", "SELECT fp FROM trust_log WHERE action = 'enrol'"
			 " GROUP BY fp ORDER BY min(n)", &st);
	if (rc)
		return rc;
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		const char *fp = (const char *)sqlite3_column_text(st, 0);

		if ((rc = cert_trust_get(l, fp ? fp : "", &t)) || (rc = cb(&t, arg)))
			break;
	}
	if (!rc && src != SQLITE_DONE)
		rc = ledger_sqerr(l, "cert_trust_each", src);
	sqlite3_finalize(st);
	return rc;
}

int cert_trust_check(struct cert_ledger *l, uint64_t *n, uint8_t head[CERT_HASH_LEN], char *why,
		     size_t whylen)
{
	uint8_t prev[CERT_HASH_LEN] = { 0 }, h[CERT_HASH_LEN];
	sqlite3_stmt *st = NULL;
	int64_t want = 1;
	int rc = 0, src;

	*n = 0;
	memset(head, 0, CERT_HASH_LEN);
	if (!l->has_trust)
		return 0;
	rc = ledger_prep(l, "cert_trust_check", "SELECT n, fp, action, name, at, reason, prev, hash"
			 " FROM trust_log ORDER BY n", &st);
	if (rc)
		return rc;
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t at = sqlite3_column_int64(st, 4);
		const char *fp = (const char *)sqlite3_column_text(st, 1);
		const char *a = (const char *)sqlite3_column_text(st, 2);
		const char *name = (const char *)sqlite3_column_text(st, 3);
		const char *reason = (const char *)sqlite3_column_text(st, 5);

		if (sqlite3_column_int64(st, 0) != want) {
			snprintf(why, whylen, "the trust log lacks entry %" PRId64 " (removed)", want);
			rc = 1;
			break;
		}
		entry_hash(prev, want, fp ? fp : "", a ? a : "", name ? name : "", at,
			   reason ? reason : "", h);
		if (sqlite3_column_bytes(st, 6) != CERT_HASH_LEN ||
		    memcmp(sqlite3_column_blob(st, 6), prev, CERT_HASH_LEN) ||
		    sqlite3_column_bytes(st, 7) != CERT_HASH_LEN ||
		    memcmp(sqlite3_column_blob(st, 7), h, CERT_HASH_LEN)) {
			snprintf(why, whylen, "trust log entry %" PRId64 " (station %.16s...) was altered,"
				 " or an entry before it removed", want, fp ? fp : "");
			rc = 1;
			break;
		}
		memcpy(prev, h, CERT_HASH_LEN);
		want++;
	}
	if (!rc && src != SQLITE_DONE)
		rc = ledger_sqerr(l, "cert_trust_check", src);
	sqlite3_finalize(st);
	if (!rc) {
		*n = (uint64_t)(want - 1);
		memcpy(head, prev, CERT_HASH_LEN);
	}
	return rc;
}

int cert_trust_put_row(struct cert_ledger *l, const struct cert_trust_row *r)
{
	sqlite3_stmt *st = NULL;
	int rc, src;

	if (!l->has_trust)
		return ledger_err(l, -EROFS, "cert_trust_put_row: the ledger has no trust log");
	rc = ledger_prep(l, "cert_trust_put_row", "INSERT INTO trust_log VALUES(?, ?, ?, ?, ?, ?, ?, ?)",
			 &st);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, r->n);
	sqlite3_bind_text(st, 2, r->fp, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, r->action, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, r->name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, r->at);
	sqlite3_bind_text(st, 6, r->reason, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 7, r->prev, (int)(r->prev_len < CERT_HASH_LEN ? r->prev_len :
						CERT_HASH_LEN), SQLITE_STATIC);
	sqlite3_bind_blob(st, 8, r->hash, (int)(r->hash_len < CERT_HASH_LEN ? r->hash_len :
						CERT_HASH_LEN), SQLITE_STATIC);
	src = sqlite3_step(st);
	rc = ledger_stored(l, "cert_trust_put_row", src);
	sqlite3_finalize(st);
	return rc;
}

/* Copy text column @col of @st into @buf. */
static void col_copy(sqlite3_stmt *st, int col, char *buf, size_t len)
{
	const char *t = (const char *)sqlite3_column_text(st, col);

	snprintf(buf, len, "%s", t ? t : "");
}

int cert_trust_last_row(struct cert_ledger *l, struct cert_trust_row *r)
{
	sqlite3_stmt *st = NULL;
	int rc, src;

	memset(r, 0, sizeof(*r));
	if (!l->has_trust)
		return -ENOENT;
	rc = ledger_prep(l, "cert_trust_last_row", "SELECT n, fp, action, name, at, reason, prev, hash"
			 " FROM trust_log ORDER BY n DESC LIMIT 1", &st);
	if (rc)
		return rc;
	src = sqlite3_step(st);
	if (src == SQLITE_ROW) {
		r->n = sqlite3_column_int64(st, 0);
		col_copy(st, 1, r->fp, sizeof(r->fp));
		col_copy(st, 2, r->action, sizeof(r->action));
		col_copy(st, 3, r->name, sizeof(r->name));
		r->at = sqlite3_column_int64(st, 4);
		col_copy(st, 5, r->reason, sizeof(r->reason));
		r->prev_len = (size_t)sqlite3_column_bytes(st, 6);
		r->hash_len = (size_t)sqlite3_column_bytes(st, 7);
		if (r->prev_len == CERT_HASH_LEN)
			memcpy(r->prev, sqlite3_column_blob(st, 6), CERT_HASH_LEN);
		if (r->hash_len == CERT_HASH_LEN)
			memcpy(r->hash, sqlite3_column_blob(st, 7), CERT_HASH_LEN);
	} else {
		rc = src == SQLITE_DONE ? -ENOENT : ledger_sqerr(l, "cert_trust_last_row", src);
	}
	sqlite3_finalize(st);
	return rc;
}
