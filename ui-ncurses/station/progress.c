/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The whole job's progress from one pass's snapshot: every pass of the
 * method and every verification it asks for, weighed by the bytes each
 * moves, with the job's own rate and ETA. The one place the dashboard (and
 * anything else) reckons it.
 */
#include "config.h"

#include "ui-ncurses/station/station.h"

/* Bytes of pass @i and the verification after it. */
static double pass_bytes(enum wiper_verify_mode verify, size_t i, size_t n, uint64_t size)
{
	return (double)size + (double)wiper_verify_bytes(verify, i, n, size);
}

void ui_progress_whole(const struct wiper_progress *p, enum wiper_verify_mode verify,
		       uint64_t size, double elapsed, struct ui_whole *out)
{
	size_t n = p->npasses ? p->npasses : 1, cur = p->pass ? p->pass - 1 : 0, i;
	double total = 0, before = 0, phase, frac;

	if (cur >= n)
		cur = n - 1;
	for (i = 0; i < n; i++)
		total += pass_bytes(verify, i, n, size);
	for (i = 0; i < cur; i++)
		before += pass_bytes(verify, i, n, size);
	phase = (double)size;
	if (p->verifying) {
		before += (double)size;
		/* A firmware job's sample check is not in the method's plan: weigh it all the same. */
		if (wiper_verify_bytes(verify, cur, n, size))
			phase = (double)wiper_verify_bytes(verify, cur, n, size);
		else
			total += phase;
	}
	frac = p->total ? (double)p->done / (double)p->total : 0;
	if (frac > 1)
		frac = 1;
	out->pass_frac = frac;
	out->done = before + frac * phase;
	out->total = total;
	out->frac = total > 0 ? out->done / total : 0;
	if (out->frac > 1)
		out->frac = 1;
	out->rate = elapsed > 0 ? out->done / elapsed : 0;
	out->eta = out->rate > 0 ? (total - out->done) / out->rate : -1;
}
