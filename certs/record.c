/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The certificate record: names, times, allocation, destruction records. The rest: record-job.c (from a job result), record-codec.c (canonical encoding, strict decoding). */
#include "config.h"

#include "certs/record.h"
#include "certs/record-impl.h"

#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "wiper/base/base.h"
#include "wiper/job.h"

const char *const cert_result_names[4] = { "PASSED", "FAILED", "INCOMPLETE", "DESTROYED" };
const char *const cert_kind_names[2] = { "erase", "destroy" };
const char *const cert_dest_names[6] = { "internal_reuse", "external_reuse", "recycling",
					  "destruction", "manufacturer", "other" };

const char *cert_result_str(enum cert_result r)
{
	return (unsigned)r < 4 ? cert_result_names[r] : "?";
}

const char *cert_kind_str(enum cert_kind k)
{
	return (unsigned)k < 2 ? cert_kind_names[k] : "?";
}

const char *cert_dest_str(enum cert_dest d)
{
	return (unsigned)d < 6 ? cert_dest_names[d] : "?";
}

int cert_name_index(const char *const *names, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return (int)i;
	return -1;
}

const char *cert_time_str(int64_t t, char *buf, size_t len)
{
	return base_time_utc(t, buf, len);
}

int cert_time_parse(const char *s, int64_t *out)
{
	struct tm tm = { 0 };
	const char *e;

	e = strptime(s, "%Y-%m-%d", &tm);
	if (!e)
		return -EINVAL;
	if (*e == 'T') {
		e = strptime(e + 1, "%H:%M:%S", &tm);
		if (!e || strcmp(e, "Z") != 0)
			return -EINVAL;
	} else if (*e) {
		return -EINVAL;
	}
	*out = (int64_t)timegm(&tm);
	return 0;
}

int32_t cert_utc_offset(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!localtime_r(&tt, &tm) || tm.tm_gmtoff > 86400 || tm.tm_gmtoff < -86400)
		return 0;
	/* Whole minutes, as the encoding keeps them (zones have had odd seconds only before 1973). */
	return (int32_t)(tm.tm_gmtoff / 60 * 60);
}

const char *cert_offset_str(int32_t off, char *buf, size_t len)
{
	int32_t a = off < 0 ? -off : off;

	snprintf(buf, len, "UTC%c%02d:%02d", off < 0 ? '-' : '+', (int)(a / 3600),
		 (int)(a % 3600 / 60));
	return buf;
}

const char *cert_time_local_str(int64_t t, int32_t off, char *buf, size_t len)
{
	time_t tt = (time_t)(t + off);
	char o[16];
	struct tm tm;

	if (!gmtime_r(&tt, &tm) || !strftime(buf, len > 20 ? 20 : len, "%Y-%m-%d %H:%M:%S", &tm)) {
		snprintf(buf, len, "?");
		return buf;
	}
	snprintf(buf + strlen(buf), len - strlen(buf), " %s", cert_offset_str(off, o, sizeof(o)));
	return buf;
}

const char *cert_date_local_str(int64_t t, int32_t off, char *buf, size_t len)
{
	time_t tt = (time_t)(t + off);
	struct tm tm;

	if (!gmtime_r(&tt, &tm) || !strftime(buf, len, "%Y-%m-%d", &tm))
		snprintf(buf, len, "?");
	return buf;
}

int cert_local_day_start(const char *s, int days_after, int64_t *out)
{
	struct tm tm = { 0 };
	const char *e = strptime(s, "%Y-%m-%d", &tm);
	time_t t;

	if (!e || *e || strlen(s) != 10)
		return -EINVAL;
	tm.tm_mday += days_after;
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	t = mktime(&tm);
	if (t == (time_t)-1)
		return -EINVAL;
	*out = (int64_t)t;
	return 0;
}

struct cert_record *cert_record_new(void)
{
	struct cert_record *r = calloc(1, sizeof(struct cert_record));

	if (r)
		r->version = CERT_VERSION_CURRENT;
	return r;
}

void cert_record_free(struct cert_record *r)
{
	free(r);
}

/* Copy @src into @dst (@len bytes); 1 if it was truncated. */
int cert_scopy(char *dst, size_t len, const char *src)
{
	size_t n = strlen(src);

	if (n >= len) {
		memcpy(dst, src, len - 1);
		dst[len - 1] = '\0';
		return 1;
	}
	memcpy(dst, src, n + 1);
	return 0;
}

void cert_record_init_destroy(struct cert_record *r, const char *technique, const char *details)
{
	r->kind = CERT_KIND_DESTROY;
	r->result = CERT_DESTROYED;
	r->destination = CERT_DEST_DESTRUCTION;
	cert_scopy(r->destroy_technique, sizeof(r->destroy_technique), technique ? technique : "");
	cert_scopy(r->destroy_details, sizeof(r->destroy_details), details ? details : "");
	cert_scopy(r->nist_method_type, sizeof(r->nist_method_type), "Destroy");
	cert_scopy(r->nist_method_used, sizeof(r->nist_method_used), "Other");
	cert_scopy(r->ieee_method, sizeof(r->ieee_method), "Destruct");
	cert_scopy(r->ieee_technique, sizeof(r->ieee_technique), technique ? technique : "");
	cert_scopy(r->verification_method, sizeof(r->verification_method), "Other");
	if (!r->tool[0])
		cert_scopy(r->tool, sizeof(r->tool), "Tabula");
	if (!r->tool_version[0])
		cert_scopy(r->tool_version, sizeof(r->tool_version), PACKAGE_VERSION);
}
