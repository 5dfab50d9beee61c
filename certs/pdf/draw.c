/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Drawing on a certificate or register page: text, form rows, boxes, the QR code, fonts, saving. */
#include "config.h"

#include "certs/pdf/pdf-impl.h"
#include "wiper/base/base.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>
#include <hpdf_namedict.h>
#include <qrencode.h>


/* libharu error handler: remember the first error. */
void pd_on_error(HPDF_STATUS status, HPDF_STATUS detail, void *data)
{
	struct doc *d = data;

	if (!d->status) {
		d->status = status;
		d->detail = detail;
	}
}


/* Does @s hold anything beyond ASCII? */
bool pd_non_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return true;
	return false;
}

/*
 * The font for @s: the CJK font for non-ASCII text when there is one. With
 * embedded fonts a face that draws nothing is not loaded (NULL); a NULL
 * @want is then never the monospaced face, which draws all it is given.
 */
static HPDF_Font pd_font_for(const struct doc *d, HPDF_Font want, const char *s)
{
	if (d->cjk && (d->zh || pd_non_ascii(s)) && (!want || want != d->mono))
		return d->cjk;
	return want;
}

/* Replace non-ASCII bytes for fonts that cannot show them. */
static void pd_ascii_only(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			*s = '?';
}

/* Draw @s at (@x, @y) with @font at @size, cut to @maxw points. */
void pd_text(struct doc *d, HPDF_Font font, float size, float x, float y, float maxw,
		 const char *s)
{
	char buf[1024];
	HPDF_Font f = pd_font_for(d, font, s);
	HPDF_REAL used;
	size_t n;

	/* Embedded fonts: nothing to draw, no font to set (a face that draws nothing is not loaded). */
	if (d->fonts != PD_FONTS_REFERENCED && !s[0])
		return;
	if (!f) {
		/* Text the collecting pass did not see: fail the document rather than drop it. */
		d->status = d->status ? d->status : HPDF_INVALID_FONT;
		return;
	}
	n = strlen(s);
	if (n >= sizeof(buf))
		n = sizeof(buf) - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (f != d->cjk)
		pd_ascii_only(buf);
	if (d->fonts == PD_FONTS_COLLECT) {
		pd_fonts_note(d, f, buf);
		return;
	}
	if (maxw > 0) {
		n = HPDF_Font_MeasureText(f, (const HPDF_BYTE *)buf, (HPDF_UINT)strlen(buf), maxw,
					  size, 0, 0, HPDF_FALSE, &used);
		if (n < strlen(buf)) {
			/* Cut at a UTF-8 boundary. */
			while (n > 0 && ((unsigned char)buf[n] & 0xc0) == 0x80)
				n--;
			buf[n] = '\0';
		}
	}
	if (d->fonts != PD_FONTS_REFERENCED && !buf[0])
		return;
	HPDF_Page_BeginText(d->page);
	HPDF_Page_SetFontAndSize(d->page, f, size);
	HPDF_Page_TextOut(d->page, x, y, buf);
	HPDF_Page_EndText(d->page);
}

/* A filled grey section bar with a title; moves y below it. */
void pd_section(struct doc *d, enum lbl title)
{
	d->y -= 15;
	HPDF_Page_SetGrayFill(d->page, 0.85f);
	HPDF_Page_Rectangle(d->page, ML, d->y, MR - ML, 13);
	HPDF_Page_Fill(d->page);
	HPDF_Page_SetGrayFill(d->page, 0);
	pd_text(d, d->bold, 8.5f, ML + 4, d->y + 3.5f, 0, pd_L(d, title));
}

/* One form row: label cell and value cell, bordered. Two per line when @half. */
void pd_field_at(struct doc *d, float x, float w, float lw, const char *label,
		 const char *value, HPDF_Font vfont, float vsize)
{
	HPDF_Page_SetLineWidth(d->page, 0.4f);
	HPDF_Page_Rectangle(d->page, x, d->y, w, 12);
	HPDF_Page_Stroke(d->page);
	HPDF_Page_SetGrayFill(d->page, 0.35f);
	pd_text(d, d->reg, 6.5f, x + 3, d->y + 3.5f, lw - 4, label);
	HPDF_Page_SetGrayFill(d->page, 0);
	pd_text(d, vfont ? vfont : d->reg, vsize, x + lw, d->y + 3.2f, w - lw - 3,
		value[0] ? value : "-");
}

/* A full-width row. */
void pd_row(struct doc *d, enum lbl label, const char *value)
{
	d->y -= 12;
	pd_field_at(d, ML, MR - ML, 100, pd_L(d, label), value, NULL, 8);
}

void pd_row_wrap(struct doc *d, enum lbl label, const char *value, unsigned maxlines)
{
	const float w = MR - ML - 103;	/* the value's width in pd_field_at() */
	const char *p = value;
	unsigned line = 0;
	char buf[1024];

	if (!*p) {
		pd_row(d, label, p);	/* nothing to wrap: the row shows "-" */
		return;
	}
	do {
		size_t n = strlen(p), k = pd_text_fit(d, d->reg, 8, w, p, n), i;

		if (k == 0)	/* not even one character: take one, so the loop moves */
			for (k = 1; k < n && ((unsigned char)p[k] & 0xc0) == 0x80; k++)
				;
		/* Break at a space where one is near; CJK text has none and breaks anywhere. */
		if (k < n)
			for (i = k; i > k / 2; i--)
				if (p[i] == ' ') {
					k = i;
					break;
				}
		if (line + 1 == maxlines)
			k = n;	/* the last line takes the rest (cut at the margin) */
		if (k >= sizeof(buf))
			k = sizeof(buf) - 1;
		memcpy(buf, p, k);
		buf[k] = '\0';
		d->y -= 12;
		pd_field_at(d, ML, MR - ML, 100, line ? "" : pd_L(d, label), buf, NULL, 8);
		p += k;
		while (*p == ' ')
			p++;
		line++;
	} while (*p && line < maxlines);
}

/* Two half-width rows side by side. */
void pd_row2(struct doc *d, enum lbl l1, const char *v1, enum lbl l2, const char *v2)
{
	float half = (MR - ML) / 2;

	d->y -= 12;
	pd_field_at(d, ML, half, 100, pd_L(d, l1), v1, NULL, 8);
	pd_field_at(d, ML + half, half, 100, pd_L(d, l2), v2, NULL, 8);
}

/* A mono full-width row (hashes). */
void pd_row_mono(struct doc *d, enum lbl label, const char *value, float w)
{
	d->y -= 12;
	pd_field_at(d, ML, w, w < MR - ML ? 90 : 110, pd_L(d, label), value, d->mono,
		    w < MR - ML ? 6.6f : 8);
}

/* "466 GiB (500107862016 bytes)"; layouts 1 and 2: "500.1 GB (500107862016 bytes)". */
void pd_fmt_size(int layout, uint64_t b, char *buf, size_t len)
{
	char iec[32];
	int n;

	if (layout < PD_LAYOUT_3)
		n = b >= 1000000000ull ? snprintf(buf, len, "%.1f GB (%" PRIu64 " bytes)", b / 1e9, b)
				       : snprintf(buf, len, "%.1f MB (%" PRIu64 " bytes)", b / 1e6, b);
	else	/* In the units the station's screens use (base_size_iec), and the exact count. */
		n = snprintf(buf, len, "%s (%" PRIu64 " bytes)", base_size_iec(b, iec, sizeof(iec)), b);
	if (n < 0 || (size_t)n >= len)
		buf[len - 1] = '\0';
}

/* snprintf that cuts silently: display text only, never stored. */
__attribute__((format(printf, 3, 4)))
void pd_dfmt(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!buf || !len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= len)
		buf[len - 1] = '\0';
}

/* A checkbox with a caption. */
void pd_checkbox(struct doc *d, float x, bool on, const char *caption)
{
	HPDF_Page_SetLineWidth(d->page, 0.6f);
	HPDF_Page_Rectangle(d->page, x, d->y + 2, 8, 8);
	HPDF_Page_Stroke(d->page);
	if (on) {
		HPDF_Page_MoveTo(d->page, x + 1.5f, d->y + 6);
		HPDF_Page_LineTo(d->page, x + 3.5f, d->y + 3);
		HPDF_Page_LineTo(d->page, x + 7, d->y + 9);
		HPDF_Page_Stroke(d->page);
	}
	pd_text(d, d->reg, 7.5f, x + 11, d->y + 3, 0, caption);
}

int pd_qr(struct doc *d, const char *s, float x, float top, float size, bool quiet_fill)
{
	QRcode *q;
	float m;
	int i, j;

	/* It draws no text: the collecting pass has nothing to learn from it. */
	if (d->fonts == PD_FONTS_COLLECT)
		return 0;
	q = QRcode_encodeString(s, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!q)
		return -EINVAL;
	m = size / (float)(q->width + 8);
	/* The quiet zone is part of the code: nothing else may be drawn there. */
	if (quiet_fill) {
		HPDF_Page_SetGrayFill(d->page, 1);
		HPDF_Page_Rectangle(d->page, x, top - size, size, size);
		HPDF_Page_Fill(d->page);
	}
	HPDF_Page_SetGrayFill(d->page, 0);
	for (i = 0; i < q->width; i++)
		for (j = 0; j < q->width; j++)
			if (q->data[i * q->width + j] & 1)
				HPDF_Page_Rectangle(d->page, x + (j + 4) * m, top - (i + 5) * m, m, m);
	HPDF_Page_Fill(d->page);
	QRcode_free(q);
	return 0;
}

/* Signature and date lines for a person. */
void pd_sign_lines(struct doc *d)
{
	d->y -= 22;
	HPDF_Page_SetLineWidth(d->page, 0.6f);
	HPDF_Page_MoveTo(d->page, ML + 60, d->y);
	HPDF_Page_LineTo(d->page, ML + 330, d->y);
	HPDF_Page_MoveTo(d->page, ML + 380, d->y);
	HPDF_Page_LineTo(d->page, MR, d->y);
	HPDF_Page_Stroke(d->page);
	pd_text(d, d->reg, 7.5f, ML, d->y + 2, 0, pd_L(d, L_SIGN));
	pd_text(d, d->reg, 7.5f, ML + 345, d->y + 2, 0, pd_L(d, L_DATE));
}

/* Person rows (name, title, organization, location, phone). */
void pd_person(struct doc *d, const struct cert_person *p)
{
	pd_row2(d, L_NAME, p->name, L_TITLE_ROLE, p->title);
	pd_row2(d, L_ORG, p->organization, L_LOCATION, p->location);
}

/* libharu's own HPDF_AttachFile() wants a path; this takes the bytes. */
int pd_embed(struct doc *d, const char *name, const char *desc, const char *p, size_t len)
{
	HPDF_Doc pdf = d->pdf;
	HPDF_NameDict names;
	HPDF_NameTree tree;
	HPDF_Dict stream, spec, ef;

	names = HPDF_Catalog_GetNames(pdf->catalog);
	if (!names) {
		names = HPDF_NameDict_New(pdf->mmgr, pdf->xref);
		if (!names || HPDF_Catalog_SetNames(pdf->catalog, names) != HPDF_OK)
			return -EIO;
	}
	tree = HPDF_NameDict_GetNameTree(names, HPDF_NAME_EMBEDDED_FILES);
	if (!tree) {
		tree = HPDF_NameTree_New(pdf->mmgr, pdf->xref);
		if (!tree || HPDF_NameDict_SetNameTree(names, HPDF_NAME_EMBEDDED_FILES, tree) != HPDF_OK)
			return -EIO;
	}
	stream = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
	if (!stream || HPDF_Dict_AddName(stream, "Type", "EmbeddedFile") != HPDF_OK ||
	    HPDF_Dict_AddName(stream, "Subtype", "application#2Fjson") != HPDF_OK ||
	    HPDF_Stream_Write(stream->stream, (const HPDF_BYTE *)p, (HPDF_UINT)len) != HPDF_OK)
		return -EIO;
	stream->filter = HPDF_STREAM_FILTER_NONE;
	spec = HPDF_Dict_New(pdf->mmgr);
	if (!spec || HPDF_Xref_Add(pdf->xref, spec) != HPDF_OK)
		return -EIO;
	ef = HPDF_Dict_New(pdf->mmgr);
	if (!ef || HPDF_Dict_AddName(spec, "Type", "Filespec") != HPDF_OK ||
	    HPDF_Dict_Add(spec, "F", HPDF_String_New(pdf->mmgr, name, NULL)) != HPDF_OK ||
	    HPDF_Dict_Add(spec, "UF", HPDF_String_New(pdf->mmgr, name, NULL)) != HPDF_OK ||
	    HPDF_Dict_Add(spec, "Desc", HPDF_String_New(pdf->mmgr, desc, NULL))
		    != HPDF_OK ||
	    HPDF_Dict_Add(ef, "F", stream) != HPDF_OK || HPDF_Dict_Add(spec, "EF", ef) != HPDF_OK)
		return -EIO;
	if (HPDF_NameTree_Add(tree, HPDF_String_New(pdf->mmgr, name, NULL), spec) != HPDF_OK)
		return -EIO;
	return 0;
}


int pd_save(struct doc *d, struct cbuf *out, const char *fn, char *err, size_t errlen)
{
	HPDF_UINT32 size;

	if (!d->status)
		HPDF_SaveToStream(d->pdf);
	if (d->status) {
		pd_dfmt(err, errlen, "%s: libharu error 0x%04x (detail %u)", fn, (unsigned)d->status,
			(unsigned)d->detail);
		return -EIO;
	}
	size = HPDF_GetStreamSize(d->pdf);
	out->len = 0;
	if (out->cap < size + 1) {
		char *np = realloc(out->p, size + 1);

		if (!np)
			return -ENOMEM;
		out->p = np;
		out->cap = size + 1;
	}
	if (HPDF_ReadFromStream(d->pdf, (HPDF_BYTE *)out->p, &size) > HPDF_STREAM_EOF) {
		pd_dfmt(err, errlen, "%s: reading the PDF stream failed", fn);
		return -EIO;
	}
	out->len = size;
	out->p[size] = '\0';
	return 0;
}

size_t pd_text_fit(const struct doc *d, HPDF_Font font, float size, float maxw, const char *s,
		   size_t n)
{
	char buf[1024];
	HPDF_Font f = pd_font_for(d, font, s);
	HPDF_REAL used;
	size_t k;

	if (n >= sizeof(buf))
		n = sizeof(buf) - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (f != d->cjk)
		pd_ascii_only(buf);
	k = HPDF_Font_MeasureText(f, (const HPDF_BYTE *)buf, (HPDF_UINT)n, maxw, size, 0, 0,
				  HPDF_FALSE, &used);
	while (k > 0 && k < n && ((unsigned char)s[k] & 0xc0) == 0x80)
		k--;
	return k;
}
