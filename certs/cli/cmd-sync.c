/* SPDX-License-Identifier: GPL-3.0-or-later */
/* certs export / merge: move ledgers between stations and the registry. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certs/cli/cli.h"

int cmd_export(int argc, char **argv)
{
	const char *path = NULL, *out = NULL;
	unsigned long long upto = 0;
	struct cert_ledger *l;
	char *end;
	int a, rc;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "-o") && a + 1 < argc) {
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

int cmd_merge(int argc, char **argv)
{
	struct cert_ledger *dst, *src;
	uint64_t added;
	int a, rc = 0;

	if (argc < 3)
		return usage_error("merge needs REGISTRY LEDGER...");
	for (a = 1; a < argc; a++)
		if (argv[a][0] == '-')
			return usage_error("merge: unknown option '%s'", argv[a]);
	if (!strncmp(argv[1], "postgresql:", 11) || !strncmp(argv[1], "postgres:", 9))
		return fail("PostgreSQL registries are not built into this version; use a SQLite file");
	dst = open_ledger(argv[1], CERT_LEDGER_CREATE);
	if (!dst)
		return 1;
	for (a = 2; a < argc; a++) {
		src = open_ledger(argv[a], CERT_LEDGER_READONLY);
		if (!src) {
			rc = 1;
			continue;
		}
		if (cert_ledger_merge(dst, src, &added)) {
			fail("%s: refused: %s", argv[a], cert_ledger_error(dst));
			rc = 1;
		} else {
			printf("%s: merged, %" PRIu64 " new record%s\n", argv[a], added,
			       added == 1 ? "" : "s");
		}
		cert_ledger_close(src);
	}
	cert_ledger_close(dst);
	return rc;
}
