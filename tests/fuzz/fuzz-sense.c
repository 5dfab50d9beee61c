/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libFuzzer target: SCSI sense data (fixed and descriptor format) and the ATA
 * registers a SATL returns in it, as far as SANITIZE STATUS decoding.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>

#include "wiper/ata-sanitize.h"
#include "wiper/sense.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct ata_sanitize_status st;
	struct scsi_sense s;
	struct ata_rtf r;

	if (scsi_sense_decode(data, len, &s) == 0) {
		(void)scsi_sense_is_ata_info(&s);
		(void)scsi_sense_key_str(s.key);
		(void)scsi_asc_str(s.asc, s.ascq);
	}
	if (ata_rtf_from_sense(data, len, &r) == 0 && ata_sanitize_status_decode(&r, &st) == 0)
		(void)ata_sanitize_reason_str(st.reason);
	return 0;
}
