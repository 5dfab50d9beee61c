/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * wiper erase --ledger: hand a finished job to libcerts. libwiper knows
 * nothing of certificates; this front-end file is the only bridge.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "certs/issue.h"
#include "certs/journal.h"
#include "certs/preflight.h"
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

/*
 * A certificate person from --operator NAME --operator-role ROLE, or from
 * the older single "Name, Role" when no role is given.
 */
static void parse_person(const char *s, const char *role, struct cert_person *p)
{
	const char *comma = role ? NULL : strchr(s, ',');

	memset(p, 0, sizeof(*p));
	if (role)
		snprintf(p->title, sizeof(p->title), "%s", role);
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


/* The people, origin and destination given on the command line, as libcerts takes them. */
struct cli_cert_ctx {
	struct cert_people who;
	struct cert_origin origin;
	struct cert_issue_opts io;
};

static void cert_ctx(const struct cli_cert_fields *ro, struct cli_cert_ctx *c)
{
	memset(c, 0, sizeof(*c));
	parse_person(ro->operator_, ro->operator_role, &c->who.operator_);
	parse_person(ro->witness, ro->witness_role, &c->who.witness);
	if (ro->asset)
		snprintf(c->origin.property_number, sizeof(c->origin.property_number), "%s",
			 ro->asset);
	if (ro->owner)
		snprintf(c->origin.owner_unit, sizeof(c->origin.owner_unit), "%s", ro->owner);
	if (ro->classification)
		snprintf(c->origin.classification, sizeof(c->origin.classification), "%s",
			 ro->classification);
	c->io.origin = &c->origin;
	c->io.destination = CERT_DEST_OTHER;
	if (ro->destination) {
		int dest;

		if (cli_parse_destination(ro->destination, &dest) == 0)
			c->io.destination = (enum cert_dest)dest;
	}
}

int cli_issue_certificate(const struct cli_cert_fields *ro, const struct wiper_job_result *r,
			  int64_t job_id, char *cert_no, size_t len)
{
	struct cli_cert_ctx c;
	char err[256];
	int rc;

	cert_ctx(ro, &c);
	c.io.job_id = job_id;
	rc = certs_issue_opts(ro->ledger, r, &c.who, &c.io, cert_no, len, err, sizeof(err));
	if (rc < 0)
		cli_err("%s: certificate%s%s not issued: %s", r->node, cert_no[0] ? " " : "", cert_no,
			err);
	return rc;
}

int cli_job_begin(const struct cli_cert_fields *ro, const struct wiper_job_result *r,
		  int64_t *job_id)
{
	struct cli_cert_ctx c;
	char err[256];
	int rc;

	cert_ctx(ro, &c);
	rc = certs_job_begin(ro->ledger, r, &c.who, &c.io, job_id, err, sizeof(err));
	if (rc < 0)
		cli_err("%s: cannot note the job in %s: %s", r->node, ro->ledger, err);
	return rc;
}

void cli_job_forget(const struct cli_cert_fields *ro, int64_t job_id)
{
	char err[256];

	if (certs_job_forget(ro->ledger, job_id, err, sizeof(err)) < 0)
		cli_err("cannot close job %lld in %s: %s", (long long)job_id, ro->ledger, err);
}

static void recovered(const struct cert_record *r, const char *pdf, void *arg)
{
	(void)arg;
	(void)pdf;
	fprintf(stderr, "wiper: certificate %s issued: INCOMPLETE, the job on %s (%s) started %s"
		" was interrupted\n", r->cert_no, r->serial[0] ? r->serial : "no serial", r->node,
		cert_time_str(r->start, (char[24]){ 0 }, 24));
}

int cli_job_recover(const struct cli_cert_fields *ro)
{
	char err[256];
	int rc = certs_job_recover(ro->ledger, NULL, recovered, NULL, err, sizeof(err));

	if (rc < 0)
		cli_err("%s: cannot certify interrupted jobs: %s", ro->ledger, err);
	return rc;
}

int cli_cert_preflight(const struct cli_cert_fields *ro)
{
	struct cli_cert_ctx c;
	char err[512];
	int rc;

	cert_ctx(ro, &c);
	rc = certs_preflight(ro->ledger, &c.who, &c.origin, &c.io, err, sizeof(err));
	if (rc < 0)
		cli_err("%s", err);
	return rc;
}
