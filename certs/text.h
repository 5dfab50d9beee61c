/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Stored text made safe to show. A ledger written before certs/validate.h,
 * or altered with sqlite3, may hold anything; nothing read from it may move
 * the cursor, change colours, reorder a line or break a JSON reader.
 */
#ifndef CERTS_TEXT_H
#define CERTS_TEXT_H

#include <stddef.h>

#include "certs/canon.h"

/*
 * @s for a terminal, into @out (always NUL-terminated, cut at a character
 * boundary when @len is short): control characters (C0, DEL, C1) become
 * "\xHH" (or \n, \t, \r), invisible and text-direction characters
 * (certs/validate.h's list) "\u{HHHH}", bytes that are not UTF-8 "\xHH",
 * and the backslash itself "\\", so the escape cannot be forged.
 * Returns @out.
 */
const char *cert_text_escape(const char *s, char *out, size_t len);

/*
 * A JSON string value of @s that is valid UTF-8 whatever @s holds: each
 * byte that is not part of a valid sequence becomes U+FFFD. NULL on ENOMEM.
 */
struct cj *cj_str_lossy(const char *s);

#endif
