/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The fonts of a page: loading them, subsetting them with hb-subset, their ToUnicode maps. */
#include "config.h"

#include "certs/pdf/font.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <hb-subset.h>
#include <hb.h>
#include <hpdf.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>

#include "certs/pdf.h"
#include "certs/pdf/pdf-impl.h"

#define LIBERATION "/usr/share/fonts/truetype/liberation2/"

/*
 * The embedded faces. Liberation Sans and Mono have the metrics of
 * Helvetica and Courier, which the first layouts used unembedded, so text
 * takes the same room; WenQuanYi Micro Hei is face 0 of its collection.
 * The Latin faces only ever draw ASCII (pd_text() replaces the rest), so
 * they are simple TrueType fonts in WinAnsiEncoding: a PDF printed through
 * CUPS (Ghostscript's ps2write) keeps them as text, where it turns every
 * Type0 font into a Type 3 font whose text no longer extracts. The CJK face
 * is a Type0 font with libharu's UTF-8 encoding (codes are UTF-16).
 */
static const struct face_file {
	const char *path;
	unsigned index;
	const char *package;
	bool cid;		/* Type0 / CIDFontType2, 2-byte codes; else 1-byte WinAnsi */
} face_files[PD_FACE_COUNT] = {
	[PD_FACE_SANS] = { LIBERATION "LiberationSans-Regular.ttf", 0, "fonts-liberation2", false },
	[PD_FACE_BOLD] = { LIBERATION "LiberationSans-Bold.ttf", 0, "fonts-liberation2", false },
	[PD_FACE_MONO] = { LIBERATION "LiberationMono-Regular.ttf", 0, "fonts-liberation2", false },
	[PD_FACE_CJK] = { CJK_FONT, 0, "fonts-wqy-microhei", true },
};

void pd_cpset_add_utf8(struct pd_cpset *set, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;
	int n, i;

	while (*p) {
		if (*p < 0x80) {
			cp = *p;
			n = 1;
		} else if ((*p & 0xe0) == 0xc0) {
			cp = *p & 0x1f;
			n = 2;
		} else if ((*p & 0xf0) == 0xe0) {
			cp = *p & 0x0f;
			n = 3;
		} else if ((*p & 0xf8) == 0xf0) {
			cp = *p & 0x07;
			n = 4;
		} else {
			p++;
			continue;
		}
		for (i = 1; i < n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				break;
			cp = cp << 6 | (p[i] & 0x3f);
		}
		if (i < n) {
			p += i;
			continue;
		}
		p += n;
		if (cp < 0x10000 && (cp < 0xd800 || cp > 0xdfff))
			set->bits[cp / 64] |= 1ull << (cp % 64);
	}
}

bool pd_cpset_has(const struct pd_cpset *set, uint32_t cp)
{
	return cp < 0x10000 && (set->bits[cp / 64] >> (cp % 64) & 1);
}

size_t pd_cpset_count(const struct pd_cpset *set)
{
	size_t i, n = 0;

	for (i = 0; i < sizeof(set->bits) / sizeof(set->bits[0]); i++)
		n += (size_t)__builtin_popcountll(set->bits[i]);
	return n;
}

int pd_font_subset(const char *path, unsigned index, const struct pd_cpset *set, struct cbuf *out)
{
	hb_blob_t *blob, *sub_blob = NULL;
	hb_face_t *face, *sub = NULL;
	hb_subset_input_t *in = NULL;
	hb_set_t *u;
	const char *data;
	unsigned len;
	uint32_t cp;
	int rc;

	blob = hb_blob_create_from_file_or_fail(path);
	if (!blob)
		return access(path, R_OK) ? -ENOENT : -EINVAL;
	face = hb_face_create(blob, index);
	rc = -EINVAL;
	if (hb_face_get_glyph_count(face) == 0)
		goto out;
	rc = -ENOMEM;
	in = hb_subset_input_create_or_fail();
	if (!in)
		goto out;
	u = hb_subset_input_unicode_set(in);
	for (cp = 0; cp < 0x10000; cp++)
		if (pd_cpset_has(set, cp))
			hb_set_add(u, cp);
	if (!hb_set_allocation_successful(u))
		goto out;
	rc = -EINVAL;
	sub = hb_subset_or_fail(face, in);
	if (!sub)
		goto out;
	sub_blob = hb_face_reference_blob(sub);
	data = hb_blob_get_data(sub_blob, &len);
	if (!data || !len)
		goto out;
	out->len = 0;
	rc = cbuf_put(out, data, len);
out:
	hb_blob_destroy(sub_blob);
	hb_face_destroy(sub);
	hb_subset_input_destroy(in);
	hb_face_destroy(face);
	hb_blob_destroy(blob);
	return rc;
}

/* Append the text @s to @out. */
static int put_str(struct cbuf *out, const char *s)
{
	return cbuf_put(out, s, strlen(s));
}

int pd_font_tounicode(const struct pd_cpset *set, bool two_byte, struct cbuf *out)
{
	uint32_t cp, end = two_byte ? 0x10000 : 0x7f;
	size_t left = 0, block;
	char line[32];
	int rc;

	/* One-byte codes: WinAnsi agrees with Unicode on printable ASCII, the only codes used. */
	for (cp = two_byte ? 0 : 0x20; cp < end; cp++)
		left += pd_cpset_has(set, cp);
	out->len = 0;
	rc = put_str(out, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
		     "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
		     "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n");
	if (!rc)
		rc = put_str(out, two_byte ? "<0000> <FFFF>\n" : "<00> <FF>\n");
	if (!rc)
		rc = put_str(out, "endcodespacerange\n");
	/* At most 100 entries per bfchar block (PDF 32000-1, 9.10.3). */
	cp = two_byte ? 0 : 0x20;
	while (!rc && left) {
		block = left > 100 ? 100 : left;
		left -= block;
		snprintf(line, sizeof(line), "%zu beginbfchar\n", block);
		rc = put_str(out, line);
		for (; !rc && block; cp++) {
			if (!pd_cpset_has(set, cp))
				continue;
			if (two_byte)
				snprintf(line, sizeof(line), "<%04X> <%04X>\n", (unsigned)cp, (unsigned)cp);
			else
				snprintf(line, sizeof(line), "<%02X> <%04X>\n", (unsigned)cp, (unsigned)cp);
			rc = put_str(out, line);
			block--;
		}
		if (!rc)
			rc = put_str(out, "endbfchar\n");
	}
	if (!rc)
		rc = put_str(out, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
	return rc;
}

/* The fonts of the first layouts: base-14 Helvetica and Courier, the CJK font referenced. */
static int load_referenced(struct doc *d, bool want_cjk, char *err, size_t errlen)
{
	const char *name;

	d->reg = HPDF_GetFont(d->pdf, "Helvetica", NULL);
	d->bold = HPDF_GetFont(d->pdf, "Helvetica-Bold", NULL);
	d->mono = HPDF_GetFont(d->pdf, "Courier", NULL);
	/* English certificates load the CJK font only for non-Latin names, when installed. */
	if (!d->zh && (!want_cjk || access(CJK_FONT, R_OK) != 0))
		return 0;
	if (access(CJK_FONT, R_OK) != 0) {
		pd_dfmt(err, errlen, "%s is missing (install fonts-wqy-microhei)",
			CJK_FONT);
		return -ENOENT;
	}
	/*
	 * Referenced, not embedded: libharu 2.3's subset of this TTC draws many
	 * glyphs blank in poppler, so these layouts left the face to the
	 * reader's fontconfig. They are kept as issued.
	 */
	HPDF_UseUTFEncodings(d->pdf);
	name = HPDF_LoadTTFontFromFile2(d->pdf, CJK_FONT, 0, HPDF_FALSE);
	if (name)
		d->cjk = HPDF_GetFont(d->pdf, name, "UTF-8");
	if (!d->cjk) {
		pd_dfmt(err, errlen, "cannot load %s", CJK_FONT);
		return -EIO;
	}
	return 0;
}

/*
 * The subset of face @f for the codepoints noted, embedded. libharu 2.3
 * reads fonts from files only: the subset goes through a memory file.
 */
static const char *load_subset(struct doc *d, enum pd_face f, int *rc)
{
	const struct face_file *ff = &face_files[f];
	struct cbuf sub = { 0 };
	const char *name = NULL;
	char path[64];
	int fd = -1;

	/*
	 * Every printable ASCII character too, whatever the first pass collected:
	 * that pass measures with stand-in fonts, so a line may break elsewhere in
	 * the second and a stretch of Latin text land in another face.
	 */
	pd_cpset_add_utf8(&d->glyphs->face[f], " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ"
			  "[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~");
	if ((*rc = pd_font_subset(ff->path, ff->index, &d->glyphs->face[f], &sub)))
		goto out;
	fd = memfd_create("tabula-font", MFD_CLOEXEC);
	if (fd < 0 || write(fd, sub.p, sub.len) != (ssize_t)sub.len) {
		*rc = -errno;
		goto out;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	name = HPDF_LoadTTFontFromFile(d->pdf, path, HPDF_TRUE);
	if (!name)
		*rc = -EIO;
out:
	if (fd >= 0)
		close(fd);
	cbuf_done(&sub);
	return name;
}

/* The font object for face @f, or NULL. */
static HPDF_Font *face_slot(struct doc *d, enum pd_face f)
{
	switch (f) {
	case PD_FACE_SANS: return &d->reg;
	case PD_FACE_BOLD: return &d->bold;
	case PD_FACE_MONO: return &d->mono;
	case PD_FACE_CJK: return &d->cjk;
	default: return NULL;
	}
}

/* Is the file of face @f there? 0, or -ENOENT with the file and its package in @err. */
static int face_missing(enum pd_face f, char *err, size_t errlen)
{
	const struct face_file *ff = &face_files[f];

	if (access(ff->path, R_OK) == 0)
		return 0;
	pd_dfmt(err, errlen, "the certificate font %s is missing (install %s)", ff->path, ff->package);
	return -ENOENT;
}

int cert_pdf_fonts_ok(const char *lang, char *err, size_t errlen)
{
	int f, rc;

	for (f = 0; f < PD_FACE_COUNT; f++)
		if ((f != PD_FACE_CJK || !strcmp(lang, "zh")) &&
		    (rc = face_missing((enum pd_face)f, err, errlen)))
			return rc;
	return 0;
}

/*
 * The collecting pass draws no text: it notes each text whole, before any
 * cut to a width, so the subsets hold a superset of what the second pass
 * draws. Its fonts only tell the faces apart; base-14 fonts cost nothing to
 * load (whole TrueType faces with the UTF-8 encoding cost libharu tens of
 * milliseconds each), and Helvetica and Courier measure as the Liberation
 * faces do.
 */
static const char *const placeholders[PD_FACE_COUNT] = {
	[PD_FACE_SANS] = "Helvetica", [PD_FACE_BOLD] = "Helvetica-Bold",
	[PD_FACE_MONO] = "Courier", [PD_FACE_CJK] = "Times-Roman",
};

int pd_load_fonts(struct doc *d, const char *lang, bool want_cjk, char *err, size_t errlen)
{
	const char *name;
	int f, rc = 0;

	d->zh = strcmp(lang, "zh") == 0;
	if (d->fonts == PD_FONTS_REFERENCED)
		return load_referenced(d, want_cjk, err, errlen);
	if (!d->glyphs) {
		pd_dfmt(err, errlen, "no glyph set for the embedded fonts");
		return -EINVAL;
	}
	if (d->fonts == PD_FONTS_EMBED && pd_cpset_count(&d->glyphs->face[PD_FACE_CJK]))
		HPDF_UseUTFEncodings(d->pdf);
	for (f = 0; f < PD_FACE_COUNT; f++) {
		const struct face_file *ff = &face_files[f];

		/* As for the first layouts: the CJK font for zh, and for non-Latin text when installed. */
		if (f == PD_FACE_CJK && !d->zh && (!want_cjk || access(ff->path, R_OK) != 0))
			continue;
		if ((rc = face_missing((enum pd_face)f, err, errlen)))
			return rc;
		if (d->fonts == PD_FONTS_COLLECT) {
			*face_slot(d, (enum pd_face)f) = HPDF_GetFont(d->pdf, placeholders[f], NULL);
			continue;
		}
		/* A face that draws nothing is left out of the file. */
		if (!pd_cpset_count(&d->glyphs->face[f]))
			continue;
		name = load_subset(d, (enum pd_face)f, &rc);
		if (name)
			*face_slot(d, (enum pd_face)f) =
				HPDF_GetFont(d->pdf, name, ff->cid ? "UTF-8" : "WinAnsiEncoding");
		if (!name || !*face_slot(d, (enum pd_face)f)) {
			pd_dfmt(err, errlen, "cannot load %s%s", ff->path,
				d->fonts == PD_FONTS_EMBED ? " as a subset" : "");
			return rc && rc != -EIO ? rc : -EIO;
		}
	}
	return 0;
}

void pd_fonts_note(struct doc *d, HPDF_Font font, const char *s)
{
	int f;

	if (d->fonts != PD_FONTS_COLLECT)
		return;
	for (f = 0; f < PD_FACE_COUNT; f++)
		if (*face_slot(d, (enum pd_face)f) == font) {
			pd_cpset_add_utf8(&d->glyphs->face[f], s);
			return;
		}
}

/* Give @font (@two_byte codes or WinAnsi) the ToUnicode map of @set, replacing libharu's. */
static int set_tounicode(struct doc *d, HPDF_Font font, const struct pd_cpset *set, bool two_byte)
{
	struct cbuf map = { 0 };
	HPDF_Dict tu;
	int rc;

	if ((rc = pd_font_tounicode(set, two_byte, &map)))
		return rc;
	rc = -EIO;
	/*
	 * libharu 2.3 points a Type0 font's ToUnicode at its UTF-8 encoding
	 * CMap (a begincidrange of byte sequences, which readers reject); the
	 * stream is the font's own, so it is emptied and rewritten. Simple
	 * fonts have none: one is added.
	 */
	tu = HPDF_Dict_GetItem(font, "ToUnicode", HPDF_OCLASS_DICT);
	if (!tu) {
		tu = HPDF_DictStream_New(d->pdf->mmgr, d->pdf->xref);
		if (!tu || HPDF_Dict_Add(font, "ToUnicode", tu) != HPDF_OK)
			goto out;
	} else {
		HPDF_MemStream_FreeData(tu->stream);
		HPDF_Dict_RemoveElement(tu, "Type");
		HPDF_Dict_RemoveElement(tu, "CMapName");
		HPDF_Dict_RemoveElement(tu, "CIDSystemInfo");
		HPDF_Dict_RemoveElement(tu, "WMode");
	}
	if (HPDF_Stream_Write(tu->stream, (const HPDF_BYTE *)map.p, (HPDF_UINT)map.len) != HPDF_OK)
		goto out;
	tu->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
	rc = 0;
out:
	cbuf_done(&map);
	return rc;
}

int pd_fonts_finish(struct doc *d)
{
	HPDF_Font font;
	int f, rc;

	if (d->fonts != PD_FONTS_EMBED)
		return 0;
	for (f = 0; f < PD_FACE_COUNT; f++) {
		font = *face_slot(d, (enum pd_face)f);
		if (font && (rc = set_tounicode(d, font, &d->glyphs->face[f], face_files[f].cid)))
			return rc;
	}
	return 0;
}
