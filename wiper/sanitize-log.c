/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Firmware commands sent, their answers logged, the outcome, progress. */
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
#include "wiper/status.h"
#include "wiper/ata-sanitize.h"

/* Seconds on the monotonic clock, in ms. */
uint64_t san_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Sleep @ms milliseconds. */
void san_nap(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	if (ms)
		nanosleep(&ts, NULL);
}

/* Record a command and its answer. */
__attribute__((format(printf, 4, 5)))
void san_step(struct wiper_job_result *res, int rc, const char *command, const char *fmt, ...)
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
void san_finish(struct wiper_job_result *res, enum wiper_outcome outcome, const char *fmt, ...)
{
	va_list ap;

	if (res->outcome != WIPER_PASSED)
		return;
	res->outcome = outcome;
	va_start(ap, fmt);
	vsnprintf(res->reason, sizeof(res->reason), fmt, ap);
	va_end(ap);
}

/* Send an ATA command, log it, and describe the answer. */
int san_ata(struct wiper_dev *dev, struct wiper_job_result *res, const char *what,
	       struct ata_cmd *cmd, void *buf, struct wiper_ata_result *ar)
{
	char why[128];
	int rc = wiper_dev_ata(dev, cmd, buf, ar);

	if (rc == 0)
		san_step(res, rc, what, "accepted (status %02Xh)", ar->rtf.valid ? ar->rtf.status : 0x50);
	else if (WIPER_ST_KIND(rc) == WIPER_ST_KIND_ATA && ar->rtf.valid &&
		 cmd->tf.command == ATA_OP_SANITIZE)
		san_step(res, rc, what, "%s; reason: %s", wiper_status_str(rc, why, sizeof(why)),
		     ata_sanitize_reason_str((uint8_t)ar->rtf.lba));
	else
		san_step(res, rc, what, "%s", wiper_status_str(rc, why, sizeof(why)));
	return rc;
}

/* Send an NVMe admin command, log it, and describe the answer. */
int san_nvme(struct wiper_dev *dev, struct wiper_job_result *res, const char *what,
		struct wiper_nvme_cmd *cmd, bool quiet)
{
	char why[128];
	int rc = wiper_dev_nvme_admin(dev, cmd);

	if (!quiet || rc != 0)
		san_step(res, rc, what, "%s", rc ? wiper_status_str(rc, why, sizeof(why)) : "accepted");
	return rc;
}

/* Send a SCSI command, log it, and describe the answer. */
int san_scsi(struct wiper_dev *dev, struct wiper_job_result *res, const char *what,
		struct wiper_scsi_cmd *cmd)
{
	char why[128];
	int rc = wiper_dev_scsi(dev, cmd);

	san_step(res, rc, what, "%s", rc ? wiper_status_str(rc, why, sizeof(why)) : "accepted");
	return rc;
}

/* Report progress of a firmware operation. */
void san_report(const struct wiper_sanitize_opts *o, double pct, uint64_t start_ms)
{
	struct wiper_progress p;
	double el = (double)(san_now_ms() - start_ms) / 1000.0;

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
