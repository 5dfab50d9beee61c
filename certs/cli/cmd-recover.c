/* SPDX-License-Identifier: GPL-3.0-or-later */
/* certs recover: certify INCOMPLETE the jobs a stopped station left open. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "certs/cli/cli.h"
#include "certs/issue.h"
#include "certs/journal.h"

static void issued(const struct cert_record *r, const char *pdf, void *arg)
{
	char t[24];

	(*(unsigned *)arg)++;
	printf("%s: INCOMPLETE: the job on %s (%s) started %s was interrupted%s%s\n", r->cert_no,
	       r->serial[0] ? r->serial : "no serial", r->model[0] ? r->model : "no model",
	       cert_time_str(r->start, t, sizeof(t)), pdf[0] ? "; " : "", pdf);
}

int cmd_recover(int argc, char **argv)
{
	struct cert_issue_opts io = { 0 };
	const char *path = NULL;
	unsigned n = 0;
	char err[512];
	int a, rc;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--custody") && a + 1 < argc)
			io.custody = argv[++a];
		else if (argv[a][0] == '-' || path)
			return usage_error("recover takes LEDGER [--custody file|tpm[:TCTI]]");
		else
			path = argv[a];
	}
	if (!path)
		return usage_error("recover needs exactly one LEDGER");
	rc = certs_job_recover(path, &io, issued, &n, err, sizeof(err));
	if (rc < 0)
		return fail("%s: %s", path, err);
	if (n == 0)
		printf("%s: no interrupted job\n", path);
	return 0;
}
