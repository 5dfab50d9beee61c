/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Trust anchors at the records office: the stations an officer enrolled in
 * the registry, by key fingerprint, and those revoked. Kept as an
 * append-only log in the registry itself (table trust_log), each entry
 * chained to the one before by SHA-256, so an entry changed or removed
 * later shows in cert_trust_check(). The log lives on the officer's
 * machine, not on the records medium: an insider with the medium cannot
 * reach it. Whoever can write the registry file could rewrite the log and
 * its chain; the printed head (certs trust list) on the enrolment sheet is
 * what catches that.
 */
#ifndef CERTS_TRUST_H
#define CERTS_TRUST_H

#include <stdint.h>

#include "certs/chain.h"
#include "certs/ledger.h"
#include "certs/record.h"

enum cert_trust_state {
	CERT_TRUST_UNKNOWN = 0,		/* never enrolled */
	CERT_TRUST_ENROLLED,
	CERT_TRUST_REVOKED,
};

/* One station as the log has it. */
struct cert_trust {
	char fp[CERT_FP_HEX];
	char name[CERT_STR];
	int64_t enrolled;		/* UTC seconds */
	int64_t revoked;		/* 0: not revoked */
	char reason[CERT_TEXT];		/* why revoked */
	enum cert_trust_state state;
};

/*
 * Normalise a fingerprint as typed (64 hex digits, either case, spaces or
 * colons between groups allowed) into @fp. 0 or -EINVAL.
 */
int cert_trust_parse_fp(const char *in, char fp[CERT_FP_HEX]);

/*
 * Enrol station @fp under @name (non-empty, no control characters, under
 * 128 bytes). -EEXIST when enrolled already, -EKEYREVOKED when it was
 * revoked (a revoked key stays revoked). 0 or -errno, detail in
 * cert_ledger_error().
 */
int cert_trust_enrol(struct cert_ledger *l, const char *fp, const char *name);
/* Revoke station @fp (@reason may be ""). -ENOENT when never enrolled. */
int cert_trust_revoke(struct cert_ledger *l, const char *fp, const char *reason);

/* What the log says of @fp (state CERT_TRUST_UNKNOWN when nothing). 0 or -errno. */
int cert_trust_get(struct cert_ledger *l, const char *fp, struct cert_trust *t);
/* Call @cb for each station the log names, in order of enrolment. */
int cert_trust_each(struct cert_ledger *l, int (*cb)(const struct cert_trust *t, void *arg),
		    void *arg);

/*
 * Check the log's chain: 0 with its length and head in @n and @head, 1 when
 * an entry was altered, removed or inserted (the entry named in @why), or
 * -errno.
 */
int cert_trust_check(struct cert_ledger *l, uint64_t *n, uint8_t head[CERT_HASH_LEN], char *why,
		     size_t whylen);

/*
 * One entry of the trust log as stored, for a registry kept elsewhere
 * (PostgreSQL): it keeps the rows, and a private copy loaded with
 * cert_trust_put_row() is judged by the functions above, so both kinds of
 * registry follow the same rules. A hash or link of the wrong size is
 * loaded as given (@prev_len, @hash_len) and fails cert_trust_check().
 */
struct cert_trust_row {
	int64_t n;
	char fp[CERT_FP_HEX];
	char action[8];			/* "enrol" or "revoke" */
	char name[CERT_STR];
	int64_t at;
	char reason[CERT_TEXT];
	uint8_t prev[CERT_HASH_LEN], hash[CERT_HASH_LEN];
	size_t prev_len, hash_len;
};

/* Store @r exactly as given. 0 or -errno. */
int cert_trust_put_row(struct cert_ledger *l, const struct cert_trust_row *r);
/* The last entry of the log into @r: 0, -ENOENT when the log is empty, or -errno. */
int cert_trust_last_row(struct cert_ledger *l, struct cert_trust_row *r);

/*
 * Does ledger @l hold station @fp with that very public key @pub? 0 yes,
 * 1 no (reason in @why), -errno. Membership only: it says nothing of trust.
 */
int cert_ledger_holds_station(struct cert_ledger *l, const char *fp,
			      const uint8_t pub[CERT_PUB_LEN], char *why, size_t whylen);

/*
 * Does the registry @trust vouch for station @fp with key @pub: enrolled in
 * its trust log and not revoked, the log's chain intact, and (where it holds
 * the station's records) under that very key? 0 trusted, 1 not (reason in
 * @why: unknown, revoked, another key, a broken log), -errno. Used by the QR
 * check and wherever a signature must come from an enrolled station.
 */
int cert_trust_station(struct cert_ledger *trust, const char *fp, const uint8_t pub[CERT_PUB_LEN],
		       char *why, size_t whylen);

/*
 * The rule of every merge into a registry (SQLite or PostgreSQL): may the
 * chain of station @fp (@station_id) in ledger @src go into a registry whose
 * trust log says @tr of it and which holds its records up to @have
 * (certificate @have_no)? Only an enrolled station's, only a chain that
 * reaches at least as far (not cut or rolled back), and nothing new from a
 * revoked one. 0, or -errno with the reason, naming the record, in @why.
 */
int cert_merge_rule(struct cert_ledger *src, const struct cert_trust *tr, const char *fp,
		    const char *station_id, uint64_t have, const char *have_no, char *why,
		    size_t whylen);

#endif
