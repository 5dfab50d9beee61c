/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The method table, pass resolution, pattern and verify-mode parsing. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "wiper/methods.h"
#include "wiper/prng.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static struct wiper_pass out[WIPER_PASSES_MAX];

/* Resolve method @name once with @seed and @rounds; returns the pass count. */
static int resolve(const char *name, unsigned rounds, uint64_t seed, struct wiper_pass *dst)
{
	const struct wiper_method *m = wiper_method_find(name);

	assert_non_null(m);
	return wiper_method_resolve(m->passes, m->npasses, m->shuffle_middle, rounds, seed, dst,
				    WIPER_PASSES_MAX);
}

/* The pass as text, for comparing whole lists. */
static const char *str(const struct wiper_pass *p)
{
	static char buf[40];

	return wiper_pass_str(p, buf, sizeof(buf));
}

/* Do @a and @b write the same fixed bytes? */
static bool same_pattern(const struct wiper_pass *a, const struct wiper_pass *b)
{
	return !a->random && !b->random && a->pattern_len == b->pattern_len &&
	       memcmp(a->pattern, b->pattern, a->pattern_len) == 0;
}

/* Assert the passes of @name (seed 1) read as @want, e.g. "00 ff random". */
static void assert_passes(const char *name, const char *const *want, size_t n)
{
	size_t i;

	assert_int_equal(resolve(name, 1, 1, out), (int)n);
	for (i = 0; i < n; i++)
		assert_string_equal(str(&out[i]), want[i]);
}

static void test_table(void **state)
{
	static const char *const names[] = {
		"zero", "one", "random", "dod522022m", "dod522022m-ece", "gutmann",
		"hmg-is5-baseline", "hmg-is5-enhanced", "schneier", "rcmp-tssit-ops-ii",
	};
	const struct wiper_method *m;
	size_t n, i, j;

	(void)state;
	m = wiper_methods(&n);
	assert_int_equal(n, NELEM(names));
	for (i = 0; i < n; i++) {
		assert_string_equal(m[i].name, names[i]);
		assert_non_null(m[i].title);
		assert_non_null(m[i].note);
		assert_true(strlen(m[i].title) > 0 && strlen(m[i].note) > 0);
		assert_true(m[i].npasses > 0);
		assert_int_equal(m[i].default_verify, WIPER_VERIFY_LAST);
		assert_int_equal(m[i].shuffle_middle, strcmp(names[i], "gutmann") == 0);
		assert_ptr_equal(wiper_method_find(names[i]), &m[i]);
		for (j = 0; j < i; j++)
			assert_string_not_equal(m[i].name, m[j].name);
	}
}

static void test_find_and_aliases(void **state)
{
	(void)state;
	assert_string_equal(wiper_method_find("DoD")->name, "dod522022m");
	assert_string_equal(wiper_method_find("dod")->name, "dod522022m");
	assert_string_equal(wiper_method_find("DOD522022M")->name, "dod522022m");
	assert_string_equal(wiper_method_find("dod-ece")->name, "dod522022m-ece");
	assert_string_equal(wiper_method_find("dod7")->name, "dod522022m-ece");
	assert_string_equal(wiper_method_find("Gutmann")->name, "gutmann");
	assert_string_equal(wiper_method_find("is5-baseline")->name, "hmg-is5-baseline");
	assert_string_equal(wiper_method_find("is5enh")->name, "hmg-is5-enhanced");
	assert_string_equal(wiper_method_find("ops2")->name, "rcmp-tssit-ops-ii");
	assert_string_equal(wiper_method_find("zeros")->name, "zero");
	assert_null(wiper_method_find("is5"));	/* ambiguous on purpose */
	assert_null(wiper_method_find("nosuch"));
	assert_null(wiper_method_find(""));
	assert_null(wiper_method_find("zero "));
	assert_null(wiper_method_find(NULL));
}

static void test_simple_methods(void **state)
{
	static const char *const zero[] = { "00" };
	static const char *const one[] = { "ff" };
	static const char *const rnd[] = { "random" };
	static const char *const dod[] = { "00", "ff", "random" };
	static const char *const is5e[] = { "00", "ff", "random" };
	static const char *const schneier[] = { "ff", "00", "random", "random", "random",
						"random", "random" };
	static const char *const ops2[] = { "00", "ff", "00", "ff", "00", "ff", "random" };

	(void)state;
	assert_passes("zero", zero, NELEM(zero));
	assert_passes("one", one, NELEM(one));
	assert_passes("random", rnd, NELEM(rnd));
	assert_passes("dod522022m", dod, NELEM(dod));
	assert_passes("hmg-is5-baseline", zero, NELEM(zero));
	assert_passes("hmg-is5-enhanced", is5e, NELEM(is5e));
	assert_passes("schneier", schneier, NELEM(schneier));
	assert_passes("rcmp-tssit-ops-ii", ops2, NELEM(ops2));
	/* Fixed passes carry no seed, random ones no pattern. */
	assert_int_equal(resolve("dod522022m", 1, 1, out), 3);
	assert_true(out[0].seed == 0 && out[1].seed == 0);
	assert_true(out[2].random && out[2].pattern_len == 0);
}

static void test_dod_ece(void **state)
{
	struct wiper_pass again[WIPER_PASSES_MAX];
	uint64_t sm = 99;
	int n, i;

	(void)state;
	n = resolve("dod522022m-ece", 1, 99, out);
	assert_int_equal(n, 7);
	/* random byte, complement, random, random byte, random byte, complement, random */
	for (i = 0; i < 7; i++)
		assert_int_equal(out[i].random, i == 2 || i == 6);
	assert_int_equal(out[1].pattern_len, 1);
	assert_int_equal(out[1].pattern[0], (uint8_t)~out[0].pattern[0]);
	assert_int_equal(out[5].pattern[0], (uint8_t)~out[4].pattern[0]);
	assert_int_equal(out[5].pattern_len, 1);
	assert_int_equal(out[3].pattern_len, 1);
	/* The documented draw order: one splitmix64 value per random byte or stream. */
	assert_int_equal(out[0].pattern[0], (uint8_t)wiper_splitmix64(&sm));
	assert_true(out[2].seed == wiper_splitmix64(&sm));
	assert_int_equal(out[3].pattern[0], (uint8_t)wiper_splitmix64(&sm));
	assert_int_equal(out[4].pattern[0], (uint8_t)wiper_splitmix64(&sm));
	assert_true(out[6].seed == wiper_splitmix64(&sm));
	/* Reproducible for the seed, different for another. */
	assert_int_equal(resolve("dod522022m-ece", 1, 99, again), 7);
	assert_memory_equal(again, out, 7 * sizeof(out[0]));
	assert_int_equal(resolve("dod522022m-ece", 1, 100, again), 7);
	assert_true(again[2].seed != out[2].seed);
}

/* The 27 fixed patterns of Gutmann's table, in the order of the paper. */
static const char *const gutmann_fixed[27] = {
	"55", "aa", "924924", "492492", "249249", "00", "11", "22", "33", "44",
	"55", "66", "77", "88", "99", "aa", "bb", "cc", "dd", "ee",
	"ff", "924924", "492492", "249249", "6db6db", "b6db6d", "db6db6",
};

/* Assert the middle of a Gutmann pass list is a permutation of the table. */
static void assert_gutmann_shape(const struct wiper_pass *p)
{
	bool used[27] = { false };
	size_t i, j;

	for (i = 0; i < 4; i++) {
		assert_true(p[i].random);
		assert_true(p[31 + i].random);
	}
	for (i = 4; i < 31; i++) {
		assert_false(p[i].random);
		for (j = 0; j < 27; j++) {
			if (!used[j] && strcmp(str(&p[i]), gutmann_fixed[j]) == 0) {
				used[j] = true;
				break;
			}
		}
		assert_true(j < 27);
	}
	for (j = 0; j < 27; j++)
		assert_true(used[j]);
}

static void test_gutmann(void **state)
{
	struct wiper_pass a[WIPER_PASSES_MAX], b[WIPER_PASSES_MAX];
	const struct wiper_method *m = wiper_method_find("gutmann");
	uint64_t seed;
	size_t i, same_order = 0, differ = 0;

	(void)state;
	/* The table itself: 4 random, the 27 in the paper's order, 4 random. */
	assert_int_equal(m->npasses, 35);
	assert_int_equal(wiper_method_resolve(m->passes, m->npasses, false, 1, 5, a,
					      WIPER_PASSES_MAX), 35);
	for (i = 0; i < 27; i++)
		assert_string_equal(str(&a[4 + i]), gutmann_fixed[i]);

	/* Shuffled: every pattern present once (duplicates in the table count twice). */
	assert_int_equal(resolve("gutmann", 1, 5, a), 35);
	assert_gutmann_shape(a);
	assert_int_equal(resolve("gutmann", 1, 5, b), 35);
	assert_memory_equal(a, b, 35 * sizeof(a[0]));
	for (i = 0; i < 27; i++)
		same_order += strcmp(str(&a[4 + i]), gutmann_fixed[i]) == 0;
	assert_true(same_order < 27);

	/* Another seed, another order (27!/dups orders; a few tries cannot all collide). */
	for (seed = 6; seed < 10; seed++) {
		assert_int_equal(resolve("gutmann", 1, seed, b), 35);
		assert_gutmann_shape(b);
		for (i = 4; i < 31; i++) {
			if (!same_pattern(&a[i], &b[i])) {
				differ++;
				break;
			}
		}
	}
	assert_int_equal(differ, 4);

	/* Eight random passes with distinct seeds. */
	for (i = 0; i < 35; i++) {
		size_t j;

		if (!a[i].random)
			continue;
		for (j = 0; j < i; j++)
			if (a[j].random)
				assert_true(a[i].seed != a[j].seed);
	}
}

static void test_rounds(void **state)
{
	struct wiper_pass two[WIPER_PASSES_MAX];
	int n1, n2, i, j;

	(void)state;
	n1 = resolve("schneier", 1, 3, out);
	n2 = resolve("schneier", 2, 3, two);
	assert_int_equal(n1, 7);
	assert_int_equal(n2, 14);
	for (i = 0; i < n1; i++) {
		assert_int_equal(two[i].random, two[i + n1].random);
		if (!two[i].random)
			assert_true(same_pattern(&two[i], &two[i + n1]));
	}
	/* The first round is the single round; every random pass has its own seed. */
	assert_memory_equal(two, out, 7 * sizeof(out[0]));
	for (i = 0; i < n2; i++)
		for (j = 0; j < i; j++)
			if (two[i].random && two[j].random)
				assert_true(two[i].seed != two[j].seed);
	/* Gutmann twice: one shuffle per job, repeated. */
	assert_int_equal(resolve("gutmann", 2, 8, two), 70);
	for (i = 4; i < 31; i++)
		assert_true(same_pattern(&two[i], &two[i + 35]));
	/* ECE twice: the complement at the start of round two follows round two's byte. */
	assert_int_equal(resolve("dod522022m-ece", 2, 8, two), 14);
	assert_int_equal(two[8].pattern[0], (uint8_t)~two[7].pattern[0]);
	/* Limits: rounds 0, more passes than fit. */
	assert_int_equal(resolve("zero", 0, 1, two), -EINVAL);
	assert_int_equal(resolve("gutmann", 8, 1, two), -EINVAL);	/* 280 > 256 */
	assert_int_equal(resolve("gutmann", 7, 1, two), 245);
	assert_int_equal(resolve("zero", 256, 1, two), 256);
	assert_int_equal(resolve("zero", 257, 1, two), -EINVAL);
	assert_int_equal(resolve("zero", UINT32_MAX, 1, two), -EINVAL);
}

static void test_random_seeds(void **state)
{
	struct wiper_pass a[WIPER_PASSES_MAX], b[WIPER_PASSES_MAX];
	uint64_t sm = 1234;

	(void)state;
	assert_int_equal(resolve("random", 1, 1234, a), 1);
	assert_true(a[0].random);
	/* The first splitmix64 value of the job seed, and not the job seed itself. */
	assert_true(a[0].seed == wiper_splitmix64(&sm));
	assert_true(a[0].seed != 1234);
	assert_int_equal(resolve("random", 1, 1234, b), 1);
	assert_true(a[0].seed == b[0].seed);
	assert_int_equal(resolve("random", 1, 1235, b), 1);
	assert_true(a[0].seed != b[0].seed);
}

static void test_resolve_errors(void **state)
{
	struct wiper_pass_def d[3];

	(void)state;
	memset(d, 0, sizeof(d));
	/* A complement with nothing before it, or after a random stream. */
	d[0].kind = WIPER_PASS_COMPLEMENT;
	assert_int_equal(wiper_method_resolve(d, 1, false, 1, 1, out, WIPER_PASSES_MAX), -EINVAL);
	d[0].kind = WIPER_PASS_RANDOM;
	d[1].kind = WIPER_PASS_COMPLEMENT;
	assert_int_equal(wiper_method_resolve(d, 2, false, 1, 1, out, WIPER_PASSES_MAX), -EINVAL);
	/* A complement of a multi-byte pattern. */
	d[0].kind = WIPER_PASS_PATTERN;
	d[0].pattern[0] = 0x92;
	d[0].pattern[1] = 0x0f;
	d[0].pattern_len = 2;
	assert_int_equal(wiper_method_resolve(d, 2, false, 1, 1, out, WIPER_PASSES_MAX), 2);
	assert_string_equal(str(&out[1]), "6df0");
	/* Bad definitions and arguments. */
	d[0].pattern_len = 0;
	assert_int_equal(wiper_method_resolve(d, 1, false, 1, 1, out, WIPER_PASSES_MAX), -EINVAL);
	d[0].pattern_len = WIPER_PATTERN_MAX + 1;
	assert_int_equal(wiper_method_resolve(d, 1, false, 1, 1, out, WIPER_PASSES_MAX), -EINVAL);
	d[0].pattern_len = 1;
	d[0].kind = (enum wiper_pass_kind)42;
	assert_int_equal(wiper_method_resolve(d, 1, false, 1, 1, out, WIPER_PASSES_MAX), -EINVAL);
	d[0].kind = WIPER_PASS_PATTERN;
	assert_int_equal(wiper_method_resolve(d, 0, false, 1, 1, out, WIPER_PASSES_MAX), -EINVAL);
	assert_int_equal(wiper_method_resolve(NULL, 1, false, 1, 1, out, WIPER_PASSES_MAX), -EINVAL);
	assert_int_equal(wiper_method_resolve(d, 1, false, 1, 1, NULL, WIPER_PASSES_MAX), -EINVAL);
	assert_int_equal(wiper_method_resolve(d, 1, false, 1, 1, out, 0), -EINVAL);
	assert_int_equal(wiper_method_resolve(d, 1, false, 1, 1, out, 1), 1);
}

static void test_pattern_parse_good(void **state)
{
	struct wiper_pass_def d[WIPER_PASSES_MAX];
	char err[128];

	(void)state;
	assert_int_equal(wiper_pattern_parse("00", d, 8, err, sizeof(err)), 1);
	assert_int_equal(d[0].kind, WIPER_PASS_PATTERN);
	assert_int_equal(d[0].pattern_len, 1);
	assert_int_equal(d[0].pattern[0], 0x00);
	assert_string_equal(err, "");

	assert_int_equal(wiper_pattern_parse("92,49,24", d, 8, err, sizeof(err)), 3);
	assert_int_equal(d[0].pattern[0], 0x92);
	assert_int_equal(d[1].pattern[0], 0x49);
	assert_int_equal(d[2].pattern[0], 0x24);
	assert_int_equal(d[2].pattern_len, 1);

	assert_int_equal(wiper_pattern_parse("924924", d, 8, err, sizeof(err)), 1);
	assert_int_equal(d[0].pattern_len, 3);
	assert_memory_equal(d[0].pattern, "\x92\x49\x24", 3);

	assert_int_equal(wiper_pattern_parse("00,FF,Random,aB", d, 8, err, sizeof(err)), 4);
	assert_int_equal(d[1].pattern[0], 0xff);
	assert_int_equal(d[2].kind, WIPER_PASS_RANDOM);
	assert_int_equal(d[3].pattern[0], 0xab);

	/* Blanks around items are tolerated; 16 bytes is the longest pattern. */
	assert_int_equal(wiper_pattern_parse(" 00 , random", d, 8, err, sizeof(err)), 2);
	assert_int_equal(d[1].kind, WIPER_PASS_RANDOM);
	assert_int_equal(wiper_pattern_parse("00112233445566778899aabbccddeeff", d, 8, err,
					     sizeof(err)), 1);
	assert_int_equal(d[0].pattern_len, 16);
	assert_int_equal(d[0].pattern[15], 0xff);

	/* Exactly max passes fit. */
	assert_int_equal(wiper_pattern_parse("00,ff,00", d, 3, err, sizeof(err)), 3);
	/* And the parsed list resolves. */
	assert_int_equal(wiper_pattern_parse("55,random", d, 8, err, sizeof(err)), 2);
	assert_int_equal(wiper_method_resolve(d, 2, false, 1, 1, out, WIPER_PASSES_MAX), 2);
	assert_string_equal(str(&out[0]), "55");
	assert_true(out[1].random);
}

static void test_pattern_parse_bad(void **state)
{
	static const char *const bad[] = {
		"", ",", "00,", ",00", "00,,ff", " ", "0", "000", "0g", "zz", "00ff0",
		"random2", "rand", "0x00", "00 ff", "00112233445566778899aabbccddeeff00", "-1",
		"00;ff",
	};
	struct wiper_pass_def d[8];
	char err[128];
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(bad); i++) {
		err[0] = '\0';
		assert_int_equal(wiper_pattern_parse(bad[i], d, 8, err, sizeof(err)), -EINVAL);
		assert_true(strlen(err) > 0);
	}
	assert_int_equal(wiper_pattern_parse("00,ff,00,ff", d, 3, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "more than 3"));
	assert_int_equal(wiper_pattern_parse("00,,ff", d, 8, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "pass 2"));
	assert_int_equal(wiper_pattern_parse("000", d, 8, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "odd"));
	/* No room for the message is not a crash. */
	assert_int_equal(wiper_pattern_parse("0g", d, 8, NULL, 0), -EINVAL);
	assert_int_equal(wiper_pattern_parse("0g", d, 8, err, 4), -EINVAL);
	assert_int_equal(strlen(err), 3);
	assert_int_equal(wiper_pattern_parse(NULL, d, 8, err, sizeof(err)), -EINVAL);
}

static void test_pass_str(void **state)
{
	struct wiper_pass p;
	char buf[64], small[4];

	(void)state;
	memset(&p, 0, sizeof(p));
	p.random = true;
	p.seed = 77;
	assert_string_equal(wiper_pass_str(&p, buf, sizeof(buf)), "random");
	p.random = false;
	p.pattern_len = 1;
	assert_string_equal(wiper_pass_str(&p, buf, sizeof(buf)), "00");
	p.pattern[0] = 0xff;
	assert_string_equal(wiper_pass_str(&p, buf, sizeof(buf)), "ff");
	p.pattern_len = 3;
	memcpy(p.pattern, "\x92\x49\x24", 3);
	assert_string_equal(wiper_pass_str(&p, buf, sizeof(buf)), "924924");
	p.pattern_len = 16;
	memcpy(p.pattern, "\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\xcc\xdd\xee\xff", 16);
	assert_string_equal(wiper_pass_str(&p, buf, 33), "00112233445566778899aabbccddeeff");
	/* Too small: nothing rather than a cut pattern. */
	assert_string_equal(wiper_pass_str(&p, buf, 32), "");
	p.pattern_len = 1;
	p.pattern[0] = 0xff;
	assert_string_equal(wiper_pass_str(&p, small, 3), "ff");
	assert_string_equal(wiper_pass_str(&p, small, 2), "");
	assert_string_equal(wiper_pass_str(&p, NULL, 0), "");
}

static void test_verify_modes(void **state)
{
	static const struct {
		const char *s;
		enum wiper_verify_mode m;
	} ok[] = {
		{ "none", WIPER_VERIFY_NONE }, { "last", WIPER_VERIFY_LAST },
		{ "all", WIPER_VERIFY_ALL }, { "sample", WIPER_VERIFY_SAMPLE },
		{ "ALL", WIPER_VERIFY_ALL },
	};
	static const char *const bad[] = { "", "first", "al", "samples", "all ", "full" };
	enum wiper_verify_mode m;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(ok); i++) {
		m = (enum wiper_verify_mode)-1;
		assert_int_equal(wiper_verify_parse(ok[i].s, &m), 0);
		assert_int_equal(m, ok[i].m);
	}
	for (i = 0; i < NELEM(bad); i++) {
		m = WIPER_VERIFY_SAMPLE;
		assert_int_equal(wiper_verify_parse(bad[i], &m), -EINVAL);
		assert_int_equal(m, WIPER_VERIFY_SAMPLE);
	}
	assert_int_equal(wiper_verify_parse(NULL, &m), -EINVAL);
	assert_string_equal(wiper_verify_str(WIPER_VERIFY_NONE), "none");
	assert_string_equal(wiper_verify_str(WIPER_VERIFY_LAST), "last");
	assert_string_equal(wiper_verify_str(WIPER_VERIFY_ALL), "all");
	assert_string_equal(wiper_verify_str(WIPER_VERIFY_SAMPLE), "sample");
	assert_string_equal(wiper_verify_str((enum wiper_verify_mode)17), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_find_and_aliases),
		cmocka_unit_test(test_simple_methods),
		cmocka_unit_test(test_dod_ece),
		cmocka_unit_test(test_gutmann),
		cmocka_unit_test(test_rounds),
		cmocka_unit_test(test_random_seeds),
		cmocka_unit_test(test_resolve_errors),
		cmocka_unit_test(test_pattern_parse_good),
		cmocka_unit_test(test_pattern_parse_bad),
		cmocka_unit_test(test_pass_str),
		cmocka_unit_test(test_verify_modes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
