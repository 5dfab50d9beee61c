/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Benchmark: time to issue one certificate (append + sign + PDF), and to
 * verify a ledger of N records (default 100000). Targets: <= 50 ms, <= 2 s.
 * Usage: bench-certs [N] [DIR]   (DIR is kept when given)
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "certs/issue.h"
#include "certs/ledger.h"
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
	double t0, t1, worst = 0;
	unsigned long i;
	int rc = 0;

	snprintf(path, sizeof(path), "%s/issue.db", dir);
	snprintf(big, sizeof(big), "%s/big.db", dir);
	o.origin = &fixture_origin;
	for (i = 0; i < 21; i++) {
		t0 = now();
		if (certs_issue_opts(path, res, &fixture_people, &o, no, sizeof(no), err, sizeof(err))) {
			fprintf(stderr, "issue: %s\n", err);
			rc = 1;
			goto done;
		}
		t1 = now() - t0;
		if (i > 0 && t1 > worst)	/* the first one creates the key */
			worst = t1;
	}
	printf("issue one certificate (append+sign+PDF): worst of 20 %.1f ms  (target <= 50 ms) %s\n",
	       worst * 1e3, worst <= 0.050 ? "OK" : "OVER");
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
