/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Overwrite methods as data: each method is a list of pass definitions plus
 * the verification it calls for. Adding a method is adding an entry to the
 * table in methods.c. A job resolves the definitions into concrete passes
 * (fixed bytes, or a seeded random stream) with wiper_method_resolve().
 */
#ifndef WIPER_METHODS_H
#define WIPER_METHODS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WIPER_PATTERN_MAX 16
#define WIPER_PASSES_MAX 256

enum wiper_pass_kind {
	WIPER_PASS_PATTERN,	/* fixed bytes, repeated */
	WIPER_PASS_RANDOM,	/* the seeded random stream */
	WIPER_PASS_RANDOM_BYTE,	/* one byte drawn from the seed, repeated */
	WIPER_PASS_COMPLEMENT,	/* bitwise complement of the previous pattern pass */
};

struct wiper_pass_def {
	enum wiper_pass_kind kind;
	uint8_t pattern[WIPER_PATTERN_MAX];
	uint8_t pattern_len;
};

enum wiper_verify_mode { WIPER_VERIFY_NONE, WIPER_VERIFY_LAST, WIPER_VERIFY_ALL, WIPER_VERIFY_SAMPLE };

struct wiper_method {
	const char *name;		/* "dod522022m" */
	const char *title;		/* "DoD 5220.22-M (3 passes)" */
	const char *note;		/* provenance, legacy status */
	const struct wiper_pass_def *passes;
	size_t npasses;
	bool shuffle_middle;		/* Gutmann: shuffle the fixed patterns per job */
	enum wiper_verify_mode default_verify;
};

/* A concrete pass as written to the device. */
struct wiper_pass {
	bool random;			/* stream: data = prng(seed, offset) */
	uint64_t seed;
	uint8_t pattern[WIPER_PATTERN_MAX];
	uint8_t pattern_len;		/* 1..16 when !random */
};

/* The method table. */
const struct wiper_method *wiper_methods(size_t *n);
/* Find a method by name (case-insensitive; "dod" aliases allowed). NULL if unknown. */
const struct wiper_method *wiper_method_find(const char *name);

/*
 * Parse "--pattern" text: comma-separated hex byte strings ("00", "ff",
 * "92,49,24" is three passes, "924924" one 3-byte pass) or "random".
 * Returns the number of pass definitions written into @defs (max @max), or
 * -EINVAL with the reason in @err.
 */
int wiper_pattern_parse(const char *text, struct wiper_pass_def *defs, size_t max, char *err,
			size_t errlen);

/*
 * Resolve @ndefs definitions repeated @rounds times into concrete passes for
 * a job with master @seed (random passes get seeds derived from it, random
 * bytes are drawn from it, Gutmann's middle patterns shuffled with it).
 * Returns the number of passes written to @out (max @max), or -EINVAL.
 */
int wiper_method_resolve(const struct wiper_pass_def *defs, size_t ndefs, bool shuffle_middle,
			 unsigned rounds, uint64_t seed, struct wiper_pass *out, size_t max);

/* "random" or the pattern as hex ("00", "924924"); into @buf. */
const char *wiper_pass_str(const struct wiper_pass *p, char *buf, size_t len);

const char *wiper_verify_str(enum wiper_verify_mode m);
int wiper_verify_parse(const char *s, enum wiper_verify_mode *out);

#endif
