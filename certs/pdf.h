/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * PDF certificates (libharu) and the period register. A certificate is a
 * pure function of (record, chain data, language): rendering twice gives the
 * same bytes, so a re-rendered certificate equals the issued one. The
 * canonical record and its chain data are embedded as an uncompressed file
 * "tabula-certificate.json", so the PDF alone can be verified. The bundle's
 * format names the page layout, and a certificate is re-rendered in its own
 * layout when verified: certificates issued before the current layout
 * still verify.
 */
#ifndef CERTS_PDF_H
#define CERTS_PDF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "certs/canon.h"
#include "certs/ledger.h"

/* The bundle format of certificates rendered now; the earlier layouts', still verified. */
#define CERT_BUNDLE_FORMAT "tabula-cert-bundle-3"
#define CERT_BUNDLE_FORMAT_2 "tabula-cert-bundle-2"
#define CERT_BUNDLE_FORMAT_1 "tabula-cert-bundle-1"

/* Languages: "en" (English) and "zh" (Simplified Chinese, needs fonts-wqy-microhei). */
int cert_lang_ok(const char *lang);

/*
 * Are the font files a certificate in @lang embeds installed (Liberation
 * Sans and Mono; WenQuanYi Micro Hei for zh)? 0, or -ENOENT with the missing
 * file and its Debian package in @err. certs_preflight() asks before a
 * medium is touched.
 */
int cert_pdf_fonts_ok(const char *lang, char *err, size_t errlen);

/*
 * Render the certificate for entry @e (canon, prev, hash, sig, pub used) in
 * @lang into @out. Returns 0, -EINVAL (bad record or language, @err says),
 * -ENOENT (CJK font missing) or -EIO (libharu error, code in @err).
 */
int cert_pdf_render(const struct cert_entry *e, const char *lang, struct cbuf *out, char *err,
		    size_t errlen);

/*
 * The certificate for @e as it was issued: when ledger @l (may be NULL)
 * holds the SHA-256 of the PDF issued in @lang, the layout that reproduces
 * it (a record certified before the current layout keeps its page);
 * otherwise the current layout. 0; 1 when no layout reproduces the issued
 * file (@out then holds the current layout); -errno as cert_pdf_render().
 */
int cert_pdf_render_issued(struct cert_ledger *l, const struct cert_entry *e, const char *lang,
			   struct cbuf *out, char *err, size_t errlen);

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
 * Format 2 (the 保密 office's 销毁/消除 register: A4 landscape, carrier and
 * classification columns, local dates, totals, station fingerprints);
 * format 1 registers still verify and re-render as they were drawn.
 */
#define CERT_REGISTER_FORMAT "tabula-register-2"
#define CERT_REGISTER_FORMAT_1 "tabula-register-1"

/*
 * The register of every record whose end time is in [@from, @to) of a
 * ledger that verifies: number, date, serial, model, method, result,
 * operator, witness; the chain head (position and hash) of every station
 * the ledger holds; and, with key @k (may be NULL: unsigned, and the page
 * says so), the Ed25519 signature over the SHA-256 of its content.
 *
 * The content is a canonical JSON object (format, lang, from, to,
 * ledger_records, signer {fingerprint, public_key} or null, rows, heads)
 * embedded uncompressed as "tabula-register.json" in a bundle
 * {"register": content, "signature": hex}. The page is drawn from that
 * content alone, so the file equals its re-rendering. 0 or -errno
 * (-EBADMSG: the ledger does not verify), reason in @err.
 */
int cert_pdf_register_key(struct cert_ledger *l, struct cert_key *k, int64_t from, int64_t to,
			  const char *lang, struct cbuf *out, char *err, size_t errlen);
/*
 * cert_pdf_register_key() signed with the ledger's own station key
 * ("<ledger>.key", when it loads and is the key the ledger names), else
 * unsigned.
 */
int cert_pdf_register(struct cert_ledger *l, int64_t from, int64_t to, const char *lang,
		      struct cbuf *out, char *err, size_t errlen);

/* Does the PDF hold an embedded register (rather than a certificate)? */
bool cert_pdf_is_register(const char *pdf, size_t len);

/* What a verified register says. */
struct cert_register_info {
	char signer_fp[CERT_FP_HEX];
	uint8_t signer_pub[CERT_PUB_LEN];
	char from[24], to[24];
	size_t rows, stations;
};

/*
 * Check a register file: embedded content canonical, signed, the signature
 * valid with the signer's key, the file equal to its re-rendering. With @l
 * (a ledger or registry; may be NULL) also: @l verifies, the signer is a
 * station @l holds (cert_trust_station()), and every chain head the
 * register names is in @l unchanged (else the chain was cut, rolled back or
 * rewritten since). Returns 0 when genuine, 1 when not (reason in @why),
 * -errno when it cannot be judged.
 */
int cert_register_verify(const char *pdf, size_t len, struct cert_ledger *l,
			 struct cert_register_info *info, char *why, size_t whylen);

/* Write @len bytes to @path atomically (temp file, fsync, rename). 0 or -errno. */
int cert_write_file(const char *path, const void *p, size_t len);
/*
 * The same, but never over another file: 0 when @path did not exist or
 * already holds exactly these bytes, -EEXIST when it holds others (an
 * issued certificate is never overwritten).
 */
int cert_write_file_new(const char *path, const void *p, size_t len);
/* Read a whole file. 0 or -errno; *@out malloc'ed (NUL-terminated). */
int cert_read_file(const char *path, char **out, size_t *len);

#endif
