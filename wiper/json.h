/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A small streaming JSON writer for the front ends' --json output: strings are
 * escaped, keys are written in the order given, nesting is tracked.
 */
#ifndef WIPER_JSON_H
#define WIPER_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 32

struct json_out {
	FILE *f;		/* borrowed */
	bool pretty;
	int depth;
	bool need_comma[JSON_MAX_DEPTH];
};

void json_init(struct json_out *j, FILE *f, bool pretty);
/* @key is NULL inside arrays and at the top level. */
void json_obj_begin(struct json_out *j, const char *key);
void json_obj_end(struct json_out *j);
void json_arr_begin(struct json_out *j, const char *key);
void json_arr_end(struct json_out *j);
void json_str(struct json_out *j, const char *key, const char *val); /* NULL -> null */
void json_u64(struct json_out *j, const char *key, uint64_t val);
void json_i64(struct json_out *j, const char *key, int64_t val);
void json_dbl(struct json_out *j, const char *key, double val);
void json_bool(struct json_out *j, const char *key, bool val);
void json_null(struct json_out *j, const char *key);
/* Finish the document with a newline. */
void json_end(struct json_out *j);

#endif
