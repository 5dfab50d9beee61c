/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The pre/post comparison of sampled blocks that verifies a crypto or block erase. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "wiper/sanitize-impl.h"

/* Does @b (len bytes) hold one repeated byte? Such a block carries no data. */
static bool is_uniform(const uint8_t *b, size_t len)
{
	size_t i;

	for (i = 1; i < len; i++)
		if (b[i] != b[0])
			return false;
	return true;
}

/* Read the sampled blocks and keep their digests. */
int san_snapshot_take(struct wiper_dev *dev, uint64_t seed, struct san_snapshot *s, bool keep,
			 struct wiper_job_result *res)
{
	const struct wiper_geom *g = wiper_dev_geom(dev);
	uint64_t blocks = g->size_bytes / g->logical_block, total = 0, stride;
	struct wiper_sample *plan = NULL;
	uint8_t *buf = NULL;
	EVP_MD_CTX *ctx = NULL;
	long np, i;
	size_t k = 0;
	int rc = 0;

	np = wiper_sample_plan(blocks, g->logical_block, seed, &plan);
	if (np < 0)
		return (int)np;
	for (i = 0; i < np; i++)
		total += plan[i].count;
	stride = total > SAN_COMPARE_MAX_BLOCKS ? (total + SAN_COMPARE_MAX_BLOCKS - 1) / SAN_COMPARE_MAX_BLOCKS : 1;
	if (!keep) {
		s->n = 0;
		s->lba = calloc(total / stride + np + 1, sizeof(*s->lba));
		s->digest = calloc(total / stride + np + 1, sizeof(*s->digest));
		s->uniform = calloc(total / stride + np + 1, sizeof(*s->uniform));
		if (s->lba == NULL || s->digest == NULL || s->uniform == NULL) {
			rc = -ENOMEM;
			goto out;
		}
	}
	ctx = EVP_MD_CTX_new();
	if (posix_memalign((void **)&buf, 4096, g->logical_block) != 0 || ctx == NULL) {
		rc = -ENOMEM;
		goto out;
	}
	if (!keep) {
		/*
		 * Blocks that hold nothing (a new or trimmed drive) would prove
		 * nothing: put a seeded marker in the first block of every sample
		 * so the comparison always has data that must change.
		 */
		for (i = 0; i < np; i++) {
			wiper_prng_fill(WIPER_PRNG_PORTABLE, seed ^ 0x6d61726bULL,
					plan[i].lba * g->logical_block, buf, g->logical_block);
			if (wiper_dev_pwrite(dev, buf, g->logical_block,
					     plan[i].lba * g->logical_block) != (ssize_t)g->logical_block)
				break;
		}
		if (i == np)
			san_step(res, 0, "verification", "seeded markers written to %ld sampled blocks before "
						     "the erase", np);
		wiper_dev_flush(dev);
	}
	for (i = 0; i < np; i++) {
		uint64_t b;

		for (b = 0; b < plan[i].count; b += stride) {
			uint8_t md[32];
			unsigned mdlen = 0;
			ssize_t r = wiper_dev_pread(dev, buf, g->logical_block,
						    (plan[i].lba + b) * g->logical_block);

			if (r < 0 && (r == -ENODEV || r == -ENXIO)) {
				rc = (int)r;
				goto out;
			}
			if (r != (ssize_t)g->logical_block) {
				/* Unreadable before: no data to compare; after: a failure. */
				memset(buf, 0, g->logical_block);
				if (keep)
					wiper_lba_list_add(&res->bad, plan[i].lba + b);
			}
			EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
			EVP_DigestUpdate(ctx, buf, g->logical_block);
			EVP_DigestFinal_ex(ctx, md, &mdlen);
			if (!keep) {
				s->lba[s->n] = plan[i].lba + b;
				memcpy(s->digest[s->n], md, 16);
				s->uniform[s->n] = is_uniform(buf, g->logical_block);
				s->n++;
			} else if (k < s->n) {
				res->compare_blocks++;
				if (s->uniform[k])
					res->compare_uniform++;
				else if (memcmp(s->digest[k], md, 16) == 0) {
					res->compare_unchanged++;
					wiper_lba_list_add(&res->mismatch, s->lba[k]);
				}
				k++;
			}
		}
	}
	res->verify_samples = (uint64_t)np;
	res->verify_coverage = (double)(keep ? k : s->n) * stride * g->logical_block /
			       (double)g->size_bytes;
	if (res->verify_coverage > 1.0)
		res->verify_coverage = 1.0;
out:
	EVP_MD_CTX_free(ctx);
	free(buf);
	free(plan);
	return rc;
}

/* Free a snapshot. */
void san_snapshot_free(struct san_snapshot *s)
{
	free(s->lba);
	free(s->digest);
	free(s->uniform);
	memset(s, 0, sizeof(*s));
}
