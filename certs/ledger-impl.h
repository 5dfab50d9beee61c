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

#include <pthread.h>
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
	struct cert_record *rec;	/* scratch for cross-checking rows as they are read */
	/* The last rows that passed entry_check(), so a record read again is not decoded again. */
	struct ledger_seen {
		char *canon;
		size_t len;
		uint8_t prev[32], hash[32];
		char fp[65];
		uint64_t seq;
		char cert_no[64], serial[128];
		int64_t ended;
		bool sig_checked;	/* else vouched for by its chain in a snapshot now gone */
	} seen[8];
	unsigned seen_next;
	bool jobs_signed;		/* open_jobs has its sig column (older ledgers lack it) */
	bool has_trust;			/* the trust_log table exists */
	bool adopted;			/* the handle came from cert_ledger_adopt(): no file behind it */
	bool vouched;			/* this read snapshot's chains link to signed heads */
	char *label;			/* what messages call it, when not its path (a registry's copy) */
};

/* Set the ledger's error message. Returns @rc. */
__attribute__((format(printf, 3, 4)))
int ledger_err(struct cert_ledger *l, int rc, const char *fmt, ...);
/*
 * An SQLite error code as -errno, the message in a person's words: the
 * ledger's path and what is wrong with it (SQLite's words when there are
 * none better). @fn, the failing function, is added only when
 * $TABULA_DEBUG is set.
 */
int ledger_sqerr(struct cert_ledger *l, const char *fn, int src);
/* Run SQL without results / prepare a statement. 0 or -errno. */
int ledger_exec(struct cert_ledger *l, const char *fn, const char *sql);
int ledger_prep(struct cert_ledger *l, const char *fn, const char *sql, sqlite3_stmt **st);
/*
 * The result @src of stepping an INSERT of one row: 0 only when SQLite is
 * done and the row was stored (a trigger's RAISE(IGNORE) stores nothing
 * and still reports done), else -errno with the message.
 */
int ledger_stored(struct cert_ledger *l, const char *fn, int src);
/* A meta value into @buf, or "" when absent. */
int ledger_meta_get(struct cert_ledger *l, const char *key, char *buf, size_t len);
/* The fingerprint of the station whose key this ledger holds, or "". */
int ledger_own_fp(struct cert_ledger *l, char fp[CERT_FP_HEX]);
/* The station name of chain @fp into @name: 0, 1 when it has none, or -errno. */
int ledger_station_of(struct cert_ledger *l, const char *fp, char *name, size_t len);
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
 * The digest an open-job row is signed over (every column but the
 * signature). See ledger-jobs.c.
 */
void ledger_job_digest(const struct cert_open_job *j, uint8_t out[CERT_HASH_LEN]);
/* Check @j's signature with the key of station @pub. true when it holds. */
bool ledger_job_sig_ok(const struct cert_open_job *j, const uint8_t pub[CERT_PUB_LEN]);
/* The public key of the ledger's own station, from the stations table. 0, -ENOENT. */
int ledger_own_pub(struct cert_ledger *l, uint8_t pub[CERT_PUB_LEN]);
/* Register the station key (and, for its own ledger, meta station_fp) inside a transaction. */
int ledger_register_station(struct cert_ledger *l, const char *station_id);
/*
 * Read a write-ahead log image as SQLite recovers it: 1 (reason in @why)
 * when SQLite would drop a commit the log holds (a damaged frame before
 * it), which silently loses records; 2 when only the last frame, a commit,
 * fails (a crash mid-write looks the same: a warning, not a failure); else 0.
 */
int cert_ledger_check_wal(const void *wal, size_t len, char *why, size_t whylen);
/*
 * Do the canonical record bytes state these position, number, serial, key
 * and end time? A byte search, exact for canonical JSON when the strings
 * need no escaping (ledger_needs_escape()). A reason, or NULL.
 */
const char *ledger_check_members(const void *canon, size_t len, uint64_t seq,
				 const char *cert_no, const char *serial, const char *fp,
				 int64_t ended);
/* Would @s be escaped in canonical JSON? Then a byte search cannot find it. */
bool ledger_needs_escape(const char *s);
/*
 * The ledger's schema (ledger-schema.c). ledger_schema_setup() makes it (or
 * brings an older ledger up to it) in one transaction and refuses a file
 * whose schema is not exactly the ledger's; ledger_schema_check() compares:
 * 0 when every object is the ledger's own (an older ledger may lack some),
 * 1 with the first finding in @r, or -errno.
 */
struct ledger_schema_report {
	enum { LEDGER_SCHEMA_OWN, LEDGER_SCHEMA_FOREIGN, LEDGER_SCHEMA_REDEFINED,
	       LEDGER_SCHEMA_MISSING } finding;
	char type[16], name[64];
	bool unique_index;		/* records_cert_unique is there (and the ledger's) */
};
int ledger_schema_setup(struct cert_ledger *l);
int ledger_schema_check(struct cert_ledger *l, struct ledger_schema_report *r);
/*
 * Inside a write transaction, before anything is written: 0 when the
 * schema is the ledger's, else -EBADMSG with the finding as the message.
 * (The write lock keeps it so until the commit.)
 */
int ledger_schema_gate(struct cert_ledger *l);
/*
 * Is every value of every table stored as its column's type? 0, 1 with the
 * row and column in @why, or -errno.
 */
int ledger_types_check(struct cert_ledger *l, char *why, size_t len);
/* The finding in a person's words, into @buf. */
const char *ledger_schema_finding(const struct ledger_schema_report *r, char *buf, size_t len);
/* Does table @t have column @c? */
bool ledger_has_column(struct cert_ledger *l, const char *t, const char *c);

/*
 * Take over an SQLite handle @db already opened (read-only, or read-write
 * with @flags as for cert_ledger_open()) and check it holds a ledger.
 * @name is what messages call it. On failure @db is closed too. This is
 * how a ledger image held in memory is read (sqlite3_deserialize); the
 * fuzz target uses it.
 */
int cert_ledger_adopt(sqlite3 *db, const char *name, unsigned flags, struct cert_ledger **out,
		      char *err, size_t errlen);

/* ---- verification, shared by ledger-verify.c, ledger-verify-file.c and ledger-wal.c ---- */
/* Note a failure in @v (the first stands for the report). Returns 1. */
int ledger_vfail(struct cert_verify *v, const char *fp, uint64_t seq, const char *cert_no,
		 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
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
/* Start SQLite's integrity check on its own thread; false: it is to be run in line. */
bool ledger_icheck_start(struct cert_ledger *l, struct icheck *c);
/* Its answer: 0, or 1 after ledger_vfail(); false in @*answered when it gave none. */
int ledger_icheck_finish(struct icheck *c, struct cert_verify *v, int rc, bool *answered);
int ledger_verify_integrity(struct cert_ledger *l, struct cert_verify *v);
int ledger_verify_schema(struct cert_ledger *l, struct cert_verify *v, bool *unique_index);
int ledger_verify_columns(struct cert_ledger *l, struct cert_verify *v);
int ledger_verify_meta(struct cert_ledger *l, struct cert_verify *v);
/* One SQL probe (fp, seq, cert_no of an offending row) that names the row as @what. */
int ledger_verify_probe(struct cert_ledger *l, struct cert_verify *v, const char *sql,
			const char *what);
int ledger_verify_station_names(struct cert_ledger *l, struct cert_verify *v);
struct jobcheck {
	struct cert_verify *v;
	const char *fp;
	int rc;
};
/* cert_ledger_each_job() callback: an open job the station did not sign fails. */
int ledger_job_checked(const struct cert_open_job *j, void *arg);
/* The -wal file beside the ledger: 0, 1 after ledger_vfail(), a torn last frame a warning. */
int ledger_verify_wal(struct cert_ledger *l, struct cert_verify *v);

#endif
