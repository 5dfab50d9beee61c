/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One UTF-8 decoder for every parser of text that must be UTF-8 (records, boot options). */
#ifndef TABULA_WIPER_UTF8_H
#define TABULA_WIPER_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * Length of the valid UTF-8 sequence at @s (at most @n bytes, n >= 1), its
 * code point in *@cp; 0 when it is malformed, overlong, a surrogate or
 * beyond U+10FFFF.
 */
static inline size_t wiper_utf8_len(const unsigned char *s, size_t n, uint32_t *cp)
{
	uint32_t c;
	size_t l, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		l = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		l = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		l = 4;
		c = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < l)
		return 0;
	for (i = 1; i < l; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((l == 3 && c < 0x800) || (l == 4 && c < 0x10000) || c > 0x10ffff ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return l;
}

#endif
