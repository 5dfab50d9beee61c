/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * wiper erase --ledger: hand a finished job to libcerts. libwiper knows
 * nothing of certificates; this front-end file is the only bridge.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "certs/issue.h"
#include "wiper/cli/cli.h"
#include "wiper/job.h"

/* Map a --destination word to the certificate's field. */
int cli_parse_destination(const char *s, int *out)
{
	static const struct {
		const char *name;
		enum cert_dest d;
	} map[] = {
		{ "internal-reuse", CERT_DEST_INTERNAL_REUSE }, { "external-reuse", CERT_DEST_EXTERNAL_REUSE },
		{ "recycling", CERT_DEST_RECYCLING },		  { "destruction", CERT_DEST_DESTRUCTION },
		{ "manufacturer", CERT_DEST_MANUFACTURER },	  { "other", CERT_DEST_OTHER },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(s, map[i].name) == 0) {
			if (out)
				*out = (int)map[i].d;
			return 0;
		}
	return -1;
}

/* "Name, Role" into a certificate person. */
static void parse_person(const char *s, struct cert_person *p)
{
	const char *comma = strchr(s, ',');

	memset(p, 0, sizeof(*p));
	if (comma == NULL) {
		snprintf(p->name, sizeof(p->name), "%s", s);
		return;
	}
	snprintf(p->name, sizeof(p->name), "%.*s", (int)(comma - s), s);
	comma++;
	while (*comma == ' ')
		comma++;
	snprintf(p->title, sizeof(p->title), "%s", comma);
}


int cli_issue_certificate(const struct cli_cert_fields *ro, const struct wiper_job_result *r,
			  char *cert_no, size_t len)
{
	struct cert_issue_opts io;
	struct cert_people who;
	struct cert_origin origin;
	char err[256];
	int rc;

	memset(&io, 0, sizeof(io));
	memset(&origin, 0, sizeof(origin));
	parse_person(ro->operator_, &who.operator_);
	parse_person(ro->witness, &who.witness);
	if (ro->asset)
		snprintf(origin.property_number, sizeof(origin.property_number), "%s", ro->asset);
	if (ro->owner)
		snprintf(origin.owner_unit, sizeof(origin.owner_unit), "%s", ro->owner);
	if (ro->classification)
		snprintf(origin.classification, sizeof(origin.classification), "%s",
			 ro->classification);
	io.origin = &origin;
	io.destination = CERT_DEST_OTHER;
	if (ro->destination) {
		int dest;

		if (cli_parse_destination(ro->destination, &dest) == 0)
			io.destination = (enum cert_dest)dest;
	}
	rc = certs_issue_opts(ro->ledger, r, &who, &io, cert_no, len, err, sizeof(err));
	if (rc < 0)
		cli_err("%s: certificate%s%s not issued: %s", r->node, cert_no[0] ? " " : "", cert_no,
			err);
	return rc;
}

