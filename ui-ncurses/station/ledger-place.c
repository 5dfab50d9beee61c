/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Where the ledger lives. On the live image (tabula --records-required DIR)
 * certificates belong on the records medium mounted at DIR; anywhere else
 * the ledger is in the live system's RAM and is lost at power-off. The
 * station says so on every screen and refuses to issue a certificate there
 * unless the configuration says "allow_ram_ledger = yes".
 *
 * The signal is explicit: without --records-required (demos, tests, a
 * station installed on a disk) the ledger may be anywhere.
 *
 * A job noted in the ledger on the records medium issues its certificate
 * there and nowhere else: should the medium be pulled mid-job, the
 * certificate waits until it is back (jobs.c).
 */
#include "config.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "ui-ncurses/station/station.h"

/* Is @dir a mount point? Its device differs from its parent's, or it is "/". */
static bool is_mountpoint(const char *dir, struct stat *st)
{
	char parent[PATH_MAX];
	struct stat pst;
	int n;

	if (stat(dir, st) != 0 || !S_ISDIR(st->st_mode))
		return false;
	n = snprintf(parent, sizeof(parent), "%s/..", dir);
	if (n < 0 || (size_t)n >= sizeof(parent) || stat(parent, &pst) != 0)
		return false;
	return st->st_dev != pst.st_dev || st->st_ino == pst.st_ino;
}

/* Is the ledger at @ledger on the filesystem mounted at @dir? */
static bool ledger_on(const char *ledger, const char *dir)
{
	char tmp[PATH_MAX];
	struct stat mst, lst;
	int n;

	if (!is_mountpoint(dir, &mst))
		return false;
	n = snprintf(tmp, sizeof(tmp), "%s", ledger);
	if (n < 0 || (size_t)n >= sizeof(tmp) || stat(dirname(tmp), &lst) != 0)
		return false;
	return lst.st_dev == mst.st_dev;
}

bool ui_ledger_on_records(const struct ui_app *app, const char *ledger)
{
	return !app->records_required || ledger_on(ledger, app->records_required);
}

bool ui_ledger_check(struct ui_app *app)
{
	bool ram = app->records_required && !ledger_on(app->cfg.ledger, app->records_required);
	bool changed = ram != app->ledger_in_ram;

	app->ledger_in_ram = ram;
	return changed;
}

bool ui_ledger_refuse(struct ui_app *app)
{
	int n;

	ui_ledger_check(app);
	if (!app->ledger_in_ram || app->cfg.allow_ram_ledger)
		return false;
	/* The first sentence fits 80 columns; the rest is how to fix it. */
	n = snprintf(app->status, sizeof(app->status), "%s %s %s", ui_t(app, T_RAM_NONE_AT),
		     app->records_required, ui_t(app, T_RAM_REFUSED));
	if (n < 0 || (size_t)n >= sizeof(app->status))
		app->status[sizeof(app->status) - 1] = '\0';
	return true;
}
