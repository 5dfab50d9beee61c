/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: ATA IDENTIFY DEVICE data, raw 512 bytes or the text hdparm --Istdout prints. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>

#include "wiper/ata-identify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	uint8_t raw[ATA_IDENTIFY_LEN];
	struct ata_identify a;
	char err[256];

	/* What `wiper decode ata-identify FILE` does, then the decoder on whatever came in. */
	if (ata_identify_load(data, len, raw, err, sizeof(err)) == 0)
		ata_identify_parse(raw, sizeof(raw), &a);
	ata_identify_parse(data, len, &a);
	return 0;
}
