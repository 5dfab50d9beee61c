/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The random stream of overwrite passes.
 *
 * Definition. Let G = 0x9E3779B97F4A7C15 and mix64() be splitmix64's output
 * function, so that wiper_splitmix64(&x) is { x += G; return mix64(x); }.
 * All arithmetic is modulo 2^64.
 *
 *   key            K = mix64(seed + G)  (the first splitmix64 output of seed)
 *   chunk          c = offset / 4096, the chunk holding byte @offset
 *   lane state     for lane l in 0..7, x = K + (32c + 4l) * G, then
 *                  s[0], s[1], s[2], s[3] = four wiper_splitmix64(&x) calls
 *   chunk bytes    64 steps; each step emits, for l = 0..7 in order, the
 *                  xoshiro256+ output s[0] + s[3] of lane l as a 64-bit
 *                  little-endian word, then advances that lane's state
 *
 * So the 32 seeding words of chunk c are outputs 32c+1 .. 32c+32 of the one
 * splitmix64 sequence that starts at K: chunks and lanes draw disjoint
 * windows of it, and since mix64 is a bijection and G is odd, no two of
 * those words for one seed come from the same splitmix64 state (for any
 * chunk index below 2^59, i.e. every 64-bit offset). No xoshiro state can be
 * all zero: its four words are images of four distinct inputs under a
 * bijection, so at most one of them is zero. Hashing the seed into K keeps
 * nearby seeds (seed, seed + 1, seed + 32G...) from producing shifted copies
 * of one another's stream.
 *
 * A 4096-byte chunk needs 64 steps of 8 lanes, far below the xoshiro period,
 * and each chunk is independent of all others, which is what makes the
 * stream seekable and lets the vector paths run 8 (AVX-512) or 2 x 4 (AVX2)
 * lanes at once. Partial chunks at either end of a request are generated in
 * full into a bounce buffer and the wanted slice copied out.
 */
#include "config.h"

#include "wiper/prng.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#define GOLDEN 0x9E3779B97F4A7C15ull
#define STEPS (WIPER_PRNG_CHUNK / (8u * WIPER_PRNG_LANES))

/*
 * A chunk generator: @n whole chunks from chunk index @c on, into @out; or,
 * with @cmp set (and @out NULL), compared against @cmp without being stored:
 * then it returns non-zero if they differ anywhere (0 otherwise, and always
 * 0 when generating).
 */
typedef uint64_t chunk_fn(uint64_t key, uint64_t c, size_t n, uint8_t *out, const uint8_t *cmp);

/* Apply splitmix64's output function (a bijection) to @z. */
static inline uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

uint64_t wiper_splitmix64(uint64_t *state)
{
	*state += GOLDEN;
	return mix64(*state);
}

/* Derive the key of @seed: its first splitmix64 output. */
static uint64_t prng_key(uint64_t seed)
{
	return wiper_splitmix64(&seed);
}

/*
 * Seed the 8 lanes of chunk @c: s[w][l] is word w of lane l (word-major, so
 * the vector paths load one word of all lanes at once).
 */
static inline void seed_chunk(uint64_t key, uint64_t c, uint64_t s[4][WIPER_PRNG_LANES])
{
	uint64_t base = key + c * 32u * GOLDEN;
	unsigned l, w;

	/* Word w of lane l is splitmix64 output 32c + 4l + w + 1 after the key. */
	for (l = 0; l < WIPER_PRNG_LANES; l++)
		for (w = 0; w < 4; w++)
			s[w][l] = mix64(base + (uint64_t)(4u * l + w + 1u) * GOLDEN);
}

/* Store @v at @p as little-endian, whatever the alignment of @p. */
static inline void store_le64(uint8_t *p, uint64_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	memcpy(p, &v, sizeof(v));
#else
	unsigned i;

	for (i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
#endif
}

/* Rotate @x left by @k (0 < k < 64). */
static inline uint64_t rotl64(uint64_t x, unsigned k)
{
	return (x << k) | (x >> (64 - k));
}

/* Generate chunks in plain C: the reference the vector paths must match. */
static uint64_t chunks_portable(uint64_t key, uint64_t c, size_t n, uint8_t *out,
				const uint8_t *cmp)
{
	uint64_t s[4][WIPER_PRNG_LANES];
	uint8_t bounce[WIPER_PRNG_CHUNK];
	unsigned step, l;

	if (cmp != NULL) {
		/* The reference compares the plain way: generate, then memcmp. */
		for (; n > 0; n--, c++, cmp += WIPER_PRNG_CHUNK) {
			chunks_portable(key, c, 1, bounce, NULL);
			if (memcmp(bounce, cmp, WIPER_PRNG_CHUNK) != 0)
				return 1;
		}
		return 0;
	}
	for (; n > 0; n--, c++, out += WIPER_PRNG_CHUNK) {
		seed_chunk(key, c, s);
		for (step = 0; step < STEPS; step++) {
			for (l = 0; l < WIPER_PRNG_LANES; l++) {
				uint64_t t = s[1][l] << 17;

				store_le64(out + 8u * (step * WIPER_PRNG_LANES + l), s[0][l] + s[3][l]);
				s[2][l] ^= s[0][l];
				s[3][l] ^= s[1][l];
				s[1][l] ^= s[2][l];
				s[0][l] ^= s[3][l];
				s[2][l] ^= t;
				s[3][l] = rotl64(s[3][l], 45);
			}
		}
	}
	return 0;
}

#if defined(__x86_64__)
/*
 * x86-64 is little-endian, so a vector of 64-bit lanes stored as-is is the
 * stream's byte order. Stores are the unaligned forms (storeu), which are
 * defined for any address: the caller's buffer may be unaligned.
 */

/*
 * One xoshiro256+ step of four lanes held in AVX2 registers: the output is
 * stored at @dst or, with @src set, XORed with the bytes at @src into @acc.
 */
#define AVX2_STEP(s0, s1, s2, s3, dst, src, acc)                                    \
	do {                                                                        \
		__m256i t_ = _mm256_slli_epi64(s1, 17), o_ = _mm256_add_epi64(s0, s3); \
		if (src)                                                            \
			acc = _mm256_or_si256(acc, _mm256_xor_si256(o_,                   \
				_mm256_loadu_si256((const __m256i *)(const void *)(src)))); \
		else                                                                \
			_mm256_storeu_si256((__m256i *)(void *)(dst), o_);          \
		s2 = _mm256_xor_si256(s2, s0);                                      \
		s3 = _mm256_xor_si256(s3, s1);                                      \
		s1 = _mm256_xor_si256(s1, s2);                                      \
		s0 = _mm256_xor_si256(s0, s3);                                      \
		s2 = _mm256_xor_si256(s2, t_);                                      \
		s3 = _mm256_or_si256(_mm256_slli_epi64(s3, 45), _mm256_srli_epi64(s3, 19)); \
	} while (0)

/* @p + @off, or NULL when @p is (the unused one of a step's two pointers). */
#define AT(p, off) ((p) ? (p) + (off) : NULL)

/*
 * Generate (or compare) chunks with AVX2: lanes 0-3 in one register set, 4-7
 * in another. Inlined into the two entry points below, so each is compiled
 * with @cmp known: the compare never stores, the generator never loads.
 */
__attribute__((target("avx2"), always_inline)) static inline uint64_t
avx2_body(uint64_t key, uint64_t c, size_t n, uint8_t *out, const uint8_t *cmp)
{
	uint64_t s[4][WIPER_PRNG_LANES];
	__m256i acc = _mm256_setzero_si256();
	unsigned step;

	for (; n > 0; n--, c++) {
		__m256i a0, a1, a2, a3, b0, b1, b2, b3;

		seed_chunk(key, c, s);
		a0 = _mm256_loadu_si256((const __m256i *)(const void *)&s[0][0]);
		a1 = _mm256_loadu_si256((const __m256i *)(const void *)&s[1][0]);
		a2 = _mm256_loadu_si256((const __m256i *)(const void *)&s[2][0]);
		a3 = _mm256_loadu_si256((const __m256i *)(const void *)&s[3][0]);
		b0 = _mm256_loadu_si256((const __m256i *)(const void *)&s[0][4]);
		b1 = _mm256_loadu_si256((const __m256i *)(const void *)&s[1][4]);
		b2 = _mm256_loadu_si256((const __m256i *)(const void *)&s[2][4]);
		b3 = _mm256_loadu_si256((const __m256i *)(const void *)&s[3][4]);
		for (step = 0; step < STEPS; step++) {
			AVX2_STEP(a0, a1, a2, a3, AT(out, 64u * step), AT(cmp, 64u * step), acc);
			AVX2_STEP(b0, b1, b2, b3, AT(out, 64u * step + 32), AT(cmp, 64u * step + 32),
				  acc);
		}
		if (cmp) {
			cmp += WIPER_PRNG_CHUNK;
			if (!_mm256_testz_si256(acc, acc))
				return 1;
		} else {
			out += WIPER_PRNG_CHUNK;
		}
	}
	return 0;
}

__attribute__((target("avx2"))) static uint64_t chunks_avx2(uint64_t key, uint64_t c, size_t n,
							     uint8_t *out, const uint8_t *cmp)
{
	return cmp ? avx2_body(key, c, n, NULL, cmp) : avx2_body(key, c, n, out, NULL);
}

/* One xoshiro256+ step of eight lanes held in AVX-512 registers (as AVX2_STEP). */
#define AVX512_STEP(s0, s1, s2, s3, dst, src, acc)                                  \
	do {                                                                        \
		__m512i t_ = _mm512_slli_epi64(s1, 17), o_ = _mm512_add_epi64(s0, s3); \
		if (src)                                                            \
			acc = _mm512_or_si512(acc, _mm512_xor_si512(o_,                   \
							_mm512_loadu_si512((const void *)(src)))); \
		else                                                                \
			_mm512_storeu_si512((void *)(dst), o_);                     \
		s2 = _mm512_xor_si512(s2, s0);                                      \
		s3 = _mm512_xor_si512(s3, s1);                                      \
		s1 = _mm512_xor_si512(s1, s2);                                      \
		s0 = _mm512_xor_si512(s0, s3);                                      \
		s2 = _mm512_xor_si512(s2, t_);                                      \
		s3 = _mm512_rol_epi64(s3, 45);                                      \
	} while (0)

/*
 * Generate (or compare) chunks with AVX-512F: all 8 lanes in one register
 * set, two chunks interleaved so that the two dependency chains overlap.
 * Inlined into the entry point with @cmp known, as avx2_body.
 */
__attribute__((target("avx512f"), always_inline)) static inline uint64_t
avx512_body(uint64_t key, uint64_t c, size_t n, uint8_t *out, const uint8_t *cmp)
{
	uint64_t s[4][WIPER_PRNG_LANES], u[4][WIPER_PRNG_LANES];
	__m512i acc = _mm512_setzero_si512();
	unsigned step;

	for (; n >= 2; n -= 2, c += 2) {
		__m512i a0, a1, a2, a3, b0, b1, b2, b3;

		seed_chunk(key, c, s);
		seed_chunk(key, c + 1, u);
		a0 = _mm512_loadu_si512(&s[0][0]);
		a1 = _mm512_loadu_si512(&s[1][0]);
		a2 = _mm512_loadu_si512(&s[2][0]);
		a3 = _mm512_loadu_si512(&s[3][0]);
		b0 = _mm512_loadu_si512(&u[0][0]);
		b1 = _mm512_loadu_si512(&u[1][0]);
		b2 = _mm512_loadu_si512(&u[2][0]);
		b3 = _mm512_loadu_si512(&u[3][0]);
		for (step = 0; step < STEPS; step++) {
			AVX512_STEP(a0, a1, a2, a3, AT(out, 64u * step), AT(cmp, 64u * step), acc);
			AVX512_STEP(b0, b1, b2, b3, AT(out, WIPER_PRNG_CHUNK + 64u * step),
				    AT(cmp, WIPER_PRNG_CHUNK + 64u * step), acc);
		}
		if (cmp) {
			cmp += 2 * WIPER_PRNG_CHUNK;
			if (_mm512_test_epi64_mask(acc, acc))
				return 1;
		} else {
			out += 2 * WIPER_PRNG_CHUNK;
		}
	}
	if (n == 1) {
		__m512i a0, a1, a2, a3;

		seed_chunk(key, c, s);
		a0 = _mm512_loadu_si512(&s[0][0]);
		a1 = _mm512_loadu_si512(&s[1][0]);
		a2 = _mm512_loadu_si512(&s[2][0]);
		a3 = _mm512_loadu_si512(&s[3][0]);
		for (step = 0; step < STEPS; step++)
			AVX512_STEP(a0, a1, a2, a3, AT(out, 64u * step), AT(cmp, 64u * step), acc);
	}
	return cmp ? (_mm512_test_epi64_mask(acc, acc) != 0) : 0;
}
__attribute__((target("avx512f"))) static uint64_t chunks_avx512(uint64_t key, uint64_t c,
								 size_t n, uint8_t *out,
								 const uint8_t *cmp)
{
	return cmp ? avx512_body(key, c, n, NULL, cmp) : avx512_body(key, c, n, out, NULL);
}
#undef AT
#endif /* __x86_64__ */

bool wiper_prng_supported(enum wiper_prng_impl impl)
{
	switch (impl) {
	case WIPER_PRNG_AUTO:
	case WIPER_PRNG_PORTABLE:
		return true;
#if defined(__x86_64__)
	case WIPER_PRNG_AVX2:
		__builtin_cpu_init();
		return __builtin_cpu_supports("avx2");
	case WIPER_PRNG_AVX512:
		__builtin_cpu_init();
		return __builtin_cpu_supports("avx512f");
#else
	case WIPER_PRNG_AVX2:
	case WIPER_PRNG_AVX512:
		return false;
#endif
	}
	return false;
}

enum wiper_prng_impl wiper_prng_best(void)
{
	if (wiper_prng_supported(WIPER_PRNG_AVX512))
		return WIPER_PRNG_AVX512;
	if (wiper_prng_supported(WIPER_PRNG_AVX2))
		return WIPER_PRNG_AVX2;
	return WIPER_PRNG_PORTABLE;
}

const char *wiper_prng_impl_str(enum wiper_prng_impl impl)
{
	switch (impl) {
	case WIPER_PRNG_AUTO: return "auto";
	case WIPER_PRNG_PORTABLE: return "portable";
	case WIPER_PRNG_AVX2: return "avx2";
	case WIPER_PRNG_AVX512: return "avx512";
	}
	return "unknown";
}

/* Pick the chunk generator of @impl; NULL if it cannot run here. */
static chunk_fn *prng_chunk_fn(enum wiper_prng_impl impl)
{
	if (impl == WIPER_PRNG_AUTO)
		impl = wiper_prng_best();
	if (!wiper_prng_supported(impl))
		return NULL;
	switch (impl) {
	case WIPER_PRNG_AUTO:
	case WIPER_PRNG_PORTABLE:
		return chunks_portable;
#if defined(__x86_64__)
	case WIPER_PRNG_AVX2:
		return chunks_avx2;
	case WIPER_PRNG_AVX512:
		return chunks_avx512;
#else
	case WIPER_PRNG_AVX2:
	case WIPER_PRNG_AVX512:
		break;
#endif
	}
	return NULL;
}

/*
 * Walk @len bytes of the stream for @seed from byte @offset: into @out, or,
 * with @cmp set (and @out NULL), against @cmp. A head or tail inside a chunk
 * goes through a bounce chunk; whole chunks go straight to the generator.
 * Returns 0, 1 (a compare found a difference) or -ENOTSUP.
 */
static int stream_walk(enum wiper_prng_impl impl, uint64_t seed, uint64_t offset, uint8_t *out,
		       const uint8_t *cmp, size_t len)
{
	chunk_fn *gen = prng_chunk_fn(impl);
	uint8_t bounce[WIPER_PRNG_CHUNK];
	uint64_t key, c = offset / WIPER_PRNG_CHUNK;
	size_t skip = (size_t)(offset % WIPER_PRNG_CHUNK), done = 0, whole;

	if (gen == NULL)
		return -ENOTSUP;
	if (len == 0)
		return 0;
	key = prng_key(seed);
	while (done < len) {
		size_t n;

		if (skip == 0 && (whole = (len - done) / WIPER_PRNG_CHUNK) != 0) {
			n = whole * WIPER_PRNG_CHUNK;
			if (gen(key, c, whole, cmp ? NULL : out + done, cmp ? cmp + done : NULL) != 0)
				return 1;
			c += whole;
		} else {
			/* A head that starts, or a tail that ends, inside a chunk. */
			n = WIPER_PRNG_CHUNK - skip < len - done ? WIPER_PRNG_CHUNK - skip : len - done;
			gen(key, c++, 1, bounce, NULL);
			if (cmp == NULL)
				memcpy(out + done, bounce + skip, n);
			else if (memcmp(cmp + done, bounce + skip, n) != 0)
				return 1;
			skip = 0;
		}
		done += n;
	}
	return 0;
}

int wiper_prng_fill(enum wiper_prng_impl impl, uint64_t seed, uint64_t offset, void *buf,
		    size_t len)
{
	return stream_walk(impl, seed, offset, buf, NULL, len);
}

int wiper_prng_compare(enum wiper_prng_impl impl, uint64_t seed, uint64_t offset,
		       const void *buf, size_t len)
{
	return stream_walk(impl, seed, offset, NULL, buf, len);
}

/* Read @len bytes of /dev/urandom into @buf; 0 or -errno. */
static int urandom_read(void *buf, size_t len)
{
	uint8_t *p = buf;
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	int rc = 0;

	if (fd < 0)
		return -errno;
	while (len > 0) {
		ssize_t r = read(fd, p, len);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			rc = r < 0 ? -errno : -EIO;
			break;
		}
		p += r;
		len -= (size_t)r;
	}
	close(fd);
	return rc;
}

uint64_t wiper_prng_new_seed(void)
{
	uint64_t seed = 0;
	uint8_t *p = (uint8_t *)&seed;
	size_t got = 0;
	struct timespec ts;

	while (got < sizeof(seed)) {
		ssize_t r = getrandom(p + got, sizeof(seed) - got, 0);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	if (got == sizeof(seed))
		return seed;
	/* getrandom missing (kernel < 3.17, seccomp): the device, then the clock. */
	if (urandom_read(&seed, sizeof(seed)) == 0)
		return seed;
	clock_gettime(CLOCK_REALTIME, &ts);
	seed = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	seed ^= (uint64_t)getpid() << 32;
	return wiper_splitmix64(&seed);
}
