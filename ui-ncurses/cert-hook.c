/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The one place where the station hands a finished job to the certificate
 * layer. Built with TABULA_WITH_LIBCERTS it calls certs_issue_opts() from
 * libcerts; without it the record is not issued and the dashboard says so.
 *
 * ui-ncurses/Makemodule.am defines TABULA_WITH_LIBCERTS and links libcerts.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "ui-ncurses/ui.h"

#ifdef TABULA_WITH_LIBCERTS
#include "certs/issue.h"
#include "certs/ledger.h"

static pthread_mutex_t issue_lock = PTHREAD_MUTEX_INITIALIZER;

/* Copy a configured person into the record's form. */
static void person(const struct ui_app *app, int idx, struct cert_person *p)
{
	memset(p, 0, sizeof(*p));
	if (idx < 0 || (size_t)idx >= app->cfg.npeople)
		return;
	snprintf(p->name, sizeof(p->name), "%s", app->cfg.people[idx].name);
	snprintf(p->title, sizeof(p->title), "%s", app->cfg.people[idx].role);
}

int ui_cert_issue(const struct ui_app *app, const struct wiper_job_result *res, const char *asset,
		  char *no, size_t nolen, char *err, size_t errlen)
{
	struct cert_issue_opts o;
	struct cert_origin origin;
	struct cert_people who;
	int rc;

	memset(&o, 0, sizeof(o));
	memset(&origin, 0, sizeof(origin));
	person(app, app->operator_idx, &who.operator_);
	person(app, app->witness_idx, &who.witness);
	snprintf(origin.property_number, sizeof(origin.property_number), "%s", asset);
	o.station_id = app->cfg.station;
	o.pdf_dir = app->cfg.records[0] ? app->cfg.records : NULL;
	o.lang = app->zh ? "zh" : "en";
	o.origin = &origin;
	o.destination = res->outcome == WIPER_PASSED ? CERT_DEST_INTERNAL_REUSE
						     : CERT_DEST_DESTRUCTION;
	/* Jobs finish on their own threads; the ledger takes one append at a time. */
	pthread_mutex_lock(&issue_lock);
	rc = certs_issue_opts(app->cfg.ledger, res, &who, &o, no, nolen, err, errlen);
	pthread_mutex_unlock(&issue_lock);
	return rc;
}
#else
int ui_cert_issue(const struct ui_app *app, const struct wiper_job_result *res, const char *asset,
		  char *no, size_t nolen, char *err, size_t errlen)
{
	(void)app;
	(void)res;
	(void)asset;
	if (nolen)
		no[0] = '\0';
	snprintf(err, errlen, "certificates not built into this station yet");
	return -ENOSYS;
}
#endif

/* Format into @buf; a line cut short ends in "…" so nobody mistakes it for whole. */
static void say(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n >= len && len > 4)
		memcpy(buf + len - 4, "…", 4);
}

#ifdef TABULA_WITH_LIBCERTS
/* Open the ledger read-only and say how many records it holds and whether they verify. */
static void ledger_check(const struct ui_app *app, char *buf, size_t len)
{
	struct cert_ledger *l = NULL;
	struct cert_verify v;
	char err[256];
	int rc;

	rc = cert_ledger_open(app->cfg.ledger, CERT_LEDGER_READONLY, &l, err, sizeof(err));
	if (rc < 0) {
		say(buf, len, "%s: %s", app->cfg.ledger, err);
		return;
	}
	memset(&v, 0, sizeof(v));
	rc = cert_ledger_verify(l, CERT_VERIFY_QUICK, &v);
	if (rc == 0)
		say(buf, len, "%llu records, head %02x%02x%02x%02x…, chain verifies OK",
			 (unsigned long long)v.records, v.head[0], v.head[1], v.head[2], v.head[3]);
	else
		say(buf, len, "CHAIN BROKEN: %s", v.reason[0] ? v.reason : strerror(-rc));
	cert_ledger_close(l);
}
#endif

void ui_cert_ledger_status(const struct ui_app *app, char *buf, size_t len)
{
	static char cached[512];
	struct stat st;

	if (cached[0]) {
		snprintf(buf, len, "%s", cached);
		return;
	}
	if (stat(app->cfg.ledger, &st) != 0) {
		say(cached, sizeof(cached), "%s: %s", app->cfg.ledger, ui_t(app, T_LEDGER_NONE));
	} else {
#ifdef TABULA_WITH_LIBCERTS
		ledger_check(app, cached, sizeof(cached));
#else
		say(cached, sizeof(cached), "%s (%lld bytes)", app->cfg.ledger,
		    (long long)st.st_size);
#endif
	}
	say(buf, len, "%s", cached);
}
