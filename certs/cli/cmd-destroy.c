/* SPDX-License-Identifier: GPL-3.0-or-later */
/* certs destroy: record the physical destruction of a medium and issue its certificate. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "certs/cli/cli.h"
#include "certs/conf.h"
#include "certs/issue.h"
#include "certs/pdf.h"
#include "certs/preflight.h"
#include "certs/registry-pg.h"
#include "certs/validate.h"

/* Copy an option value into a record field, refusing what does not fit. */
static int opt_copy(char *dst, size_t len, const char *val, const char *name)
{
	size_t n = strlen(val);

	if (n >= len)
		return usage_error("destroy: --%s is longer than %zu bytes", name, len - 1);
	memcpy(dst, val, n + 1);
	return 0;
}

/* "Name[, Role]" into @p; 0, or exit 2 when a part does not fit. */
static int opt_person(struct cert_person *p, const char *val, const char *name)
{
	const char *comma = strchr(val, ',');
	size_t n = comma ? (size_t)(comma - val) : strlen(val);

	if (n >= sizeof(p->name))
		return usage_error("destroy: --%s: the name is longer than %zu bytes", name,
				   sizeof(p->name) - 1);
	memcpy(p->name, val, n);
	p->name[n] = '\0';
	if (!comma)
		return 0;
	comma++;
	while (*comma == ' ')
		comma++;
	return opt_copy(p->title, sizeof(p->title), comma, name);
}

int cmd_destroy(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "serial", required_argument, NULL, 's' },
		{ "model", required_argument, NULL, 'm' },
		{ "make", required_argument, NULL, 'k' },
		{ "media-type", required_argument, NULL, 'y' },
		{ "property", required_argument, NULL, 'p' },
		{ "owner", required_argument, NULL, 'u' },
		{ "classification", required_argument, NULL, 'c' },
		{ "technique", required_argument, NULL, 't' },
		{ "details", required_argument, NULL, 'd' },
		{ "operator", required_argument, NULL, 'O' },
		{ "operator-role", required_argument, NULL, 'R' },
		{ "witness", required_argument, NULL, 'W' },
		{ "witness-role", required_argument, NULL, 'r' },
		{ "organization", required_argument, NULL, 'g' },
		{ "station", required_argument, NULL, 'S' },
		{ "lang", required_argument, NULL, 'l' },
		{ "output-dir", required_argument, NULL, 'o' },
		{ "time", required_argument, NULL, 'T' },
		{ "custody", required_argument, NULL, 'C' },
		{ "carrier-no", required_argument, NULL, 'N' },
		{ "supervisor", required_argument, NULL, 'V' },
		{ "approver", required_argument, NULL, 'B' },
		{ "approval", required_argument, NULL, 'b' },
		{ "config", required_argument, NULL, 'F' },
		{ NULL, 0, NULL, 0 },
	};
	const char *supervisors[3] = { NULL, NULL, NULL }, *config = NULL;
	struct cert_conf *conf = calloc(1, sizeof(*conf));
	unsigned nsup = 0;
	struct cert_issue_opts io = { 0 };
	struct cert_record *r = cert_record_new();
	const char *technique = NULL, *details = "", *org = NULL;
	char path[4096], err[512];
	int64_t when = (int64_t)time(NULL);
	int c, rc = 0;

	if (!r || !conf) {
		cert_record_free(r);
		free(conf);
		return fail("out of memory");
	}
	cert_conf_init(conf);
	optind = 1;
	opterr = 0;
	while (!rc && (c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		switch (c) {
		case 's': rc = opt_copy(r->serial, sizeof(r->serial), optarg, "serial"); break;
		case 'm': rc = opt_copy(r->model, sizeof(r->model), optarg, "model"); break;
		case 'k': rc = opt_copy(r->make, sizeof(r->make), optarg, "make"); break;
		case 'y': rc = opt_copy(r->media_type, sizeof(r->media_type), optarg, "media-type"); break;
		case 'p': rc = opt_copy(r->origin.property_number, sizeof(r->origin.property_number), optarg, "property"); break;
		case 'u': rc = opt_copy(r->origin.owner_unit, sizeof(r->origin.owner_unit), optarg, "owner"); break;
		case 'c': rc = opt_copy(r->origin.classification, sizeof(r->origin.classification), optarg, "classification"); break;
		case 't': technique = optarg; break;
		case 'd': details = optarg; break;
		case 'O': rc = opt_copy(r->people.operator_.name, sizeof(r->people.operator_.name), optarg, "operator"); break;
		case 'R': rc = opt_copy(r->people.operator_.title, sizeof(r->people.operator_.title), optarg, "operator-role"); break;
		case 'W': rc = opt_copy(r->people.witness.name, sizeof(r->people.witness.name), optarg, "witness"); break;
		case 'r': rc = opt_copy(r->people.witness.title, sizeof(r->people.witness.title), optarg, "witness-role"); break;
		case 'g': org = optarg; break;
		case 'S': rc = opt_copy(r->station_id, sizeof(r->station_id), optarg, "station"); break;
		case 'l': io.lang = optarg; break;
		case 'o': io.pdf_dir = optarg; break;
		case 'C': io.custody = optarg; break;
		case 'N': rc = opt_copy(r->origin.carrier_no, sizeof(r->origin.carrier_no), optarg, "carrier-no"); break;
		case 'b': rc = opt_copy(r->origin.approval_ref, sizeof(r->origin.approval_ref), optarg, "approval"); break;
		case 'B': rc = opt_person(&r->people.approver, optarg, "approver"); break;
		case 'F': config = optarg; break;
		case 'V':
			if (nsup >= 2)
				rc = usage_error("destroy: --supervisor: at most two supervisors");
			else
				supervisors[nsup++] = optarg;
			break;
		case 'T':
			if (cert_time_parse(optarg, &when))
				rc = usage_error("destroy: --time is YYYY-MM-DDTHH:MM:SSZ");
			break;
		default: rc = usage_error("destroy: unknown option '%s'", argv[optind - 1]);
		}
	}
	if (rc)
		goto out;
	/* --witness is the first supervisor (监销人); --supervisor adds the second, or both. */
	if (nsup && !r->people.witness.name[0]) {
		if ((rc = opt_person(&r->people.witness, supervisors[0], "supervisor")))
			goto out;
		supervisors[0] = supervisors[1];
		nsup--;
	}
	if (nsup > 1) {
		rc = usage_error("destroy: at most two supervisors, --witness counting as the first");
		goto out;
	}
	if (nsup && (rc = opt_person(&r->people.supervisor2, supervisors[0], "supervisor")))
		goto out;
	if (config && cert_conf_load(config, conf, err, sizeof(err))) {
		rc = usage_error("destroy: --config: %s", err);
		goto out;
	}
	if (cert_conf_apply_timezone(conf, err, sizeof(err))) {
		rc = usage_error("destroy: --config: %s", err);
		goto out;
	}
	cert_conf_fill_person(conf, &r->people.operator_);
	cert_conf_fill_person(conf, &r->people.witness);
	cert_conf_fill_person(conf, &r->people.supervisor2);
	cert_conf_fill_person(conf, &r->people.approver);
	if (cert_policy_class_normalise(&conf->policy, &r->origin, err, sizeof(err))) {
		rc = usage_error("destroy: --classification: %s", err);
		goto out;
	}
	if (argc - optind != 1 || !r->serial[0] || !technique || !r->people.operator_.name[0] ||
	    !r->people.witness.name[0]) {
		rc = usage_error("destroy needs LEDGER --serial S --technique T --operator NAME --witness NAME");
		goto out;
	}
	if (io.lang && !cert_lang_ok(io.lang)) {
		rc = usage_error("destroy: unknown language '%s' (en or zh)", io.lang);
		goto out;
	}
	if (org && ((rc = opt_copy(r->people.operator_.organization,
				   sizeof(r->people.operator_.organization), org, "organization")) ||
		    (rc = opt_copy(r->people.witness.organization,
				   sizeof(r->people.witness.organization), org, "organization"))))
		goto out;
	if ((technique && strlen(technique) >= sizeof(r->destroy_technique) &&
	     (rc = opt_copy(r->destroy_technique, sizeof(r->destroy_technique), technique,
			    "technique"))) ||
	    (strlen(details) >= sizeof(r->destroy_details) &&
	     (rc = opt_copy(r->destroy_details, sizeof(r->destroy_details), details, "details"))))
		goto out;
	if (!r->station_id[0] &&
	    (rc = opt_copy(r->station_id, sizeof(r->station_id),
			   getenv("TABULA_STATION") ? getenv("TABULA_STATION") : "TABULA",
			   "station (from $TABULA_STATION)")))
		goto out;
	snprintf(r->origin.data_backed_up, sizeof(r->origin.data_backed_up), "Unknown");
	cert_record_init_destroy(r, technique, details);
	r->start = r->end = when;
	if (cert_pg_is_uri(argv[optind])) {
		rc = usage_error("destroy: record into the station ledger, then certs merge it into"
				 " the registry");
		goto out;
	}
	/* Bad input or a ledger that cannot take the record: exit 2, nothing written. */
	io.station_id = r->station_id;
	io.destination = CERT_DEST_DESTRUCTION;
	io.policy = &conf->policy;
	if (certs_preflight(argv[optind], &r->people, &r->origin, &io, err, sizeof(err)) ||
	    cert_record_check(r, CERT_CHECK_TIMES, (int64_t)time(NULL), err, sizeof(err))) {
		rc = refuse("destroy: %s", err);
		goto out;
	}
	if (certs_issue_record(argv[optind], r, &io, path, sizeof(path), err, sizeof(err))) {
		rc = fail("%s", err);
		goto out;
	}
	printf("%s: destruction of %s recorded; certificate %s\n", path, tx(r->serial),
	       tx(r->cert_no));
out:
	cert_record_free(r);
	free(conf);
	return rc;
}
