/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The options of a command, as one table that is at once its parser
 * (getopt_long), its --help text, and so its man page and its shell
 * completion, which are generated from --help. Adding an option is one
 * entry. Used by wiper, certs and tabula alike, so a usage error looks the
 * same in all three: one line naming the bad option and where help is.
 */
#ifndef WIPER_BASE_CLIOPT_H
#define WIPER_BASE_CLIOPT_H

#include <getopt.h>
#include <stdio.h>

/* One option. */
struct cli_opt {
	const char *name;	/* long name, without "--" */
	/*
	 * What cli_next() returns: a letter also gives -LETTER (never 'h',
	 * which is --help); long-only options use values from 256 up.
	 */
	int key;
	const char *arg;	/* placeholder of its value ("FILE"); NULL: takes none */
	/*
	 * One or more lines ('\n') for --help; NULL: a hidden alias, kept so
	 * old scripts work, that --help, the man page and completion leave out.
	 */
	const char *help;
};

#define CLI_SHORT(c) ((c) > 0 && (c) < 128 && (((c) | 32) >= 'a' && ((c) | 32) <= 'z'))
#define CLI_OPTS_MAX 48		/* entries of one table, aliases included */

/* One command (or subcommand). */
struct cli_cmd {
	const char *name;	/* as typed: "certs list" */
	const char *args;	/* what follows the options: "LEDGER" (NULL: nothing) */
	const char *summary;	/* one line: what it does */
	const struct cli_opt *opts;	/* ended by { NULL }; may be NULL */
	const char *notes;	/* text after the options, or NULL */
};

/* What cli_next() returns besides an option's key. */
enum {
	CLI_DONE = -1,		/* no more options: optind is the first operand */
	CLI_HELP = -2,		/* --help: the usage is on stdout, exit 0 */
	CLI_BAD = -3,		/* a usage error was printed, exit 2 */
};

/* Parsing state of one command line. */
struct cli_parser {
	const struct cli_cmd *cmd;
	int argc;
	char **argv;
	struct option lo[CLI_OPTS_MAX + 2];
	char so[3 * CLI_OPTS_MAX + 4];
};

/* Start parsing @argv (argv[0] is the command's own name) against @cmd. */
void cli_begin(struct cli_parser *p, const struct cli_cmd *cmd, int argc, char **argv);
/*
 * The next option's key (optarg holds its value), CLI_DONE, CLI_HELP after
 * printing the usage on stdout, or CLI_BAD after printing one line naming
 * the unknown option or the one missing its value.
 */
int cli_next(struct cli_parser *p);

/* The usage of @cmd: synopsis, summary, every documented option, the notes. */
void cli_usage(FILE *f, const struct cli_cmd *cmd);
/* The options of @cmd only, as in cli_usage(). */
void cli_usage_opts(FILE *f, const struct cli_opt *opts);
/*
 * "NAME: MESSAGE (try 'NAME --help')" on stderr, one line; returns 2 (the
 * exit status of a usage error).
 */
int cli_usage_error(const struct cli_cmd *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* How cli_cell() lays a cell out. */
enum {
	CLI_CELL_CUT = 1,	/* cut to the width, '~' marking the cut */
	CLI_CELL_RIGHT = 2,	/* align right */
	CLI_CELL_LAST = 4,	/* the line's last cell: no padding after it */
};

/*
 * A table cell: @s padded with spaces to @width characters (UTF-8 code
 * points), laid out by @flags (CLI_CELL_*); a cut never falls inside a
 * UTF-8 sequence. Returns @buf (@len bytes).
 */
const char *cli_cell(const char *s, size_t width, unsigned flags, char *buf, size_t len);

#endif
