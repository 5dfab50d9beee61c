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
	int (*fn)(int argc, char **argv);
	const struct cli_cmd *cli;
} cmds[] = {
	{ cmd_list, &cli_list },
	{ cmd_info, &cli_info },
	{ cmd_erase, &cli_erase },
	{ cmd_verify, &cli_verify },
	{ cmd_unfreeze, &cli_unfreeze },
	{ cmd_decode, &cli_decode },
};

/* Print the top-level usage to @f: every command from its own table. */
static void usage(FILE *f)
{
	size_t i, plen = strlen(prog) + 1;

	fprintf(f, "Usage: %s COMMAND [OPTIONS]\n\n"
		   "Tabula's media tool: find, identify and erase storage media.\n\nCommands:\n", prog);
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(f, "  %-10s %s\n", cmds[i].cli->name + plen, cmds[i].cli->summary);
	fprintf(f, "\nRun '%s COMMAND --help' for a command's options.\n"
		   "Exit status: 0 success, 1 the operation failed, 2 usage error or bad input.\n",
		prog);
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		cli_err("name a command (try '%s --help')", prog);
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
		if (strcmp(argv[1], cmds[i].cli->name + strlen(prog) + 1) == 0)
			return cmds[i].fn(argc - 1, argv + 1);
	cli_err("unknown command '%s' (try '%s --help')", argv[1], prog);
	return EXIT_USAGE;
}
