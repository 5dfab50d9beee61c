/* SPDX-License-Identifier: GPL-3.0-or-later */
/* NVMe admin command building and the Sanitize Status log decoder. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "wiper/nvme-cmd.h"

static void test_sanitize_cdw10(void **state)
{
	struct nvme_sanitize_params p;
	struct wiper_nvme_cmd c;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.action = NVME_SANACT_BLOCK;
	assert_int_equal(nvme_cmd_sanitize(&c, &p), 0);
	assert_int_equal(c.opcode, 0x84);
	assert_int_equal(c.cdw10, 0x2);
	assert_int_equal(c.nsid, 0);
	p.action = NVME_SANACT_CRYPTO;
	p.ause = true;
	p.ndas = true;
	assert_int_equal(nvme_cmd_sanitize(&c, &p), 0);
	assert_int_equal(c.cdw10, 0x4 | 0x8 | 0x200);
	memset(&p, 0, sizeof(p));
	p.action = NVME_SANACT_OVERWRITE;
	p.owpass = 16; /* encoded as 0 */
	p.oipbp = true;
	p.ovrpat = 0xdeadbeef;
	assert_int_equal(nvme_cmd_sanitize(&c, &p), 0);
	assert_int_equal(c.cdw10, 0x3 | 0x100);
	assert_int_equal(c.cdw11, 0xdeadbeef);
	p.owpass = 3;
	assert_int_equal(nvme_cmd_sanitize(&c, &p), 0);
	assert_int_equal(c.cdw10, 0x3 | 0x30 | 0x100);
}

static void test_sanitize_rejects(void **state)
{
	struct nvme_sanitize_params p;
	struct wiper_nvme_cmd c;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.action = NVME_SANACT_EXIT_FAILURE;
	p.ause = true;
	assert_int_equal(nvme_cmd_sanitize(&c, &p), -EINVAL);
	memset(&p, 0, sizeof(p));
	p.action = NVME_SANACT_BLOCK;
	p.owpass = 2;
	assert_int_equal(nvme_cmd_sanitize(&c, &p), -EINVAL);
	p.owpass = 0;
	p.ovrpat = 1;
	assert_int_equal(nvme_cmd_sanitize(&c, &p), -EINVAL);
	memset(&p, 0, sizeof(p));
	p.action = NVME_SANACT_OVERWRITE;
	assert_int_equal(nvme_cmd_sanitize(&c, &p), -EINVAL); /* 0 passes */
	p.owpass = 17;
	assert_int_equal(nvme_cmd_sanitize(&c, &p), -EINVAL);
	p.action = 5;
	assert_int_equal(nvme_cmd_sanitize(&c, &p), -EINVAL);
}

static void test_format_and_log(void **state)
{
	struct wiper_nvme_cmd c;
	uint8_t buf[512];

	(void)state;
	assert_int_equal(nvme_cmd_format(&c, 1, 0, 1, 0), 0);
	assert_int_equal(c.opcode, 0x80);
	assert_int_equal(c.nsid, 1);
	assert_int_equal(c.cdw10, 0x200);
	assert_true(c.timeout_ms >= 600000);
	assert_int_equal(nvme_cmd_format(&c, 0xffffffff, 0x13, 2, 1000), 0);
	assert_int_equal(c.cdw10, 0x3 | 0x400 | 0x1000);
	assert_int_equal(nvme_cmd_format(&c, 1, 0, 3, 0), -EINVAL);

	assert_int_equal(nvme_cmd_get_log(&c, 0x81, 0xffffffff, true, buf, 512), 0);
	assert_int_equal(c.opcode, 0x02);
	assert_int_equal(c.cdw10, 0x81 | 0x8000 | (127u << 16));
	assert_int_equal(c.cdw11, 0);
	assert_int_equal(nvme_cmd_get_log(&c, 0x81, 0, false, buf, 510), -EINVAL);
}

static void test_sanitize_log(void **state)
{
	uint8_t b[512];
	struct nvme_sanitize_log l;

	(void)state;
	memset(b, 0, sizeof(b));
	/* After a successful block erase: SPROG FFFFh, SSTAT 0101h (status 1 + GDE). */
	b[0] = 0xff;
	b[1] = 0xff;
	b[2] = 0x01;
	b[3] = 0x01;
	b[4] = 0x02;
	memset(b + 8, 0xff, 4);
	b[12] = 30;
	assert_int_equal(nvme_sanitize_log_parse(b, sizeof(b), &l), 0);
	assert_int_equal(l.status, NVME_SSTAT_SUCCESS);
	assert_true(l.global_data_erased);
	assert_int_equal(l.scdw10, 2);
	assert_int_equal(l.eto, 0xffffffff);
	assert_int_equal(l.etbe, 30);
	assert_true(nvme_sanitize_progress(&l) == 100.0);
	/* In progress at 1 % (the Intel 660p case): SPROG 655. */
	b[0] = 0x8f;
	b[1] = 0x02;
	b[2] = 0x02;
	b[3] = 0x00;
	assert_int_equal(nvme_sanitize_log_parse(b, sizeof(b), &l), 0);
	assert_int_equal(l.status, NVME_SSTAT_IN_PROGRESS);
	assert_true(nvme_sanitize_progress(&l) > 0.99 && nvme_sanitize_progress(&l) < 1.0);
	/* Failed, with 3 passes done, and SPROG FFFFh: not complete. */
	b[0] = 0xff;
	b[1] = 0xff;
	b[2] = 0x03 | (3 << 3);
	assert_int_equal(nvme_sanitize_log_parse(b, sizeof(b), &l), 0);
	assert_int_equal(l.status, NVME_SSTAT_FAILED);
	assert_int_equal(l.passes_done, 3);
	assert_true(nvme_sanitize_progress(&l) == 0.0);
	/* Reserved status and short buffers are rejected. */
	b[2] = 0x07;
	assert_int_equal(nvme_sanitize_log_parse(b, sizeof(b), &l), -EINVAL);
	assert_int_equal(nvme_sanitize_log_parse(b, 16, &l), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sanitize_cdw10),
		cmocka_unit_test(test_sanitize_rejects),
		cmocka_unit_test(test_format_and_log),
		cmocka_unit_test(test_sanitize_log),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
