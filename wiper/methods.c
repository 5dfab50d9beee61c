/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Overwrite methods as data, and resolving them into the passes of a job.
 *
 * None of these is more than NIST SP 800-88 Clear: the multi-pass schemes
 * are kept because people are asked for them by name, with a note on where
 * each comes from and how much it is worth today.
 *
 * Resolution draws everything from one splitmix64 sequence started at the
 * job seed, in this order: first, when the middle is shuffled, the draws of a
 * Fisher-Yates shuffle of the fixed-pattern slots (one per swap, plus a
 * redraw in the ~2^-59 case that would bias the choice); then, pass by pass
 * over all rounds, one draw for each random pass (its stream seed) and each
 * random byte (its low 8 bits). The shuffle is done once per job, so every
 * round writes the patterns in the same order. The
 * same (definitions, rounds, seed) therefore always gives the same passes,
 * which is what lets "wiper verify --seed" re-create the last one.
 */
#include "config.h"

#include "wiper/methods.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "wiper/prng.h"
#include "wiper/base/hexdigit.h"

#define ZERO { WIPER_PASS_PATTERN, { 0x00 }, 1 }
#define ONES { WIPER_PASS_PATTERN, { 0xff }, 1 }
#define RANDOM { WIPER_PASS_RANDOM, { 0 }, 0 }
#define RANDOM_BYTE { WIPER_PASS_RANDOM_BYTE, { 0 }, 0 }
#define COMPLEMENT { WIPER_PASS_COMPLEMENT, { 0 }, 0 }
#define PAT1(a) { WIPER_PASS_PATTERN, { a }, 1 }
#define PAT3(a, b, c) { WIPER_PASS_PATTERN, { a, b, c }, 3 }

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const struct wiper_pass_def pass_zero[] = { ZERO };
static const struct wiper_pass_def pass_one[] = { ONES };
static const struct wiper_pass_def pass_random[] = { RANDOM };
static const struct wiper_pass_def pass_dod[] = { ZERO, ONES, RANDOM };
static const struct wiper_pass_def pass_dod_ece[] = {
	RANDOM_BYTE, COMPLEMENT, RANDOM, RANDOM_BYTE, RANDOM_BYTE, COMPLEMENT, RANDOM,
};
static const struct wiper_pass_def pass_gutmann[] = {
	RANDOM, RANDOM, RANDOM, RANDOM,
	PAT1(0x55), PAT1(0xaa), PAT3(0x92, 0x49, 0x24), PAT3(0x49, 0x24, 0x92),
	PAT3(0x24, 0x92, 0x49), PAT1(0x00), PAT1(0x11), PAT1(0x22), PAT1(0x33), PAT1(0x44),
	PAT1(0x55), PAT1(0x66), PAT1(0x77), PAT1(0x88), PAT1(0x99), PAT1(0xaa), PAT1(0xbb),
	PAT1(0xcc), PAT1(0xdd), PAT1(0xee), PAT1(0xff), PAT3(0x92, 0x49, 0x24),
	PAT3(0x49, 0x24, 0x92), PAT3(0x24, 0x92, 0x49), PAT3(0x6d, 0xb6, 0xdb),
	PAT3(0xb6, 0xdb, 0x6d), PAT3(0xdb, 0x6d, 0xb6),
	RANDOM, RANDOM, RANDOM, RANDOM,
};
static const struct wiper_pass_def pass_is5_enhanced[] = { ZERO, ONES, RANDOM };
static const struct wiper_pass_def pass_schneier[] = {
	ONES, ZERO, RANDOM, RANDOM, RANDOM, RANDOM, RANDOM,
};
static const struct wiper_pass_def pass_ops2[] = { ZERO, ONES, ZERO, ONES, ZERO, ONES, RANDOM };

#define PASSES(a) (a), NELEM(a)

static const struct wiper_method methods[] = {
	{ "zero", "Zeros (1 pass)",
	  "One pass of 00. The NIST SP 800-88 Rev. 1 Clear overwrite for magnetic media; "
	  "flash may keep copies in spare areas that no overwrite reaches.",
	  PASSES(pass_zero), false, WIPER_VERIFY_LAST },
	{ "one", "Ones (1 pass)",
	  "One pass of FF. Clear, like zeros.",
	  PASSES(pass_one), false, WIPER_VERIFY_LAST },
	{ "random", "Random data (1 pass)",
	  "One pass of the seeded pseudorandom stream; the seed in the record lets the data "
	  "be regenerated for verification. Clear.",
	  PASSES(pass_random), false, WIPER_VERIFY_LAST },
	{ "dod522022m", "DoD 5220.22-M (3 passes)",
	  "Legacy. NISPOM (1995) method (d): a character, its complement, a random character, "
	  "and verify; written as 00, FF and a random stream. Overwriting stopped being accepted "
	  "for classified media in the 2006-era DSS matrices, and DoD 5220.22-M was replaced by "
	  "32 CFR Part 117 (2021). Clear, not Purge.",
	  PASSES(pass_dod), false, WIPER_VERIFY_LAST },
	{ "dod522022m-ece", "DoD 5220.22-M ECE (7 passes)",
	  "Legacy. Method E, method C, method E again, as nwipe writes it: random byte, its "
	  "complement, random stream, random byte, random byte, its complement, random stream. "
	  "Superseded by 32 CFR Part 117 (2021). Clear, not Purge.",
	  PASSES(pass_dod_ece), false, WIPER_VERIFY_LAST },
	{ "gutmann", "Gutmann (35 passes)",
	  "Gutmann (1996): 4 random passes, 27 fixed patterns aimed at MFM/RLL encodings in an "
	  "order shuffled per job, 4 random passes. Gutmann's own epilogue calls it pointless "
	  "on modern drives. Clear, not Purge.",
	  PASSES(pass_gutmann), true, WIPER_VERIFY_LAST },
	{ "hmg-is5-baseline", "HMG IS5 Baseline (1 pass)",
	  "UK HMG Infosec Standard 5, baseline: one pass of zeros, verification mandatory. "
	  "Superseded by NCSC guidance on secure sanitisation of storage media. Clear.",
	  PASSES(pass_zero), false, WIPER_VERIFY_LAST },
	{ "hmg-is5-enhanced", "HMG IS5 Enhanced (3 passes)",
	  "UK HMG Infosec Standard 5, enhanced: 00, FF, random, verification mandatory. "
	  "Sources disagree on the order (some say FF first); this follows nwipe. "
	  "Superseded by NCSC guidance. Clear, not Purge.",
	  PASSES(pass_is5_enhanced), false, WIPER_VERIFY_LAST },
	{ "schneier", "Schneier (7 passes)",
	  "Bruce Schneier's Applied Cryptography scheme: FF, 00, then 5 random passes. Clear.",
	  PASSES(pass_schneier), false, WIPER_VERIFY_LAST },
	{ "rcmp-tssit-ops-ii", "RCMP TSSIT OPS-II (7 passes)",
	  "Legacy Royal Canadian Mounted Police standard: 00 and FF alternately for six passes, "
	  "then random (the text asks for a random character; a random stream is written). "
	  "Replaced by CSEC ITSG-06. Clear, not Purge.",
	  PASSES(pass_ops2), false, WIPER_VERIFY_LAST },
};

/* Other names people use; "is5" alone is left out as it could mean either level. */
static const struct {
	const char *alias;
	const char *name;
} aliases[] = {
	{ "zeros", "zero" },
	{ "ones", "one" },
	{ "dod", "dod522022m" },
	{ "dod3", "dod522022m" },
	{ "dod-ece", "dod522022m-ece" },
	{ "dod7", "dod522022m-ece" },
	{ "is5-baseline", "hmg-is5-baseline" },
	{ "is5-enhanced", "hmg-is5-enhanced" },
	{ "is5enh", "hmg-is5-enhanced" },
	{ "ops2", "rcmp-tssit-ops-ii" },
	{ "rcmp", "rcmp-tssit-ops-ii" },
};

const struct wiper_method *wiper_methods(size_t *n)
{
	if (n)
		*n = NELEM(methods);
	return methods;
}

const struct wiper_method *wiper_method_find(const char *name)
{
	size_t i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < NELEM(aliases); i++) {
		if (strcasecmp(name, aliases[i].alias) == 0) {
			name = aliases[i].name;
			break;
		}
	}
	for (i = 0; i < NELEM(methods); i++)
		if (strcasecmp(name, methods[i].name) == 0)
			return &methods[i];
	return NULL;
}

/* Put a message into @err; a message cut short by a small buffer is still a message. */
__attribute__((format(printf, 3, 4))) static void set_err(char *err, size_t errlen,
							  const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* Tell whether @c is a blank that may surround an item. */
static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Parse one item @s of @n characters (blanks trimmed) into @def; 0 or -EINVAL. */
static int parse_item(const char *s, size_t n, size_t index, struct wiper_pass_def *def,
		      char *err, size_t errlen)
{
	size_t i;

	memset(def, 0, sizeof(*def));
	if (n == 0) {
		set_err(err, errlen, "pass %zu is empty", index + 1);
		return -EINVAL;
	}
	if (n == 6 && strncasecmp(s, "random", 6) == 0) {
		def->kind = WIPER_PASS_RANDOM;
		return 0;
	}
	if (n % 2) {
		set_err(err, errlen, "pass %zu ('%.*s'): odd number of hex digits", index + 1,
			(int)(n > 40 ? 40 : n), s);
		return -EINVAL;
	}
	if (n > 2 * WIPER_PATTERN_MAX) {
		set_err(err, errlen, "pass %zu: pattern longer than %d bytes", index + 1,
			WIPER_PATTERN_MAX);
		return -EINVAL;
	}
	for (i = 0; i < n; i += 2) {
		int hi = wiper_hex_digit(s[i]), lo = wiper_hex_digit(s[i + 1]);

		if (hi < 0 || lo < 0) {
			set_err(err, errlen, "pass %zu ('%.*s'): not hex bytes or 'random'",
				index + 1, (int)n, s);
			return -EINVAL;
		}
		def->pattern[i / 2] = (uint8_t)(hi << 4 | lo);
	}
	def->kind = WIPER_PASS_PATTERN;
	def->pattern_len = (uint8_t)(n / 2);
	return 0;
}

int wiper_pattern_parse(const char *text, struct wiper_pass_def *defs, size_t max, char *err,
			size_t errlen)
{
	const char *p = text;
	size_t count = 0;

	set_err(err, errlen, "%s", "");
	if (text == NULL || defs == NULL) {
		set_err(err, errlen, "no pattern");
		return -EINVAL;
	}
	for (;;) {
		const char *end = strchr(p, ',');
		const char *a = p, *b = end ? end : p + strlen(p);
		int rc;

		while (a < b && is_blank(*a))
			a++;
		while (b > a && is_blank(b[-1]))
			b--;
		if (count >= max) {
			set_err(err, errlen, "more than %zu passes", max);
			return -EINVAL;
		}
		rc = parse_item(a, (size_t)(b - a), count, &defs[count], err, errlen);
		if (rc < 0)
			return rc;
		count++;
		if (end == NULL)
			break;
		p = end + 1;
	}
	if (count > INT_MAX) {
		set_err(err, errlen, "too many passes");
		return -EINVAL;
	}
	return (int)count;
}

/* Draw a value in [0, n) from @sm without modulo bias (n > 0). */
static uint64_t draw_below(uint64_t *sm, uint64_t n)
{
	/* Reject the top partial bucket so every residue is equally likely. */
	uint64_t limit = UINT64_MAX - UINT64_MAX % n;
	uint64_t v;

	do
		v = wiper_splitmix64(sm);
	while (v >= limit);
	return v % n;
}

/* Also -EINVAL for more than WIPER_PASSES_MAX definitions or a bad definition. */
int wiper_method_resolve(const struct wiper_pass_def *defs, size_t ndefs, bool shuffle_middle,
			 unsigned rounds, uint64_t seed, struct wiper_pass *out, size_t max)
{
	/* order[i] is the definition used at position i; pos[] lists the pattern slots. */
	uint16_t order[WIPER_PASSES_MAX], pos[WIPER_PASSES_MAX];
	const struct wiper_pass *prev = NULL;
	uint64_t sm = seed;
	size_t i, npos = 0, n = 0;
	unsigned r;

	if (defs == NULL || out == NULL || ndefs == 0 || ndefs > WIPER_PASSES_MAX || rounds == 0 ||
	    rounds > max / ndefs || (uint64_t)ndefs * rounds > INT_MAX)
		return -EINVAL;
	for (i = 0; i < ndefs; i++) {
		order[i] = (uint16_t)i;
		if (defs[i].kind == WIPER_PASS_PATTERN) {
			if (defs[i].pattern_len == 0 || defs[i].pattern_len > WIPER_PATTERN_MAX)
				return -EINVAL;
			pos[npos++] = (uint16_t)i;
		}
	}
	if (shuffle_middle) {
		/* Fisher-Yates over the pattern slots only; random and derived passes stay put. */
		for (i = npos; i > 1; i--) {
			size_t j = (size_t)draw_below(&sm, i);
			uint16_t t = order[pos[i - 1]];

			order[pos[i - 1]] = order[pos[j]];
			order[pos[j]] = t;
		}
	}
	for (r = 0; r < rounds; r++) {
		for (i = 0; i < ndefs; i++) {
			const struct wiper_pass_def *d = &defs[order[i]];
			struct wiper_pass *p = &out[n];
			unsigned k;

			memset(p, 0, sizeof(*p));
			switch (d->kind) {
			case WIPER_PASS_PATTERN:
				memcpy(p->pattern, d->pattern, d->pattern_len);
				p->pattern_len = d->pattern_len;
				break;
			case WIPER_PASS_RANDOM:
				p->random = true;
				p->seed = wiper_splitmix64(&sm);
				break;
			case WIPER_PASS_RANDOM_BYTE:
				p->pattern[0] = (uint8_t)wiper_splitmix64(&sm);
				p->pattern_len = 1;
				break;
			case WIPER_PASS_COMPLEMENT:
				if (prev == NULL || prev->random)
					return -EINVAL;
				for (k = 0; k < prev->pattern_len; k++)
					p->pattern[k] = (uint8_t)~prev->pattern[k];
				p->pattern_len = prev->pattern_len;
				break;
			default:
				return -EINVAL;
			}
			prev = p;
			n++;
		}
	}
	return (int)n;
}

const char *wiper_pass_str(const struct wiper_pass *p, char *buf, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	if (buf == NULL || len == 0)
		return "";
	buf[0] = '\0';
	if (p == NULL)
		return buf;
	if (p->random) {
		if (len < sizeof("random"))
			return buf;
		memcpy(buf, "random", sizeof("random"));
		return buf;
	}
	/* Whole or nothing: a cut pattern in a record would be a wrong one. */
	if (p->pattern_len > WIPER_PATTERN_MAX || len < 2u * p->pattern_len + 1)
		return buf;
	for (i = 0; i < p->pattern_len; i++) {
		buf[2 * i] = hex[p->pattern[i] >> 4];
		buf[2 * i + 1] = hex[p->pattern[i] & 0xf];
	}
	buf[2 * i] = '\0';
	return buf;
}

static const char *const verify_names[] = {
	[WIPER_VERIFY_NONE] = "none",
	[WIPER_VERIFY_LAST] = "last",
	[WIPER_VERIFY_ALL] = "all",
	[WIPER_VERIFY_SAMPLE] = "sample",
};

const char *wiper_verify_str(enum wiper_verify_mode m)
{
	if ((size_t)m < NELEM(verify_names))
		return verify_names[m];
	return "unknown";
}

int wiper_verify_parse(const char *s, enum wiper_verify_mode *out)
{
	size_t i;

	if (s == NULL)
		return -EINVAL;
	for (i = 0; i < NELEM(verify_names); i++) {
		if (strcasecmp(s, verify_names[i]) == 0) {
			if (out)
				*out = (enum wiper_verify_mode)i;
			return 0;
		}
	}
	return -EINVAL;
}
