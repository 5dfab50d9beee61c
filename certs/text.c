/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Stored text made safe for terminals and JSON (certs/text.h). */
#include "config.h"

#include "certs/text.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wiper/base/utf8.h"

/* Shown as an escape rather than as itself? */
static bool hidden(uint32_t c)
{
	return c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) ||
	       (c >= 0x2066 && c <= 0x2069) || c == 0x200e || c == 0x200f || c == 0x061c ||
	       c == 0x2028 || c == 0x2029 || c == 0x200b || c == 0xfeff;
}

const char *cert_text_escape(const char *s, char *out, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, o = 0, l;
	char esc[16];
	const char *piece;
	size_t plen;
	uint32_t c;

	if (!len)
		return out;
	while (i < n) {
		l = wiper_utf8_len(p + i, n - i, &c);
		piece = (const char *)p + i;
		plen = l;
		if (!l) {
			snprintf(esc, sizeof(esc), "\\x%02x", p[i]);
			l = 1;
		} else if (c == '\\') {
			snprintf(esc, sizeof(esc), "\\\\");
		} else if (c == '\n' || c == '\t' || c == '\r') {
			snprintf(esc, sizeof(esc), "\\%c", c == '\n' ? 'n' : c == '\t' ? 't' : 'r');
		} else if (hidden(c) && c < 0x100) {
			snprintf(esc, sizeof(esc), "\\x%02x", (unsigned)c);
		} else if (hidden(c)) {
			snprintf(esc, sizeof(esc), "\\u{%04x}", (unsigned)c);
		} else {
			esc[0] = '\0';
		}
		if (esc[0]) {
			piece = esc;
			plen = strlen(esc);
		}
		if (o + plen >= len)
			break;
		memcpy(out + o, piece, plen);
		o += plen;
		i += l;
	}
	out[o] = '\0';
	return out;
}

struct cj *cj_str_lossy(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, o = 0, l;
	struct cj *v;
	uint32_t c;
	char *buf = malloc(3 * n + 1);

	if (!buf)
		return NULL;
	while (i < n) {
		l = wiper_utf8_len(p + i, n - i, &c);
		if (!l) {
			memcpy(buf + o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
			continue;
		}
		memcpy(buf + o, p + i, l);
		o += l;
		i += l;
	}
	buf[o] = '\0';
	v = cj_str(buf);
	free(buf);
	return v;
}
