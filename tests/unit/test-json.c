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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compact),
		cmocka_unit_test(test_pretty),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
