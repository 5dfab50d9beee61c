/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The record policy (certs/policy.h), where a job result becomes a record:
 * a medium that did not pass is never certified for reuse, whichever front
 * end issued it.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include <cmocka.h>

#include "certs/issue.h"
#include "certs/journal.h"
#include "certs/ledger.h"
#include "certs/policy.h"
#include "certs/record.h"
#include "wiper/job.h"

/* The record certs_build_record() makes of a result with @outcome for @dest. */
static struct cert_record *record_for(enum wiper_outcome outcome, enum cert_dest dest)
{
	struct wiper_job_result *res = calloc(1, sizeof(*res));
	struct cert_issue_opts o = { .destination = dest };
	struct cert_people who = { 0 };
	struct cert_record *r;
	char err[256];

	assert_non_null(res);
	snprintf(who.operator_.name, sizeof(who.operator_.name), "Ann Example");
	snprintf(who.witness.name, sizeof(who.witness.name), "Bob Example");
	snprintf(res->node, sizeof(res->node), "/dev/loop9");
	snprintf(res->serial, sizeof(res->serial), "SER-1");
	snprintf(res->method, sizeof(res->method), "zero");
	snprintf(res->label, sizeof(res->label), "Clear");
	res->size_bytes = 1 << 20;
	res->logical_block = 512;
	res->physical_block = 4096;
	res->start = 1780000000;
	res->end = 1780000010;
	res->outcome = outcome;
	if (outcome != WIPER_PASSED)
		snprintf(res->reason, sizeof(res->reason), "1 block read back wrong");
	r = certs_build_record(res, &who, &o, err, sizeof(err));
	if (r == NULL)
		fail_msg("not built: %s", err);
	free(res);
	return r;
}

static void test_failed_never_reused(void **state)
{
	static const enum cert_dest reuse[] = { CERT_DEST_INTERNAL_REUSE, CERT_DEST_EXTERNAL_REUSE,
						CERT_DEST_MANUFACTURER, CERT_DEST_OTHER };
	static const enum wiper_outcome bad[] = { WIPER_FAILED, WIPER_INCOMPLETE };
	size_t i, k;

	(void)state;
	for (k = 0; k < 2; k++)
		for (i = 0; i < sizeof(reuse) / sizeof(reuse[0]); i++) {
			struct cert_record *r = record_for(bad[k], reuse[i]);

			assert_int_equal(r->destination, CERT_DEST_DESTRUCTION);
			assert_non_null(strstr(r->destination_details, cert_dest_str(reuse[i])));
			assert_non_null(strstr(r->destination_details, "not sanitized"));
			cert_record_free(r);
		}
}

static void test_passed_keeps_destination(void **state)
{
	struct cert_record *r = record_for(WIPER_PASSED, CERT_DEST_INTERNAL_REUSE);

	(void)state;
	assert_int_equal(r->destination, CERT_DEST_INTERNAL_REUSE);
	assert_string_equal(r->destination_details, "");
	cert_record_free(r);
	/* Recycling and destruction are not reuse: a FAILED medium may still go there. */
	r = record_for(WIPER_FAILED, CERT_DEST_RECYCLING);
	assert_int_equal(r->destination, CERT_DEST_RECYCLING);
	cert_record_free(r);
}

/* The open job noted before the first write reads as it would if the run died: not for reuse. */
static int check_job(const struct cert_open_job *j, void *arg)
{
	struct cert_record *r = cert_record_new();
	char err[256];

	(void)arg;
	assert_int_equal(cert_record_decode(j->record, j->record_len, r, err, sizeof(err)), 0);
	assert_int_equal(r->result, CERT_INCOMPLETE);
	assert_int_equal(r->destination, CERT_DEST_DESTRUCTION);
	assert_non_null(strstr(r->destination_details, "internal_reuse"));
	cert_record_free(r);
	return 1;
}

static void test_noted_job_not_reused(void **state)
{
	struct wiper_job_result *res = calloc(1, sizeof(*res));
	struct cert_people who = { 0 };
	struct cert_issue_opts o = { .destination = CERT_DEST_INTERNAL_REUSE };
	struct cert_ledger *l = NULL;
	char dir[] = "/tmp/tabula-policy-XXXXXX", path[128], err[256], cmd[160];
	int64_t id = 0;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/ledger.db", dir);
	snprintf(res->node, sizeof(res->node), "/dev/loop9");
	snprintf(res->serial, sizeof(res->serial), "SER-2");
	snprintf(res->method, sizeof(res->method), "zero");
	res->size_bytes = 1 << 20;
	res->logical_block = 512;
	snprintf(who.operator_.name, sizeof(who.operator_.name), "Ann Example");
	snprintf(who.witness.name, sizeof(who.witness.name), "Bob Example");
	/* A result not yet run: its outcome field still reads PASSED (zero). */
	assert_int_equal(certs_job_begin(path, res, &who, &o, &id, err, sizeof(err)), 0);
	assert_true(id != 0);
	assert_int_equal(cert_ledger_open(path, CERT_LEDGER_READONLY, &l, err, sizeof(err)), 0);
	assert_int_equal(cert_ledger_each_job(l, check_job, NULL), 1);
	cert_ledger_close(l);
	free(res);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_failed_never_reused),
		cmocka_unit_test(test_passed_keeps_destination),
		cmocka_unit_test(test_noted_job_not_reused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
