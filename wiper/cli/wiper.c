/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "wiper/cli/cli.h"

const char *prog = "wiper";

void cli_err(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} cmds[] = {
	{ "list", cmd_list, "list [--include-loop] [--json] [DEV...]   every medium, its contents, what can erase it" },
	{ "info", cmd_info, "info [--json] DEV                         everything known about one medium" },
	{ "erase", cmd_erase, "erase [--method M] [--verify MODE] [--yes] [--json] DEV...   overwrite and verify" },
	{ "verify", cmd_verify, "verify --method M [--seed S] DEV            re-check a device against a method's final pass" },
	{ "unfreeze", cmd_unfreeze, "unfreeze [--check] [--yes] [DEV...]         suspend to RAM so frozen drives unfreeze" },
	{ "decode", cmd_decode, "decode ata-identify|nvme-id-ctrl [--json] FILE   decode a saved identify block" },
};

/* Print the top-level usage to @f. */
static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "Usage: %s COMMAND [OPTIONS]\n\n"
		   "Tabula's media tool: find, identify and erase storage media.\n\nCommands:\n", prog);
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(f, "  %s\n", cmds[i].help);
	fprintf(f, "\nRun '%s COMMAND --help' for a command's options.\n"
		   "Exit status: 0 success, 1 the operation failed, 2 usage error or bad input.\n",
		prog);
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("wiper (Tabula) %s\n", TABULA_VERSION);
		return EXIT_OK;
	}
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(argv[1], cmds[i].name) == 0)
			return cmds[i].fn(argc - 1, argv + 1);
	cli_err("unknown command '%s' (try '%s --help')", argv[1], prog);
	return EXIT_USAGE;
}
