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

#include <errno.h>

#include "certs/conf.h"
#include "certs/issue.h"
#include "certs/journal.h"
#include "certs/ledger.h"
#include "certs/policy.h"
#include "certs/record.h"
#include "certs/validate.h"
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

/* People and origin for the 保密 rule tests. */
static void baomi_case(struct cert_people *who, struct cert_origin *o, const char *cls)
{
	memset(who, 0, sizeof(*who));
	memset(o, 0, sizeof(*o));
	snprintf(who->operator_.name, sizeof(who->operator_.name), "张三");
	snprintf(who->witness.name, sizeof(who->witness.name), "李四");
	snprintf(o->classification, sizeof(o->classification), "%s", cls);
}

/* Every level against every destination: which may be certified, by the one rule table. */
static void test_classified_destinations(void **state)
{
	static const struct {
		const char *cls;
		bool allowed[6];	/* in the order of enum cert_dest */
	} cases[] = {
		{ "", { true, true, true, true, true, true } },
		{ "公开", { true, true, true, true, true, true } },
		{ "internal", { true, true, true, true, true, true } },
		{ "秘密", { true, false, false, true, false, false } },
		{ "Secret", { true, false, false, true, false, false } },
		{ "机密", { true, false, false, true, false, false } },
		{ "highly-secret", { true, false, false, true, false, false } },
		{ "绝密", { false, false, false, true, false, false } },
		{ "Top Secret", { false, false, false, true, false, false } },
	};
	struct cert_people who;
	struct cert_origin o;
	char err[512];
	size_t i, d;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		for (d = 0; d < 6; d++) {
			int rc;

			baomi_case(&who, &o, cases[i].cls);
			err[0] = '\0';
			rc = cert_policy_check(NULL, &who, &o, CERT_KIND_ERASE, (enum cert_dest)d, err,
					       sizeof(err));
			if ((rc == 0) != cases[i].allowed[d])
				fail_msg("%s for %s: rc %d (%s)", cases[i].cls, cert_dest_str((enum cert_dest)d),
					 rc, err);
			if (rc)
				assert_non_null(strstr(err, "carrier"));
		}
	/* The rule is in the message. */
	baomi_case(&who, &o, "绝密");
	assert_int_equal(cert_policy_check(NULL, &who, &o, CERT_KIND_ERASE, CERT_DEST_EXTERNAL_REUSE,
					   err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "may only be destroyed"));
	assert_non_null(strstr(err, "external reuse"));
	/* A destruction record of a 绝密 carrier is what the rule asks for. */
	assert_int_equal(cert_policy_check(NULL, &who, &o, CERT_KIND_DESTROY, CERT_DEST_DESTRUCTION,
					   err, sizeof(err)), 0);
	/* A front end that words the rule itself learns which it was. */
	{
		enum cert_policy_rule rule;

		assert_int_equal(cert_policy_check_rule(NULL, &who, &o, CERT_KIND_ERASE,
							CERT_DEST_INTERNAL_REUSE, &rule, err,
							sizeof(err)), -EINVAL);
		assert_int_equal(rule, CERT_RULE_TOP);
		baomi_case(&who, &o, "机密");
		assert_int_equal(cert_policy_check_rule(NULL, &who, &o, CERT_KIND_ERASE,
							CERT_DEST_MANUFACTURER, &rule, err,
							sizeof(err)), -EINVAL);
		assert_int_equal(rule, CERT_RULE_CLASSIFIED);
		assert_int_equal(cert_policy_check_rule(NULL, &who, &o, CERT_KIND_ERASE,
							CERT_DEST_DESTRUCTION, &rule, err,
							sizeof(err)), 0);
		assert_int_equal(rule, CERT_RULE_NONE);
	}
	/* "Confidential" names no level: translations give it to 秘密 and 机密 alike. */
	baomi_case(&who, &o, "Confidential");
	assert_int_equal(cert_policy_check(NULL, &who, &o, CERT_KIND_ERASE, CERT_DEST_INTERNAL_REUSE,
					   err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "not a level"));
}

/* The classification is stored in one spelling, the level's Chinese name. */
static void test_class_normalise(void **state)
{
	struct cert_origin o = { 0 };
	char err[512];

	(void)state;
	snprintf(o.classification, sizeof(o.classification), "TOP-secret");
	assert_int_equal(cert_policy_class_normalise(NULL, &o, err, sizeof(err)), 0);
	assert_string_equal(o.classification, "绝密");
	assert_string_equal(cert_policy_class_en(NULL, "机密"), "Highly Secret");
	snprintf(o.classification, sizeof(o.classification), "restricted");
	assert_int_equal(cert_policy_class_normalise(NULL, &o, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "公开/Public"));
}

/* tabula.conf: its own levels, the approval rule, each person's details. */
static void test_conf_rules(void **state)
{
	char path[] = "/tmp/tabula-conf-XXXXXX", err[512];
	struct cert_conf *c = calloc(1, sizeof(*c));
	struct cert_people who;
	struct cert_origin o;
	FILE *f;
	int fd;

	(void)state;
	assert_non_null(c);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs("station = DESK-1\n"
	      "classification = 非密, Unclassified\n"
	      "classification = 商密, Commercial Secret, classified\n"
	      "classification = 核心, Core, destroy-only\n"
	      "require_approval = yes\n"
	      "operator = 张三, 技术员\n"
	      "unit = 信息中心\n"
	      "department = 保密办\n"
	      "phone = 010-5555 0101\n"
	      "witness = 李四, 保密员\n"
	      "location = 3号楼\n", f);
	fclose(f);
	cert_conf_init(c);
	if (cert_conf_load(path, c, err, sizeof(err)))
		fail_msg("load: %s", err);
	assert_int_equal(c->policy.nlevels, 3);
	baomi_case(&who, &o, "商密");
	/* Approval required: refused without approver, then without reference. */
	assert_int_equal(cert_policy_check(&c->policy, &who, &o, CERT_KIND_ERASE,
					   CERT_DEST_INTERNAL_REUSE, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "approver"));
	snprintf(who.approver.name, sizeof(who.approver.name), "赵六");
	assert_int_equal(cert_policy_check(&c->policy, &who, &o, CERT_KIND_ERASE,
					   CERT_DEST_INTERNAL_REUSE, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "approval reference"));
	snprintf(o.approval_ref, sizeof(o.approval_ref), "保审〔2026〕12号");
	assert_int_equal(cert_policy_check(&c->policy, &who, &o, CERT_KIND_ERASE,
					   CERT_DEST_INTERNAL_REUSE, err, sizeof(err)), 0);
	assert_int_equal(cert_policy_check(&c->policy, &who, &o, CERT_KIND_ERASE,
					   CERT_DEST_RECYCLING, err, sizeof(err)), -EINVAL);
	snprintf(o.classification, sizeof(o.classification), "core");
	assert_int_equal(cert_policy_check(&c->policy, &who, &o, CERT_KIND_ERASE,
					   CERT_DEST_INTERNAL_REUSE, err, sizeof(err)), -EINVAL);
	/* The built-in levels are replaced by the configuration's. */
	snprintf(o.classification, sizeof(o.classification), "秘密");
	assert_int_equal(cert_policy_check(&c->policy, &who, &o, CERT_KIND_ERASE,
					   CERT_DEST_INTERNAL_REUSE, err, sizeof(err)), -EINVAL);
	/* Each person's details, by name. */
	cert_conf_fill_person(c, &who.operator_);
	assert_string_equal(who.operator_.organization, "信息中心");
	assert_string_equal(who.operator_.department, "保密办");
	assert_string_equal(who.operator_.phone, "010-5555 0101");
	cert_conf_fill_person(c, &who.witness);
	assert_string_equal(who.witness.location, "3号楼");
	assert_string_equal(who.witness.organization, "");
	unlink(path);
	free(c);
}

/* A person may be operator or supervisor, not both; the two supervisors are two people. */
static void test_people_distinct(void **state)
{
	struct cert_people who;
	struct cert_origin o;
	char err[512];

	(void)state;
	baomi_case(&who, &o, "");
	snprintf(who.supervisor2.name, sizeof(who.supervisor2.name), " 张三 ");
	assert_int_equal(cert_people_check(&who, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "is the operator"));
	snprintf(who.supervisor2.name, sizeof(who.supervisor2.name), "李四");
	assert_int_equal(cert_people_check(&who, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "two supervisors are the same person"));
	snprintf(who.supervisor2.name, sizeof(who.supervisor2.name), "王五");
	assert_int_equal(cert_people_check(&who, err, sizeof(err)), 0);
}

/* Local time: the offset a record keeps, and the local day a register uses. */
static void test_local_time(void **state)
{
	char buf[48];
	int64_t t;

	(void)state;
	/* 2026-12-01T22:12:00Z is 06:12 on the 2nd in Beijing. */
	assert_string_equal(cert_time_local_str(1796163120, 28800, buf, sizeof(buf)),
			    "2026-12-02 06:12:00 UTC+08:00");
	assert_string_equal(cert_date_local_str(1796163120, 28800, buf, sizeof(buf)), "2026-12-02");
	assert_string_equal(cert_offset_str(-19800, buf, sizeof(buf)), "UTC-05:30");
	setenv("TZ", "Asia/Shanghai", 1);
	tzset();
	assert_int_equal(cert_utc_offset(1796163120), 28800);
	assert_int_equal(cert_local_day_start("2026-12-02", 0, &t), 0);
	assert_int_equal(t, 1796169600 - 28800);
	assert_int_equal(cert_local_day_start("2026-12-02", 1, &t), 0);
	assert_int_equal(t, 1796256000 - 28800);
	unsetenv("TZ");
	tzset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classified_destinations),
		cmocka_unit_test(test_class_normalise),
		cmocka_unit_test(test_conf_rules),
		cmocka_unit_test(test_people_distinct),
		cmocka_unit_test(test_local_time),
		cmocka_unit_test(test_failed_never_reused),
		cmocka_unit_test(test_passed_keeps_destination),
		cmocka_unit_test(test_noted_job_not_reused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
