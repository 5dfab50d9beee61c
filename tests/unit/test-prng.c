/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The seekable random stream: definition, agreement of the paths, seeking. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "wiper/prng.h"

#define MIB (1u << 20)

static const enum wiper_prng_impl all_impls[] = { WIPER_PRNG_AUTO, WIPER_PRNG_PORTABLE,
						  WIPER_PRNG_AVX2, WIPER_PRNG_AVX512 };
#define NIMPLS (sizeof(all_impls) / sizeof(all_impls[0]))

/*
 * An independent reference, written from the definition in prng.c as
 * plainly as possible: a stateful splitmix64 and a stateful xoshiro256+.
 */
struct ref_sm {
	uint64_t x;
};

/* Next splitmix64 output. */
static uint64_t ref_sm_next(struct ref_sm *g)
{
	uint64_t z;

	g->x += 0x9E3779B97F4A7C15ull;
	z = g->x;
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

struct ref_xo {
	uint64_t s[4];
};

/* Next xoshiro256+ output. */
static uint64_t ref_xo_next(struct ref_xo *g)
{
	uint64_t *s = g->s;
	uint64_t result = s[0] + s[3];
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = (s[3] << 45) | (s[3] >> 19);
	return result;
}

/* Byte @pos of the stream for @seed, computed from scratch. */
static uint8_t ref_byte(uint64_t seed, uint64_t pos)
{
	struct ref_sm keygen = { seed };
	uint64_t key = ref_sm_next(&keygen);
	uint64_t chunk = pos / 4096, in = pos % 4096;
	uint64_t step = in / 64, lane = (in % 64) / 8, byte = in % 8;
	struct ref_sm sm;
	struct ref_xo xo;
	uint64_t i, w = 0;

	/* Skip the splitmix64 outputs of earlier chunks and lanes. */
	sm.x = key + (chunk * 32 + lane * 4) * 0x9E3779B97F4A7C15ull;
	for (i = 0; i < 4; i++)
		xo.s[i] = ref_sm_next(&sm);
	for (i = 0; i <= step; i++)
		w = ref_xo_next(&xo);
	return (uint8_t)(w >> (8 * byte));
}

/* Fill @buf from the reference; slow, for small ranges. */
static void ref_fill(uint64_t seed, uint64_t off, uint8_t *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = ref_byte(seed, off + i);
}

static void test_splitmix64_known(void **state)
{
	/* Vigna's splitmix64.c from state 0: the first outputs are well known. */
	uint64_t x = 0;

	(void)state;
	assert_true(wiper_splitmix64(&x) == 0xE220A8397B1DCDAFull);
	assert_true(wiper_splitmix64(&x) == 0x6E789E6AA1B965F4ull);
	assert_true(wiper_splitmix64(&x) == 0x06C45D188009454Full);
	assert_true(x == 3 * 0x9E3779B97F4A7C15ull);
}

/*
 * The first 32 bytes for seed 1, frozen: the stream is a format (a later
 * "wiper verify --seed" regenerates an old pass), so it must never change.
 * Also computed independently with Python's integers from the definition.
 */
static const uint8_t kat_seed1[32] = {
	0xc7, 0x8c, 0x6b, 0x07, 0x24, 0xc6, 0x47, 0x25, 0x0c, 0xd7, 0xfe, 0x6f, 0x68, 0x0a, 0x51, 0x77,
	0x84, 0x1b, 0xb8, 0x9f, 0x0f, 0xa0, 0xcf, 0x1a, 0xc2, 0xcd, 0x5f, 0x05, 0xa9, 0x79, 0xf0, 0x80,
};

static void test_known_answer_seed1(void **state)
{
	uint8_t want[32], got[32];
	size_t i;

	(void)state;
	ref_fill(1, 0, want, sizeof(want));
	assert_memory_equal(want, kat_seed1, sizeof(want));
	for (i = 0; i < NIMPLS; i++) {
		if (!wiper_prng_supported(all_impls[i]))
			continue;
		memset(got, 0xa5, sizeof(got));
		assert_int_equal(wiper_prng_fill(all_impls[i], 1, 0, got, sizeof(got)), 0);
		assert_memory_equal(got, want, sizeof(want));
	}
}

static void test_reference_across_chunks(void **state)
{
	/* Spots in several chunks, steps and lanes, including the last byte of a chunk. */
	static const uint64_t offs[] = { 0, 8, 56, 63, 64, 4032, 4095, 4096, 4097, 12345,
					 40960 + 1000, (uint64_t)1 << 40, ((uint64_t)1 << 52) * 4096 - 64 };
	uint8_t want[64], got[64];
	size_t i, k;

	(void)state;
	for (k = 0; k < sizeof(offs) / sizeof(offs[0]); k++) {
		size_t n = sizeof(want);

		if (offs[k] > UINT64_MAX - n)
			n = (size_t)(UINT64_MAX - offs[k]);
		ref_fill(0x0123456789abcdefull, offs[k], want, n);
		for (i = 0; i < NIMPLS; i++) {
			if (!wiper_prng_supported(all_impls[i]))
				continue;
			assert_int_equal(wiper_prng_fill(all_impls[i], 0x0123456789abcdefull,
							 offs[k], got, n), 0);
			assert_memory_equal(got, want, n);
		}
	}
}

static void test_impls_identical(void **state)
{
	/* Offsets and lengths: aligned, odd, straddling chunks, tiny. */
	static const struct {
		uint64_t off;
		size_t len;
	} cases[] = {
		{ 0, MIB }, { 4096, MIB - 4096 }, { 4095, 10000 }, { 1, MIB - 1 },
		{ 123457, 777777 }, { 8192, 4096 }, { 4000, 96 }, { 4000, 100 },
		{ 5, 3 }, { (uint64_t)1 << 44, MIB }, { 0, 0 },
	};
	uint8_t *base = malloc(MIB + 64), *want = malloc(MIB + 64);
	size_t i, k, mis;

	(void)state;
	assert_non_null(base);
	assert_non_null(want);
	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		assert_int_equal(wiper_prng_fill(WIPER_PRNG_PORTABLE, 42, cases[k].off, want,
						 cases[k].len), 0);
		for (i = 0; i < NIMPLS; i++) {
			if (!wiper_prng_supported(all_impls[i]))
				continue;
			/* Aligned and misaligned destinations. */
			for (mis = 0; mis < 64; mis += 21) {
				memset(base, 0x5a, MIB + 64);
				assert_int_equal(wiper_prng_fill(all_impls[i], 42, cases[k].off,
								 base + mis, cases[k].len), 0);
				assert_memory_equal(base + mis, want, cases[k].len);
				/* Nothing written outside the range. */
				if (mis > 0)
					assert_int_equal(base[mis - 1], 0x5a);
				assert_int_equal(base[mis + cases[k].len], 0x5a);
			}
		}
	}
	free(base);
	free(want);
}

/*
 * wiper_prng_compare says equal for the stream itself, at every offset and
 * length class of test_impls_identical and from misaligned buffers, and
 * unequal for one flipped bit anywhere: in a head inside a chunk, in each of
 * the two interleaved chunks of the vector paths, on a step's 32-byte half,
 * in the single odd chunk, in a tail. Each implementation is checked.
 */
static void test_compare_finds_any_flip(void **state)
{
	static const struct {
		uint64_t off;
		size_t len;
	} cases[] = {
		{ 0, MIB }, { 4096, 3 * 4096 }, { 4095, 10000 }, { 1, MIB - 1 },
		{ 123457, 777777 }, { 8192, 4096 }, { 4000, 96 }, { 5, 3 }, { 0, 5 * 4096 },
	};
	uint8_t *buf = malloc(MIB + 64);
	size_t i, k, mis, pos;

	(void)state;
	assert_non_null(buf);
	for (i = 0; i < NIMPLS; i++) {
		if (!wiper_prng_supported(all_impls[i]))
			continue;
		for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
			size_t len = cases[k].len;

			for (mis = 0; mis < 64; mis += 21) {
				uint8_t *b = buf + mis;

				assert_int_equal(wiper_prng_fill(WIPER_PRNG_PORTABLE, 7, cases[k].off, b,
								 len), 0);
				assert_int_equal(wiper_prng_compare(all_impls[i], 7, cases[k].off, b,
								    len), 0);
				/* Another seed is a different stream. */
				assert_int_equal(wiper_prng_compare(all_impls[i], 8, cases[k].off, b,
								    len), 1);
				/* First, last, and positions spread over the buffer. */
				for (pos = 0; pos < len; pos = pos < 64 ? pos + 31 : pos * 3 + 4093) {
					b[pos] ^= 0x80;
					assert_int_equal(wiper_prng_compare(all_impls[i], 7,
									    cases[k].off, b, len), 1);
					b[pos] ^= 0x80;
				}
				b[len - 1] ^= 0x01;
				assert_int_equal(wiper_prng_compare(all_impls[i], 7, cases[k].off, b, len),
						 1);
				b[len - 1] ^= 0x01;
			}
		}
		/* Every byte of the second chunk of an interleaved pair, and of an odd chunk. */
		assert_int_equal(wiper_prng_fill(WIPER_PRNG_PORTABLE, 7, 0, buf, 3 * 4096), 0);
		for (pos = 0; pos < 3 * 4096; pos++) {
			buf[pos] ^= 0x10;
			assert_int_equal(wiper_prng_compare(all_impls[i], 7, 0, buf, 3 * 4096), 1);
			buf[pos] ^= 0x10;
		}
		assert_int_equal(wiper_prng_compare(all_impls[i], 7, 0, buf, 0), 0);
	}
	assert_int_equal(wiper_prng_compare((enum wiper_prng_impl)99, 7, 0, buf, 16), -ENOTSUP);
	free(buf);
}

static void test_seekable(void **state)
{
	const size_t big = 3 * MIB + 12345;
	static const struct {
		uint64_t off;
		size_t len;
	} cuts[] = {
		{ 0, 1 }, { 0, 4096 }, { 4095, 10000 }, { 4096, MIB }, { 777, 4096 },
		{ MIB + 17, MIB }, { 3 * MIB + 12344, 1 }, { 3 * MIB, 12345 },
	};
	uint8_t *whole = malloc(big), *part = malloc(MIB + 10000);
	size_t i, k;

	(void)state;
	assert_non_null(whole);
	assert_non_null(part);
	assert_int_equal(wiper_prng_fill(WIPER_PRNG_PORTABLE, 7, 0, whole, big), 0);
	for (k = 0; k < sizeof(cuts) / sizeof(cuts[0]); k++) {
		for (i = 0; i < NIMPLS; i++) {
			if (!wiper_prng_supported(all_impls[i]))
				continue;
			assert_int_equal(wiper_prng_fill(all_impls[i], 7, cuts[k].off, part,
							 cuts[k].len), 0);
			assert_memory_equal(part, whole + cuts[k].off, cuts[k].len);
		}
	}
	/* A big fill equals the same range built from request-sized pieces. */
	for (i = 0; i < NIMPLS; i++) {
		uint64_t off;

		if (!wiper_prng_supported(all_impls[i]))
			continue;
		for (off = 0; off < big; off += 65536 + 512) {
			size_t n = big - off < 65536 + 512 ? (size_t)(big - off) : 65536 + 512;

			assert_int_equal(wiper_prng_fill(all_impls[i], 7, off, part, n), 0);
			assert_memory_equal(part, whole + off, n);
		}
	}
	free(whole);
	free(part);
}

static void test_seeds_and_chunks_differ(void **state)
{
	static const uint64_t seeds[] = { 0, 1, 2, 0x9E3779B97F4A7C15ull, UINT64_MAX };
	enum { N = 4 * 4096 };
	uint8_t *a = malloc(N), *b = malloc(N);
	size_t i, j, c, zeros;

	(void)state;
	assert_non_null(a);
	assert_non_null(b);
	for (i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
		assert_int_equal(wiper_prng_fill(WIPER_PRNG_AUTO, seeds[i], 0, a, N), 0);
		/* Chunks of one seed are not copies of each other, nor of lanes. */
		for (c = 1; c < N / 4096; c++)
			assert_memory_not_equal(a, a + c * 4096, 4096);
		assert_memory_not_equal(a, a + 8, 8);
		zeros = 0;
		for (j = 0; j < N; j++)
			zeros += a[j] == 0;
		assert_true(zeros < N / 64);	/* about N / 256 expected */
		for (j = i + 1; j < sizeof(seeds) / sizeof(seeds[0]); j++) {
			assert_int_equal(wiper_prng_fill(WIPER_PRNG_AUTO, seeds[j], 0, b, N), 0);
			assert_memory_not_equal(a, b, 4096);
			/* Not a shifted copy either: seed j's chunk 1 is not seed i's chunk 0. */
			assert_memory_not_equal(a, b + 4096, 4096);
			assert_memory_not_equal(a + 4096, b, 4096);
		}
	}
	free(a);
	free(b);
}

static void test_impl_queries(void **state)
{
	uint8_t buf[16];
	size_t i;

	(void)state;
	assert_true(wiper_prng_supported(WIPER_PRNG_AUTO));
	assert_true(wiper_prng_supported(WIPER_PRNG_PORTABLE));
	assert_true(wiper_prng_supported(wiper_prng_best()));
	assert_true(wiper_prng_best() != WIPER_PRNG_AUTO);
	assert_string_equal(wiper_prng_impl_str(WIPER_PRNG_PORTABLE), "portable");
	assert_string_equal(wiper_prng_impl_str(WIPER_PRNG_AVX2), "avx2");
	assert_string_equal(wiper_prng_impl_str(WIPER_PRNG_AVX512), "avx512");
	assert_string_equal(wiper_prng_impl_str(WIPER_PRNG_AUTO), "auto");
#if !defined(__x86_64__)
	assert_false(wiper_prng_supported(WIPER_PRNG_AVX2));
	assert_false(wiper_prng_supported(WIPER_PRNG_AVX512));
#endif
	for (i = 0; i < NIMPLS; i++) {
		if (wiper_prng_supported(all_impls[i]))
			continue;
		/* Only reached on a CPU that lacks one of the vector paths. */
		assert_int_equal(wiper_prng_fill(all_impls[i], 1, 0, buf, sizeof(buf)), -ENOTSUP);
	}
	assert_int_equal(wiper_prng_fill((enum wiper_prng_impl)99, 1, 0, buf, sizeof(buf)),
			 -ENOTSUP);
	assert_false(wiper_prng_supported((enum wiper_prng_impl)99));
}

static void test_new_seed(void **state)
{
	uint64_t a = wiper_prng_new_seed(), b = wiper_prng_new_seed(), c = wiper_prng_new_seed();

	(void)state;
	/* Three equal draws from the kernel would be a 2^-128 event. */
	assert_false(a == b && b == c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_splitmix64_known),
		cmocka_unit_test(test_known_answer_seed1),
		cmocka_unit_test(test_reference_across_chunks),
		cmocka_unit_test(test_impls_identical),
		cmocka_unit_test(test_compare_finds_any_flip),
		cmocka_unit_test(test_seekable),
		cmocka_unit_test(test_seeds_and_chunks_differ),
		cmocka_unit_test(test_impl_queries),
		cmocka_unit_test(test_new_seed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
