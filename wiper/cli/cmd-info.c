/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wiper info: everything known about one medium. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "wiper/cli/cli.h"

static const struct cli_opt info_opts[] = {
	{ "json", 'j', NULL, "JSON on stdout" },
	{ NULL, 0, NULL, NULL },
};

const struct cli_cmd cli_info = {
	"wiper info", "DEV", "everything known about one medium", info_opts,
	"Show everything known about the whole-disk device DEV: identity from the\n"
	"device itself (ATA IDENTIFY, NVMe Identify, SCSI INQUIRY), health, contents,\n"
	"erase techniques with their NIST/IEEE 2883 label, and exclusions.\n",
};

int cmd_info(int argc, char **argv)
{
	struct cli_parser cp;
	struct wiper_sysstate st;
	struct wiper_devview v;
	struct wiper_medium m;
	bool json = false;
	char err[256];
	int c, rc;

	cli_begin(&cp, &cli_info, argc, argv);
	while ((c = cli_next(&cp)) != CLI_DONE) {
		switch (c) {
		case 'j': json = true; break;
		case CLI_HELP: return EXIT_OK;
		default: return EXIT_USAGE;
		}
	}
	if (argc - optind != 1) {
		cli_err("info: name exactly one device (try '%s info --help')", prog);
		return EXIT_USAGE;
	}
	rc = wiper_view_from_path(argv[optind], &v, err, sizeof(err));
	if (rc < 0) {
		cli_err("%s", err);
		return rc == -ENOMEM ? EXIT_FAIL : EXIT_USAGE;
	}
	memset(&m, 0, sizeof(m));
	rc = wiper_disk_from_view(&v, true, &m.disk);
	wiper_devview_done(&v);
	if (rc < 0) {
		cli_err("%s: not a medium Tabula handles (%s)", argv[optind],
			rc == -ENODEV ? "virtual, optical or RAM device" : strerror(-rc));
		return EXIT_USAGE;
	}
	snprintf(m.disk.node, sizeof(m.disk.node), "%s", argv[optind]);
	wiper_content_probe(m.disk.node, m.disk.name, &m.disk.content);
	if (wiper_sysstate_read(&st) == 0) {
		wiper_exclude_apply(&st, &m.disk);
		wiper_sysstate_done(&st);
	}
	wiper_medium_probe(&m);

	if (json) {
		struct json_out j;

		json_init(&j, stdout, true);
		print_medium_json(&j, &m, true);
		json_end(&j);
	} else {
		print_medium_text(stdout, &m);
	}
	wiper_disk_done(&m.disk);
	return EXIT_OK;
}
