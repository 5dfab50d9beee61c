/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Inside the PDF renderers: the page, its fonts and the drawing helpers the
 * certificate (cert.c), its verification (verify.c) and the register
 * (register.c) share. Labels in both languages are in labels.c, drawing in
 * draw.c. Not for callers of certs/pdf.h.
 */
#ifndef TABULA_CERTS_PDF_IMPL_H
#define TABULA_CERTS_PDF_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hpdf.h>

#include "certs/canon.h"
#include "certs/ledger.h"
#include "certs/pdf/font.h"
#include "certs/record.h"

/* Page geometry, A4 in points. */
#define PW 595.0f
#define PH 842.0f
#define ML 40.0f
#define MR (PW - 40.0f)

enum lbl {
	L_TITLE, L_SUBTITLE, L_CERT_NO, L_STATION, L_RESULT, L_PERSON, L_NAME, L_TITLE_ROLE,
	L_ORG, L_LOCATION, L_PHONE, L_MEDIA, L_MAKE, L_MODEL, L_SERIAL, L_PROPERTY, L_MEDIA_TYPE,
	L_SOURCE, L_CLASS, L_BACKED_UP, L_BACKUP_LOC, L_CAPACITY, L_INTERFACE, L_HIDDEN, L_SANIT,
	L_METHOD_TYPE, L_METHOD_USED, L_IEEE, L_DETAILS, L_TOOL, L_COMMAND, L_STEPS, L_VERIFY,
	L_COVERAGE, L_ERRORS, L_POST_CLASS, L_TIME, L_NOTES, L_DEST, L_D_INT, L_D_EXT, L_D_REC,
	L_D_DESTR, L_D_MANU, L_D_OTHER, L_SIGNATURE, L_ATTEST, L_SIGN, L_DATE, L_VALIDATION,
	L_PROOF, L_POSITION, L_HASH, L_PREV, L_SIG, L_FP, L_CUSTODY, L_FOOTER, L_DESTROY, L_TECHNIQUE, L_OWNER,
	L_REG_TITLE, L_PERIOD, L_REG_COLS, L_HEAD, L_COUNT, L_PAGE, L_REASON, L_MORE, L_NONE,
	L_PASS, L_DEST_DETAILS, L_SCAN, L_HEADS, L_REG_SIGNED, L_REG_UNSIGNED, L_REG_FOOTER, L_IN_LEDGER,
	/* Layout 3: the 保密 record. */
	L_TITLE_ERASE3, L_TITLE_DESTROY3, L_PERSON3, L_PERSON_DESTROY3, L_DEPT, L_CARRIER,
	L_APPROVAL3, L_APPROVER, L_APPROVAL_REF, L_SUPERVISION3, L_SUPERVISION_ERASE3, L_SUPERVISOR,
	L_TIME_LOCAL, L_SANIT3, L_SANIT_DESTROY3, L_SEAL, L_DEST3, L_SIGNATURE3,
	L_REG3_TITLE, L_REG3_COLS, L_REG3_PERIOD, L_REG3_TOTALS, L_REG3_OFFICER, L_REG3_HEADS,
	L_REG3_STATION, L_REG3_FP, L_PROOF3, L_UTC, L_SUBTITLE3, L_METHOD3, L_SAMPLES, L_SEED3,
	L_COUNT_
};

/*
 * Certificate page layouts. The verifier re-renders a certificate in the
 * layout its bundle names and compares bytes, so a layout, once issued, is
 * never changed: a new one gets a new number and bundle format.
 *   1: tabula-cert-bundle-1, QR code (number, hash, key) in the header.
 *   2: tabula-cert-bundle-2, QR code (certs/qrcode.h) beside the ledger proof.
 *   3: tabula-cert-bundle-3, the 保密 record (cert-form.c): titled for erasure
 *      or destruction, carrier number, classification, approval, up to two
 *      supervisors with their signing lines, each person's unit, department,
 *      location and phone, local times with their offset and UTC; every font
 *      embedded as a subset (certs/pdf/font.h), the size in IEC units ("64
 *      MiB") and the seed as 0x and hex digits, as the station and the CLI
 *      show them (1 and 2 print decimal "67.1 MB" and the bare hex seed).
 */
enum { PD_LAYOUT_1 = 1, PD_LAYOUT_2 = 2, PD_LAYOUT_3 = 3, PD_LAYOUT_CURRENT = PD_LAYOUT_3 };

/* Rendering state. */
struct doc {
	int layout;
	HPDF_Doc pdf;
	HPDF_Page page;
	HPDF_Font reg, bold, mono, cjk;
	int zh;
	enum pd_fonts fonts;		/* how the fonts are made */
	struct pd_glyphs *glyphs;	/* codepoints per face (not PD_FONTS_REFERENCED) */
	HPDF_STATUS status;
	HPDF_STATUS detail;
	float y;
};

/* The label @id in the document's language. */
const char *pd_L(const struct doc *d, enum lbl id);

/*
 * A stored English value as the page shows it: in Chinese from the one
 * glossary (certs/glossary.h) on a Chinese page of layout 3 or register
 * format 2, as stored otherwise (layouts 1 and 2 never change).
 */
const char *pd_V(const struct doc *d, const char *stored);

/* libharu's error handler: remember the first error in the struct doc @data. */
void pd_on_error(HPDF_STATUS status, HPDF_STATUS detail, void *data);
/* Does @s hold anything beyond ASCII? */
bool pd_non_ascii(const char *s);

/* Draw @s at (@x, @y) with @font at @size, cut to @maxw points (0: no limit). */
void pd_text(struct doc *d, HPDF_Font font, float size, float x, float y, float maxw,
	     const char *s);
/*
 * How many bytes of the first @n of @s, drawn as pd_text() would draw them,
 * fit in @maxw points (cut at a UTF-8 boundary).
 */
size_t pd_text_fit(const struct doc *d, HPDF_Font font, float size, float maxw, const char *s,
		   size_t n);
/* A filled grey section bar with a title; moves y below it. */
void pd_section(struct doc *d, enum lbl title);
/* One bordered form cell at @x, @w wide: label in @lw points, then the value. */
void pd_field_at(struct doc *d, float x, float w, float lw, const char *label, const char *value,
		 HPDF_Font vfont, float vsize);
/* A full-width row; two half-width rows; a monospaced row @w wide (hashes). */
void pd_row(struct doc *d, enum lbl label, const char *value);
/*
 * A full-width row whose value wraps onto up to @maxlines rows (the label on
 * the first) instead of being cut at the margin: layout 3 and later only.
 */
void pd_row_wrap(struct doc *d, enum lbl label, const char *value, unsigned maxlines);
void pd_row2(struct doc *d, enum lbl l1, const char *v1, enum lbl l2, const char *v2);
void pd_row_mono(struct doc *d, enum lbl label, const char *value, float w);
/* A checkbox with a caption at @x on the current line. */
void pd_checkbox(struct doc *d, float x, bool on, const char *caption);
/* Signature and date lines. */
void pd_sign_lines(struct doc *d);
/* Name, role, organization and location rows of a person. */
void pd_person(struct doc *d, const struct cert_person *p);
/*
 * The QR code of @s (error correction M, byte mode) with its quiet zone of
 * four modules, on a white square @size points wide whose top-left corner
 * is (@x, @top) (@quiet_fill false: no white square, as layout 1 drew it).
 * 0, or -EINVAL when @s does not fit a QR code.
 */
int pd_qr(struct doc *d, const char *s, float x, float top, float size, bool quiet_fill);

/* "500.1 GB (500107862016 bytes)". */
void pd_fmt_size(int layout, uint64_t b, char *buf, size_t len);
/* snprintf that cuts silently: display text only, never stored. */
void pd_dfmt(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Embed @p uncompressed as the file @name (JSON) described by @desc. 0 or -EIO. */
int pd_embed(struct doc *d, const char *name, const char *desc, const char *p, size_t len);
/* Save the document into @out. 0, -EIO (libharu's code in @err) or -ENOMEM. */
int pd_save(struct doc *d, struct cbuf *out, const char *fn, char *err, size_t errlen);

/* The parts of the certificate page that layouts share (cert.c). */
void pd_cert_header(struct doc *d, const struct cert_record *r, const struct cert_entry *e);
void pd_cert_erase_steps(struct doc *d, const struct cert_record *r);
void pd_cert_proof(struct doc *d, const struct cert_record *r, const struct cert_entry *e);
/*
 * The register of format 2 (register-form.c): draw content @c with
 * signature @sig_hex ("" unsigned) on A4 landscape pages of @d.
 */
void pd_register_form(struct doc *d, const struct cj *c, const char *sig_hex);
/* The whole layout-3 page (cert-form.c). */
void pd_cert_form(struct doc *d, const struct cert_record *r, const struct cert_entry *e);
/* "Secret (秘密)" in English, "秘密" in Chinese: a classification as the page shows it. */
const char *pd_classification(const struct doc *d, const char *stored, char *buf, size_t len);

/*
 * Render entry @e as a certificate in @layout. 0 or -errno as for
 * cert_pdf_render(). The bundle in PDF bytes, with the layout it names.
 */
int pd_cert_render(const struct cert_entry *e, const char *lang, int layout, struct cbuf *out,
		   char *err, size_t errlen);
int pd_cert_extract(const char *pdf, size_t len, struct cert_entry *e, char *lang, int *layout,
		    char *err, size_t errlen);

#endif
