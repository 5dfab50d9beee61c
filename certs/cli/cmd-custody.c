/* SPDX-License-Identifier: GPL-3.0-or-later */
/* certs custody: enrol the station's TPM, and show which custody signs and whether the ledger is whole. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "certs/cli/cli.h"
#include "certs/custody.h"
#include "certs/text.h"

enum { OPT_TPM = 256, OPT_PCRS, OPT_CUSTODY, OPT_JSON, OPT_DEMO };

static const struct cli_opt init_opts[] = {
	{ "tpm", OPT_TPM, "TCTI", "the TPM (required; e.g. device:/dev/tpmrm0)" },
	{ "pcrs", OPT_PCRS, "LIST", "seal to these PCRs (e.g. 0,2,4,7)" },
	{ NULL, 0, NULL, NULL },
};

const struct cli_cmd cli_custody_init = {
	"certs custody init", "LEDGER", "seal a new station key in this PC's TPM", init_opts,
	"A demo station needs no enrolment: it uses --custody file.\n",
};

static const struct cli_opt status_opts[] = {
	{ "custody", OPT_CUSTODY, "SPEC", "the key custody (see 'certs --help')" },
	{ "json", OPT_JSON, NULL, "JSON on stdout" },
	{ NULL, 0, NULL, NULL },
};

const struct cli_cmd cli_custody_status = {
	"certs custody status", "LEDGER", "which custody signs; the ledger against the TPM counter",
	status_opts, NULL,
};

static const struct cli_opt setup_opts[] = {
	{ "tpm", OPT_TPM, "TCTI", "the TPM (default: device:/dev/tpmrm0 when present)" },
	{ "pcrs", OPT_PCRS, "LIST", "seal to these PCRs (default on the image: 0,2,4,7,8,9)" },
	{ "demo-key-file", OPT_DEMO, NULL, "with no TPM, make a demo key file (not evidence)" },
	{ NULL, 0, NULL, NULL },
};

const struct cli_cmd cli_custody_setup = {
	"certs custody setup", "LEDGER", "the key custody of a new records medium", setup_opts,
	"A ledger that has a sealed key or a key file keeps it. Otherwise the key is\n"
	"sealed by the TPM when there is one; with none, exit 3 and nothing made,\n"
	"unless --demo-key-file chooses the demo key file.\n",
};

/* The fingerprint in groups of four, as the records officer compares it. */
static void print_fp_grouped(const char *fp)
{
	size_t i;

	fputs("  ", stdout);
	for (i = 0; fp[i]; i++) {
		putchar(fp[i]);
		if (i % 4 == 3 && fp[i + 1])
			putchar(i % 32 == 31 ? '\n' : ' ');
		if (i % 32 == 31 && fp[i + 1])
			fputs("  ", stdout);
	}
	putchar('\n');
}

/* certs custody init LEDGER --tpm TCTI [--pcrs LIST] */
static int custody_init(int argc, char **argv)
{
	const char *path = NULL, *tcti = NULL, *pcrs = NULL;
	struct cert_custody *c = NULL;
	char fp[CERT_FP_HEX], err[768], desc[1024];
	struct cli_parser cp;
	int c0, rc;

	cli_begin(&cp, &cli_custody_init, argc, argv);
	while ((c0 = cli_next(&cp)) != CLI_DONE) {
		switch (c0) {
		case OPT_TPM: tcti = optarg; break;
		case OPT_PCRS: pcrs = optarg; break;
		case CLI_HELP: return 0;
		default: return EXIT_USAGE;
		}
	}
	if (argc - optind > 1)
		return usage_error("custody init takes one LEDGER");
	path = optind < argc ? argv[optind] : NULL;
	if (!path || !tcti)
		return usage_error("custody init needs LEDGER and --tpm TCTI (e.g. device:/dev/tpmrm0;"
				   " a demo station needs no enrolment: it uses --custody file)");
	if (!cert_custody_tpm_supported())
		return fail("this build of Tabula has no TPM support (built without tpm2-tss)");
	rc = cert_custody_enrol_tpm(path, tcti, pcrs, fp, err, sizeof(err));
	if (rc)
		return fail("%s", err);
	/* Prove the enrolment at once: unseal and read the counter back. */
	{
		char spec[600];

		snprintf(spec, sizeof(spec), "tpm:%s", tcti);
		rc = cert_custody_open(spec, path, 0, &c, err, sizeof(err));
	}
	if (rc)
		return fail("enrolled, but the sealed key does not open: %s", err);
	cert_custody_describe(c, desc, sizeof(desc));
	printf("%s: station enrolled\n  custody: %s\n  sealed key: %s.sealed\n  public key: %s.pub\n"
	       "  counter: %" PRIu64 "\n", path, desc, path, path, cert_custody_counter_base(c));
	printf("Station fingerprint (give it to the records officer):\n");
	print_fp_grouped(fp);
	printf("fingerprint: %s\n", fp);
	cert_custody_free(c);
	return 0;
}

/* certs custody setup LEDGER [--tpm TCTI] [--pcrs LIST] [--demo-key-file] */
static int custody_setup(int argc, char **argv)
{
	struct cert_custody_setup_opts o = { 0 };
	const char *path = NULL;
	char fp[CERT_FP_HEX], msg[1024];
	struct cli_parser cp;
	int c0, rc;

	cli_begin(&cp, &cli_custody_setup, argc, argv);
	while ((c0 = cli_next(&cp)) != CLI_DONE) {
		switch (c0) {
		case OPT_TPM: o.tcti = optarg; break;
		case OPT_PCRS: o.pcrs = optarg; break;
		case OPT_DEMO: o.demo_file = true; break;
		case CLI_HELP: return 0;
		default: return EXIT_USAGE;
		}
	}
	if (argc - optind > 1)
		return usage_error("custody setup takes one LEDGER");
	path = optind < argc ? argv[optind] : NULL;
	if (!path)
		return usage_error("custody setup needs LEDGER");
	rc = cert_custody_setup(path, &o, fp, msg, sizeof(msg));
	if (rc == -ENODEV) {
		fprintf(stderr, "certs: %s\n", msg);
		return 3;	/* no TPM: the technician's choice, not a failure of this PC */
	}
	if (rc < 0)
		return fail("%s", msg);
	printf("%s: %s\n", rc == CERT_SETUP_HAD_TPM || rc == CERT_SETUP_TPM ? "tpm" : "file", msg);
	if (fp[0]) {
		printf("Station fingerprint (give it to the records officer):\n");
		print_fp_grouped(fp);
		printf("fingerprint: %s\n", fp);
	}
	return 0;
}

/* certs custody status LEDGER [--custody SPEC] */
static int custody_status(int argc, char **argv)
{
	const char *path = NULL, *spec = NULL;
	struct cert_custody_check chk;
	struct cert_custody *c = NULL;
	struct cert_ledger *l = NULL;
	char err[768], desc[1024];
	struct cli_parser cp;
	bool json = false;
	int c0, rc;

	cli_begin(&cp, &cli_custody_status, argc, argv);
	while ((c0 = cli_next(&cp)) != CLI_DONE) {
		switch (c0) {
		case OPT_CUSTODY: spec = optarg; break;
		case OPT_JSON: json = true; break;
		case CLI_HELP: return 0;
		default: return EXIT_USAGE;
		}
	}
	if (argc - optind > 1)
		return usage_error("custody status takes one LEDGER");
	path = optind < argc ? argv[optind] : NULL;
	if (!path)
		return usage_error("custody status needs LEDGER");
	rc = cert_custody_open(spec, path, 0, &c, err, sizeof(err));
	if (rc == -EINVAL)
		return usage_error("%s", err);
	if (rc)
		return fail("%s", err);
	l = open_ledger(path, 0);
	if (!l) {
		cert_custody_free(c);
		return 1;
	}
	cert_custody_describe(c, desc, sizeof(desc));
	if (!json)
		printf("custody: %s\nfingerprint: %s\n", desc, cert_custody_fingerprint(c));
	rc = certs_custody_check_ledger(l, c, &chk, err, sizeof(err));
	if (rc < 0) {
		rc = fail("%s", err);
	} else if (json) {
		struct cj *o = cj_new(CJ_OBJ);
		int jrc = cj_add(o, "custody", cj_str_lossy(desc));

		if (!jrc) jrc = cj_add(o, "fingerprint", cj_str(cert_custody_fingerprint(c)));
		if (!jrc) jrc = cj_add(o, "state", cj_str(rc == 1 ? "rolled back or cut" : "ok"));
		if (!jrc) jrc = cj_add(o, "message", cj_str_lossy(chk.message));
		if (!jrc && chk.has_counter) {
			jrc = cj_add(o, "head_record", cj_u64(chk.head_seq));
			if (!jrc) jrc = cj_add(o, "head_counter", cj_u64(chk.head_counter));
			if (!jrc) jrc = cj_add(o, "tpm_counter", cj_u64(chk.tpm_counter));
		}
		if (jrc) {
			cj_free(o);
			o = NULL;
		}
		if (cli_json_print(o))
			rc = 1;
	} else {
		if (chk.has_counter)
			printf("ledger head: record %" PRIu64 ", counter %" PRIu64 "\n"
			       "TPM counter: %" PRIu64 "\n", chk.head_seq, chk.head_counter,
			       chk.tpm_counter);
		printf("%s: %s\n", rc == 1 ? "ROLLED BACK OR CUT" : "ok", chk.message);
	}
	cert_ledger_close(l);
	cert_custody_free(c);
	return rc ? 1 : 0;
}

int cmd_custody(int argc, char **argv)
{
	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		cli_usage(stdout, &cli_custody_init);
		printf("\n");
		cli_usage(stdout, &cli_custody_status);
		printf("\n");
		cli_usage(stdout, &cli_custody_setup);
		return 0;
	}
	if (argc >= 2 && !strcmp(argv[1], "init"))
		return custody_init(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "status"))
		return custody_status(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "setup"))
		return custody_setup(argc - 1, argv + 1);
	return usage_error("custody needs init, status or setup");
}
