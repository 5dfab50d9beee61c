/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The station's options on the kernel command line (/proc/cmdline), read as
 * the kernel splits it. Pure functions, no curses: the live image's scripts
 * call `tabula --boot-options /proc/cmdline` instead of splitting the line
 * in the shell.
 *
 *   tabula.auto=purge|clear        unattended erasure of every eligible medium
 *   tabula.operator=NAME           who runs it   } '_' or %20 stand for a space,
 *   tabula.witness=NAME            who saw it    } %XX for any other byte
 *   tabula.auto.delay=SECONDS      countdown before erasing (0..3600, default 0)
 *   tabula.auto.after=poweroff|wait   what to do at the end (default poweroff)
 *   tabula.marker=/dev/ttyS1       serial port for the machine-readable result
 *                                  (ttyS, ttyUSB, ttyACM, ttyAMA or hvc + number)
 *   tabula.lang=en|zh              language of the station
 *   tabula.custody=file|tpm        a new records medium's station key on a PC
 *                                  without a TPM: file is the technician's
 *                                  explicit choice of demo key-file custody
 *   tabula.serial                  the station on ttyS0 too
 */
#ifndef UI_NCURSES_BOOTOPTS_H
#define UI_NCURSES_BOOTOPTS_H

#include <stdbool.h>
#include <stddef.h>

#define UI_BOOT_NAME 128	/* a name on the command line, as UI_STR */
#define UI_BOOT_PERSON 260	/* "Name, Role" from the configuration */
#define UI_BOOT_LINE_MAX 65536	/* far above any kernel's COMMAND_LINE_SIZE */
#define UI_BOOT_DELAY_MAX 3600

struct ui_bootopts {
	char method[8];			/* "purge", "clear", or "" (not unattended) */
	char operator_[UI_BOOT_PERSON];	/* "" when not given */
	char witness[UI_BOOT_PERSON];
	unsigned delay;			/* seconds */
	char after[16];			/* "poweroff" or "wait" */
	char marker[32];		/* a serial device under /dev */
	char lang[8];			/* "en", "zh", or "" */
	char custody[8];		/* "tpm", "file" (demo key file, chosen), or "" */
	bool serial;
	char warnings[512];		/* unknown tabula.* options, "" when none */
};

/*
 * Parse the @len bytes of a kernel command line into @o (defaults first).
 * Words are split at white space outside double quotes; quotes around a
 * value are dropped; "--" ends the kernel's part (what follows is not read).
 * A tabula.* option this station does not know is ignored and named in
 * o->warnings (a tabula.auto.* one is an error). Returns 0, or -EINVAL with
 * the first reason in @err: a value out of range, a name with a control
 * character or bad UTF-8, an option given twice with different values, a
 * NUL byte, a line over UI_BOOT_LINE_MAX. Even then o->marker and o->after
 * hold what the line names, when that is right, so that the failure is
 * reported where and as expected. Byte 0xA0 is not white space here (the
 * kernel's isspace() says it is): it ends many UTF-8 characters.
 */
int ui_bootopts_parse(const char *line, size_t len, struct ui_bootopts *o, char *err,
		      size_t errlen);

/*
 * Decode a name as given on the command line: '_' is a space, %XX a byte.
 * The result must be valid UTF-8 without control characters, 1 to
 * UI_BOOT_NAME - 1 bytes after trimming spaces. 0 or -EINVAL (reason in @err).
 */
int ui_bootopts_name(const char *in, size_t inlen, char *out, size_t outlen, char *err,
		     size_t errlen);

/*
 * `tabula --boot-options PATH`: parse the command line in @path and print
 * each option as KEY=VALUE and a NUL byte; a person not given comes from
 * @cfg (may be NULL). Returns the exit code (0, or 2 with the reason on
 * stderr). See bootopts-cli.c.
 */
struct ui_config;
int ui_bootopts_main(const char *path, const struct ui_config *cfg);

#endif
