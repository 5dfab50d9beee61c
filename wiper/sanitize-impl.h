/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the firmware sanitize files share (sanitize.c, sanitize-log.c,
 * sanitize-wait.c, hidden.c, sample-compare.c, security-erase.c): the log
 * of commands and answers, the outcome, the waits and the sampled
 * comparison. Private to libwiper.
 */
#ifndef WIPER_SANITIZE_IMPL_H
#define WIPER_SANITIZE_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wiper/ata-cmd.h"
#include "wiper/dev.h"
#include "wiper/sanitize.h"

#define SAN_COMPARE_MAX_BLOCKS 200000u

/* --- sanitize-log.c: commands, their answers, the outcome --- */
/* Milliseconds on the monotonic clock. */
uint64_t san_now_ms(void);
/* Sleep @ms milliseconds. */
void san_nap(unsigned ms);
/* Record a command and its answer in @res. */
void san_step(struct wiper_job_result *res, int rc, const char *command, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* End the job with @outcome and a reason (the first reason stands). */
void san_finish(struct wiper_job_result *res, enum wiper_outcome outcome, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Send an ATA, NVMe admin or SCSI command, log it and its answer; the status. */
int san_ata(struct wiper_dev *dev, struct wiper_job_result *res, const char *what,
	    struct ata_cmd *cmd, void *buf, struct wiper_ata_result *ar);
int san_nvme(struct wiper_dev *dev, struct wiper_job_result *res, const char *what,
	     struct wiper_nvme_cmd *cmd, bool quiet);
int san_scsi(struct wiper_dev *dev, struct wiper_job_result *res, const char *what,
	     struct wiper_scsi_cmd *cmd);
/* Report the progress @pct (0..100) of a firmware operation started at @start_ms. */
void san_report(const struct wiper_sanitize_opts *o, double pct, uint64_t start_ms);

/* --- hidden.c --- */
/* Restore HPA/AMAC/DCO so the whole native capacity is erased and verified. */
void san_restore_hidden(struct wiper_dev *dev, struct wiper_disk *d, struct wiper_identity *id,
			struct wiper_job_result *res);

/* --- sample-compare.c: the pre/post comparison of sampled blocks --- */
/* Per-block digests of the sampled blocks, for the pre/post comparison. */
struct san_snapshot {
	uint64_t *lba;
	uint8_t (*digest)[16];
	bool *uniform;
	size_t n;
};
/*
 * Read the sampled blocks (the NIST plan seeded by @seed): before the erase
 * (@keep false) their digests are remembered in @s; after it (@keep true)
 * each is compared with its digest and the counts go to @res. 0 or -errno.
 */
int san_snapshot_take(struct wiper_dev *dev, uint64_t seed, struct san_snapshot *s, bool keep,
		      struct wiper_job_result *res);
void san_snapshot_free(struct san_snapshot *s);

/* --- sanitize-wait.c: waiting for the device to finish --- */
int san_ata_wait(struct wiper_dev *dev, const struct wiper_sanitize_opts *o, uint64_t deadline,
		 struct wiper_job_result *res);
int san_nvme_wait(struct wiper_dev *dev, const struct wiper_sanitize_opts *o, uint64_t deadline,
		  struct wiper_job_result *res);
int san_scsi_wait(struct wiper_dev *dev, const struct wiper_sanitize_opts *o, uint64_t deadline,
		  struct wiper_job_result *res);
/* A sanitize found running (resumed after a power cut) is waited for first. 0, or the error. */
int san_prior(struct wiper_dev *dev, enum wiper_tech tech, const struct wiper_sanitize_opts *o,
	      uint64_t deadline, struct wiper_job_result *res);

/* --- security-erase.c --- */
/* The ATA security erase procedure (normal or @enhanced). */
void san_security_erase(struct wiper_dev *dev, struct wiper_disk *d, struct wiper_identity *id,
			bool enhanced, struct wiper_job_result *res);

#endif
