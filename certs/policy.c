/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The record policy: what a result may be certified for, and the 保密 rules. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "certs/policy.h"

bool cert_policy_dest_is_reuse(enum cert_dest d)
{
	return d == CERT_DEST_INTERNAL_REUSE || d == CERT_DEST_EXTERNAL_REUSE ||
	       d == CERT_DEST_MANUFACTURER || d == CERT_DEST_OTHER;
}

enum cert_dest cert_policy_destination(enum cert_result result, enum cert_dest planned,
				       char *details, size_t len)
{
	if (result == CERT_PASSED || result == CERT_DESTROYED || !cert_policy_dest_is_reuse(planned))
		return planned;
	/* Not sanitized: it may not leave for reuse, whatever was planned. */
	snprintf(details, len, "planned %s; not sanitized, so destruction", cert_dest_str(planned));
	return CERT_DEST_DESTRUCTION;
}

void cert_policy_apply(struct cert_record *r)
{
	char planned[sizeof(r->destination_details)];
	enum cert_dest d = cert_policy_destination(r->result, r->destination, planned, sizeof(planned));

	if (d != r->destination) {
		r->destination = d;
		memcpy(r->destination_details, planned, sizeof(planned));
	}
}

/* ---- classification ---- */

static const struct cert_class_level builtin_levels[] = {
	{ "公开", "Public", CERT_CLASS_OPEN },
	{ "内部", "Internal", CERT_CLASS_OPEN },
	{ "秘密", "Secret", CERT_CLASS_CLASSIFIED },
	{ "机密", "Highly Secret", CERT_CLASS_CLASSIFIED },
	{ "绝密", "Top Secret", CERT_CLASS_TOP },
};

void cert_policy_conf_defaults(struct cert_policy_conf *c)
{
	size_t i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < sizeof(builtin_levels) / sizeof(builtin_levels[0]); i++)
		c->levels[i] = builtin_levels[i];
	c->nlevels = i;
}

/* The defaults, for a caller that gave no settings. */
static const struct cert_policy_conf *conf_or_defaults(const struct cert_policy_conf *c)
{
	static struct cert_policy_conf defaults;
	static bool made;

	if (c)
		return c;
	if (!made) {
		/* Constant once made; a race only makes it twice. */
		cert_policy_conf_defaults(&defaults);
		made = true;
	}
	return &defaults;
}

/* Do @a and @b name the same English word, ignoring case, ' ', '-' and '_'? */
static bool en_equal(const char *a, const char *b)
{
	for (;;) {
		while (*a == ' ' || *a == '-' || *a == '_')
			a++;
		while (*b == ' ' || *b == '-' || *b == '_')
			b++;
		if (!*a || !*b)
			return !*a && !*b;
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return false;
		a++;
		b++;
	}
}

const struct cert_class_level *cert_policy_class_find(const struct cert_policy_conf *c,
						      const char *name)
{
	size_t i;

	c = conf_or_defaults(c);
	if (!name || !name[0])
		return NULL;
	for (i = 0; i < c->nlevels; i++)
		if (!strcmp(c->levels[i].zh, name) ||
		    (c->levels[i].en[0] && en_equal(c->levels[i].en, name)))
			return &c->levels[i];
	return NULL;
}

const char *cert_policy_class_en(const struct cert_policy_conf *c, const char *zh)
{
	const struct cert_class_level *l = cert_policy_class_find(c, zh);

	return l && l->en[0] ? l->en : zh;
}

void cert_policy_class_list(const struct cert_policy_conf *c, char *buf, size_t len)
{
	size_t i, o = 0;
	int n;

	c = conf_or_defaults(c);
	if (len)
		buf[0] = '\0';
	for (i = 0; i < c->nlevels && o < len; i++) {
		n = snprintf(buf + o, len - o, "%s%s%s%s", i ? ", " : "", c->levels[i].zh,
			     c->levels[i].en[0] ? "/" : "", c->levels[i].en);
		if (n < 0 || (size_t)n >= len - o)
			break;
		o += (size_t)n;
	}
}

int cert_policy_class_normalise(const struct cert_policy_conf *c, struct cert_origin *o,
				char *err, size_t errlen)
{
	const struct cert_class_level *l;
	char list[512];

	if (!o || !o->classification[0])
		return 0;
	l = cert_policy_class_find(c, o->classification);
	if (!l) {
		cert_policy_class_list(c, list, sizeof(list));
		snprintf(err, errlen, "classification \"%s\" is not a level of this station: one of %s",
			 o->classification, list);
		return -EINVAL;
	}
	snprintf(o->classification, sizeof(o->classification), "%s", l->zh);
	return 0;
}

/* The destination as the command line spells it. */
static const char *dest_words(enum cert_dest d)
{
	switch (d) {
	case CERT_DEST_INTERNAL_REUSE: return "internal reuse";
	case CERT_DEST_EXTERNAL_REUSE: return "external reuse";
	case CERT_DEST_RECYCLING: return "recycling";
	case CERT_DEST_DESTRUCTION: return "destruction";
	case CERT_DEST_MANUFACTURER: return "return to the manufacturer";
	default: return "\"other\"";
	}
}

int cert_policy_check(const struct cert_policy_conf *c, const struct cert_people *who,
		      const struct cert_origin *o, enum cert_kind kind, enum cert_dest d,
		      char *err, size_t errlen)
{
	enum cert_policy_rule rule;

	return cert_policy_check_rule(c, who, o, kind, d, &rule, err, errlen);
}

int cert_policy_check_rule(const struct cert_policy_conf *c, const struct cert_people *who,
			   const struct cert_origin *o, enum cert_kind kind, enum cert_dest d,
			   enum cert_policy_rule *rule, char *err, size_t errlen)
{
	const struct cert_class_level *l = NULL;
	char list[512];

	*rule = CERT_RULE_NONE;

	c = conf_or_defaults(c);
	if (o && o->classification[0]) {
		l = cert_policy_class_find(c, o->classification);
		if (!l) {
			cert_policy_class_list(c, list, sizeof(list));
			snprintf(err, errlen, "classification \"%s\" is not a level of this station:"
				 " one of %s", o->classification, list);
			*rule = CERT_RULE_UNKNOWN_LEVEL;
			return -EINVAL;
		}
	}
	if (l && l->rule == CERT_CLASS_TOP && kind != CERT_KIND_DESTROY && d != CERT_DEST_DESTRUCTION) {
		snprintf(err, errlen, "a %s (%s) carrier may only be destroyed, not certified for %s:"
			 " give the destination destruction (an erase may precede it)", l->zh,
			 l->en[0] ? l->en : l->zh, dest_words(d));
		*rule = CERT_RULE_TOP;
		return -EINVAL;
	}
	if (l && l->rule != CERT_CLASS_OPEN && d != CERT_DEST_INTERNAL_REUSE &&
	    d != CERT_DEST_DESTRUCTION) {
		snprintf(err, errlen, "a classified carrier (%s, %s) is never certified for %s: only"
			 " internal reuse at its classification or destruction", l->zh,
			 l->en[0] ? l->en : l->zh, dest_words(d));
		*rule = CERT_RULE_CLASSIFIED;
		return -EINVAL;
	}
	if (c->require_approval) {
		if (!who || !who->approver.name[0]) {
			snprintf(err, errlen, "this station requires an approver (审批人) on every record:"
				 " give the approver's name");
			*rule = CERT_RULE_APPROVER;
			return -EINVAL;
		}
		if (!o || !o->approval_ref[0]) {
			snprintf(err, errlen, "this station requires the approval reference (审批单号) on"
				 " every record: give it");
			*rule = CERT_RULE_APPROVAL_REF;
			return -EINVAL;
		}
	}
	return 0;
}
