/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One hex digit's value: shared by every parser that reads hex (wiper, certs, the station). */
#ifndef TABULA_WIPER_HEXDIGIT_H
#define TABULA_WIPER_HEXDIGIT_H

/* The value of hex digit @c (either case), or -1. */
static inline int wiper_hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#endif
