/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The ledger: an append-only SQLite file of signed, hash-chained records.
 * A station ledger holds one chain (its own key); a registry built with
 * cert_ledger_merge() holds one chain per station. Both have the same
 * schema, so every reader and the verifier work on either.
 *
 * Append is one transaction (WAL, synchronous=FULL): when it returns 0 the
 * record is on disk. Records are never updated or deleted; triggers refuse
 * it, and the verifier would notice anyway.
 */
#ifndef CERTS_LEDGER_H
#define CERTS_LEDGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "certs/chain.h"
#include "certs/record.h"

struct cert_ledger;
struct cert_custody;

enum {
	CERT_LEDGER_CREATE = 1,		/* create the file if missing */
	CERT_LEDGER_READONLY = 2,
	/*
	 * The caller verifies the ledger (cert_ledger_verify) before it reads
	 * anything: the open does not refuse a value stored as another type
	 * than its column's, which the verification then names with its record.
	 */
	CERT_LEDGER_VERIFYING = 4,
};

/* One stored record with its chain data. */
struct cert_entry {
	char fp[CERT_FP_HEX];		/* station key fingerprint */
	uint64_t seq;
	char cert_no[64];
	char serial[CERT_STR];
	int64_t issued;			/* when appended (not signed): 0 from every reader */
	uint8_t prev[CERT_HASH_LEN];
	uint8_t hash[CERT_HASH_LEN];
	uint8_t sig[CERT_SIG_LEN];
	uint8_t pub[CERT_PUB_LEN];	/* the station's public key */
	char *canon;			/* canonical record, owned */
	size_t canon_len;
	int64_t ended;			/* the record's end time, UTC seconds */
};

void cert_entry_done(struct cert_entry *e);

/* Outcome of cert_ledger_verify(). */
struct cert_verify {
	uint64_t records;		/* records checked */
	uint64_t stations;
	char fp[CERT_FP_HEX];		/* station of the first bad record */
	uint64_t bad_seq;		/* 0: the problem is not one record */
	char cert_no[64];
	char reason[1024];
	uint8_t head[CERT_HASH_LEN];	/* chain head of the last station checked */
	uint64_t head_seq;
	uint64_t export_upto;		/* not 0: a copy made by export --upto, cut there */
	char warning[512];		/* not "": verified, but something to look into */
};

/*
 * Open (and with CERT_LEDGER_CREATE create) the ledger at @path. Returns 0
 * or -errno, with detail in @err.
 */
int cert_ledger_open(const char *path, unsigned flags, struct cert_ledger **out, char *err,
		     size_t errlen);
void cert_ledger_close(struct cert_ledger *l);
/* The last error, with the function name. */
const char *cert_ledger_error(const struct cert_ledger *l);
const char *cert_ledger_path(const struct cert_ledger *l);
/*
 * Call the ledger @label in messages instead of its path: a private copy of
 * a registry held elsewhere is named after that registry. 0 or -ENOMEM.
 */
int cert_ledger_set_label(struct cert_ledger *l, const char *label);

/*
 * Use the station key at @key_path (NULL: "<ledger>.key"), creating it on
 * first use. The key must match the one the ledger already holds, if any.
 * Called by cert_ledger_append() when no key was set. 0 or -errno.
 */
int cert_ledger_use_key(struct cert_ledger *l, const char *key_path);
/*
 * Sign through the key custody @c (certs/custody.h): borrowed (the caller
 * frees it after the ledger) or taken (freed with the ledger, also on
 * failure). @c must hold the key the ledger already holds, if any. With a
 * counter (TPM custody) every append checks and advances it. Without any
 * of these calls, the first append opens what the ledger's files say:
 * "<ledger>.sealed" means TPM custody, never a key file. 0 or -errno.
 */
int cert_ledger_use_custody(struct cert_ledger *l, struct cert_custody *c);
int cert_ledger_take_custody(struct cert_ledger *l, struct cert_custody *c);
/*
 * Open and take the custody @spec names (as cert_custody_open(); "file" and
 * "file:PATH" are cert_ledger_use_key()). NULL: $TABULA_CUSTODY, else TPM
 * custody when "<ledger>.sealed" exists, else the key file. 0 or -errno.
 */
int cert_ledger_use_custody_spec(struct cert_ledger *l, const char *spec);
/* The station key fingerprint (after cert_ledger_use_key()), or "". */
const char *cert_ledger_fingerprint(const struct cert_ledger *l);

/*
 * Append @r: sets r->seq, r->cert_no ("<station>-<seq>"; both cleared when
 * the append fails, so a number is only ever one the ledger holds),
 * r->key_fingerprint, r->custody and r->custody_counter, encodes it
 * canonically, chains, signs and commits. Fills @out (may be NULL).
 * Returns 0 or -errno; -ESTALE when the custody's counter says the ledger
 * was rolled back or cut (nothing appended; the gap in the error).
 */
int cert_ledger_append(struct cert_ledger *l, struct cert_record *r, struct cert_entry *out);

/*
 * cert_ledger_append() that also ends the open job @job_id (0: none) in the
 * same transaction, so a job is never both certified and left open.
 */
int cert_ledger_append_job(struct cert_ledger *l, struct cert_record *r, int64_t job_id,
			   struct cert_entry *out);

/*
 * Jobs under way. A front end notes each job before it touches the medium
 * and ends it with the job's certificate; a job still open when its process
 * is gone was interrupted (power loss, crash, kill). See certs/journal.h.
 * Open jobs are not part of any chain and are never exported or merged.
 */
struct cert_open_job {
	int64_t id;
	char boot_id[40];		/* /proc/sys/kernel/random/boot_id of the runner */
	int64_t pid;
	uint64_t pid_start;		/* the runner's start time, clock ticks after boot */
	int64_t started;		/* UTC seconds */
	char serial[128];
	const void *record;		/* canonical record as known at the start */
	size_t record_len;
	/*
	 * Set by cert_ledger_each_job(): the row carries a signature by the
	 * ledger's own station key over all of the above, and it holds. A row
	 * without one was not noted by the station (inserted or altered).
	 */
	const void *sig;		/* CERT_SIG_LEN bytes, or NULL */
	bool sig_ok;
};

/* Note a job; its id in @id. 0 or -errno. */
int cert_ledger_job_add(struct cert_ledger *l, const struct cert_open_job *j, int64_t *id);
/* Forget a job that issued no certificate (it never ran). 0 or -errno. */
int cert_ledger_job_drop(struct cert_ledger *l, int64_t id);
/* Call @cb for each open job, oldest first; non-zero from @cb stops and is returned. */
int cert_ledger_each_job(struct cert_ledger *l,
			 int (*cb)(const struct cert_open_job *j, void *arg), void *arg);

/*
 * Record @seq of station @fp (NULL: the ledger's only or own station), or
 * the record numbered @cert_no. 0, -ENOENT, -EINVAL (ambiguous), -errno.
 */
int cert_ledger_get(struct cert_ledger *l, const char *fp, uint64_t seq, struct cert_entry *e);
int cert_ledger_get_cert(struct cert_ledger *l, const char *cert_no, struct cert_entry *e);

/* Resolve "N" or a certificate number into an entry. */
int cert_ledger_lookup(struct cert_ledger *l, const char *what, struct cert_entry *e);

/*
 * Call @cb for each record in chain order whose record end time is in
 * [@from, @to) (@to INT64_MAX: no upper bound) and, if @serial is set, whose serial equals it. A non-zero
 * return from @cb stops and is returned. Otherwise 0 or -errno.
 */
int cert_ledger_each(struct cert_ledger *l, int64_t from, int64_t to, const char *serial,
		     int (*cb)(const struct cert_entry *e, void *arg), void *arg);

enum {
	/* Also decode every record strictly (slower; catches malformed station output). */
	CERT_VERIFY_DEEP = 1,
	/* Accepted for compatibility: the default check is already the quick one. */
	CERT_VERIFY_QUICK = 2,
	/*
	 * Also check every stored signature with the station key, one by one.
	 * Not needed for proof: each record carries its predecessor's
	 * signature, so the hash chain binds every signature and the head
	 * signature vouches for all of them. About 50x slower; for auditors
	 * who want each certificate's own signature checked in the ledger.
	 */
	CERT_VERIFY_EVERY_SIG = 4,
};

/*
 * Check every station chain: the sequence, every previous-hash link, every
 * record's hash, every record's copy of its predecessor's signature, the
 * signed members (position, number, key, serial, end time) and the head
 * signature with the station key (more with the flags); then the rest of
 * the file: no second station in a station's ledger, the schema and every
 * column readers select, the settings, the PDF notes, duplicate numbers,
 * stored station names, the open jobs' signatures, SQLite's integrity
 * check, and the write-ahead log beside a ledger file (v->warning for a
 * torn last frame).
 * Returns 0 when all hold, 1 when a record fails (named in @v), or -errno
 * when the file cannot be read (e.g. truncated: reason in @v too).
 */
int cert_ledger_verify(struct cert_ledger *l, unsigned flags, struct cert_verify *v);

/*
 * The chain head of station @fp (NULL: own/only). 0, -ENOENT, -errno.
 * A ledger cannot see its own cut tail; this is what an outside anchor
 * (the registry, the PDFs, a TPM counter kept by the key custody) compares
 * with what it last saw.
 */
int cert_ledger_head(struct cert_ledger *l, const char *fp, uint64_t *seq,
		     uint8_t hash[CERT_HASH_LEN]);

/* Remember the SHA-256 of the PDF issued for a record (once per language). */
int cert_ledger_pdf_put(struct cert_ledger *l, const char *fp, uint64_t seq, const char *lang,
			const uint8_t sha[CERT_HASH_LEN]);
/* 0 and @sha filled, or -ENOENT. */
int cert_ledger_pdf_get(struct cert_ledger *l, const char *fp, uint64_t seq, const char *lang,
			uint8_t sha[CERT_HASH_LEN]);

/* The station setting for certificate language ("en" or "zh"); default "en". */
const char *cert_ledger_lang(struct cert_ledger *l);
int cert_ledger_set_lang(struct cert_ledger *l, const char *lang);

/*
 * Merge every chain of @src (which must verify) into @dst. A chain that
 * @dst already holds must be a prefix of (or equal to) the incoming one;
 * otherwise nothing is merged and -EBADMSG is returned. *@added counts new
 * records. One transaction. 0 or -errno with detail in cert_ledger_error(dst).
 */
int cert_ledger_merge(struct cert_ledger *dst, struct cert_ledger *src, uint64_t *added);

/*
 * The station name this ledger's chain carries for the key in use (set by
 * its first record: every certificate number of the chain begins with it)
 * into @name. 0, 1 when the chain has no record yet, or -errno. The key
 * must be loaded (cert_ledger_use_key or _use_custody_spec).
 */
int cert_ledger_station_name(struct cert_ledger *l, char *name, size_t len);
/* As cert_ledger_station_name for the ledger's own station, no key loaded. */
int cert_ledger_own_station_name(struct cert_ledger *l, char *name, size_t len);

/*
 * Raw access, for registries kept elsewhere (PostgreSQL): walk the stored
 * stations, one station's records in chain order, and the issued PDFs'
 * hashes; a non-zero return from @cb stops the walk and is returned.
 * Otherwise 0 or -errno.
 */
int cert_ledger_each_station(struct cert_ledger *l,
			     int (*cb)(const char *fp, const uint8_t pub[CERT_PUB_LEN],
				       const char *station_id, void *arg), void *arg);
int cert_ledger_each_record(struct cert_ledger *l, const char *fp,
			    int (*cb)(const struct cert_entry *e, void *arg), void *arg);
int cert_ledger_each_pdf(struct cert_ledger *l,
			 int (*cb)(const char *fp, uint64_t seq, const char *lang,
				   const uint8_t sha[CERT_HASH_LEN], void *arg), void *arg);
/*
 * Store a station key or a record exactly as given, without chaining or
 * signing: for loading a copy of another registry, which must then pass
 * cert_ledger_verify() before anything is believed. 0 or -errno.
 */
int cert_ledger_put_station(struct cert_ledger *l, const char *fp,
			    const uint8_t pub[CERT_PUB_LEN], const char *station_id);
int cert_ledger_put_raw(struct cert_ledger *l, const struct cert_entry *e);
/* Group many puts into one transaction. 0 or -errno. */
int cert_ledger_begin(struct cert_ledger *l);
int cert_ledger_commit(struct cert_ledger *l);

/*
 * Write a copy of the ledger to @path (which must not exist), keeping only
 * records with seq <= @upto (0: all). The copy verifies on its own.
 */
int cert_ledger_export(struct cert_ledger *l, const char *path, uint64_t upto);

#endif
