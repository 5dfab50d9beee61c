/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The one glossary (certs/glossary.h): every entry has its Chinese and its
 * source; every value the engine and the record write in English (results,
 * method titles, techniques, media types, verification) has Chinese; the
 * engine's sentences come back in Chinese with their numbers and names kept.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "certs/glossary.h"
#include "certs/record.h"
#include "wiper/caps.h"
#include "wiper/methods.h"

/* Has @s any ASCII letter? */
static int has_latin_word(const char *s)
{
	for (; *s; s++)
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z'))
			return 1;
	return 0;
}

static void every_entry_has_chinese_and_a_source(void **state)
{
	size_t n, i, j;
	const struct cert_term *t = cert_glossary(&n);

	(void)state;
	assert_true(n > 50);
	for (i = 0; i < n; i++) {
		assert_non_null(t[i].zh);
		assert_true(t[i].zh[0] != '\0');
		assert_non_null(t[i].source);
		assert_true(t[i].source[0] != '\0');
		for (j = i + 1; j < n; j++)
			if (!strcmp(t[i].en, t[j].en))
				fail_msg("\"%s\" is in the glossary twice", t[i].en);
	}
}

static void results_and_methods(void **state)
{
	static const enum cert_result res[] = { CERT_PASSED, CERT_FAILED, CERT_INCOMPLETE, CERT_DESTROYED };
	static const char *const zh[] = { "通过", "未通过", "未完成", "已销毁" };
	size_t i;

	(void)state;
	for (i = 0; i < 4; i++)
		assert_string_equal(cert_gloss_zh(cert_result_str(res[i])), zh[i]);
	/* SP 800-88 Rev. 2 / IEEE 2883 methods, GB 46864-2025 techniques. */
	assert_string_equal(cert_gloss_zh("Clear"), "清除");
	assert_string_equal(cert_gloss_zh("Purge"), "净化");
	assert_string_equal(cert_gloss_zh("Destruct"), "销毁");
	assert_string_equal(cert_gloss_zh("Overwrite"), "覆写");
	assert_string_equal(cert_gloss_zh("Block Erase"), "块擦除");
	assert_string_equal(cert_gloss_zh("Cryptographic Erase"), "加密擦除");
	/* Unknown text comes back as it is; English stays English. */
	assert_string_equal(cert_gloss_zh("Samsung SSD 870"), "Samsung SSD 870");
	assert_string_equal(cert_gloss("PASSED", 0), "PASSED");
	assert_string_equal(cert_gloss_zh("Shred"), "粉碎");	/* as typed at the station */
}

/* Every overwrite method's title and every firmware technique the engine names. */
static void every_engine_name(void **state)
{
	const struct wiper_method *m;
	size_t n, i;

	(void)state;
	m = wiper_methods(&n);
	assert_true(n >= 10);
	for (i = 0; i < n; i++)
		if (!strcmp(cert_gloss_zh(m[i].title), m[i].title))
			fail_msg("method title \"%s\" has no Chinese", m[i].title);
	for (i = 0; i < WIPER_TECH_COUNT; i++)
		if (!strcmp(cert_gloss_zh(wiper_tech_str((enum wiper_tech)i)), wiper_tech_str((enum wiper_tech)i)))
			fail_msg("technique \"%s\" has no Chinese", wiper_tech_str((enum wiper_tech)i));
}

static void sentences(void **state)
{
	char buf[300];

	(void)state;
	assert_string_equal(cert_gloss_text("stopped by the operator during writing of pass 7", 1, buf,
					    sizeof(buf)), "操作员在写入第 7 遍时停止");
	assert_string_equal(cert_gloss_text("Clear only: loop device", 1, buf, sizeof(buf)),
			    "仅可清除: 回环设备");
	assert_string_equal(cert_gloss_text("mounted at / (vda)", 1, buf, sizeof(buf)), "已挂载于 / (vda)");
	assert_string_equal(cert_gloss_text("Purge: NVMe sanitize crypto erase", 1, buf, sizeof(buf)),
			    "净化: NVMe 净化 加密擦除");
	assert_string_equal(cert_gloss_text("planned internal_reuse; not sanitized, so destruction", 1,
					    buf, sizeof(buf)), "原计划内部再利用; 未能清除, 故销毁");
	assert_string_equal(cert_gloss_text("verification found 12 blocks that differ (first LBA 2048)", 1,
					    buf, sizeof(buf)), "校验发现 12 个块不符 (首个 LBA 2048)");
	assert_string_equal(cert_gloss_text("the medium stopped answering during verification of pass 2 "
					    "(64 blocks in a row failed) - destroy physically", 1, buf,
					    sizeof(buf)),
			    "介质在第 2 遍的校验中停止响应 (连续 64 块失败), 请物理销毁");
	/* Every reason wiper/exclude.c gives for a medium that cannot be erased. */
	assert_string_equal(cert_gloss_text("records medium (loop2 labelled TABULA-RECORDS)", 1, buf,
					    sizeof(buf)), "记录介质 (loop2, 卷标 TABULA-RECORDS)");
	assert_string_equal(cert_gloss_text("boot medium (sda1 holds the running system)", 1, buf,
					    sizeof(buf)), "启动介质 (sda1 承载正在运行的系统)");
	assert_string_equal(cert_gloss_text("boot medium (Tabula image 'TABULA-1.0')", 1, buf,
					    sizeof(buf)), "启动介质 (Tabula 映像 'TABULA-1.0')");
	assert_string_equal(cert_gloss_text("used as swap (/dev/sdb2)", 1, buf, sizeof(buf)),
			    "用作交换空间 (/dev/sdb2)");
	assert_string_equal(cert_gloss_text("backs loop device /dev/loop3 (sdb1)", 1, buf, sizeof(buf)),
			    "作为回环设备 /dev/loop3 的后备文件所在 (sdb1)");
	assert_string_equal(cert_gloss_text("in use by dm-0", 1, buf, sizeof(buf)), "正被 dm-0 使用");
	assert_string_equal(cert_gloss_text("read-only device", 1, buf, sizeof(buf)), "只读设备");
	assert_string_equal(cert_gloss_text("no medium (size 0)", 1, buf, sizeof(buf)), "无介质 (容量为 0)");
	/* A sentence that does not match in full is not taken for one. */
	assert_string_equal(cert_gloss_text("verification found many blocks", 1, buf, sizeof(buf)),
			    "校验 found many blocks");
	/* Whole words only: a device name is not a term. */
	assert_string_equal(cert_gloss_text("file tabula-passes.img", 1, buf, sizeof(buf)),
			    "文件 tabula-passes.img");
	assert_false(has_latin_word(cert_gloss_text("no partitions or filesystems found", 1, buf,
						    sizeof(buf))));
	/* Not zh: the sentence itself. */
	assert_string_equal(cert_gloss_text("Clear only: loop device", 0, buf, sizeof(buf)),
			    "Clear only: loop device");
	/* A short buffer is cut, never overrun. */
	cert_gloss_text("Clear only: drive offers no sanitize", 1, buf, 8);
	assert_true(strlen(buf) < 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_entry_has_chinese_and_a_source),
		cmocka_unit_test(results_and_methods),
		cmocka_unit_test(every_engine_name),
		cmocka_unit_test(sentences),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
