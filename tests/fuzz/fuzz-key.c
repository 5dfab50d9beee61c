/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libFuzzer target: the station key file (ledger.db.key), read as
 * cert_key_load() reads it once the file is in memory (cert_key_from_pem:
 * the PKCS#8 PEM of an Ed25519 key, nothing else). A key that loads must
 * sign, and its signature must verify with the public half derived from it.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "certs/chain.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static const uint8_t hash[CERT_HASH_LEN] = { 1, 2, 3 };
	struct cert_key *k = NULL, *pub = NULL;
	uint8_t sig[CERT_SIG_LEN], p[CERT_PUB_LEN];
	char fp[CERT_FP_HEX];

	if (cert_key_from_pem((const char *)data, len, &k) != 0) {
		if (k != NULL)
			__builtin_trap();	/* a refusal hands out no key */
		return 0;
	}
	cert_key_fingerprint(k, fp);
	if (strlen(fp) != CERT_FP_HEX - 1)
		__builtin_trap();
	if (cert_sign(k, hash, sig) != 0)
		__builtin_trap();	/* an Ed25519 private key that cannot sign */
	cert_key_public(k, p);
	if (cert_key_from_public(p, &pub) != 0 || cert_verify_sig(pub, hash, sig) != 0)
		__builtin_trap();	/* its signature does not verify with its own public half */
	cert_key_free(pub);
	cert_key_free(k);
	return 0;
}
