/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The certificate's QR text and its offline check (certs/qrcode.h). */
#include "config.h"

#include "certs/qrcode.h"
#include "certs/trust.h"
#include "wiper/base/base.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

void cert_b64url(const uint8_t *p, size_t n, char *out)
{
	size_t i, o = 0;
	uint32_t v;

	for (i = 0; i + 2 < n; i += 3) {
		v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
		out[o++] = b64[v >> 18];
		out[o++] = b64[(v >> 12) & 63];
		out[o++] = b64[(v >> 6) & 63];
		out[o++] = b64[v & 63];
	}
	if (n - i == 1) {
		v = (uint32_t)p[i] << 16;
		out[o++] = b64[v >> 18];
		out[o++] = b64[(v >> 12) & 63];
	} else if (n - i == 2) {
		v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8;
		out[o++] = b64[v >> 18];
		out[o++] = b64[(v >> 12) & 63];
		out[o++] = b64[(v >> 6) & 63];
	}
	out[o] = '\0';
}

int cert_unb64url(const char *s, size_t slen, uint8_t *out, size_t n)
{
	char again[128];
	uint32_t acc = 0;
	size_t i, o = 0;
	int bits = 0;
	const char *c;

	if (slen != (4 * n + 2) / 3 || n > 90)
		return -EINVAL;
	for (i = 0; i < slen; i++) {
		if (!s[i] || !(c = strchr(b64, s[i])))
			return -EINVAL;
		acc = acc << 6 | (uint32_t)(c - b64);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o < n)
				out[o++] = (uint8_t)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	/* Only the one canonical spelling (unused low bits zero). */
	cert_b64url(out, n, again);
	return o == n && strlen(again) == slen && !memcmp(again, s, slen) ? 0 : -EINVAL;
}

int cert_qr_text(const struct cert_entry *e, const char *cert_no, char *buf, size_t len)
{
	char fp[CERT_FP_HEX], h[48], sig[90], pk[48];
	int n;

	cert_fingerprint(e->pub, fp);
	cert_b64url(e->hash, CERT_HASH_LEN, h);
	cert_b64url(e->sig, CERT_SIG_LEN, sig);
	cert_b64url(e->pub, CERT_PUB_LEN, pk);
	n = snprintf(buf, len, CERT_QR_MAGIC "\nNO=%s\nSEQ=%" PRIu64 "\nFP=%s\nH=%s\nSIG=%s\nPK=%s\n",
		     cert_no, e->seq, fp, h, sig, pk);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* The next line of *@p if it starts with @key; its value and length. */
static bool take_line(const char **p, const char *key, const char **val, size_t *vlen)
{
	const char *s = *p, *end;
	size_t kl = strlen(key);

	if (strncmp(s, key, kl))
		return false;
	s += kl;
	end = strchr(s, '\n');
	if (!end)
		end = s + strlen(s);
	*val = s;
	*vlen = (size_t)(end - s);
	if (*vlen && s[*vlen - 1] == '\r')
		(*vlen)--;
	*p = *end ? end + 1 : end;
	return true;
}

int cert_qr_parse(const char *text, struct cert_qr *q, char *err, size_t errlen)
{
	const char *p = text, *v;
	char num[24], *end;
	size_t vl;

	memset(q, 0, sizeof(*q));
	if (!take_line(&p, CERT_QR_MAGIC, &v, &vl) || vl)
		return base_errf(err, errlen, -EINVAL, "not a Tabula QR code (first line is not %s)",
			    CERT_QR_MAGIC);
	if (!take_line(&p, "NO=", &v, &vl) || !vl || vl >= sizeof(q->cert_no) || memchr(v, 0, vl))
		return base_errf(err, errlen, -EINVAL, "line NO= (certificate number) is missing or bad");
	memcpy(q->cert_no, v, vl);
	if (!take_line(&p, "SEQ=", &v, &vl) || !vl || vl >= sizeof(num) || v[0] == '0')
		return base_errf(err, errlen, -EINVAL, "line SEQ= (chain position) is missing or bad");
	memcpy(num, v, vl);
	num[vl] = '\0';
	q->seq = strtoull(num, &end, 10);
	if (*end || num[0] == '-' || num[0] == '+')
		return base_errf(err, errlen, -EINVAL, "line SEQ= (chain position) is not a number");
	if (!take_line(&p, "FP=", &v, &vl) || vl != CERT_FP_HEX - 1 || strspn(v, "0123456789abcdef") < vl)
		return base_errf(err, errlen, -EINVAL, "line FP= (station fingerprint) is missing or bad");
	memcpy(q->fp, v, vl);
	if (!take_line(&p, "H=", &v, &vl) || cert_unb64url(v, vl, q->hash, CERT_HASH_LEN))
		return base_errf(err, errlen, -EINVAL, "line H= (record hash) is missing or bad");
	if (!take_line(&p, "SIG=", &v, &vl) || cert_unb64url(v, vl, q->sig, CERT_SIG_LEN))
		return base_errf(err, errlen, -EINVAL, "line SIG= (signature) is missing or bad");
	if (!take_line(&p, "PK=", &v, &vl) || cert_unb64url(v, vl, q->pub, CERT_PUB_LEN))
		return base_errf(err, errlen, -EINVAL, "line PK= (station public key) is missing or bad");
	p += strspn(p, "\r\n");
	if (*p)
		return base_errf(err, errlen, -EINVAL, "unexpected text after the PK= line");
	return 0;
}

int cert_qr_verify(const struct cert_qr *q, struct cert_ledger *trust, char *why, size_t whylen)
{
	struct cert_entry e = { 0 };
	struct cert_record *r = NULL;
	struct cert_key *k = NULL;
	struct cert_verify v;
	char fp[CERT_FP_HEX], err[256];
	int rc;

	cert_fingerprint(q->pub, fp);
	if (strcmp(fp, q->fp))
		return base_errf(why, whylen, 1, "the public key does not match the fingerprint FP=");
	if ((rc = cert_key_from_public(q->pub, &k)))
		return base_errf(why, whylen, 1, "the public key is not an Ed25519 key");
	rc = cert_verify_sig(k, q->hash, q->sig);
	cert_key_free(k);
	if (rc < 0)
		return base_errf(why, whylen, rc, "cannot check the signature");
	if (rc)
		return base_errf(why, whylen, 1, "the signature does not verify (forged or misread)");
	if (!trust)
		return base_errf(why, whylen, CERT_QR_UNTRUSTED, "the signature of station %.16s holds,"
			    " but no trust store was given to say whether that station is one of"
			    " yours (--trust REGISTRY)", q->fp);
	if ((rc = cert_trust_station(trust, q->fp, q->pub, why, whylen)))
		return rc;
	rc = cert_ledger_verify(trust, 0, &v);
	if (rc)
		return base_errf(why, whylen, 1, "the trust store does not verify: record %" PRIu64 ": %s",
			    v.bad_seq, v.reason);
	rc = cert_ledger_get(trust, q->fp, q->seq, &e);
	if (rc == -ENOENT)
		return base_errf(why, whylen, 1, "the trust store holds no record %" PRIu64 " of station"
			    " %.16s", q->seq, q->fp);
	if (rc)
		return base_errf(why, whylen, rc, "%s", cert_ledger_error(trust));
	rc = 1;
	if (memcmp(e.hash, q->hash, CERT_HASH_LEN)) {
		base_errf(why, whylen, 1, "record %" PRIu64 " of station %.16s has another hash", q->seq,
		     q->fp);
		goto out;
	}
	if (!(r = cert_record_new())) {
		rc = -ENOMEM;
		goto out;
	}
	if (cert_record_decode(e.canon, e.canon_len, r, err, sizeof(err))) {
		base_errf(why, whylen, 1, "record %" PRIu64 " cannot be decoded: %s", q->seq, err);
		goto out;
	}
	if (strcmp(r->cert_no, q->cert_no)) {
		base_errf(why, whylen, 1, "record %" PRIu64 " is certificate %s, not %s", q->seq,
		     r->cert_no, q->cert_no);
		goto out;
	}
	rc = 0;
out:
	cert_record_free(r);
	cert_entry_done(&e);
	return rc;
}
