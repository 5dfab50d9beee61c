/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Is a certificate file genuine? Its record, hash, signature, page, and its place in a ledger. */
#include "config.h"

#include "certs/pdf.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certs/chain.h"
#include "certs/pdf/pdf-impl.h"
#include "certs/record.h"
#include "wiper/base/base.h"

int cert_pdf_verify(const char *pdf, size_t len, struct cert_ledger *l, struct cert_entry *e,
		    char *why, size_t whylen)
{
	uint8_t h[CERT_HASH_LEN];
	char lang[8], fp[CERT_FP_HEX], err[512];
	struct cert_record *r = cert_record_new();
	struct cert_key *k = NULL;
	struct cert_entry le = { 0 };
	struct cert_verify v;
	struct cbuf again = { 0 };
	int rc, layout;

	if (!r)
		return -ENOMEM;
	rc = pd_cert_extract(pdf, len, e, lang, &layout, err, sizeof(err));
	if (rc) {
		rc = base_errf(why, whylen, 1, "embedded record unreadable: %s", err);
		goto out;
	}
	if (cert_record_decode(e->canon, e->canon_len, r, err, sizeof(err))) {
		rc = base_errf(why, whylen, 1, "embedded record is invalid: %s", err);
		goto out;
	}
	snprintf(e->cert_no, sizeof(e->cert_no), "%s", r->cert_no);
	cert_chain_hash(e->prev, e->canon, e->canon_len, h);
	if (memcmp(h, e->hash, CERT_HASH_LEN)) {
		rc = base_errf(why, whylen, 1, "the embedded record does not match its hash (altered)");
		goto out;
	}
	cert_fingerprint(e->pub, fp);
	if (strcmp(fp, e->fp) || strcmp(fp, r->key_fingerprint)) {
		rc = base_errf(why, whylen, 1, "the station key does not match the record's fingerprint");
		goto out;
	}
	if (r->seq != e->seq) {
		rc = base_errf(why, whylen, 1, "the chain position does not match the record");
		goto out;
	}
	if ((rc = cert_key_from_public(e->pub, &k)))
		goto out;
	if (cert_verify_sig(k, e->hash, e->sig)) {
		rc = base_errf(why, whylen, 1, "the signature does not verify (forged)");
		goto out;
	}
	rc = pd_cert_render(e, lang, layout, &again, err, sizeof(err));
	if (rc == -EINVAL) {
		rc = base_errf(why, whylen, 1, "cannot re-render the certificate: %s", err);
		goto out;
	}
	if (rc) {
		/* No memory, no CJK font, a libharu failure: says nothing about the file. */
		base_errf(why, whylen, 1, "cannot re-render the certificate: %s", err);
		goto out;
	}
	if (again.len != len || memcmp(again.p, pdf, len)) {
		rc = base_errf(why, whylen, 1, "the file differs from the certificate its signed record renders"
			 " to (the visible page was altered)");
		goto out;
	}
	if (l) {
		rc = cert_ledger_verify(l, 0, &v);
		if (rc) {
			rc = base_errf(why, whylen, 1, "the ledger does not verify: record %" PRIu64 ": %s",
				 v.bad_seq, v.reason);
			goto out;
		}
		rc = cert_ledger_get(l, e->fp, e->seq, &le);
		if (rc == -ENOENT) {
			rc = base_errf(why, whylen, 1, "the ledger holds no record %" PRIu64 " of station %.16s",
				 e->seq, e->fp);
			goto out;
		}
		if (rc)
			goto out;
		if (le.canon_len != e->canon_len || memcmp(le.canon, e->canon, e->canon_len) ||
		    memcmp(le.hash, e->hash, CERT_HASH_LEN)) {
			rc = base_errf(why, whylen, 1, "the ledger's record %" PRIu64 " differs from this one",
				 e->seq);
			goto out;
		}
		/*
		 * The file equals the re-rendering of the signed record that the
		 * ledger holds: that is the issued certificate. (The ledger's note
		 * of the issued file's hash is not signed; it is not consulted.)
		 */
	}
	rc = 0;
out:
	cert_entry_done(&le);
	cbuf_done(&again);
	cert_key_free(k);
	cert_record_free(r);
	return rc;
}
