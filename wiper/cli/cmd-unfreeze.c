/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wiper unfreeze: suspend to RAM and resume so frozen drives come back unfrozen. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wiper/cli/cli.h"
#include "wiper/unfreeze.h"

/* Print the frozen state of @path. */
static void show_state(const char *path, const char *when)
{
	struct wiper_devview v;
	struct wiper_medium m;
	char err[256];

	if (wiper_view_from_path(path, &v, err, sizeof(err)) < 0) {
		printf("%s %s: %s\n", when, path, err);
		return;
	}
	memset(&m, 0, sizeof(m));
	if (wiper_disk_from_view(&v, true, &m.disk) == 0) {
		snprintf(m.disk.node, sizeof(m.disk.node), "%s", path);
		wiper_medium_probe(&m);
		if (!m.id.have_ata)
			printf("%s %s: no ATA security state readable\n", when, path);
		else
			printf("%s %s: security %s%s\n", when, path,
			       m.id.ata.sec_supported ? (m.id.ata.sec_frozen ? "FROZEN" : "not frozen") :
							"not supported",
			       m.id.ata.sec_locked ? ", LOCKED" : "");
		wiper_disk_done(&m.disk);
	}
	wiper_devview_done(&v);
}

static const struct cli_opt unfreeze_opts[] = {
	{ "check", 'c', NULL, "only say whether this machine can do it" },
	{ "yes", 'y', NULL, "do not ask for confirmation" },
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
	bool yes = false, check = false;
	char why[256], line[16];
	int c, i, rc;

	cli_begin(&cp, &cli_unfreeze, argc, argv);
	while ((c = cli_next(&cp)) != CLI_DONE) {
		switch (c) {
		case 'y': yes = true; break;
		case 'c': check = true; break;
		case CLI_HELP: return EXIT_OK;
		default: return EXIT_USAGE;
		}
	}
	rc = wiper_unfreeze_possible(NULL, why, sizeof(why));
	if (rc < 0) {
		cli_err("unfreeze: %s", why);
		return EXIT_FAIL;
	}
	if (check) {
		printf("%s\n", why);
		return EXIT_OK;
	}
	for (i = optind; i < argc; i++)
		show_state(argv[i], "before");
	if (!yes) {
		FILE *tty = fopen("/dev/tty", "r+");

		if (tty == NULL) {
			cli_err("unfreeze: no terminal to confirm on; pass --yes");
			return EXIT_USAGE;
		}
		fprintf(tty, "The whole machine will sleep for 5 seconds (running erasures pause).\n"
			     "Type 'yes' to suspend: ");
		fflush(tty);
		if (fgets(line, sizeof(line), tty) == NULL || strcmp(line, "yes\n") != 0) {
			fclose(tty);
			cli_err("unfreeze: not confirmed");
			return EXIT_USAGE;
		}
		fclose(tty);
	}
	rc = wiper_unfreeze_by_suspend(5, why, sizeof(why));
	if (rc < 0) {
		cli_err("unfreeze: %s", why);
		return EXIT_FAIL;
	}
	printf("%s\n", why);
	for (i = optind; i < argc; i++)
		show_state(argv[i], "after");
	return EXIT_OK;
}
