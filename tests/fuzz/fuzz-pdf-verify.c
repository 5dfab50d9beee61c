/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libFuzzer target: certificate and register verification, what `certs
 * verify --pdf FILE` runs (cert_pdf_verify() and cert_register_verify()
 * without a ledger), and the QR text check of `certs verify --qr`.
 *
 * An input that starts with '{' is taken as a canonical record instead: it is
 * signed with a fixed key the way a ledger would chain it, rendered, and the
 * rendered file must then verify. That reaches the re-rendering half of the
 * verifier with arbitrary record content, which anyone can produce for a PDF
 * under a key of their own; random PDF bytes never get past the hash check.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certs/canon.h"
#include "certs/chain.h"
#include "certs/ledger.h"
#include "certs/pdf.h"
#include "certs/qrcode.h"
#include "certs/record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

/* Verify @len bytes of PDF; returns what cert_pdf_verify() did. */
static int verify(const char *pdf, size_t len)
{
	struct cert_entry e = { 0 };
	char why[1024];
	int rc;

	why[0] = '\0';
	rc = cert_pdf_verify(pdf, len, NULL, &e, why, sizeof(why));
	if (memchr(why, '\0', sizeof(why)) == NULL)
		__builtin_trap();
	cert_entry_done(&e);
	if (cert_pdf_is_register(pdf, len)) {
		struct cert_register_info info;

		why[0] = '\0';
		cert_register_verify(pdf, len, NULL, &info, why, sizeof(why));
		if (memchr(why, '\0', sizeof(why)) == NULL)
			__builtin_trap();
	}
	return rc;
}

/* Sign record @data as seq 1 under a fixed key, render it, and check the result verifies. */
static void roundtrip(const uint8_t *data, size_t len)
{
	static const uint8_t seed[32] = { 'f', 'u', 'z', 'z' };
	struct cert_record *r = cert_record_new();
	struct cert_key *k = NULL;
	struct cert_entry e = { 0 };
	struct cbuf canon = { 0 }, pdf = { 0 };
	char err[512];
	int rc;

	if (!r || cert_record_decode((const char *)data, len, r, err, sizeof(err)) ||
	    cert_key_from_seed(seed, &k))
		goto out;
	/* What cert_ledger_append() sets. */
	cert_key_public(k, e.pub);
	cert_key_fingerprint(k, e.fp);
	memcpy(r->key_fingerprint, e.fp, sizeof(r->key_fingerprint));
	r->seq = e.seq = 1;
	if (cert_record_encode(r, &canon))
		goto out;
	e.canon = canon.p;
	e.canon_len = canon.len;
	cert_chain_hash(e.prev, e.canon, e.canon_len, e.hash);
	if (cert_sign(k, e.hash, e.sig))
		goto out;
	rc = cert_pdf_render(&e, "en", &pdf, err, sizeof(err));
	if (rc == 0 && verify(pdf.p, pdf.len) != 0)
		__builtin_trap(); /* a certificate we rendered from a signed record must verify */
out:
	cbuf_done(&pdf);
	cbuf_done(&canon);
	cert_key_free(k);
	cert_record_free(r);
}

/* QR text: parsed strictly, checked without a trust store, so never called genuine. */
static void qr(const uint8_t *data, size_t len)
{
	char *text = malloc(len + 1), why[512], err[256];
	struct cert_qr q;

	if (!text)
		return;
	memcpy(text, data, len);
	text[len] = '\0';
	if (cert_qr_parse(text, &q, err, sizeof(err)) == 0 &&
	    cert_qr_verify(&q, NULL, why, sizeof(why)) == CERT_QR_GENUINE)
		__builtin_trap();
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	if (len >= 7 && !memcmp(data, "TABULA1", 7)) {
		qr(data, len);
		return 0;
	}
	if (len > 0 && data[0] == '{')
		roundtrip(data, len);
	else
		verify((const char *)data, len);
	return 0;
}
