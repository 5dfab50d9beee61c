/* SPDX-License-Identifier: GPL-3.0-or-later */
/* certs recover: certify INCOMPLETE the jobs a stopped station left open. */
#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include "certs/cli/cli.h"
#include "certs/journal.h"
#include "certs/preflight.h"

static void issued(const struct cert_record *r, const char *pdf, void *arg)
{
	char t[24];

	(*(unsigned *)arg)++;
	printf("%s: INCOMPLETE: the job on %s (%s) started %s was interrupted%s%s\n", tx(r->cert_no),
	       r->serial[0] ? tx(r->serial) : "no serial", r->model[0] ? tx(r->model) : "no model",
	       cert_time_str(r->start, t, sizeof(t)), pdf[0] ? "; " : "", pdf);
}

int cmd_recover(int argc, char **argv)
{
	unsigned n = 0;
	char err[512];
	int rc;

	if (argc != 2 || argv[1][0] == '-')
		return usage_error("recover needs exactly one LEDGER");
	/* The jobs' records name their people; the ledger, key and space must do. */
	if (access(argv[1], F_OK) == 0 && certs_preflight(argv[1], NULL, NULL, NULL, err, sizeof(err)))
		return refuse("recover: %s", err);
	rc = certs_job_recover(argv[1], NULL, issued, &n, err, sizeof(err));
	if (rc < 0)
		return fail("%s: %s", argv[1], err);
	if (n == 0)
		printf("%s: no interrupted job\n", argv[1]);
	return 0;
}
