/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: /proc/swaps text. */
#include "config.h"

#include "tests/fuzz/sysstate-fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	return fuzz_sysstate(data, len, wiper_swaps_parse);
}
