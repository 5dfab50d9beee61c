/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The text in a certificate's QR code, and checking it offline.
 *
 * Plain lines any phone scanner shows as text (LF-separated; CR LF is
 * accepted when read back):
 *
 *   TABULA1
 *   NO=<certificate number>
 *   SEQ=<chain position, decimal>
 *   FP=<station key fingerprint: SHA-256 of the public key, 64 hex digits>
 *   H=<record hash, base64url without padding (43 characters)>
 *   SIG=<Ed25519 signature, base64url (86 characters)>
 *   PK=<station public key, base64url (43 characters)>
 *
 * What the signature proves: SIG is the signature the ledger stores for the
 * record, made with the station key over H, the record's chain hash
 * (SHA-256 of the previous hash and the canonical record, certs/chain.h).
 * PK must hash to FP and SIG must verify with PK over H: then the station
 * FP signed this record hash. NO and SEQ are bound to H only through the
 * record itself, which the QR code cannot carry; so a QR code is genuine
 * only when checked against a trust store -- a ledger or registry (file or
 * postgresql://) that holds station FP with key PK, and whose record SEQ of
 * that station has hash H and number NO, and which verifies.
 */
#ifndef CERTS_QRCODE_H
#define CERTS_QRCODE_H

#include <stddef.h>
#include <stdint.h>

#include "certs/chain.h"
#include "certs/ledger.h"
#include "certs/trust.h"

#define CERT_QR_MAGIC "TABULA1"

/* What a QR code says. */
struct cert_qr {
	char cert_no[64];
	uint64_t seq;
	char fp[CERT_FP_HEX];
	uint8_t hash[CERT_HASH_LEN];
	uint8_t sig[CERT_SIG_LEN];
	uint8_t pub[CERT_PUB_LEN];
};

/* The QR text of entry @e numbered @cert_no into @buf. 0 or -ENAMETOOLONG. */
int cert_qr_text(const struct cert_entry *e, const char *cert_no, char *buf, size_t len);

/* Parse QR text strictly (the lines above, in that order). 0 or -EINVAL with @err. */
int cert_qr_parse(const char *text, struct cert_qr *q, char *err, size_t errlen);

enum {
	CERT_QR_GENUINE = 0,
	CERT_QR_NOT_GENUINE = 1,
	CERT_QR_UNTRUSTED = 2,		/* the signature holds; no trust store was given */
};

/*
 * Check @q: PK against FP, SIG over H; then, with @trust (may be NULL), the
 * station through cert_trust_station() and the record: the trust store
 * verifies and its record SEQ of station FP has hash H and number NO.
 * Returns CERT_QR_GENUINE, CERT_QR_NOT_GENUINE (reason in @why),
 * CERT_QR_UNTRUSTED (no @trust), or -errno.
 */
int cert_qr_verify(const struct cert_qr *q, struct cert_ledger *trust, char *why, size_t whylen);

/* base64url without padding of @n bytes into @out (4n/3 + 2 bytes). */
void cert_b64url(const uint8_t *p, size_t n, char *out);
/* Decode exactly @n bytes of base64url without padding. 0 or -EINVAL. */
int cert_unb64url(const char *s, size_t slen, uint8_t *out, size_t n);

#endif
