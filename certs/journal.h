/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Interrupted jobs. A front end notes each job in the ledger before it
 * touches the medium and ends it with the job's certificate (one
 * transaction). When the station loses power, crashes or is killed, the job
 * stays open; the next start finds it (its process is gone, or the machine
 * was rebooted) and issues an INCOMPLETE certificate for it, so a medium
 * whose erasure was cut short is on record and is never taken for erased.
 */
#ifndef CERTS_JOURNAL_H
#define CERTS_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#include "certs/issue.h"

struct wiper_job_result;

/*
 * Note that the job of @res (medium and method filled in, not yet run)
 * begins. @who and @o as for certs_issue_opts(). The job id goes to @id;
 * pass it as cert_issue_opts.job_id when certifying the job. Runs
 * certs_preflight() first (certs/preflight.h) and builds the record by the
 * rules of certs/validate.h, so nothing is noted -- and a front end that
 * notes its job before the first write touches nothing -- when the
 * certificate could not be issued. 0 or -errno with one line in @err.
 */
int certs_job_begin(const char *ledger_path, const struct wiper_job_result *res,
		    const struct cert_people *who, const struct cert_issue_opts *o, int64_t *id,
		    char *err, size_t errlen);

/* Forget job @id without a certificate (it never ran). 0 or -errno. */
int certs_job_forget(const char *ledger_path, int64_t id, char *err, size_t errlen);

/*
 * Issue an INCOMPLETE certificate for every open job whose process is gone
 * (or whose machine has rebooted since). @cb (may be NULL) hears of each
 * certificate. Jobs of running processes are left alone. Returns the number
 * of certificates issued, or -errno with the reason in @err (certificates
 * issued before the error stand).
 */
int certs_job_recover(const char *ledger_path, const struct cert_issue_opts *o,
		      void (*cb)(const struct cert_record *r, const char *pdf_path, void *arg),
		      void *arg, char *err, size_t errlen);

#endif
