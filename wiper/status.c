/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "wiper/status.h"

#include <stdio.h>
#include <string.h>

#include "wiper/sense.h"

/* NVMe generic (SCT 0) and command-specific (SCT 1) status names we meet. */
static const char *nvme_sc_str(unsigned sct, unsigned sc)
{
	if (sct == 0) {
		switch (sc) {
		case 0x00: return "Successful Completion";
		case 0x01: return "Invalid Command Opcode";
		case 0x02: return "Invalid Field in Command";
		case 0x04: return "Data Transfer Error";
		case 0x06: return "Internal Error";
		case 0x07: return "Command Abort Requested";
		case 0x0b: return "Invalid Namespace or Format";
		case 0x1c: return "Sanitize Failed";
		case 0x1d: return "Sanitize In Progress";
		case 0x20: return "Namespace is Write Protected";
		case 0x80: return "LBA Out of Range";
		case 0x82: return "Namespace Not Ready";
		case 0x84: return "Format In Progress";
		}
	} else if (sct == 1) {
		switch (sc) {
		case 0x0a: return "Invalid Format";
		case 0x15: return "Namespace Insufficient Capacity";
		case 0x0b: return "Firmware Activation Requires Conventional Reset";
		}
	} else if (sct == 2) {
		switch (sc) {
		case 0x80: return "Write Fault";
		case 0x81: return "Unrecovered Read Error";
		case 0x86: return "Access Denied";
		}
	}
	return "unknown status";
}

const char *wiper_status_str(int rc, char *buf, size_t len)
{
	if (rc == 0) {
		snprintf(buf, len, "success");
	} else if (rc < 0) {
		snprintf(buf, len, "%s", strerror(-rc));
	} else {
		switch (WIPER_ST_KIND(rc)) {
		case WIPER_ST_KIND_ATA: {
			unsigned status = (rc >> 8) & 0xff, error = rc & 0xff;
			const char *what = "ATA command failed";

			if (status & ATA_STAT_DF)
				what = "ATA device fault";
			else if (error & ATA_ERR_ABRT)
				what = "ATA command aborted by the drive";
			else if (error & 0x40)
				what = "ATA uncorrectable data error";
			else if (error & 0x10)
				what = "ATA address not found";
			snprintf(buf, len, "%s (status %02Xh, error %02Xh)", what, status, error);
			break;
		}
		case WIPER_ST_KIND_NVME: {
			unsigned sf = rc & 0x7fff;
			unsigned sct = (sf >> 8) & 0x7, sc = sf & 0xff;

			snprintf(buf, len, "NVMe: %s (SCT %u, SC %02Xh%s)", nvme_sc_str(sct, sc), sct,
				 sc, (sf & 0x4000) ? ", do not retry" : "");
			break;
		}
		case WIPER_ST_KIND_SCSI: {
			unsigned key = (rc >> 16) & 0xf, asc = (rc >> 8) & 0xff, ascq = rc & 0xff;
			const char *a = scsi_asc_str((uint8_t)asc, (uint8_t)ascq);

			if (a)
				snprintf(buf, len, "SCSI: %s, %s", scsi_sense_key_str((uint8_t)key), a);
			else
				snprintf(buf, len, "SCSI: %s, ASC/ASCQ %02Xh/%02Xh",
					 scsi_sense_key_str((uint8_t)key), asc, ascq);
			break;
		}
		default:
			snprintf(buf, len, "unknown device status %#x", (unsigned)rc);
		}
	}
	return buf;
}
