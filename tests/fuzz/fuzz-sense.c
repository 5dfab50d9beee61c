/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: sense data, ATA registers, sanitize status and logs, SCSI pages. */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wiper/ata-sanitize.h"
#include "wiper/nvme-cmd.h"
#include "wiper/scsi-cmd.h"
#include "wiper/scsi-inquiry.h"
#include "wiper/sense.h"
#include "wiper/smart.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct ata_sanitize_status st;
	struct nvme_sanitize_log log;
	struct scsi_inquiry inq;
	struct scsi_vpd_ids ids = { 0 };
	struct scsi_capacity cap;
	struct wiper_smart sm;
	struct scsi_sense s;
	struct ata_rtf r;
	bool sup;

	scsi_sense_decode(data, len, &s);
	if (ata_rtf_from_sense(data, len, &r) == 0)
		ata_sanitize_status_decode(&r, &st);
	nvme_sanitize_log_parse(data, len, &log);
	scsi_inquiry_parse(data, len, &inq);
	scsi_vpd80_parse(data, len, &ids);
	scsi_vpd83_parse(data, len, &ids);
	scsi_vpd00_has(data, len, 0x83);
	scsi_read_capacity16_parse(data, len, &cap);
	scsi_report_opcode_parse(data, len, &sup);
	wiper_smart_parse_ata(data, len, true, &sm);
	wiper_smart_parse_nvme(data, len, &sm);
	return 0;
}
