/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The runner's state, shared by run.c and run-checks.c only. */
#ifndef WIPER_RUN_IMPL_H
#define WIPER_RUN_IMPL_H

#include "wiper/run.h"

struct wiper_run {
	struct wiper_medium m;		/* as planned (no partition or holder arrays) */
	struct wiper_choice c;		/* borrowed pointers cleared */
	bool firmware;
	enum wiper_tech tech;
	enum wiper_label label;
	bool unadvertised;		/* --try-unsupported: sent although not advertised */
	struct wiper_pass passes[WIPER_PASSES_MAX];
	size_t npasses;
	enum wiper_verify_mode verify;
	char also[256];			/* other namespaces the technique erases */
	struct wiper_dev *dev;
	bool opened;
	struct wiper_job_result *res;
};

/* Does r->tech act on every namespace of the controller (or subsystem)? */
bool wiper_run_all_namespaces(const struct wiper_run *r);
/* List (into r->also) and check the other namespaces; -EPERM with the reason. */
int wiper_run_siblings(struct wiper_run *r, char *err, size_t errlen);
/* The same, with the system's state read again, right before the sanitize. */
int wiper_run_siblings_recheck(struct wiper_run *r, char *err, size_t errlen);
/* The node, read afresh: still erasable (-EPERM), the same device (-ESTALE), there (-ENODEV). */
int wiper_run_check_node(struct wiper_run *r, char *err, size_t errlen);
/* The device itself: the serial and size confirmed (-ESTALE otherwise). */
int wiper_run_check_identity(struct wiper_run *r, char *err, size_t errlen);

#endif
