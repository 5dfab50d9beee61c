/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wiper erase / wiper verify: the overwrite engine from the command line. */
#include "config.h"

#include <errno.h>
#include <dirent.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "wiper/cli/cli.h"
#include "wiper/job.h"
#include "wiper/sanitize.h"

#define MAX_DEVICES 64

static atomic_bool cancel_flag;

/* SIGINT/SIGTERM: ask every job to stop; they end INCOMPLETE. */
static void on_signal(int sig)
{
	(void)sig;
	atomic_store(&cancel_flag, true);
}

struct target {
	struct cli_medium m;
	struct wiper_dev *dev;
	struct wiper_job_result *res;
	struct wiper_job_opts opts;
	bool firmware;			/* a sanitize technique, not host overwrite */
	char also[256];			/* other namespaces the technique erases too */
	enum wiper_tech tech;
	struct wiper_sanitize_opts sopts;
	pthread_t thread;
	int rc;
	int64_t job_id;			/* open job in the ledger, 0 without one */
	pthread_mutex_t lock;
	struct wiper_progress last;	/* latest snapshot, under lock */
	bool have_progress;
	bool done;
};

/* Progress callback, on the job's thread: keep the latest snapshot. */
static void on_progress(const struct wiper_progress *p, void *arg)
{
	struct target *t = arg;

	pthread_mutex_lock(&t->lock);
	t->last = *p;
	t->have_progress = true;
	pthread_mutex_unlock(&t->lock);
}

/* The per-device worker thread. */
static void *worker(void *arg)
{
	struct target *t = arg;

	if (t->firmware) {
		t->rc = wiper_sanitize_run(t->dev, &t->m.disk, &t->m.id, t->tech, &t->sopts, t->res);
	} else {
		/* Host overwrite must reach hidden sectors too, or the job cannot pass. */
		wiper_hidden_restore(t->dev, &t->m.disk, &t->m.id, t->res);
		if (t->res->outcome == WIPER_PASSED) {
			t->rc = wiper_job_run(t->dev, &t->opts, t->res);
		} else {
			t->res->start = t->res->end = time(NULL);
			t->rc = 0;
		}
	}
	pthread_mutex_lock(&t->lock);
	t->done = true;
	pthread_mutex_unlock(&t->lock);
	return NULL;
}

/* Print the usage of erase. */
static void erase_usage(FILE *f)
{
	size_t n, i;
	const struct wiper_method *m = wiper_methods(&n);

	fprintf(f, "Usage: %s erase [OPTIONS] DEV...\n\n"
		   "Overwrite every named device, one worker each, then verify.\n\n"
		   "  -m, --method NAME      purge, clear, a technique (see 'wiper info'), or an\n"
		   "                         overwrite method below (default: zero)\n"
		   "  -p, --pattern HEX,...  custom passes instead of a method (e.g. 00,ff,random)\n"
		   "  -v, --verify MODE      none | last | all | sample (default: the method's)\n"
		   "  -r, --rounds N         repeat the method's passes N times\n"
		   "      --seed N           master seed for random data (default: fresh)\n"
		   "  -y, --yes              do not ask for confirmation\n"
		   "      --json             JSON lines: progress events and one result per device\n"
		   "      --request-size N   bytes per I/O request (default 1 MiB)\n"
		   "      --queue-depth N    requests in flight per device (default 8)\n"
		   "      --prng IMPL        portable | avx2 | avx512 (default: fastest)\n"
		   "      --try-unsupported  diagnostics: send a named sanitize the device does not\n"
		   "                         advertise, to record its refusal\n"
		   "      --ledger PATH      issue a signed certificate per device into this ledger\n"
		   "      --operator \"NAME[, ROLE]\"  --witness \"NAME[, ROLE]\"   who did it, who saw it\n"
		   "      --asset N  --owner UNIT  --classification C  --destination WHERE\n"
		   "                         certificate fields (destination: internal-reuse,\n"
		   "                         external-reuse, recycling, destruction, manufacturer, other)\n\n"
		   "  purge   the strongest firmware sanitize the device supports (NIST Purge),\n"
		   "          verified by comparing sampled blocks before and after; refused when\n"
		   "          the device has none\n"
		   "  clear   one pass of zeros, read back in full (NIST Clear)\n\n"
		   "Overwrite methods (all are Clear per NIST SP 800-88):\n", prog);
	for (i = 0; i < n; i++)
		fprintf(f, "  %-20s %s\n", m[i].name, m[i].title);
	fprintf(f, "\nExit status: 0 when every device PASSED, 1 when any FAILED or is INCOMPLETE,\n"
		   "2 for usage errors or refused devices.\n");
}

/* Parse an unsigned number with optional K/M/G suffix. */
static int parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s)
		return -EINVAL;
	switch (*end) {
	case 'k': case 'K': v <<= 10; end++; break;
	case 'm': case 'M': v <<= 20; end++; break;
	case 'g': case 'G': v <<= 30; end++; break;
	}
	if (*end)
		return -EINVAL;
	*out = v;
	return 0;
}

/* Resolve @path to a medium and refuse what must never be erased. */
static int prepare_target(const char *path, struct target *t)
{
	struct wiper_sysstate st;
	struct wiper_devview v;
	char err[256];
	int rc;

	rc = wiper_view_from_path(path, &v, err, sizeof(err));
	if (rc < 0) {
		cli_err("%s", err);
		return EXIT_USAGE;
	}
	rc = wiper_disk_from_view(&v, true, &t->m.disk);
	wiper_devview_done(&v);
	if (rc < 0) {
		cli_err("%s: not a medium Tabula erases", path);
		return EXIT_USAGE;
	}
	snprintf(t->m.disk.node, sizeof(t->m.disk.node), "%s", path);
	wiper_content_probe(t->m.disk.node, t->m.disk.name, &t->m.disk.content);
	rc = wiper_sysstate_read(&st);
	if (rc < 0) {
		cli_err("cannot read mount and swap state: %s", strerror(-rc));
		return EXIT_FAIL;
	}
	wiper_exclude_apply(&st, &t->m.disk);
	wiper_sysstate_done(&st);
	if (t->m.disk.excl != WIPER_EXCL_NONE) {
		cli_err("%s: refusing to erase: %s", path, t->m.disk.excl_reason);
		return EXIT_USAGE;
	}
	cli_medium_probe(&t->m);
	return EXIT_OK;
}

/*
 * Is the device now open for writing the one the operator confirmed? A disk
 * replugged while the prompt waited can come back under the same name with
 * the same device number: the kernel's disk sequence number and the serial
 * the device itself reports tell them apart.
 */
static bool same_medium(struct target *t)
{
	struct wiper_identity id;
	struct wiper_devview v;
	struct wiper_disk now;
	char err[256];
	bool same = true;

	if (wiper_view_from_path(t->m.disk.node, &v, err, sizeof(err)) < 0) {
		cli_err("%s: vanished after confirmation: %s", t->m.disk.node, err);
		return false;
	}
	if (wiper_disk_from_view(&v, true, &now) == 0) {
		if (now.devnum != t->m.disk.devnum ||
		    (t->m.disk.diskseq && now.diskseq != t->m.disk.diskseq))
			same = false;
		wiper_disk_done(&now);
	} else {
		same = false;
	}
	wiper_devview_done(&v);
	if (same && t->m.disk.serial[0] && t->m.identified) {
		memset(&now, 0, sizeof(now));
		now.transport = t->m.disk.transport;
		snprintf(now.serial, sizeof(now.serial), "%s", t->m.disk.serial);
		if (wiper_identify(t->dev, &now, &id) == 0 && now.serial[0] &&
		    strcmp(now.serial, t->m.disk.serial) != 0)
			same = false;
	}
	if (!same)
		cli_err("%s: a different medium is there now (replugged?); nothing was erased, "
			"confirm again", t->m.disk.node);
	return same;
}

/* Ask the operator to confirm, naming every device. */
static bool confirm(struct target *t, size_t n)
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
		if (t[i].also[0])
			fprintf(tty, "  %s: %s also erases %s\n", t[i].m.disk.node,
				wiper_tech_str(t[i].tech), t[i].also);
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

/* Print one progress line per device (TTY) or JSON progress events. */
static void show_progress(struct target *t, size_t n, bool json, bool tty, bool first)
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

		pthread_mutex_lock(&t[i].lock);
		p = t[i].last;
		have = t[i].have_progress;
		done = t[i].done;
		pthread_mutex_unlock(&t[i].lock);
		if (json) {
			struct json_out j;

			if (!have || done)
				continue;
			json_init(&j, stdout, false);
			json_obj_begin(&j, NULL);
			json_str(&j, "event", "progress");
			json_str(&j, "device", t[i].m.disk.node);
			json_u64(&j, "pass", p.pass);
			json_u64(&j, "passes", p.npasses);
			json_bool(&j, "verifying", p.verifying);
			json_u64(&j, "done_bytes", p.done);
			json_u64(&j, "total_bytes", p.total);
			json_dbl(&j, "mb_per_s", p.rate / 1e6);
			json_dbl(&j, "eta_seconds", p.eta);
			json_u64(&j, "errors", p.errors);
			json_obj_end(&j);
			json_end(&j);
		} else {
			fprintf(stderr, "\r\033[K%-14s pass %u/%u %-7s %5.1f%% %8.1f MB/s  ETA %s  errors %" PRIu64 "%s\n",
				t[i].m.disk.node, p.pass, p.npasses, p.verifying ? "verify" : "write",
				p.total ? 100.0 * (double)p.done / (double)p.total : 0.0, p.rate / 1e6,
				hms(p.eta, eta, sizeof(eta)), p.errors, done ? "  done" : "");
		}
	}
	fflush(stderr);
}

/* Build the pass list from --method / --pattern. */
static int build_passes(const char *method, const char *pattern, unsigned rounds, uint64_t seed,
			struct wiper_pass *passes, const struct wiper_method **mout,
			enum wiper_verify_mode *vdefault)
{
	struct wiper_pass_def defs[WIPER_PASSES_MAX];
	const struct wiper_method *m = NULL;
	char err[128];
	int n;

	if (pattern) {
		n = wiper_pattern_parse(pattern, defs, WIPER_PASSES_MAX, err, sizeof(err));
		if (n < 0) {
			cli_err("--pattern: %s", err);
			return -EINVAL;
		}
		*vdefault = WIPER_VERIFY_LAST;
		n = wiper_method_resolve(defs, (size_t)n, false, rounds, seed, passes, WIPER_PASSES_MAX);
	} else {
		m = wiper_method_find(method);
		if (m == NULL) {
			cli_err("unknown method '%s' (see '%s erase --help')", method, prog);
			return -EINVAL;
		}
		*vdefault = m->default_verify;
		n = wiper_method_resolve(m->passes, m->npasses, m->shuffle_middle, rounds, seed,
					 passes, WIPER_PASSES_MAX);
	}
	if (n <= 0) {
		cli_err("cannot build the passes (too many rounds?)");
		return -EINVAL;
	}
	*mout = m;
	return n;
}

/* Options shared by erase and verify. */
struct run_opts {
	const char *method;
	const char *pattern;
	enum wiper_verify_mode verify;
	bool verify_set;
	unsigned rounds;
	uint64_t seed;
	bool seed_set;
	bool yes, json;
	bool try_unsupported;
	struct cli_cert_fields cert;
	uint64_t request;
	unsigned qd;
	enum wiper_prng_impl prng;
};

/* Parse the options; returns the index of the first device or -1. */
static int parse_opts(int argc, char **argv, struct run_opts *ro, bool is_verify)
{
	static const struct option opts[] = {
		{ "method", required_argument, NULL, 'm' },
		{ "pattern", required_argument, NULL, 'p' },
		{ "verify", required_argument, NULL, 'v' },
		{ "rounds", required_argument, NULL, 'r' },
		{ "seed", required_argument, NULL, 'S' },
		{ "yes", no_argument, NULL, 'y' },
		{ "json", no_argument, NULL, 'j' },
		{ "request-size", required_argument, NULL, 'R' },
		{ "queue-depth", required_argument, NULL, 'Q' },
		{ "prng", required_argument, NULL, 'P' },
		{ "sample", no_argument, NULL, 's' },
		{ "try-unsupported", no_argument, NULL, 'U' },
		{ "ledger", required_argument, NULL, 'L' },
		{ "operator", required_argument, NULL, 'O' },
		{ "witness", required_argument, NULL, 'W' },
		{ "asset", required_argument, NULL, 'A' },
		{ "owner", required_argument, NULL, 'o' },
		{ "classification", required_argument, NULL, 'C' },
		{ "destination", required_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t v;
	int c;

	memset(ro, 0, sizeof(*ro));
	ro->method = "zero";
	ro->rounds = 1;
	ro->verify = WIPER_VERIFY_LAST;
	optind = 1;
	opterr = 0; /* our own one-line message below */
	while ((c = getopt_long(argc, argv, "m:p:v:r:yjh", opts, NULL)) != -1) {
		switch (c) {
		case 'm': ro->method = optarg; break;
		case 'p': ro->pattern = optarg; break;
		case 'v':
			if (wiper_verify_parse(optarg, &ro->verify) < 0) {
				cli_err("--verify: expected none, last, all or sample, not '%s'", optarg);
				return -1;
			}
			ro->verify_set = true;
			break;
		case 'r':
			if (parse_size(optarg, &v) < 0 || v < 1 || v > 100) {
				cli_err("--rounds: expected 1 to 100, not '%s'", optarg);
				return -1;
			}
			ro->rounds = (unsigned)v;
			break;
		case 'S':
			if (parse_size(optarg, &v) < 0) {
				cli_err("--seed: expected a number, not '%s'", optarg);
				return -1;
			}
			ro->seed = v;
			ro->seed_set = true;
			break;
		case 'y': ro->yes = true; break;
		case 'j': ro->json = true; break;
		case 'R':
			if (parse_size(optarg, &v) < 0 || v < 4096 || v % 4096 || v > (256u << 20)) {
				cli_err("--request-size: expected a multiple of 4096 up to 256M, not '%s'",
					optarg);
				return -1;
			}
			ro->request = v;
			break;
		case 'Q':
			if (parse_size(optarg, &v) < 0 || v < 1 || v > 64) {
				cli_err("--queue-depth: expected 1 to 64, not '%s'", optarg);
				return -1;
			}
			ro->qd = (unsigned)v;
			break;
		case 'P':
			if (strcmp(optarg, "portable") == 0)
				ro->prng = WIPER_PRNG_PORTABLE;
			else if (strcmp(optarg, "avx2") == 0)
				ro->prng = WIPER_PRNG_AVX2;
			else if (strcmp(optarg, "avx512") == 0)
				ro->prng = WIPER_PRNG_AVX512;
			else {
				cli_err("--prng: expected portable, avx2 or avx512, not '%s'", optarg);
				return -1;
			}
			if (!wiper_prng_supported(ro->prng)) {
				cli_err("--prng %s: not supported by this CPU", optarg);
				return -1;
			}
			break;
		case 'U':
			ro->try_unsupported = true;
			break;
		case 'L': ro->cert.ledger = optarg; break;
		case 'O': ro->cert.operator_ = optarg; break;
		case 'W': ro->cert.witness = optarg; break;
		case 'A': ro->cert.asset = optarg; break;
		case 'o': ro->cert.owner = optarg; break;
		case 'C': ro->cert.classification = optarg; break;
		case 'D':
			if (cli_parse_destination(optarg, NULL) < 0) {
				cli_err("--destination: expected internal-reuse, external-reuse, recycling, "
					"destruction, manufacturer or other, not '%s'", optarg);
				return -1;
			}
			ro->cert.destination = optarg;
			break;
		case 's':
			ro->verify = WIPER_VERIFY_SAMPLE;
			ro->verify_set = true;
			break;
		case 'h':
			if (is_verify)
				printf("Usage: %s verify --method NAME [--pattern HEX,...] [--seed N] [--sample] [--json] DEV\n\n"
				       "Re-check DEV against the final pass of a method (random passes need\n"
				       "the --seed an erase reported). Exit 0 when it matches everywhere.\n",
				       prog);
			else
				erase_usage(stdout);
			exit(EXIT_OK);
		default:
			cli_err("%s: unknown option (try '%s %s --help')", is_verify ? "verify" : "erase",
				prog, is_verify ? "verify" : "erase");
			return -1;
		}
	}
	if (optind >= argc) {
		cli_err("%s: name at least one device", is_verify ? "verify" : "erase");
		return -1;
	}
	if (ro->cert.ledger && (ro->cert.operator_ == NULL || ro->cert.witness == NULL)) {
		cli_err("erase: --ledger needs --operator NAME and --witness NAME for the certificate");
		return -1;
	}
	return optind;
}

/* All I/O buffers of all devices together stay within this. */
#define BUFFER_BUDGET (48u << 20)

/*
 * Many devices at once share one buffer budget: keep two requests in flight
 * per device (generation overlaps I/O) and shrink the request size before the
 * queue depth. Explicit --request-size / --queue-depth are left alone.
 */
static void fit_memory_budget(struct run_opts *ro, unsigned ndev)
{
	uint64_t req = ro->request ? ro->request : WIPER_DEFAULT_REQUEST;
	unsigned qd = ro->qd ? ro->qd : WIPER_DEFAULT_QUEUE_DEPTH;
	uint64_t per_dev = BUFFER_BUDGET / (ndev ? ndev : 1);

	if (ro->request || ro->qd || req * qd <= per_dev)
		return;
	/* Fewer requests in flight first; below two, smaller requests. */
	qd = (unsigned)(per_dev / req);
	if (qd < 2) {
		qd = 2;
		req = per_dev / 2 / 4096 * 4096;
		if (req < (256u << 10))
			req = 256u << 10;
	}
	ro->request = req;
	ro->qd = qd;
}

/* Is @key the name of a firmware technique ("nvme-sanitize-crypto")? */
static bool tech_from_key(const char *key, enum wiper_tech *out)
{
	int t;

	for (t = 0; t < WIPER_TECH_COUNT; t++)
		if (t != WIPER_TECH_OVERWRITE && strcmp(key, wiper_tech_key((enum wiper_tech)t)) == 0) {
			*out = (enum wiper_tech)t;
			return true;
		}
	return false;
}

/*
 * NVMe Sanitize acts on the whole subsystem, and Format on every namespace
 * when FNA says so: every sibling namespace must pass the exclusions too,
 * and is named in the confirmation.
 */
static int check_siblings(struct target *t)
{
	bool all = t->tech == WIPER_TECH_NVME_SAN_CRYPTO || t->tech == WIPER_TECH_NVME_SAN_BLOCK ||
		   t->tech == WIPER_TECH_NVME_SAN_OVERWRITE ||
		   ((t->tech == WIPER_TECH_NVME_FORMAT_CRYPTO || t->tech == WIPER_TECH_NVME_FORMAT_USER) &&
		    (t->m.id.nvme.fna_format_all || t->m.id.nvme.fna_secure_all));
	struct wiper_sysstate st;
	char ctrl[512], *slash;
	struct dirent *de;
	DIR *dir;
	int rc = 0;

	if (!all || t->m.disk.syspath[0] == '\0')
		return 0;
	snprintf(ctrl, sizeof(ctrl), "%s", t->m.disk.syspath);
	slash = strrchr(ctrl, '/');
	if (slash == NULL)
		return 0;
	*slash = '\0';
	dir = opendir(ctrl);
	if (dir == NULL)
		return 0;
	if (wiper_sysstate_read(&st) < 0) {
		closedir(dir);
		cli_err("%s: cannot read mount state to check the other namespaces", t->m.disk.node);
		return -1;
	}
	while ((de = readdir(dir)) != NULL && rc == 0) {
		unsigned a, b;
		char tail, node[300], err[256];
		struct wiper_devview v;
		struct wiper_disk sib;

		if (sscanf(de->d_name, "nvme%un%u%c", &a, &b, &tail) != 2 ||
		    strcmp(de->d_name, t->m.disk.name) == 0)
			continue;
		snprintf(node, sizeof(node), "/dev/%s", de->d_name);
		if (wiper_view_from_path(node, &v, err, sizeof(err)) < 0)
			continue;
		if (wiper_disk_from_view(&v, true, &sib) == 0) {
			wiper_content_probe(node, sib.name, &sib.content);
			wiper_exclude_apply(&st, &sib);
			if (sib.excl != WIPER_EXCL_NONE) {
				cli_err("%s: refusing %s: it also erases namespace %s, which is %s",
					t->m.disk.node, wiper_tech_str(t->tech), node, sib.excl_reason);
				rc = -1;
			} else {
				size_t len = strlen(t->also);

				snprintf(t->also + len, sizeof(t->also) - len, "%s%s", len ? ", " : "", node);
			}
			wiper_disk_done(&sib);
		}
		wiper_devview_done(&v);
	}
	closedir(dir);
	wiper_sysstate_done(&st);
	return rc;
}

/* Pick the technique for @t: the purge ladder, or the one named, if usable. */
static int choose_technique(struct target *t, const char *method, enum wiper_tech named,
			    bool try_unsupported)
{
	char why[400];
	size_t i;

	if (strcmp(method, "purge") == 0) {
		if (wiper_purge_pick(&t->m.caps, &t->m.disk, &t->tech, why, sizeof(why)) != 0) {
			cli_err("%s: refusing --method purge: %s", t->m.disk.node, why);
			return -1;
		}
		return 0;
	}
	for (i = 0; i < t->m.caps.n; i++)
		if (t->m.caps.cap[i].tech == named) {
			if (!t->m.caps.cap[i].usable) {
				cli_err("%s: %s is blocked: %s", t->m.disk.node, wiper_tech_str(named),
					t->m.caps.cap[i].blocked);
				return -1;
			}
			t->tech = named;
			return 0;
		}
	/* Only SANITIZE commands may be tried unadvertised; never erase or format. */
	if (try_unsupported && named <= WIPER_TECH_SCSI_SAN_OVERWRITE) {
		t->tech = named;
		return 0;
	}
	cli_err("%s: the device does not support %s", t->m.disk.node, wiper_tech_str(named));
	return -1;
}

int cmd_erase(int argc, char **argv)
{
	static struct wiper_pass passes[WIPER_PASSES_MAX];
	enum wiper_verify_mode vdefault;
	const struct wiper_method *m = NULL;
	enum wiper_tech tech = WIPER_TECH_OVERWRITE;
	struct target *t;
	struct run_opts ro;
	struct sigaction sa;
	bool tty = isatty(STDERR_FILENO), first = true, firmware;
	int first_dev, npasses = 0, ndev, i, rc = EXIT_OK;

	first_dev = parse_opts(argc, argv, &ro, false);
	if (first_dev < 0)
		return EXIT_USAGE;
	ndev = argc - first_dev;
	if (ndev > MAX_DEVICES) {
		cli_err("erase: at most %d devices at once", MAX_DEVICES);
		return EXIT_USAGE;
	}
	/* 53 bits: the seed must survive JSON readers that use doubles (jq, JS). */
	if (!ro.seed_set)
		ro.seed = wiper_prng_new_seed() & ((1ULL << 53) - 1);
	firmware = !ro.pattern && (strcmp(ro.method, "purge") == 0 || tech_from_key(ro.method, &tech));
	if (!ro.pattern && strcmp(ro.method, "clear") == 0) {
		/* NIST Clear: one fixed pass, read back in full. */
		ro.method = "zero";
		if (!ro.verify_set) {
			ro.verify = WIPER_VERIFY_ALL;
			ro.verify_set = true;
		}
	}
	if (!firmware) {
		npasses = build_passes(ro.method, ro.pattern, ro.rounds, ro.seed, passes, &m, &vdefault);
		if (npasses < 0)
			return EXIT_USAGE;
		if (!ro.verify_set)
			ro.verify = vdefault;
	}

	t = calloc((size_t)ndev, sizeof(*t));
	if (t == NULL) {
		cli_err("out of memory");
		return EXIT_FAIL;
	}
	for (i = 0; i < ndev; i++) {
		int j;

		for (j = 0; j < i; j++)
			if (strcmp(argv[first_dev + i], argv[first_dev + j]) == 0) {
				cli_err("%s: named twice", argv[first_dev + i]);
				rc = EXIT_USAGE;
				goto out;
			}
		rc = prepare_target(argv[first_dev + i], &t[i]);
		if (rc != EXIT_OK)
			goto out;
		if (firmware && (choose_technique(&t[i], ro.method, tech, ro.try_unsupported) != 0 ||
				 check_siblings(&t[i]) != 0)) {
			rc = EXIT_USAGE;
			goto out;
		}
	}
	/* A run that was killed or lost power left its jobs open: certify them INCOMPLETE first. */
	if (ro.cert.ledger && cli_job_recover(&ro.cert) < 0) {
		rc = EXIT_FAIL;
		goto out;
	}
	if (!ro.yes && !confirm(t, (size_t)ndev)) {
		cli_err("not confirmed; nothing was erased");
		rc = EXIT_USAGE;
		goto out;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);	/* a dropped terminal stops the jobs cleanly, INCOMPLETE */

	for (i = 0; i < ndev; i++) {
		struct target *x = &t[i];
		char err[256];
		int orc;

		pthread_mutex_init(&x->lock, NULL);
		x->res = calloc(1, sizeof(*x->res));
		if (x->res == NULL) {
			cli_err("out of memory");
			rc = EXIT_FAIL;
			goto out;
		}
		orc = wiper_dev_open(x->m.disk.node, WIPER_OPEN_WRITE | WIPER_OPEN_DIRECT, &x->dev,
				     err, sizeof(err));
		if (orc < 0) {
			cli_err("%s", err);
			rc = EXIT_USAGE;
			goto out;
		}
		if (!same_medium(x)) {
			rc = EXIT_USAGE;
			goto out;
		}
	}
	fit_memory_budget(&ro, (unsigned)ndev);
	for (i = 0; i < ndev; i++) {
		struct target *x = &t[i];
		struct wiper_job_result *r = x->res;

		snprintf(r->node, sizeof(r->node), "%s", x->m.disk.node);
		snprintf(r->model, sizeof(r->model), "%s", x->m.disk.model);
		snprintf(r->serial, sizeof(r->serial), "%s", x->m.disk.serial);
		snprintf(r->transport, sizeof(r->transport), "%s",
			 wiper_transport_str(x->m.disk.transport));
		x->firmware = firmware;
		x->sopts.seed = ro.seed;
		x->sopts.progress = on_progress;
		x->sopts.progress_arg = x;
		x->sopts.cancel = &cancel_flag;
		x->sopts.try_unsupported = ro.try_unsupported;
		snprintf(r->method, sizeof(r->method), "%s", m ? m->name : "custom");
		snprintf(r->method_title, sizeof(r->method_title), "%s",
			 m ? m->title : ro.pattern ? ro.pattern : ro.method);
		snprintf(r->label, sizeof(r->label), "Clear");
		r->rounds = ro.rounds;
		r->seed = ro.seed;
		x->opts.passes = passes;
		x->opts.npasses = (size_t)npasses;
		x->opts.verify = ro.verify;
		x->opts.prng = ro.prng;
		x->opts.request_bytes = ro.request;
		x->opts.queue_depth = ro.qd;
		x->opts.progress = on_progress;
		x->opts.progress_arg = x;
		x->opts.cancel = &cancel_flag;
		r->size_bytes = x->m.disk.size_bytes;
		r->logical_block = x->m.disk.logical_block;
		/* Noted before the first write: if this process dies, the next run certifies it INCOMPLETE. */
		if (ro.cert.ledger && cli_job_begin(&ro.cert, r, &x->job_id) < 0) {
			atomic_store(&cancel_flag, true);
			ndev = i;
			rc = EXIT_FAIL;
			break;
		}
		if (pthread_create(&x->thread, NULL, worker, x) != 0) {
			cli_err("cannot start a worker thread");
			if (x->job_id)
				cli_job_forget(&ro.cert, x->job_id);
			atomic_store(&cancel_flag, true);
			ndev = i;
			rc = EXIT_FAIL;
			break;
		}
	}
	for (;;) {
		bool all = true;
		struct timespec ts = { 0, 500 * 1000 * 1000 };

		for (i = 0; i < ndev; i++) {
			pthread_mutex_lock(&t[i].lock);
			all = all && t[i].done;
			pthread_mutex_unlock(&t[i].lock);
		}
		if (all)
			break;
		nanosleep(&ts, NULL);
		show_progress(t, (size_t)ndev, ro.json, tty, first);
		first = false;
	}
	for (i = 0; i < ndev; i++)
		pthread_join(t[i].thread, NULL);
	if (!first)
		show_progress(t, (size_t)ndev, false, tty && !ro.json, false);

	for (i = 0; i < ndev; i++) {
		struct wiper_job_result *r = t[i].res;

		if (t[i].rc < 0) {
			cli_err("%s: could not run: %s", t[i].m.disk.node, strerror(-t[i].rc));
			if (t[i].job_id)
				cli_job_forget(&ro.cert, t[i].job_id);
			rc = EXIT_FAIL;
			continue;
		}
		if (ro.json) {
			struct json_out j;

			json_init(&j, stdout, false);
			print_job_result_json(&j, r);
		} else {
			char sz[32];

			printf("%s: %s  %s: %s (%s, %s), %zu pass%s, verify %s, seed %" PRIu64 ", %.1f s%s%s\n",
			       r->node, wiper_outcome_str(r->outcome), r->label, r->method_title,
			       r->model[0] ? r->model : "no model",
			       wiper_size_str(r->size_bytes, sz, sizeof(sz)), r->npasses,
			       r->npasses == 1 ? "" : "es", wiper_verify_str(r->verify), r->seed,
			       r->seconds, r->reason[0] ? ": " : "", r->reason);
		}
		if (ro.cert.ledger) {
			char cert_no[64] = "";

			if (cli_issue_certificate(&ro.cert, r, t[i].job_id, cert_no, sizeof(cert_no)) < 0)
				rc = EXIT_FAIL;
			else if (!ro.json)
				printf("%s: certificate %s issued into %s\n", r->node, cert_no, ro.cert.ledger);
		}
		if (r->outcome != WIPER_PASSED)
			rc = EXIT_FAIL;
	}
out:
	for (i = 0; i < argc - first_dev && i < MAX_DEVICES; i++) {
		if (t[i].dev)
			wiper_dev_close(t[i].dev);
		free(t[i].res);
		wiper_disk_done(&t[i].m.disk);
	}
	free(t);
	return rc;
}

int cmd_verify(int argc, char **argv)
{
	static struct wiper_pass passes[WIPER_PASSES_MAX];
	enum wiper_verify_mode vdefault;
	const struct wiper_method *m;
	struct wiper_job_result *res;
	struct wiper_pass_result pr;
	struct wiper_dev *dev = NULL;
	struct run_opts ro;
	char err[256];
	int first, n, rc;

	first = parse_opts(argc, argv, &ro, true);
	if (first < 0)
		return EXIT_USAGE;
	if (argc - first != 1) {
		cli_err("verify: name exactly one device");
		return EXIT_USAGE;
	}
	n = build_passes(ro.method, ro.pattern, ro.rounds, ro.seed, passes, &m, &vdefault);
	if (n < 0)
		return EXIT_USAGE;
	if (passes[n - 1].random && !ro.seed_set) {
		cli_err("verify: the final pass is random; give the --seed the erase reported");
		return EXIT_USAGE;
	}
	rc = wiper_dev_open(argv[first], WIPER_OPEN_READ | WIPER_OPEN_DIRECT, &dev, err, sizeof(err));
	if (rc < 0) {
		cli_err("%s", err);
		return EXIT_USAGE;
	}
	res = calloc(1, sizeof(*res));
	if (res == NULL) {
		wiper_dev_close(dev);
		return EXIT_FAIL;
	}
	memset(&pr, 0, sizeof(pr));
	pr.pass = passes[n - 1];
	snprintf(res->node, sizeof(res->node), "%s", argv[first]);
	rc = wiper_verify_pass(dev, &passes[n - 1],
			       ro.verify == WIPER_VERIFY_SAMPLE ? WIPER_VERIFY_SAMPLE : WIPER_VERIFY_ALL,
			       ro.seed ^ 0x5eed, NULL, res, &pr);
	if (rc < 0) {
		cli_err("%s: verification stopped: %s", argv[first], strerror(-rc));
		rc = EXIT_FAIL;
	} else if (pr.verify_mismatches || pr.verify_read_errors) {
		printf("%s: MISMATCH: %" PRIu64 " blocks differ, %" PRIu64 " unreadable (first LBA %" PRIu64 "), %.1f%% read\n",
		       argv[first], pr.verify_mismatches, pr.verify_read_errors,
		       res->mismatch.n ? res->mismatch.lba[0] : res->bad.n ? res->bad.lba[0] : 0,
		       res->verify_coverage * 100);
		rc = EXIT_FAIL;
	} else {
		printf("%s: MATCH: %" PRIu64 " bytes read back as the final pass of %s (%.1f%% of the device)\n",
		       argv[first], pr.verify_bytes, m ? m->name : "the pattern",
		       res->verify_coverage * 100);
		rc = EXIT_OK;
	}
	free(res);
	wiper_dev_close(dev);
	return rc;
}
