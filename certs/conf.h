/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The record settings of the station's configuration file (tabula.conf),
 * shared by every front end: the station reads the whole file and hands
 * these keys here; `wiper erase --config` and `certs destroy --config` read
 * only these. One setting a line, '#' starts a comment:
 *
 *   classification = 秘密, Secret, classified
 *       a level: Chinese name, English name, and "classified" (internal
 *       reuse or destruction only) or "destroy-only" (destruction only);
 *       the first such line replaces the built-in list (certs/policy.h)
 *   require_approval = yes     approver and approval reference on every record
 *   timezone = Asia/Shanghai   the station's time zone for every time a
 *                              person reads (else the system's, $TZ)
 *   unit = 信息中心            the unit (单位), department (部门),
 *   department = 保密办         location and phone of the person named on
 *   location = 3号楼 201       the nearest line above (operator, witness,
 *   phone = 010-5555 0101      supervisor, approver or person)
 */
#ifndef CERTS_CONF_H
#define CERTS_CONF_H

#include <stdbool.h>
#include <stddef.h>

#include "certs/policy.h"
#include "certs/record.h"

#define CERT_CONF_PEOPLE 64

/* A person's details from the configuration. */
struct cert_conf_person {
	char name[CERT_STR];
	char organization[CERT_STR];
	char department[CERT_STR];
	char location[CERT_STR];
	char phone[64];
};

struct cert_conf {
	struct cert_policy_conf policy;
	char timezone[64];
	char station[64];	/* station = (cert_conf_load() only): the name in certificate numbers */
	struct cert_conf_person people[CERT_CONF_PEOPLE];
	size_t npeople;
	int current;		/* the person the detail keys apply to; -1: none yet */
};

/* The defaults: built-in levels, no approval required, the system's time zone. */
void cert_conf_init(struct cert_conf *c);

/*
 * A line of the configuration names person "Name[, Role]" @val: the detail
 * keys that follow are theirs. 0, -EINVAL (no name) or -E2BIG (too many).
 */
int cert_conf_person(struct cert_conf *c, const char *val);

/*
 * One setting @key = @val. 1 when it is a record setting (applied), 0 when
 * it is not one (the caller's), -EINVAL with the reason in @err when its
 * value is bad.
 */
int cert_conf_setting(struct cert_conf *c, const char *key, const char *val, char *err,
		      size_t errlen);

/*
 * Read the record settings, the person lines and the station name of file
 * @path; other keys are the station's and skipped. 0, or -errno with "path:line: reason" in @err.
 */
int cert_conf_load(const char *path, struct cert_conf *c, char *err, size_t errlen);

/* Fill the empty details of @p from the configuration's person of that name. */
void cert_conf_fill_person(const struct cert_conf *c, struct cert_person *p);

/*
 * Make @c's time zone the process's ($TZ), so every local time shown is the
 * station's. Nothing when it names none. 0, or -EINVAL (no such zone).
 */
int cert_conf_apply_timezone(const struct cert_conf *c, char *err, size_t errlen);

#endif
