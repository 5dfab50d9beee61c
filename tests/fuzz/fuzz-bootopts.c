/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libFuzzer target: the station's options on the kernel command line
 * (`tabula --boot-options /proc/cmdline`, read by the live image's
 * unattended mode). Whatever the line, a parse that succeeds hands out only
 * values the scripts may use as they are: a known method, a serial port
 * under /dev, names of valid UTF-8 without control characters.
 */
#include "config.h"

#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ui-ncurses/station/bootopts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

static void check_str(const char *s, size_t n)
{
	if (memchr(s, '\0', n) == NULL)
		__builtin_trap();
}

/*
 * A name as handed out: valid UTF-8 by a decoder other than the parser's
 * own (iconv), no control character (C0, DEL, C1), no space at either end,
 * shorter than UI_BOOT_NAME.
 */
static void check_name(const char *s)
{
	static iconv_t cd = (iconv_t)-1;
	uint32_t cps[UI_BOOT_NAME];
	size_t n = strlen(s), inleft = n, outleft = sizeof(cps), i, ncp;
	char *in = (char *)s, *out = (char *)cps;

	if (n == 0)
		return;
	if (s[0] == ' ' || s[n - 1] == ' ' || n >= UI_BOOT_NAME)
		__builtin_trap();
	if (cd == (iconv_t)-1)
		cd = iconv_open("UTF-32LE", "UTF-8");
	if (cd == (iconv_t)-1)
		abort();
	iconv(cd, NULL, NULL, NULL, NULL);
	if (iconv(cd, &in, &inleft, &out, &outleft) == (size_t)-1 || inleft != 0)
		__builtin_trap();	/* not UTF-8, yet handed out */
	ncp = (sizeof(cps) - outleft) / 4;
	for (i = 0; i < ncp; i++)
		if (cps[i] < 0x20 || (cps[i] >= 0x7f && cps[i] <= 0x9f))
			__builtin_trap();
}

/* The marker: /dev/ + one of the serial prefixes + 1 to 3 digits. */
static void check_marker(const char *m)
{
	static const char *const pfx[] = { "ttyS", "ttyUSB", "ttyACM", "ttyAMA", "hvc" };
	size_t i, pl, d;

	if (strncmp(m, "/dev/", 5) != 0)
		__builtin_trap();
	for (i = 0; i < sizeof(pfx) / sizeof(pfx[0]); i++) {
		pl = strlen(pfx[i]);
		if (strncmp(m + 5, pfx[i], pl) != 0)
			continue;
		d = strspn(m + 5 + pl, "0123456789");
		if (d >= 1 && d <= 3 && m[5 + pl + d] == '\0')
			return;
	}
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
		check_str(o.marker, sizeof(o.marker));
		check_marker(o.marker);		/* where the refusal is reported */
		if (strcmp(o.after, "poweroff") && strcmp(o.after, "wait"))
			__builtin_trap();
		if (o.method[0] || o.operator_[0] || o.witness[0])
			__builtin_trap();	/* nothing else is handed out */
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
	check_marker(o.marker);
	if (o.lang[0] && strcmp(o.lang, "en") && strcmp(o.lang, "zh"))
		__builtin_trap();
	if (o.delay > UI_BOOT_DELAY_MAX)
		__builtin_trap();
	check_name(o.operator_);
	check_name(o.witness);
	return 0;
}
