/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wiper list: every medium, as lsblk would show it, plus what can erase it. */
#include "config.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "wiper/cli/cli.h"

/* Print the usage of list. */
static void list_usage(FILE *f)
{
	fprintf(f, "Usage: %s list [--include-loop] [--json] [DEV...]\n\n"
		   "List every medium the station could erase, with its transport, identity,\n"
		   "size, contents, erase techniques and why it is excluded (if it is).\n\n"
		   "  --include-loop   also list loop devices (demo and tests)\n"
		   "  --json           JSON on stdout: {\"devices\": [...]}\n"
		   "  DEV...           only these devices (e.g. /dev/sdb /dev/loop3)\n", prog);
}

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

/* Truncate @s into @buf to @width display columns (ASCII-safe). */
static const char *fit(const char *s, char *buf, size_t width)
{
	size_t n = strlen(s);

	if (n <= width) {
		snprintf(buf, width + 1, "%s", s);
	} else {
		snprintf(buf, width + 1, "%.*s~", (int)width - 1, s);
	}
	return buf;
}

int cmd_list(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "include-loop", no_argument, NULL, 'l' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct wiper_scan_opts so = { .include_loop = false, .probe_content = true };
	struct wiper_disk *disks = NULL;
	struct json_out j;
	bool json = false;
	dev_t *nums = NULL;
	int c, n, i, ndevs, shown = 0;

	optind = 1;
	opterr = 0; /* our own one-line message below */
	while ((c = getopt_long(argc, argv, "ljh", opts, NULL)) != -1) {
		switch (c) {
		case 'l': so.include_loop = true; break;
		case 'j': json = true; break;
		case 'h': list_usage(stdout); return EXIT_OK;
		default:
			cli_err("list: unknown option (try '%s list --help')", prog);
			return EXIT_USAGE;
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

	json_init(&j, stdout, true);
	if (json) {
		json_obj_begin(&j, NULL);
		json_arr_begin(&j, "devices");
	} else {
		printf("%-9s %-6s %-22s %-16s %9s %5s  %-30s %s\n", "DEVICE", "TRAN", "MODEL",
		       "SERIAL", "SIZE", "LBS", "CONTENTS", "ERASE / EXCLUDED");
	}
	for (i = 0; i < n; i++) {
		struct wiper_medium m;
		char sz[32], b1[32], b2[32], b3[40], content[256], erase[300];

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
		printf("%-9s %-6s %-22s %-16s %9s %5u  %-30s %s\n", m.disk.name,
		       wiper_transport_str(m.disk.transport),
		       fit(m.disk.model[0] ? m.disk.model : "-", b1, 22),
		       fit(m.disk.serial[0] ? m.disk.serial : "-", b2, 16),
		       wiper_size_str(m.disk.size_bytes, sz, sizeof(sz)), m.disk.logical_block,
		       fit(content, b3, 30), erase);
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
