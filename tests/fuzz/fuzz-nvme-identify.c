/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: NVMe Identify Controller and Identify Namespace data. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>

#include "wiper/nvme-identify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct nvme_ctrl_info c;
	struct nvme_ns_info n;

	nvme_ctrl_info_parse(data, len, &c);
	nvme_ns_info_parse(data, len, &n);
	return 0;
}
