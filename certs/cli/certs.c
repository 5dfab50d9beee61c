/* SPDX-License-Identifier: GPL-3.0-or-later */
/* certs: verify, print and manage Tabula's certificate ledger. */
#include "config.h"

#include "certs/cli/cli.h"
#include "certs/custody.h"
#include "certs/preflight.h"
#include "certs/registry-pg.h"
#include "certs/text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *prog = "certs";

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} commands[] = {
	{ "verify", cmd_verify, "verify [--every-signature] [--deep] [--trust REGISTRY] [--pdfs DIR]\n"
				"           LEDGER|postgresql://...\n"
				"  certs verify --pdf CERTIFICATE|REGISTER [--trust REGISTRY] [LEDGER]\n"
				"  certs verify --qr TEXT|- [--trust REGISTRY]" },
	{ "list", cmd_list, "list LEDGER|postgresql://... [--json]" },
	{ "show", cmd_show, "show LEDGER|postgresql://... N|CERT-NO [--json]" },
	{ "find", cmd_find, "find LEDGER|postgresql://... --serial S [--json]" },
	{ "pdf", cmd_pdf, "pdf LEDGER|postgresql://... N|CERT-NO -o FILE [--force] [--lang en|zh]" },
	{ "register", cmd_register, "register LEDGER|postgresql://... --from DATE --to DATE -o FILE\n"
				    "           [--force] [--lang en|zh] [--key FILE]   (signed with the"
				    " station key)" },
	{ "export", cmd_export, "export LEDGER|postgresql://... -o FILE [--upto N]" },
	{ "merge", cmd_merge, "merge [--into] REGISTRY|postgresql://... LEDGER...   (enrolled stations only)" },
	{ "trust", cmd_trust, "trust add REGISTRY FINGERPRINT --name NAME | trust revoke REGISTRY\n"
			      "           FINGERPRINT [--reason TEXT] | trust list REGISTRY |\n"
			      "           trust fingerprint LEDGER   (certs trust --help)" },
	{ "destroy", cmd_destroy, "destroy LEDGER --serial S --model M --technique T --operator NAME"
				  " --witness NAME [--custody SPEC] [...]" },
	{ "lang", cmd_lang, "lang LEDGER [en|zh]" },
	{ "recover", cmd_recover, "recover LEDGER [--custody SPEC]   (certify INCOMPLETE the jobs a"
				  " stopped station left open)" },
	{ "custody", cmd_custody, "custody init LEDGER --tpm TCTI [--pcrs LIST]   (seal a new station"
				  " key in this PC's TPM)\n"
				  "  certs custody status LEDGER [--custody SPEC]   (which custody signs;"
				  " the ledger against the TPM counter)\n"
				  "  certs custody setup LEDGER [--tpm TCTI] [--pcrs LIST] [--demo-key-file]"
				  "   (a new records medium: TPM if present, else exit 3 unless the demo key"
				  " file is chosen)" },
};

/* "certs: MESSAGE@tail" on stderr: the one shape of every message the CLI prints. */
__attribute__((format(printf, 2, 0)))
static void say(const char *tail, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", prog);
	vfprintf(stderr, fmt, ap);
	fputs(tail, stderr);
}

int usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(" (try 'certs --help')\n", fmt, ap);
	va_end(ap);
	return EXIT_USAGE;
}

const char *tx(const char *s)
{
	static char ring[16][2048];
	static unsigned next;

	return cert_text_escape(s ? s : "", ring[next++ % 16], sizeof(ring[0]));
}

int refuse(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say("\n", fmt, ap);
	va_end(ap);
	return EXIT_USAGE;
}

int cli_output_ok(const char *out, bool force, const char *ledger, const char *key)
{
	char err[1024];

	if (certs_output_check(out, force, cert_pg_is_uri(ledger) ? NULL : ledger, key, err,
			       sizeof(err)))
		return refuse("%s", err);
	return 0;
}

int fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say("\n", fmt, ap);
	va_end(ap);
	return 1;
}

void cli_hide_password(const char *uri, char *buf, size_t len)
{
	const char *user = strstr(uri, "://"), *at, *colon;
	int n;

	at = user ? strchr(user + 3, '@') : NULL;
	colon = user ? strchr(user + 3, ':') : NULL;
	if (at && colon && colon < at)
		n = snprintf(buf, len, "%.*s:***%s", (int)(colon - uri), uri, at);
	else
		n = snprintf(buf, len, "%s", uri);
	if (n < 0 || (size_t)n >= len)
		buf[len - 1] = '\0';
}

/*
 * A consistent private copy of a PostgreSQL registry, for reading (list,
 * show, pdf, export...), or NULL after saying why.
 */
static struct cert_ledger *open_registry(const char *uri, unsigned flags)
{
	struct cert_ledger *l = NULL;
	struct cert_pg *pg;
	char err[1024], shown[512];

	cli_hide_password(uri, shown, sizeof(shown));
	if (flags & CERT_LEDGER_CREATE) {
		/* A snapshot would take the change and forget it. */
		fail("%s: a PostgreSQL registry is changed only by certs merge", shown);
		return NULL;
	}
	if (cert_pg_open(uri, &pg, err, sizeof(err))) {
		fail("%s: %s", shown, err);
		return NULL;
	}
	if (cert_pg_snapshot(pg, &l))
		fail("%s: %s", shown, cert_pg_error(pg));
	cert_pg_close(pg);
	return l;
}

struct cert_ledger *open_ledger(const char *path, unsigned flags)
{
	struct cert_ledger *l = NULL;
	char err[512];
	int rc;

	if (cert_pg_is_uri(path))
		return open_registry(path, flags);
	rc = cert_ledger_open(path, flags, &l, err, sizeof(err));
	if (rc) {
		fail("%s", err);
		return NULL;
	}
	return l;
}

/* Print the usage. */
static void help(FILE *f)
{
	size_t i;

	fprintf(f, "Usage: certs COMMAND ...\n\n"
		   "Verify, print and manage Tabula's signed, hash-chained certificate ledger.\n\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  certs %s\n", commands[i].help);
	fprintf(f, "\nKey custody SPEC: file, file:PATH (demo and tests only), tpm, tpm:TCTI (e.g.\n"
		   "tpm:swtpm:host=127.0.0.1,port=2321 or tpm:device:/dev/tpmrm0). Default:\n"
		   "$TABULA_CUSTODY, else tpm when LEDGER.sealed exists, else the key file.\n"
		   "The TPM, when SPEC names none: $TABULA_TPM_TCTI, else " CERT_CUSTODY_DEFAULT_TCTI ".\n"
		   "This build: %s.\n", cert_custody_tpm_supported() ? "TPM custody available (tpm2-tss)" :
		   "no TPM custody (built without tpm2-tss): file custody only");
	fprintf(f, "\n-o never replaces the ledger, its -wal/-shm, its key or a device; an existing"
		   " file only with --force.\n"
		   "Exit status: 0 success (verify: genuine), 1 failure or not genuine, 2 usage or"
		   " bad input\n(nothing written).\n");
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2)
		return usage_error("missing command");
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		help(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("certs (Tabula) %s\n", PACKAGE_VERSION);
		return 0;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	return usage_error("unknown command '%s'", argv[1]);
}
