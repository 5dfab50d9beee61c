/* SPDX-License-Identifier: GPL-3.0-or-later */
/* certs destroy: record the physical destruction of a medium and issue its certificate. */
#include "config.h"

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
#include "certs/text.h"
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

/* Keys of the long-only options. */
enum {
	OPT_SERIAL = 256, OPT_MODEL, OPT_MAKE, OPT_MEDIA_TYPE, OPT_ASSET, OPT_OWNER, OPT_CLASS,
	OPT_TECHNIQUE, OPT_DETAILS, OPT_OPERATOR, OPT_OPERATOR_ROLE, OPT_WITNESS, OPT_WITNESS_ROLE,
	OPT_ORG, OPT_STATION, OPT_LANG, OPT_TIME, OPT_CUSTODY, OPT_JSON, OPT_CARRIER,
	OPT_SUPERVISOR, OPT_APPROVER, OPT_APPROVAL, OPT_CONFIG,
};

static const struct cli_opt destroy_opts[] = {
	{ "serial", OPT_SERIAL, "S", "the medium's serial number (required)" },
	{ "model", OPT_MODEL, "M", "its model" },
	{ "make", OPT_MAKE, "MAKE", "its manufacturer" },
	{ "media-type", OPT_MEDIA_TYPE, "TYPE", "what it is (e.g. \"HDD\", \"SSD\", \"USB stick\")" },
	{ "asset", OPT_ASSET, "N", "its asset (property) number" },
	{ "property", OPT_ASSET, "N", NULL },	/* the old spelling */
	{ "carrier-no", OPT_CARRIER, "N", "its carrier number (载体编号)" },
	{ "owner", OPT_OWNER, "UNIT", "the unit that owns it" },
	{ "classification", OPT_CLASS, "C", "the classification (密级; see 'wiper erase --help')" },
	{ "technique", OPT_TECHNIQUE, "T", "how it was destroyed (required; e.g. Shred,\n"
					   "Disintegrate, Pulverize, Incinerate, Melt)" },
	{ "details", OPT_DETAILS, "TEXT", "the destruction's details (e.g. \"2 mm shredder\")" },
	{ "operator", OPT_OPERATOR, "NAME", "who destroyed it (required)" },
	{ "operator-role", OPT_OPERATOR_ROLE, "ROLE", "the operator's role or title" },
	{ "witness", OPT_WITNESS, "NAME", "who watched (required)" },
	{ "witness-role", OPT_WITNESS_ROLE, "ROLE", "the witness's role or title" },
	{ "supervisor", OPT_SUPERVISOR, "NAME", "a supervisor (监销人, \"Name, Role\"): at most\n"
						"two with --witness as the first" },
	{ "approver", OPT_APPROVER, "NAME", "who approved it (审批人, \"Name, Role\")" },
	{ "approval", OPT_APPROVAL, "REF", "the approval's reference (审批单号)" },
	{ "organization", OPT_ORG, "ORG", "the organization of both people" },
	{ "station", OPT_STATION, "NAME", "the station name in the certificate number\n"
					  "(default: $TABULA_STATION, else TABULA)" },
	{ "lang", OPT_LANG, "en|zh", "the certificate PDF's language (default: the ledger's)" },
	{ "output-dir", 'o', "DIR", "write the certificate PDF into DIR" },
	{ "time", OPT_TIME, "WHEN", "when, YYYY-MM-DDTHH:MM:SSZ (default: now)" },
	{ "custody", OPT_CUSTODY, "SPEC", "the station key's custody (see 'certs --help')" },
	{ "config", OPT_CONFIG, "FILE", "tabula.conf: classification levels, rules, people" },
	{ "json", OPT_JSON, NULL, "the certificate as JSON: {\"cert_no\", \"serial\", \"pdf\"}" },
	{ NULL, 0, NULL, NULL },
};

const struct cli_cmd cli_destroy = {
	"certs destroy", "LEDGER", "record a medium's physical destruction and certify it",
	destroy_opts,
	"Appends a signed DESTROYED record to the station ledger LEDGER (not a\n"
	"registry: merge it there afterwards) and prints its certificate number.\n",
};

int cmd_destroy(int argc, char **argv)
{
	struct cli_parser cp;
	const char *supervisors[3] = { NULL, NULL, NULL }, *config = NULL;
	struct cert_conf *conf = calloc(1, sizeof(*conf));
	unsigned nsup = 0;
	struct cert_issue_opts io = { 0 };
	bool station_given = false;
	struct cert_record *r = cert_record_new();
	const char *technique = NULL, *details = "", *org = NULL;
	char path[4096], err[512];
	int64_t when = (int64_t)time(NULL);
	bool json = false;
	int c, rc = 0;

	if (!r || !conf) {
		cert_record_free(r);
		free(conf);
		return fail("out of memory");
	}
	cert_conf_init(conf);
	cli_begin(&cp, &cli_destroy, argc, argv);
	while (!rc && (c = cli_next(&cp)) != CLI_DONE) {
		switch (c) {
		case OPT_SERIAL: rc = opt_copy(r->serial, sizeof(r->serial), optarg, "serial"); break;
		case OPT_MODEL: rc = opt_copy(r->model, sizeof(r->model), optarg, "model"); break;
		case OPT_MAKE: rc = opt_copy(r->make, sizeof(r->make), optarg, "make"); break;
		case OPT_MEDIA_TYPE: rc = opt_copy(r->media_type, sizeof(r->media_type), optarg, "media-type"); break;
		case OPT_ASSET: rc = opt_copy(r->origin.property_number, sizeof(r->origin.property_number), optarg, "asset"); break;
		case OPT_OWNER: rc = opt_copy(r->origin.owner_unit, sizeof(r->origin.owner_unit), optarg, "owner"); break;
		case OPT_CLASS: rc = opt_copy(r->origin.classification, sizeof(r->origin.classification), optarg, "classification"); break;
		case OPT_TECHNIQUE: technique = optarg; break;
		case OPT_DETAILS: details = optarg; break;
		case OPT_OPERATOR: rc = opt_copy(r->people.operator_.name, sizeof(r->people.operator_.name), optarg, "operator"); break;
		case OPT_OPERATOR_ROLE: rc = opt_copy(r->people.operator_.title, sizeof(r->people.operator_.title), optarg, "operator-role"); break;
		case OPT_WITNESS: rc = opt_copy(r->people.witness.name, sizeof(r->people.witness.name), optarg, "witness"); break;
		case OPT_WITNESS_ROLE: rc = opt_copy(r->people.witness.title, sizeof(r->people.witness.title), optarg, "witness-role"); break;
		case OPT_ORG: org = optarg; break;
		case OPT_STATION:
			rc = opt_copy(r->station_id, sizeof(r->station_id), optarg, "station");
			station_given = true;
			break;
		case OPT_LANG: io.lang = optarg; break;
		case 'o': io.pdf_dir = optarg; break;
		case OPT_CUSTODY: io.custody = optarg; break;
		case OPT_JSON: json = true; break;
		case OPT_CARRIER: rc = opt_copy(r->origin.carrier_no, sizeof(r->origin.carrier_no), optarg, "carrier-no"); break;
		case OPT_APPROVAL: rc = opt_copy(r->origin.approval_ref, sizeof(r->origin.approval_ref), optarg, "approval"); break;
		case OPT_APPROVER: rc = opt_person(&r->people.approver, optarg, "approver"); break;
		case OPT_CONFIG: config = optarg; break;
		case OPT_SUPERVISOR:
			if (nsup >= 2)
				rc = usage_error("destroy: --supervisor: at most two supervisors");
			else
				supervisors[nsup++] = optarg;
			break;
		case OPT_TIME:
			if (cert_time_parse(optarg, &when))
				rc = usage_error("destroy: --time is YYYY-MM-DDTHH:MM:SSZ");
			break;
		case CLI_HELP: goto out;
		default: rc = EXIT_USAGE;
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
	/* No name given: the ledger's chain names the station (certs_issue_record). */
	if (!station_given && !getenv("TABULA_STATION") && conf->station[0]) {
		/* --config's station = names it, as at the station. */
		snprintf(r->station_id, sizeof(r->station_id), "%s", conf->station);
		station_given = true;
	}
	io.station_id = station_given || getenv("TABULA_STATION") ? r->station_id : NULL;
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
	if (json) {
		struct cj *o = cj_new(CJ_OBJ);

		if (cj_add(o, "cert_no", cj_str(r->cert_no)) || cj_add(o, "serial", cj_str(r->serial)) ||
		    cj_add(o, "pdf", cj_str_lossy(path))) {
			cj_free(o);
			o = NULL;
		}
		rc = cli_json_print(o);
	} else {
		printf("%s: destruction of %s recorded; certificate %s\n", path, tx(r->serial),
		       tx(r->cert_no));
	}
out:
	cert_record_free(r);
	free(conf);
	return rc;
}
