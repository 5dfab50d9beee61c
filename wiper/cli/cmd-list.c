/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wiper list: every medium, as lsblk would show it, plus what can erase it. */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wiper/cli/cli.h"

enum { OPT_INCLUDE_LOOP = 'l', OPT_JSON = 'j', OPT_WIDE = 'w' };

static const struct cli_opt list_opts[] = {
	{ "include-loop", OPT_INCLUDE_LOOP, NULL, "also list loop devices (demo and tests)" },
	{ "json", OPT_JSON, NULL, "JSON on stdout: {\"devices\": [...]}" },
	{ "wide", OPT_WIDE, NULL, "every column, whole (the default fits 80 columns or\n"
					 "the terminal)" },
	{ NULL, 0, NULL, NULL },
};

const struct cli_cmd cli_list = {
	"wiper list", "[DEV...]", "every medium, its contents, what can erase it", list_opts,
	"List every medium the station could erase (or only the DEVs named, e.g.\n"
	"/dev/sdb /dev/loop3), with its transport, identity, size, contents, erase\n"
	"techniques and why it is excluded (if it is).\n",
};

/* Does disk @d match one of the named devices? */
static bool wanted(const struct wiper_disk *d, char **devs, int ndevs, const dev_t *nums)
{
	int i;

	if (ndevs == 0)
		return true;
	for (i = 0; i < ndevs; i++)
		if (nums[i] == d->devnum || strcmp(devs[i], d->node) == 0)
			return true;
	return false;
}

/* Column widths: the default fits 80 columns; --wide shows everything. */
struct list_cols {
	int model, serial, content, erase;	/* content < 0: not shown */
	bool cut;				/* cut to the widths, or only pad */
};
static struct list_cols cols_narrow = { 14, 12, -1, 25, true };

/*
 * The default table fits 80 columns; on a wider terminal (as lsblk does)
 * the last column, what can erase the medium or why it is excluded, takes
 * the room there is.
 */
static void fit_terminal(void)
{
	struct winsize ws;

	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 80)
		cols_narrow.erase += ws.ws_col - 80;
}
static const struct list_cols cols_wide = { 22, 20, 30, 0, false };

/* One row of the table (the header too). */
static void list_row(const struct list_cols *w, const char *dev, const char *tran,
		     const char *size, const char *lbs, const char *model, const char *serial,
		     const char *content, const char *erase)
{
	char b[6][512];

	printf("%s %s %s  %s %s ", cli_cell(dev, 8, 0, b[0], sizeof(b[0])),
	       cli_cell(tran, 6, 0, b[1], sizeof(b[1])),
	       cli_cell(size, 8, CLI_CELL_RIGHT, b[2], sizeof(b[2])),
	       cli_cell(model, (size_t)w->model, w->cut ? CLI_CELL_CUT : 0, b[3], sizeof(b[3])),
	       cli_cell(serial, (size_t)w->serial, w->cut ? CLI_CELL_CUT : 0, b[4], sizeof(b[4])));
	if (w->content >= 0)
		printf("%5s  %s ", lbs, cli_cell(content, (size_t)w->content,
						 w->cut ? CLI_CELL_CUT : 0, b[5], sizeof(b[5])));
	printf("%s\n", cli_cell(erase, (size_t)w->erase,
				(w->cut ? CLI_CELL_CUT : 0) | CLI_CELL_LAST, b[0], sizeof(b[0])));
}

int cmd_list(int argc, char **argv)
{
	struct cli_parser cp;
	struct wiper_scan_opts so = { .include_loop = false, .probe_content = true };
	struct wiper_disk *disks = NULL;
	struct json_out j;
	bool json = false, wide = false;
	dev_t *nums = NULL;
	int c, n, i, ndevs, shown = 0;

	cli_begin(&cp, &cli_list, argc, argv);
	while ((c = cli_next(&cp)) != CLI_DONE) {
		switch (c) {
		case OPT_INCLUDE_LOOP: so.include_loop = true; break;
		case OPT_JSON: json = true; break;
		case OPT_WIDE: wide = true; break;
		case CLI_HELP: return EXIT_OK;
		default: return EXIT_USAGE;
		}
	}
	ndevs = argc - optind;
	if (ndevs > 0) {
		nums = calloc((size_t)ndevs, sizeof(*nums));
		if (nums == NULL) {
			cli_err("out of memory");
			return EXIT_FAIL;
		}
	}
	for (i = 0; i < ndevs; i++) {
		struct stat st;
		const char *p = argv[optind + i];

		if (stat(p, &st) < 0) {
			cli_err("%s: no such device", p);
			free(nums);
			return EXIT_USAGE;
		}
		if (!S_ISBLK(st.st_mode)) {
			cli_err("%s: not a block device", p);
			free(nums);
			return EXIT_USAGE;
		}
		nums[i] = st.st_rdev;
		if (strncmp(p, "/dev/loop", 9) == 0)
			so.include_loop = true;
	}

	n = wiper_scan(&so, &disks);
	if (n < 0) {
		cli_err("cannot enumerate block devices: %s", strerror(-n));
		free(nums);
		return EXIT_FAIL;
	}

	fit_terminal();
	json_init(&j, stdout, true);
	if (json) {
		json_obj_begin(&j, NULL);
		json_arr_begin(&j, "devices");
	} else {
		list_row(wide ? &cols_wide : &cols_narrow, "DEVICE", "TRAN", "SIZE", "LBS", "MODEL",
			 "SERIAL", "CONTENTS", "ERASE / EXCLUDED");
	}
	for (i = 0; i < n; i++) {
		struct wiper_medium m;
		char sz[32], lbs[16], content[256], erase[300];

		if (!wanted(&disks[i], argv + optind, ndevs, nums))
			continue;
		memset(&m, 0, sizeof(m));
		m.disk = disks[i];
		wiper_medium_probe(&m);
		disks[i] = m.disk; /* identify refines model/serial; ownership stays */
		shown++;
		if (json) {
			print_medium_json(&j, &m, false);
			continue;
		}
		wiper_content_str(&m.disk.content, content, sizeof(content));
		if (m.disk.excl != WIPER_EXCL_NONE)
			snprintf(erase, sizeof(erase), "EXCLUDED: %s", m.disk.excl_reason);
		else
			wiper_caps_summary(&m.caps, &m.disk, erase, sizeof(erase));
		snprintf(lbs, sizeof(lbs), "%u", m.disk.logical_block);
		list_row(wide ? &cols_wide : &cols_narrow, m.disk.name,
			 wiper_transport_str(m.disk.transport),
			 wiper_size_str(m.disk.size_bytes, sz, sizeof(sz)), lbs,
			 m.disk.model[0] ? m.disk.model : "-", m.disk.serial[0] ? m.disk.serial : "-",
			 content, erase);
	}
	if (json) {
		json_arr_end(&j);
		json_obj_end(&j);
		json_end(&j);
	} else if (shown == 0) {
		printf("(no media found%s)\n",
		       so.include_loop ? "" : "; loop devices need --include-loop");
	}
	wiper_disks_free(disks, (size_t)n);
	free(nums);
	return EXIT_OK;
}
