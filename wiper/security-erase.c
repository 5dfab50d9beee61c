/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The ATA security erase procedure (sanitize-reference 1.2.6). */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "wiper/sanitize-impl.h"

/* The temporary user password the procedure sets (and the erase clears). */
#define TEMP_PASSWORD "TabulaTemp"

/* The ATA security erase procedure (sanitize-reference §1.2.6). */
void san_security_erase(struct wiper_dev *dev, struct wiper_disk *d, struct wiper_identity *id,
			   bool enhanced, struct wiper_job_result *res)
{
	uint8_t *blk = aligned_alloc(4096, 4096);
	struct wiper_ata_result ar;
	struct ata_identify after;
	struct ata_cmd cmd;
	unsigned minutes;
	int rc;

	if (blk == NULL) {
		san_finish(res, WIPER_FAILED, "out of memory");
		return;
	}
	/* Set a temporary user password (level High). */
	memset(blk, 0, 512);
	memcpy(blk + 2, TEMP_PASSWORD, strlen(TEMP_PASSWORD));
	ata_cmd_security_pio_out(&cmd, ATA_OP_SEC_SET_PASS);
	rc = san_ata(dev, res, "ATA SECURITY SET PASSWORD (F1h, user, level High, temporary password '"
			   TEMP_PASSWORD "')", &cmd, blk, &ar);
	if (rc > 0) {
		san_finish(res, WIPER_FAILED, "the drive refused SECURITY SET PASSWORD: security erase "
					  "unsupported or blocked");
		goto out;
	}
	/*
	 * A transport error may hide a password the drive did take: fall through
	 * to the final check, which removes it.
	 */
	if (rc == 0) {
		/* ERASE PREPARE must be followed directly by ERASE UNIT. */
		ata_cmd_security_erase_prepare(&cmd);
		rc = san_ata(dev, res, "ATA SECURITY ERASE PREPARE (F3h)", &cmd, NULL, &ar);
	}
	if (rc == 0) {
		minutes = enhanced ? id->ata.enh_erase_time_min : id->ata.erase_time_min;
		if (minutes == 0)
			minutes = (unsigned)(d->size_bytes / 30000000u / 60u) + 30;
		memset(blk, 0, 512);
		blk[0] = enhanced ? 0x02 : 0x00;
		memcpy(blk + 2, TEMP_PASSWORD, strlen(TEMP_PASSWORD));
		ata_cmd_security_pio_out(&cmd, ATA_OP_SEC_ERASE_UNIT);
		/* The kernel must never time out and reset the link under the erase. */
		cmd.timeout_ms = (minutes * 2u + 60u) * 60u * 1000u;
		rc = san_ata(dev, res, enhanced ? "ATA SECURITY ERASE UNIT (F4h, enhanced)" :
					      "ATA SECURITY ERASE UNIT (F4h, normal)",
			 &cmd, blk, &ar);
	}
	/* Whatever happened, the drive must end with security disabled and unlocked. */
	memset(blk, 0, 512);
	ata_cmd_identify(&cmd);
	if (wiper_dev_ata(dev, &cmd, blk, &ar) == 0 && ata_identify_parse(blk, 512, &after) == 0) {
		if (after.sec_enabled || after.sec_locked) {
			san_step(res, 0, "ATA IDENTIFY DEVICE (ECh)", "security still enabled%s: removing "
				     "the temporary password", after.sec_locked ? " and locked" : "");
			memset(blk, 0, 512);
			memcpy(blk + 2, TEMP_PASSWORD, strlen(TEMP_PASSWORD));
			if (after.sec_locked) {
				ata_cmd_security_pio_out(&cmd, ATA_OP_SEC_UNLOCK);
				san_ata(dev, res, "ATA SECURITY UNLOCK (F2h, temporary password)", &cmd, blk, &ar);
			}
			ata_cmd_security_pio_out(&cmd, ATA_OP_SEC_DISABLE_PASS);
			san_ata(dev, res, "ATA SECURITY DISABLE PASSWORD (F6h, temporary password)", &cmd,
			    blk, &ar);
			san_finish(res, WIPER_FAILED, "security erase did not complete; the drive may still "
						  "hold the password '" TEMP_PASSWORD "'");
		} else {
			san_step(res, 0, "ATA IDENTIFY DEVICE (ECh)",
			     "security disabled and unlocked: no password left set");
		}
		id->ata = after;
	} else {
		san_finish(res, WIPER_FAILED, "cannot re-identify the drive after the erase; it may still "
					  "hold the temporary password '" TEMP_PASSWORD "'");
	}
	if (rc != 0)
		san_finish(res, WIPER_FAILED, "the drive refused the security erase");
out:
	explicit_bzero(blk, 512);
	free(blk);
}
