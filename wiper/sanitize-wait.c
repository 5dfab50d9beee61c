/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Waiting for a sanitize to end (ATA, NVMe, SCSI), and for one found running. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "wiper/ata-sanitize.h"
#include "wiper/nvme-cmd.h"
#include "wiper/sanitize-impl.h"
#include "wiper/scsi-cmd.h"
#include "wiper/status.h"

/* Wait for an ATA sanitize to end, polling SANITIZE STATUS EXT. */
int san_ata_wait(struct wiper_dev *dev, const struct wiper_sanitize_opts *o,
			     uint64_t deadline, struct wiper_job_result *res)
{
	uint64_t start = san_now_ms();
	double last = -1;
	unsigned polls = 0;

	for (;;) {
		struct ata_sanitize_status st;
		struct wiper_ata_result ar;
		struct ata_cmd cmd;
		int rc;

		ata_cmd_sanitize_status(&cmd, false);
		rc = wiper_dev_ata(dev, &cmd, NULL, &ar);
		polls++;
		if (rc < 0 && rc != -EIO) {
			san_step(res, rc, "ATA SANITIZE STATUS EXT (B4h/0000h)", "device lost while polling");
			san_finish(res, WIPER_INCOMPLETE, "device lost during the sanitize; it resumes when "
						      "powered again: reconnect and re-run");
			return rc;
		}
		if (rc > 0 || ata_sanitize_status_decode(&ar.rtf, &st) != 0) {
			char why[128];

			if (rc > 0 && ar.rtf.valid && ata_sanitize_status_decode(&ar.rtf, &st) == 0 &&
			    st.aborted) {
				san_step(res, rc, "ATA SANITIZE STATUS EXT (B4h/0000h)", "%s",
				     ata_sanitize_reason_str(st.reason));
				san_finish(res, WIPER_FAILED, "the drive reports the sanitize failed: %s",
				       ata_sanitize_reason_str(st.reason));
				return 0;
			}
			san_step(res, rc, "ATA SANITIZE STATUS EXT (B4h/0000h)", "%s",
			     rc ? wiper_status_str(rc, why, sizeof(why)) : "no status registers returned");
			san_finish(res, WIPER_FAILED, "sanitize status unreadable: completion cannot be proven");
			return 0;
		}
		if (!st.in_progress) {
			if (st.completed_ok) {
				san_step(res, 0, "ATA SANITIZE STATUS EXT (B4h/0000h)",
				     "completed without error after %u polls", polls);
				return 0;
			}
			san_step(res, 0, "ATA SANITIZE STATUS EXT (B4h/0000h)",
			     "not in progress, but not completed without error");
			san_finish(res, WIPER_FAILED, "the drive does not report the sanitize completed");
			return 0;
		}
		if (st.progress != last)
			san_report(o, st.progress, start);
		last = st.progress;
		if (san_now_ms() > deadline) {
			san_step(res, 0, "ATA SANITIZE STATUS EXT (B4h/0000h)",
			     "still in progress at %.1f %% when the deadline passed", st.progress);
			san_finish(res, WIPER_FAILED, "sanitize did not finish before its deadline (stuck at "
						  "%.1f %%); it continues in the drive", st.progress);
			return 0;
		}
		if (o->cancel && atomic_load(o->cancel)) {
			san_finish(res, WIPER_INCOMPLETE, "stopped by the operator; the sanitize continues in "
						      "the drive and cannot be aborted");
			return 0;
		}
		san_nap(o->poll_ms ? o->poll_ms : 2000);
	}
}

/* Wait for an NVMe sanitize to end, judged by SSTAT (never SPROG alone). */
int san_nvme_wait(struct wiper_dev *dev, const struct wiper_sanitize_opts *o,
			      uint64_t deadline, struct wiper_job_result *res)
{
	uint8_t *log = aligned_alloc(4096, 4096);
	uint64_t start = san_now_ms();
	unsigned polls = 0;
	int rc = 0;

	if (log == NULL)
		return -ENOMEM;
	for (;;) {
		struct nvme_sanitize_log l;
		struct wiper_nvme_cmd c;

		nvme_cmd_get_log(&c, 0x81, 0xffffffff, true, log, 512);
		rc = san_nvme(dev, res, "NVMe Get Log Page 81h (Sanitize Status)", &c, true);
		polls++;
		if (rc < 0) {
			san_finish(res, WIPER_INCOMPLETE, "device lost during the sanitize; it resumes when "
						      "powered again: reconnect and re-run");
			break;
		}
		if (rc > 0 || nvme_sanitize_log_parse(log, 512, &l) != 0) {
			san_finish(res, WIPER_FAILED, "sanitize status log unreadable: completion cannot be proven");
			rc = 0;
			break;
		}
		if (l.status == NVME_SSTAT_SUCCESS || l.status == NVME_SSTAT_SUCCESS_DEALLOC) {
			san_step(res, 0, "NVMe Get Log Page 81h (Sanitize Status)",
			     "SSTAT %04Xh: completed successfully%s after %u polls", l.sstat,
			     l.global_data_erased ? ", global data erased" : "", polls);
			break;
		}
		if (l.status == NVME_SSTAT_FAILED) {
			san_step(res, 0, "NVMe Get Log Page 81h (Sanitize Status)", "SSTAT %04Xh: failed",
			     l.sstat);
			san_finish(res, WIPER_FAILED, "the controller reports the sanitize failed; media stays "
						  "unusable until a sanitize succeeds");
			break;
		}
		if (l.status != NVME_SSTAT_IN_PROGRESS) {
			san_step(res, 0, "NVMe Get Log Page 81h (Sanitize Status)",
			     "SSTAT %04Xh: no sanitize recorded", l.sstat);
			san_finish(res, WIPER_FAILED, "the controller shows no completed sanitize");
			break;
		}
		san_report(o, nvme_sanitize_progress(&l), start);
		if (san_now_ms() > deadline) {
			san_step(res, 0, "NVMe Get Log Page 81h (Sanitize Status)",
			     "still in progress at %.1f %% when the deadline passed",
			     nvme_sanitize_progress(&l));
			san_finish(res, WIPER_FAILED, "sanitize did not finish before its deadline (stuck at "
						  "%.1f %%); it continues in the controller",
			       nvme_sanitize_progress(&l));
			break;
		}
		if (o->cancel && atomic_load(o->cancel)) {
			san_finish(res, WIPER_INCOMPLETE, "stopped by the operator; the sanitize continues in "
						      "the controller and cannot be aborted");
			break;
		}
		san_nap(o->poll_ms ? o->poll_ms : 2000);
	}
	free(log);
	return rc < 0 ? rc : 0;
}

/* Wait for a SCSI SANITIZE (IMMED) to end, polling REQUEST SENSE. */
int san_scsi_wait(struct wiper_dev *dev, const struct wiper_sanitize_opts *o,
			      uint64_t deadline, struct wiper_job_result *res)
{
	uint64_t start = san_now_ms();
	unsigned polls = 0;
	uint8_t sb[252];

	for (;;) {
		struct wiper_scsi_cmd cmd;
		struct scsi_sense s;
		int rc;

		memset(&cmd, 0, sizeof(cmd));
		scsi_cdb_request_sense(cmd.cdb, sizeof(sb));
		cmd.cdb_len = 6;
		cmd.dir = WIPER_DIR_IN;
		cmd.buf = sb;
		cmd.len = sizeof(sb);
		memset(sb, 0, sizeof(sb));
		rc = wiper_dev_scsi(dev, &cmd);
		polls++;
		if (rc < 0) {
			san_step(res, rc, "SCSI REQUEST SENSE (03h)", "device lost while polling");
			san_finish(res, WIPER_INCOMPLETE, "device lost during the sanitize; it resumes when "
						      "powered again: reconnect and re-run");
			return rc;
		}
		if (rc > 0 || scsi_sense_decode(sb, sizeof(sb) - cmd.resid, &s) != 0) {
			san_step(res, rc, "SCSI REQUEST SENSE (03h)", "no sense data: completion cannot be proven");
			san_finish(res, WIPER_FAILED, "sanitize progress unreadable: completion cannot be proven");
			return 0;
		}
		/* Some devices report the progress with NO SENSE: look at ASC/ASCQ first. */
		if (s.asc == 0x04 && s.ascq == 0x1b) {
			double pct = s.sksv ? (double)s.sks * 100.0 / 65536.0 : 0;

			san_report(o, pct, start);
			if (san_now_ms() > deadline) {
				san_step(res, 0, "SCSI REQUEST SENSE (03h)",
				     "sanitize still in progress at %.1f %% when the deadline passed", pct);
				san_finish(res, WIPER_FAILED, "sanitize did not finish before its deadline (stuck "
							  "at %.1f %%); it continues in the device", pct);
				return 0;
			}
			if (o->cancel && atomic_load(o->cancel)) {
				san_finish(res, WIPER_INCOMPLETE, "stopped by the operator; the sanitize continues "
							      "in the device and cannot be aborted");
				return 0;
			}
			san_nap(o->poll_ms ? o->poll_ms : 2000);
			continue;
		}
		if (s.asc == 0x31 && s.ascq == 0x03) {
			san_step(res, 0, "SCSI REQUEST SENSE (03h)", "SANITIZE COMMAND FAILED (31h/03h)");
			san_finish(res, WIPER_FAILED, "the device reports the sanitize failed");
			return 0;
		}
		if (s.key == SCSI_SK_NO_SENSE || s.key == SCSI_SK_RECOVERED_ERROR) {
			san_step(res, 0, "SCSI REQUEST SENSE (03h)", "no sanitize in progress after %u polls: "
				     "completed", polls);
			return 0;
		}
		san_step(res, 0, "SCSI REQUEST SENSE (03h)", "%s, %s", scsi_sense_key_str(s.key),
		     scsi_asc_str(s.asc, s.ascq) ? scsi_asc_str(s.asc, s.ascq) : "unexpected sense");
		san_finish(res, WIPER_FAILED, "unexpected sense after the sanitize: completion cannot be proven");
		return 0;
	}
}

/* The family a technique's commands belong to: 'a' ATA, 'n' NVMe, 's' SCSI, 0 none. */
static char tech_family(enum wiper_tech t)
{
	switch (t) {
	case WIPER_TECH_ATA_SAN_CRYPTO:
	case WIPER_TECH_ATA_SAN_BLOCK:
	case WIPER_TECH_ATA_SAN_OVERWRITE:
	case WIPER_TECH_ATA_SEC_ERASE:
	case WIPER_TECH_ATA_SEC_ERASE_ENH:
		return 'a';
	case WIPER_TECH_NVME_SAN_CRYPTO:
	case WIPER_TECH_NVME_SAN_BLOCK:
	case WIPER_TECH_NVME_SAN_OVERWRITE:
	case WIPER_TECH_NVME_FORMAT_CRYPTO:
	case WIPER_TECH_NVME_FORMAT_USER:
		return 'n';
	case WIPER_TECH_SCSI_SAN_CRYPTO:
	case WIPER_TECH_SCSI_SAN_BLOCK:
	case WIPER_TECH_SCSI_SAN_OVERWRITE:
		return 's';
	default:
		return 0;
	}
}

/*
 * Is a sanitize already running in the device? One that a power cut (or an
 * unplugged cable) interrupted resumes when the drive is powered again, and
 * until it ends the media cannot be read and a new sanitize is refused. One
 * status query, no step logged; the progress in @pct. False when the device
 * cannot say (the job's own commands will tell).
 */
static bool sanitize_running(struct wiper_dev *dev, char family, double *pct)
{
	*pct = 0;
	if (family == 'a') {
		struct ata_sanitize_status st;
		struct wiper_ata_result ar;
		struct ata_cmd cmd;

		ata_cmd_sanitize_status(&cmd, false);
		if (wiper_dev_ata(dev, &cmd, NULL, &ar) != 0 ||
		    ata_sanitize_status_decode(&ar.rtf, &st) != 0 || !st.in_progress)
			return false;
		*pct = st.progress;
		return true;
	}
	if (family == 'n') {
		uint8_t *log = aligned_alloc(4096, 4096);
		struct nvme_sanitize_log l;
		struct wiper_nvme_cmd c;
		bool running = false;

		if (log == NULL)
			return false;
		nvme_cmd_get_log(&c, 0x81, 0xffffffff, true, log, 512);
		if (wiper_dev_nvme_admin(dev, &c) == 0 && nvme_sanitize_log_parse(log, 512, &l) == 0 &&
		    l.status == NVME_SSTAT_IN_PROGRESS) {
			running = true;
			*pct = nvme_sanitize_progress(&l);
		}
		free(log);
		return running;
	}
	if (family == 's') {
		struct wiper_scsi_cmd cmd;
		struct scsi_sense s;
		uint8_t sb[252];
		int tries;

		/* After a power cycle the first answers are UNIT ATTENTION: read past them. */
		for (tries = 0; tries < 4; tries++) {
			memset(&cmd, 0, sizeof(cmd));
			memset(sb, 0, sizeof(sb));
			scsi_cdb_request_sense(cmd.cdb, sizeof(sb));
			cmd.cdb_len = 6;
			cmd.dir = WIPER_DIR_IN;
			cmd.buf = sb;
			cmd.len = sizeof(sb);
			if (wiper_dev_scsi(dev, &cmd) != 0 ||
			    scsi_sense_decode(sb, sizeof(sb) - cmd.resid, &s) != 0)
				return false;
			if (s.key != SCSI_SK_UNIT_ATTENTION)
				break;
		}
		if (s.asc != 0x04 || s.ascq != 0x1b)
			return false;
		*pct = s.sksv ? (double)s.sks * 100.0 / 65536.0 : 0;
		return true;
	}
	return false;
}

/*
 * Before the job's own sanitize: wait for one the device is already running
 * (see sanitize_running()). Its end is not this job's erase: the job's own
 * command follows and is verified as always. Returns 0 to go on, 1 when the
 * job ended while waiting (lost, stopped, past the deadline, or the earlier
 * sanitize failed: @res says which), or -errno.
 */
int san_prior(struct wiper_dev *dev, enum wiper_tech tech,
			  const struct wiper_sanitize_opts *o, uint64_t deadline,
			  struct wiper_job_result *res)
{
	char family = tech_family(tech);
	double pct;
	int rc;

	if (!sanitize_running(dev, family, &pct))
		return 0;
	san_step(res, 0, family == 'a' ? "ATA SANITIZE STATUS EXT (B4h/0000h)" :
		     family == 'n' ? "NVMe Get Log Page 81h (Sanitize Status)" :
				     "SCSI REQUEST SENSE (03h)",
	     "a sanitize is already in progress at %.1f %% (one interrupted by a power loss resumes"
	     " when the drive is powered again): waiting for it to end, then this job's own", pct);
	rc = family == 'a' ? san_ata_wait(dev, o, deadline, res) :
	     family == 'n' ? san_nvme_wait(dev, o, deadline, res) :
			     san_scsi_wait(dev, o, deadline, res);
	if (res->outcome != WIPER_PASSED) {
		/* Say whose sanitize it was: not this job's, which never started. */
		static const char pre[] = "the sanitize found running (not this job's, which did"
					  " not start): ";
		char why[sizeof(res->reason)];
		size_t pl = sizeof(pre) - 1, wl;

		memcpy(why, res->reason, sizeof(why));
		why[sizeof(why) - 1] = '\0';
		wl = strnlen(why, sizeof(res->reason) - 1 - pl);
		memcpy(res->reason, pre, pl);
		memcpy(res->reason + pl, why, wl);
		res->reason[pl + wl] = '\0';
	}
	if (rc < 0)
		return rc;
	return res->outcome == WIPER_PASSED ? 0 : 1;
}
