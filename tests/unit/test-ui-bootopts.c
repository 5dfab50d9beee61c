/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The station's options on the kernel command line, split as the kernel splits it. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ui-ncurses/station/bootopts.h"

static struct ui_bootopts o;
static char err[256];

static int parse(const char *line)
{
	err[0] = '\0';
	return ui_bootopts_parse(line, strlen(line), &o, err, sizeof(err));
}

/* Expect a refusal whose reason contains @why. */
static void refused(const char *line, const char *why)
{
	assert_int_equal(parse(line), -EINVAL);
	if (strstr(err, why) == NULL)
		fail_msg("'%s': reason '%s' lacks '%s'", line, err, why);
}

static void test_defaults(void **state)
{
	(void)state;
	assert_int_equal(parse("BOOT_IMAGE=/live/vmlinuz boot=live components quiet\n"), 0);
	assert_string_equal(o.method, "");
	assert_string_equal(o.operator_, "");
	assert_int_equal(o.delay, 0);
	assert_string_equal(o.after, "poweroff");
	assert_string_equal(o.marker, "/dev/ttyS1");
	assert_string_equal(o.lang, "");
	assert_string_equal(o.custody, "");
	assert_false(o.serial);
	assert_string_equal(o.warnings, "");
	assert_int_equal(parse(""), 0);
}

static void test_unattended(void **state)
{
	(void)state;
	assert_int_equal(parse("boot=live tabula.auto=purge tabula.operator=E2E_Operator"
			       " tabula.witness=E2E%20Witness tabula.auto.delay=15"
			       " tabula.auto.after=wait tabula.marker=/dev/ttyS2 tabula.lang=zh"
			       " tabula.serial tabula.custody=file console=ttyS0,115200\n"), 0);
	assert_string_equal(o.method, "purge");
	assert_string_equal(o.custody, "file");
	assert_string_equal(o.operator_, "E2E Operator");
	assert_string_equal(o.witness, "E2E Witness");
	assert_int_equal(o.delay, 15);
	assert_string_equal(o.after, "wait");
	assert_string_equal(o.marker, "/dev/ttyS2");
	assert_string_equal(o.lang, "zh");
	assert_true(o.serial);
}

/* Quotes as the kernel takes them: a value may hold spaces. */
static void test_quotes(void **state)
{
	(void)state;
	assert_int_equal(parse("tabula.operator=\"Ann Example, Technician\" tabula.auto=clear"), 0);
	assert_string_equal(o.operator_, "Ann Example, Technician");
	assert_string_equal(o.method, "clear");
	assert_int_equal(parse("\"tabula.witness=Bob  B\"\ttabula.auto.delay=\"7\""), 0);
	assert_string_equal(o.witness, "Bob  B");
	assert_int_equal(o.delay, 7);
	/* An unclosed quote runs to the end of the line, as in the kernel. */
	assert_int_equal(parse("tabula.operator=\"Ann tabula.auto=purge"), 0);
	assert_string_equal(o.operator_, "Ann tabula.auto=purge");
	assert_string_equal(o.method, "");
	/* A closing quote goes only with an opening one; a quote inside a key stays. */
	assert_int_equal(parse("tabula.operator=Bob\""), 0);
	assert_string_equal(o.operator_, "Bob\"");
	assert_int_equal(parse("\"tabula.serial\" tab\"ula.auto=purge"), 0);
	assert_true(o.serial);
	assert_string_equal(o.method, "");
	/* Byte 0xA0 ends many UTF-8 characters: a raw UTF-8 name stays one word. */
	assert_int_equal(parse("tabula.operator=\xe5\xbc\xa0\xe4\xb8\x89 tabula.auto=clear"), 0);
	assert_string_equal(o.operator_, "\xe5\xbc\xa0\xe4\xb8\x89");
	assert_string_equal(o.method, "clear");
	/* /proc/cmdline's line end does not join an unclosed quote's value */
	assert_int_equal(parse("tabula.operator=\"Ann\n"), 0);
	assert_string_equal(o.operator_, "Ann");
}

/* '_' and %XX decode; UTF-8 names pass; spaces around are trimmed. */
static void test_names(void **state)
{
	char out[UI_BOOT_NAME];

	(void)state;
	assert_int_equal(parse("tabula.operator=%E7%8E%8B%E5%B0%8F%E6%98%8E"
			       " tabula.witness=__Zo%C3%AB_M%c3%bcller__"), 0);
	assert_string_equal(o.operator_, "\xe7\x8e\x8b\xe5\xb0\x8f\xe6\x98\x8e");
	assert_string_equal(o.witness, "Zo\xc3\xab M\xc3\xbcller");
	/* a literal backslash, quote or dollar is just a character: no shell reads it */
	assert_int_equal(parse("tabula.operator=a\\b$(x)`y`"), 0);
	assert_string_equal(o.operator_, "a\\b$(x)`y`");
	/* the limit: 127 bytes */
	memset(out, 'a', sizeof(out));
	out[sizeof(out) - 1] = '\0';
	assert_int_equal(ui_bootopts_name(out, UI_BOOT_NAME - 1, out, sizeof(out), err,
					  sizeof(err)), 0);
	assert_int_equal(strlen(out), UI_BOOT_NAME - 1);
}

static void test_bad_names(void **state)
{
	char line[400];

	(void)state;
	refused("tabula.operator=Ann%0aRoot", "control character");
	refused("tabula.operator=Ann%00", "control character");
	refused("tabula.operator=Ann%7f", "control character");
	refused("tabula.operator=Ann%c2%85", "control character");	/* C1 NEL */
	refused("tabula.operator=%ff", "not UTF-8");
	refused("tabula.operator=%c0%80", "not UTF-8");		/* overlong NUL */
	refused("tabula.operator=%ed%a0%80", "not UTF-8");	/* a surrogate */
	refused("tabula.operator=%e7%8e", "not UTF-8");		/* cut short */
	refused("tabula.operator=100%", "two hex digits");
	refused("tabula.operator=%2", "two hex digits");
	refused("tabula.operator=%zz", "two hex digits");
	refused("tabula.operator=___", "empty");
	refused("tabula.operator=", "empty");
	refused("tabula.operator", "needs a value");
	memcpy(line, "tabula.witness=", 15);
	memset(line + 15, 'b', UI_BOOT_NAME);
	line[15 + UI_BOOT_NAME] = '\0';
	refused(line, "longer than");
}

static void test_bad_values(void **state)
{
	(void)state;
	refused("tabula.auto=erase", "tabula.auto=erase: want purge or clear");
	refused("tabula.auto=er\x01se", "tabula.auto=er?se: want");	/* shown without its control byte */
	refused("tabula.auto=PURGE", "purge or clear");
	refused("tabula.auto", "needs a value");
	refused("tabula.auto.delay=-1", "0 to 3600");
	refused("tabula.auto.delay=3601", "0 to 3600");
	refused("tabula.auto.delay=99999999999999999999", "0 to 3600");
	refused("tabula.auto.delay=1e3", "0 to 3600");
	refused("tabula.auto.delay=", "0 to 3600");
	refused("tabula.auto.after=reboot", "poweroff or wait");
	refused("tabula.lang=de", "en or zh");
	refused("tabula.custody=hsm", "file (demo key-file custody");
	refused("tabula.marker=/etc/passwd", "serial port");
	refused("tabula.marker=/dev/sda", "serial port");
	refused("tabula.marker=/dev/ttyS1/../../sda", "serial port");
	refused("tabula.marker=/dev/ttyS", "serial port");
	refused("tabula.marker=/dev/ttyS1234", "serial port");
	assert_int_equal(parse("tabula.marker=/dev/ttyUSB0 tabula.auto.delay=3600"), 0);
	assert_string_equal(o.marker, "/dev/ttyUSB0");
	assert_int_equal(o.delay, 3600);
	assert_int_equal(parse("tabula.marker=/dev/hvc1 tabula.auto.delay=0007"), 0);
	assert_int_equal(o.delay, 7);
}

/* Given twice: the same value is fine, two different ones are refused. */
static void test_twice(void **state)
{
	(void)state;
	assert_int_equal(parse("tabula.auto=clear tabula.auto=clear"), 0);
	assert_string_equal(o.method, "clear");
	assert_int_equal(parse("tabula.auto.delay=15 tabula.auto.delay=015"), 0);
	refused("tabula.auto=clear tabula.auto=purge", "given twice");
	refused("tabula.operator=Ann tabula.operator=Bob", "given twice");
	refused("tabula.marker=/dev/ttyS1 tabula.marker=/dev/ttyS0", "given twice");
	assert_string_equal(o.marker, "/dev/ttyS1");	/* conflicting markers: the default */
}

/* A refusal still names the marker the line gives, to say it there; the first reason wins. */
static void test_marker_on_refusal(void **state)
{
	(void)state;
	refused("tabula.auto=erase tabula.marker=/dev/ttyUSB0 tabula.lang=de tabula.auto.after=wait",
		"tabula.auto=erase");
	assert_string_equal(o.marker, "/dev/ttyUSB0");
	assert_string_equal(o.after, "wait");
	assert_string_equal(o.method, "");	/* nothing else is handed out */
	refused("tabula.marker=/dev/sda tabula.auto=erase", "tabula.marker=/dev/sda");
	assert_string_equal(o.marker, "/dev/ttyS1");
}

/* After "--" the words are init's, not options. */
static void test_dashdash(void **state)
{
	(void)state;
	assert_int_equal(parse("quiet -- tabula.auto=purge"), 0);
	assert_string_equal(o.method, "");
	assert_int_equal(parse("quiet tabula.auto=purge --"), 0);
	assert_string_equal(o.method, "purge");
	assert_int_equal(parse("quiet \"--\" tabula.auto=purge"), 0);	/* quoted, as the kernel */
	assert_string_equal(o.method, "");
}

static void test_unknown(void **state)
{
	(void)state;
	assert_int_equal(parse("tabula.atuo=purge tabula.auto=clear tabula.x%01\x7f"), 0);
	assert_string_equal(o.method, "clear");
	assert_non_null(strstr(o.warnings, "unknown boot option tabula.atuo ignored"));
	assert_non_null(strstr(o.warnings, "tabula.x%01?"));	/* shown without its control byte */
	/* a misspelt option of unattended mode stops it: a typo must not drop the countdown */
	refused("tabula.auto=purge tabula.auto.dealy=15", "tabula.auto.dealy: no such option");
	/* the words of other programs are not ours to judge */
	assert_int_equal(parse("tabulax=1 tabula=2 root=/dev/sda1 tabula.iso"), 0);
	assert_non_null(strstr(o.warnings, "tabula.iso"));
}

static void test_line(void **state)
{
	static const char nul[] = "tabula.auto=clear\0tabula.auto=purge";
	char *big;

	(void)state;
	assert_int_equal(ui_bootopts_parse(nul, sizeof(nul) - 1, &o, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "NUL"));
	big = malloc(UI_BOOT_LINE_MAX + 1);
	assert_non_null(big);
	memset(big, ' ', UI_BOOT_LINE_MAX + 1);
	assert_int_equal(ui_bootopts_parse(big, UI_BOOT_LINE_MAX, &o, err, sizeof(err)), 0);
	assert_int_equal(ui_bootopts_parse(big, UI_BOOT_LINE_MAX + 1, &o, err, sizeof(err)),
			 -EINVAL);
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_unattended),
		cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_bad_names),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_twice),
		cmocka_unit_test(test_marker_on_refusal),
		cmocka_unit_test(test_dashdash),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
