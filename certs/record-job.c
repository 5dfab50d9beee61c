/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A job result (wiper/job.h) becomes a certificate record. */
#include "config.h"

#include "certs/record.h"
#include "certs/record-impl.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "wiper/job.h"

#define SET(field, val) (trunc |= cert_scopy((field), sizeof(field), (val)))

/* Hex form of a pattern. */
static void pattern_hex(const struct wiper_pass *p, char *buf, size_t len)
{
	size_t i;

	if (p->random) {
		cert_scopy(buf, len, "random");
		return;
	}
	buf[0] = '\0';
	for (i = 0; i < p->pattern_len && i < WIPER_PATTERN_MAX && 2 * i + 2 < len; i++)
		snprintf(buf + 2 * i, 3, "%02x", p->pattern[i]);
}

/* "Full", "Quick Sampling" or "None" for the NIST form. */
static const char *nist_verification(enum wiper_verify_mode m)
{
	switch (m) {
	case WIPER_VERIFY_LAST:
	case WIPER_VERIFY_ALL:
		return "Full";
	case WIPER_VERIFY_SAMPLE:
		return "Quick Sampling";
	default:
		return "None";
	}
}

/* The verify mode as the CLI spells it. */
static const char *verify_name(enum wiper_verify_mode m)
{
	static const char *const n[] = { "none", "last", "all", "sample" };

	return (unsigned)m < 4 ? n[m] : "?";
}

/* Media type from the transport, when the caller gives none. */
static const char *guess_media_type(const char *transport)
{
	if (!strcasecmp(transport, "nvme"))
		return "NVMe SSD";
	if (!strcasecmp(transport, "usb"))
		return "USB mass storage";
	if (!strcasecmp(transport, "mmc"))
		return "Memory card";
	if (!strcasecmp(transport, "loop") || !strcasecmp(transport, "file"))
		return "File or loop device";
	if (!strcasecmp(transport, "sata") || !strcasecmp(transport, "ata"))
		return "ATA disk";
	if (!strcasecmp(transport, "sas") || !strcasecmp(transport, "scsi"))
		return "SCSI disk";
	return "Disk";
}

/* Seconds as a double into whole milliseconds. */
static uint64_t ms_of(double s)
{
	if (!(s > 0))
		return 0;
	return (uint64_t)(s * 1000.0 + 0.5);
}

/* Copy a bounded LBA list. */
static void copy_lbas(struct cert_lbas *d, const struct wiper_lba_list *s)
{
	size_t n = s->n < CERT_LBAS_MAX ? s->n : CERT_LBAS_MAX;

	memcpy(d->lba, s->lba, n * sizeof(d->lba[0]));
	d->n = n;
	d->total = s->total > n ? s->total : n;
}

/* Who, where from, what medium. Returns 1 when a value had to be cut. */
static int job_medium(struct cert_record *r, const struct wiper_job_result *res,
		      const struct cert_context *ctx)
{
	char make[CERT_STR], *sp;
	int trunc = 0;

	SET(r->station_id, ctx->station_id ? ctx->station_id : "TABULA");
	SET(r->tool, "Tabula");
	SET(r->tool_version, PACKAGE_VERSION);
	if (ctx->people)
		r->people = *ctx->people;
	if (ctx->origin)
		r->origin = *ctx->origin;
	if (!r->origin.data_backed_up[0])
		SET(r->origin.data_backed_up, "Unknown");
	SET(make, ctx->make ? ctx->make : res->model);
	if (!ctx->make && (sp = strchr(make, ' ')) != NULL)
		*sp = '\0';
	SET(r->make, make);
	SET(r->model, res->model);
	SET(r->serial, res->serial);
	SET(r->media_type, ctx->media_type ? ctx->media_type : guess_media_type(res->transport));
	SET(r->node, res->node);
	SET(r->transport, res->transport);
	r->size_bytes = res->size_bytes;
	r->logical_block = res->logical_block;
	r->physical_block = res->physical_block;
	return trunc;
}

/* The method, as NIST and IEEE 2883 name it, and how it was verified. 1 when cut. */
static int job_method(struct cert_record *r, const struct wiper_job_result *res,
		      const struct cert_context *ctx)
{
	int trunc = 0, n;

	SET(r->nist_method_type, res->label[0] ? res->label : "Clear");
	SET(r->nist_method_used, "Overwrite");
	SET(r->ieee_method, res->label[0] ? res->label : "Clear");
	SET(r->ieee_technique, "Overwrite");
	SET(r->command, "host overwrite (write commands), flush after each pass");
	SET(r->method, res->method);
	SET(r->method_title, res->method_title);
	n = snprintf(r->method_details, sizeof(r->method_details),
		     "%s: %zu pass%s, %u round%s, verification %s",
		     res->method_title[0] ? res->method_title : res->method, res->npasses,
		     res->npasses == 1 ? "" : "es", res->rounds, res->rounds == 1 ? "" : "s",
		     verify_name(res->verify));
	if (n < 0 || (size_t)n >= sizeof(r->method_details))
		trunc = 1;
	r->rounds = res->rounds;
	n = snprintf(r->seed, sizeof(r->seed), "%016" PRIx64, res->seed);
	if (n < 0 || (size_t)n >= sizeof(r->seed))
		trunc = 1;
	SET(r->prng, res->prng);
	r->request_bytes = res->request_bytes;
	r->queue_depth = res->queue_depth;
	SET(r->verify_mode, verify_name(res->verify));
	SET(r->verification_method, nist_verification(res->verify));
	if (res->verify_coverage > 0)
		r->verify_coverage_ppm = res->verify_coverage >= 1.0 ? 1000000u :
			(uint32_t)(res->verify_coverage * 1e6 + 0.5);
	r->verify_samples = res->verify_samples;
	if (ctx->notes)
		SET(r->notes, ctx->notes);
	if (res->technique[0]) {
		/* Firmware sanitize: the technique by its standard names. */
		const char *t = res->technique;

		SET(r->ieee_technique, strstr(t, "crypto") ? "Cryptographic Erase" :
				       strstr(t, "block") ? "Block Erase" :
				       strstr(t, "security-erase") ? "Security Erase" :
				       strstr(t, "format") ? "Format (secure erase setting)" :
							     "Overwrite");
		SET(r->nist_method_used, strstr(t, "crypto") ? "Crypto Erase" :
					 strstr(t, "block") ? "Block Erase" : "Other");
		SET(r->command, res->method_title);
		n = snprintf(r->method_details, sizeof(r->method_details),
			     "%s; verified by %s", res->method_title,
			     res->compare_blocks ? "pre/post comparison of sampled blocks" :
						   "full read-back");
		if (n < 0 || (size_t)n >= sizeof(r->method_details))
			trunc = 1;
	}
	return trunc;
}

/*
 * Hidden areas (before any erase, firmware or host), every command sent with
 * the drive's answer, then every pass. 1 when a value had to be cut.
 */
static int job_steps(struct cert_record *r, const struct wiper_job_result *res)
{
	size_t i, base, np;
	int trunc = 0;

	if (res->hidden_checked) {
		snprintf(r->hidden_before, sizeof(r->hidden_before),
			 "%" PRIu64 " of %" PRIu64 " native sectors accessible",
			 res->sectors_before, res->native_sectors);
		snprintf(r->hidden_after, sizeof(r->hidden_after),
			 "%" PRIu64 " of %" PRIu64 " native sectors accessible",
			 res->sectors_after, res->native_sectors);
	}
	for (i = 0; i < res->nsteps && r->nsteps < CERT_STEPS_MAX; i++) {
		struct cert_step *s = &r->steps[r->nsteps++];

		SET(s->action, "command");
		SET(s->command, res->steps[i].command);
		SET(s->answer, res->steps[i].answer);
		s->completed = res->steps[i].rc == 0;
	}
	base = r->nsteps;
	np = res->npasses;
	if (base + np > CERT_STEPS_MAX)
		np = CERT_STEPS_MAX - base;
	r->nsteps = base + np;
	for (i = base; i < r->nsteps; i++) {
		const struct wiper_pass_result *p = &res->passes[i - base];
		struct cert_step *s = &r->steps[i];

		SET(s->action, "overwrite");
		pattern_hex(&p->pass, s->pattern, sizeof(s->pattern));
		if (p->pass.random)
			snprintf(s->seed, sizeof(s->seed), "%016" PRIx64, p->pass.seed);
		s->completed = p->completed;
		s->bytes = p->bytes;
		s->ms = ms_of(p->seconds);
		s->write_errors = p->write_errors;
		s->verified = p->verified;
		s->verify_bytes = p->verify_bytes;
		s->verify_ms = ms_of(p->verify_seconds);
		s->verify_mismatches = p->verify_mismatches;
		s->verify_read_errors = p->verify_read_errors;
	}
	copy_lbas(&r->bad, &res->bad);
	copy_lbas(&r->mismatch, &res->mismatch);
	return trunc;
}

/* Where it goes, when, and the result with its reason. 1 when a value had to be cut. */
static int job_outcome(struct cert_record *r, const struct wiper_job_result *res,
		       const struct cert_context *ctx)
{
	int trunc = 0;

	r->destination = ctx->destination;
	if (ctx->destination_details)
		SET(r->destination_details, ctx->destination_details);
	r->start = (int64_t)res->start;
	r->end = (int64_t)res->end;
	r->duration_ms = ms_of(res->seconds);
	/* The station's local time at the end, so every rendering shows what the station showed. */
	r->utc_offset = cert_utc_offset(r->end);
	switch (res->outcome) {
	case WIPER_PASSED:
		r->result = CERT_PASSED;
		break;
	case WIPER_FAILED:
		r->result = CERT_FAILED;
		break;
	default:
		r->result = CERT_INCOMPLETE;
	}
	SET(r->reason, res->reason);
	if (r->result != CERT_PASSED && !r->reason[0])
		SET(r->reason, "the erase did not complete; destroy the medium physically");
	return trunc;
}

int cert_record_from_job(struct cert_record *r, const struct wiper_job_result *res,
			 const struct cert_context *ctx, char *err, size_t errlen)
{
	static const struct cert_context none = { 0 };
	int trunc;

	if (!ctx)
		ctx = &none;
	memset(r, 0, sizeof(*r));
	r->version = CERT_VERSION_CURRENT;
	r->kind = CERT_KIND_ERASE;
	trunc = job_medium(r, res, ctx);
	trunc |= job_method(r, res, ctx);
	trunc |= job_steps(r, res);
	trunc |= job_outcome(r, res, ctx);
	if (trunc) {
		snprintf(err, errlen, "a certificate field is too long for the record");
		return -EOVERFLOW;
	}
	return 0;
}
