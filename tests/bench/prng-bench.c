/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Throughput of the random stream, per implementation (not part of make check).
 * Each run fills 1 GiB in 4 MiB buffers at chunk-aligned offsets, as the
 * overwrite engine does; the median of 5 runs is printed in GB/s (10^9 B/s).
 * Usage: prng-bench [TOTAL_MiB [RUNS]]
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "wiper/prng.h"

#define BUF_BYTES (4u << 20)

/* Seconds on the monotonic clock. */
static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Order doubles for qsort. */
static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	static const enum wiper_prng_impl impls[] = { WIPER_PRNG_PORTABLE, WIPER_PRNG_AVX2,
						      WIPER_PRNG_AVX512 };
	unsigned long total_mib = argc > 1 ? strtoul(argv[1], NULL, 10) : 1024;
	int runs = argc > 2 ? atoi(argv[2]) : 5;
	uint64_t total = (uint64_t)total_mib << 20;
	double rates[64];
	unsigned char *buf;
	size_t i;
	int r;

	if (total < BUF_BYTES || runs < 1 || runs > 64) {
		fprintf(stderr, "usage: %s [TOTAL_MiB >= 4 [RUNS 1..64]]\n", argv[0]);
		return 2;
	}
	buf = aligned_alloc(4096, BUF_BYTES);
	if (buf == NULL)
		return 1;
	printf("best: %s; %lu MiB per run in %u MiB buffers, median of %d runs\n",
	       wiper_prng_impl_str(wiper_prng_best()), total_mib, BUF_BYTES >> 20, runs);
	for (i = 0; i < sizeof(impls) / sizeof(impls[0]); i++) {
		if (!wiper_prng_supported(impls[i])) {
			printf("%-9s not supported on this CPU\n", wiper_prng_impl_str(impls[i]));
			continue;
		}
		/* Warm up: page in the buffer, let the clock settle. */
		wiper_prng_fill(impls[i], 1, 0, buf, BUF_BYTES);
		for (r = 0; r < runs; r++) {
			double t0 = now(), dt;
			uint64_t off;

			for (off = 0; off < total; off += BUF_BYTES)
				wiper_prng_fill(impls[i], 0x5eed + (uint64_t)r, off, buf, BUF_BYTES);
			dt = now() - t0;
			rates[r] = (double)total / dt / 1e9;
		}
		qsort(rates, (size_t)runs, sizeof(rates[0]), cmp_double);
		printf("%-9s %6.2f GB/s  (min %.2f, max %.2f)\n", wiper_prng_impl_str(impls[i]),
		       rates[runs / 2], rates[0], rates[runs - 1]);
	}
	free(buf);
	return 0;
}
