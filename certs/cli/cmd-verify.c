/* SPDX-License-Identifier: GPL-3.0-or-later */
/* certs verify: a whole ledger, or one certificate file. */
#include "config.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certs/cli/cli.h"
#include "certs/pdf.h"
#include "certs/registry-pg.h"

/* Verify one PDF, with the ledger if given. */
static int verify_pdf(const char *file, const char *ledger)
{
	struct cert_ledger *l = NULL;
	struct cert_entry e = { 0 };
	char why[1024] = "", *buf = NULL;
	size_t len;
	int rc;

	rc = cert_read_file(file, &buf, &len);
	if (rc)
		return fail("%s: %s", file, strerror(-rc));
	if (ledger && !(l = open_ledger(ledger, CERT_LEDGER_READONLY))) {
		free(buf);
		return 1;
	}
	rc = cert_pdf_verify(buf, len, l, &e, why, sizeof(why));
	if (rc == 0) {
		printf("%s: GENUINE: certificate %s, record %" PRIu64 " of station %.16s%s\n", file,
		       e.cert_no, e.seq, e.fp,
		       l ? ", present and unaltered in the ledger, which verifies" :
			   " (signature and content check out; give the ledger to check its place)");
	} else if (rc > 0) {
		printf("%s: NOT GENUINE: %s\n", file, why);
	} else {
		/* Could not be judged (no memory, no CJK font, ...): say why, not genuine or not. */
		fail("%s: cannot check: %s", file, why[0] ? why : strerror(-rc));
	}
	cert_entry_done(&e);
	cert_ledger_close(l);
	free(buf);
	return rc == 0 ? 0 : 1;
}

/* Print the outcome of a ledger or registry check; the exit status. */
static int report(const char *what, unsigned flags, int rc, const struct cert_verify *v,
		  const char *lerr)
{
	char hx[2 * CERT_HASH_LEN + 1];

	if (rc == 0) {
		cert_hex(v->head, CERT_HASH_LEN, hx);
		printf("%s: OK: %" PRIu64 " records, %" PRIu64 " station%s, every link, hash and"
		       " chained signature verified%s; chain head %" PRIu64 " %s\n", what,
		       v->records, v->stations, v->stations == 1 ? "" : "s",
		       (flags & CERT_VERIFY_EVERY_SIG) ? ", each signature checked on its own" : "",
		       v->head_seq, hx);
	} else if (v->bad_seq) {
		printf("%s: FAILED at record %" PRIu64 "%s%s%s of station %.16s: %s\n", what,
		       v->bad_seq, v->cert_no[0] ? " (" : "", v->cert_no, v->cert_no[0] ? ")" : "",
		       v->fp, v->reason);
	} else {
		printf("%s: FAILED: %s\n", what, v->reason[0] || !lerr ? v->reason : lerr);
	}
	return rc == 0 ? 0 : 1;
}

int cmd_verify(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pdf", required_argument, NULL, 'p' },
		{ "quick", no_argument, NULL, 'q' },
		{ "deep", no_argument, NULL, 'd' },
		{ "every-signature", no_argument, NULL, 'e' },
		{ NULL, 0, NULL, 0 },
	};
	const char *pdf = NULL;
	unsigned flags = 0;
	struct cert_ledger *l;
	struct cert_verify v;
	int c, rc;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'p': pdf = optarg; break;
		case 'q': flags |= CERT_VERIFY_QUICK; break;
		case 'd': flags |= CERT_VERIFY_DEEP; break;
		case 'e': flags |= CERT_VERIFY_EVERY_SIG; break;
		default: return usage_error("verify: unknown option '%s'", argv[optind - 1]);
		}
	}
	if (pdf) {
		if (argc - optind > 1)
			return usage_error("verify --pdf FILE takes at most one LEDGER");
		return verify_pdf(pdf, optind < argc ? argv[optind] : NULL);
	}
	if (argc - optind != 1)
		return usage_error("verify needs exactly one LEDGER");
	if (cert_pg_is_uri(argv[optind])) {
		struct cert_pg *pg;
		char err[1024], shown[512];

		cli_hide_password(argv[optind], shown, sizeof(shown));
		if (cert_pg_open(argv[optind], &pg, err, sizeof(err)))
			return fail("%s: %s", shown, err);
		rc = cert_pg_verify(pg, flags, &v);
		cert_pg_close(pg);
		return report(shown, flags, rc, &v, NULL);
	}
	l = open_ledger(argv[optind], CERT_LEDGER_READONLY);
	if (!l)
		return 1;
	rc = cert_ledger_verify(l, flags, &v);
	rc = report(argv[optind], flags, rc, &v, cert_ledger_error(l));
	cert_ledger_close(l);
	return rc;
}
