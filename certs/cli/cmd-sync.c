/* SPDX-License-Identifier: GPL-3.0-or-later */
/* certs export / merge: move ledgers between stations and the registry. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "certs/cli/cli.h"
#include "certs/registry-pg.h"

enum { OPT_OUT = 'o', OPT_UPTO = 256, OPT_INTO };

static const struct cli_opt export_opts[] = {
	{ "output", OPT_OUT, "FILE", "the copy, always a new file (required)" },
	{ "upto", OPT_UPTO, "N", "only records 1..N" },
	{ NULL, 0, NULL, NULL },
};

const struct cli_cmd cli_export = {
	"certs export", "LEDGER|postgresql://...", "a verifiable copy of a ledger, for the registry",
	export_opts, NULL,
};

static const struct cli_opt merge_opts[] = {
	{ "into", OPT_INTO, "REGISTRY", "the registry file or postgresql://... to merge into\n"
					"(or give it as the first operand)" },
	{ NULL, 0, NULL, NULL },
};

const struct cli_cmd cli_merge = {
	"certs merge", "[REGISTRY] LEDGER...", "add station ledgers to a registry", merge_opts,
	"Each LEDGER must verify and its station be enrolled (certs trust add) in\n"
	"the registry; records the registry already holds are skipped.\n",
};

int cmd_export(int argc, char **argv)
{
	const char *path = NULL, *out = NULL;
	unsigned long long upto = 0;
	struct cert_ledger *l;
	struct cli_parser cp;
	struct stat st;
	char *end;
	int c, rc;

	cli_begin(&cp, &cli_export, argc, argv);
	while ((c = cli_next(&cp)) != CLI_DONE) {
		switch (c) {
		case OPT_OUT: out = optarg; break;
		case OPT_UPTO:
			errno = 0;
			upto = strtoull(optarg, &end, 10);
			if (errno || *end || !upto || optarg[0] == '-')
				return usage_error("export: --upto needs a record number");
			break;
		case CLI_HELP: return 0;
		default: return EXIT_USAGE;
		}
	}
	if (argc - optind > 1)
		return usage_error("export takes one LEDGER");
	path = optind < argc ? argv[optind] : NULL;
	if (!path || !out)
		return usage_error("export needs LEDGER -o FILE");
	/* The copy is a new ledger: never over an existing file, --force or not. */
	if (cli_output_ok(out, true, path, NULL))
		return EXIT_USAGE;
	if (lstat(out, &st) == 0 || errno != ENOENT)
		return refuse("export: %s exists; the copy is always a new file", out);
	l = open_ledger(path, 0);
	if (!l)
		return 1;
	rc = cert_ledger_export(l, out, upto);
	if (rc)
		fail("%s", cert_ledger_error(l));
	else
		printf("%s: exported\n", out);
	cert_ledger_close(l);
	return rc ? 1 : 0;
}

/* Merge each ledger into a PostgreSQL registry. */
static int merge_pg(const char *conninfo, char **ledgers, int n)
{
	struct cert_ledger *src;
	struct cert_pg *pg;
	char err[1024];
	uint64_t added;
	int a, rc = 0;

	if (cert_pg_open(conninfo, &pg, err, sizeof(err)))
		return fail("%s", err);
	for (a = 0; a < n; a++) {
		src = open_ledger(ledgers[a], CERT_LEDGER_READONLY);
		if (!src) {
			rc = 1;
			continue;
		}
		if (cert_pg_merge(pg, src, &added)) {
			fail("%s: refused: %s", ledgers[a], cert_pg_error(pg));
			rc = 1;
		} else {
			printf("%s: merged, %" PRIu64 " new record%s\n", ledgers[a], added,
			       added == 1 ? "" : "s");
		}
		cert_ledger_close(src);
	}
	cert_pg_close(pg);
	return rc;
}

int cmd_merge(int argc, char **argv)
{
	struct cert_ledger *dst, *src;
	const char *into = NULL;
	char **ledgers;
	struct cli_parser cp;
	uint64_t added;
	int a, c, n = 0, rc = 0;

	ledgers = calloc((size_t)argc, sizeof(*ledgers));
	if (!ledgers)
		return fail("out of memory");
	cli_begin(&cp, &cli_merge, argc, argv);
	while ((c = cli_next(&cp)) != CLI_DONE) {
		switch (c) {
		case OPT_INTO: into = optarg; break;
		case CLI_HELP: free(ledgers); return 0;
		default: free(ledgers); return EXIT_USAGE;
		}
	}
	for (a = optind; a < argc; a++) {
		if (!into)
			into = argv[a];	/* the old form: merge REGISTRY LEDGER... */
		else
			ledgers[n++] = argv[a];
	}
	if (!into || !n) {
		free(ledgers);
		return usage_error("merge needs [--into] REGISTRY LEDGER...");
	}
	if (cert_pg_is_uri(into)) {
		rc = merge_pg(into, ledgers, n);
		free(ledgers);
		return rc;
	}
	dst = open_ledger(into, CERT_LEDGER_CREATE);
	if (!dst) {
		free(ledgers);
		return 1;
	}
	for (a = 0; a < n; a++) {
		src = open_ledger(ledgers[a], CERT_LEDGER_READONLY);
		if (!src) {
			rc = 1;
			continue;
		}
		if (cert_ledger_merge(dst, src, &added)) {
			fail("%s: refused: %s", ledgers[a], cert_ledger_error(dst));
			rc = 1;
		} else {
			printf("%s: merged, %" PRIu64 " new record%s\n", ledgers[a], added,
			       added == 1 ? "" : "s");
		}
		cert_ledger_close(src);
	}
	cert_ledger_close(dst);
	free(ledgers);
	return rc;
}
