/* SPDX-License-Identifier: GPL-3.0-or-later */
/* certs trust: the stations a records office enrolled in its registry. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certs/cli/cli.h"
#include "certs/registry-pg.h"
#include "certs/text.h"
#include "certs/trust.h"

enum { OPT_NAME = 256, OPT_REASON, OPT_JSON };

static const struct cli_opt trust_opts[] = {
	{ "name", OPT_NAME, "NAME", "add: the station's name, as on the enrolment sheet" },
	{ "reason", OPT_REASON, "TEXT", "revoke: why (kept in the log)" },
	{ "json", OPT_JSON, NULL, "list, fingerprint: JSON on stdout" },
	{ NULL, 0, NULL, NULL },
};

const struct cli_cmd cli_trust = {
	"certs trust", "add|revoke|list|fingerprint ...", "the stations a registry trusts",
	trust_opts,
	"  certs trust add REGISTRY FINGERPRINT --name NAME\n"
	"  certs trust revoke REGISTRY FINGERPRINT [--reason TEXT]\n"
	"  certs trust list REGISTRY\n"
	"  certs trust fingerprint LEDGER\n\n"
	"The registry trusts only the stations enrolled in it: certs merge takes records\n"
	"only from those, and certs verify --trust REGISTRY calls a certificate genuine\n"
	"only when an enrolled, unrevoked station signed it. Compare the fingerprint the\n"
	"station shows (or certs trust fingerprint prints for its ledger) with the\n"
	"enrolment sheet before adding it. Enrolments and revocations are kept as an\n"
	"append-only, hash-chained log in the registry; trust list prints the log's\n"
	"head hash, to be written on the sheet.\n",
};

/* A listing under way: a count, and the JSON array when --json. */
struct trust_out {
	unsigned n;
	struct cj *arr;
};


/* One station of the log, one line. */
static int list_one(const struct cert_trust *t, void *arg)
{
	struct trust_out *o = arg;
	char t1[32], t2[32];

	o->n++;
	if (o->arr) {
		struct cj *e = cj_new(CJ_OBJ);
		int rc = cj_add(e, "fingerprint", cj_str(t->fp));

		if (!rc) rc = cj_add(e, "state", cj_str(t->state == CERT_TRUST_REVOKED ? "revoked" :
						       "enrolled"));
		if (!rc) rc = cj_add(e, "name", cj_str_lossy(t->name));
		if (!rc) rc = cj_add(e, "enrolled", cj_str(cert_time_str(t->enrolled, t1, sizeof(t1))));
		if (!rc && t->state == CERT_TRUST_REVOKED)
			rc = cj_add(e, "revoked", cj_str(cert_time_str(t->revoked, t2, sizeof(t2))));
		if (!rc && t->state == CERT_TRUST_REVOKED)
			rc = cj_add(e, "reason", cj_str_lossy(t->reason));
		if (rc) {
			cj_free(e);
			return rc;
		}
		return cj_add(o->arr, NULL, e);
	}
	printf("%s  %-9s %s  enrolled %s", t->fp, t->state == CERT_TRUST_REVOKED ? "REVOKED" :
	       "enrolled", t->name, cert_time_str(t->enrolled, t1, sizeof(t1)));
	if (t->state == CERT_TRUST_REVOKED)
		printf(", revoked %s%s%s", cert_time_str(t->revoked, t2, sizeof(t2)),
		       t->reason[0] ? ": " : "", t->reason);
	putchar('\n');
	return 0;
}

/* Print each station fingerprint of a ledger, for the enrolment sheet. */
static int print_fp(const char *fp, const uint8_t pub[CERT_PUB_LEN], const char *station_id,
		    void *arg)
{
	struct trust_out *o = arg;
	struct cj *e;
	int rc;

	(void)pub;
	o->n++;
	if (!o->arr) {
		printf("%s  %s\n", fp, station_id);
		return 0;
	}
	e = cj_new(CJ_OBJ);
	rc = cj_add(e, "fingerprint", cj_str(fp));
	if (!rc) rc = cj_add(e, "station", cj_str_lossy(station_id));
	if (rc) {
		cj_free(e);
		return rc;
	}
	return cj_add(o->arr, NULL, e);
}

/*
 * Enrol (@revoke false: @text is the name) or revoke (@text the reason)
 * station @fp in the PostgreSQL registry @uri. 0, or 1 after saying why.
 */
static int pg_trust_change(const char *uri, const char *fp, const char *text, bool revoke)
{
	struct cert_pg *pg;
	char err[1024], shown[512];
	int rc;

	cli_hide_password(uri, shown, sizeof(shown));
	if (cert_pg_open(uri, &pg, err, sizeof(err)))
		return fail("%s: %s", shown, err);
	rc = revoke ? cert_pg_trust_revoke(pg, fp, text) : cert_pg_trust_enrol(pg, fp, text);
	if (rc)
		fail("%s: %s", shown, cert_pg_error(pg));
	else
		printf("%s: station %s %s\n", shown, fp, revoke ? "revoked" : "enrolled");
	cert_pg_close(pg);
	return rc ? 1 : 0;
}

int cmd_trust(int argc, char **argv)
{
	const char *sub, *reg = NULL, *fpin = NULL, *name = NULL, *reason = "";
	char fp[CERT_FP_HEX], why[256], hx[2 * CERT_HASH_LEN + 1];
	uint8_t head[CERT_HASH_LEN];
	struct cert_ledger *l;
	struct cli_parser cp;
	struct trust_out out = { 0, NULL };
	bool json = false;
	uint64_t len;
	int c, rc;

	cli_begin(&cp, &cli_trust, argc, argv);
	while ((c = cli_next(&cp)) != CLI_DONE) {
		switch (c) {
		case OPT_NAME: name = optarg; break;
		case OPT_REASON: reason = optarg; break;
		case OPT_JSON: json = true; break;
		case CLI_HELP: return 0;
		default: return EXIT_USAGE;
		}
	}
	if (argc - optind < 2)
		return usage_error("trust needs add|revoke|list|fingerprint and a REGISTRY");
	if (argc - optind > 3)
		return usage_error("trust %s: too many arguments", argv[optind]);
	sub = argv[optind];
	reg = argv[optind + 1];
	fpin = argc - optind == 3 ? argv[optind + 2] : NULL;
	if (json && strcmp(sub, "list") && strcmp(sub, "fingerprint"))
		return usage_error("trust %s: --json goes with list and fingerprint", sub);
	if (!strcmp(sub, "list") || !strcmp(sub, "fingerprint")) {
		if (fpin || name || reason[0])
			return usage_error("trust %s takes only a %s", sub,
					   sub[0] == 'l' ? "REGISTRY" : "LEDGER");
		if (!(l = sub[0] == 'l' ? open_trust_anchors(reg) :
					  open_ledger(reg, CERT_LEDGER_READONLY)))
			return 1;
		if (json && !(out.arr = cj_new(CJ_ARR))) {
			cert_ledger_close(l);
			return fail("out of memory");
		}
		if (sub[0] == 'f') {
			rc = cert_ledger_each_station(l, print_fp, &out);
			if (rc)
				fail("%s", cert_ledger_error(l));
			else if (!out.n)
				rc = fail("%s holds no station key yet (it has no record)", reg);
			else if (json) {
				rc = cli_json_print(out.arr);
				out.arr = NULL;
			}
			cj_free(out.arr);
			cert_ledger_close(l);
			return rc ? 1 : 0;
		}
		rc = cert_trust_check(l, &len, head, why, sizeof(why));
		if (rc > 0) {
			cj_free(out.arr);
			cert_ledger_close(l);
			return fail("%s: the trust log does not verify: %s", cert_ledger_path(l), why);
		}
		if (!rc)
			rc = cert_trust_each(l, list_one, &out);
		if (rc) {
			fail("%s", cert_ledger_error(l));
		} else if (json) {
			struct cj *o = cj_new(CJ_OBJ);

			cert_hex(head, CERT_HASH_LEN, hx);
			rc = cj_add(o, "stations", out.arr);
			out.arr = NULL;
			if (!rc) rc = cj_add(o, "log_entries", cj_u64(len));
			if (!rc) rc = cj_add(o, "log_head", cj_str(hx));
			if (rc) {
				cj_free(o);
				o = NULL;
			}
			rc = cli_json_print(o);
		} else {
			cert_hex(head, CERT_HASH_LEN, hx);
			printf("%u station%s; trust log of %" PRIu64 " entr%s, head %s\n", out.n,
			       out.n == 1 ? "" : "s", len, len == 1 ? "y" : "ies", hx);
		}
		cj_free(out.arr);
		cert_ledger_close(l);
		return rc ? 1 : 0;
	}
	if (strcmp(sub, "add") && strcmp(sub, "revoke"))
		return usage_error("trust: unknown subcommand '%s' (add, revoke, list, fingerprint)", sub);
	if (!fpin)
		return usage_error("trust %s needs REGISTRY FINGERPRINT", sub);
	if (cert_trust_parse_fp(fpin, fp))
		return usage_error("trust %s: a fingerprint is 64 hexadecimal digits", sub);
	if (!strcmp(sub, "add") && !name)
		return usage_error("trust add needs --name NAME");
	if (!strcmp(sub, "revoke") && name)
		return usage_error("trust revoke takes --reason, not --name");
	if (cert_pg_is_uri(reg))
		return pg_trust_change(reg, fp, sub[0] == 'a' ? name : reason, sub[0] == 'r');
	if (!(l = open_ledger(reg, CERT_LEDGER_CREATE)))
		return 1;
	rc = cert_trust_check(l, &len, head, why, sizeof(why));
	if (rc > 0) {
		cert_ledger_close(l);
		return fail("%s: the trust log does not verify: %s; nothing changed", reg, why);
	}
	if (!rc)
		rc = sub[0] == 'a' ? cert_trust_enrol(l, fp, name) : cert_trust_revoke(l, fp, reason);
	if (rc)
		fail("%s: %s", reg, cert_ledger_error(l));
	else
		printf("%s: station %s %s\n", reg, fp, sub[0] == 'a' ? "enrolled" : "revoked");
	cert_ledger_close(l);
	return rc ? 1 : 0;
}
