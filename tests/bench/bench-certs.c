/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Benchmark: time to issue one certificate (append + sign + PDF), and to
 * verify a ledger of N records (default 100000). Targets: <= 50 ms, <= 2 s.
 * Usage: bench-certs [N] [DIR]   (DIR is kept when given)
 * With TABULA_BENCH_TCTI=swtpm:host=...,port=... (a TPM simulator you
 * started; never a real TPM) it also times issuing under TPM custody, one
 * unseal and one NV counter increment.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "certs/custody.h"
#include "certs/issue.h"
#include "certs/ledger.h"
#include "certs/pdf.h"
#include "tests/unit/cert-fixture.h"

/* Monotonic seconds. */
static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/*
 * What one Ed25519 verification costs in this OpenSSL, and so the least time
 * any verifier that checks every signature can take on this machine.
 */
static void sig_floor(unsigned long n)
{
	uint8_t hash[CERT_HASH_LEN] = { 1 }, sig[CERT_SIG_LEN];
	struct cert_key *k = NULL;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	double t0, each;
	int i, reps = 2000;

	if (cert_key_generate(&k) || cert_sign(k, hash, sig)) {
		cert_key_free(k);
		return;
	}
	t0 = now();
	for (i = 0; i < reps; i++)
		if (cert_verify_sig(k, hash, sig) != 0)
			break;
	each = (now() - t0) / reps;
	cert_key_free(k);
	if (ncpu < 1)
		ncpu = 1;
	printf("one Ed25519 verification: %.1f us; %lu of them on %ld core%s take at least %.2f s\n",
	       each * 1e6, n, ncpu, ncpu == 1 ? "" : "s", each * (double)n / (double)ncpu);
}

/* Sort doubles. */
static int dcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Issue under TPM custody at @tcti; unseal and NV increment alone. 0 or 1. */
static int bench_tpm(const char *dir, const char *tcti, const struct wiper_job_result *res,
		     struct cert_issue_opts o)
{
	char path[512], spec[600], fp[CERT_FP_HEX], no[64], err[768];
	struct cert_custody *c = NULL;
	double t0, t[40], unseal;
	uint64_t v;
	int i;

	snprintf(path, sizeof(path), "%s/tpm.db", dir);
	snprintf(spec, sizeof(spec), "tpm:%s", tcti);
	if (cert_custody_enrol_tpm(path, tcti, NULL, fp, err, sizeof(err))) {
		fprintf(stderr, "enrol: %s\n", err);
		return 1;
	}
	cert_custody_forget_keys();
	t0 = now();
	if (cert_custody_open(spec, path, 0, &c, err, sizeof(err))) {
		fprintf(stderr, "open: %s\n", err);
		return 1;
	}
	unseal = now() - t0;
	for (i = 0; i < 40; i++) {
		t0 = now();
		if (cert_custody_counter_advance(c, &v)) {
			fprintf(stderr, "advance: %s\n", cert_custody_error(c));
			cert_custody_free(c);
			return 1;
		}
		t[i] = now() - t0;
	}
	cert_custody_free(c);
	qsort(t, 40, sizeof(t[0]), dcmp);
	printf("TPM (%s): connect + unseal %.1f ms; NV increment + read back: median %.2f ms,"
	       " worst %.2f ms\n", tcti, unseal * 1e3, t[20] * 1e3, t[39] * 1e3);
	/* The counter ran ahead of the empty ledger: start that ledger afresh. */
	unlink(path);
	snprintf(spec, sizeof(spec), "%s/tpm.db.sealed", dir);
	unlink(spec);
	snprintf(spec, sizeof(spec), "%s/tpm.db.pub", dir);
	unlink(spec);
	snprintf(path, sizeof(path), "%s/tpm2.db", dir);
	if (cert_custody_enrol_tpm(path, tcti, NULL, fp, err, sizeof(err))) {
		fprintf(stderr, "enrol: %s\n", err);
		return 1;
	}
	snprintf(spec, sizeof(spec), "tpm:%s", tcti);
	o.custody = spec;
	for (i = 0; i < 21; i++) {
		t0 = now();
		if (certs_issue_opts(path, res, &fixture_people, &o, no, sizeof(no), err,
				     sizeof(err))) {
			fprintf(stderr, "issue (TPM): %s\n", err);
			return 1;
		}
		t[i] = now() - t0;
	}
	qsort(t + 1, 20, sizeof(t[0]), dcmp);
	printf("issue one certificate under TPM custody (append+sign+counter+PDF): first %.1f ms"
	       " (unseals), then median %.1f ms, worst %.1f ms of 20 (target <= 50 ms) %s\n",
	       t[0] * 1e3, t[11] * 1e3, t[20] * 1e3, t[20] <= 0.050 ? "OK" : "OVER");
	return 0;
}

/* qsort order for doubles. */
static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The PDF alone, without the ledger's durable append: median of 21 renderings of @no in @lang. */
static int bench_render(const char *path, const char *no, const char *lang)
{
	struct cert_ledger *l = NULL;
	struct cert_entry e = { 0 };
	struct cbuf out = { 0 };
	double t[21], t0;
	char err[512];
	int i, rc = 1;

	if (cert_ledger_open(path, 0, &l, err, sizeof(err)) || cert_ledger_get_cert(l, no, &e)) {
		fprintf(stderr, "render: cannot read %s from %s\n", no, path);
		goto out;
	}
	for (i = 0; i < 21; i++) {
		t0 = now();
		if (cert_pdf_render(&e, lang, &out, err, sizeof(err))) {
			fprintf(stderr, "render: %s\n", err);
			goto out;
		}
		t[i] = now() - t0;
	}
	qsort(t, 21, sizeof(t[0]), cmp_double);
	printf("render one certificate PDF in %s: median %.1f ms, worst %.1f ms, %zu bytes\n", lang,
	       t[10] * 1e3, t[20] * 1e3, out.len);
	rc = 0;
out:
	cbuf_done(&out);
	cert_entry_done(&e);
	cert_ledger_close(l);
	return rc;
}

int main(int argc, char **argv)
{
	unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000;
	char *dir = argc > 2 ? strdup(argv[2]) : fixture_tmpdir();
	struct wiper_job_result *res = fixture_job();
	struct cert_record *r = fixture_record();
	struct cert_issue_opts o = { .station_id = "BENCH" };
	struct cert_ledger *l = NULL;
	struct cert_verify v;
	char path[512], big[512], no[64], err[512];
	double t0, t1, worst;
	unsigned long i;
	int rc = 0, lang;

	snprintf(path, sizeof(path), "%s/issue.db", dir);
	snprintf(big, sizeof(big), "%s/big.db", dir);
	o.origin = &fixture_origin;
	/* zh loads the CJK face: the slowest certificate to make. */
	for (lang = 0; lang < 2; lang++) {
		double t[21];
		int m = 0;

		o.lang = lang ? "zh" : "en";
		for (i = 0; i < 21; i++) {
			t0 = now();
			if (certs_issue_opts(path, res, &fixture_people, &o, no, sizeof(no), err,
					     sizeof(err))) {
				fprintf(stderr, "issue: %s\n", err);
				rc = 1;
				goto done;
			}
			t1 = now() - t0;
			if (lang || i > 0)	/* the first one creates the key */
				t[m++] = t1;
		}
		qsort(t, (size_t)m, sizeof(t[0]), cmp_double);
		worst = t[m - 1];
		printf("issue one certificate in %s (append+sign+PDF): worst of %d %.1f ms, median %.1f ms"
		       "  (target <= 50 ms) %s\n", o.lang, m, worst * 1e3, t[m / 2] * 1e3,
		       worst <= 0.050 ? "OK" : "OVER");
		if (bench_render(path, no, o.lang)) {
			rc = 1;
			goto done;
		}
	}
	o.lang = NULL;
	if (getenv("TABULA_BENCH_TCTI") && bench_tpm(dir, getenv("TABULA_BENCH_TCTI"), res, o)) {
		rc = 1;
		goto done;
	}
	if (cert_ledger_open(big, CERT_LEDGER_CREATE, &l, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		rc = 1;
		goto done;
	}
	t0 = now();
	for (i = 0; i < n; i++) {
		r->end = 1795020000 + (int64_t)i;
		if (cert_ledger_append(l, r, NULL)) {
			fprintf(stderr, "%s\n", cert_ledger_error(l));
			rc = 1;
			goto done;
		}
	}
	printf("built a ledger of %lu records in %.1f s (%.2f ms per durable append)\n", n,
	       now() - t0, (now() - t0) * 1e3 / (double)n);
	sig_floor(n);
	t0 = now();
	rc = cert_ledger_verify(l, 0, &v);
	t1 = now() - t0;
	printf("verify %" PRIu64 " records (certs verify: every link, hash and chained signature,"
	       " head signature): %.2f s  (target <= 2 s) %s\n",
	       v.records, t1, rc ? "FAILED" : t1 <= 2.0 ? "OK" : "OVER");
	t0 = now();
	rc |= cert_ledger_verify(l, CERT_VERIFY_EVERY_SIG, &v);
	t1 = now() - t0;
	printf("verify %" PRIu64 " records, also each signature on its own (--every-signature):"
	       " %.2f s\n", v.records, t1);
	t0 = now();
	rc |= cert_ledger_verify(l, CERT_VERIFY_DEEP, &v);
	t1 = now() - t0;
	printf("verify %" PRIu64 " records, also strict decode of every record (--deep): %.2f s\n",
	       v.records, t1);
done:
	cert_ledger_close(l);
	cert_record_free(r);
	free(res);
	if (argc <= 2)
		fixture_rmdir(dir);
	free(dir);
	return rc ? 1 : 0;
}
