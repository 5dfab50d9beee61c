/* SPDX-License-Identifier: GPL-3.0-or-later */
/* certs custody: enrol the station's TPM, and show which custody signs and whether the ledger is whole. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "certs/cli/cli.h"
#include "certs/custody.h"

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
	int a, rc;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--tpm") && a + 1 < argc)
			tcti = argv[++a];
		else if (!strcmp(argv[a], "--pcrs") && a + 1 < argc)
			pcrs = argv[++a];
		else if (argv[a][0] == '-' || path)
			return usage_error("custody init takes LEDGER --tpm TCTI [--pcrs LIST]");
		else
			path = argv[a];
	}
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
	int a, rc;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--tpm") && a + 1 < argc)
			o.tcti = argv[++a];
		else if (!strcmp(argv[a], "--pcrs") && a + 1 < argc)
			o.pcrs = argv[++a];
		else if (!strcmp(argv[a], "--demo-key-file"))
			o.demo_file = true;
		else if (argv[a][0] == '-' || path)
			return usage_error("custody setup takes LEDGER [--tpm TCTI] [--pcrs LIST]"
					   " [--demo-key-file]");
		else
			path = argv[a];
	}
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
	int a, rc;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--custody") && a + 1 < argc)
			spec = argv[++a];
		else if (argv[a][0] == '-' || path)
			return usage_error("custody status takes LEDGER [--custody SPEC]");
		else
			path = argv[a];
	}
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
	printf("custody: %s\nfingerprint: %s\n", desc, cert_custody_fingerprint(c));
	rc = certs_custody_check_ledger(l, c, &chk, err, sizeof(err));
	if (rc < 0) {
		rc = fail("%s", err);
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
	if (argc >= 2 && !strcmp(argv[1], "init"))
		return custody_init(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "status"))
		return custody_status(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "setup"))
		return custody_setup(argc - 1, argv + 1);
	return usage_error("custody needs init, status or setup");
}
