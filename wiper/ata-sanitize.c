/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "wiper/ata-sanitize.h"

#include <errno.h>
#include <string.h>

int ata_sanitize_status_decode(const struct ata_rtf *rtf, struct ata_sanitize_status *out)
{
	memset(out, 0, sizeof(*out));
	if (rtf == NULL || !rtf->valid)
		return -EINVAL;
	if (rtf->partial)
		return -ENODATA;
	out->aborted = (rtf->status & ATA_STAT_ERR) && (rtf->error & ATA_ERR_ABRT);
	if (out->aborted) {
		out->reason = (uint8_t)(rtf->lba & 0xff);
		return 0;
	}
	out->completed_ok = rtf->count & 0x8000;
	out->in_progress = rtf->count & 0x4000;
	out->frozen = rtf->count & 0x2000;
	out->antifreeze = rtf->count & 0x1000;
	out->progress = (double)(rtf->lba & 0xffff) * 100.0 / 65536.0;
	return 0;
}

const char *ata_sanitize_reason_str(uint8_t reason)
{
	switch (reason) {
	case 0x00: return "no reason given";
	case 0x01: return "the last sanitize failed (drive in failure state)";
	case 0x02: return "unsupported sanitize subcommand or field";
	case 0x03: return "sanitize is frozen";
	case 0x04: return "freeze lock refused: antifreeze is active";
	}
	return "unknown reason";
}
