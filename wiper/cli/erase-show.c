/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wiper erase: the confirmation, the progress lines and the results. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "wiper/cli/erase.h"

bool erase_confirm(struct target *t, size_t n)
{
	char line[64], sz[32];
	FILE *tty;
	size_t i;

	tty = fopen("/dev/tty", "r+");
	if (tty == NULL) {
		cli_err("no terminal to confirm on; pass --yes to erase without asking");
		return false;
	}
	fprintf(tty, "About to ERASE %zu device%s. Everything on %s will be lost:\n", n,
		n == 1 ? "" : "s", n == 1 ? "it" : "them");
	for (i = 0; i < n; i++)
		fprintf(tty, "  %-14s %-24s serial %-20s %s\n", t[i].m.disk.node,
			t[i].m.disk.model[0] ? t[i].m.disk.model : "(no model)",
			t[i].m.disk.serial[0] ? t[i].m.disk.serial : "(none)",
			wiper_size_str(t[i].m.disk.size_bytes, sz, sizeof(sz)));
	for (i = 0; i < n; i++)
		if (wiper_run_also(t[i].run)[0])
			fprintf(tty, "  %s: %s also erases %s\n", t[i].m.disk.node,
				wiper_tech_str(wiper_run_technique(t[i].run)), wiper_run_also(t[i].run));
	fprintf(tty, "Type 'yes' to erase: ");
	fflush(tty);
	if (fgets(line, sizeof(line), tty) == NULL) {
		fclose(tty);
		return false;
	}
	fclose(tty);
	return strcmp(line, "yes\n") == 0;
}

/* Format seconds as h:mm:ss. */
static const char *hms(double s, char *buf, size_t len)
{
	unsigned long t = s < 0 ? 0 : (unsigned long)(s + 0.5);

	if (s < 0)
		snprintf(buf, len, "--:--");
	else
		snprintf(buf, len, "%lu:%02lu:%02lu", t / 3600, t / 60 % 60, t % 60);
	return buf;
}

/* One JSON progress event. */
static void progress_json(const struct target *t, const struct wiper_progress *p)
{
	struct json_out j;

	json_init(&j, stdout, false);
	json_obj_begin(&j, NULL);
	json_str(&j, "event", "progress");
	json_str(&j, "device", t->m.disk.node);
	json_u64(&j, "pass", p->pass);
	json_u64(&j, "passes", p->npasses);
	json_bool(&j, "verifying", p->verifying);
	json_u64(&j, "done_bytes", p->done);
	json_u64(&j, "total_bytes", p->total);
	json_dbl(&j, "mb_per_s", p->rate / 1e6);
	json_dbl(&j, "eta_seconds", p->eta);
	json_u64(&j, "errors", p->errors);
	json_obj_end(&j);
	json_end(&j);
}

void erase_show_progress(struct target *t, size_t n, bool json, bool tty, bool first)
{
	size_t i;

	if (!json && !tty)
		return;
	if (tty && !json && !first)
		fprintf(stderr, "\033[%zuA", n);
	for (i = 0; i < n; i++) {
		struct wiper_progress p;
		bool have, done;
		char eta[32];

		pthread_mutex_lock(t[i].lock);
		p = t[i].last;
		have = t[i].have_progress;
		done = t[i].done;
		pthread_mutex_unlock(t[i].lock);
		if (json) {
			if (have && !done)
				progress_json(&t[i], &p);
			continue;
		}
		fprintf(stderr, "\r\033[K%-14s pass %u/%u %-7s %5.1f%% %8.1f MB/s  ETA %s  errors %" PRIu64 "%s\n",
			t[i].m.disk.node, p.pass, p.npasses, p.verifying ? "verify" : "write",
			p.total ? 100.0 * (double)p.done / (double)p.total : 0.0, p.rate / 1e6,
			hms(p.eta, eta, sizeof(eta)), p.errors, done ? "  done" : "");
	}
	fflush(stderr);
}

void erase_show_result(const struct wiper_job_result *r, bool json)
{
	char sz[32];

	if (json) {
		struct json_out j;

		json_init(&j, stdout, false);
		print_job_result_json(&j, r);
		return;
	}
	printf("%s: %s  %s: %s (%s, %s), %zu pass%s, verify %s, seed 0x%016" PRIx64 ", %.1f s%s%s\n",
	       r->node, wiper_outcome_str(r->outcome), r->label, r->method_title,
	       r->model[0] ? r->model : "no model", wiper_size_str(r->size_bytes, sz, sizeof(sz)),
	       r->npasses, r->npasses == 1 ? "" : "es", wiper_verify_str(r->verify), r->seed,
	       r->seconds, r->reason[0] ? ": " : "", r->reason);
}
