/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Certificates as PDFs: issue, read back with pdftotext, re-render, verify, tamper. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "certs/issue.h"
#include "certs/ledger.h"
#include "certs/pdf.h"
#include "tests/unit/cert-fixture.h"

struct fx {
	char *dir;
	char ledger[512];
	char cert_no[64];
	char pdf[600];
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct wiper_job_result *res = fixture_job();
	struct cert_issue_opts o = { 0 };
	char err[512];

	f->dir = fixture_tmpdir();
	snprintf(f->ledger, sizeof(f->ledger), "%s/ledger.db", f->dir);
	o.station_id = "ST01";
	o.origin = &fixture_origin;
	o.destination = CERT_DEST_RECYCLING;
	if (certs_issue_opts(f->ledger, res, &fixture_people, &o, f->cert_no, sizeof(f->cert_no), err,
			     sizeof(err)))
		fail_msg("certs_issue: %s", err);
	snprintf(f->pdf, sizeof(f->pdf), "%s/%s.pdf", f->dir, f->cert_no);
	free(res);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	fixture_rmdir(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

/* pdftotext of @pdf, malloc'ed; NULL when poppler is missing. */
static char *pdftext(const char *pdf)
{
	char cmd[1200], *out = NULL;
	size_t cap = 0, len = 0;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "pdftotext -layout '%s' - 2>/dev/null", pdf);
	p = popen(cmd, "r");
	if (!p)
		return NULL;
	for (;;) {
		if (len + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 16384;
			out = realloc(out, cap);
		}
		size_t n = fread(out + len, 1, 4096, p);

		if (n == 0)
			break;
		len += n;
	}
	out[len] = '\0';
	if (pclose(p) != 0 || len == 0) {
		free(out);
		return NULL;
	}
	return out;
}

static void test_issue_and_read_back(void **state)
{
	struct fx *f = *state;
	struct cert_ledger *l;
	struct cert_entry e;
	char *txt, hx[65], err[256];

	assert_string_equal(f->cert_no, "ST01-000001");
	txt = pdftext(f->pdf);
	if (!txt)
		skip();
	assert_int_equal(cert_ledger_open(f->ledger, CERT_LEDGER_READONLY, &l, err, sizeof(err)), 0);
	assert_int_equal(cert_ledger_get(l, NULL, 1, &e), 0);
	cert_hex(e.hash, CERT_HASH_LEN, hx);
	assert_non_null(strstr(txt, "CERTIFICATE OF MEDIA SANITIZATION"));
	assert_non_null(strstr(txt, "ST01-000001"));
	assert_non_null(strstr(txt, "WCC2EJ123456"));		/* serial */
	assert_non_null(strstr(txt, "dod522022m"));		/* method */
	assert_non_null(strstr(txt, "PASSED"));
	assert_non_null(strstr(txt, hx));			/* record hash */
	assert_non_null(strstr(txt, e.fp));			/* key fingerprint */
	assert_non_null(strstr(txt, "Li Wei"));			/* operator */
	assert_non_null(strstr(txt, "Anna Berg"));		/* witness */
	assert_non_null(strstr(txt, "INV-2019-0042"));
	cert_entry_done(&e);
	cert_ledger_close(l);
	free(txt);
}

static void test_rerender_is_identical(void **state)
{
	struct fx *f = *state;
	struct cert_ledger *l;
	struct cert_entry e;
	struct cbuf a = { 0 };
	char *issued, err[256];
	size_t len;

	assert_int_equal(cert_read_file(f->pdf, &issued, &len), 0);
	assert_int_equal(cert_ledger_open(f->ledger, CERT_LEDGER_READONLY, &l, err, sizeof(err)), 0);
	assert_int_equal(cert_ledger_get(l, NULL, 1, &e), 0);
	assert_int_equal(cert_pdf_render(&e, "en", &a, err, sizeof(err)), 0);
	assert_int_equal(a.len, len);
	assert_memory_equal(a.p, issued, len);
	cbuf_done(&a);
	cert_entry_done(&e);
	cert_ledger_close(l);
	free(issued);
}

static void test_verify_pdf(void **state)
{
	struct fx *f = *state;
	struct cert_ledger *l;
	struct cert_entry e;
	char *buf, why[512], err[256], *p;
	size_t len, i;
	int flips = 0;

	assert_int_equal(cert_read_file(f->pdf, &buf, &len), 0);
	assert_int_equal(cert_ledger_open(f->ledger, CERT_LEDGER_READONLY, &l, err, sizeof(err)), 0);
	if (cert_pdf_verify(buf, len, l, &e, why, sizeof(why)))
		fail_msg("verify: %s", why);
	cert_entry_done(&e);
	assert_int_equal(cert_pdf_verify(buf, len, NULL, &e, why, sizeof(why)), 0);
	cert_entry_done(&e);
	/* Flip bytes across the whole file: every change is caught. */
	for (i = len / 97; i < len; i += len / 23 + 1) {
		buf[i] ^= 0x20;
		assert_int_equal(cert_pdf_verify(buf, len, NULL, &e, why, sizeof(why)), 1);
		cert_entry_done(&e);
		buf[i] ^= 0x20;
		flips++;
	}
	assert_true(flips > 20);
	/* Changing the embedded serial breaks its hash. */
	p = memmem(buf, len, "WCC2EJ123456", 12);
	assert_non_null(p);
	p[0] = 'X';
	assert_int_equal(cert_pdf_verify(buf, len, l, &e, why, sizeof(why)), 1);
	assert_non_null(strstr(why, "hash"));
	cert_entry_done(&e);
	p[0] = 'W';
	/* A truncated file has no record. */
	assert_int_equal(cert_pdf_verify(buf, len / 3, NULL, &e, why, sizeof(why)), 1);
	cert_entry_done(&e);
	cert_ledger_close(l);
	free(buf);
}

static void test_chinese(void **state)
{
	struct fx *f = *state;
	struct cert_ledger *l;
	struct cert_entry e;
	struct cbuf a = { 0 }, b = { 0 };
	char err[256], path[700], *txt, why[256];

	if (access("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", R_OK) != 0)
		skip();
	assert_int_equal(cert_ledger_open(f->ledger, CERT_LEDGER_READONLY, &l, err, sizeof(err)), 0);
	assert_int_equal(cert_ledger_get(l, NULL, 1, &e), 0);
	if (cert_pdf_render(&e, "zh", &a, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(cert_pdf_render(&e, "zh", &b, err, sizeof(err)), 0);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.p, b.p, a.len);
	assert_true(a.len < 2000000);
	snprintf(path, sizeof(path), "%s/zh.pdf", f->dir);
	assert_int_equal(cert_write_file(path, a.p, a.len), 0);
	cert_entry_done(&e);
	assert_int_equal(cert_pdf_verify(a.p, a.len, l, &e, why, sizeof(why)), 0);
	txt = pdftext(path);
	if (txt) {
		assert_non_null(strstr(txt, "介质数据清除证明书"));
		assert_non_null(strstr(txt, "WCC2EJ123456"));
		free(txt);
	}
	cbuf_done(&a);
	cbuf_done(&b);
	cert_entry_done(&e);
	cert_ledger_close(l);
}

static void test_register(void **state)
{
	struct fx *f = *state;
	struct cert_ledger *l;
	struct cbuf a = { 0 };
	struct cert_record *r = fixture_record();
	char err[256], path[700], *txt;
	int i;

	assert_int_equal(cert_ledger_open(f->ledger, 0, &l, err, sizeof(err)), 0);
	for (i = 0; i < 80; i++) {
		snprintf(r->serial, sizeof(r->serial), "REG-%03d", i);
		r->end = 1795020000 + i * 3600;
		assert_int_equal(cert_ledger_append(l, r, NULL), 0);
	}
	r->start = r->end = 1700000000;	/* outside the period */
	snprintf(r->serial, sizeof(r->serial), "OLD-ONE");
	assert_int_equal(cert_ledger_append(l, r, NULL), 0);
	if (cert_pdf_register(l, 1794960000, 1795564800, "en", &a, err, sizeof(err)))
		fail_msg("%s", err);
	snprintf(path, sizeof(path), "%s/register.pdf", f->dir);
	assert_int_equal(cert_write_file(path, a.p, a.len), 0);
	txt = pdftext(path);
	if (txt) {
		assert_non_null(strstr(txt, "REGISTER OF SANITIZED"));
		assert_non_null(strstr(txt, "REG-000"));
		assert_non_null(strstr(txt, "REG-079"));
		assert_null(strstr(txt, "OLD-ONE"));
		assert_non_null(strstr(txt, "Chain head"));
		free(txt);
	}
	cbuf_done(&a);
	cert_ledger_close(l);
	cert_record_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_issue_and_read_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rerender_is_identical, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify_pdf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_chinese, setup, teardown),
		cmocka_unit_test_setup_teardown(test_register, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
