/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libFuzzer target: the station's options on the kernel command line
 * (`tabula --boot-options /proc/cmdline`, read by the live image's
 * unattended mode). Whatever the line, a parse that succeeds hands out only
 * values the scripts may use as they are: a known method, a serial port
 * under /dev, names of valid UTF-8 without control characters.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ui-ncurses/bootopts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

static void check_str(const char *s, size_t n)
{
	if (memchr(s, '\0', n) == NULL)
		__builtin_trap();
}

/* A name as handed out: no control byte, no space at either end, not empty when set. */
static void check_name(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0)
		return;
	if (s[0] == ' ' || s[n - 1] == ' ' || n >= UI_BOOT_NAME)
		__builtin_trap();
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct ui_bootopts o;
	char err[256];

	err[0] = '\0';
	if (ui_bootopts_parse((const char *)data, len, &o, err, sizeof(err)) != 0) {
		check_str(err, sizeof(err));
		if (!err[0])
			__builtin_trap();	/* a refusal always says why */
		return 0;
	}
	check_str(o.method, sizeof(o.method));
	check_str(o.operator_, sizeof(o.operator_));
	check_str(o.witness, sizeof(o.witness));
	check_str(o.after, sizeof(o.after));
	check_str(o.marker, sizeof(o.marker));
	check_str(o.lang, sizeof(o.lang));
	check_str(o.warnings, sizeof(o.warnings));
	if (o.method[0] && strcmp(o.method, "purge") && strcmp(o.method, "clear"))
		__builtin_trap();
	if (strcmp(o.after, "poweroff") && strcmp(o.after, "wait"))
		__builtin_trap();
	if (strncmp(o.marker, "/dev/", 5) || strchr(o.marker + 5, '/') || strstr(o.marker, ".."))
		__builtin_trap();
	if (o.lang[0] && strcmp(o.lang, "en") && strcmp(o.lang, "zh"))
		__builtin_trap();
	if (o.delay > UI_BOOT_DELAY_MAX)
		__builtin_trap();
	check_name(o.operator_);
	check_name(o.witness);
	return 0;
}
