/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Crash safety: a child appends records as fast as it can and reports each
 * acknowledged append on a pipe; the parent SIGKILLs it at a random moment.
 * After every kill the ledger must verify and hold every acknowledged record.
 * Runs for about CRASH_SECONDS (environment TABULA_CRASH_SECONDS overrides).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/wait.h>
#include <time.h>

#include <cmocka.h>

#include "certs/issue.h"
#include "certs/ledger.h"
#include "tests/unit/cert-fixture.h"

#define CRASH_SECONDS 15.0
#define ACKED_MAX 4096

/* Monotonic seconds. */
static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The child: append forever, acknowledging each success by its sequence number. */
static void child(const char *path, int fd, unsigned run)
{
	struct cert_record *r = fixture_record();
	struct cert_ledger *l;
	char err[256];
	uint64_t seq;

	if (cert_ledger_open(path, CERT_LEDGER_CREATE, &l, err, sizeof(err)))
		_exit(3);
	for (;;) {
		snprintf(r->serial, sizeof(r->serial), "RUN%u", run);
		if (cert_ledger_append(l, r, NULL))
			_exit(4);
		seq = r->seq;
		if (write(fd, &seq, sizeof(seq)) != sizeof(seq))
			_exit(5);
	}
}

static void test_sigkill_appends(void **state)
{
	char *dir = fixture_tmpdir(), path[512], err[256];
	const char *env = getenv("TABULA_CRASH_SECONDS"), *runs_env = getenv("TABULA_CRASH_RUNS");
	double limit = env ? atof(env) : CRASH_SECONDS, t0 = now();
	unsigned want_runs = runs_env ? (unsigned)strtoul(runs_env, NULL, 10) : 0;
	uint64_t max_acked = 0, seq, total_acked = 0;
	unsigned run = 0, mid_kills = 0;

	snprintf(path, sizeof(path), "%s/ledger.db", dir);
	srand((unsigned)time(NULL));
	/* TABULA_CRASH_RUNS=N: exactly N killed runs instead of a time limit. */
	while (want_runs ? run < want_runs : (now() - t0 < limit || run < 10)) {
		struct cert_ledger *l;
		struct cert_verify v;
		struct cert_entry e;
		int p[2], status, rc;
		uint64_t acked[ACKED_MAX];
		size_t nacked, i;
		char want[32];
		pid_t pid;

		assert_int_equal(pipe(p), 0);
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			close(p[0]);
			child(path, p[1], run);
		}
		close(p[1]);
		/* Kill at a random point: 0 to 40 ms in, anywhere inside an append. */
		usleep((useconds_t)(rand() % 40000));
		kill(pid, SIGKILL);
		assert_int_equal(waitpid(pid, &status, 0), pid);
		if (WIFSIGNALED(status))
			mid_kills++;
		else
			fail_msg("child exited with %d before the kill", WEXITSTATUS(status));
		nacked = 0;
		while (read(p[0], &seq, sizeof(seq)) == sizeof(seq)) {
			if (seq > max_acked)
				max_acked = seq;
			if (nacked < ACKED_MAX)
				acked[nacked++] = seq;
			total_acked++;
		}
		close(p[0]);
		/* Every acknowledged append is there, and the ledger verifies. */
		rc = cert_ledger_open(path, CERT_LEDGER_READONLY, &l, err, sizeof(err));
		if (rc == -ENOENT && max_acked == 0) {
			/* Killed before the ledger was first created: nothing was promised. */
			run++;
			continue;
		}
		if (rc)
			fail_msg("run %u: open: %s", run, err);
		if (cert_ledger_verify(l, 0, &v) != 0)
			fail_msg("run %u: ledger does not verify: record %llu: %s", run,
				 (unsigned long long)v.bad_seq, v.reason);
		assert_true(v.head_seq >= max_acked);
		/* Each record this run was told is durable is there, as this run wrote it. */
		snprintf(want, sizeof(want), "RUN%u", run);
		for (i = 0; i < nacked; i++) {
			if (cert_ledger_get(l, NULL, acked[i], &e) != 0)
				fail_msg("run %u: acknowledged record %llu is missing", run,
					 (unsigned long long)acked[i]);
			if (strcmp(e.serial, want) != 0)
				fail_msg("run %u: record %llu holds %s", run,
					 (unsigned long long)acked[i], e.serial);
			cert_entry_done(&e);
		}
		cert_ledger_close(l);
		run++;
	}
	print_message("%u runs, %u killed mid-run, %llu appends acknowledged, all present, ledger"
		      " verified after every run; head %llu; %.1f s\n", run, mid_kills,
		      (unsigned long long)total_acked, (unsigned long long)max_acked, now() - t0);
	assert_true(max_acked > 0);
	fixture_rmdir(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sigkill_appends),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
