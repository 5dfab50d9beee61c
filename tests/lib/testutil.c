/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "tests/lib/testutil.h"

#include <stdio.h>
#include <stdlib.h>

const char *test_fixture(const char *rel, char *buf, size_t len)
{
	const char *top = getenv("top_srcdir");

	snprintf(buf, len, "%s/tests/fixtures/%s", top && *top ? top : ".", rel);
	return buf;
}

uint8_t *test_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long sz;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (sz = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)sz + 1);
		if (buf && fread(buf, 1, (size_t)sz, f) != (size_t)sz) {
			free(buf);
			buf = NULL;
		}
		if (buf) {
			buf[sz] = 0;
			*len = (size_t)sz;
		}
	}
	fclose(f);
	return buf;
}
