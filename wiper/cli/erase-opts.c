/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wiper erase / verify: the command line, turned into a choice for the runner. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wiper/cli/erase.h"

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
		   "      --supervisor \"NAME[, ROLE]\"  a supervisor (监销人), at most two with --witness\n"
		   "                         as the first; none of them may be the operator\n"
		   "      --approver \"NAME[, ROLE]\"  --approval REF   who approved it (审批人), under\n"
		   "                         which reference (审批单号)\n"
		   "      --asset N  --carrier-no N  --owner UNIT  --classification C  --destination WHERE\n"
		   "                         certificate fields (destination: internal-reuse,\n"
		   "                         external-reuse, recycling, destruction, manufacturer,\n"
		   "                         other; a medium that does not pass is certified for\n"
		   "                         destruction whatever was planned). Classification (密级):\n"
		   "                         公开/public, 内部/internal, 秘密/secret, 机密/highly-secret,\n"
		   "                         绝密/top-secret, or the levels of --config; a classified\n"
		   "                         carrier goes to internal-reuse or destruction only, a\n"
		   "                         绝密 one to destruction only: refused before erasing\n"
		   "      --config FILE      tabula.conf: classification levels, require_approval,\n"
		   "                         timezone, each person's unit/department/location/phone\n\n"
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

/* --prng IMPL; 0 or -1 after printing. */
static int parse_prng(const char *s, enum wiper_prng_impl *out)
{
	if (strcmp(s, "portable") == 0)
		*out = WIPER_PRNG_PORTABLE;
	else if (strcmp(s, "avx2") == 0)
		*out = WIPER_PRNG_AVX2;
	else if (strcmp(s, "avx512") == 0)
		*out = WIPER_PRNG_AVX512;
	else {
		cli_err("--prng: expected portable, avx2 or avx512, not '%s'", s);
		return -1;
	}
	if (!wiper_prng_supported(*out)) {
		cli_err("--prng %s: not supported by this CPU", s);
		return -1;
	}
	return 0;
}

/* One numeric option in [@lo, @hi] (and a multiple of @mult); 0 or -1 after printing. */
static int parse_num(const char *opt, const char *s, uint64_t lo, uint64_t hi, uint64_t mult,
		     const char *expect, uint64_t *out)
{
	if (parse_size(s, out) < 0 || *out < lo || *out > hi || (mult && *out % mult)) {
		cli_err("--%s: expected %s, not '%s'", opt, expect, s);
		return -1;
	}
	return 0;
}

/* Print the usage of verify. */
static void verify_usage(void)
{
	printf("Usage: %s verify --method NAME [--pattern HEX,...] [--seed N] [--sample] [--json] DEV\n\n"
	       "Re-check DEV against the final pass of a method (random passes need\n"
	       "the --seed an erase reported). Exit 0 when it matches everywhere.\n", prog);
}

/* Apply one option @c (with optarg) to @ro; 0, or -1 after printing. */
static int apply_opt(int c, struct run_opts *ro, bool is_verify)
{
	uint64_t v;

	switch (c) {
	case 'm': ro->method = optarg; return 0;
	case 'p': ro->pattern = optarg; return 0;
	case 'v':
		if (wiper_verify_parse(optarg, &ro->verify) < 0) {
			cli_err("--verify: expected none, last, all or sample, not '%s'", optarg);
			return -1;
		}
		ro->verify_set = true;
		return 0;
	case 'r':
		if (parse_num("rounds", optarg, 1, 100, 0, "1 to 100", &v) < 0)
			return -1;
		ro->rounds = (unsigned)v;
		return 0;
	case 'S':
		if (parse_num("seed", optarg, 0, UINT64_MAX, 0, "a number", &ro->seed) < 0)
			return -1;
		ro->seed_set = true;
		return 0;
	case 'y': ro->yes = true; return 0;
	case 'j': ro->json = true; return 0;
	case 'R':
		if (parse_num("request-size", optarg, 4096, 256u << 20, 4096,
			      "a multiple of 4096 up to 256M", &ro->request) < 0)
			return -1;
		return 0;
	case 'Q':
		if (parse_num("queue-depth", optarg, 1, 64, 0, "1 to 64", &v) < 0)
			return -1;
		ro->qd = (unsigned)v;
		return 0;
	case 'P': return parse_prng(optarg, &ro->prng);
	case 'U': ro->try_unsupported = true; return 0;
	case 'L': ro->cert.ledger = optarg; return 0;
	case 'O': ro->cert.operator_ = optarg; return 0;
	case 'W': ro->cert.witness = optarg; return 0;
	case 'V':
		if (ro->cert.nsupervisors >= 2) {
			cli_err("--supervisor: at most two supervisors");
			return -1;
		}
		ro->cert.supervisor[ro->cert.nsupervisors++] = optarg;
		return 0;
	case 'B': ro->cert.approver = optarg; return 0;
	case 'b': ro->cert.approval = optarg; return 0;
	case 'N': ro->cert.carrier_no = optarg; return 0;
	case 'c': ro->cert.config = optarg; return 0;
	case 'A': ro->cert.asset = optarg; return 0;
	case 'o': ro->cert.owner = optarg; return 0;
	case 'C': ro->cert.classification = optarg; return 0;
	case 'D':
		if (cli_parse_destination(optarg, NULL) < 0) {
			cli_err("--destination: expected internal-reuse, external-reuse, recycling, "
				"destruction, manufacturer or other, not '%s'", optarg);
			return -1;
		}
		ro->cert.destination = optarg;
		return 0;
	case 's':
		ro->verify = WIPER_VERIFY_SAMPLE;
		ro->verify_set = true;
		return 0;
	case 'h':
		if (is_verify)
			verify_usage();
		else
			erase_usage(stdout);
		exit(EXIT_OK);
	default:
		cli_err("%s: unknown option (try '%s %s --help')", is_verify ? "verify" : "erase",
			prog, is_verify ? "verify" : "erase");
		return -1;
	}
}

int erase_parse_opts(int argc, char **argv, struct run_opts *ro, bool is_verify)
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
		{ "supervisor", required_argument, NULL, 'V' },
		{ "approver", required_argument, NULL, 'B' },
		{ "approval", required_argument, NULL, 'b' },
		{ "carrier-no", required_argument, NULL, 'N' },
		{ "config", required_argument, NULL, 'c' },
		{ "asset", required_argument, NULL, 'A' },
		{ "owner", required_argument, NULL, 'o' },
		{ "classification", required_argument, NULL, 'C' },
		{ "destination", required_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(ro, 0, sizeof(*ro));
	ro->method = "zero";
	ro->rounds = 1;
	ro->verify = WIPER_VERIFY_LAST;
	optind = 1;
	opterr = 0; /* our own one-line message */
	while ((c = getopt_long(argc, argv, "m:p:v:r:yjh", opts, NULL)) != -1)
		if (apply_opt(c, ro, is_verify) < 0)
			return -1;
	if (optind >= argc) {
		cli_err("%s: name at least one device", is_verify ? "verify" : "erase");
		return -1;
	}
	/* --witness is the first supervisor; without it the first --supervisor is. */
	if (!ro->cert.witness && ro->cert.nsupervisors) {
		ro->cert.witness = ro->cert.supervisor[0];
		ro->cert.supervisor[0] = ro->cert.supervisor[1];
		ro->cert.supervisor[1] = NULL;
		ro->cert.nsupervisors--;
	}
	if (ro->cert.nsupervisors > 1) {
		cli_err("--supervisor: at most two supervisors, --witness counting as the first");
		return -1;
	}
	if (ro->cert.ledger && (ro->cert.operator_ == NULL || ro->cert.witness == NULL)) {
		cli_err("erase: --ledger needs --operator NAME and --witness NAME (or --supervisor NAME)"
			" for the certificate");
		return -1;
	}
	/* 53 bits: the seed must survive JSON readers that use doubles (jq, JS). */
	if (!ro->seed_set)
		ro->seed = wiper_prng_new_seed() & ((1ULL << 53) - 1);
	return optind;
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

int erase_choice(struct run_opts *ro, unsigned ndev, struct wiper_choice *c)
{
	char err[128];
	int n;

	memset(c, 0, sizeof(*c));
	fit_memory_budget(ro, ndev);
	c->try_unsupported = ro->try_unsupported;
	c->rounds = ro->rounds;
	c->verify = ro->verify;
	c->verify_set = ro->verify_set;
	c->seed = ro->seed;
	c->prng = ro->prng;
	c->request_bytes = ro->request;
	c->queue_depth = ro->qd;
	if (ro->pattern) {
		n = wiper_pattern_parse(ro->pattern, ro->defs, WIPER_PASSES_MAX, err, sizeof(err));
		if (n < 0) {
			cli_err("--pattern: %s", err);
			return -1;
		}
		c->kind = WIPER_CHOOSE_OVERWRITE;
		c->defs = ro->defs;
		c->ndefs = (size_t)n;
		c->custom_title = ro->pattern;
	} else if (strcmp(ro->method, "purge") == 0) {
		c->kind = WIPER_CHOOSE_PURGE;
	} else if (strcmp(ro->method, "clear") == 0) {
		c->kind = WIPER_CHOOSE_CLEAR;
	} else if (tech_from_key(ro->method, &c->tech)) {
		c->kind = WIPER_CHOOSE_TECH;
	} else {
		c->kind = WIPER_CHOOSE_OVERWRITE;
		c->method = wiper_method_find(ro->method);
		if (c->method == NULL) {
			cli_err("unknown method '%s' (see '%s erase --help')", ro->method, prog);
			return -1;
		}
	}
	return 0;
}

int erase_verify_passes(const struct run_opts *ro, struct wiper_pass *passes,
			const struct wiper_method **mout)
{
	struct wiper_pass_def defs[WIPER_PASSES_MAX];
	const struct wiper_method *m = NULL;
	char err[128];
	int n;

	if (ro->pattern) {
		n = wiper_pattern_parse(ro->pattern, defs, WIPER_PASSES_MAX, err, sizeof(err));
		if (n < 0) {
			cli_err("--pattern: %s", err);
			return -1;
		}
		n = wiper_method_resolve(defs, (size_t)n, false, ro->rounds, ro->seed, passes,
					 WIPER_PASSES_MAX);
	} else {
		m = wiper_method_find(ro->method);
		if (m == NULL) {
			cli_err("unknown method '%s' (see '%s erase --help')", ro->method, prog);
			return -1;
		}
		n = wiper_method_resolve(m->passes, m->npasses, m->shuffle_middle, ro->rounds, ro->seed,
					 passes, WIPER_PASSES_MAX);
	}
	if (n <= 0) {
		cli_err("cannot build the passes (too many rounds?)");
		return -1;
	}
	*mout = m;
	return n;
}
