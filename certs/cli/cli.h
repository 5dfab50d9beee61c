/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The certs program: shared helpers for its commands. */
#ifndef CERTS_CLI_H
#define CERTS_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "certs/ledger.h"
#include "wiper/base/cliopt.h"

#define EXIT_USAGE 2

extern const char *prog;
/* The last message usage_error(), refuse() or fail() printed (for --json). */
extern char cli_last_error[1024];

/*
 * Print one usage line on stderr, with where the running command's help
 * is, and return EXIT_USAGE.
 */
int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print "certs: ..." on stderr and return EXIT_USAGE: bad input, nothing was written. */
int refuse(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * May @out be written (certs_output_check() against @ledger, its key and
 * @key, which may be NULL)? 0, or EXIT_USAGE after saying why.
 */
int cli_output_ok(const char *out, bool force, const char *ledger, const char *key);
/* Print "certs: ..." on stderr and return 1. */
int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * Stored text @s escaped for the terminal (cert_text_escape()), in one of
 * 16 rotating buffers: valid until the 16th next call. Every printer of
 * record text uses it.
 */
const char *tx(const char *s);
/*
 * Print @v (taken: freed here) as one line of JSON on stdout; 0, or 1
 * after saying why (out of memory).
 */
struct cj;
int cli_json_print(struct cj *v);
/* "postgresql://user:***@host/db" for messages. */
void cli_hide_password(const char *uri, char *buf, size_t len);
/*
 * Open a ledger or print why. NULL on failure. A PostgreSQL URI opened
 * read-only gives a consistent in-memory copy of the registry.
 */
struct cert_ledger *open_ledger(const char *path, unsigned flags);
/*
 * The trust anchors of a registry, for reading: the file itself, or a
 * private copy of a PostgreSQL registry's stations and trust log (named
 * after its URI, password hidden). NULL after saying why.
 */
struct cert_ledger *open_trust_anchors(const char *path);


/* Each command's options and usage (wiper/base/cliopt.h): its --help and the top-level list. */
extern const struct cli_cmd cli_verify, cli_list, cli_show, cli_find, cli_pdf, cli_register,
	cli_export, cli_merge, cli_destroy, cli_lang, cli_recover, cli_trust, cli_custody_init,
	cli_custody_status, cli_custody_setup;


int cmd_verify(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_find(int argc, char **argv);
int cmd_pdf(int argc, char **argv);
int cmd_register(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_destroy(int argc, char **argv);
int cmd_lang(int argc, char **argv);
int cmd_recover(int argc, char **argv);
int cmd_trust(int argc, char **argv);
int cmd_custody(int argc, char **argv);

#endif
