/* SPDX-License-Identifier: GPL-3.0-or-later */
/* certs/pdf/font.c: codepoint sets, hb-subset of the real font files, the ToUnicode map. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <hb.h>

#include "certs/pdf/font.h"

#define SANS "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf"

/* UTF-8 text becomes its BMP codepoints; malformed bytes and non-BMP characters are skipped. */
static void test_cpset_utf8(void **state)
{
	struct pd_cpset *s = calloc(1, sizeof(*s));

	(void)state;
	assert_non_null(s);
	pd_cpset_add_utf8(s, "Ab 李伟 é");
	assert_int_equal(pd_cpset_count(s), 6);
	assert_true(pd_cpset_has(s, 'A') && pd_cpset_has(s, 'b') && pd_cpset_has(s, ' '));
	assert_true(pd_cpset_has(s, 0x674e) && pd_cpset_has(s, 0x4f1f) && pd_cpset_has(s, 0xe9));
	pd_cpset_add_utf8(s, "\xe6\x9d");		/* cut sequence */
	pd_cpset_add_utf8(s, "\xff\xc3x");		/* stray bytes, then x */
	pd_cpset_add_utf8(s, "\xf0\x9f\x98\x80");	/* U+1F600, beyond libharu's 16-bit codes */
	pd_cpset_add_utf8(s, "\xed\xa0\x80");		/* a surrogate */
	assert_int_equal(pd_cpset_count(s), 7);
	assert_true(pd_cpset_has(s, 'x'));
	assert_false(pd_cpset_has(s, 0x1f600));
	assert_false(pd_cpset_has(s, 0xd800));
	free(s);
}

/* One bfchar line per code, in order, at most 100 to a block. */
static void test_tounicode(void **state)
{
	struct pd_cpset *s = calloc(1, sizeof(*s));
	struct cbuf m = { 0 };
	uint32_t cp;
	char *p;

	(void)state;
	assert_non_null(s);
	pd_cpset_add_utf8(s, "A李");
	assert_int_equal(pd_font_tounicode(s, true, &m), 0);
	assert_int_equal(cbuf_put(&m, "", 1), 0);
	assert_non_null(strstr(m.p, "/CMapType 2 def"));
	assert_non_null(strstr(m.p, "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"));
	assert_non_null(strstr(m.p, "2 beginbfchar\n<0041> <0041>\n<674E> <674E>\nendbfchar\n"));
	assert_null(strstr(m.p, "cidrange"));
	for (cp = 0x4e00; cp < 0x4e00 + 250; cp++)
		s->bits[cp / 64] |= 1ull << (cp % 64);
	assert_int_equal(pd_font_tounicode(s, true, &m), 0);
	assert_int_equal(cbuf_put(&m, "", 1), 0);
	p = strstr(m.p, "100 beginbfchar\n<0041> <0041>\n<4E00> <4E00>\n");
	assert_non_null(p);
	p = strstr(p + 1, "100 beginbfchar\n");
	assert_non_null(p);
	p = strstr(p + 1, "52 beginbfchar\n");
	assert_non_null(p);
	assert_non_null(strstr(p, "<4EF9> <4EF9>\n<674E> <674E>\nendbfchar\nendcmap\n"));
	/* One-byte WinAnsi codes: printable ASCII only. */
	memset(s, 0, sizeof(*s));
	pd_cpset_add_utf8(s, "\tA~ é李");
	assert_int_equal(pd_font_tounicode(s, false, &m), 0);
	assert_int_equal(cbuf_put(&m, "", 1), 0);
	assert_non_null(strstr(m.p, "1 begincodespacerange\n<00> <FF>\nendcodespacerange\n"));
	assert_non_null(strstr(m.p, "3 beginbfchar\n<20> <0020>\n<41> <0041>\n<7E> <007E>\nendbfchar\n"));
	cbuf_done(&m);
	free(s);
}

/* The subset of @path face @index for @text: its codepoints, and its size. */
static size_t subset_of(const char *path, unsigned index, const char *text, struct pd_cpset *got)
{
	struct pd_cpset *want = calloc(1, sizeof(*want));
	struct cbuf sub = { 0 };
	hb_blob_t *blob;
	hb_face_t *face;
	hb_set_t *u = hb_set_create();
	hb_codepoint_t cp = HB_SET_VALUE_INVALID;
	size_t len;

	assert_non_null(want);
	pd_cpset_add_utf8(want, text);
	assert_int_equal(pd_font_subset(path, index, want, &sub), 0);
	blob = hb_blob_create(sub.p, (unsigned)sub.len, HB_MEMORY_MODE_READONLY, NULL, NULL);
	face = hb_face_create(blob, 0);
	hb_face_collect_unicodes(face, u);
	memset(got, 0, sizeof(*got));
	while (hb_set_next(u, &cp))
		got->bits[cp / 64] |= 1ull << (cp % 64);
	/* One glyph per codepoint and .notdef, and the parts of any composite glyph. */
	assert_true(hb_face_get_glyph_count(face) >= pd_cpset_count(want) + 1);
	assert_true(hb_face_get_glyph_count(face) <= 2 * (pd_cpset_count(want) + 1));
	assert_memory_equal(got->bits, want->bits, sizeof(got->bits));
	hb_set_destroy(u);
	hb_face_destroy(face);
	hb_blob_destroy(blob);
	len = sub.len;
	cbuf_done(&sub);
	free(want);
	return len;
}

/* The real font files subset to the codepoints asked, and to a fraction of their size. */
static void test_subset(void **state)
{
	struct pd_cpset *got = calloc(1, sizeof(*got));
	size_t n;

	(void)state;
	assert_non_null(got);
	if (access(CJK_FONT, R_OK) || access(SANS, R_OK)) {
		free(got);
		skip();
	}
	n = subset_of(CJK_FONT, 0, "介质数据清除证明书 李伟 王芳 ST01-000001", got);
	printf("WenQuanYi Micro Hei, 26 codepoints: %zu bytes\n", n);
	assert_true(n < 40000);
	n = subset_of(SANS, 0, "CERTIFICATE OF MEDIA SANITIZATION 0123456789", got);
	printf("Liberation Sans, 26 codepoints: %zu bytes\n", n);
	assert_true(n < 20000);
	free(got);
}

/* A missing file and a file that is no font are told apart. */
static void test_subset_errors(void **state)
{
	struct pd_cpset *s = calloc(1, sizeof(*s));
	struct cbuf out = { 0 };
	char path[] = "/tmp/tabula-font-XXXXXX";
	int fd;

	(void)state;
	assert_non_null(s);
	pd_cpset_add_utf8(s, "abc");
	assert_int_equal(pd_font_subset("/nonexistent/font.ttf", 0, s, &out), -ENOENT);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "not a font at all", 17), 17);
	close(fd);
	assert_int_equal(pd_font_subset(path, 0, s, &out), -EINVAL);
	unlink(path);
	cbuf_done(&out);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cpset_utf8),
		cmocka_unit_test(test_tounicode),
		cmocka_unit_test(test_subset),
		cmocka_unit_test(test_subset_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
