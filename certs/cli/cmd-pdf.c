/* SPDX-License-Identifier: GPL-3.0-or-later */
/* certs pdf / register: render certificates and the period register. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certs/cli/cli.h"
#include "certs/pdf.h"

enum { OPT_OUT = 'o', OPT_FORCE = 256, OPT_LANG, OPT_KEY, OPT_FROM, OPT_TO };

static const struct cli_opt pdf_opts[] = {
	{ "output", OPT_OUT, "FILE", "where the PDF goes (required)" },
	{ "force", OPT_FORCE, NULL, "replace FILE if it exists" },
	{ "lang", OPT_LANG, "en|zh", "its language (default: the ledger's, see certs lang)" },
	{ NULL, 0, NULL, NULL },
};

const struct cli_cmd cli_pdf = {
	"certs pdf", "LEDGER|postgresql://... N|CERT-NO", "print one certificate as a signed PDF",
	pdf_opts,
	"-o never replaces the ledger, its -wal/-shm, its key or a device.\n",
};

static const struct cli_opt register_opts[] = {
	{ "from", OPT_FROM, "DATE", "first day, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ\n"
				  "(required)" },
	{ "to", OPT_TO, "DATE", "last day, included whole (required)" },
	{ "output", OPT_OUT, "FILE", "where the PDF goes (required)" },
	{ "force", OPT_FORCE, NULL, "replace FILE if it exists" },
	{ "lang", OPT_LANG, "en|zh", "its language (default: the ledger's)" },
	{ "key", OPT_KEY, "FILE", "sign with this key file, not the ledger's" },
	{ NULL, 0, NULL, NULL },
};

const struct cli_cmd cli_register = {
	"certs register", "LEDGER|postgresql://...", "the signed register of a period, as a PDF",
	register_opts,
	"Every record of the period in one table, with the chain heads it anchors,\n"
	"signed with the station key. -o never replaces the ledger or its key.\n",
};

/* The options of pdf and register into their variables; -1 to go on, else the exit status. */
static int pdf_opts_parse(const struct cli_cmd *cmd, int argc, char **argv, const char **out,
			  bool *force, const char **lang, const char **key, const char **from,
			  const char **to)
{
	struct cli_parser cp;
	int c;

	cli_begin(&cp, cmd, argc, argv);
	while ((c = cli_next(&cp)) != CLI_DONE) {
		switch (c) {
		case OPT_OUT: *out = optarg; break;
		case OPT_FORCE: *force = true; break;
		case OPT_LANG: *lang = optarg; break;
		case OPT_KEY: *key = optarg; break;
		case OPT_FROM: *from = optarg; break;
		case OPT_TO: *to = optarg; break;
		case CLI_HELP: return 0;
		default: return EXIT_USAGE;
		}
	}
	return -1;
}

int cmd_pdf(int argc, char **argv)
{
	const char *path = NULL, *which = NULL, *out = NULL, *lang = NULL;
	const char *key = NULL, *from = NULL, *to = NULL;
	bool force = false;
	struct cert_ledger *l;
	struct cert_entry e = { 0 };
	struct cbuf pdf = { 0 };
	char err[512];
	int rc;

	rc = pdf_opts_parse(&cli_pdf, argc, argv, &out, &force, &lang, &key, &from, &to);
	if (rc >= 0)
		return rc;
	if (argc - optind != 2)
		return usage_error("pdf needs LEDGER N -o FILE");
	path = argv[optind];
	which = argv[optind + 1];
	if (!path || !which || !out)
		return usage_error("pdf needs LEDGER N -o FILE");
	if (lang && !cert_lang_ok(lang))
		return usage_error("pdf: unknown language '%s' (en or zh)", lang);
	if (cli_output_ok(out, force, path, NULL))
		return EXIT_USAGE;
	l = open_ledger(path, 0);
	if (!l)
		return 1;
	if (!lang)
		lang = cert_ledger_lang(l);
	rc = cert_ledger_lookup(l, which, &e);
	if (rc) {
		rc = fail("%s", cert_ledger_error(l));
		goto out;
	}
	/* A certificate issued in an earlier layout is re-rendered in that layout. */
	rc = cert_pdf_render_issued(l, &e, lang, &pdf, err, sizeof(err));
	if (rc < 0) {
		rc = fail("%s", err);
		goto out;
	}
	/*
	 * The certificate is a pure function of the signed record, so this is
	 * the issued file; the ledger's note of the issued file's hash is not
	 * signed, and no command goes by it (certs verify --pdf compares a file
	 * with its re-rendering instead).
	 */
	rc = cert_write_file(out, pdf.p, pdf.len);
	if (rc) {
		rc = fail("%s: %s", out, strerror(-rc));
		goto out;
	}
	printf("%s: certificate %s (%zu bytes)\n", out, e.cert_no, pdf.len);
out:
	cbuf_done(&pdf);
	cert_entry_done(&e);
	cert_ledger_close(l);
	return rc ? 1 : 0;
}

int cmd_register(int argc, char **argv)
{
	const char *path = NULL, *from_s = NULL, *to_s = NULL, *out = NULL, *lang = NULL;
	const char *key = NULL;
	bool force = false;
	struct cert_ledger *l;
	struct cbuf pdf = { 0 };
	int64_t from, to;
	char err[512];
	int rc;

	rc = pdf_opts_parse(&cli_register, argc, argv, &out, &force, &lang, &key, &from_s, &to_s);
	if (rc >= 0)
		return rc;
	if (argc - optind != 1)
		return usage_error("register needs LEDGER --from DATE --to DATE -o FILE");
	path = argv[optind];
	if (!path || !from_s || !to_s || !out)
		return usage_error("register needs LEDGER --from DATE --to DATE -o FILE");
	/*
	 * A day is the station's local day ($TZ, else the system's zone): a job done
	 * at 06:12 in Beijing on the 2nd is in the register for the 2nd. --to DATE
	 * includes that whole day. A time with its Z is an instant, as it says.
	 */
	if ((strlen(from_s) == 10 ? cert_local_day_start(from_s, 0, &from) :
				    cert_time_parse(from_s, &from)) ||
	    (strlen(to_s) == 10 ? cert_local_day_start(to_s, 1, &to) : cert_time_parse(to_s, &to)))
		return usage_error("register: dates are YYYY-MM-DD (local days) or"
				   " YYYY-MM-DDTHH:MM:SSZ");
	if (lang && !cert_lang_ok(lang))
		return usage_error("register: unknown language '%s' (en or zh)", lang);
	if (cli_output_ok(out, force, path, key))
		return EXIT_USAGE;
	l = open_ledger(path, CERT_LEDGER_READONLY);
	if (!l)
		return 1;
	if (key) {
		struct cert_key *k = NULL;

		rc = cert_key_load(key, false, &k, NULL, err, sizeof(err));
		if (rc) {
			cert_ledger_close(l);
			return refuse("register: --key %s: %s", key, err);
		}
		rc = cert_pdf_register_key(l, k, from, to, lang ? lang : cert_ledger_lang(l), &pdf,
					   err, sizeof(err));
		cert_key_free(k);
	} else {
		rc = cert_pdf_register(l, from, to, lang ? lang : cert_ledger_lang(l), &pdf, err,
				       sizeof(err));
	}
	if (!rc && !key && !memmem(pdf.p, pdf.len, "\"signer\":{", 10))
		fprintf(stderr, "%s: register: NOT SIGNED: %s holds no station key of its own; give"
			" --key FILE to sign it\n", prog, path);
	if (rc)
		rc = fail("%s", err);
	else if ((rc = cert_write_file(out, pdf.p, pdf.len)))
		rc = fail("%s: %s", out, strerror(-rc));
	else
		printf("%s: register %s .. %s\n", out, from_s, to_s);
	cbuf_done(&pdf);
	cert_ledger_close(l);
	return rc ? 1 : 0;
}
