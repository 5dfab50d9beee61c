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

int cmd_export(int argc, char **argv)
{
	const char *path = NULL, *out = NULL;
	unsigned long long upto = 0;
	struct cert_ledger *l;
	struct stat st;
	char *end;
	int a, rc;

	for (a = 1; a < argc; a++) {
		if ((!strcmp(argv[a], "-o") || !strcmp(argv[a], "--output")) && a + 1 < argc) {
			out = argv[++a];
		} else if (!strcmp(argv[a], "--upto") && a + 1 < argc) {
			errno = 0;
			upto = strtoull(argv[++a], &end, 10);
			if (errno || *end || !upto)
				return usage_error("export: --upto needs a record number");
		} else if (argv[a][0] == '-') {
			return usage_error("export: unknown option '%s'", argv[a]);
		} else if (!path) {
			path = argv[a];
		} else {
			return usage_error("export takes one LEDGER");
		}
	}
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
	uint64_t added;
	int a, n = 0, rc = 0;

	ledgers = calloc((size_t)argc, sizeof(*ledgers));
	if (!ledgers)
		return fail("out of memory");
	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--into") && a + 1 < argc && !into) {
			into = argv[++a];
		} else if (argv[a][0] == '-') {
			free(ledgers);
			return usage_error("merge: unknown option '%s'", argv[a]);
		} else if (!into) {
			into = argv[a];	/* the old form: merge REGISTRY LEDGER... */
		} else {
			ledgers[n++] = argv[a];
		}
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
