/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: ATA IDENTIFY (raw and hdparm text) and NVMe Identify decoding. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "wiper/ata-identify.h"
#include "wiper/nvme-identify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	uint8_t raw[ATA_IDENTIFY_LEN];
	struct ata_identify a;
	struct nvme_ctrl_info c;
	struct nvme_ns_info n;
	char err[256];

	if (ata_identify_load(data, len, raw, err, sizeof(err)) == 0)
		ata_identify_parse(raw, sizeof(raw), &a);
	ata_identify_parse(data, len, &a);
	nvme_ctrl_info_parse(data, len, &c);
	nvme_ns_info_parse(data, len, &n);
	return 0;
}
