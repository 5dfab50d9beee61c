/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: ATA SMART READ DATA (the 512-byte attribute table). */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wiper/smart.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct wiper_smart sm;

	wiper_smart_parse_ata(data, len, len > 0 && (data[len - 1] & 1), &sm);
	return 0;
}
