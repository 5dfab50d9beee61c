/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wiper erase / verify: the command line, turned into a choice for the runner. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wiper/cli/erase.h"

/* Long-only options; a letter key is also its short form. */
enum {
	OPT_SEED = 256, OPT_REQUEST, OPT_QD, OPT_PRNG, OPT_SAMPLE, OPT_TRY, OPT_LEDGER,
	OPT_OPERATOR, OPT_OPERATOR_ROLE, OPT_WITNESS, OPT_WITNESS_ROLE, OPT_ASSET, OPT_OWNER,
	OPT_CLASS, OPT_DEST, OPT_SUPERVISOR, OPT_APPROVER, OPT_APPROVAL, OPT_CARRIER, OPT_CONFIG,
};

static const struct cli_opt erase_opts[] = {
	{ "method", 'm', "NAME", "purge, clear, a technique (see 'wiper info'), or an\n"
				 "overwrite method below (default: zero)" },
	{ "pattern", 'p', "HEX,...", "custom passes instead of a method (e.g. 00,ff,random)" },
	{ "verify", 'v', "MODE", "none | last | all | sample (default: the method's)" },
	{ "rounds", 'r', "N", "repeat the method's passes N times" },
	{ "seed", OPT_SEED, "S", "master seed for random data, as an erase reports\n"
				"it (0x and 16 hex digits; default: fresh)" },
	{ "yes", 'y', NULL, "do not ask for confirmation" },
	{ "json", 'j', NULL, "JSON lines: progress events and one result per device" },
	{ "request-size", OPT_REQUEST, "N", "bytes per I/O request (default: 4 MiB writing,\n"
						"1 MiB reading back)" },
	{ "queue-depth", OPT_QD, "N", "requests in flight per device (default: 4\n"
					     "writing, 8 reading back)" },
	{ "prng", OPT_PRNG, "IMPL", "portable | avx2 | avx512 (default: fastest)" },
	{ "try-unsupported", OPT_TRY, NULL, "diagnostics: send a named sanitize the device does\n"
					    "not advertise, to record its refusal" },
	{ "ledger", OPT_LEDGER, "PATH", "issue a signed certificate per device into this\n"
					"ledger (without it, no certificate is issued)" },
	{ "operator", OPT_OPERATOR, "NAME", "who erases (needed with --ledger)" },
	{ "operator-role", OPT_OPERATOR_ROLE, "ROLE", "the operator's role or title" },
	{ "witness", OPT_WITNESS, "NAME", "who watched (needed with --ledger)" },
	{ "witness-role", OPT_WITNESS_ROLE, "ROLE", "the witness's role or title" },
	{ "supervisor", OPT_SUPERVISOR, "NAME", "a supervisor (监销人, \"Name, Role\"): at most two\n"
						"with --witness as the first; none the operator" },
	{ "approver", OPT_APPROVER, "NAME", "who approved it (审批人, \"Name, Role\")" },
	{ "approval", OPT_APPROVAL, "REF", "the approval's reference (审批单号)" },
	{ "asset", OPT_ASSET, "N", "the medium's asset (property) number" },
	{ "carrier-no", OPT_CARRIER, "N", "the carrier number (载体编号)" },
	{ "property", OPT_ASSET, "N", NULL },	/* certs destroy's old spelling */
	{ "owner", OPT_OWNER, "UNIT", "the unit that owns the medium" },
	{ "classification", OPT_CLASS, "C", "the classification (密级): 公开/public,\n"
					    "内部/internal, 秘密/secret, 机密/highly-secret,\n"
					    "绝密/top-secret, or the levels of --config" },
	{ "destination", OPT_DEST, "WHERE", "internal-reuse, external-reuse, recycling,\n"
					    "destruction, manufacturer or other (a medium that\n"
					    "does not pass is certified for destruction)" },
	{ "config", OPT_CONFIG, "FILE", "tabula.conf: classification levels,\n"
					"require_approval, timezone, each person's details" },
	{ NULL, 0, NULL, NULL },
};

/* The notes of erase --help, with the methods from their table. */
static char erase_notes[4096];

const struct cli_cmd cli_erase = {
	"wiper erase", "DEV...", "overwrite or sanitize, then verify, one worker per device",
	erase_opts, erase_notes,
};

static const struct cli_opt verify_opts[] = {
	{ "method", 'm', "NAME", "the overwrite method the erase used (default: zero)" },
	{ "pattern", 'p', "HEX,...", "the custom passes the erase used instead" },
	{ "rounds", 'r', "N", "the rounds the erase used" },
	{ "seed", OPT_SEED, "S", "the master seed the erase reported (random passes)" },
	{ "sample", OPT_SAMPLE, NULL, "read a sample of blocks, not all of them" },
	{ "json", 'j', NULL, "the result as one JSON object" },
	{ NULL, 0, NULL, NULL },
};

const struct cli_cmd cli_verify = {
	"wiper verify", "DEV", "re-check a device against a method's final pass", verify_opts,
	"Re-check DEV against the final pass of a method (random passes need the\n"
	"--seed an erase reported). Exit 0 when it matches everywhere, 1 when not.\n",
};

/* Fill erase_notes once: the kinds of erase, then every overwrite method. */
static void erase_notes_fill(void)
{
	size_t n, i, off;
	const struct wiper_method *m = wiper_methods(&n);
	int k;

	if (erase_notes[0])
		return;
	k = snprintf(erase_notes, sizeof(erase_notes),
		     "  purge   the strongest firmware sanitize the device supports (NIST Purge),\n"
		     "          verified by comparing sampled blocks before and after; refused when\n"
		     "          the device has none\n"
		     "  clear   one pass of zeros, read back in full (NIST Clear)\n\n"
		     "Overwrite methods (all are Clear per NIST SP 800-88):\n");
	off = k > 0 ? (size_t)k : 0;
	for (i = 0; i < n && off < sizeof(erase_notes); i++) {
		k = snprintf(erase_notes + off, sizeof(erase_notes) - off, "  %-20s %s\n", m[i].name,
			     m[i].title);
		off += k > 0 ? (size_t)k : 0;
	}
	if (off < sizeof(erase_notes))
		snprintf(erase_notes + off, sizeof(erase_notes) - off,
			 "\nWithout --ledger the erasure is done and reported but no certificate\n"
			 "is issued. --operator \"NAME, ROLE\" (one option) still works.\n"
			 "A classified carrier goes to internal-reuse or destruction only, a 绝密\n"
			 "one to destruction only: refused before anything is erased.\n"
			 "Exit status: 0 when every device PASSED, 1 when any FAILED or is\n"
			 "INCOMPLETE, 2 for usage errors or refused devices.\n");
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

/* A seed: 0x and hex digits as every report writes it, or a decimal number (the JSON's). */
static int parse_seed(const char *s, uint64_t *out)
{
	bool hex = strncmp(s, "0x", 2) == 0 || strncmp(s, "0X", 2) == 0;
	const char *digits = hex ? s + 2 : s;
	char *end;

	if (!*digits || strspn(digits, hex ? "0123456789abcdefABCDEF" : "0123456789") !=
			strlen(digits))
		return -1;
	errno = 0;
	*out = strtoull(digits, &end, hex ? 16 : 10);
	return errno || *end ? -1 : 0;
}

/* Apply one option @c (with optarg) to @ro; 0, or -1 after printing. */
static int apply_opt(int c, struct run_opts *ro)
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
	case OPT_SEED:
		if (parse_seed(optarg, &ro->seed) < 0) {
			cli_err("--seed: expected the seed an erase reported (0x and 16 hex digits,"
				" or the JSON's number), not '%s'", optarg);
			return -1;
		}
		ro->seed_set = true;
		return 0;
	case 'y': ro->yes = true; return 0;
	case 'j': ro->json = true; return 0;
	case OPT_REQUEST:
		if (parse_num("request-size", optarg, 4096, 256u << 20, 4096,
			      "a multiple of 4096 up to 256M", &ro->request) < 0)
			return -1;
		return 0;
	case OPT_QD:
		if (parse_num("queue-depth", optarg, 1, 64, 0, "1 to 64", &v) < 0)
			return -1;
		ro->qd = (unsigned)v;
		return 0;
	case OPT_PRNG: return parse_prng(optarg, &ro->prng);
	case OPT_TRY: ro->try_unsupported = true; return 0;
	case OPT_LEDGER: ro->cert.ledger = optarg; return 0;
	case OPT_OPERATOR: ro->cert.operator_ = optarg; return 0;
	case OPT_OPERATOR_ROLE: ro->cert.operator_role = optarg; return 0;
	case OPT_WITNESS: ro->cert.witness = optarg; return 0;
	case OPT_WITNESS_ROLE: ro->cert.witness_role = optarg; return 0;
	case OPT_SUPERVISOR:
		if (ro->cert.nsupervisors >= 2) {
			cli_err("--supervisor: at most two supervisors");
			return -1;
		}
		ro->cert.supervisor[ro->cert.nsupervisors++] = optarg;
		return 0;
	case OPT_APPROVER: ro->cert.approver = optarg; return 0;
	case OPT_APPROVAL: ro->cert.approval = optarg; return 0;
	case OPT_CARRIER: ro->cert.carrier_no = optarg; return 0;
	case OPT_CONFIG: ro->cert.config = optarg; return 0;
	case OPT_ASSET: ro->cert.asset = optarg; return 0;
	case OPT_OWNER: ro->cert.owner = optarg; return 0;
	case OPT_CLASS: ro->cert.classification = optarg; return 0;
	case OPT_DEST:
		if (cli_parse_destination(optarg, NULL) < 0) {
			cli_err("--destination: expected internal-reuse, external-reuse, recycling, "
				"destruction, manufacturer or other, not '%s'", optarg);
			return -1;
		}
		ro->cert.destination = optarg;
		return 0;
	case OPT_SAMPLE:
		ro->verify = WIPER_VERIFY_SAMPLE;
		ro->verify_set = true;
		return 0;
	default:
		return -1;	/* cli_next() said why */
	}
}

int erase_parse_opts(int argc, char **argv, struct run_opts *ro, bool is_verify)
{
	const struct cli_cmd *cmd = is_verify ? &cli_verify : &cli_erase;
	struct cli_parser cp;
	int c;

	memset(ro, 0, sizeof(*ro));
	ro->method = "zero";
	ro->rounds = 1;
	ro->verify = WIPER_VERIFY_LAST;
	erase_notes_fill();
	cli_begin(&cp, cmd, argc, argv);
	while ((c = cli_next(&cp)) != CLI_DONE) {
		if (c == CLI_HELP)
			exit(EXIT_OK);
		if (apply_opt(c, ro) < 0)
			return -1;
	}
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

int erase_choice(struct run_opts *ro, unsigned ndev, struct wiper_choice *c)
{
	char err[128];
	int n;

	memset(c, 0, sizeof(*c));
	c->try_unsupported = ro->try_unsupported;
	c->rounds = ro->rounds;
	c->verify = ro->verify;
	c->verify_set = ro->verify_set;
	c->seed = ro->seed;
	c->prng = ro->prng;
	c->request_bytes = ro->request;
	c->queue_depth = ro->qd;
	/* Many devices at once share one buffer budget (the engine fits each job to its share). */
	c->buffer_bytes = wiper_buffer_share(ndev);
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
