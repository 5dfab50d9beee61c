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
#include "certs/trust.h"

static const char trust_help[] =
	"Usage: certs trust add REGISTRY FINGERPRINT --name NAME\n"
	"       certs trust revoke REGISTRY FINGERPRINT [--reason TEXT]\n"
	"       certs trust list REGISTRY\n"
	"       certs trust fingerprint LEDGER\n\n"
	"The registry trusts only the stations enrolled in it: certs merge takes records only\n"
	"from those, and certs verify --trust REGISTRY calls a certificate genuine only when an\n"
	"enrolled, unrevoked station signed it. Compare the fingerprint the station shows (or\n"
	"certs trust fingerprint prints for its ledger) with the enrolment sheet before adding\n"
	"it. Enrolments and revocations are kept as an append-only, hash-chained log in the\n"
	"registry; trust list prints the log's head hash, to be written on the sheet.\n";


/* One station of the log, one line. */
static int list_one(const struct cert_trust *t, void *arg)
{
	char t1[32], t2[32];

	(*(unsigned *)arg)++;
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
	(void)pub;
	(*(unsigned *)arg)++;
	printf("%s  %s\n", fp, station_id);
	return 0;
}

int cmd_trust(int argc, char **argv)
{
	const char *sub, *reg = NULL, *fpin = NULL, *name = NULL, *reason = "";
	char fp[CERT_FP_HEX], why[256], hx[2 * CERT_HASH_LEN + 1];
	uint8_t head[CERT_HASH_LEN];
	struct cert_ledger *l;
	unsigned n = 0;
	uint64_t len;
	int a, rc;

	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs(trust_help, stdout);
		return 0;
	}
	if (argc < 3)
		return usage_error("trust needs add|revoke|list|fingerprint and a REGISTRY");
	sub = argv[1];
	for (a = 2; a < argc; a++) {
		if (!strcmp(argv[a], "--name") && a + 1 < argc)
			name = argv[++a];
		else if (!strcmp(argv[a], "--reason") && a + 1 < argc)
			reason = argv[++a];
		else if (argv[a][0] == '-')
			return usage_error("trust: unknown option '%s'", argv[a]);
		else if (!reg)
			reg = argv[a];
		else if (!fpin)
			fpin = argv[a];
		else
			return usage_error("trust %s: too many arguments", sub);
	}
	if (!strcmp(sub, "list") || !strcmp(sub, "fingerprint")) {
		if (fpin || name || reason[0])
			return usage_error("trust %s takes only a %s", sub,
					   sub[0] == 'l' ? "REGISTRY" : "LEDGER");
		if (!(l = sub[0] == 'l' ? open_trust_anchors(reg) :
					  open_ledger(reg, CERT_LEDGER_READONLY)))
			return 1;
		if (sub[0] == 'f') {
			rc = cert_ledger_each_station(l, print_fp, &n);
			if (rc)
				fail("%s", cert_ledger_error(l));
			else if (!n)
				rc = fail("%s holds no station key yet (it has no record)", reg);
			cert_ledger_close(l);
			return rc ? 1 : 0;
		}
		rc = cert_trust_check(l, &len, head, why, sizeof(why));
		if (rc > 0) {
			cert_ledger_close(l);
			return fail("%s: the trust log does not verify: %s", cert_ledger_path(l), why);
		}
		if (!rc)
			rc = cert_trust_each(l, list_one, &n);
		if (rc) {
			fail("%s", cert_ledger_error(l));
		} else {
			cert_hex(head, CERT_HASH_LEN, hx);
			printf("%u station%s; trust log of %" PRIu64 " entr%s, head %s\n", n,
			       n == 1 ? "" : "s", len, len == 1 ? "y" : "ies", hx);
		}
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
