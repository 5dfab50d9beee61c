/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * An organisation's registry kept in PostgreSQL instead of a SQLite file.
 * It holds the same tables as a ledger (one chain per station, append-only
 * by trigger) and follows the same rules: a station ledger is merged only
 * when it verifies, and a chain the registry already holds must be a prefix
 * of the incoming one. Verification copies the registry into a private
 * in-memory ledger and runs the one verifier on it, so both kinds of
 * registry are judged by exactly the same code.
 */
#ifndef CERTS_REGISTRY_PG_H
#define CERTS_REGISTRY_PG_H

#include <stdbool.h>
#include <stdint.h>

#include "certs/ledger.h"

struct cert_pg;

/* Is @s a PostgreSQL connection URI ("postgresql://" or "postgres://")? */
bool cert_pg_is_uri(const char *s);

/*
 * Connect to the registry at @conninfo (a URI or key=value string). Returns
 * 0 or -errno (-ECONNREFUSED when the server cannot be reached), with
 * detail in @err.
 */
int cert_pg_open(const char *conninfo, struct cert_pg **out, char *err, size_t errlen);
void cert_pg_close(struct cert_pg *pg);
/* The last error, with the function name. */
const char *cert_pg_error(const struct cert_pg *pg);

/*
 * Merge every chain of @src (which must verify) into the registry, creating
 * its tables on first use. One transaction, serialised against other
 * merges; *@added counts new records. 0, -EBADMSG (the ledger does not
 * verify, or a chain diverges from the registry's: nothing merged), or
 * -errno.
 */
int cert_pg_merge(struct cert_pg *pg, struct cert_ledger *src, uint64_t *added);

/*
 * Check every station chain of the registry, as cert_ledger_verify() does
 * (same flags, same report). Returns 0, 1 (a record fails, named in @v), or
 * -errno (reason in @v).
 */
int cert_pg_verify(struct cert_pg *pg, unsigned flags, struct cert_verify *v);

/*
 * A private in-memory ledger holding a consistent copy of the registry
 * (stations, records, PDF hashes), for reading it with the ledger API
 * (list, show, find, register, pdf, export). Not verified: call
 * cert_ledger_verify() on it to judge it. 0 or -errno.
 */
int cert_pg_snapshot(struct cert_pg *pg, struct cert_ledger **out);

/*
 * The trust anchors (certs/trust.h) of a PostgreSQL registry: the same log
 * as a SQLite registry's, kept in its table trust_log, changed under the
 * registry's lock by the same code. Enrol @fp as @name / revoke it for
 * @reason: 0 or -errno (-EEXIST, -EKEYREVOKED, -ENOENT, -EALREADY as for a
 * file, -EBADMSG when the log does not verify), reason in cert_pg_error().
 */
int cert_pg_trust_enrol(struct cert_pg *pg, const char *fp, const char *name);
int cert_pg_trust_revoke(struct cert_pg *pg, const char *fp, const char *reason);
/*
 * A private in-memory ledger with the registry's stations and trust log
 * (no records), for cert_trust_check(), cert_trust_station() and listing.
 * 0 or -errno.
 */
int cert_pg_trust_copy(struct cert_pg *pg, struct cert_ledger **out);

#endif
