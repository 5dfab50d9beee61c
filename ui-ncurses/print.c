/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Printing through CUPS with its own command-line clients: lpstat lists the
 * queues and the default, lp sends a file. Queue names come from lpstat or
 * the station's choice among them; the file is a path the station made.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ui-ncurses/ui.h"

#define PRINT_TIMEOUT_MS 15000

int ui_print_printers(char *buf, size_t len)
{
	static const char *const argv[] = { "lpstat", "-e", NULL };
	char out[2048], *line, *save = NULL;
	size_t used = 0;
	int rc, n = 0;

	if (len)
		buf[0] = '\0';
	rc = ui_spawn(argv, out, sizeof(out), PRINT_TIMEOUT_MS);
	if (rc < 0)
		return rc;
	if (rc != 0)
		return -EHOSTDOWN;	/* no scheduler running, or no queues */
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		size_t l = strcspn(line, " \t\r");

		if (l == 0 || used + l + 2 > len)
			continue;
		memcpy(buf + used, line, l);
		used += l;
		buf[used++] = '\n';
		buf[used] = '\0';
		n++;
	}
	return n;
}

int ui_print_default(char *name, size_t len)
{
	static const char *const argv[] = { "lpstat", "-d", NULL };
	char out[512], *p;
	int rc;

	if (len)
		name[0] = '\0';
	rc = ui_spawn(argv, out, sizeof(out), PRINT_TIMEOUT_MS);
	if (rc < 0)
		return rc;
	/* "system default destination: NAME" or "no system default destination". */
	p = strstr(out, "destination: ");
	if (rc != 0 || p == NULL)
		return -ENOENT;
	p += strlen("destination: ");
	p[strcspn(p, " \t\r\n")] = '\0';
	if (!*p || snprintf(name, len, "%s", p) >= (int)len)
		return -ENOENT;
	return 0;
}

int ui_print_file(const char *printer, const char *path, char *msg, size_t msglen)
{
	const char *argv[6];
	char def[128], list[1024], out[512];
	int rc, n = 0;

	if (!printer[0]) {
		rc = ui_print_default(def, sizeof(def));
		if (rc == -ENOENT && ui_print_printers(list, sizeof(list)) > 0) {
			snprintf(msg, msglen, "no default printer: press o to choose one");
			return 1;
		}
		if (rc < 0) {
			snprintf(msg, msglen, "no printer configured");
			return 1;
		}
		printer = def;
	}
	argv[n++] = "lp";
	argv[n++] = "-d";
	argv[n++] = printer;
	argv[n++] = path;
	argv[n] = NULL;
	rc = ui_spawn(argv, out, sizeof(out), PRINT_TIMEOUT_MS);
	if (rc == -ENOENT) {
		snprintf(msg, msglen, "no printer configured (CUPS lp is not installed)");
		return 1;
	}
	if (rc < 0) {
		snprintf(msg, msglen, "lp: %s", strerror(-rc));
		return rc;
	}
	if (rc != 0) {
		snprintf(msg, msglen, "%s", out[0] ? out : "lp failed");
		return -EIO;
	}
	snprintf(msg, msglen, "%s: %s", printer, out[0] ? out : "sent");
	return 0;
}
