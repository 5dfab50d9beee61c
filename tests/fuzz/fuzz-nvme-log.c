/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: NVMe log pages: SMART / Health Information (02h) and Sanitize Status (81h). */
#include "config.h"

#include <stddef.h>
#include <stdint.h>

#include "wiper/nvme-cmd.h"
#include "wiper/smart.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct nvme_sanitize_log log;
	struct wiper_smart sm;
	double pct;

	if (nvme_sanitize_log_parse(data, len, &log) == 0) {
		pct = nvme_sanitize_progress(&log);
		if (!(pct >= 0.0 && pct <= 100.0))
			__builtin_trap(); /* progress is a percentage, whatever the drive says */
	}
	wiper_smart_parse_nvme(data, len, &sm);
	return 0;
}
