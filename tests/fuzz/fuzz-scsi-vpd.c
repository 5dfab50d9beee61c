/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libFuzzer target: SCSI data-in pages: standard INQUIRY, VPD 00h/80h/83h,
 * READ CAPACITY(16) and REPORT SUPPORTED OPERATION CODES.
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "wiper/scsi-cmd.h"
#include "wiper/scsi-inquiry.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

/* Trap unless @s is a NUL-terminated string within its @n-byte field. */
static void check_str(const char *s, size_t n)
{
	if (memchr(s, '\0', n) == NULL)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct scsi_vpd_ids ids = { 0 };
	struct scsi_capacity cap;
	struct scsi_inquiry inq;
	bool sup;

	if (scsi_inquiry_parse(data, len, &inq) == 0) {
		check_str(inq.vendor, sizeof(inq.vendor));
		check_str(inq.product, sizeof(inq.product));
		check_str(inq.revision, sizeof(inq.revision));
	}
	scsi_vpd80_parse(data, len, &ids);
	scsi_vpd83_parse(data, len, &ids);
	check_str(ids.serial, sizeof(ids.serial));
	check_str(ids.naa, sizeof(ids.naa));
	check_str(ids.t10, sizeof(ids.t10));
	(void)scsi_vpd00_has(data, len, 0x83);
	(void)scsi_vpd00_has(data, len, len > 0 ? data[0] : 0);
	scsi_read_capacity16_parse(data, len, &cap);
	scsi_report_opcode_parse(data, len, &sup);
	return 0;
}
