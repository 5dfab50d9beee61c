/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The bottom layer: generic helpers that libwiper, libcerts and the front
 * ends share (fixed-width identify strings, small system files, UTC time).
 * Nothing here includes anything above it; utf8.h and hexdigit.h beside it
 * are header-only.
 */
#ifndef WIPER_BASE_H
#define WIPER_BASE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

/*
 * Copy the @n-byte ASCII field at @p into @out (@n + 1 bytes), trimmed at
 * both ends. Standards pad with spaces, some firmware with NULs; both are
 * padding, and a NUL in the middle becomes a space so it cannot hide what
 * follows it.
 */
void base_field_copy(const uint8_t *p, size_t n, char *out);

/*
 * As base_field_copy() for an ATA IDENTIFY string: @nwords 16-bit words
 * from word @w of @buf, each word's two bytes swapped (at most 64 bytes).
 */
void base_ata_string(const uint8_t *buf, unsigned w, unsigned nwords, char *out);

/*
 * Read a small file (sysfs attribute, /proc entry) into @buf (@len bytes),
 * NUL-terminated, trailing newlines and spaces trimmed. 0 or -errno.
 */
int base_read_small(const char *path, char *buf, size_t len);

/* Read a whole file into a NUL-terminated heap buffer; NULL with errno set. */
char *base_slurp(const char *path);

/*
 * Format @fmt into @buf (@len bytes; NULL or 0: nothing), cut safely when
 * it is longer; returns @rc, so an error path reads
 * "return base_errf(err, errlen, -EINVAL, "...", ...)".
 */
int base_errf(char *buf, size_t len, int rc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* base_errf() with a va_list. */
int base_verrf(char *buf, size_t len, int rc, const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));

/* @t (UTC seconds) as "2026-12-01T23:26:00Z" in @buf ("" when it cannot be); returns @buf. */
const char *base_time_utc(int64_t t, char *buf, size_t len);

/*
 * @bytes in IEC units as every front end and the PDF show a size: "512 B",
 * "4 KiB", "40 MiB", "7.5 GiB" (one decimal below 100, none when whole).
 * Returns @buf.
 */
const char *base_size_iec(uint64_t bytes, char *buf, size_t len);

/* Strip leading and trailing blanks of @s in place; returns the first kept byte. */
char *base_trim(char *s);
/* Copy @src into @dst of @len bytes; false when it did not fit (then cut). */
bool base_copy(char *dst, size_t len, const char *src);

#endif
