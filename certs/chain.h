/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The hash chain and the station key: hash_n = SHA-256(hash_{n-1} ||
 * canonical(record_n)) with hash_0 = 32 zero bytes; the station signs hash_n
 * with Ed25519. The key fingerprint is the SHA-256 of the raw public key, in
 * lower-case hex.
 */
#ifndef CERTS_CHAIN_H
#define CERTS_CHAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CERT_HASH_LEN 32
#define CERT_SIG_LEN 64
#define CERT_PUB_LEN 32
#define CERT_FP_HEX 65		/* 64 hex digits + NUL */

struct cert_key;

/*
 * Load the Ed25519 private key in PEM file @path, or create it (mode 0600,
 * O_EXCL, fsync'ed) when it does not exist and @create is set. A key file
 * that group or others may read is refused. *@created says which happened.
 * Returns 0, -ENOENT (no key, @create unset), -EACCES, -EINVAL (not an
 * Ed25519 key) or another -errno, with detail in @err.
 */
int cert_key_load(const char *path, bool create, struct cert_key **out, bool *created, char *err,
		  size_t errlen);
/*
 * A private key from the text of a key file: exactly the PKCS#8 PEM of an
 * Ed25519 key that cert_key_load() writes (and `openssl genpkey -algorithm
 * ed25519` too), nothing else. 0, -EINVAL (not such a key) or -ENOMEM.
 */
int cert_key_from_pem(const char *pem, size_t len, struct cert_key **out);
/* A verify-only key from a raw public key. 0, -EINVAL or -ENOMEM. */
int cert_key_from_public(const uint8_t pub[CERT_PUB_LEN], struct cert_key **out);
/* A private key from its 32-byte seed (known-answer tests). 0 or -EINVAL. */
int cert_key_from_seed(const uint8_t seed[32], struct cert_key **out);
/* A fresh private key in memory (tests). 0 or -ENOMEM. */
int cert_key_generate(struct cert_key **out);
void cert_key_free(struct cert_key *k);

/* The raw public key and its fingerprint. */
void cert_key_public(const struct cert_key *k, uint8_t pub[CERT_PUB_LEN]);
void cert_key_fingerprint(const struct cert_key *k, char fp[CERT_FP_HEX]);
void cert_fingerprint(const uint8_t pub[CERT_PUB_LEN], char fp[CERT_FP_HEX]);

/* hash_n from hash_{n-1} and the canonical record. */
void cert_chain_hash(const uint8_t prev[CERT_HASH_LEN], const void *rec, size_t len,
		     uint8_t out[CERT_HASH_LEN]);
/* SHA-256 of a buffer. */
void cert_sha256(const void *p, size_t len, uint8_t out[CERT_HASH_LEN]);

/* Sign @hash with a private key. 0, -EINVAL (public-only key) or -EIO. */
int cert_sign(struct cert_key *k, const uint8_t hash[CERT_HASH_LEN], uint8_t sig[CERT_SIG_LEN]);
/* 0 when @sig is a valid signature of @hash, 1 when not, -ENOMEM. */
int cert_verify_sig(struct cert_key *k, const uint8_t hash[CERT_HASH_LEN],
		    const uint8_t sig[CERT_SIG_LEN]);

/* Lower-case hex of @n bytes into @out (2n+1 bytes). */
void cert_hex(const uint8_t *p, size_t n, char *out);
/* Parse exactly 2n hex digits. 0 or -EINVAL. */
int cert_unhex(const char *s, uint8_t *out, size_t n);

#endif
