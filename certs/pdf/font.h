/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The fonts of a certificate or register page. Documents of the current
 * layouts embed every font as a subset of the glyphs they draw, made with
 * HarfBuzz's hb-subset and handed to libharu (Latin faces as WinAnsi
 * TrueType fonts, the CJK face as a Type0 font), each with a ToUnicode map
 * written here (libharu 2.3's own is not a valid one). The glyphs are known only once
 * the page is laid out, so such a document is laid out twice: a collecting
 * pass notes every codepoint each face is given to draw, the second pass
 * draws with the subsets. Older layouts keep the fonts they were issued
 * with (base-14 Helvetica, the CJK font referenced), so their certificates
 * still re-render to the same bytes.
 */
#ifndef TABULA_CERTS_PDF_FONT_H
#define TABULA_CERTS_PDF_FONT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hpdf.h>

#include "certs/canon.h"

#define CJK_FONT "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"

/* The faces a page uses. */
enum pd_face { PD_FACE_SANS, PD_FACE_BOLD, PD_FACE_MONO, PD_FACE_CJK, PD_FACE_COUNT };

/* How a document's fonts are made. */
enum pd_fonts {
	PD_FONTS_REFERENCED,	/* layouts 1-2, register 1: Helvetica, CJK font not embedded */
	PD_FONTS_COLLECT,	/* first pass: no text drawn, its codepoints noted */
	PD_FONTS_EMBED,		/* second pass: subsets of the noted codepoints, embedded */
};

/* A set of codepoints of the Basic Multilingual Plane (libharu's UTF-8 encoder is 16-bit). */
struct pd_cpset {
	uint64_t bits[65536 / 64];
};

/* The codepoints each face draws. */
struct pd_glyphs {
	struct pd_cpset face[PD_FACE_COUNT];
};

struct doc;

/*
 * Load the fonts of @d for @lang in @d->fonts mode (@d->glyphs holds the
 * codepoints for PD_FONTS_EMBED, receives them for PD_FONTS_COLLECT); the
 * CJK font too when @want_cjk or zh. 0, -ENOENT (a font file is missing,
 * @err names its package), -ENOMEM or -EIO.
 */
int pd_load_fonts(struct doc *d, const char *lang, bool want_cjk, char *err, size_t errlen);

/* Note that @font is to draw the UTF-8 text @s (collecting pass only; otherwise nothing). */
void pd_fonts_note(struct doc *d, HPDF_Font font, const char *s);

/*
 * Give each embedded font its ToUnicode map; call once the page is drawn,
 * before saving. 0, -ENOMEM or -EIO.
 */
int pd_fonts_finish(struct doc *d);

/* Add the codepoints of the UTF-8 text @s to @set (malformed bytes and non-BMP skipped). */
void pd_cpset_add_utf8(struct pd_cpset *set, const char *s);
/* Is @cp in @set? */
bool pd_cpset_has(const struct pd_cpset *set, uint32_t cp);
/* How many codepoints @set holds. */
size_t pd_cpset_count(const struct pd_cpset *set);

/*
 * A TrueType font holding only the glyphs for @set (and .notdef) of face
 * @index of the TrueType file or collection @path, into @out. 0, -ENOENT
 * (no such file), -EINVAL (not a font, or hb-subset failed) or -ENOMEM.
 */
int pd_font_subset(const char *path, unsigned index, const struct pd_cpset *set, struct cbuf *out);

/*
 * The ToUnicode CMap for the codepoints in @set, into @out: @two_byte, for
 * a Type0 font whose codes are their UTF-16 code units (libharu's UTF-8
 * encoding with Identity-H); else for a WinAnsi simple font, whose codes
 * for printable ASCII are the codepoints (nothing else is mapped). 0 or
 * -ENOMEM.
 */
int pd_font_tounicode(const struct pd_cpset *set, bool two_byte, struct cbuf *out);

#endif
