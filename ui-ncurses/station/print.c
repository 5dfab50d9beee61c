/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Printing through CUPS with its own command-line clients: lpstat lists the
 * queues and the default, lp sends a file. Queue names come from lpstat or
 * the station's choice among them; the file is a path the station made.
 *
 * Every client runs in the background (ui_proc_start): a print is a small
 * chain (lpstat -d, then lp; lpstat -e when there is no default) driven by
 * the callbacks, and the screen stays live while CUPS takes its time.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdarg.h>
#include <string.h>

#include "ui-ncurses/station/station.h"

#define PRINT_TIMEOUT_MS 15000

/* The one print under way. UI thread only. */
static struct {
	bool busy;
	bool asking;			/* lpstat -e for the next printer */
	char what[80];
	char path[PATH_MAX];
	char printer[128];
	char note[300];
} pr;


/* The queues in lpstat -e's output @out, one a line, into @buf. Returns how many. */
static int parse_printers(char *out, char *buf, size_t len)
{
	char *line, *save = NULL;
	size_t used = 0;
	int n = 0;

	if (len)
		buf[0] = '\0';
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

/* The default queue in lpstat -d's output @out into @name; 0 or -ENOENT. */
static int parse_default(char *out, char *name, size_t len)
{
	/* "system default destination: NAME" or "no system default destination". */
	char *p = strstr(out, "destination: ");

	if (p == NULL)
		return -ENOENT;
	p += strlen("destination: ");
	p[strcspn(p, " \t\r\n")] = '\0';
	if (!*p || snprintf(name, len, "%s", p) >= (int)len)
		return -ENOENT;
	return 0;
}

/* The outcome on the status line; the print is over. @rc: 0 sent, 1 no printer, <0 failed. */
static void finish(struct ui_app *app, int rc, const char *msg)
{
	if (rc == 0)
		ui_cut(app->status, sizeof(app->status), "%s %s %s · PDF %s%s", pr.what,
		    ui_t(app, T_PRINTED), msg, pr.path, pr.note);
	else if (rc == 1)
		ui_cut(app->status, sizeof(app->status), "%s: %s %s %s%s · %s", msg, pr.what,
		    ui_t(app, T_SAVED), pr.path, pr.note, ui_t(app, T_NO_PRINTER_HINT));
	else
		ui_cut(app->status, sizeof(app->status), "NOT printed (%s): %s %s %s%s", msg, pr.what,
		    ui_t(app, T_SAVED), pr.path, pr.note);
	pr.busy = false;
}

/* lp answered. */
static void lp_done(struct ui_app *app, int rc, const char *out, void *arg)
{
	char msg[300];

	(void)arg;
	if (rc == -ENOENT) {
		ui_cut(msg, sizeof(msg), "%s (CUPS lp is not installed)", ui_t(app, T_NO_PRINTER));
		finish(app, 1, msg);
	} else if (rc < 0) {
		ui_cut(msg, sizeof(msg), "lp: %s",
		    rc == -ETIMEDOUT ? "CUPS did not answer" : strerror(-rc));
		finish(app, rc, msg);
	} else if (rc != 0) {
		ui_cut(msg, sizeof(msg), "%s", out[0] ? out : "lp failed");
		finish(app, -EIO, msg);
	} else {
		ui_cut(msg, sizeof(msg), "%s: %s", pr.printer, out[0] ? out : "sent");
		finish(app, 0, msg);
	}
}

/* Hand the file to lp for pr.printer. */
static void send_lp(struct ui_app *app)
{
	const char *argv[] = { "lp", "-d", pr.printer, pr.path, NULL };
	char msg[300];
	int rc = ui_proc_start(argv, PRINT_TIMEOUT_MS, lp_done, NULL);

	if (rc < 0) {
		ui_cut(msg, sizeof(msg), "lp: %s", strerror(-rc));
		finish(app, rc, msg);
	}
}

/* lpstat -e answered after there was no default: say which it is. */
static void list_done(struct ui_app *app, int rc, const char *out, void *arg)
{
	char copy[2048], list[1024];

	(void)arg;
	ui_cut(copy, sizeof(copy), "%s", out);
	app->printers = rc == 0 ? parse_printers(copy, list, sizeof(list)) : 0;
	if (app->printers > 0)
		finish(app, 1, "no default printer: press o to choose one");
	else
		finish(app, 1, ui_t(app, T_NO_PRINTER));
}

/* lpstat -d answered: print to the default, or find out why there is none. */
static void default_done(struct ui_app *app, int rc, const char *out, void *arg)
{
	static const char *const argv[] = { "lpstat", "-e", NULL };
	char copy[2048];

	(void)arg;
	ui_cut(copy, sizeof(copy), "%s", out);
	if (rc == 0 && parse_default(copy, pr.printer, sizeof(pr.printer)) == 0) {
		if (app->printers <= 0)
			app->printers = 1;
		send_lp(app);
		return;
	}
	if (rc == -ENOENT || rc == -ETIMEDOUT ||
	    ui_proc_start(argv, PRINT_TIMEOUT_MS, list_done, NULL) < 0)
		finish(app, 1, ui_t(app, T_NO_PRINTER));
}

bool ui_print_busy(void)
{
	return pr.busy || pr.asking;
}

/* Say that a print or a printer query is still under way. */
static void say_busy(struct ui_app *app)
{
	if (pr.busy)
		ui_cut(app->status, sizeof(app->status), "%s: %s", pr.what, ui_t(app, T_PRINT_BUSY));
	else
		ui_cut(app->status, sizeof(app->status), "%s", ui_t(app, T_PRINTER_ASKING));
}

int ui_print_start(struct ui_app *app, const char *what, const char *path, const char *note)
{
	static const char *const argv[] = { "lpstat", "-d", NULL };
	int rc;

	if (ui_print_busy()) {
		say_busy(app);
		return -EBUSY;
	}
	memset(&pr, 0, sizeof(pr));
	pr.busy = true;
	ui_cut(pr.what, sizeof(pr.what), "%s", what);
	ui_cut(pr.path, sizeof(pr.path), "%s", path);
	ui_cut(pr.note, sizeof(pr.note), "%s", note ? note : "");
	ui_cut(app->status, sizeof(app->status), "%s: %s · PDF %s %s", pr.what, ui_t(app, T_PRINTING),
	    ui_t(app, T_SAVED), pr.path);
	if (app->printer[0]) {
		ui_cut(pr.printer, sizeof(pr.printer), "%s", app->printer);
		send_lp(app);
		return 0;
	}
	rc = ui_proc_start(argv, PRINT_TIMEOUT_MS, default_done, NULL);
	if (rc < 0)
		finish(app, 1, ui_t(app, T_NO_PRINTER));
	return 0;
}

/* lpstat -e answered: move past the chosen queue; past the last is the default again. */
static void next_done(struct ui_app *app, int rc, const char *out, void *arg)
{
	char copy[2048], list[1024];
	const char *cur, *nl;
	size_t l;

	(void)arg;
	pr.asking = false;
	ui_cut(copy, sizeof(copy), "%s", out);
	app->printers = rc == 0 ? parse_printers(copy, list, sizeof(list)) : 0;
	if (app->printers <= 0) {
		app->printer[0] = '\0';
		app->printers = 0;
		ui_cut(app->status, sizeof(app->status), "%s: %s", ui_t(app, T_NO_PRINTER),
		       ui_t(app, T_NO_PRINTER_HINT));
		return;
	}
	cur = list;
	if (app->printer[0]) {
		for (; *cur; cur = nl + 1) {
			nl = strchr(cur, '\n');
			l = (size_t)(nl - cur);
			if (l == strlen(app->printer) && strncmp(cur, app->printer, l) == 0) {
				cur = nl + 1;
				break;
			}
		}
	}
	if (app->printer[0] && !*cur) {
		app->printer[0] = '\0';
	} else {
		nl = strchr(cur, '\n');
		l = (size_t)(nl - cur);
		if (l >= sizeof(app->printer))
			l = sizeof(app->printer) - 1;
		memcpy(app->printer, cur, l);
		app->printer[l] = '\0';
	}
	{
		/* Which exist, so o is not a guess: "Printer: B (of A, B, C; o for the next)". */
		char all[300];
		size_t k;

		ui_cut(all, sizeof(all), "%s", list);
		for (k = 0; all[k]; k++)
			if (all[k] == '\n')
				all[k] = all[k + 1] ? ',' : '\0';
		ui_cut(app->status, sizeof(app->status), "%s: %s (%s; o: %s)", ui_t(app, T_PRINTER),
		       app->printer[0] ? app->printer : ui_t(app, T_PRINTER_DEFAULT), all,
		       ui_t(app, T_PRINTER_NEXT));
	}
}

/* lpstat -e answered the probe: only how many printers there are. */
static void probe_done(struct ui_app *app, int rc, const char *out, void *arg)
{
	char copy[2048], list[1024];

	(void)arg;
	pr.asking = false;
	ui_cut(copy, sizeof(copy), "%s", out);
	app->printers = rc == 0 ? parse_printers(copy, list, sizeof(list)) : 0;
	if (app->printers < 0)
		app->printers = 0;
}

void ui_print_probe(struct ui_app *app)
{
	static const char *const argv[] = { "lpstat", "-e", NULL };

	if (ui_print_busy())
		return;
	if (ui_proc_start(argv, PRINT_TIMEOUT_MS, probe_done, NULL) < 0) {
		app->printers = 0;
		return;
	}
	pr.asking = true;
}

void ui_print_next_printer(struct ui_app *app)
{
	static const char *const argv[] = { "lpstat", "-e", NULL };

	if (ui_print_busy()) {
		say_busy(app);
		return;
	}
	if (ui_proc_start(argv, PRINT_TIMEOUT_MS, next_done, NULL) < 0) {
		app->printer[0] = '\0';
		ui_cut(app->status, sizeof(app->status), "%s", ui_t(app, T_NO_PRINTER));
		return;
	}
	pr.asking = true;
	ui_cut(app->status, sizeof(app->status), "%s", ui_t(app, T_PRINTER_ASKING));
}
