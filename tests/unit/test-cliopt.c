/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Command options from one table: parsing, usage errors, the usage text, table cells. */
#include "config.h"

#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "wiper/base/cliopt.h"

enum { K_LEDGER = 256, K_ASSET, K_LONGNAME };

static const struct cli_opt opts[] = {
	{ "ledger", K_LEDGER, "PATH", "the ledger" },
	{ "json", 'j', NULL, "JSON on stdout" },
	{ "wide", 'w', NULL, "every column" },
	{ "asset", K_ASSET, "N", "the asset number\nof the medium" },
	{ "property", K_ASSET, "N", NULL },	/* hidden alias */
	{ "a-rather-long-option", K_LONGNAME, "VALUE", "help on the next line" },
	{ NULL, 0, NULL, NULL },
};

static const struct cli_cmd cmd = { "prog sub", "LEDGER", "do a thing", opts, "Notes.\n" };

/* Run cli_next() over @argv until CLI_DONE or an error; keys into @keys, stderr into @err. */
static int parse(char **argv, int *keys, size_t nkeys, char *err, size_t errlen, int *first)
{
	struct cli_parser p;
	FILE *tmp = tmpfile();
	int saved = dup(2), argc = 0, c, n = 0;
	size_t got;

	assert_non_null(tmp);
	fflush(stderr);
	dup2(fileno(tmp), 2);
	while (argv[argc])
		argc++;
	cli_begin(&p, &cmd, argc, argv);
	while ((c = cli_next(&p)) != CLI_DONE && c != CLI_BAD && c != CLI_HELP)
		if ((size_t)n < nkeys)
			keys[n++] = c;
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(tmp);
	got = fread(err, 1, errlen - 1, tmp);
	err[got] = '\0';
	fclose(tmp);
	*first = optind;
	return c == CLI_DONE ? n : c;
}

static void test_parse_values(void **state)
{
	char *argv[] = { "sub", "--ledger", "l.db", "-jw", "--property", "X", "L", "--asset=Y", NULL };
	int keys[8], first, n;
	char err[256];

	(void)state;
	n = parse(argv, keys, 8, err, sizeof(err), &first);
	assert_int_equal(n, 5);
	assert_int_equal(keys[0], K_LEDGER);
	assert_int_equal(keys[1], 'j');
	assert_int_equal(keys[2], 'w');
	assert_int_equal(keys[3], K_ASSET);	/* the alias gives the same key */
	assert_int_equal(keys[4], K_ASSET);
	assert_string_equal(err, "");
	assert_string_equal(argv[first], "L");	/* operands after the options */
}

static void test_unknown_long(void **state)
{
	char *argv[] = { "sub", "--bogus=3", "L", NULL };
	int keys[4], first;
	char err[256];

	(void)state;
	assert_int_equal(parse(argv, keys, 4, err, sizeof(err), &first), CLI_BAD);
	assert_string_equal(err, "prog sub: unknown option '--bogus' (try 'prog sub --help')\n");
}

static void test_unknown_short_in_cluster(void **state)
{
	char *argv[] = { "sub", "-jx", NULL };
	int keys[4], first;
	char err[256];

	(void)state;
	assert_int_equal(parse(argv, keys, 4, err, sizeof(err), &first), CLI_BAD);
	assert_string_equal(err, "prog sub: unknown option '-x' (try 'prog sub --help')\n");
}

static void test_missing_value(void **state)
{
	char *argv[] = { "sub", "L", "--ledger", NULL };
	int keys[4], first;
	char err[256];

	(void)state;
	assert_int_equal(parse(argv, keys, 4, err, sizeof(err), &first), CLI_BAD);
	assert_string_equal(err, "prog sub: --ledger needs a value (try 'prog sub --help')\n");
}

/* Does @hay contain @needle? */
static bool has(const char *hay, const char *needle)
{
	return strstr(hay, needle) != NULL;
}

static void test_usage(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	cli_usage(f, &cmd);
	fclose(f);
	assert_true(has(buf, "Usage: prog sub [OPTIONS] LEDGER\n\nDo a thing.\n\nOptions:\n"));
	assert_true(has(buf, "      --ledger PATH       the ledger\n"));
	assert_true(has(buf, "  -j, --json              JSON on stdout\n"));
	/* a second help line starts under the first */
	assert_true(has(buf, "      --asset N           the asset number\n"
			     "                          of the medium\n"));
	/* a head too long for its column puts the help on the next line */
	assert_true(has(buf, "      --a-rather-long-option VALUE\n"
			     "                          help on the next line\n"));
	assert_true(has(buf, "  -h, --help              show this help and exit\n"));
	assert_false(has(buf, "property"));	/* the alias stays hidden */
	assert_true(has(buf, "\nNotes.\n"));
	free(buf);
}

static void test_cell(void **state)
{
	char b[64];

	(void)state;
	assert_string_equal(cli_cell("ab", 5, 0, b, sizeof(b)), "ab   ");
	assert_string_equal(cli_cell("ab", 5, CLI_CELL_RIGHT, b, sizeof(b)), "   ab");
	assert_string_equal(cli_cell("ab", 5, CLI_CELL_LAST, b, sizeof(b)), "ab");
	assert_string_equal(cli_cell("abcdefgh", 5, CLI_CELL_CUT, b, sizeof(b)), "abcd~");
	assert_string_equal(cli_cell("abcdefgh", 5, 0, b, sizeof(b)), "abcdefgh");
	assert_string_equal(cli_cell("abcde", 5, CLI_CELL_CUT, b, sizeof(b)), "abcde");
	/* widths count characters, and a cut never splits one */
	assert_string_equal(cli_cell("李伟", 4, 0, b, sizeof(b)), "李伟  ");
	assert_string_equal(cli_cell("李伟王芳", 3, CLI_CELL_CUT, b, sizeof(b)), "李伟~");
	assert_string_equal(cli_cell("", 0, CLI_CELL_CUT, b, sizeof(b)), "");
	/* a buffer too small is cut, still a string */
	assert_string_equal(cli_cell("abcdefgh", 10, 0, b, 4), "abc");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_values),
		cmocka_unit_test(test_unknown_long),
		cmocka_unit_test(test_unknown_short_in_cluster),
		cmocka_unit_test(test_missing_value),
		cmocka_unit_test(test_usage),
		cmocka_unit_test(test_cell),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
