/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * `tabula --boot-options FILE [--config CONF]`: the kernel command line's
 * station options, checked, for the live image's scripts. Each option is
 * printed as KEY=VALUE followed by a NUL byte (a name may hold any
 * character but NUL), every option with its value in effect:
 *
 *   auto= operator= witness= delay= after= marker= lang= custody= serial=0|1
 *
 * A person not given on the command line is the configuration's first
 * person who may operate (the first other one who may witness), as
 * "Name, Role". Exit 0; 2 with the reason on stderr when an option is
 * wrong, and then only marker= and after= on stdout (where to report the
 * failure, and whether to power off after it).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ui-ncurses/station/bootopts.h"
#include "ui-ncurses/ui.h"

/* Is @name the name in "Name[, Role]" @person? */
static bool same_person(const char *person, const char *name)
{
	size_t n = strcspn(person, ",");

	while (n > 0 && person[n - 1] == ' ')
		n--;
	return strlen(name) == n && strncmp(person, name, n) == 0;
}

/* "Name, Role" of the first person of @cfg who may operate (@op) or witness, not @not. */
static void person_default(const struct ui_config *cfg, bool op, const char *not, char *out,
			   size_t len)
{
	size_t i;

	for (i = 0; i < cfg->npeople; i++) {
		const struct ui_person *p = &cfg->people[i];
		int n;

		if (!(op ? p->may_operate : p->may_witness))
			continue;
		n = snprintf(out, len, "%s%s%s", p->name, p->role[0] ? ", " : "", p->role);
		if (n < 0 || (size_t)n >= len || (not && same_person(not, p->name))) {
			out[0] = '\0';
			continue;
		}
		return;
	}
}

/* Read all of @path (at most UI_BOOT_LINE_MAX + 1 bytes) into @buf. -errno or the length. */
static ssize_t slurp(const char *path, char *buf, size_t cap)
{
	size_t have = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return -errno;
	while (have < cap) {
		ssize_t n = read(fd, buf + have, cap - have);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			close(fd);
			return -e;
		}
		if (n == 0)
			break;
		have += (size_t)n;
	}
	close(fd);
	return (ssize_t)have;
}

int ui_bootopts_main(const char *path, const struct ui_config *cfg)
{
	static char line[UI_BOOT_LINE_MAX + 1];
	struct ui_bootopts o;
	char err[256];
	ssize_t n = slurp(path, line, sizeof(line));

	if (n < 0) {
		fprintf(stderr, "tabula: --boot-options: %s: %s\n", path, strerror((int)-n));
		return 2;
	}
	if (ui_bootopts_parse(line, (size_t)n, &o, err, sizeof(err)) < 0) {
		fprintf(stderr, "tabula: boot options (%s): %s\n", path, err);
		/* Only where and how the failure is to be reported, then exit 2. */
		printf("marker=%s%cafter=%s%c", o.marker, 0, o.after, 0);
		fflush(stdout);
		return 2;
	}
	if (o.warnings[0])
		fprintf(stderr, "tabula: boot options (%s): %s\n", path, o.warnings);
	if (cfg && !o.operator_[0])
		person_default(cfg, true, NULL, o.operator_, sizeof(o.operator_));
	if (cfg && !o.witness[0])
		person_default(cfg, false, o.operator_, o.witness, sizeof(o.witness));
	printf("auto=%s%coperator=%s%cwitness=%s%cdelay=%u%cafter=%s%cmarker=%s%clang=%s%c"
	       "custody=%s%cserial=%d%c", o.method, 0, o.operator_, 0, o.witness, 0, o.delay, 0,
	       o.after, 0, o.marker, 0, o.lang, 0, o.custody, 0, o.serial ? 1 : 0, 0);
	return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 2;
}
