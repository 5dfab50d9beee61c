/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The random stream of overwrite passes: a counter-based, seekable stream
 * defined as a function of (seed, byte offset), so any range of a device can
 * be regenerated for verification without storing anything.
 *
 * Definition (the portable and the vectorised paths must agree bit for bit):
 * the stream is a sequence of 4096-byte chunks. Chunk c is produced by
 * WIPER_PRNG_LANES independent xoshiro256+ generators whose states are seeded
 * from splitmix64 as documented in prng.c; each step emits one 64-bit
 * little-endian word per lane, lane 0 first.
 */
#ifndef WIPER_PRNG_H
#define WIPER_PRNG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WIPER_PRNG_CHUNK 4096u
#define WIPER_PRNG_LANES 8u

enum wiper_prng_impl {
	WIPER_PRNG_AUTO,	/* the fastest the CPU supports */
	WIPER_PRNG_PORTABLE,	/* plain C */
	WIPER_PRNG_AVX2,	/* x86-64 AVX2 */
	WIPER_PRNG_AVX512,	/* x86-64 AVX-512F */
};

/* The implementation AUTO resolves to on this CPU. */
enum wiper_prng_impl wiper_prng_best(void);
/* Is @impl usable on this CPU? */
bool wiper_prng_supported(enum wiper_prng_impl impl);
const char *wiper_prng_impl_str(enum wiper_prng_impl impl);

/*
 * Fill @buf with @len bytes of the stream for @seed starting at byte @offset
 * (any offset and length; whole aligned chunks are fastest). Returns 0, or
 * -ENOTSUP if @impl is not usable here.
 */
int wiper_prng_fill(enum wiper_prng_impl impl, uint64_t seed, uint64_t offset, void *buf,
		    size_t len);

/*
 * Compare @len bytes at @buf with the stream for @seed from byte @offset,
 * without storing the stream (generated and compared in registers). Returns
 * 0 if they are equal, 1 if they differ anywhere, -ENOTSUP as above. Says
 * only whether: wiper_prng_fill finds where.
 */
int wiper_prng_compare(enum wiper_prng_impl impl, uint64_t seed, uint64_t offset,
		       const void *buf, size_t len);

/* A fresh seed from the kernel's random source (getrandom). */
uint64_t wiper_prng_new_seed(void);

/* splitmix64: the seeding function, also used to derive per-pass values. */
uint64_t wiper_splitmix64(uint64_t *state);

#endif
