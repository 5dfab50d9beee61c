/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The SG_IO backend: SCSI CDBs and ATA PASS-THROUGH(16) on a whole-disk sd
 * node. The sense data and ATA registers are decoded by sense.c; this file
 * only frames the ioctl and maps its outcome to our return convention.
 */
#include "config.h"

#include <errno.h>
#include <scsi/sg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "wiper/dev-impl.h"
#include "wiper/status.h"

#define SG_DEFAULT_TIMEOUT_MS 60000u
#define SAM_STAT_GOOD 0x00
#define SAM_STAT_CHECK_CONDITION 0x02
#define DRIVER_SENSE 0x08

/* Run one CDB through SG_IO; fill status, sense and residue. Returns 0 or -errno. */
static int sgio_exec(struct wiper_dev *dev, int fd, struct wiper_scsi_cmd *cmd)
{
	struct sg_io_hdr io;

	memset(&io, 0, sizeof(io));
	io.interface_id = 'S';
	io.cmd_len = cmd->cdb_len;
	io.cmdp = cmd->cdb;
	io.mx_sb_len = sizeof(cmd->sense);
	io.sbp = cmd->sense;
	io.dxfer_len = (unsigned)cmd->len;
	io.dxferp = cmd->buf;
	io.timeout = cmd->timeout_ms ? cmd->timeout_ms : SG_DEFAULT_TIMEOUT_MS;
	switch (cmd->dir) {
	case WIPER_DIR_NONE: io.dxfer_direction = SG_DXFER_NONE; break;
	case WIPER_DIR_IN: io.dxfer_direction = SG_DXFER_FROM_DEV; break;
	case WIPER_DIR_OUT: io.dxfer_direction = SG_DXFER_TO_DEV; break;
	}
	if (ioctl(fd, SG_IO, &io) < 0) {
		int e = errno;

		wiper_dev_set_error(dev, "SG_IO %02Xh: %s", cmd->cdb[0], strerror(e));
		return -e;
	}
	cmd->status = io.status;
	cmd->sense_len = io.sb_len_wr;
	cmd->resid = io.resid > 0 ? (size_t)io.resid : 0;
	if (io.host_status != 0) {
		/* The command never reached the device, or the link reset under it. */
		wiper_dev_set_error(dev, "SG_IO %02Xh: host status %#x driver status %#x",
				    cmd->cdb[0], io.host_status, io.driver_status);
		return -EIO;
	}
	return 0;
}

/* Map the SCSI status and sense of a finished command to our return code. */
static int scsi_outcome(const struct wiper_scsi_cmd *cmd)
{
	struct scsi_sense s;

	if (cmd->status == SAM_STAT_GOOD)
		return 0;
	if (cmd->status == SAM_STAT_CHECK_CONDITION && cmd->sense_len > 0 &&
	    scsi_sense_decode(cmd->sense, cmd->sense_len, &s) == 0) {
		if (s.key == SCSI_SK_NO_SENSE || s.key == SCSI_SK_RECOVERED_ERROR)
			return 0;
		return WIPER_ST_SCSI(s.key, s.asc, s.ascq);
	}
	return -EIO;
}

/* SCSI pass-through. */
static int sgio_scsi(struct wiper_dev *dev, struct wiper_scsi_cmd *cmd)
{
	int rc = sgio_exec(dev, wiper_fd_of(dev), cmd);

	return rc < 0 ? rc : scsi_outcome(cmd);
}

/* ATA through ATA PASS-THROUGH(16); registers decoded from the sense data. */
static int sgio_ata(struct wiper_dev *dev, const struct ata_cmd *acmd, void *buf,
		    struct wiper_ata_result *res)
{
	struct wiper_scsi_cmd cmd;
	int rc;

	memset(&cmd, 0, sizeof(cmd));
	rc = ata_cmd_encode_pt16(acmd, cmd.cdb);
	if (rc < 0)
		return rc;
	cmd.cdb_len = 16;
	cmd.buf = buf;
	cmd.len = acmd->len;
	cmd.timeout_ms = acmd->timeout_ms;
	if (acmd->len == 0)
		cmd.dir = WIPER_DIR_NONE;
	else if (acmd->proto == ATA_PROTO_PIO_OUT || acmd->proto == ATA_PROTO_UDMA_OUT)
		cmd.dir = WIPER_DIR_OUT;
	else
		cmd.dir = WIPER_DIR_IN;
	rc = sgio_exec(dev, wiper_fd_of(dev), &cmd);
	if (rc < 0)
		return rc;
	if (cmd.sense_len > 0) {
		scsi_sense_decode(cmd.sense, cmd.sense_len, &res->sense);
		ata_rtf_from_sense(cmd.sense, cmd.sense_len, &res->rtf);
	}
	if (res->rtf.valid && (res->rtf.status & (ATA_STAT_ERR | ATA_STAT_DF)))
		return WIPER_ST_ATA(res->rtf.status, res->rtf.error);
	if (cmd.status == SAM_STAT_GOOD || scsi_sense_is_ata_info(&res->sense))
		return 0;
	if (res->sense.valid) {
		/* A SATL that refuses the pass-through CDB itself. */
		if (res->sense.key == SCSI_SK_NO_SENSE || res->sense.key == SCSI_SK_RECOVERED_ERROR)
			return 0;
		return WIPER_ST_SCSI(res->sense.key, res->sense.asc, res->sense.ascq);
	}
	return -EIO;
}

static const struct wiper_dev_ops sgio_ops = {
	.name = "sgio",
	.ata = sgio_ata,
	.scsi = sgio_scsi,
	.pread = wiper_fdops_pread,
	.pwrite = wiper_fdops_pwrite,
	.flush = wiper_fdops_flush,
	.capacity = wiper_fdops_capacity,
	.close = wiper_fdops_close,
};

int wiper_dev_sgio_open(int fd, const char *path, struct wiper_dev **out, char *err,
			size_t errlen)
{
	int version = 0;

	/* SG_GET_VERSION_NUM tells whether the node speaks SG_IO at all. */
	if (ioctl(fd, SG_GET_VERSION_NUM, &version) < 0 || version < 30000)
		return wiper_dev_file_open(fd, path, out, err, errlen);
	return wiper_fd_dev_new(fd, path, &sgio_ops, out, err, errlen);
}
