/* SPDX-License-Identifier: GPL-3.0-or-later */
/* certs verify: a whole ledger, or one certificate file. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certs/cli/cli.h"
#include "certs/pdf.h"
#include "certs/qrcode.h"
#include "certs/registry-pg.h"

/* Verify a register file, with the ledger if given. */
static int verify_register(const char *file, const char *buf, size_t len, struct cert_ledger *l)
{
	struct cert_register_info info;
	char why[1024] = "";
	int rc;

	rc = cert_register_verify(buf, len, l, &info, why, sizeof(why));
	if (rc == 0)
		printf("%s: GENUINE REGISTER: %s .. %s, %zu record%s, chain heads of %zu station%s,"
		       " signed by station %.16s%s\n", file, tx(info.from), tx(info.to), info.rows,
		       info.rows == 1 ? "" : "s", info.stations, info.stations == 1 ? "" : "s",
		       info.signer_fp, l ? "; the ledger verifies and still holds every chain head"
		       " the register anchors" : " (give the ledger to check the chain heads)");
	else if (rc > 0)
		printf("%s: NOT GENUINE: %s\n", file, tx(why));
	else
		fail("%s: cannot check: %s", file, why[0] ? tx(why) : strerror(-rc));
	return rc == 0 ? 0 : 1;
}

/* Read QR text from @arg, or from stdin when it is "-". NULL after saying why. */
static char *qr_input(const char *arg)
{
	size_t len = 0, cap = 4096;
	char *buf;

	if (strcmp(arg, "-"))
		return strdup(arg);
	buf = malloc(cap);
	while (buf) {
		size_t n = fread(buf + len, 1, cap - 1 - len, stdin);

		len += n;
		if (n == 0 || len + 1 >= cap)
			break;
	}
	if (buf)
		buf[len] = '\0';
	if (buf && len + 1 >= cap) {
		free(buf);
		buf = NULL;
		fail("verify --qr: the text on stdin is too long for a Tabula QR code");
	}
	return buf;
}

/* Verify the text of a scanned QR code, against a trust store if given. */
static int verify_qr(const char *arg, const char *trust)
{
	struct cert_ledger *l = NULL;
	struct cert_qr q;
	char err[512], why[1024] = "", *text;
	int rc;

	if (!(text = qr_input(arg)))
		return 1;
	rc = cert_qr_parse(text, &q, err, sizeof(err));
	free(text);
	if (rc)
		return refuse("verify --qr: %s", err);
	if (trust && !(l = open_ledger(trust, CERT_LEDGER_READONLY)))
		return 1;
	rc = cert_qr_verify(&q, l, why, sizeof(why));
	cert_ledger_close(l);
	switch (rc) {
	case CERT_QR_GENUINE:
		printf("QR: GENUINE: certificate %s, record %" PRIu64 " of station %s, signed and"
		       " present unaltered in %s\n", tx(q.cert_no), q.seq, q.fp, trust);
		return 0;
	case CERT_QR_UNTRUSTED:
		printf("QR: SIGNATURE VALID, STATION NOT CHECKED: certificate %s, record %" PRIu64
		       ", station key %s; %s\n", tx(q.cert_no), q.seq, q.fp, tx(why));
		return 1;
	case CERT_QR_NOT_GENUINE:
		printf("QR: NOT GENUINE: certificate %s: %s\n", tx(q.cert_no), tx(why));
		return 1;
	default:
		return fail("verify --qr: cannot check: %s", why[0] ? tx(why) : strerror(-rc));
	}
}

/* Verify one PDF (a certificate or a register), with the ledger if given. */
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
	if (cert_pdf_is_register(buf, len)) {
		rc = verify_register(file, buf, len, l);
		cert_ledger_close(l);
		free(buf);
		return rc;
	}
	rc = cert_pdf_verify(buf, len, l, &e, why, sizeof(why));
	if (rc == 0) {
		printf("%s: GENUINE: certificate %s, record %" PRIu64 " of station %.16s%s\n", file,
		       tx(e.cert_no), e.seq, tx(e.fp),
		       l ? ", present and unaltered in the ledger, which verifies" :
			   " (signature and content check out; give the ledger to check its place)");
	} else if (rc > 0) {
		printf("%s: NOT GENUINE: %s\n", file, tx(why));
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
		       v->bad_seq, v->cert_no[0] ? " (" : "", tx(v->cert_no), v->cert_no[0] ? ")" : "",
		       tx(v->fp), tx(v->reason));
	} else {
		printf("%s: FAILED: %s\n", what, tx(v->reason[0] || !lerr ? v->reason : lerr));
	}
	return rc == 0 ? 0 : 1;
}

int cmd_verify(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pdf", required_argument, NULL, 'p' },
		{ "qr", required_argument, NULL, 'Q' },
		{ "trust", required_argument, NULL, 't' },
		{ "quick", no_argument, NULL, 'q' },
		{ "deep", no_argument, NULL, 'd' },
		{ "every-signature", no_argument, NULL, 'e' },
		{ NULL, 0, NULL, 0 },
	};
	const char *pdf = NULL, *qr = NULL, *trust = NULL;
	unsigned flags = 0;
	struct cert_ledger *l;
	struct cert_verify v;
	int c, rc;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'p': pdf = optarg; break;
		case 'Q': qr = optarg; break;
		case 't': trust = optarg; break;
		case 'q': flags |= CERT_VERIFY_QUICK; break;
		case 'd': flags |= CERT_VERIFY_DEEP; break;
		case 'e': flags |= CERT_VERIFY_EVERY_SIG; break;
		default: return usage_error("verify: unknown option '%s'", argv[optind - 1]);
		}
	}
	if (qr) {
		if (pdf || argc - optind > 0)
			return usage_error("verify --qr TEXT|- takes only --trust LEDGER|REGISTRY");
		return verify_qr(qr, trust);
	}
	if (trust && pdf && optind == argc)
		return verify_pdf(pdf, trust);
	if (trust)
		return usage_error("verify: --trust goes with --qr or --pdf");
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
