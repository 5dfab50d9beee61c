/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The record policy: what a result may be certified for. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "certs/policy.h"

bool cert_policy_dest_is_reuse(enum cert_dest d)
{
	return d == CERT_DEST_INTERNAL_REUSE || d == CERT_DEST_EXTERNAL_REUSE ||
	       d == CERT_DEST_MANUFACTURER || d == CERT_DEST_OTHER;
}

enum cert_dest cert_policy_destination(enum cert_result result, enum cert_dest planned,
				       char *details, size_t len)
{
	if (result == CERT_PASSED || result == CERT_DESTROYED || !cert_policy_dest_is_reuse(planned))
		return planned;
	/* Not sanitized: it may not leave for reuse, whatever was planned. */
	snprintf(details, len, "planned %s; not sanitized, so destruction", cert_dest_str(planned));
	return CERT_DEST_DESTRUCTION;
}

void cert_policy_apply(struct cert_record *r)
{
	char planned[sizeof(r->destination_details)];
	enum cert_dest d = cert_policy_destination(r->result, r->destination, planned, sizeof(planned));

	if (d != r->destination) {
		r->destination = d;
		memcpy(r->destination_details, planned, sizeof(planned));
	}
}
