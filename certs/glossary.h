/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The Chinese of every value Tabula stores in English (results, NIST SP
 * 800-88 / IEEE 2883 methods and techniques, media types, verification,
 * method titles, destruction techniques, engine messages), one table with
 * the source of each Chinese term. The zh certificate, the zh register and
 * the zh station all show values through it; stored records stay English.
 */
#ifndef CERTS_GLOSSARY_H
#define CERTS_GLOSSARY_H

#include <stddef.h>

struct cert_term {
	const char *en;		/* the value as stored or printed in English */
	const char *zh;		/* its Simplified Chinese */
	const char *source;	/* where the Chinese term comes from */
};

/* The Chinese of @en (exact, case-insensitive match), or @en itself when the table has none. */
const char *cert_gloss_zh(const char *en);
/* @en in Chinese when @zh, else @en. */
const char *cert_gloss(const char *en, int zh);
/*
 * A sentence of the engine (wiper) or the record in Chinese, into @buf: every
 * known term or phrase in it (longest first, whole words, case as written)
 * replaced, the rest (device names, numbers, paths) kept. @en itself when
 * not @zh. Returns the text to show.
 */
const char *cert_gloss_text(const char *en, int zh, char *buf, size_t len);
/* The whole table (tests, documentation); its length in @n. */
const struct cert_term *cert_glossary(size_t *n);

#endif
