/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * wiper erase --ledger: hand a finished job to libcerts. libwiper knows
 * nothing of certificates; this front-end file is the only bridge.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <errno.h>
#include <stdlib.h>

#include "certs/conf.h"
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
	struct cert_conf conf;
	struct cert_issue_opts io;
};

/* Copy an option's value into a record field; -1 after printing when it does not fit. */
static int field(char *dst, size_t len, const char *val, const char *opt)
{
	int n = snprintf(dst, len, "%s", val ? val : "");

	if (n < 0 || (size_t)n >= len) {
		cli_err("--%s: longer than %zu bytes", opt, len - 1);
		return -1;
	}
	return 0;
}

/*
 * The certificate's context from the command line and --config: people
 * with their details, the classification in its one spelling, the rules.
 * 0, or -1 after printing why.
 */
static int cert_ctx(const struct cli_cert_fields *ro, struct cli_cert_ctx *c)
{
	char err[512];

	memset(c, 0, sizeof(*c));
	cert_conf_init(&c->conf);
	if (ro->config && cert_conf_load(ro->config, &c->conf, err, sizeof(err)) < 0) {
		cli_err("--config: %s", err);
		return -1;
	}
	if (cert_conf_apply_timezone(&c->conf, err, sizeof(err)) < 0) {
		cli_err("--config: %s", err);
		return -1;
	}
	{
		/* Refused, not cut: a name or role that does not fit is never shortened silently. */
		const char *const v[] = { ro->operator_, ro->operator_role, ro->witness,
					  ro->witness_role, ro->nsupervisors ? ro->supervisor[0] : NULL,
					  ro->approver };
		static const char *const opt[] = { "operator", "operator-role", "witness",
						   "witness-role", "supervisor", "approver" };
		size_t i;

		for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
			if (v[i] && strlen(v[i]) >= CERT_STR) {
				cli_err("--%s: longer than %d bytes", opt[i], CERT_STR - 1);
				return -1;
			}
	}
	if (ro->operator_)
		parse_person(ro->operator_, ro->operator_role, &c->who.operator_);
	if (ro->witness)
		parse_person(ro->witness, ro->witness_role, &c->who.witness);
	if (ro->nsupervisors)
		parse_person(ro->supervisor[0], NULL, &c->who.supervisor2);
	if (ro->approver)
		parse_person(ro->approver, NULL, &c->who.approver);
	cert_conf_fill_person(&c->conf, &c->who.operator_);
	cert_conf_fill_person(&c->conf, &c->who.witness);
	cert_conf_fill_person(&c->conf, &c->who.supervisor2);
	cert_conf_fill_person(&c->conf, &c->who.approver);
	if (field(c->origin.property_number, sizeof(c->origin.property_number), ro->asset, "asset") ||
	    field(c->origin.carrier_no, sizeof(c->origin.carrier_no), ro->carrier_no, "carrier-no") ||
	    field(c->origin.owner_unit, sizeof(c->origin.owner_unit), ro->owner, "owner") ||
	    field(c->origin.approval_ref, sizeof(c->origin.approval_ref), ro->approval, "approval") ||
	    field(c->origin.classification, sizeof(c->origin.classification), ro->classification,
		  "classification"))
		return -1;
	if (cert_policy_class_normalise(&c->conf.policy, &c->origin, err, sizeof(err)) < 0) {
		cli_err("--classification: %s", err);
		return -1;
	}
	c->io.origin = &c->origin;
	c->io.policy = &c->conf.policy;
	/* The configuration's station name, as the station itself numbers with it. */
	if (c->conf.station[0])
		c->io.station_id = c->conf.station;
	c->io.destination = CERT_DEST_OTHER;
	if (ro->destination) {
		int dest;

		if (cli_parse_destination(ro->destination, &dest) == 0)
			c->io.destination = (enum cert_dest)dest;
	}
	return 0;
}

int cli_cert_policy(const struct cli_cert_fields *ro)
{
	struct cli_cert_ctx *c = calloc(1, sizeof(*c));
	char err[512];
	int rc = -1;

	if (!c) {
		cli_err("out of memory");
		return -1;
	}
	if (cert_ctx(ro, c) == 0) {
		rc = cert_policy_check(&c->conf.policy, &c->who, &c->origin, CERT_KIND_ERASE,
				       c->io.destination, err, sizeof(err));
		if (rc < 0)
			cli_err("%s; nothing was erased", err);
	}
	free(c);
	return rc < 0 ? -1 : 0;
}

int cli_issue_certificate(const struct cli_cert_fields *ro, const struct wiper_job_result *r,
			  int64_t job_id, char *cert_no, size_t len)
{
	struct cli_cert_ctx c;
	char err[256];
	int rc;

	if (cert_ctx(ro, &c) < 0)
		return -EINVAL;
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

	if (cert_ctx(ro, &c) < 0)
		return -EINVAL;
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

	if (cert_ctx(ro, &c) < 0)
		return -EINVAL;
	rc = certs_preflight(ro->ledger, &c.who, &c.origin, &c.io, err, sizeof(err));
	if (rc < 0)
		cli_err("%s; nothing was erased", err);
	return rc;
}
