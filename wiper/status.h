/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Return codes of libwiper. 0 is success, a negative value is -errno (an OS or
 * transport failure), a positive value is a device status packed by the
 * macros below and decoded into words in exactly one place: wiper_status_str().
 */
#ifndef WIPER_STATUS_H
#define WIPER_STATUS_H

#include <stddef.h>
#include <stdint.h>

#define WIPER_ST_KIND_ATA 1
#define WIPER_ST_KIND_NVME 2
#define WIPER_ST_KIND_SCSI 3

/* ATA: status and error register. */
#define WIPER_ST_ATA(status, error) \
	((WIPER_ST_KIND_ATA << 24) | (((status) & 0xff) << 8) | ((error) & 0xff))
/* NVMe: the 15-bit status field (SCT << 8 | SC, plus CRD/MORE/DNR). */
#define WIPER_ST_NVME(sf) ((WIPER_ST_KIND_NVME << 24) | ((sf) & 0x7fff))
/* SCSI: sense key, ASC, ASCQ. */
#define WIPER_ST_SCSI(key, asc, ascq) \
	((WIPER_ST_KIND_SCSI << 24) | (((key) & 0xf) << 16) | (((asc) & 0xff) << 8) | ((ascq) & 0xff))

#define WIPER_ST_KIND(rc) (((rc) >> 24) & 0x7f)

/*
 * Write a one-line description of @rc into @buf ("ATA command aborted
 * (status 51h error 04h)", "NVMe: Invalid Command Opcode (0001h)",
 * "SCSI: Illegal Request, invalid command operation code", "No such device").
 * Returns @buf.
 */
const char *wiper_status_str(int rc, char *buf, size_t len);

#endif
