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
#include "certs/canon.h"
#include "certs/registry-pg.h"
#include "certs/text.h"

enum { OPT_OUT = 'o', OPT_UPTO = 256, OPT_INTO, OPT_JSON };

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
	{ "json", OPT_JSON, NULL, "a JSON array: each LEDGER, its new records or why not" },
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

/* With --json, the outcome of each ledger (else NULL: printed as they come). */
static struct cj *merged;

/* Say how ledger @path went: @added new records, or refused because of @why. */
static void merge_said(const char *path, uint64_t added, const char *why)
{
	struct cj *o;

	if (!merged) {
		if (!why)
			printf("%s: merged, %" PRIu64 " new record%s\n", path, added,
			       added == 1 ? "" : "s");
		return;
	}
	o = cj_new(CJ_OBJ);
	if (cj_add(o, "ledger", cj_str_lossy(path)) ||
	    cj_add(o, why ? "refused" : "new_records", why ? cj_str_lossy(why) : cj_u64(added))) {
		cj_free(o);
		fail("out of memory");
	} else if (cj_add(merged, NULL, o)) {	/* which frees @o */
		fail("out of memory");
	}
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
		src = open_ledger(ledgers[a], CERT_LEDGER_READONLY | CERT_LEDGER_VERIFYING);
		if (!src) {
			merge_said(ledgers[a], 0, cli_last_error);
			rc = 1;
			continue;
		}
		if (cert_pg_merge(pg, src, &added)) {
			fail("%s: refused: %s", ledgers[a], cert_pg_error(pg));
			merge_said(ledgers[a], 0, cert_pg_error(pg));
			rc = 1;
		} else {
			merge_said(ledgers[a], added, NULL);
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
	bool json = false;
	int a, c, n = 0, rc = 0;

	ledgers = calloc((size_t)argc, sizeof(*ledgers));
	if (!ledgers)
		return fail("out of memory");
	cli_begin(&cp, &cli_merge, argc, argv);
	while ((c = cli_next(&cp)) != CLI_DONE) {
		switch (c) {
		case OPT_INTO: into = optarg; break;
		case OPT_JSON: json = true; break;
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
	if (json && !(merged = cj_new(CJ_ARR))) {
		free(ledgers);
		return fail("out of memory");
	}
	if (cert_pg_is_uri(into)) {
		rc = merge_pg(into, ledgers, n);
		goto out;
	}
	dst = open_ledger(into, CERT_LEDGER_CREATE);
	if (!dst) {
		rc = 1;
		goto out;
	}
	for (a = 0; a < n; a++) {
		src = open_ledger(ledgers[a], CERT_LEDGER_READONLY | CERT_LEDGER_VERIFYING);
		if (!src) {
			merge_said(ledgers[a], 0, cli_last_error);
			rc = 1;
			continue;
		}
		if (cert_ledger_merge(dst, src, &added)) {
			fail("%s: refused: %s", ledgers[a], cert_ledger_error(dst));
			merge_said(ledgers[a], 0, cert_ledger_error(dst));
			rc = 1;
		} else {
			merge_said(ledgers[a], added, NULL);
		}
		cert_ledger_close(src);
	}
	cert_ledger_close(dst);
out:
	if (merged && cli_json_print(merged))
		rc = 1;
	merged = NULL;
	free(ledgers);
	return rc;
}
