/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Interrupted jobs: note each job, and certify as INCOMPLETE what a stopped station left. */
#include "config.h"

#include "certs/journal.h"
#include "certs/preflight.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "certs/ledger.h"
#include "certs/policy.h"

#define INTERRUPTED_REASON \
	"Interrupted: the station stopped (power loss, crash or forced end) before this job" \
	" finished. Nothing about this medium is certified erased; erase it again."

/* This boot's id; "" when the kernel does not say. */
static void boot_id(char *buf, size_t len)
{
	FILE *f = fopen("/proc/sys/kernel/random/boot_id", "re");

	buf[0] = '\0';
	if (!f)
		return;
	if (!fgets(buf, (int)len, f))
		buf[0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

/* Start time of process @pid in clock ticks after boot (field 22 of stat); 0 if gone. */
static uint64_t proc_start(long pid)
{
	char path[64], buf[1024], *p;
	unsigned long long v = 0;
	FILE *f;
	size_t n;
	int field;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');		/* the command name may hold spaces and parentheses */
	if (!p)
		return 0;
	for (field = 2; field < 22 && p; field++)
		p = strchr(p + 1, ' ');
	if (!p || sscanf(p + 1, "%llu", &v) != 1)
		return 0;
	return v;
}

/* Is the process that opened @j still running it? */
static bool runner_alive(const struct cert_open_job *j)
{
	char boot[40];

	boot_id(boot, sizeof(boot));
	if (!boot[0] || strcmp(boot, j->boot_id) != 0)
		return false;		/* the machine rebooted: power loss or reset */
	if (j->pid <= 0 || (kill((pid_t)j->pid, 0) != 0 && errno == ESRCH))
		return false;
	return proc_start(j->pid) == j->pid_start;
}

int certs_job_begin(const char *ledger_path, const struct wiper_job_result *res,
		    const struct cert_people *who, const struct cert_issue_opts *o, int64_t *id,
		    char *err, size_t errlen)
{
	struct cert_open_job j = { 0 };
	struct cert_ledger *l = NULL;
	struct cert_record *r;
	struct cbuf canon = { 0 };
	char lerr[512];
	int rc;

	*id = 0;
	/*
	 * Every front end notes its job here before the first write: so the
	 * ledger, key, space and people are checked before any medium is touched.
	 */
	if ((rc = certs_preflight(ledger_path, who, NULL, o, err, errlen)))
		return rc;
	if ((rc = certs_record_build(res, who, o, &r, err, errlen)))
		return rc;
	/* What the record will say if nobody comes back to finish it. */
	r->start = (int64_t)time(NULL);
	r->end = r->start;
	r->duration_ms = 0;
	r->result = CERT_INCOMPLETE;
	snprintf(r->reason, sizeof(r->reason), "%s", INTERRUPTED_REASON);
	/* The record policy again, for the result it will have: never certified for reuse. */
	cert_policy_apply(r);
	if ((rc = cert_record_encode(r, &canon))) {
		certs_errf(err, errlen, rc, "cannot encode the record");
		goto out;
	}
	boot_id(j.boot_id, sizeof(j.boot_id));
	j.pid = (int64_t)getpid();
	j.pid_start = proc_start((long)getpid());
	j.started = r->start;
	snprintf(j.serial, sizeof(j.serial), "%s", r->serial);
	j.record = canon.p;
	j.record_len = canon.len;
	if ((rc = cert_ledger_open(ledger_path, CERT_LEDGER_CREATE, &l, lerr, sizeof(lerr)))) {
		certs_errf(err, errlen, rc, "%s", lerr);
		goto out;
	}
	/* The custody that will sign the certificate signs the note (a TPM's, as the issue does). */
	if ((rc = o && o->key_path ? cert_ledger_use_key(l, o->key_path) :
				     cert_ledger_use_custody_spec(l, o ? o->custody : NULL)) ||
	    (rc = cert_ledger_job_add(l, &j, id)))
		certs_errf(err, errlen, rc, "%s", cert_ledger_error(l));
out:
	cert_ledger_close(l);
	cbuf_done(&canon);
	cert_record_free(r);
	return rc;
}

int certs_job_forget(const char *ledger_path, int64_t id, char *err, size_t errlen)
{
	struct cert_ledger *l;
	char lerr[512];
	int rc;

	if (!id)
		return 0;
	if ((rc = certs_ledger_path_ok(ledger_path, err, errlen)))
		return rc;
	if ((rc = cert_ledger_open(ledger_path, 0, &l, lerr, sizeof(lerr))))
		return certs_errf(err, errlen, rc, "%s", lerr);
	if ((rc = cert_ledger_job_drop(l, id)))
		certs_errf(err, errlen, rc, "%s", cert_ledger_error(l));
	cert_ledger_close(l);
	return rc;
}

/* The open jobs whose runner is gone, copied out of the ledger. */
struct orphans {
	struct orphan {
		int64_t id;
		char *record;
		size_t len;
	} *v;
	size_t n;
	unsigned refused;		/* rows the station did not sign */
	char first[256];		/* the first of them, in words */
};

static int collect(const struct cert_open_job *j, void *arg)
{
	struct orphans *o = arg;
	struct orphan *nv;
	char t[24];

	if (!j->sig_ok) {
		/*
		 * Not noted by this station (inserted, or altered since): its
		 * content is someone's wish, and the station signs no wish.
		 */
		if (!o->refused++)
			snprintf(o->first, sizeof(o->first), "open job %lld (serial %s, noted %s)",
				 (long long)j->id, j->serial[0] ? j->serial : "none",
				 cert_time_str(j->started, t, sizeof(t)));
		return 0;
	}
	if (runner_alive(j))
		return 0;
	nv = realloc(o->v, (o->n + 1) * sizeof(*nv));
	if (!nv)
		return -ENOMEM;
	o->v = nv;
	nv[o->n].id = j->id;
	nv[o->n].len = j->record_len;
	nv[o->n].record = malloc(j->record_len + 1);
	if (!nv[o->n].record)
		return -ENOMEM;
	memcpy(nv[o->n].record, j->record, j->record_len);
	nv[o->n].record[j->record_len] = '\0';
	o->n++;
	return 0;
}

int certs_job_recover(const char *ledger_path, const struct cert_issue_opts *o,
		      void (*cb)(const struct cert_record *r, const char *pdf_path, void *arg),
		      void *arg, char *err, size_t errlen)
{
	struct cert_issue_opts io = { 0 };
	struct orphans or = { 0 };
	struct cert_ledger *l;
	struct cert_record *r = NULL;
	char lerr[512], pdf[4096];
	int rc, issued = 0;
	size_t i;

	/* Never open "", ":memory:", a link or a device as a ledger (SQLite would write to it). */
	if ((rc = certs_ledger_path_ok(ledger_path, err, errlen)))
		return rc;
	if (access(ledger_path, F_OK) != 0)
		return 0;		/* no ledger yet: nothing was ever begun */
	if ((rc = cert_ledger_open(ledger_path, 0, &l, lerr, sizeof(lerr))))
		return certs_errf(err, errlen, rc, "%s", lerr);
	rc = cert_ledger_each_job(l, collect, &or);
	if (rc)
		certs_errf(err, errlen, rc, "%s", rc == -ENOMEM ? "out of memory" : cert_ledger_error(l));
	cert_ledger_close(l);
	if (o)
		io = *o;
	for (i = 0; !rc && i < or.n; i++) {
		int64_t now = (int64_t)time(NULL);

		if (!r && !(r = cert_record_new())) {
			rc = certs_errf(err, errlen, -ENOMEM, "out of memory");
			break;
		}
		if ((rc = cert_record_decode(or.v[i].record, or.v[i].len, r, lerr, sizeof(lerr)))) {
			certs_errf(err, errlen, rc, "open job %lld holds a bad record: %s",
			     (long long)or.v[i].id, lerr);
			break;
		}
		/* The ledger numbers, keys and chains it afresh. */
		r->seq = 0;
		r->cert_no[0] = r->key_fingerprint[0] = r->prev_sig[0] = '\0';
		r->result = CERT_INCOMPLETE;
		r->end = now > r->start ? now : r->start;
		r->duration_ms = (uint64_t)(r->end - r->start) * 1000u;
		snprintf(r->reason, sizeof(r->reason), "%s", INTERRUPTED_REASON);
		io.job_id = or.v[i].id;
		rc = certs_issue_record(ledger_path, r, &io, pdf, sizeof(pdf), err, errlen);
		if (rc == -EIO && r->cert_no[0])
			rc = 0;		/* the record stands; the PDF can be rendered later */
		if (rc)
			break;
		issued++;
		if (cb)
			cb(r, pdf, arg);
	}
	if (!rc && or.refused)
		rc = certs_errf(err, errlen, -EBADMSG, "%s%s is not signed by this station's key"
				" (inserted or altered): not certified; run certs verify", or.first,
				or.refused > 1 ? " and others" : "");
	for (i = 0; i < or.n; i++)
		free(or.v[i].record);
	free(or.v);
	cert_record_free(r);
	return rc ? rc : issued;
}
