/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The record policy: what a job's outcome allows its certificate to say
 * about where the medium goes next. Applied where a job result becomes a
 * record to be issued or noted (certs_build_record(), certs_job_begin()), so
 * every front end gets the same answer.
 */
#ifndef CERTS_POLICY_H
#define CERTS_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "certs/record.h"

/* The rules a record is held to: where a result may go, and the 保密 office's rules. */

/* Is @d a destination where the medium is used again (or leaves our hands) readable? */
bool cert_policy_dest_is_reuse(enum cert_dest d);

/*
 * The destination a record with result @result may carry when @planned was
 * asked for. A medium that did not pass is never certified for reuse: the
 * answer is then CERT_DEST_DESTRUCTION, and @details (at least 128 bytes)
 * names the planned destination ("planned internal-reuse; not sanitized, so
 * destruction"); otherwise @planned, and @details is left alone.
 */
enum cert_dest cert_policy_destination(enum cert_result result, enum cert_dest planned,
				       char *details, size_t len);

/* Apply cert_policy_destination() to @r as it stands (its result and destination). */
void cert_policy_apply(struct cert_record *r);

/* ---- classification (密级) and the 保密 rules ---- */

#define CERT_CLASS_MAX 16
#define CERT_CLASS_NAME 64

/* What a level allows. */
enum cert_class_rule {
	CERT_CLASS_OPEN,	/* any destination */
	CERT_CLASS_CLASSIFIED,	/* internal reuse or destruction only */
	CERT_CLASS_TOP,		/* destruction only (an erase may precede it) */
};

/* One classification level, by its Chinese and its English name. */
struct cert_class_level {
	char zh[CERT_CLASS_NAME];
	char en[CERT_CLASS_NAME];
	enum cert_class_rule rule;
};

/*
 * The record settings of the station's configuration (tabula.conf; parsed
 * by certs/conf.h). cert_policy_conf_defaults() gives the built-in levels,
 * with the English names of the state-secret law's usual translation:
 *   公开 Public, 内部 Internal (open),
 *   秘密 Secret, 机密 Highly Secret (classified),
 *   绝密 Top Secret (destruction only).
 * "Confidential" is not used: translations give it to 秘密 and to 机密 alike.
 */
struct cert_policy_conf {
	struct cert_class_level levels[CERT_CLASS_MAX];
	size_t nlevels;
	bool levels_from_conf;	/* the configuration named its own list */
	bool require_approval;	/* approver and approval reference on every record */
};

void cert_policy_conf_defaults(struct cert_policy_conf *c);

/*
 * The level called @name in @c: its Chinese name exactly, or its English
 * name with case and ' '/'-'/'_' ignored ("top-secret", "Top Secret").
 * NULL when none.
 */
const struct cert_class_level *cert_policy_class_find(const struct cert_policy_conf *c,
						      const char *name);

/* The English name of the level whose Chinese name is @zh in @c, else @zh itself. */
const char *cert_policy_class_en(const struct cert_policy_conf *c, const char *zh);

/* The levels' names, "公开/Public, 内部/Internal, ..." into @buf (for messages). */
void cert_policy_class_list(const struct cert_policy_conf *c, char *buf, size_t len);

/*
 * Put the classification @o names in its one spelling, the level's Chinese
 * name ("top-secret" becomes "绝密"); "" stays "". 0, or -EINVAL with the
 * levels listed in @err when @o names no level of @c.
 */
int cert_policy_class_normalise(const struct cert_policy_conf *c, struct cert_origin *o,
				char *err, size_t errlen);

/*
 * The 保密 rules, checked before any medium is touched and again when the
 * record is built, for a record of kind @kind planned for destination @d:
 *   - the classification is one of @c's levels (or empty);
 *   - a classified carrier (秘密, 机密, and any level the configuration marks
 *     classified) is certified for internal reuse or destruction only: never
 *     external reuse, recycling, return to the manufacturer or "other";
 *   - a top-secret carrier (绝密) only for destruction;
 *   - with require_approval, the approver's name and the approval reference
 *     are given.
 * @c NULL: the defaults. 0, or -EINVAL with the rule in @err (one line).
 */
int cert_policy_check(const struct cert_policy_conf *c, const struct cert_people *who,
		      const struct cert_origin *o, enum cert_kind kind, enum cert_dest d,
		      char *err, size_t errlen);

/* Which rule cert_policy_check_rule() refused by, for a front end that words it itself. */
enum cert_policy_rule {
	CERT_RULE_NONE,
	CERT_RULE_UNKNOWN_LEVEL,	/* the classification names no level */
	CERT_RULE_CLASSIFIED,		/* classified: internal reuse or destruction only */
	CERT_RULE_TOP,			/* top secret: destruction only */
	CERT_RULE_APPROVER,		/* the approver is required */
	CERT_RULE_APPROVAL_REF,		/* the approval reference is required */
};

/* cert_policy_check(), naming the rule in *@rule (CERT_RULE_NONE when it holds). */
int cert_policy_check_rule(const struct cert_policy_conf *c, const struct cert_people *who,
			   const struct cert_origin *o, enum cert_kind kind, enum cert_dest d,
			   enum cert_policy_rule *rule, char *err, size_t errlen);

#endif
