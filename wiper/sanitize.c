/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "wiper/sanitize.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "wiper/ata-sanitize.h"
#include "wiper/dev.h"
#include "wiper/nvme-cmd.h"
#include "wiper/scsi-cmd.h"
#include "wiper/status.h"

#define TEMP_PASSWORD "TabulaTemp"
#define COMPARE_MAX_BLOCKS 200000u

/* Seconds on the monotonic clock, in ms. */
static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Sleep @ms milliseconds. */
static void nap(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	if (ms)
		nanosleep(&ts, NULL);
}

/* Record a command and its answer. */
__attribute__((format(printf, 4, 5)))
static void step(struct wiper_job_result *res, int rc, const char *command, const char *fmt, ...)
{
	struct wiper_step *s;
	va_list ap;

	if (res->nsteps >= WIPER_STEPS_MAX)
		return;
	s = &res->steps[res->nsteps++];
	snprintf(s->command, sizeof(s->command), "%s", command);
	va_start(ap, fmt);
	vsnprintf(s->answer, sizeof(s->answer), fmt, ap);
	va_end(ap);
	s->rc = rc;
	s->at = time(NULL);
}

/* End the job with @outcome and a reason (the first reason stands). */
__attribute__((format(printf, 3, 4)))
static void finish(struct wiper_job_result *res, enum wiper_outcome outcome, const char *fmt, ...)
{
	va_list ap;

	if (res->outcome != WIPER_PASSED)
		return;
	res->outcome = outcome;
	va_start(ap, fmt);
	vsnprintf(res->reason, sizeof(res->reason), fmt, ap);
	va_end(ap);
}

int wiper_purge_pick(const struct wiper_caps *caps, const struct wiper_disk *d,
		     enum wiper_tech *out, char *why, size_t whylen)
{
	char summary[256];
	size_t i;

	for (i = 0; i < caps->n; i++)
		if (caps->cap[i].usable && caps->cap[i].label == WIPER_LABEL_PURGE) {
			*out = caps->cap[i].tech;
			return 0;
		}
	wiper_caps_summary(caps, d, summary, sizeof(summary));
	snprintf(why, whylen, "no Purge technique (%s); use --method clear or another overwrite "
			      "method, and destroy the medium if it must reach Purge",
		 summary);
	return -ENOENT;
}

/* Send an ATA command, log it, and describe the answer. */
static int ata(struct wiper_dev *dev, struct wiper_job_result *res, const char *what,
	       struct ata_cmd *cmd, void *buf, struct wiper_ata_result *ar)
{
	char why[128];
	int rc = wiper_dev_ata(dev, cmd, buf, ar);

	if (rc == 0)
		step(res, rc, what, "accepted (status %02Xh)", ar->rtf.valid ? ar->rtf.status : 0x50);
	else if (WIPER_ST_KIND(rc) == WIPER_ST_KIND_ATA && ar->rtf.valid &&
		 cmd->tf.command == ATA_OP_SANITIZE)
		step(res, rc, what, "%s; reason: %s", wiper_status_str(rc, why, sizeof(why)),
		     ata_sanitize_reason_str((uint8_t)ar->rtf.lba));
	else
		step(res, rc, what, "%s", wiper_status_str(rc, why, sizeof(why)));
	return rc;
}

/* Send an NVMe admin command, log it, and describe the answer. */
static int nvme(struct wiper_dev *dev, struct wiper_job_result *res, const char *what,
		struct wiper_nvme_cmd *cmd, bool quiet)
{
	char why[128];
	int rc = wiper_dev_nvme_admin(dev, cmd);

	if (!quiet || rc != 0)
		step(res, rc, what, "%s", rc ? wiper_status_str(rc, why, sizeof(why)) : "accepted");
	return rc;
}

/* Make the kernel re-read the capacity after a hidden area changed. */
static void rescan(const struct wiper_disk *d)
{
	char path[600];
	int fd;

	if (d->syspath[0] == '\0' ||
	    (size_t)snprintf(path, sizeof(path), "%s/device/rescan", d->syspath) >= sizeof(path))
		return;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (write(fd, "1", 1) < 0) {
			/* Best effort: the size check below tells whether it worked. */
		}
		close(fd);
	}
}

static void set_max(struct wiper_dev *dev, struct wiper_disk *d, struct wiper_identity *id,
		    struct wiper_job_result *res, uint64_t native);
static void restore_dco(struct wiper_dev *dev, struct wiper_disk *d, struct wiper_identity *id,
			struct wiper_job_result *res, uint64_t native);

/* Restore a host protected area so the whole native capacity is erased and verified. */
static void restore_hidden(struct wiper_dev *dev, struct wiper_disk *d, struct wiper_identity *id,
			   struct wiper_job_result *res)
{
	struct wiper_ata_result ar;
	struct ata_cmd cmd;
	uint64_t native;
	int rc;

	res->sectors_before = d->sectors ? d->sectors : wiper_dev_geom(dev)->size_bytes /
							       wiper_dev_geom(dev)->logical_block;
	res->sectors_after = res->sectors_before;
	if (!id->have_ata || id->ata_pt != WIPER_ATA_PT_FULL || !id->ata.lba48 ||
	    !(id->ata.hpa_supported || id->ata.amac_supported || id->ata.dco_supported))
		return;
	/* Pre-ACS-3 drives want READ NATIVE MAX right before SET MAX. */
	if (id->ata.amac_supported) {
		ata_cmd_get_native_max_amac(&cmd);
		rc = ata(dev, res, "ATA GET NATIVE MAX ADDRESS EXT (78h/0000h)", &cmd, NULL, &ar);
	} else {
		ata_cmd_read_native_max_ext(&cmd);
		rc = ata(dev, res, "ATA READ NATIVE MAX ADDRESS EXT (27h)", &cmd, NULL, &ar);
	}
	if (rc != 0 || !ar.rtf.valid || ar.rtf.partial)
		return;
	native = ar.rtf.lba + 1;
	res->hidden_checked = true;
	res->native_sectors = native;
	if (native > res->sectors_before)
		set_max(dev, d, id, res, native);
	restore_dco(dev, d, id, res, native);
}

int wiper_hidden_restore(struct wiper_dev *dev, struct wiper_disk *d, struct wiper_identity *id,
			 struct wiper_job_result *res)
{
	restore_hidden(dev, d, id, res);
	return 0;
}

/* Raise the accessible max to @native (HPA), tell the kernel, update geometry. */
static void set_max(struct wiper_dev *dev, struct wiper_disk *d, struct wiper_identity *id,
		    struct wiper_job_result *res, uint64_t native)
{
	struct wiper_ata_result ar;
	struct ata_cmd cmd;
	int rc;

	{
		char what[160];

		if (id->ata.amac_supported) {
			/* ACS-3 replaces HPA with Accessible Max Address Configuration. */
			ata_cmd_set_max_ext(&cmd, native - 1, false);
			cmd.tf.command = ATA_OP_AMAC;
			cmd.tf.feature = 0x0001;
			cmd.tf.count = 0;
			snprintf(what, sizeof(what),
				 "ATA SET ACCESSIBLE MAX ADDRESS EXT (78h/0001h, LBA %" PRIu64
				 "): restore %" PRIu64 " hidden sectors", native - 1,
				 native - res->sectors_before);
		} else {
			ata_cmd_set_max_ext(&cmd, native - 1, false);
			snprintf(what, sizeof(what),
				 "ATA SET MAX ADDRESS EXT (37h, LBA %" PRIu64 ", volatile): restore %" PRIu64
				 " hidden sectors", native - 1, native - res->sectors_before);
		}
		rc = ata(dev, res, what, &cmd, NULL, &ar);
	}
	if (rc != 0) {
		/* What cannot be made visible cannot be verified: never certify it. */
		finish(res, WIPER_FAILED, "%" PRIu64 " sectors hidden by a host protected area could "
			   "not be restored (%s); power-cycle the drive and retry",
		       native - res->sectors_before,
		       id->ata.hpa_security_ext ? "the HPA is password-locked" : "the drive refused");
		return;
	}
	rescan(d);
	{
		struct wiper_geom g = *wiper_dev_geom(dev);

		g.size_bytes = native * g.logical_block;
		wiper_dev_set_geom(dev, &g);
	}
	d->sectors = native;
	d->size_bytes = native * d->logical_block;
	id->native_sectors = native;
	res->sectors_after = native;
	res->size_bytes = d->size_bytes;
}

/*
 * A device configuration overlay can hide capacity beyond the native max.
 * DCO IDENTIFY words 3-6 hold the real maximum; RESTORE brings it back
 * (it refuses while an HPA is set, which set_max has just removed).
 */
static void restore_dco(struct wiper_dev *dev, struct wiper_disk *d, struct wiper_identity *id,
			struct wiper_job_result *res, uint64_t native)
{
	uint8_t *blk;
	struct wiper_ata_result ar;
	struct ata_cmd cmd;
	uint64_t dco_max = 0;
	uint8_t sum = 0;
	int i, rc;

	if (!id->ata.dco_supported)
		return;
	blk = aligned_alloc(4096, 4096);
	if (blk == NULL)
		return;
	memset(blk, 0, 512);
	ata_cmd_dco_identify(&cmd);
	rc = ata(dev, res, "ATA DEVICE CONFIGURATION IDENTIFY (B1h/C2h)", &cmd, blk, &ar);
	for (i = 0; i < 512; i++)
		sum = (uint8_t)(sum + blk[i]);
	if (rc != 0 || (blk[510] == 0xa5 && sum != 0))
		goto out;
	for (i = 3; i >= 0; i--)
		dco_max = dco_max << 16 | (uint64_t)(blk[6 + 2 * i] | blk[7 + 2 * i] << 8);
	if (dco_max + 1 <= native)
		goto out;
	{
		char what[160];

		snprintf(what, sizeof(what), "ATA DEVICE CONFIGURATION RESTORE (B1h/C0h): %" PRIu64
			 " sectors hidden by the overlay", dco_max + 1 - native);
		ata_cmd_dco_restore(&cmd);
		rc = ata(dev, res, what, &cmd, NULL, &ar);
	}
	if (rc != 0) {
		step(res, rc, "hidden area", "the overlay could not be removed: a power cycle may be "
					     "needed first; the hidden sectors were not erased");
		finish(res, WIPER_FAILED, "%" PRIu64 " sectors hidden by a DCO could not be restored",
		       dco_max + 1 - native);
		goto out;
	}
	/* The native max grew: raise the accessible max to it as well. */
	if (id->ata.amac_supported)
		ata_cmd_get_native_max_amac(&cmd);
	else
		ata_cmd_read_native_max_ext(&cmd);
	if (ata(dev, res, id->ata.amac_supported ? "ATA GET NATIVE MAX ADDRESS EXT (78h/0000h)" :
						  "ATA READ NATIVE MAX ADDRESS EXT (27h)",
		&cmd, NULL, &ar) == 0 &&
	    ar.rtf.valid && !ar.rtf.partial && ar.rtf.lba + 1 > native) {
		res->native_sectors = ar.rtf.lba + 1;
		set_max(dev, d, id, res, ar.rtf.lba + 1);
	}
out:
	free(blk);
}

/* Per-block digests of the sampled blocks, for the pre/post comparison. */
struct snapshot {
	uint64_t *lba;
	uint8_t (*digest)[16];
	bool *uniform;
	size_t n;
};

/* Does @b (len bytes) hold one repeated byte? Such a block carries no data. */
static bool is_uniform(const uint8_t *b, size_t len)
{
	size_t i;

	for (i = 1; i < len; i++)
		if (b[i] != b[0])
			return false;
	return true;
}

/* Read the sampled blocks and keep their digests. */
static int snapshot_take(struct wiper_dev *dev, uint64_t seed, struct snapshot *s, bool keep,
			 struct wiper_job_result *res)
{
	const struct wiper_geom *g = wiper_dev_geom(dev);
	uint64_t blocks = g->size_bytes / g->logical_block, total = 0, stride;
	struct wiper_sample *plan = NULL;
	uint8_t *buf = NULL;
	EVP_MD_CTX *ctx = NULL;
	long np, i;
	size_t k = 0;
	int rc = 0;

	np = wiper_sample_plan(blocks, g->logical_block, seed, &plan);
	if (np < 0)
		return (int)np;
	for (i = 0; i < np; i++)
		total += plan[i].count;
	stride = total > COMPARE_MAX_BLOCKS ? (total + COMPARE_MAX_BLOCKS - 1) / COMPARE_MAX_BLOCKS : 1;
	if (!keep) {
		s->n = 0;
		s->lba = calloc(total / stride + np + 1, sizeof(*s->lba));
		s->digest = calloc(total / stride + np + 1, sizeof(*s->digest));
		s->uniform = calloc(total / stride + np + 1, sizeof(*s->uniform));
		if (s->lba == NULL || s->digest == NULL || s->uniform == NULL) {
			rc = -ENOMEM;
			goto out;
		}
	}
	ctx = EVP_MD_CTX_new();
	if (posix_memalign((void **)&buf, 4096, g->logical_block) != 0 || ctx == NULL) {
		rc = -ENOMEM;
		goto out;
	}
	if (!keep) {
		/*
		 * Blocks that hold nothing (a new or trimmed drive) would prove
		 * nothing: put a seeded marker in the first block of every sample
		 * so the comparison always has data that must change.
		 */
		for (i = 0; i < np; i++) {
			wiper_prng_fill(WIPER_PRNG_PORTABLE, seed ^ 0x6d61726bULL,
					plan[i].lba * g->logical_block, buf, g->logical_block);
			if (wiper_dev_pwrite(dev, buf, g->logical_block,
					     plan[i].lba * g->logical_block) != (ssize_t)g->logical_block)
				break;
		}
		if (i == np)
			step(res, 0, "verification", "seeded markers written to %ld sampled blocks before "
						     "the erase", np);
		wiper_dev_flush(dev);
	}
	for (i = 0; i < np; i++) {
		uint64_t b;

		for (b = 0; b < plan[i].count; b += stride) {
			uint8_t md[32];
			unsigned mdlen = 0;
			ssize_t r = wiper_dev_pread(dev, buf, g->logical_block,
						    (plan[i].lba + b) * g->logical_block);

			if (r < 0 && (r == -ENODEV || r == -ENXIO)) {
				rc = (int)r;
				goto out;
			}
			if (r != (ssize_t)g->logical_block) {
				/* Unreadable before: no data to compare; after: a failure. */
				memset(buf, 0, g->logical_block);
				if (keep)
					wiper_lba_list_add(&res->bad, plan[i].lba + b);
			}
			EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
			EVP_DigestUpdate(ctx, buf, g->logical_block);
			EVP_DigestFinal_ex(ctx, md, &mdlen);
			if (!keep) {
				s->lba[s->n] = plan[i].lba + b;
				memcpy(s->digest[s->n], md, 16);
				s->uniform[s->n] = is_uniform(buf, g->logical_block);
				s->n++;
			} else if (k < s->n) {
				res->compare_blocks++;
				if (s->uniform[k])
					res->compare_uniform++;
				else if (memcmp(s->digest[k], md, 16) == 0) {
					res->compare_unchanged++;
					wiper_lba_list_add(&res->mismatch, s->lba[k]);
				}
				k++;
			}
		}
	}
	res->verify_samples = (uint64_t)np;
	res->verify_coverage = (double)(keep ? k : s->n) * stride * g->logical_block /
			       (double)g->size_bytes;
	if (res->verify_coverage > 1.0)
		res->verify_coverage = 1.0;
out:
	EVP_MD_CTX_free(ctx);
	free(buf);
	free(plan);
	return rc;
}

/* Free a snapshot. */
static void snapshot_free(struct snapshot *s)
{
	free(s->lba);
	free(s->digest);
	free(s->uniform);
	memset(s, 0, sizeof(*s));
}

/* Report progress of a firmware operation. */
static void report(const struct wiper_sanitize_opts *o, double pct, uint64_t start_ms)
{
	struct wiper_progress p;
	double el = (double)(now_ms() - start_ms) / 1000.0;

	if (o->progress == NULL)
		return;
	memset(&p, 0, sizeof(p));
	p.pass = 1;
	p.npasses = 1;
	p.done = (uint64_t)(pct * 100);
	p.total = 10000;
	p.eta = pct > 0.5 ? el * (100.0 - pct) / pct : -1;
	o->progress(&p, o->progress_arg);
}

/* Wait for an ATA sanitize to end, polling SANITIZE STATUS EXT. */
static int ata_sanitize_wait(struct wiper_dev *dev, const struct wiper_sanitize_opts *o,
			     uint64_t deadline, struct wiper_job_result *res)
{
	uint64_t start = now_ms();
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
			step(res, rc, "ATA SANITIZE STATUS EXT (B4h/0000h)", "device lost while polling");
			finish(res, WIPER_INCOMPLETE, "device lost during the sanitize; it resumes when "
						      "powered again: reconnect and re-run");
			return rc;
		}
		if (rc > 0 || ata_sanitize_status_decode(&ar.rtf, &st) != 0) {
			char why[128];

			if (rc > 0 && ar.rtf.valid && ata_sanitize_status_decode(&ar.rtf, &st) == 0 &&
			    st.aborted) {
				step(res, rc, "ATA SANITIZE STATUS EXT (B4h/0000h)", "%s",
				     ata_sanitize_reason_str(st.reason));
				finish(res, WIPER_FAILED, "the drive reports the sanitize failed: %s",
				       ata_sanitize_reason_str(st.reason));
				return 0;
			}
			step(res, rc, "ATA SANITIZE STATUS EXT (B4h/0000h)", "%s",
			     rc ? wiper_status_str(rc, why, sizeof(why)) : "no status registers returned");
			finish(res, WIPER_FAILED, "sanitize status unreadable: completion cannot be proven");
			return 0;
		}
		if (!st.in_progress) {
			if (st.completed_ok) {
				step(res, 0, "ATA SANITIZE STATUS EXT (B4h/0000h)",
				     "completed without error after %u polls", polls);
				return 0;
			}
			step(res, 0, "ATA SANITIZE STATUS EXT (B4h/0000h)",
			     "not in progress, but not completed without error");
			finish(res, WIPER_FAILED, "the drive does not report the sanitize completed");
			return 0;
		}
		if (st.progress != last)
			report(o, st.progress, start);
		last = st.progress;
		if (now_ms() > deadline) {
			step(res, 0, "ATA SANITIZE STATUS EXT (B4h/0000h)",
			     "still in progress at %.1f %% when the deadline passed", st.progress);
			finish(res, WIPER_FAILED, "sanitize did not finish before its deadline (stuck at "
						  "%.1f %%); it continues in the drive", st.progress);
			return 0;
		}
		if (o->cancel && atomic_load(o->cancel)) {
			finish(res, WIPER_INCOMPLETE, "stopped by the operator; the sanitize continues in "
						      "the drive and cannot be aborted");
			return 0;
		}
		nap(o->poll_ms ? o->poll_ms : 2000);
	}
}

/* Wait for an NVMe sanitize to end, judged by SSTAT (never SPROG alone). */
static int nvme_sanitize_wait(struct wiper_dev *dev, const struct wiper_sanitize_opts *o,
			      uint64_t deadline, struct wiper_job_result *res)
{
	uint8_t *log = aligned_alloc(4096, 4096);
	uint64_t start = now_ms();
	unsigned polls = 0;
	int rc = 0;

	if (log == NULL)
		return -ENOMEM;
	for (;;) {
		struct nvme_sanitize_log l;
		struct wiper_nvme_cmd c;

		nvme_cmd_get_log(&c, 0x81, 0xffffffff, true, log, 512);
		rc = nvme(dev, res, "NVMe Get Log Page 81h (Sanitize Status)", &c, true);
		polls++;
		if (rc < 0) {
			finish(res, WIPER_INCOMPLETE, "device lost during the sanitize; it resumes when "
						      "powered again: reconnect and re-run");
			break;
		}
		if (rc > 0 || nvme_sanitize_log_parse(log, 512, &l) != 0) {
			finish(res, WIPER_FAILED, "sanitize status log unreadable: completion cannot be proven");
			rc = 0;
			break;
		}
		if (l.status == NVME_SSTAT_SUCCESS || l.status == NVME_SSTAT_SUCCESS_DEALLOC) {
			step(res, 0, "NVMe Get Log Page 81h (Sanitize Status)",
			     "SSTAT %04Xh: completed successfully%s after %u polls", l.sstat,
			     l.global_data_erased ? ", global data erased" : "", polls);
			break;
		}
		if (l.status == NVME_SSTAT_FAILED) {
			step(res, 0, "NVMe Get Log Page 81h (Sanitize Status)", "SSTAT %04Xh: failed",
			     l.sstat);
			finish(res, WIPER_FAILED, "the controller reports the sanitize failed; media stays "
						  "unusable until a sanitize succeeds");
			break;
		}
		if (l.status != NVME_SSTAT_IN_PROGRESS) {
			step(res, 0, "NVMe Get Log Page 81h (Sanitize Status)",
			     "SSTAT %04Xh: no sanitize recorded", l.sstat);
			finish(res, WIPER_FAILED, "the controller shows no completed sanitize");
			break;
		}
		report(o, nvme_sanitize_progress(&l), start);
		if (now_ms() > deadline) {
			step(res, 0, "NVMe Get Log Page 81h (Sanitize Status)",
			     "still in progress at %.1f %% when the deadline passed",
			     nvme_sanitize_progress(&l));
			finish(res, WIPER_FAILED, "sanitize did not finish before its deadline (stuck at "
						  "%.1f %%); it continues in the controller",
			       nvme_sanitize_progress(&l));
			break;
		}
		if (o->cancel && atomic_load(o->cancel)) {
			finish(res, WIPER_INCOMPLETE, "stopped by the operator; the sanitize continues in "
						      "the controller and cannot be aborted");
			break;
		}
		nap(o->poll_ms ? o->poll_ms : 2000);
	}
	free(log);
	return rc < 0 ? rc : 0;
}

/* Send a SCSI command, log it, and describe the answer. */
static int scsi(struct wiper_dev *dev, struct wiper_job_result *res, const char *what,
		struct wiper_scsi_cmd *cmd)
{
	char why[128];
	int rc = wiper_dev_scsi(dev, cmd);

	step(res, rc, what, "%s", rc ? wiper_status_str(rc, why, sizeof(why)) : "accepted");
	return rc;
}

/* Wait for a SCSI SANITIZE (IMMED) to end, polling REQUEST SENSE. */
static int scsi_sanitize_wait(struct wiper_dev *dev, const struct wiper_sanitize_opts *o,
			      uint64_t deadline, struct wiper_job_result *res)
{
	uint64_t start = now_ms();
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
			step(res, rc, "SCSI REQUEST SENSE (03h)", "device lost while polling");
			finish(res, WIPER_INCOMPLETE, "device lost during the sanitize; it resumes when "
						      "powered again: reconnect and re-run");
			return rc;
		}
		if (rc > 0 || scsi_sense_decode(sb, sizeof(sb) - cmd.resid, &s) != 0) {
			step(res, rc, "SCSI REQUEST SENSE (03h)", "no sense data: completion cannot be proven");
			finish(res, WIPER_FAILED, "sanitize progress unreadable: completion cannot be proven");
			return 0;
		}
		/* Some devices report the progress with NO SENSE: look at ASC/ASCQ first. */
		if (s.asc == 0x04 && s.ascq == 0x1b) {
			double pct = s.sksv ? (double)s.sks * 100.0 / 65536.0 : 0;

			report(o, pct, start);
			if (now_ms() > deadline) {
				step(res, 0, "SCSI REQUEST SENSE (03h)",
				     "sanitize still in progress at %.1f %% when the deadline passed", pct);
				finish(res, WIPER_FAILED, "sanitize did not finish before its deadline (stuck "
							  "at %.1f %%); it continues in the device", pct);
				return 0;
			}
			if (o->cancel && atomic_load(o->cancel)) {
				finish(res, WIPER_INCOMPLETE, "stopped by the operator; the sanitize continues "
							      "in the device and cannot be aborted");
				return 0;
			}
			nap(o->poll_ms ? o->poll_ms : 2000);
			continue;
		}
		if (s.asc == 0x31 && s.ascq == 0x03) {
			step(res, 0, "SCSI REQUEST SENSE (03h)", "SANITIZE COMMAND FAILED (31h/03h)");
			finish(res, WIPER_FAILED, "the device reports the sanitize failed");
			return 0;
		}
		if (s.key == SCSI_SK_NO_SENSE || s.key == SCSI_SK_RECOVERED_ERROR) {
			step(res, 0, "SCSI REQUEST SENSE (03h)", "no sanitize in progress after %u polls: "
				     "completed", polls);
			return 0;
		}
		step(res, 0, "SCSI REQUEST SENSE (03h)", "%s, %s", scsi_sense_key_str(s.key),
		     scsi_asc_str(s.asc, s.ascq) ? scsi_asc_str(s.asc, s.ascq) : "unexpected sense");
		finish(res, WIPER_FAILED, "unexpected sense after the sanitize: completion cannot be proven");
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
static int prior_sanitize(struct wiper_dev *dev, enum wiper_tech tech,
			  const struct wiper_sanitize_opts *o, uint64_t deadline,
			  struct wiper_job_result *res)
{
	char family = tech_family(tech);
	double pct;
	int rc;

	if (!sanitize_running(dev, family, &pct))
		return 0;
	step(res, 0, family == 'a' ? "ATA SANITIZE STATUS EXT (B4h/0000h)" :
		     family == 'n' ? "NVMe Get Log Page 81h (Sanitize Status)" :
				     "SCSI REQUEST SENSE (03h)",
	     "a sanitize is already in progress at %.1f %% (one interrupted by a power loss resumes"
	     " when the drive is powered again): waiting for it to end, then this job's own", pct);
	rc = family == 'a' ? ata_sanitize_wait(dev, o, deadline, res) :
	     family == 'n' ? nvme_sanitize_wait(dev, o, deadline, res) :
			     scsi_sanitize_wait(dev, o, deadline, res);
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

/* The ATA security erase procedure (sanitize-reference §1.2.6). */
static void security_erase(struct wiper_dev *dev, struct wiper_disk *d, struct wiper_identity *id,
			   bool enhanced, struct wiper_job_result *res)
{
	uint8_t *blk = aligned_alloc(4096, 4096);
	struct wiper_ata_result ar;
	struct ata_identify after;
	struct ata_cmd cmd;
	unsigned minutes;
	int rc;

	if (blk == NULL) {
		finish(res, WIPER_FAILED, "out of memory");
		return;
	}
	/* Set a temporary user password (level High). */
	memset(blk, 0, 512);
	memcpy(blk + 2, TEMP_PASSWORD, strlen(TEMP_PASSWORD));
	ata_cmd_security_pio_out(&cmd, ATA_OP_SEC_SET_PASS);
	rc = ata(dev, res, "ATA SECURITY SET PASSWORD (F1h, user, level High, temporary password '"
			   TEMP_PASSWORD "')", &cmd, blk, &ar);
	if (rc > 0) {
		finish(res, WIPER_FAILED, "the drive refused SECURITY SET PASSWORD: security erase "
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
		rc = ata(dev, res, "ATA SECURITY ERASE PREPARE (F3h)", &cmd, NULL, &ar);
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
		rc = ata(dev, res, enhanced ? "ATA SECURITY ERASE UNIT (F4h, enhanced)" :
					      "ATA SECURITY ERASE UNIT (F4h, normal)",
			 &cmd, blk, &ar);
	}
	/* Whatever happened, the drive must end with security disabled and unlocked. */
	memset(blk, 0, 512);
	ata_cmd_identify(&cmd);
	if (wiper_dev_ata(dev, &cmd, blk, &ar) == 0 && ata_identify_parse(blk, 512, &after) == 0) {
		if (after.sec_enabled || after.sec_locked) {
			step(res, 0, "ATA IDENTIFY DEVICE (ECh)", "security still enabled%s: removing "
				     "the temporary password", after.sec_locked ? " and locked" : "");
			memset(blk, 0, 512);
			memcpy(blk + 2, TEMP_PASSWORD, strlen(TEMP_PASSWORD));
			if (after.sec_locked) {
				ata_cmd_security_pio_out(&cmd, ATA_OP_SEC_UNLOCK);
				ata(dev, res, "ATA SECURITY UNLOCK (F2h, temporary password)", &cmd, blk, &ar);
			}
			ata_cmd_security_pio_out(&cmd, ATA_OP_SEC_DISABLE_PASS);
			ata(dev, res, "ATA SECURITY DISABLE PASSWORD (F6h, temporary password)", &cmd,
			    blk, &ar);
			finish(res, WIPER_FAILED, "security erase did not complete; the drive may still "
						  "hold the password '" TEMP_PASSWORD "'");
		} else {
			step(res, 0, "ATA IDENTIFY DEVICE (ECh)",
			     "security disabled and unlocked: no password left set");
		}
		id->ata = after;
	} else {
		finish(res, WIPER_FAILED, "cannot re-identify the drive after the erase; it may still "
					  "hold the temporary password '" TEMP_PASSWORD "'");
	}
	if (rc != 0)
		finish(res, WIPER_FAILED, "the drive refused the security erase");
out:
	explicit_bzero(blk, 512);
	free(blk);
}

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

int wiper_sanitize_run(struct wiper_dev *dev, struct wiper_disk *d, struct wiper_identity *id,
		       enum wiper_tech tech, const struct wiper_sanitize_opts *o,
		       struct wiper_job_result *res)
{
	struct wiper_sanitize_opts defaults;
	struct wiper_caps caps;
	struct snapshot snap;
	struct wiper_ata_result ar;
	struct ata_cmd cmd;
	uint64_t t0 = now_ms(), deadline;
	bool overwrite = false, usable = false;
	size_t i;
	int rc = 0;

	memset(&snap, 0, sizeof(snap));
	if (o == NULL) {
		memset(&defaults, 0, sizeof(defaults));
		o = &defaults;
	}
	if (o->planned) {
		usable = true;
	} else {
		wiper_caps_compute(d, id, &caps);
		for (i = 0; i < caps.n; i++)
			if (caps.cap[i].tech == tech && caps.cap[i].usable)
				usable = true;
	}
	if (!usable && o->try_unsupported &&
	    (tech == WIPER_TECH_NVME_SAN_CRYPTO || tech == WIPER_TECH_NVME_SAN_BLOCK ||
	     tech == WIPER_TECH_NVME_SAN_OVERWRITE) && wiper_dev_has_nvme(dev))
		usable = true;
	if (!usable && o->try_unsupported &&
	    (tech == WIPER_TECH_ATA_SAN_CRYPTO || tech == WIPER_TECH_ATA_SAN_BLOCK ||
	     tech == WIPER_TECH_ATA_SAN_OVERWRITE) && id->ata_pt == WIPER_ATA_PT_FULL)
		usable = true;
	if (!usable && o->try_unsupported &&
	    (tech == WIPER_TECH_SCSI_SAN_CRYPTO || tech == WIPER_TECH_SCSI_SAN_BLOCK ||
	     tech == WIPER_TECH_SCSI_SAN_OVERWRITE) && wiper_dev_has_scsi(dev) && !id->have_ata)
		usable = true;
	if (!usable || tech == WIPER_TECH_OVERWRITE)
		return -EOPNOTSUPP;

	res->start = time(NULL);
	res->outcome = WIPER_PASSED;
	snprintf(res->technique, sizeof(res->technique), "%s", wiper_tech_key(tech));
	snprintf(res->method, sizeof(res->method), "%s", wiper_tech_key(tech));
	snprintf(res->method_title, sizeof(res->method_title), "%s", wiper_tech_str(tech));
	snprintf(res->label, sizeof(res->label), "%s",
		 tech <= WIPER_TECH_ATA_SEC_ERASE_ENH ? "Purge" : "Clear");
	if (o->planned)
		snprintf(res->label, sizeof(res->label), "%s", wiper_label_str(o->label));
	else
		for (i = 0; i < caps.n; i++)
			if (caps.cap[i].tech == tech)
				snprintf(res->label, sizeof(res->label), "%s",
					 wiper_label_str(caps.cap[i].label));
	res->verify = WIPER_VERIFY_SAMPLE;
	res->seed = o->seed;

	/* An earlier sanitize still running (e.g. resumed after a power cut) ends first. */
	deadline = o->deadline_ms ? t0 + o->deadline_ms : t0 + 24ull * 3600 * 1000;
	rc = prior_sanitize(dev, tech, o, deadline, res);
	if (rc != 0) {
		if (rc < 0 && res->outcome == WIPER_PASSED)
			finish(res, WIPER_INCOMPLETE, "device lost: %s", strerror(-rc));
		rc = rc < 0 ? rc : 0;
		goto out;
	}
	/* This job's own sanitize gets its whole time, however long the earlier one took. */
	deadline = o->deadline_ms ? now_ms() + o->deadline_ms : now_ms() + 24ull * 3600 * 1000;
	restore_hidden(dev, d, id, res);
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
		rc = snapshot_take(dev, o->seed, &snap, false, res);
		if (rc < 0) {
			finish(res, WIPER_INCOMPLETE, "device lost before the sanitize: %s", strerror(-rc));
			goto out;
		}
	}

	switch (tech) {
	case WIPER_TECH_ATA_SAN_CRYPTO:
	case WIPER_TECH_ATA_SAN_BLOCK:
	case WIPER_TECH_ATA_SAN_OVERWRITE:
		if (tech == WIPER_TECH_ATA_SAN_CRYPTO)
			ata_cmd_sanitize_crypto(&cmd, false);
		else if (tech == WIPER_TECH_ATA_SAN_BLOCK)
			ata_cmd_sanitize_block(&cmd, false);
		else
			ata_cmd_sanitize_overwrite(&cmd, 0, 1, false, false);
		rc = ata(dev, res, tech_command(tech), &cmd, NULL, &ar);
		if (rc != 0) {
			finish(res, rc < 0 ? WIPER_INCOMPLETE : WIPER_FAILED,
			       "the drive refused the sanitize: %s", res->steps[res->nsteps - 1].answer);
			break;
		}
		rc = ata_sanitize_wait(dev, o, deadline, res);
		break;
	case WIPER_TECH_NVME_SAN_CRYPTO:
	case WIPER_TECH_NVME_SAN_BLOCK:
	case WIPER_TECH_NVME_SAN_OVERWRITE: {
		struct nvme_sanitize_params p;
		struct wiper_nvme_cmd c;

		memset(&p, 0, sizeof(p));
		p.action = tech == WIPER_TECH_NVME_SAN_CRYPTO ? NVME_SANACT_CRYPTO :
			   tech == WIPER_TECH_NVME_SAN_BLOCK ? NVME_SANACT_BLOCK : NVME_SANACT_OVERWRITE;
		if (p.action == NVME_SANACT_OVERWRITE)
			p.owpass = 1;
		nvme_cmd_sanitize(&c, &p);
		rc = nvme(dev, res, tech_command(tech), &c, false);
		if (rc != 0) {
			finish(res, rc < 0 ? WIPER_INCOMPLETE : WIPER_FAILED,
			       "the controller refused Sanitize: %s", res->steps[res->nsteps - 1].answer);
			break;
		}
		rc = nvme_sanitize_wait(dev, o, deadline, res);
		break;
	}
	case WIPER_TECH_SCSI_SAN_CRYPTO:
	case WIPER_TECH_SCSI_SAN_BLOCK:
	case WIPER_TECH_SCSI_SAN_OVERWRITE: {
		static const uint8_t zero4[4] = { 0, 0, 0, 0 };
		struct wiper_scsi_cmd c;
		uint8_t param[16];
		int plen;

		memset(&c, 0, sizeof(c));
		plen = scsi_cdb_sanitize(c.cdb, tech == WIPER_TECH_SCSI_SAN_CRYPTO ? SCSI_SANITIZE_CRYPTO :
					 tech == WIPER_TECH_SCSI_SAN_BLOCK ? SCSI_SANITIZE_BLOCK :
									     SCSI_SANITIZE_OVERWRITE,
					 true, false, param, sizeof(param), 1, zero4, 4, false);
		if (plen < 0) {
			rc = plen;
			break;
		}
		c.cdb_len = 10;
		c.dir = plen ? WIPER_DIR_OUT : WIPER_DIR_NONE;
		c.buf = plen ? param : NULL;
		c.len = (size_t)plen;
		c.timeout_ms = 120000;
		rc = scsi(dev, res, tech_command(tech), &c);
		if (rc != 0) {
			finish(res, rc < 0 ? WIPER_INCOMPLETE : WIPER_FAILED,
			       "the device refused SANITIZE: %s", res->steps[res->nsteps - 1].answer);
			break;
		}
		rc = scsi_sanitize_wait(dev, o, deadline, res);
		break;
	}
	case WIPER_TECH_NVME_FORMAT_CRYPTO:
	case WIPER_TECH_NVME_FORMAT_USER: {
		struct wiper_nvme_cmd c;
		uint8_t lbaf = id->have_nvme_ns ? id->nvme_ns.cur_lbaf : 0;
		uint32_t nsid = id->nvme.fna_format_all ? 0xffffffff : (id->nsid ? id->nsid : 1);

		/* Re-use the current LBA format: odd combinations brick some drives. */
		nvme_cmd_format(&c, nsid, lbaf, tech == WIPER_TECH_NVME_FORMAT_CRYPTO ? 2 : 1, 0);
		rc = nvme(dev, res, tech_command(tech), &c, false);
		if (rc != 0)
			finish(res, rc < 0 ? WIPER_INCOMPLETE : WIPER_FAILED,
			       "the controller refused Format NVM: %s", res->steps[res->nsteps - 1].answer);
		break;
	}
	case WIPER_TECH_ATA_SEC_ERASE_ENH:
	case WIPER_TECH_ATA_SEC_ERASE:
		security_erase(dev, d, id, tech == WIPER_TECH_ATA_SEC_ERASE_ENH, res);
		break;
	default:
		rc = -EOPNOTSUPP;
	}
	if (rc < 0 && res->outcome == WIPER_PASSED)
		finish(res, WIPER_INCOMPLETE, "device lost: %s", strerror(-rc));
	if (res->outcome != WIPER_PASSED)
		goto out;

	/* Verification: the device's own status is never enough. */
	if (overwrite) {
		struct wiper_pass zero = { .random = false, .pattern = { 0 }, .pattern_len = 1 };
		struct wiper_job_opts jo;

		memset(&jo, 0, sizeof(jo));
		jo.cancel = o->cancel;
		res->npasses = 1;
		res->passes[0].pass = zero;
		res->passes[0].completed = true;
		res->verify = WIPER_VERIFY_ALL;
		rc = wiper_verify_pass(dev, &zero, WIPER_VERIFY_ALL, 0, &jo, res, &res->passes[0]);
		wiper_lba_list_sort(&res->bad);
		wiper_lba_list_sort(&res->mismatch);
		if (rc < 0) {
			finish(res, WIPER_INCOMPLETE, "device lost during verification");
		} else if (res->mismatch.total || res->bad.total) {
			finish(res, WIPER_FAILED, "read-back found %" PRIu64 " blocks not overwritten "
				   "(first LBA %" PRIu64 "): the drive reported success but did not erase",
			       res->mismatch.total + res->bad.total,
			       res->mismatch.n ? res->mismatch.lba[0] : res->bad.lba[0]);
		}
	} else {
		rc = snapshot_take(dev, o->seed, &snap, true, res);
		if (rc < 0) {
			finish(res, WIPER_INCOMPLETE, "device lost during verification");
		} else if (res->compare_unchanged) {
			finish(res, WIPER_FAILED, "%" PRIu64 " of %" PRIu64 " sampled blocks that held data "
				   "are unchanged (first LBA %" PRIu64 "): the drive reported success "
				   "but did not erase", res->compare_unchanged,
			       res->compare_blocks - res->compare_uniform, res->mismatch.lba[0]);
		} else if (res->bad.total) {
			finish(res, WIPER_FAILED, "%" PRIu64 " sampled blocks unreadable after the "
				   "sanitize (first LBA %" PRIu64 ")", res->bad.total, res->bad.lba[0]);
		} else if (res->compare_blocks == res->compare_uniform) {
			finish(res, WIPER_INCOMPLETE, "no sampled block held readable data before the "
				   "erase, so the comparison proves nothing: run the erase again to verify it");
		}
	}
	rc = 0;
out:
	snapshot_free(&snap);
	res->end = time(NULL);
	res->seconds = (double)(now_ms() - t0) / 1000.0;
	return rc < 0 && res->outcome == WIPER_PASSED ? rc : 0;
}
