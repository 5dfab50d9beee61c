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
#include "certs/text.h"

static const struct cli_opt recover_opts[] = {
	{ "custody", 256, "SPEC", "the station key's custody (see 'certs --help')" },
	{ "json", 257, NULL, "a JSON array, one object per certificate issued" },
	{ NULL, 0, NULL, NULL },
};

const struct cli_cmd cli_recover = {
	"certs recover", "LEDGER", "certify INCOMPLETE the jobs a stopped station left open",
	recover_opts, NULL,
};

/* The certificates issued so far: a count, and with --json their array. */
struct recovered {
	unsigned n;
	struct cj *arr;
};

/* Say one certificate issued. */
static void issued(const struct cert_record *r, const char *pdf, void *arg)
{
	struct recovered *rv = arg;
	char t[24];

	rv->n++;
	if (rv->arr) {
		struct cj *o = cj_new(CJ_OBJ);

		if (cj_add(o, "cert_no", cj_str(r->cert_no)) ||
		    cj_add(o, "result", cj_str("INCOMPLETE")) ||
		    cj_add(o, "serial", cj_str(r->serial)) || cj_add(o, "model", cj_str(r->model)) ||
		    cj_add(o, "started", cj_str(cert_time_str(r->start, t, sizeof(t)))) ||
		    cj_add(o, "pdf", cj_str_lossy(pdf))) {
			cj_free(o);
			fail("out of memory");
		} else if (cj_add(rv->arr, NULL, o)) {
			fail("out of memory");
		}
		return;
	}
	printf("%s: INCOMPLETE: the job on %s (%s) started %s was interrupted%s%s\n", tx(r->cert_no),
	       r->serial[0] ? tx(r->serial) : "no serial", r->model[0] ? tx(r->model) : "no model",
	       cert_time_str(r->start, t, sizeof(t)), pdf[0] ? "; " : "", pdf);
}

int cmd_recover(int argc, char **argv)
{
	struct cert_issue_opts io = { 0 };
	const char *path = NULL;
	struct recovered rv = { 0, NULL };
	bool json = false;
	struct cli_parser cp;
	char err[512];
	int c, rc;

	cli_begin(&cp, &cli_recover, argc, argv);
	while ((c = cli_next(&cp)) != CLI_DONE) {
		switch (c) {
		case 256: io.custody = optarg; break;
		case 257: json = true; break;
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
	if (json && !(rv.arr = cj_new(CJ_ARR)))
		return fail("out of memory");
	rc = certs_job_recover(path, &io, issued, &rv, err, sizeof(err));
	if (rc < 0) {
		cj_free(rv.arr);
		return fail("%s: %s", path, err);
	}
	if (json)
		return cli_json_print(rv.arr);
	if (rv.n == 0)
		printf("%s: no interrupted job\n", path);
	return 0;
}
