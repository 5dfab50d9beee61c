/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The station's configuration file, one setting a line:
 *   station = DESK-1
 *   ledger = /srv/records/ledger.db
 *   records = /srv/records
 *   lang = zh
 *   require_witness = yes
 *   allow_ram_ledger = yes   (tabula --records-required: certify without the records medium)
 *   operator = Ann Example, Technician
 *   witness = Bob Example, Records officer
 *   person = Cy Example, Technician        (may operate and witness)
 *   supervisor = Di Example, Officer       (as witness: may supervise, 监销人)
 *   approver = Ed Example, Director        (may approve, 审批人)
 *   supervisors = 2                        (the session names a second supervisor)
 * and the record settings of certs/conf.h (classification, require_approval,
 * timezone, and unit/department/location/phone of the person above).
 * '#' starts a comment.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "certs/validate.h"
#include "wiper/base/base.h"
#include "ui-ncurses/station/station.h"

void ui_config_defaults(struct ui_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	if (gethostname(cfg->station, sizeof(cfg->station)) != 0 || !cfg->station[0])
		base_copy(cfg->station, sizeof(cfg->station), "TABULA");
	cfg->station[sizeof(cfg->station) - 1] = '\0';
	base_copy(cfg->ledger, sizeof(cfg->ledger), "/var/lib/tabula/ledger.db");
	base_copy(cfg->lang, sizeof(cfg->lang), "en");
	cert_conf_init(&cfg->rec);
}

/* Is @val a yes? */
static bool yes(const char *val)
{
	return strcasecmp(val, "yes") == 0 || strcasecmp(val, "true") == 0 || strcmp(val, "1") == 0;
}

/* Add a person from "Name, Role". */
static int add_person(struct ui_config *cfg, const char *val, bool op, bool wit, bool appr)
{
	struct ui_person *p;
	char buf[2 * UI_STR], *comma, *name, *role = "";
	size_t i;

	if (!base_copy(buf, sizeof(buf), val))
		return -EINVAL;
	comma = strchr(buf, ',');
	if (comma) {
		*comma = '\0';
		role = base_trim(comma + 1);
	}
	name = base_trim(buf);
	if (!*name)
		return -EINVAL;
	for (i = 0; i < cfg->npeople; i++)
		if (strcmp(cfg->people[i].name, name) == 0) {
			cfg->people[i].may_operate |= op;
			cfg->people[i].may_witness |= wit;
			cfg->people[i].may_approve |= appr;
			return cert_conf_person(&cfg->rec, name);
		}
	if (cfg->npeople >= UI_PEOPLE_MAX)
		return -E2BIG;
	p = &cfg->people[cfg->npeople];
	if (!base_copy(p->name, sizeof(p->name), name) || !base_copy(p->role, sizeof(p->role), role))
		return -EINVAL;
	p->may_operate = op;
	p->may_witness = wit;
	p->may_approve = appr;
	cfg->npeople++;
	/* The detail lines that follow (unit, department, ...) are this person's. */
	return cert_conf_person(&cfg->rec, name);
}

/* Is @s fit for a config line: no control character, no '#' (a comment)? */
static bool line_safe(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f || *s == '#')
			return false;
	return true;
}

int ui_config_add_person(struct ui_config *cfg, const char *val)
{
	if (!line_safe(val))
		return -EINVAL;
	return add_person(cfg, val, true, true, false);
}

/* Append "@key = @val" to @path, synced. */
static int append_line(const char *path, const char *key, const char *val, char *err,
		       size_t errlen)
{
	char line[2 * UI_STR + 16];
	int fd, n, rc = 0;

	n = snprintf(line, sizeof(line), "%s = %s\n", key, val);
	if (n < 0 || (size_t)n >= sizeof(line) || !line_safe(val)) {
		snprintf(err, errlen, "not a name to keep: %s", val);
		return -EINVAL;
	}
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return rc;
	}
	{
		ssize_t w = write(fd, line, (size_t)n);

		if (w < 0)
			rc = -errno;
		else if (w != n)
			rc = -EIO;
		else if (fsync(fd) != 0)
			rc = -errno;
	}
	if (close(fd) != 0 && !rc)
		rc = -errno;
	if (rc)
		snprintf(err, errlen, "%s: %s", path, strerror(-rc));
	return rc;
}

int ui_config_append_person(const char *path, const char *val, char *err, size_t errlen)
{
	return append_line(path, "person", val, err, errlen);
}

int ui_config_append_station(const char *path, const char *val, char *err, size_t errlen)
{
	return append_line(path, "station", val, err, errlen);
}

int ui_config_set_station(struct ui_config *cfg, const char *val)
{
	if (cert_station_id_check(val, NULL, 0) != 0 || !base_copy(cfg->station, sizeof(cfg->station), val))
		return -EINVAL;
	cfg->station_set = true;
	return 0;
}

int ui_config_load(const char *path, struct ui_config *cfg, char *err, size_t errlen)
{
	char line[1024];
	unsigned lineno = 0;
	FILE *f;
	int rc = 0;

	f = fopen(path, "re");
	if (f == NULL) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return rc;
	}
	while (fgets(line, sizeof(line), f)) {
		char *key, *val, *eq, *hash;

		lineno++;
		if (!strchr(line, '\n') && !feof(f)) {
			/* Its tail would be read as a line of its own. */
			snprintf(err, errlen, "%s:%u: line longer than %zu bytes", path, lineno,
				 sizeof(line) - 2);
			rc = -EINVAL;
			break;
		}
		hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		key = base_trim(line);
		if (!*key)
			continue;
		eq = strchr(key, '=');
		if (eq == NULL) {
			snprintf(err, errlen, "%s:%u: expected 'key = value'", path, lineno);
			rc = -EINVAL;
			break;
		}
		*eq = '\0';
		val = base_trim(eq + 1);
		key = base_trim(key);
		if (strcmp(key, "operator") == 0)
			rc = add_person(cfg, val, true, false, false);
		else if (strcmp(key, "witness") == 0 || strcmp(key, "supervisor") == 0)
			rc = add_person(cfg, val, false, true, false);
		else if (strcmp(key, "approver") == 0)
			rc = add_person(cfg, val, false, false, true);
		else if (strcmp(key, "person") == 0)
			rc = add_person(cfg, val, true, true, false);
		else if (strcmp(key, "supervisors") == 0) {
			cfg->supervisors = strcmp(val, "2") == 0 ? 2 : strcmp(val, "1") == 0 ? 1 : 0;
			rc = cfg->supervisors ? 0 : -EINVAL;
		}
		else if (strcmp(key, "station") == 0)
			rc = ui_config_set_station(cfg, val);
		else if (strcmp(key, "ledger") == 0) {
			rc = base_copy(cfg->ledger, sizeof(cfg->ledger), val) ? 0 : -EINVAL;
			cfg->ledger_set = true;
		}
		else if (strcmp(key, "records") == 0)
			rc = base_copy(cfg->records, sizeof(cfg->records), val) ? 0 : -EINVAL;
		else if (strcmp(key, "lang") == 0)
			rc = base_copy(cfg->lang, sizeof(cfg->lang), val) ? 0 : -EINVAL;
		else if (strcmp(key, "require_witness") == 0)
			cfg->require_witness = yes(val);
		else if (strcmp(key, "allow_ram_ledger") == 0)
			cfg->allow_ram_ledger = yes(val);
		else {
			char why[256];
			int r = cert_conf_setting(&cfg->rec, key, val, why, sizeof(why));

			if (r < 0) {
				snprintf(err, errlen, "%s:%u: %s", path, lineno, why);
				rc = -EINVAL;
				break;
			}
			if (r == 0) {
				snprintf(err, errlen, "%s:%u: unknown setting '%s'", path, lineno, key);
				rc = -EINVAL;
				break;
			}
		}
		if (rc < 0) {
			snprintf(err, errlen, "%s:%u: bad value for '%s'%s", path, lineno, key,
				 rc == -E2BIG ? " (too many people)" : " (empty or too long)");
			break;
		}
	}
	fclose(f);
	return rc;
}
