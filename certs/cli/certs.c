/* SPDX-License-Identifier: GPL-3.0-or-later */
/* certs: verify, print and manage Tabula's certificate ledger. */
#include "config.h"

#include "certs/cli/cli.h"
#include "certs/custody.h"
#include "certs/preflight.h"
#include "certs/registry-pg.h"
#include "certs/canon.h"
#include "certs/text.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *prog = "certs";
char cli_last_error[1024];

static const struct {
	int (*fn)(int argc, char **argv);
	const struct cli_cmd *cli;
} commands[] = {
	{ cmd_verify, &cli_verify },
	{ cmd_list, &cli_list },
	{ cmd_show, &cli_show },
	{ cmd_find, &cli_find },
	{ cmd_pdf, &cli_pdf },
	{ cmd_register, &cli_register },
	{ cmd_export, &cli_export },
	{ cmd_merge, &cli_merge },
	{ cmd_trust, &cli_trust },
	{ cmd_destroy, &cli_destroy },
	{ cmd_lang, &cli_lang },
	{ cmd_recover, &cli_recover },
	{ cmd_custody, &cli_custody_init },
	{ NULL, &cli_custody_status },	/* shown in the list; run through custody */
	{ NULL, &cli_custody_setup },
};

/* The command running, for the hint of a usage error. */
static const char *running = "certs";

/* "certs: MESSAGE@tail" on stderr: the one shape of every message the CLI prints. */
__attribute__((format(printf, 2, 0)))
static void say(const char *tail, const char *fmt, va_list ap)
{
	va_list copy;

	va_copy(copy, ap);
	vsnprintf(cli_last_error, sizeof(cli_last_error), fmt, copy);
	va_end(copy);
	fprintf(stderr, "%s: ", prog);
	vfprintf(stderr, fmt, ap);
	fputs(tail, stderr);
}

int usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	char tail[128];

	snprintf(tail, sizeof(tail), " (try '%s --help')\n", running);
	say(tail, fmt, ap);
	va_end(ap);
	return EXIT_USAGE;
}

const char *tx(const char *s)
{
	static char ring[16][2048];
	static unsigned next;

	return cert_text_escape(s ? s : "", ring[next++ % 16], sizeof(ring[0]));
}

int refuse(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say("\n", fmt, ap);
	va_end(ap);
	return EXIT_USAGE;
}

int cli_output_ok(const char *out, bool force, const char *ledger, const char *key)
{
	char err[1024];

	if (certs_output_check(out, force, cert_pg_is_uri(ledger) ? NULL : ledger, key, err,
			       sizeof(err)))
		return refuse("%s", err);
	return 0;
}

int fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say("\n", fmt, ap);
	va_end(ap);
	return 1;
}

int cli_json_print(struct cj *v)
{
	struct cbuf b = { 0 };
	int rc = v ? cj_encode(v, &b) : -ENOMEM;

	if (!rc)
		printf("%s\n", b.p);
	cbuf_done(&b);
	cj_free(v);
	return rc ? fail("cannot write the JSON: %s", strerror(-rc)) : 0;
}

void cli_hide_password(const char *uri, char *buf, size_t len)
{
	const char *user = strstr(uri, "://"), *at, *colon;
	int n;

	at = user ? strchr(user + 3, '@') : NULL;
	colon = user ? strchr(user + 3, ':') : NULL;
	if (at && colon && colon < at)
		n = snprintf(buf, len, "%.*s:***%s", (int)(colon - uri), uri, at);
	else
		n = snprintf(buf, len, "%s", uri);
	if (n < 0 || (size_t)n >= len)
		buf[len - 1] = '\0';
}

/*
 * A consistent private copy of a PostgreSQL registry, for reading (list,
 * show, pdf, export...), or NULL after saying why.
 */
static struct cert_ledger *open_registry(const char *uri, unsigned flags)
{
	struct cert_ledger *l = NULL;
	struct cert_pg *pg;
	char err[1024], shown[512];

	cli_hide_password(uri, shown, sizeof(shown));
	if (flags & CERT_LEDGER_CREATE) {
		/* A snapshot would take the change and forget it. */
		fail("%s: a PostgreSQL registry is changed only by certs merge", shown);
		return NULL;
	}
	if (cert_pg_open(uri, &pg, err, sizeof(err))) {
		fail("%s: %s", shown, err);
		return NULL;
	}
	if (cert_pg_snapshot(pg, &l))
		fail("%s: %s", shown, cert_pg_error(pg));
	else if (cert_ledger_set_label(l, shown)) {
		fail("%s: out of memory", shown);
		cert_ledger_close(l);
		l = NULL;
	}
	cert_pg_close(pg);
	return l;
}

struct cert_ledger *open_trust_anchors(const char *path)
{
	struct cert_ledger *l = NULL;
	struct cert_pg *pg;
	char err[1024], shown[512];

	if (!cert_pg_is_uri(path))
		return open_ledger(path, CERT_LEDGER_READONLY);
	cli_hide_password(path, shown, sizeof(shown));
	if (cert_pg_open(path, &pg, err, sizeof(err))) {
		fail("%s: %s", shown, err);
		return NULL;
	}
	if (cert_pg_trust_copy(pg, &l))
		fail("%s: %s", shown, cert_pg_error(pg));
	else if (cert_ledger_set_label(l, shown))
		fail("%s: out of memory", shown);
	else {
		cert_pg_close(pg);
		return l;
	}
	cert_ledger_close(l);
	cert_pg_close(pg);
	return NULL;
}

struct cert_ledger *open_ledger(const char *path, unsigned flags)
{
	struct cert_ledger *l = NULL;
	char err[512];
	int rc;

	if (cert_pg_is_uri(path))
		return open_registry(path, flags);
	rc = cert_ledger_open(path, flags, &l, err, sizeof(err));
	if (rc) {
		fail("%s", err);
		return NULL;
	}
	return l;
}

/* Is @word the first word of @cmd after "certs " ("custody" for "certs custody init")? */
static bool is_command(const struct cli_cmd *cmd, const char *word)
{
	const char *n = cmd->name + strlen("certs ");
	size_t len = strlen(word);

	return !strncmp(n, word, len) && (n[len] == '\0' || n[len] == ' ');
}

/* Print the usage: every command from its own table. */
static void help(FILE *f)
{
	size_t i;

	fprintf(f, "Usage: certs COMMAND [OPTIONS] ...\n\n"
		   "Verify, print and manage Tabula's signed, hash-chained certificate ledger.\n\n"
		   "Commands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-16s %s\n", commands[i].cli->name + strlen("certs "),
			commands[i].cli->summary);
	fprintf(f, "\nRun 'certs COMMAND --help' for a command's options. LEDGER is a station's\n"
		   "ledger file; most reading commands also take a registry, postgresql://...\n");
	fprintf(f, "\nKey custody SPEC: file, file:PATH (demo and tests only), tpm, tpm:TCTI (e.g.\n"
		   "tpm:swtpm:host=127.0.0.1,port=2321 or tpm:device:/dev/tpmrm0). Default:\n"
		   "$TABULA_CUSTODY, else tpm when LEDGER.sealed exists, else the key file.\n"
		   "The TPM, when SPEC names none: $TABULA_TPM_TCTI, else " CERT_CUSTODY_DEFAULT_TCTI ".\n"
		   "This build: %s.\n", cert_custody_tpm_supported() ? "TPM custody available (tpm2-tss)" :
		   "no TPM custody (built without tpm2-tss): file custody only");
	fprintf(f, "\n-o never replaces the ledger, its -wal/-shm, its key or a device; an existing\n"
		   "file only with --force.\n"
		   "Exit status: 0 success (verify: genuine), 1 failure or not genuine, 2 usage\n"
		   "or bad input (nothing written).\n");
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2)
		return usage_error("name a command");
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		help(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("certs (Tabula) %s\n", PACKAGE_VERSION);
		return 0;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (commands[i].fn && is_command(commands[i].cli, argv[1])) {
			running = commands[i].cli->name;
			return commands[i].fn(argc - 1, argv + 1);
		}
	return usage_error("unknown command '%s'", argv[1]);
}
