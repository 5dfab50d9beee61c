/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The record policy: what a job's outcome allows its certificate to say
 * about where the medium goes next. Applied where a job result becomes a
 * record to be issued or noted (certs_build_record(), certs_job_begin()), so
 * every front end gets the same answer.
 */
#ifndef CERTS_POLICY_H
#define CERTS_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "certs/record.h"

/* Is @d a destination where the medium is used again (or leaves our hands) readable? */
bool cert_policy_dest_is_reuse(enum cert_dest d);

/*
 * The destination a record with result @result may carry when @planned was
 * asked for. A medium that did not pass is never certified for reuse: the
 * answer is then CERT_DEST_DESTRUCTION, and @details (at least 128 bytes)
 * names the planned destination ("planned internal-reuse; not sanitized, so
 * destruction"); otherwise @planned, and @details is left alone.
 */
enum cert_dest cert_policy_destination(enum cert_result result, enum cert_dest planned,
				       char *details, size_t len);

/* Apply cert_policy_destination() to @r as it stands (its result and destination). */
void cert_policy_apply(struct cert_record *r);

#endif
