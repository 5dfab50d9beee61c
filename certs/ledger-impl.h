/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Inside the ledger: the handle and the helpers its parts share (ledger.c:
 * open, append, read; ledger-verify.c: verification; ledger-merge.c: merge
 * and export; ledger-jobs.c: the open-jobs table). Not for callers of
 * certs/ledger.h.
 */
#ifndef TABULA_CERTS_LEDGER_IMPL_H
#define TABULA_CERTS_LEDGER_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "certs/ledger.h"

#define LEDGER_FORMAT "tabula-ledger-1"

struct cert_ledger {
	sqlite3 *db;
	char *path;
	struct cert_custody *custody;	/* holds the station key; see certs/custody.h */
	bool own_custody;		/* else borrowed from the caller */
	char fp[CERT_FP_HEX];
	char lang[8];
	char err[512];
};

/* Set the ledger's error message. Returns @rc. */
__attribute__((format(printf, 3, 4)))
int ledger_err(struct cert_ledger *l, int rc, const char *fmt, ...);
/* An SQLite error code as -errno, with SQLite's message after "@fn: ". */
int ledger_sqerr(struct cert_ledger *l, const char *fn, int src);
/* Run SQL without results / prepare a statement. 0 or -errno. */
int ledger_exec(struct cert_ledger *l, const char *fn, const char *sql);
int ledger_prep(struct cert_ledger *l, const char *fn, const char *sql, sqlite3_stmt **st);
/* A meta value into @buf, or "" when absent. */
int ledger_meta_get(struct cert_ledger *l, const char *key, char *buf, size_t len);
/* The fingerprint of the station whose key this ledger holds, or "". */
int ledger_own_fp(struct cert_ledger *l, char fp[CERT_FP_HEX]);
/* Head (last seq, hash, signature) of station @fp; seq 0 and zero hash when empty. */
int ledger_head_of(struct cert_ledger *l, const char *fp, uint64_t *seq,
		   uint8_t hash[CERT_HASH_LEN], uint8_t sig[CERT_SIG_LEN], bool *have_sig);

/*
 * The counter gate of TPM custody (certs/custody.h), before an append of
 * record @head_seq + 1 or at a check: compare the counter value the head
 * record carries (the enrolment's base for an empty chain) with the
 * custody's counter, advance it once when the ledger is one ahead (a stop
 * between commit and advance). 0 with the value the next record carries in
 * *@next, 1 when the ledger is behind (the gap in @chk), or -errno; the
 * message in @chk and the ledger's error.
 */
struct cert_custody_check;
int ledger_counter_gate(struct cert_ledger *l, struct cert_custody *c, uint64_t head_seq,
			uint64_t *next, struct cert_custody_check *chk);

/*
 * End open job @id of the medium with @serial, inside the caller's
 * transaction. -ESRCH (with the reason) when this ledger holds no such job:
 * it began in another ledger, or was already ended.
 */
int ledger_job_end(struct cert_ledger *l, int64_t id, const char *serial);

/*
 * Take over an SQLite handle @db already opened (read-only, or read-write
 * with @flags as for cert_ledger_open()) and check it holds a ledger.
 * @name is what messages call it. On failure @db is closed too. This is
 * how a ledger image held in memory is read (sqlite3_deserialize); the
 * fuzz target uses it.
 */
int cert_ledger_adopt(sqlite3 *db, const char *name, unsigned flags, struct cert_ledger **out,
		      char *err, size_t errlen);

#endif
