/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Decoding of what ATA SANITIZE STATUS EXT (and a failed SANITIZE) return. */
#ifndef WIPER_ATA_SANITIZE_H
#define WIPER_ATA_SANITIZE_H

#include <stdbool.h>
#include <stdint.h>

#include "wiper/sense.h"

struct ata_sanitize_status {
	bool completed_ok;	/* COUNT bit 15: completed without error */
	bool in_progress;	/* COUNT bit 14 */
	bool frozen;		/* COUNT bit 13 */
	bool antifreeze;	/* COUNT bit 12 */
	double progress;	/* percent, from LBA(15:0) / 65536 */
	bool aborted;		/* ABRT in the error register */
	uint8_t reason;		/* LBA(7:0) when aborted: 0 none, 1 failed, 2 unsupported,
				   3 frozen, 4 antifreeze active */
};

/*
 * Decode the returned registers. Returns 0, -EINVAL when @rtf is not valid,
 * or -ENODATA when only a fixed-format (partial) set came back: COUNT(15:8),
 * which holds every flag, is then unknown.
 */
int ata_sanitize_status_decode(const struct ata_rtf *rtf, struct ata_sanitize_status *out);

/* The drive's reason for aborting a sanitize, in words. */
const char *ata_sanitize_reason_str(uint8_t reason);

#endif
