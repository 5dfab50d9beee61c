/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Unfreeze by suspend. A BIOS freezes ATA security (and may freeze
 * sanitize) at boot; a drive that loses power in a suspend to RAM comes back
 * unfrozen. Only "deep" sleep cuts the drive's power, so the station checks
 * /sys/power/mem_sleep first and says plainly when this machine cannot.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ui-ncurses/station/station.h"

#define MEM_SLEEP "/sys/power/mem_sleep"

bool ui_medium_frozen(const struct ui_medium *m)
{
	return (m->med.id.have_ata && m->med.id.ata.sec_frozen) || m->med.id.sanitize_frozen;
}

/* Does this machine offer suspend to RAM ("deep" among the mem_sleep states)? */
static bool can_suspend_to_ram(char *why, size_t len)
{
	char buf[256], *tok, *save = NULL;
	FILE *f = fopen(MEM_SLEEP, "re");
	bool deep = false;

	if (f == NULL) {
		snprintf(why, len, "%s: %s", MEM_SLEEP, strerror(errno));
		return false;
	}
	if (fgets(buf, sizeof(buf), f) == NULL)
		buf[0] = '\0';
	fclose(f);
	/* "s2idle [deep]": the brackets mark the current mode; deep need only be offered. */
	for (tok = strtok_r(buf, " \t\n", &save); tok; tok = strtok_r(NULL, " \t\n", &save))
		if (strcmp(tok, "deep") == 0 || strcmp(tok, "[deep]") == 0)
			deep = true;
	if (!deep)
		snprintf(why, len, "%s offers only '%s'", MEM_SLEEP, buf[0] ? buf : "nothing");
	return deep;
}

int ui_unfreeze(struct ui_app *app, char *msg, size_t msglen)
{
	static const char *const argv[] = { "rtcwake", "-m", "mem", "-s", "5", NULL };
	const struct ui_medium *m = app->cursor < app->nmedia ? &app->media[app->cursor] : NULL;
	char why[256], out[256], serial[sizeof(m->med.disk.serial)], name[sizeof(m->med.disk.name)];
	size_t i;
	int rc;

	if (m == NULL || !ui_medium_frozen(m)) {
		snprintf(msg, msglen, "%s", ui_t(app, T_UNFREEZE_NOT_FROZEN));
		return -EINVAL;
	}
	if (ui_jobs_running(app) > 0) {
		snprintf(msg, msglen, "%s", ui_t(app, T_UNFREEZE_JOBS));
		return -EBUSY;
	}
	if (!can_suspend_to_ram(why, sizeof(why))) {
		snprintf(msg, msglen, "%s (%s).", ui_t(app, T_UNFREEZE_NO_S3), why);
		return -EOPNOTSUPP;
	}
	snprintf(serial, sizeof(serial), "%s", m->med.disk.serial);
	snprintf(name, sizeof(name), "%s", m->med.disk.name);
	rc = ui_spawn(argv, out, sizeof(out), 60000);
	if (rc != 0) {
		snprintf(msg, msglen, "%s (rtcwake: %s).", ui_t(app, T_UNFREEZE_NO_S3),
			 rc == -ENOENT ? "not installed" : rc < 0 ? strerror(-rc) : out);
		return rc < 0 ? rc : -EIO;
	}
	rc = ui_media_reidentify(app);
	if (rc < 0) {
		snprintf(msg, msglen, "rescan after suspend failed: %s", strerror(-rc));
		return rc;
	}
	for (i = 0; i < app->nmedia; i++) {
		if (strcmp(app->media[i].med.disk.serial, serial) != 0)
			continue;
		app->cursor = i;
		snprintf(msg, msglen, "%s: %s", name,
			 ui_t(app, ui_medium_frozen(&app->media[i]) ? T_UNFREEZE_STILL
								     : T_UNFREEZE_DONE));
		return 0;
	}
	snprintf(msg, msglen, "%s did not come back after suspend: replug it.", name);
	return -ENODEV;
}
