/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The JSON writer: escaping, nesting, commas. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "wiper/json.h"

static void test_compact(void **state)
{
	struct json_out j;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	json_init(&j, f, false);
	json_obj_begin(&j, NULL);
	json_str(&j, "model", "Q\"x\\y\n\x01");
	json_u64(&j, "size_bytes", 67108864);
	json_arr_begin(&j, "list");
	json_bool(&j, NULL, true);
	json_null(&j, NULL);
	json_i64(&j, NULL, -5);
	json_arr_end(&j);
	json_arr_begin(&j, "empty");
	json_arr_end(&j);
	json_str(&j, "cjk", "\xe4\xb8\xad\xe6\x96\x87");
	json_dbl(&j, "rate", 1.5);
	json_obj_end(&j);
	fclose(f);
	assert_string_equal(buf, "{\"model\":\"Q\\\"x\\\\y\\n\\u0001\",\"size_bytes\":67108864,"
				 "\"list\":[true,null,-5],\"empty\":[],\"cjk\":\"\xe4\xb8\xad\xe6\x96\x87\","
				 "\"rate\":1.5}");
	free(buf);
}

static void test_pretty(void **state)
{
	struct json_out j;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	json_init(&j, f, true);
	json_obj_begin(&j, NULL);
	json_arr_begin(&j, "devices");
	json_obj_begin(&j, NULL);
	json_str(&j, "name", "loop3");
	json_obj_end(&j);
	json_arr_end(&j);
	json_obj_end(&j);
	json_end(&j);
	fclose(f);
	assert_string_equal(buf, "{\n  \"devices\": [\n    {\n      \"name\": \"loop3\"\n    }\n  ]\n}\n");
	free(buf);
}

/* Bytes that are not UTF-8 become U+FFFD; valid sequences, CJK included, pass. */
static void test_not_utf8(void **state)
{
	struct json_out j;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	json_init(&j, f, false);
	json_obj_begin(&j, NULL);
	/* a cp437 label, a cut sequence at the end, an overlong '/', a surrogate */
	json_str(&j, "label", "DATEN\x84\x94 \xe4\xb8\xad\xe4\xb8");
	json_str(&j, "odd", "\xc0\xaf\xed\xa0\x80x\xff");
	json_obj_end(&j);
	json_end(&j);
	fclose(f);
	assert_string_equal(buf, "{\"label\":\"DATEN\\ufffd\\ufffd \xe4\xb8\xad\\ufffd\\ufffd\","
				 "\"odd\":\"\\ufffd\\ufffd\\ufffd\\ufffd\\ufffdx\\ufffd\"}\n");
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compact),
		cmocka_unit_test(test_pretty),
		cmocka_unit_test(test_not_utf8),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
