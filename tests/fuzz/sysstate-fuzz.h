/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The body shared by the targets for the text files wiper reads to know what
 * is mounted or swapped on (fuzz-mountinfo.c, fuzz-swaps.c): the input as a
 * NUL-ended string, parsed into a fresh state, which is then freed.
 */
#ifndef TABULA_FUZZ_SYSSTATE_H
#define TABULA_FUZZ_SYSSTATE_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wiper/exclude.h"

static inline int fuzz_sysstate(const uint8_t *data, size_t len,
				int (*parse)(const char *text, struct wiper_sysstate *st))
{
	char *text = malloc(len + 1);
	struct wiper_sysstate st;

	if (text == NULL)
		return 0;
	memcpy(text, data, len);
	text[len] = '\0';
	memset(&st, 0, sizeof(st));
	parse(text, &st);
	wiper_sysstate_done(&st);
	free(text);
	return 0;
}

#endif
