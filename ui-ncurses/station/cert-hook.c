/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The one place where the station hands a finished job to the certificate
 * layer (libcerts). What a result may be certified for is libcerts' record
 * policy (certs/policy.h), not decided here.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ui-ncurses/station/station.h"


#include "certs/conf.h"
#include "certs/custody.h"
#include "certs/issue.h"
#include "certs/journal.h"
#include "certs/ledger.h"

static pthread_mutex_t issue_lock = PTHREAD_MUTEX_INITIALIZER;

/* Copy a configured person, with their unit, department, location and phone, into the record's form. */
static void person(const struct ui_app *app, int idx, struct cert_person *p)
{
	memset(p, 0, sizeof(*p));
	if (idx < 0 || (size_t)idx >= app->cfg.npeople)
		return;
	snprintf(p->name, sizeof(p->name), "%s", app->cfg.people[idx].name);
	snprintf(p->title, sizeof(p->title), "%s", app->cfg.people[idx].role);
	cert_conf_fill_person(&app->cfg.rec, p);
}

/* The people of a record: fixed at the job's start (@rec->snapshot), else the session's. */
static void people_of(const struct ui_app *app, const struct ui_record_fields *rec,
		      struct cert_people *who)
{
	bool snap = rec && rec->snapshot;

	person(app, snap ? rec->operator_idx : app->operator_idx, &who->operator_);
	person(app, snap ? rec->witness_idx : app->witness_idx, &who->witness);
	person(app, snap ? rec->supervisor2_idx : app->supervisor2_idx, &who->supervisor2);
	person(app, snap ? rec->approver_idx : app->approver_idx, &who->approver);
}

/* The technician's fields into the record's origin, the classification in its one spelling. */
static void origin_from(const struct ui_app *app, const struct ui_record_fields *rec,
			struct cert_origin *o)
{
	char err[256];

	memset(o, 0, sizeof(*o));
	snprintf(o->property_number, sizeof(o->property_number), "%s", rec->asset);
	snprintf(o->carrier_no, sizeof(o->carrier_no), "%s", rec->carrier_no);
	snprintf(o->owner_unit, sizeof(o->owner_unit), "%s", rec->owner);
	snprintf(o->classification, sizeof(o->classification), "%s", rec->classification);
	snprintf(o->approval_ref, sizeof(o->approval_ref), "%s",
		 rec->snapshot ? rec->approval_ref : app->approval_ref);
	/* An unknown level stays as typed: the policy check names it and refuses. */
	cert_policy_class_normalise(&app->cfg.rec.policy, o, err, sizeof(err));
}

int ui_cert_policy_check(const struct ui_app *app, struct ui_record_fields *rec, char *err,
			 size_t errlen)
{
	enum cert_policy_rule rule;
	struct cert_people who;
	struct cert_origin o;
	int rc;

	memset(&who, 0, sizeof(who));
	people_of(app, rec, &who);
	origin_from(app, rec, &o);
	rc = cert_policy_check_rule(&app->cfg.rec.policy, &who, &o, CERT_KIND_ERASE,
				    (enum cert_dest)rec->destination, &rule, err, errlen);
	/* The rule is libcerts'; a Chinese station says it in Chinese. */
	if (rc && app->zh) {
		const char *dest = ui_dest_text(app, rec->destination);

		switch (rule) {
		case CERT_RULE_UNKNOWN_LEVEL:
			snprintf(err, errlen, "密级“%s”不是本工作站的密级", o.classification);
			break;
		case CERT_RULE_TOP:
			snprintf(err, errlen, "%s载体只能销毁，不能用于“%s”：去向请选销毁（销毁前可先消除）",
				 o.classification, dest);
			break;
		case CERT_RULE_CLASSIFIED:
			snprintf(err, errlen, "涉密载体（%s）不得用于“%s”：只能在本密级内部再用或销毁",
				 o.classification, dest);
			break;
		case CERT_RULE_APPROVER:
			snprintf(err, errlen, "本工作站要求每份记录都有审批人");
			break;
		case CERT_RULE_APPROVAL_REF:
			snprintf(err, errlen, "本工作站要求每份记录都有审批单号");
			break;
		default:
			break;
		}
	}
	if (!rc)
		snprintf(rec->classification, sizeof(rec->classification), "%s", o.classification);
	return rc;
}

/* The options a job's certificate is issued with. */
static void job_opts(const struct ui_app *app, const struct wiper_job_result *res,
		     const struct ui_record_fields *rec, struct cert_issue_opts *o,
		     struct cert_origin *origin, struct cert_people *who)
{
	memset(o, 0, sizeof(*o));
	people_of(app, rec, who);
	origin_from(app, rec, origin);
	o->policy = &app->cfg.rec.policy;
	o->station_id = app->cfg.station;
	if (rec->snapshot)
		o->pdf_dir = rec->pdf_dir[0] ? rec->pdf_dir : NULL;
	else
		o->pdf_dir = app->cfg.records[0] ? app->cfg.records : NULL;
	o->lang = (rec->snapshot ? rec->zh : app->zh) ? "zh" : "en";
	o->origin = origin;
	o->destination = (enum cert_dest)rec->destination;
	o->job_id = rec->job_id;
}

int ui_cert_issue(const struct ui_app *app, const char *ledger,
		  const struct wiper_job_result *res, const struct ui_record_fields *rec, char *no,
		  size_t nolen, char *err, size_t errlen)
{
	struct cert_issue_opts o;
	struct cert_origin origin;
	struct cert_people who;
	int rc;

	job_opts(app, res, rec, &o, &origin, &who);
	/* Jobs finish on their own threads; the ledger takes one append at a time. */
	pthread_mutex_lock(&issue_lock);
	rc = certs_issue_opts(ledger, res, &who, &o, no, nolen, err, errlen);
	pthread_mutex_unlock(&issue_lock);
	ui_cert_ledger_status_reset();
	return rc;
}

int ui_cert_job_begin(const struct ui_app *app, const struct wiper_job_result *res,
		      struct ui_record_fields *rec, char *err, size_t errlen)
{
	struct cert_issue_opts o;
	struct cert_origin origin;
	struct cert_people who;
	int rc;

	/* certs_job_begin() notes it as the certificate would read if the station died now. */
	rec->job_id = 0;
	job_opts(app, res, rec, &o, &origin, &who);
	pthread_mutex_lock(&issue_lock);
	rc = certs_job_begin(app->cfg.ledger, res, &who, &o, &rec->job_id, err, errlen);
	pthread_mutex_unlock(&issue_lock);
	return rc;
}

void ui_cert_job_forget(const struct ui_app *app, struct ui_record_fields *rec)
{
	char err[256];

	if (!rec->job_id)
		return;
	pthread_mutex_lock(&issue_lock);
	certs_job_forget(app->cfg.ledger, rec->job_id, err, sizeof(err));
	pthread_mutex_unlock(&issue_lock);
	rec->job_id = 0;
}

static char recovered[256];		/* UI thread only: what the start certified */

static void on_recovered(const struct cert_record *r, const char *pdf, void *arg)
{
	unsigned *n = arg;

	(void)pdf;
	(*n)++;
	snprintf(recovered, sizeof(recovered), "%u interrupted job%s certified INCOMPLETE"
		 " (last %s, %s)", *n, *n == 1 ? "" : "s", r->cert_no,
		 r->serial[0] ? r->serial : r->node);
}

int ui_cert_recover(const struct ui_app *app)
{
	unsigned n = 0;
	char err[256];
	int rc;

	pthread_mutex_lock(&issue_lock);
	rc = certs_job_recover(app->cfg.ledger, NULL, on_recovered, &n, err, sizeof(err));
	pthread_mutex_unlock(&issue_lock);
	if (rc < 0)
		ui_cut(recovered, sizeof(recovered), "interrupted jobs not certified: %s", err);
	ui_cert_ledger_status_reset();
	return rc;
}

/* Copy @src into @dst; false when it did not fit. */
static bool fits(char *dst, size_t len, const char *src)
{
	int n = snprintf(dst, len, "%s", src);

	return n >= 0 && (size_t)n < len;
}

int ui_cert_destroy(const struct ui_app *app, const struct ui_medium *m, const char *technique,
		    const char *details, const struct ui_record_fields *rec, char *no,
		    size_t nolen, char *err, size_t errlen)
{
	struct cert_issue_opts o;
	struct cert_record *r;
	char path[4096];
	int rc;

	if (nolen)
		no[0] = '\0';
	if (app->operator_idx < 0) {
		snprintf(err, errlen, "no operator on duty: a destruction record names who destroyed it");
		return -EINVAL;
	}
	r = cert_record_new();
	if (r == NULL) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	memset(&o, 0, sizeof(o));
	people_of(app, NULL, &r->people);
	if (!fits(r->station_id, sizeof(r->station_id), app->cfg.station) ||
	    !fits(r->serial, sizeof(r->serial), m->med.disk.serial) ||
	    !fits(r->model, sizeof(r->model), m->med.disk.model) ||
	    !fits(r->node, sizeof(r->node), m->med.disk.node) ||
	    !fits(r->transport, sizeof(r->transport), wiper_transport_str(m->med.disk.transport)) ||
	    !fits(r->origin.property_number, sizeof(r->origin.property_number), rec->asset) ||
	    !fits(r->origin.owner_unit, sizeof(r->origin.owner_unit), rec->owner) ||
	    !fits(r->origin.carrier_no, sizeof(r->origin.carrier_no), rec->carrier_no) ||
	    !fits(r->origin.approval_ref, sizeof(r->origin.approval_ref), app->approval_ref) ||
	    !fits(r->origin.classification, sizeof(r->origin.classification),
		  rec->classification)) {
		snprintf(err, errlen, "%s: a field is too long for the record", m->med.disk.node);
		rc = -EOVERFLOW;
		goto out;
	}
	snprintf(r->origin.data_backed_up, sizeof(r->origin.data_backed_up), "Unknown");
	r->size_bytes = m->med.disk.size_bytes;
	r->logical_block = m->med.disk.logical_block;
	r->physical_block = m->med.disk.physical_block;
	cert_record_init_destroy(r, technique, details);
	r->start = r->end = (int64_t)time(NULL);
	/* The 保密 rules hold for a destruction record too: a known level, the approval. */
	if ((rc = cert_policy_class_normalise(&app->cfg.rec.policy, &r->origin, err, errlen)) ||
	    (rc = cert_policy_check(&app->cfg.rec.policy, &r->people, &r->origin, CERT_KIND_DESTROY,
				    CERT_DEST_DESTRUCTION, err, errlen)))
		goto out;
	o.station_id = app->cfg.station;
	o.pdf_dir = app->cfg.records[0] ? app->cfg.records : NULL;
	o.lang = app->zh ? "zh" : "en";
	pthread_mutex_lock(&issue_lock);
	rc = certs_issue_record(app->cfg.ledger, r, &o, path, sizeof(path), err, errlen);
	pthread_mutex_unlock(&issue_lock);
	if (r->cert_no[0])
		snprintf(no, nolen, "%s", r->cert_no);
	ui_cert_ledger_status_reset();
out:
	cert_record_free(r);
	return rc;
}

/* Open the ledger read-only and say how many records it holds and whether they verify. */
static void ledger_check(const struct ui_app *app, char *buf, size_t len)
{
	struct cert_ledger *l = NULL;
	struct cert_verify v;
	char err[768];	/* the ledger's and the custody's reasons are whole sentences */
	int rc;

	rc = cert_ledger_open(app->cfg.ledger, CERT_LEDGER_READONLY, &l, err, sizeof(err));
	if (rc < 0) {
		ui_cut(buf, len, "%s: %s", app->cfg.ledger, err);
		return;
	}
	memset(&v, 0, sizeof(v));
	rc = cert_ledger_verify(l, 0, &v);
	if (rc == 0)
		ui_cut(buf, len, "%llu records, head %02x%02x%02x%02x…, chain verifies OK",
			 (unsigned long long)v.records, v.head[0], v.head[1], v.head[2], v.head[3]);
	else
		ui_cut(buf, len, "CHAIN BROKEN: %s", v.reason[0] ? v.reason : strerror(-rc));
	cert_ledger_close(l);
	/* With the key sealed by this PC's TPM: a ledger behind its counter was rolled back or cut. */
	if (rc == 0) {
		struct cert_custody_check chk;
		char sealed[600];

		snprintf(sealed, sizeof(sealed), "%s.sealed", app->cfg.ledger);
		if (access(sealed, F_OK) == 0) {
			rc = certs_custody_check_path(app->cfg.ledger, NULL, &chk, err, sizeof(err));
			if (rc > 0)
				ui_cut(buf, len, "LEDGER ROLLED BACK OR CUT: %s", chk.message);
			else if (rc < 0)
				ui_cut(buf, len, "KEY CUSTODY: %s", err);
		}
	}
	if (recovered[0]) {
		size_t used = strlen(buf);

		ui_cut(buf + used, len - used, "; %s", recovered);
	}
}

static char cached[512];		/* UI thread only */
static atomic_bool stale;		/* set by any thread after an append */

void ui_cert_ledger_status_reset(void)
{
	atomic_store(&stale, true);
}

void ui_cert_ledger_status(const struct ui_app *app, char *buf, size_t len)
{
	struct stat st;

	if (atomic_exchange(&stale, false))
		cached[0] = '\0';
	if (cached[0]) {
		snprintf(buf, len, "%s", cached);
		return;
	}
	if (stat(app->cfg.ledger, &st) != 0) {
		ui_cut(cached, sizeof(cached), "%s: %s", app->cfg.ledger, ui_t(app, T_LEDGER_NONE));
	} else {
		ledger_check(app, cached, sizeof(cached));
	}
	ui_cut(buf, len, "%s", cached);
}

/* cert_ledger_each_station: remember the one station's name, count them. */
static int one_station(const char *fp, const uint8_t pub[CERT_PUB_LEN], const char *station_id,
		       void *arg)
{
	struct { char *buf; size_t len; int n; } *c = arg;

	(void)fp;
	(void)pub;
	if (c->n++ == 0)
		snprintf(c->buf, c->len, "%s", station_id);
	return 0;
}

int ui_cert_chain_station(const struct ui_app *app, char *buf, size_t len)
{
	struct { char *buf; size_t len; int n; } c = { buf, len, 0 };
	struct cert_ledger *l = NULL;
	char err[256];
	int rc;

	if (access(app->cfg.ledger, F_OK) != 0)
		return 1;
	rc = cert_ledger_open(app->cfg.ledger, CERT_LEDGER_READONLY, &l, err, sizeof(err));
	if (rc < 0)
		return rc;
	rc = cert_ledger_each_station(l, one_station, &c);
	cert_ledger_close(l);
	if (rc < 0)
		return rc;
	/* A merged ledger holds several stations' chains: none of them is this one's by default. */
	return c.n == 1 ? 0 : 1;
}
