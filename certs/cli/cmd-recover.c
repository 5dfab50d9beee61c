/* SPDX-License-Identifier: GPL-3.0-or-later */
/* certs recover: certify INCOMPLETE the jobs a stopped station left open. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "certs/cli/cli.h"
#include "certs/issue.h"
#include "certs/journal.h"
#include "certs/preflight.h"

static const struct cli_opt recover_opts[] = {
	{ "custody", 256, "SPEC", "the station key's custody (see 'certs --help')" },
	{ NULL, 0, NULL, NULL },
};

const struct cli_cmd cli_recover = {
	"certs recover", "LEDGER", "certify INCOMPLETE the jobs a stopped station left open",
	recover_opts, NULL,
};

/* Say one certificate issued. */
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
	struct cert_issue_opts io = { 0 };
	const char *path = NULL;
	unsigned n = 0;
	struct cli_parser cp;
	char err[512];
	int c, rc;

	cli_begin(&cp, &cli_recover, argc, argv);
	while ((c = cli_next(&cp)) != CLI_DONE) {
		switch (c) {
		case 256: io.custody = optarg; break;
		case CLI_HELP: return 0;
		default: return EXIT_USAGE;
		}
	}
	if (argc - optind > 1)
		return usage_error("recover takes one LEDGER");
	path = optind < argc ? argv[optind] : NULL;
	if (!path)
		return usage_error("recover needs exactly one LEDGER");
	/* The jobs' records name their people; the ledger, key and space must do. */
	if (access(path, F_OK) == 0 && certs_preflight(path, NULL, NULL, &io, err, sizeof(err)))
		return refuse("recover: %s", err);
	rc = certs_job_recover(path, &io, issued, &n, err, sizeof(err));
	if (rc < 0)
		return fail("%s: %s", path, err);
	if (n == 0)
		printf("%s: no interrupted job\n", path);
	return 0;
}
