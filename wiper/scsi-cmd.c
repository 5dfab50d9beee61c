/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "wiper/scsi-cmd.h"

#include <errno.h>
#include <string.h>

int scsi_cdb_sanitize(uint8_t cdb[10], enum scsi_sanitize_sa sa, bool immed, bool ause,
		      uint8_t *param, size_t param_max, unsigned passes, const uint8_t *pattern,
		      size_t plen, bool invert)
{
	size_t plist = 0;

	if (sa != SCSI_SANITIZE_OVERWRITE && sa != SCSI_SANITIZE_BLOCK &&
	    sa != SCSI_SANITIZE_CRYPTO && sa != SCSI_SANITIZE_EXIT_FAILURE)
		return -EINVAL;
	if (sa == SCSI_SANITIZE_EXIT_FAILURE && ause)
		return -EINVAL;
	memset(cdb, 0, 10);
	cdb[0] = 0x48;
	cdb[1] = (uint8_t)((immed ? 0x80 : 0) | (ause ? 0x20 : 0) | (sa & 0x1f));
	if (sa == SCSI_SANITIZE_OVERWRITE) {
		/* Behind a SATL the pattern must be 4 bytes; we never send more. */
		if (passes < 1 || passes > 31 || pattern == NULL || plen < 1 || plen > 4 ||
		    param == NULL || param_max < 4 + plen)
			return -EINVAL;
		memset(param, 0, 4 + plen);
		param[0] = (uint8_t)((invert ? 0x80 : 0) | (passes & 0x1f));
		param[2] = 0;
		param[3] = (uint8_t)plen;
		memcpy(param + 4, pattern, plen);
		plist = 4 + plen;
	}
	cdb[7] = (uint8_t)(plist >> 8);
	cdb[8] = (uint8_t)plist;
	return (int)plist;
}

void scsi_cdb_report_opcode(uint8_t cdb[12], uint8_t opcode, uint16_t sa, uint32_t alloc)
{
	memset(cdb, 0, 12);
	cdb[0] = 0xa3;
	cdb[1] = 0x0c;
	/* REPORTING OPTIONS 011b: one command, with service action. */
	cdb[2] = 0x03;
	cdb[3] = opcode;
	cdb[4] = (uint8_t)(sa >> 8);
	cdb[5] = (uint8_t)sa;
	cdb[6] = (uint8_t)(alloc >> 24);
	cdb[7] = (uint8_t)(alloc >> 16);
	cdb[8] = (uint8_t)(alloc >> 8);
	cdb[9] = (uint8_t)alloc;
}

int scsi_report_opcode_parse(const uint8_t *buf, size_t len, bool *supported)
{
	unsigned support;

	*supported = false;
	if (buf == NULL || len < 4)
		return -EINVAL;
	support = buf[1] & 0x07;
	*supported = support == 0x3 || support == 0x5;
	return 0;
}

void scsi_cdb_request_sense(uint8_t cdb[6], uint8_t alloc)
{
	memset(cdb, 0, 6);
	cdb[0] = 0x03;
	cdb[4] = alloc;
}
