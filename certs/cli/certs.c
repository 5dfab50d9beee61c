/* SPDX-License-Identifier: GPL-3.0-or-later */
/* certs: verify, print and manage Tabula's certificate ledger. */
#include "config.h"

#include "certs/cli/cli.h"

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
	{ "verify", cmd_verify, "verify [--every-signature] [--deep] LEDGER|postgresql://... | verify --pdf FILE [LEDGER]" },
	{ "list", cmd_list, "list LEDGER [--json]" },
	{ "show", cmd_show, "show LEDGER N|CERT-NO [--json]" },
	{ "find", cmd_find, "find LEDGER --serial S [--json]" },
	{ "pdf", cmd_pdf, "pdf LEDGER N|CERT-NO -o FILE [--lang en|zh]" },
	{ "register", cmd_register, "register LEDGER --from DATE --to DATE -o FILE [--lang en|zh]" },
	{ "export", cmd_export, "export LEDGER -o FILE [--upto N]" },
	{ "merge", cmd_merge, "merge [--into] REGISTRY|postgresql://... LEDGER..." },
	{ "destroy", cmd_destroy, "destroy LEDGER --serial S --model M --technique T --operator NAME"
				  " --witness NAME [...]" },
	{ "lang", cmd_lang, "lang LEDGER [en|zh]" },
	{ "recover", cmd_recover, "recover LEDGER   (certify INCOMPLETE the jobs a stopped station"
				  " left open)" },
};

int usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (try 'certs --help')\n", stderr);
	return EXIT_USAGE;
}

int fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

struct cert_ledger *open_ledger(const char *path, unsigned flags)
{
	struct cert_ledger *l = NULL;
	char err[512];
	int rc = cert_ledger_open(path, flags, &l, err, sizeof(err));

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
	fprintf(f, "\nExit status: 0 success (verify: genuine), 1 failure or not genuine, 2 usage.\n");
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
