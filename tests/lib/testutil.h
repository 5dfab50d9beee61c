/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Small helpers shared by the unit tests. */
#ifndef TABULA_TESTUTIL_H
#define TABULA_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>

/* Path of a file under tests/fixtures, from $top_srcdir (default "."). */
const char *test_fixture(const char *rel, char *buf, size_t len);

/* Read a whole file; NULL if it cannot be read. *len gets the size. Free with free(). */
uint8_t *test_read_file(const char *path, size_t *len);

#endif
