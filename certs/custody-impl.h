/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Inside the key custody: the handle and one table of functions per backend
 * (custody.c: the file backend and what all share; custody-tpm.c: TPM 2.0).
 * Not for callers of certs/custody.h.
 */
#ifndef TABULA_CERTS_CUSTODY_IMPL_H
#define TABULA_CERTS_CUSTODY_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "certs/custody.h"

struct cert_custody_ops {
	const char *name;		/* "file", "tpm" */
	int (*sign)(struct cert_custody *c, const uint8_t hash[CERT_HASH_LEN],
		    uint8_t sig[CERT_SIG_LEN]);
	/* NULL when the backend keeps no counter. */
	int (*counter_read)(struct cert_custody *c, uint64_t *value);
	int (*counter_advance)(struct cert_custody *c, uint64_t *value);
	void (*describe)(const struct cert_custody *c, char *buf, size_t len);
	void (*free)(struct cert_custody *c);
};

struct cert_custody {
	const struct cert_custody_ops *ops;
	struct cert_key *key;		/* private; owned unless @key_cached */
	bool key_cached;		/* borrowed from the process cache (tpm) */
	uint8_t pub[CERT_PUB_LEN];
	char fp[CERT_FP_HEX];
	uint64_t counter_base;
	char where[4096];		/* key file, or sealed file */
	char err[512];
	void *priv;			/* the backend's state */
};

/* Set @c's error (and @err, when given). Returns @rc. */
__attribute__((format(printf, 5, 6)))
int custody_err(struct cert_custody *c, char *err, size_t errlen, int rc, const char *fmt, ...);

#ifdef HAVE_TPM
/* The TPM backend: open "<ledger>.sealed" through @tcti (NULL: default). */
int custody_tpm_open(struct cert_custody *c, const char *ledger_path, const char *tcti,
		     char *err, size_t errlen);
void custody_tpm_forget_keys(void);
#endif

#endif
