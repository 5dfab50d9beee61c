/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The record settings of tabula.conf (certs/conf.h). */
#include "config.h"

#include "certs/conf.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "certs/validate.h"
#include "wiper/base/base.h"

void cert_conf_init(struct cert_conf *c)
{
	memset(c, 0, sizeof(*c));
	cert_policy_conf_defaults(&c->policy);
	c->current = -1;
}

int cert_conf_person(struct cert_conf *c, const char *val)
{
	char name[CERT_STR], key[CERT_STR], have[CERT_STR];
	const char *comma = strchr(val, ',');
	size_t n = comma ? (size_t)(comma - val) : strlen(val), i;

	if (n >= sizeof(name))
		return -EINVAL;
	memcpy(name, val, n);
	name[n] = '\0';
	cert_name_normalise(name, key, sizeof(key));
	if (!key[0])
		return -EINVAL;
	for (i = 0; i < c->npeople; i++) {
		cert_name_normalise(c->people[i].name, have, sizeof(have));
		if (!strcmp(have, key)) {
			c->current = (int)i;
			return 0;
		}
	}
	if (c->npeople >= CERT_CONF_PEOPLE)
		return -E2BIG;
	memset(&c->people[c->npeople], 0, sizeof(c->people[0]));
	base_copy(c->people[c->npeople].name, sizeof(c->people[0].name), base_trim(name));
	c->current = (int)c->npeople++;
	return 0;
}

/* Is @val a yes? */
static bool yes(const char *val)
{
	return !strcasecmp(val, "yes") || !strcasecmp(val, "true") || !strcmp(val, "1");
}

/* "ZH, EN[, classified|destroy-only]" as a level. */
static int class_line(struct cert_conf *c, const char *val, char *err, size_t errlen)
{
	struct cert_class_level *l;
	char buf[3 * CERT_CLASS_NAME], *part[3] = { NULL, NULL, NULL }, *save = NULL, *t;
	int n = 0;

	if (!c->policy.levels_from_conf) {
		c->policy.nlevels = 0;
		c->policy.levels_from_conf = true;
	}
	if (!base_copy(buf, sizeof(buf), val))
		goto bad;
	for (t = strtok_r(buf, ",", &save); t && n < 3; t = strtok_r(NULL, ",", &save))
		part[n++] = base_trim(t);
	if (t || !part[0] || !part[0][0])
		goto bad;
	if (c->policy.nlevels >= CERT_CLASS_MAX) {
		snprintf(err, errlen, "more than %d classification levels", CERT_CLASS_MAX);
		return -EINVAL;
	}
	l = &c->policy.levels[c->policy.nlevels];
	memset(l, 0, sizeof(*l));
	if (!base_copy(l->zh, sizeof(l->zh), part[0]) || (part[1] && !base_copy(l->en, sizeof(l->en), part[1])))
		goto bad;
	if (!part[2] || !part[2][0] || !strcasecmp(part[2], "open"))
		l->rule = CERT_CLASS_OPEN;
	else if (!strcasecmp(part[2], "classified"))
		l->rule = CERT_CLASS_CLASSIFIED;
	else if (!strcasecmp(part[2], "destroy-only"))
		l->rule = CERT_CLASS_TOP;
	else
		goto bad;
	if (cert_text_check(l->zh, CERT_CLASS_NAME - 1, true, "classification", err, errlen) ||
	    cert_text_check(l->en, CERT_CLASS_NAME - 1, false, "classification", err, errlen))
		return -EINVAL;
	c->policy.nlevels++;
	return 1;
bad:
	snprintf(err, errlen, "classification: expected 'NAME, ENGLISH NAME[, open|classified|"
		 "destroy-only]'");
	return -EINVAL;
}

/* Is @tz a time zone of the system's database (or a POSIX TZ rule like "CST-8")? */
static bool zone_exists(const char *tz)
{
	char path[4096];
	struct stat st;
	int n;

	if (!tz[0] || strstr(tz, "..") || tz[0] == '/')
		return false;
	if (strpbrk(tz, "0123456789") && !strchr(tz, '/'))
		return true;	/* a POSIX rule, e.g. "CST-8" */
	n = snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", tz);
	return n > 0 && (size_t)n < sizeof(path) && stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int cert_conf_setting(struct cert_conf *c, const char *key, const char *val, char *err,
		      size_t errlen)
{
	struct cert_conf_person *p;
	char *dst;
	size_t len;

	if (!strcmp(key, "classification"))
		return class_line(c, val, err, errlen);
	if (!strcmp(key, "require_approval")) {
		c->policy.require_approval = yes(val);
		return 1;
	}
	if (!strcmp(key, "timezone")) {
		if (!zone_exists(val) || !base_copy(c->timezone, sizeof(c->timezone), val)) {
			snprintf(err, errlen, "timezone: no time zone '%s' (e.g. Asia/Shanghai)", val);
			return -EINVAL;
		}
		return 1;
	}
	if (strcmp(key, "unit") && strcmp(key, "department") && strcmp(key, "location") &&
	    strcmp(key, "phone"))
		return 0;
	if (c->current < 0) {
		snprintf(err, errlen, "%s: name the person first (a person, operator or witness line"
			 " above it)", key);
		return -EINVAL;
	}
	p = &c->people[c->current];
	if (!strcmp(key, "unit"))
		dst = p->organization, len = sizeof(p->organization);
	else if (!strcmp(key, "department"))
		dst = p->department, len = sizeof(p->department);
	else if (!strcmp(key, "location"))
		dst = p->location, len = sizeof(p->location);
	else
		dst = p->phone, len = sizeof(p->phone);
	if (cert_text_check(val, cert_field_limit(len), false, key, err, errlen))
		return -EINVAL;
	base_copy(dst, len, val);
	return 1;
}

/* Does line key @key name a person? */
static bool person_key(const char *key)
{
	return !strcmp(key, "person") || !strcmp(key, "operator") || !strcmp(key, "witness") ||
	       !strcmp(key, "supervisor") || !strcmp(key, "approver");
}

int cert_conf_load(const char *path, struct cert_conf *c, char *err, size_t errlen)
{
	char line[1024], why[256];
	unsigned lineno = 0;
	FILE *f = fopen(path, "re");
	int rc = 0;

	if (!f) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return rc;
	}
	while (fgets(line, sizeof(line), f)) {
		char *key, *val, *eq, *hash;

		lineno++;
		if ((hash = strchr(line, '#')))
			*hash = '\0';
		key = base_trim(line);
		if (!*key)
			continue;
		if (!(eq = strchr(key, '='))) {
			snprintf(err, errlen, "%s:%u: expected 'key = value'", path, lineno);
			rc = -EINVAL;
			break;
		}
		*eq = '\0';
		val = base_trim(eq + 1);
		key = base_trim(key);
		if (person_key(key)) {
			if ((rc = cert_conf_person(c, val)) < 0) {
				snprintf(err, errlen, "%s:%u: bad value for '%s'", path, lineno, key);
				break;
			}
			continue;
		}
		/* The station's name, which every front end numbers certificates with. */
		if (!strcmp(key, "station")) {
			snprintf(c->station, sizeof(c->station), "%s", val);
			continue;
		}
		if ((rc = cert_conf_setting(c, key, val, why, sizeof(why))) < 0) {
			snprintf(err, errlen, "%s:%u: %s", path, lineno, why);
			break;
		}
		rc = 0;
	}
	fclose(f);
	return rc;
}

void cert_conf_fill_person(const struct cert_conf *c, struct cert_person *p)
{
	char a[CERT_STR], b[CERT_STR];
	size_t i;

	if (!c || !p->name[0])
		return;
	cert_name_normalise(p->name, a, sizeof(a));
	for (i = 0; i < c->npeople; i++) {
		const struct cert_conf_person *q = &c->people[i];

		cert_name_normalise(q->name, b, sizeof(b));
		if (strcmp(a, b))
			continue;
		if (!p->organization[0])
			base_copy(p->organization, sizeof(p->organization), q->organization);
		if (!p->department[0])
			base_copy(p->department, sizeof(p->department), q->department);
		if (!p->location[0])
			base_copy(p->location, sizeof(p->location), q->location);
		if (!p->phone[0])
			base_copy(p->phone, sizeof(p->phone), q->phone);
		return;
	}
}

int cert_conf_apply_timezone(const struct cert_conf *c, char *err, size_t errlen)
{
	if (!c->timezone[0])
		return 0;
	if (!zone_exists(c->timezone)) {
		snprintf(err, errlen, "timezone: no time zone '%s'", c->timezone);
		return -EINVAL;
	}
	if (setenv("TZ", c->timezone, 1) < 0) {
		snprintf(err, errlen, "timezone: %s", strerror(errno));
		return -errno;
	}
	tzset();
	return 0;
}
