/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * PDF certificates (libharu) and the period register. A certificate is a
 * pure function of (record, chain data, language): rendering twice gives the
 * same bytes, so a re-rendered certificate equals the issued one. The
 * canonical record and its chain data are embedded as an uncompressed file
 * "tabula-certificate.json", so the PDF alone can be verified.
 */
#ifndef CERTS_PDF_H
#define CERTS_PDF_H

#include <stddef.h>
#include <stdint.h>

#include "certs/canon.h"
#include "certs/ledger.h"

#define CERT_BUNDLE_FORMAT "tabula-cert-bundle-1"

/* Languages: "en" (English) and "zh" (Simplified Chinese, needs fonts-wqy-microhei). */
int cert_lang_ok(const char *lang);

/*
 * Render the certificate for entry @e (canon, prev, hash, sig, pub used) in
 * @lang into @out. Returns 0, -EINVAL (bad record or language, @err says),
 * -ENOENT (CJK font missing) or -EIO (libharu error, code in @err).
 */
int cert_pdf_render(const struct cert_entry *e, const char *lang, struct cbuf *out, char *err,
		    size_t errlen);

/*
 * Find the embedded bundle in PDF bytes and fill @e (canon allocated) and
 * @lang (8 bytes). 0 or -EINVAL with the reason in @err.
 */
int cert_pdf_extract(const char *pdf, size_t len, struct cert_entry *e, char *lang, char *err,
		     size_t errlen);

/*
 * Check a certificate file on its own: embedded record canonical, hash,
 * signature, fingerprint, and the file equal to its re-rendering. With @l
 * also: the ledger verifies, holds this very record, and (if registered)
 * the file's SHA-256 equals the issued one. Returns 0 when genuine, 1 when
 * not (reason in @why), -errno on errors. @e receives the embedded entry.
 */
int cert_pdf_verify(const char *pdf, size_t len, struct cert_ledger *l, struct cert_entry *e,
		    char *why, size_t whylen);

/*
 * The register of every record whose end time is in [@from, @to): number,
 * serial, model, method, result, operator, witness, with the chain head.
 */
int cert_pdf_register(struct cert_ledger *l, int64_t from, int64_t to, const char *lang,
		      struct cbuf *out, char *err, size_t errlen);

/* Write @len bytes to @path atomically (temp file, fsync, rename). 0 or -errno. */
int cert_write_file(const char *path, const void *p, size_t len);
/* Read a whole file. 0 or -errno; *@out malloc'ed (NUL-terminated). */
int cert_read_file(const char *path, char **out, size_t *len);

#endif
