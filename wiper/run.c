/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The one erase path: plan (technique and passes, chosen once), open (the
 * same medium, still erasable), exec (hidden areas, siblings, the job, the
 * capacity at the end). See wiper/run.h; the checks against the system's
 * state are in run-checks.c.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wiper/dev.h"
#include "wiper/run-impl.h"
#include "wiper/sanitize.h"

/* Pick the firmware technique for @c from the capabilities, or refuse. */
static int choose_technique(struct wiper_run *r, const struct wiper_choice *c, char *err,
			    size_t errlen)
{
	const struct wiper_medium *m = &r->m;
	char why[400];
	size_t i;

	if (c->kind == WIPER_CHOOSE_PURGE || c->kind == WIPER_CHOOSE_RECOMMENDED) {
		if (wiper_purge_pick(&m->caps, &m->disk, &r->tech, why, sizeof(why)) != 0) {
			snprintf(err, errlen, "%s: refusing --method purge: %s", m->disk.node, why);
			return -EOPNOTSUPP;
		}
		r->label = WIPER_LABEL_PURGE;
		return 0;
	}
	for (i = 0; i < m->caps.n; i++)
		if (m->caps.cap[i].tech == c->tech) {
			if (!m->caps.cap[i].usable) {
				snprintf(err, errlen, "%s: %s is blocked: %s", m->disk.node,
					 wiper_tech_str(c->tech), m->caps.cap[i].blocked);
				return -EOPNOTSUPP;
			}
			r->tech = c->tech;
			r->label = m->caps.cap[i].label;
			return 0;
		}
	/* Only SANITIZE commands may be tried unadvertised; never erase or format. */
	if (c->try_unsupported && c->tech <= WIPER_TECH_SCSI_SAN_OVERWRITE) {
		r->tech = c->tech;
		r->label = WIPER_LABEL_PURGE;
		r->unadvertised = true;
		return 0;
	}
	snprintf(err, errlen, "%s: the device does not support %s", m->disk.node,
		 wiper_tech_str(c->tech));
	return -EOPNOTSUPP;
}

/* Build the host overwrite passes for @c; Clear is one pass of zeros read back in full. */
static int build_passes(struct wiper_run *r, const struct wiper_choice *c, char *err,
			size_t errlen)
{
	struct wiper_job_result *res = r->res;
	const struct wiper_method *m = c->method;
	unsigned rounds = c->rounds ? c->rounds : 1;
	enum wiper_verify_mode verify;
	int n;

	if (c->kind != WIPER_CHOOSE_OVERWRITE || (m == NULL && c->defs == NULL)) {
		m = wiper_method_find("zero");
		if (m == NULL) {
			snprintf(err, errlen, "the zero method is missing from this build");
			return -ENOENT;
		}
		rounds = 1;
		verify = c->verify_set ? c->verify : WIPER_VERIFY_ALL;
	} else if (m) {
		verify = c->verify_set ? c->verify : m->default_verify;
	} else {
		verify = c->verify_set ? c->verify : WIPER_VERIFY_LAST;
	}
	if (m)
		n = wiper_method_resolve(m->passes, m->npasses, m->shuffle_middle, rounds, c->seed,
					 r->passes, WIPER_PASSES_MAX);
	else
		n = wiper_method_resolve(c->defs, c->ndefs, false, rounds, c->seed, r->passes,
					 WIPER_PASSES_MAX);
	if (n <= 0) {
		snprintf(err, errlen, "%s: cannot build the passes (too many rounds?)",
			 m ? m->name : "custom passes");
		return -EINVAL;
	}
	r->npasses = (size_t)n;
	r->verify = verify;
	snprintf(res->method, sizeof(res->method), "%s", m ? m->name : "custom");
	snprintf(res->method_title, sizeof(res->method_title), "%s",
		 m ? m->title : c->custom_title ? c->custom_title : "custom passes");
	snprintf(res->label, sizeof(res->label), "Clear");
	res->rounds = rounds;
	res->verify = verify;
	return 0;
}

int wiper_run_plan(const struct wiper_medium *m, const struct wiper_choice *c,
		   struct wiper_run **out, char *err, size_t errlen)
{
	struct wiper_job_result *res;
	struct wiper_run *r;
	int rc;

	*out = NULL;
	err[0] = '\0';
	if (m->disk.excl != WIPER_EXCL_NONE) {
		snprintf(err, errlen, "%s: refusing to erase: %s", m->disk.node, m->disk.excl_reason);
		return -EPERM;
	}
	r = calloc(1, sizeof(*r));
	if (r == NULL || (r->res = calloc(1, sizeof(*r->res))) == NULL) {
		free(r);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	wiper_medium_copy_shallow(&r->m, m);
	r->c = *c;
	r->c.method = NULL;	/* borrowed pointers are used here only */
	r->c.defs = NULL;
	r->c.custom_title = NULL;
	res = r->res;
	snprintf(res->node, sizeof(res->node), "%s", m->disk.node);
	snprintf(res->model, sizeof(res->model), "%s", m->disk.model);
	snprintf(res->serial, sizeof(res->serial), "%s", m->disk.serial);
	snprintf(res->transport, sizeof(res->transport), "%s", wiper_transport_str(m->disk.transport));
	res->size_bytes = m->disk.size_bytes;
	res->logical_block = m->disk.logical_block;
	res->physical_block = m->disk.physical_block;
	res->seed = c->seed;
	res->rounds = 1;

	r->firmware = c->kind == WIPER_CHOOSE_PURGE || c->kind == WIPER_CHOOSE_TECH;
	if (c->kind == WIPER_CHOOSE_RECOMMENDED) {
		/* Purge where the medium offers one; otherwise Clear. */
		char ignore[8];

		r->firmware = choose_technique(r, c, ignore, sizeof(ignore)) == 0;
	} else if (r->firmware) {
		rc = choose_technique(r, c, err, errlen);
		if (rc < 0)
			goto fail;
	}
	if (r->firmware) {
		snprintf(res->technique, sizeof(res->technique), "%s", wiper_tech_key(r->tech));
		snprintf(res->method, sizeof(res->method), "%s",
			 c->kind == WIPER_CHOOSE_TECH ? wiper_tech_key(r->tech) : "purge");
		snprintf(res->method_title, sizeof(res->method_title), "%s", wiper_tech_str(r->tech));
		snprintf(res->label, sizeof(res->label), "%s", wiper_label_str(r->label));
		res->verify = WIPER_VERIFY_SAMPLE;
		rc = wiper_run_siblings(r, err, errlen);
	} else {
		rc = build_passes(r, c, err, errlen);
	}
	if (rc < 0)
		goto fail;
	*out = r;
	return 0;
fail:
	wiper_run_free(r);
	return rc;
}

int wiper_run_open(struct wiper_run *r, char *err, size_t errlen)
{
	int rc;

	err[0] = '\0';
	if (r->dev == NULL) {
		rc = wiper_dev_open(r->m.disk.node, WIPER_OPEN_WRITE | WIPER_OPEN_DIRECT, &r->dev, err,
				    errlen);
		if (rc < 0)
			return rc;
		/* Held O_EXCL now: what the system says of the node cannot change under us. */
		rc = wiper_run_check_node(r, err, errlen);
		if (rc < 0)
			goto fail;
	}
	rc = wiper_run_check_identity(r, err, errlen);
	if (rc < 0)
		goto fail;
	r->opened = true;
	return 0;
fail:
	wiper_dev_close(r->dev);
	r->dev = NULL;
	return rc;
}

void wiper_run_take_dev(struct wiper_run *r, struct wiper_dev *dev)
{
	if (r->dev)
		wiper_dev_close(r->dev);
	r->dev = dev;
}

/* End a job that could not run with INCOMPLETE and the reason @why (the first stands). */
static void not_run(struct wiper_job_result *res, const char *why)
{
	res->outcome = WIPER_INCOMPLETE;
	if (!res->reason[0])
		snprintf(res->reason, sizeof(res->reason), "%s", why);
	if (!res->start)
		res->start = time(NULL);
	res->end = time(NULL);
}

/* The firmware technique, with the sibling namespaces re-checked right before it. */
static int exec_sanitize(struct wiper_run *r)
{
	struct wiper_sanitize_opts so;
	char why[256];
	int rc;

	rc = wiper_run_siblings_recheck(r, why, sizeof(why));
	if (rc < 0) {
		not_run(r->res, why);
		return 0;
	}
	memset(&so, 0, sizeof(so));
	so.poll_ms = r->c.poll_ms;
	so.deadline_ms = r->c.deadline_ms;
	so.seed = r->c.seed;
	so.progress = r->c.progress;
	so.progress_arg = r->c.progress_arg;
	so.cancel = r->c.cancel;
	so.try_unsupported = r->unadvertised;
	so.planned = true;
	so.label = r->label;
	return wiper_sanitize_run(r->dev, &r->m.disk, &r->m.id, r->tech, &so, r->res);
}

/* Host overwrite: hidden areas first, so the passes and the read-back reach every sector. */
static int exec_overwrite(struct wiper_run *r)
{
	struct wiper_job_opts o;

	r->res->outcome = WIPER_PASSED;
	wiper_hidden_restore(r->dev, &r->m.disk, &r->m.id, r->res);
	if (r->res->outcome != WIPER_PASSED) {
		r->res->start = r->res->end = time(NULL);
		return 0;
	}
	memset(&o, 0, sizeof(o));
	o.passes = r->passes;
	o.npasses = r->npasses;
	o.verify = r->verify;
	o.prng = r->c.prng;
	o.request_bytes = r->c.request_bytes;
	o.queue_depth = r->c.queue_depth;
	o.buffer_bytes = r->c.buffer_bytes;
	o.progress = r->c.progress;
	o.progress_arg = r->c.progress_arg;
	o.cancel = r->c.cancel;
	return wiper_job_run(r->dev, &o, r->res);
}

/*
 * A job covers the capacity it saw; should the device now report another
 * (a loop device re-sized, a hidden area set again, a LUN grown), sectors
 * went unwritten or unverified: never PASSED, and the reason says what.
 */
static void check_capacity(struct wiper_run *r)
{
	struct wiper_job_result *res = r->res;
	uint64_t covered = wiper_dev_geom(r->dev)->size_bytes, now = 0;
	char a[32], b[32];
	int rc;

	rc = wiper_dev_capacity(r->dev, &now);
	if (rc == -EOPNOTSUPP || rc == -ENODEV || res->outcome != WIPER_PASSED)
		return;
	if (rc < 0) {
		res->outcome = WIPER_INCOMPLETE;
		snprintf(res->reason, sizeof(res->reason),
			 "the capacity could not be read back after the erase: %s", strerror(-rc));
		return;
	}
	if (now == covered)
		return;
	res->outcome = WIPER_FAILED;
	snprintf(res->reason, sizeof(res->reason),
		 "the capacity changed during the erase: %s (%" PRIu64 " bytes) erased, the device "
		 "reports %s (%" PRIu64 " bytes) now; %s", wiper_size_str(covered, a, sizeof(a)),
		 covered, wiper_size_str(now, b, sizeof(b)), now,
		 now > covered ? "the sectors past the old end were not erased"
			       : "erase it again at its present size");
}

int wiper_run_exec(struct wiper_run *r)
{
	struct wiper_job_result *res = r->res;
	const struct wiper_geom *g;
	int rc;

	if (!r->opened || r->dev == NULL) {
		not_run(res, "could not run: the device was not opened");
		return -EBADF;
	}
	rc = r->firmware ? exec_sanitize(r) : exec_overwrite(r);
	if (rc < 0) {
		char why[128];

		snprintf(why, sizeof(why), "could not run: %s", strerror(-rc));
		not_run(res, why);
	} else {
		check_capacity(r);
	}
	g = wiper_dev_geom(r->dev);
	if (!res->logical_block)
		res->logical_block = g->logical_block;
	if (!res->physical_block)
		res->physical_block = g->physical_block ? g->physical_block : r->m.disk.physical_block;
	wiper_dev_close(r->dev);
	r->dev = NULL;
	return rc;
}

bool wiper_run_recommended(const struct wiper_medium *m, enum wiper_tech *tech)
{
	char why[400];

	return m->disk.excl == WIPER_EXCL_NONE &&
	       wiper_purge_pick(&m->caps, &m->disk, tech, why, sizeof(why)) == 0;
}

struct wiper_job_result *wiper_run_result(struct wiper_run *r)
{
	return r->res;
}

const struct wiper_medium *wiper_run_medium(const struct wiper_run *r)
{
	return &r->m;
}

bool wiper_run_firmware(const struct wiper_run *r)
{
	return r->firmware;
}

enum wiper_tech wiper_run_technique(const struct wiper_run *r)
{
	return r->firmware ? r->tech : WIPER_TECH_OVERWRITE;
}

const char *wiper_run_also(const struct wiper_run *r)
{
	return r->also;
}

size_t wiper_run_passes(const struct wiper_run *r, const struct wiper_pass **passes)
{
	*passes = r->passes;
	return r->npasses;
}

void wiper_run_free(struct wiper_run *r)
{
	if (r == NULL)
		return;
	if (r->dev)
		wiper_dev_close(r->dev);
	free(r->res);
	free(r);
}
