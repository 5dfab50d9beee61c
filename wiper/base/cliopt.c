/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Command options from one table: the parser, the usage and the usage errors. */
#include "config.h"

#include "wiper/base/cliopt.h"

#include <stdarg.h>
#include <stdbool.h>
#include <string.h>

/* Where an option's help text starts. */
#define HELP_COL 26

static const struct cli_opt help_opt = { "help", 'h', NULL, "show this help and exit" };

void cli_begin(struct cli_parser *p, const struct cli_cmd *cmd, int argc, char **argv)
{
	const struct cli_opt *o;
	size_t n = 0, s = 0;

	memset(p, 0, sizeof(*p));
	p->cmd = cmd;
	p->argc = argc;
	p->argv = argv;
	/* ':' first: a missing value is told apart from an unknown option. */
	p->so[s++] = ':';
	for (o = cmd->opts; o && o->name && n < CLI_OPTS_MAX; o++, n++) {
		p->lo[n] = (struct option){ o->name, o->arg ? required_argument : no_argument,
					    NULL, o->key };
		if (CLI_SHORT(o->key)) {
			p->so[s++] = (char)o->key;
			if (o->arg)
				p->so[s++] = ':';
		}
	}
	p->lo[n++] = (struct option){ "help", no_argument, NULL, 'h' };
	p->so[s++] = 'h';
	p->so[s] = '\0';
	optind = 1;
	opterr = 0;	/* our own one-line messages */
}

/* The option @arg as typed, without a "=VALUE". */
static void opt_name(const char *arg, char *buf, size_t len)
{
	size_t n = strcspn(arg, "=");

	if (n >= len)
		n = len - 1;
	memcpy(buf, arg, n);
	buf[n] = '\0';
}

int cli_next(struct cli_parser *p)
{
	char name[64];
	int c = getopt_long(p->argc, p->argv, p->so, p->lo, NULL);

	if (c == -1)
		return CLI_DONE;
	if (c == 'h') {
		cli_usage(stdout, p->cmd);
		return CLI_HELP;
	}
	if (c == '?' || c == ':') {
		const char *what = c == ':' ? "needs a value" : "unknown option";

		if (strncmp(p->argv[optind - 1], "--", 2) != 0 && optopt > ' ' && optopt < 127)
			snprintf(name, sizeof(name), "-%c", optopt);	/* not its cluster */
		else
			opt_name(p->argv[optind - 1], name, sizeof(name));
		if (c == ':')
			cli_usage_error(p->cmd, "%s %s", name, what);
		else
			cli_usage_error(p->cmd, "%s '%s'", what, name);
		return CLI_BAD;
	}
	return c;
}

/* "  -o, --output FILE" into @buf. */
static void opt_head(const struct cli_opt *o, char *buf, size_t len)
{
	int n;

	if (CLI_SHORT(o->key))
		n = snprintf(buf, len, "  -%c, --%s%s%s", o->key, o->name, o->arg ? " " : "",
			     o->arg ? o->arg : "");
	else
		n = snprintf(buf, len, "      --%s%s%s", o->name, o->arg ? " " : "",
			     o->arg ? o->arg : "");
	if (n < 0 || (size_t)n >= len)
		buf[len - 1] = '\0';
}

/* One option's lines. */
static void usage_opt(FILE *f, const struct cli_opt *o)
{
	char head[128];
	const char *h = o->help, *nl;
	size_t w;

	opt_head(o, head, sizeof(head));
	w = strlen(head);
	fputs(head, f);
	if (w + 2 > HELP_COL) {
		fputc('\n', f);
		w = 0;
	}
	for (;;) {
		nl = strchr(h, '\n');
		fprintf(f, "%*s%.*s\n", (int)(HELP_COL - w), "",
			nl ? (int)(nl - h) : (int)strlen(h), h);
		if (!nl)
			break;
		h = nl + 1;
		w = 0;
	}
}

void cli_usage_opts(FILE *f, const struct cli_opt *opts)
{
	const struct cli_opt *o;

	for (o = opts; o && o->name; o++)
		if (o->help)
			usage_opt(f, o);
}

void cli_usage(FILE *f, const struct cli_cmd *cmd)
{
	size_t n = strlen(cmd->summary);

	/* the summary as a sentence: "every medium" in a list, "Every medium." here */
	fprintf(f, "Usage: %s [OPTIONS]%s%s\n\n%c%s%s\n\nOptions:\n", cmd->name,
		cmd->args ? " " : "", cmd->args ? cmd->args : "",
		cmd->summary[0] >= 'a' && cmd->summary[0] <= 'z' ? cmd->summary[0] - 32 :
								     cmd->summary[0],
		cmd->summary + (n > 0), n && strchr(".?!", cmd->summary[n - 1]) ? "" : ".");
	cli_usage_opts(f, cmd->opts);
	usage_opt(f, &help_opt);
	if (cmd->notes)
		fprintf(f, "\n%s", cmd->notes);
}

int cli_usage_error(const struct cli_cmd *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (try '%s --help')\n", cmd->name);
	return 2;
}

/* The code points in the first @n bytes of @s. */
static size_t u8_chars(const char *s, size_t n)
{
	size_t i, c = 0;

	for (i = 0; i < n && s[i]; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			c++;
	return c;
}

const char *cli_cell(const char *s, size_t width, unsigned flags, char *buf, size_t len)
{
	bool cut = flags & CLI_CELL_CUT, right = flags & CLI_CELL_RIGHT;
	size_t n = strlen(s), chars = u8_chars(s, n), i, pad;
	int k;

	if (cut && width > 0 && chars > width) {
		/* keep width - 1 characters, then the mark */
		for (i = 0, chars = 0; i < n; i++) {
			if (((unsigned char)s[i] & 0xC0) != 0x80 && chars++ == width - 1)
				break;
		}
		k = snprintf(buf, len, "%.*s~", (int)i, s);
		if (k < 0 || (size_t)k >= len)
			buf[len - 1] = '\0';
		return buf;
	}
	pad = chars < width && !(flags & CLI_CELL_LAST) ? width - chars : 0;
	k = right ? snprintf(buf, len, "%*s%s", (int)pad, "", s) :
		    snprintf(buf, len, "%s%*s", s, (int)pad, "");
	if (k < 0 || (size_t)k >= len)
		buf[len - 1] = '\0';
	return buf;
}
