/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wiper unfreeze: suspend to RAM and resume so frozen drives come back unfrozen. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wiper/cli/cli.h"
#include "wiper/unfreeze.h"

/* The frozen state of @path, in words, into @buf. */
static const char *state_of(const char *path, char *buf, size_t len)
{
	struct wiper_devview v;
	struct wiper_medium m;
	char err[256];

	if (wiper_view_from_path(path, &v, err, sizeof(err)) < 0) {
		snprintf(buf, len, "%s", err);
		return buf;
	}
	memset(&m, 0, sizeof(m));
	snprintf(buf, len, "not a medium Tabula handles");
	if (wiper_disk_from_view(&v, true, &m.disk) == 0) {
		snprintf(m.disk.node, sizeof(m.disk.node), "%s", path);
		wiper_medium_probe(&m);
		if (!m.id.have_ata)
			snprintf(buf, len, "no ATA security state readable");
		else
			snprintf(buf, len, "security %s%s",
				 m.id.ata.sec_supported ? (m.id.ata.sec_frozen ? "FROZEN" : "not frozen") :
							  "not supported",
				 m.id.ata.sec_locked ? ", LOCKED" : "");
		wiper_disk_done(&m.disk);
	}
	wiper_devview_done(&v);
	return buf;
}

/* The state of every DEV @when ("before", "after"): lines, or JSON members of @j. */
static void show_states(char **devs, int n, const char *when, struct json_out *j)
{
	char buf[320];
	int i;

	if (j)
		json_obj_begin(j, when);
	for (i = 0; i < n; i++) {
		state_of(devs[i], buf, sizeof(buf));
		if (j)
			json_str(j, devs[i], buf);
		else
			printf("%s %s: %s\n", when, devs[i], buf);
	}
	if (j)
		json_obj_end(j);
}

static const struct cli_opt unfreeze_opts[] = {
	{ "check", 'c', NULL, "only say whether this machine can do it" },
	{ "yes", 'y', NULL, "do not ask for confirmation" },
	{ "json", 'j', NULL, "one JSON object: whether it can, what it did, the\n"
			     "DEVs' state before and after" },
	{ NULL, 0, NULL, NULL },
};

const struct cli_cmd cli_unfreeze = {
	"wiper unfreeze", "[DEV...]", "suspend to RAM so frozen drives unfreeze", unfreeze_opts,
	"Unfreeze drives whose security or sanitize commands the firmware froze at\n"
	"start-up, by suspending the whole machine to RAM for 5 seconds and resuming.\n"
	"The DEVs named have their state shown before and after.\n",
};

int cmd_unfreeze(int argc, char **argv)
{
	struct cli_parser cp;
	bool yes = false, check = false, json = false;
	struct json_out j, *jp = NULL;
	char why[256], line[16];
	int c, rc;

	cli_begin(&cp, &cli_unfreeze, argc, argv);
	while ((c = cli_next(&cp)) != CLI_DONE) {
		switch (c) {
		case 'y': yes = true; break;
		case 'c': check = true; break;
		case 'j': json = true; break;
		case CLI_HELP: return EXIT_OK;
		default: return EXIT_USAGE;
		}
	}
	rc = wiper_unfreeze_possible(NULL, why, sizeof(why));
	if (json) {
		jp = &j;
		json_init(jp, stdout, false);
		json_obj_begin(jp, NULL);
		json_bool(jp, "possible", rc >= 0);
		json_str(jp, "why", why);
	}
	if (rc < 0) {
		if (jp) {
			json_obj_end(jp);
			json_end(jp);
		}
		cli_err("unfreeze: %s", why);
		return EXIT_FAIL;
	}
	if (check) {
		if (jp) {
			json_obj_end(jp);
			json_end(jp);
		} else {
			printf("%s\n", why);
		}
		return EXIT_OK;
	}
	show_states(argv + optind, argc - optind, "before", jp);
	if (!yes) {
		FILE *tty = fopen("/dev/tty", "r+");

		if (tty == NULL) {
			cli_err("unfreeze: no terminal to confirm on; pass --yes");
			rc = EXIT_USAGE;
			goto out;
		}
		fprintf(tty, "The whole machine will sleep for 5 seconds (running erasures pause).\n"
			     "Type 'yes' to suspend: ");
		fflush(tty);
		if (fgets(line, sizeof(line), tty) == NULL || strcmp(line, "yes\n") != 0) {
			fclose(tty);
			cli_err("unfreeze: not confirmed");
			rc = EXIT_USAGE;
			goto out;
		}
		fclose(tty);
	}
	rc = wiper_unfreeze_by_suspend(5, why, sizeof(why));
	if (rc < 0) {
		cli_err("unfreeze: %s", why);
		if (jp)
			json_str(jp, "error", why);
		rc = EXIT_FAIL;
		goto out;
	}
	if (jp)
		json_str(jp, "result", why);
	else
		printf("%s\n", why);
	show_states(argv + optind, argc - optind, "after", jp);
	rc = EXIT_OK;
out:
	if (jp) {
		json_obj_end(jp);
		json_end(jp);
	}
	return rc;
}
