/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Firmware sanitize: send the chosen technique's command (ATA SANITIZE,
 * NVMe Sanitize or Format, SCSI SANITIZE, ATA security erase), wait for it,
 * and verify it as NIST asks. The pieces are in sanitize-log.c, hidden.c,
 * sample-compare.c, sanitize-wait.c and security-erase.c.
 */
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

/* Describe a technique's command for the record. */
static const char *tech_command(enum wiper_tech t)
{
	switch (t) {
	case WIPER_TECH_ATA_SAN_CRYPTO: return "ATA SANITIZE CRYPTO SCRAMBLE EXT (B4h/0011h, FAILURE MODE=0)";
	case WIPER_TECH_ATA_SAN_BLOCK: return "ATA SANITIZE BLOCK ERASE EXT (B4h/0012h, FAILURE MODE=0)";
	case WIPER_TECH_ATA_SAN_OVERWRITE: return "ATA SANITIZE OVERWRITE EXT (B4h/0014h, 1 pass, pattern 00000000h, FAILURE MODE=0)";
	case WIPER_TECH_NVME_SAN_CRYPTO: return "NVMe Sanitize (84h) SANACT=4 crypto erase, AUSE=0, NDAS=0";
	case WIPER_TECH_NVME_SAN_BLOCK: return "NVMe Sanitize (84h) SANACT=2 block erase, AUSE=0, NDAS=0";
	case WIPER_TECH_NVME_SAN_OVERWRITE: return "NVMe Sanitize (84h) SANACT=3 overwrite, OWPASS=1, OVRPAT=00000000h, AUSE=0";
	case WIPER_TECH_SCSI_SAN_CRYPTO: return "SCSI SANITIZE (48h) CRYPTOGRAPHIC ERASE, IMMED=1, AUSE=0";
	case WIPER_TECH_SCSI_SAN_BLOCK: return "SCSI SANITIZE (48h) BLOCK ERASE, IMMED=1, AUSE=0";
	case WIPER_TECH_SCSI_SAN_OVERWRITE: return "SCSI SANITIZE (48h) OVERWRITE, 1 pass, pattern 00000000h, IMMED=1, AUSE=0";
	case WIPER_TECH_NVME_FORMAT_CRYPTO: return "NVMe Format NVM (80h) SES=2 crypto erase";
	case WIPER_TECH_NVME_FORMAT_USER: return "NVMe Format NVM (80h) SES=1 user data erase";
	default: return wiper_tech_str(t);
	}
}


/* May @tech run on this device? Decided by the runner when planned; else from the capabilities. */
static bool usable_tech(struct wiper_dev *dev, const struct wiper_disk *d,
			const struct wiper_identity *id, enum wiper_tech tech,
			const struct wiper_sanitize_opts *o, enum wiper_label *label)
{
	struct wiper_caps caps;
	bool usable = false;
	size_t i;

	*label = tech <= WIPER_TECH_ATA_SEC_ERASE_ENH ? WIPER_LABEL_PURGE : WIPER_LABEL_CLEAR;
	if (tech == WIPER_TECH_OVERWRITE)
		return false;
	if (o->planned) {
		*label = o->label;
		return true;
	}
	wiper_caps_compute(d, id, &caps);
	for (i = 0; i < caps.n; i++)
		if (caps.cap[i].tech == tech) {
			*label = caps.cap[i].label;
			usable = caps.cap[i].usable;
		}
	if (usable || !o->try_unsupported)
		return usable;
	/* Diagnostics: a SANITIZE the device does not advertise, on a transport that carries it. */
	switch (tech) {
	case WIPER_TECH_NVME_SAN_CRYPTO:
	case WIPER_TECH_NVME_SAN_BLOCK:
	case WIPER_TECH_NVME_SAN_OVERWRITE:
		return wiper_dev_has_nvme(dev);
	case WIPER_TECH_ATA_SAN_CRYPTO:
	case WIPER_TECH_ATA_SAN_BLOCK:
	case WIPER_TECH_ATA_SAN_OVERWRITE:
		return id->ata_pt == WIPER_ATA_PT_FULL;
	case WIPER_TECH_SCSI_SAN_CRYPTO:
	case WIPER_TECH_SCSI_SAN_BLOCK:
	case WIPER_TECH_SCSI_SAN_OVERWRITE:
		return wiper_dev_has_scsi(dev) && !id->have_ata;
	default:
		return false;
	}
}

/* ATA SANITIZE (crypto, block or overwrite), then its wait. */
static int send_ata_sanitize(struct wiper_dev *dev, enum wiper_tech tech,
			     const struct wiper_sanitize_opts *o, uint64_t deadline,
			     struct wiper_job_result *res)
{
	struct wiper_ata_result ar;
	struct ata_cmd cmd;
	int rc;

	if (tech == WIPER_TECH_ATA_SAN_CRYPTO)
		ata_cmd_sanitize_crypto(&cmd, false);
	else if (tech == WIPER_TECH_ATA_SAN_BLOCK)
		ata_cmd_sanitize_block(&cmd, false);
	else
		ata_cmd_sanitize_overwrite(&cmd, 0, 1, false, false);
	rc = san_ata(dev, res, tech_command(tech), &cmd, NULL, &ar);
	if (rc != 0) {
		san_finish(res, rc < 0 ? WIPER_INCOMPLETE : WIPER_FAILED,
			   "the drive refused the sanitize: %s", res->steps[res->nsteps - 1].answer);
		return rc < 0 ? rc : 0;
	}
	return san_ata_wait(dev, o, deadline, res);
}

/* NVMe Sanitize (crypto, block or overwrite), then its wait. */
static int send_nvme_sanitize(struct wiper_dev *dev, enum wiper_tech tech,
			      const struct wiper_sanitize_opts *o, uint64_t deadline,
			      struct wiper_job_result *res)
{
	struct nvme_sanitize_params p;
	struct wiper_nvme_cmd c;
	int rc;

	memset(&p, 0, sizeof(p));
	p.action = tech == WIPER_TECH_NVME_SAN_CRYPTO ? NVME_SANACT_CRYPTO :
		   tech == WIPER_TECH_NVME_SAN_BLOCK ? NVME_SANACT_BLOCK : NVME_SANACT_OVERWRITE;
	if (p.action == NVME_SANACT_OVERWRITE)
		p.owpass = 1;
	nvme_cmd_sanitize(&c, &p);
	rc = san_nvme(dev, res, tech_command(tech), &c, false);
	if (rc != 0) {
		san_finish(res, rc < 0 ? WIPER_INCOMPLETE : WIPER_FAILED,
			   "the controller refused Sanitize: %s", res->steps[res->nsteps - 1].answer);
		return rc < 0 ? rc : 0;
	}
	return san_nvme_wait(dev, o, deadline, res);
}

/* SCSI SANITIZE with IMMED (crypto, block or overwrite), then its wait. */
static int send_scsi_sanitize(struct wiper_dev *dev, enum wiper_tech tech,
			      const struct wiper_sanitize_opts *o, uint64_t deadline,
			      struct wiper_job_result *res)
{
	static const uint8_t zero4[4] = { 0, 0, 0, 0 };
	struct wiper_scsi_cmd c;
	uint8_t param[16];
	int plen, rc;

	memset(&c, 0, sizeof(c));
	plen = scsi_cdb_sanitize(c.cdb, tech == WIPER_TECH_SCSI_SAN_CRYPTO ? SCSI_SANITIZE_CRYPTO :
				 tech == WIPER_TECH_SCSI_SAN_BLOCK ? SCSI_SANITIZE_BLOCK :
								     SCSI_SANITIZE_OVERWRITE,
				 true, false, param, sizeof(param), 1, zero4, 4, false);
	if (plen < 0)
		return plen;
	c.cdb_len = 10;
	c.dir = plen ? WIPER_DIR_OUT : WIPER_DIR_NONE;
	c.buf = plen ? param : NULL;
	c.len = (size_t)plen;
	c.timeout_ms = 120000;
	rc = san_scsi(dev, res, tech_command(tech), &c);
	if (rc != 0) {
		san_finish(res, rc < 0 ? WIPER_INCOMPLETE : WIPER_FAILED,
			   "the device refused SANITIZE: %s", res->steps[res->nsteps - 1].answer);
		return rc < 0 ? rc : 0;
	}
	return san_scsi_wait(dev, o, deadline, res);
}

/* NVMe Format NVM with a secure erase setting, in the current LBA format. */
static int send_nvme_format(struct wiper_dev *dev, const struct wiper_identity *id,
			    enum wiper_tech tech, struct wiper_job_result *res)
{
	struct wiper_nvme_cmd c;
	uint8_t lbaf = id->have_nvme_ns ? id->nvme_ns.cur_lbaf : 0;
	uint32_t nsid = id->nvme.fna_format_all ? 0xffffffff : (id->nsid ? id->nsid : 1);
	int rc;

	/* Re-use the current LBA format: odd combinations brick some drives. */
	nvme_cmd_format(&c, nsid, lbaf, tech == WIPER_TECH_NVME_FORMAT_CRYPTO ? 2 : 1, 0);
	rc = san_nvme(dev, res, tech_command(tech), &c, false);
	if (rc != 0)
		san_finish(res, rc < 0 ? WIPER_INCOMPLETE : WIPER_FAILED,
			   "the controller refused Format NVM: %s", res->steps[res->nsteps - 1].answer);
	return rc < 0 ? rc : 0;
}

/* Send the technique's command and wait for it to end. */
static int send_technique(struct wiper_dev *dev, struct wiper_disk *d, struct wiper_identity *id,
			  enum wiper_tech tech, const struct wiper_sanitize_opts *o,
			  uint64_t deadline, struct wiper_job_result *res)
{
	switch (tech) {
	case WIPER_TECH_ATA_SAN_CRYPTO:
	case WIPER_TECH_ATA_SAN_BLOCK:
	case WIPER_TECH_ATA_SAN_OVERWRITE:
		return send_ata_sanitize(dev, tech, o, deadline, res);
	case WIPER_TECH_NVME_SAN_CRYPTO:
	case WIPER_TECH_NVME_SAN_BLOCK:
	case WIPER_TECH_NVME_SAN_OVERWRITE:
		return send_nvme_sanitize(dev, tech, o, deadline, res);
	case WIPER_TECH_SCSI_SAN_CRYPTO:
	case WIPER_TECH_SCSI_SAN_BLOCK:
	case WIPER_TECH_SCSI_SAN_OVERWRITE:
		return send_scsi_sanitize(dev, tech, o, deadline, res);
	case WIPER_TECH_NVME_FORMAT_CRYPTO:
	case WIPER_TECH_NVME_FORMAT_USER:
		return send_nvme_format(dev, id, tech, res);
	case WIPER_TECH_ATA_SEC_ERASE_ENH:
	case WIPER_TECH_ATA_SEC_ERASE:
		san_security_erase(dev, d, id, tech == WIPER_TECH_ATA_SEC_ERASE_ENH, res);
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

/* After an overwrite sanitize: every block read back as zeros. */
static void verify_overwrite(struct wiper_dev *dev, const struct wiper_sanitize_opts *o,
			     struct wiper_job_result *res)
{
	struct wiper_pass zero = { .random = false, .pattern = { 0 }, .pattern_len = 1 };
	struct wiper_job_opts jo;
	int rc;

	memset(&jo, 0, sizeof(jo));
	jo.cancel = o->cancel;
	res->npasses = 1;
	res->passes[0].pass = zero;
	res->passes[0].completed = true;
	res->verify = WIPER_VERIFY_ALL;
	rc = wiper_verify_pass(dev, &zero, WIPER_VERIFY_ALL, 0, &jo, res, &res->passes[0]);
	wiper_lba_list_sort(&res->bad);
	wiper_lba_list_sort(&res->mismatch);
	if (rc < 0)
		san_finish(res, WIPER_INCOMPLETE, "device lost during verification");
	else if (res->mismatch.total || res->bad.total)
		san_finish(res, WIPER_FAILED, "read-back found %" PRIu64 " blocks not overwritten "
			   "(first LBA %" PRIu64 "): the drive reported success but did not erase",
			   res->mismatch.total + res->bad.total,
			   res->mismatch.n ? res->mismatch.lba[0] : res->bad.lba[0]);
}

/* After a crypto or block erase: every sampled block that held data has changed. */
static void verify_compare(struct wiper_dev *dev, const struct wiper_sanitize_opts *o,
			   struct san_snapshot *snap, struct wiper_job_result *res)
{
	int rc = san_snapshot_take(dev, o->seed, snap, true, res);

	if (rc < 0)
		san_finish(res, WIPER_INCOMPLETE, "device lost during verification");
	else if (res->compare_unchanged)
		san_finish(res, WIPER_FAILED, "%" PRIu64 " of %" PRIu64 " sampled blocks that held data "
			   "are unchanged (first LBA %" PRIu64 "): the drive reported success "
			   "but did not erase", res->compare_unchanged,
			   res->compare_blocks - res->compare_uniform, res->mismatch.lba[0]);
	else if (res->bad.total)
		san_finish(res, WIPER_FAILED, "%" PRIu64 " sampled blocks unreadable after the "
			   "sanitize (first LBA %" PRIu64 ")", res->bad.total, res->bad.lba[0]);
	else if (res->compare_blocks == res->compare_uniform)
		san_finish(res, WIPER_INCOMPLETE, "no sampled block held readable data before the "
			   "erase, so the comparison proves nothing: run the erase again to verify it");
}

int wiper_sanitize_run(struct wiper_dev *dev, struct wiper_disk *d, struct wiper_identity *id,
		       enum wiper_tech tech, const struct wiper_sanitize_opts *o,
		       struct wiper_job_result *res)
{
	struct wiper_sanitize_opts defaults;
	struct san_snapshot snap;
	enum wiper_label label;
	uint64_t t0 = san_now_ms(), deadline;
	bool overwrite;
	int rc = 0;

	memset(&snap, 0, sizeof(snap));
	if (o == NULL) {
		memset(&defaults, 0, sizeof(defaults));
		o = &defaults;
	}
	if (!usable_tech(dev, d, id, tech, o, &label))
		return -EOPNOTSUPP;
	res->start = time(NULL);
	res->outcome = WIPER_PASSED;
	snprintf(res->technique, sizeof(res->technique), "%s", wiper_tech_key(tech));
	snprintf(res->method, sizeof(res->method), "%s", wiper_tech_key(tech));
	snprintf(res->method_title, sizeof(res->method_title), "%s", wiper_tech_str(tech));
	snprintf(res->label, sizeof(res->label), "%s", wiper_label_str(label));
	res->verify = WIPER_VERIFY_SAMPLE;
	res->seed = o->seed;

	/* An earlier sanitize still running (e.g. resumed after a power cut) ends first. */
	deadline = o->deadline_ms ? t0 + o->deadline_ms : t0 + 24ull * 3600 * 1000;
	rc = san_prior(dev, tech, o, deadline, res);
	if (rc != 0) {
		if (rc < 0 && res->outcome == WIPER_PASSED)
			san_finish(res, WIPER_INCOMPLETE, "device lost: %s", strerror(-rc));
		rc = rc < 0 ? rc : 0;
		goto out;
	}
	/* This job's own sanitize gets its whole time, however long the earlier one took. */
	deadline = o->deadline_ms ? san_now_ms() + o->deadline_ms : san_now_ms() + 24ull * 3600 * 1000;
	san_restore_hidden(dev, d, id, res);
	{
		const struct wiper_geom *g = wiper_dev_geom(dev);

		res->size_bytes = g->size_bytes;
		res->logical_block = g->logical_block;
		res->physical_block = g->physical_block;
	}
	overwrite = tech == WIPER_TECH_ATA_SAN_OVERWRITE || tech == WIPER_TECH_NVME_SAN_OVERWRITE ||
		    tech == WIPER_TECH_SCSI_SAN_OVERWRITE;
	if (!overwrite) {
		/* Remember sampled blocks: after the erase each must have changed. */
		rc = san_snapshot_take(dev, o->seed, &snap, false, res);
		if (rc < 0) {
			san_finish(res, WIPER_INCOMPLETE, "device lost before the sanitize: %s",
				   strerror(-rc));
			goto out;
		}
	}
	rc = send_technique(dev, d, id, tech, o, deadline, res);
	if (rc < 0 && res->outcome == WIPER_PASSED)
		san_finish(res, WIPER_INCOMPLETE, "device lost: %s", strerror(-rc));
	if (res->outcome != WIPER_PASSED)
		goto out;
	/* Verification: the device's own status is never enough. */
	if (overwrite)
		verify_overwrite(dev, o, res);
	else
		verify_compare(dev, o, &snap, res);
	rc = 0;
out:
	san_snapshot_free(&snap);
	res->end = time(NULL);
	res->seconds = (double)(san_now_ms() - t0) / 1000.0;
	return rc < 0 && res->outcome == WIPER_PASSED ? rc : 0;
}
