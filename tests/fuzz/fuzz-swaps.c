/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: /proc/swaps text. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wiper/exclude.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	char *text = malloc(len + 1);
	struct wiper_sysstate st;

	if (text == NULL)
		return 0;
	memcpy(text, data, len);
	text[len] = '\0';
	memset(&st, 0, sizeof(st));
	wiper_swaps_parse(text, &st);
	wiper_sysstate_done(&st);
	free(text);
	return 0;
}
