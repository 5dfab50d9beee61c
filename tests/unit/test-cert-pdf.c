/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Certificates as PDFs: issue, read back with pdftotext, re-render, verify, tamper. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include <cmocka.h>

#include "certs/issue.h"
#include "certs/ledger.h"
#include "certs/pdf.h"
#include "certs/pdf/pdf-impl.h"
#include "certs/qrcode.h"
#include "certs/trust.h"
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
		assert_non_null(strstr(txt, "涉密载体消除证明书"));
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
		assert_non_null(strstr(txt, "REGISTER OF ERASED AND DESTROYED CARRIERS"));
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

/* Are pdftoppm and zbarimg there? */
static bool have_scanner(void)
{
	return system("command -v pdftoppm >/dev/null && command -v zbarimg >/dev/null") == 0;
}

/* The text zbarimg reads from page 1 of @pdf rendered at 150 dpi, malloc'ed; NULL if none. */
static char *scan_qr(const char *dir, const char *pdf)
{
	char cmd[2000], path[700], *out = NULL;
	size_t len;

	snprintf(cmd, sizeof(cmd), "pdftoppm -r 150 -png -f 1 -l 1 '%s' '%s/scan' && zbarimg -q --raw"
		 " '%s/scan-1.png' > '%s/scan.txt'", pdf, dir, dir, dir);
	if (system(cmd) != 0)
		return NULL;
	snprintf(path, sizeof(path), "%s/scan.txt", dir);
	if (cert_read_file(path, &out, &len))
		return NULL;
	return out;
}

/* The QR code of @pdf (entry @e of ledger @l) scans, holds exactly its text, and verifies. */
static void assert_qr_scans(const char *dir, const char *pdf, struct cert_ledger *l,
			    const struct cert_entry *e, const char *cert_no)
{
	char want[600], why[512], err[256], *got = scan_qr(dir, pdf);
	struct cert_trust t;
	struct cert_qr q;

	assert_non_null(got);
	assert_int_equal(cert_qr_text(e, cert_no, want, sizeof(want)), 0);
	/* zbarimg ends the text with one more newline. */
	assert_true(strncmp(got, want, strlen(want)) == 0);
	if (cert_qr_parse(got, &q, err, sizeof(err)))
		fail_msg("parse: %s", err);
	assert_int_equal(q.seq, e->seq);
	assert_memory_equal(q.hash, e->hash, CERT_HASH_LEN);
	assert_memory_equal(q.sig, e->sig, CERT_SIG_LEN);
	assert_string_equal(q.cert_no, cert_no);
	assert_int_equal(cert_qr_verify(&q, NULL, why, sizeof(why)), CERT_QR_UNTRUSTED);
	/* A store that has not enrolled the station does not vouch for it, signature or not. */
	assert_int_equal(cert_trust_get(l, e->fp, &t), 0);
	if (t.state != CERT_TRUST_ENROLLED) {
		assert_int_equal(cert_qr_verify(&q, l, why, sizeof(why)), CERT_QR_NOT_GENUINE);
		assert_non_null(strstr(why, "not enrolled"));
		assert_int_equal(cert_trust_enrol(l, e->fp, "desk"), 0);
	}
	if (cert_qr_verify(&q, l, why, sizeof(why)) != CERT_QR_GENUINE)
		fail_msg("qr verify: %s", why);
	/* Another number, position or hash is caught. */
	q.cert_no[strlen(q.cert_no) - 1]++;
	assert_int_equal(cert_qr_verify(&q, l, why, sizeof(why)), CERT_QR_NOT_GENUINE);
	q.cert_no[strlen(q.cert_no) - 1]--;
	q.seq++;
	assert_int_equal(cert_qr_verify(&q, l, why, sizeof(why)), CERT_QR_NOT_GENUINE);
	q.seq--;
	q.hash[3] ^= 1;
	assert_int_equal(cert_qr_verify(&q, NULL, why, sizeof(why)), CERT_QR_NOT_GENUINE);
	assert_non_null(strstr(why, "signature"));
	free(got);
}

/* The issued erase certificate's QR code, and the Chinese one's, scan and verify. */
static void test_qr_scans(void **state)
{
	struct fx *f = *state;
	struct cert_ledger *l;
	struct cert_entry e;
	struct cbuf zh = { 0 };
	char err[256], path[700];

	if (!have_scanner())
		skip();
	assert_int_equal(cert_ledger_open(f->ledger, 0, &l, err, sizeof(err)), 0);
	assert_int_equal(cert_ledger_get(l, NULL, 1, &e), 0);
	assert_qr_scans(f->dir, f->pdf, l, &e, f->cert_no);
	if (access("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", R_OK) == 0) {
		assert_int_equal(cert_pdf_render(&e, "zh", &zh, err, sizeof(err)), 0);
		snprintf(path, sizeof(path), "%s/zh.pdf", f->dir);
		assert_int_equal(cert_write_file(path, zh.p, zh.len), 0);
		assert_qr_scans(f->dir, path, l, &e, f->cert_no);
	}
	cbuf_done(&zh);
	cert_entry_done(&e);
	cert_ledger_close(l);
}

/* The largest QR code: a 40-byte station id and a seven-digit position still scan. */
static void test_qr_text_bounds(void **state)
{
	struct cert_entry e = { 0 };
	struct cert_qr q;
	char buf[600], err[256];
	size_t i;

	(void)state;
	for (i = 0; i < CERT_SIG_LEN; i++)
		e.sig[i] = (uint8_t)(i * 7);
	e.seq = 1234567;
	assert_int_equal(cert_qr_text(&e, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCD-1234567", buf,
				      sizeof(buf)), 0);
	assert_int_equal(cert_qr_parse(buf, &q, err, sizeof(err)), 0);
	assert_memory_equal(q.sig, e.sig, CERT_SIG_LEN);
	assert_true(strlen(buf) < 331);		/* version 13 at level M holds 331 bytes */
	/* Strict: CR LF accepted, anything else in the lines refused. */
	{
		char crlf[700], *o = crlf, *p;

		for (p = buf; *p; p++) {
			if (*p == '\n')
				*o++ = '\r';
			*o++ = *p;
		}
		*o = '\0';
		assert_int_equal(cert_qr_parse(crlf, &q, err, sizeof(err)), 0);
	}
	buf[strlen(buf) - 2] = '=';		/* a padding character in PK= */
	assert_int_equal(cert_qr_parse(buf, &q, err, sizeof(err)), -EINVAL);
	assert_int_equal(cert_qr_parse("TABULA-CERT:x;SHA256:y", &q, err, sizeof(err)), -EINVAL);
}

/* A register is signed, verifies, anchors the chain heads, and a tampered one does not. */
static void test_register_signed(void **state)
{
	struct fx *f = *state;
	struct cert_register_info info;
	struct cert_ledger *l, *cut;
	struct cbuf a = { 0 }, u = { 0 };
	struct cert_record *r = fixture_record();
	char err[256], why[512], path[700], *p;
	size_t i;

	assert_int_equal(cert_ledger_open(f->ledger, 0, &l, err, sizeof(err)), 0);
	assert_int_equal(cert_ledger_append(l, r, NULL), 0);
	if (cert_pdf_register(l, 1794960000, 1795564800, "en", &a, err, sizeof(err)))
		fail_msg("%s", err);
	assert_true(cert_pdf_is_register(a.p, a.len));
	if (cert_register_verify(a.p, a.len, l, &info, why, sizeof(why)))
		fail_msg("register verify: %s", why);
	assert_int_equal(info.rows, 2);
	assert_int_equal(info.stations, 1);
	assert_string_equal(info.signer_fp, cert_ledger_fingerprint(l));
	assert_int_equal(cert_register_verify(a.p, a.len, NULL, &info, why, sizeof(why)), 0);
	/* The same register renders to the same bytes (the verifier relies on it). */
	assert_int_equal(cert_pdf_register(l, 1794960000, 1795564800, "en", &u, err, sizeof(err)), 0);
	assert_int_equal(u.len, a.len);
	assert_memory_equal(u.p, a.p, a.len);
	/* A serial changed in the embedded content breaks the signature. */
	p = memmem(a.p, a.len, "WCC2EJ123456", 12);
	assert_non_null(p);
	p[1] = 'D';
	assert_int_equal(cert_register_verify(a.p, a.len, NULL, &info, why, sizeof(why)), 1);
	assert_non_null(strstr(why, "signature"));
	p[1] = 'C';
	/* Flips anywhere else in the file are caught too. */
	for (i = a.len / 50; i < a.len; i += a.len / 17 + 1) {
		a.p[i] ^= 0x01;
		assert_int_equal(cert_register_verify(a.p, a.len, NULL, &info, why, sizeof(why)), 1);
		a.p[i] ^= 0x01;
	}
	/* A ledger cut below the chain head the register anchors is named. */
	snprintf(path, sizeof(path), "%s/cut.db", f->dir);
	assert_int_equal(cert_ledger_export(l, path, 1), 0);
	assert_int_equal(cert_ledger_open(path, CERT_LEDGER_READONLY, &cut, err, sizeof(err)), 0);
	assert_int_equal(cert_register_verify(a.p, a.len, cut, &info, why, sizeof(why)), 1);
	assert_non_null(strstr(why, "cut or rolled back"));
	cert_ledger_close(cut);
	/* Without the station key, the register says it is unsigned, and does not verify. */
	cbuf_done(&u);
	assert_int_equal(cert_pdf_register_key(l, NULL, 1794960000, 1795564800, "en", &u, err,
					       sizeof(err)), 0);
	assert_int_equal(cert_register_verify(u.p, u.len, NULL, &info, why, sizeof(why)), 1);
	assert_non_null(strstr(why, "not signed"));
	cbuf_done(&u);
	cbuf_done(&a);
	cert_ledger_close(l);
	cert_record_free(r);
}

/* A certificate issued in layout 1 (before the QR code moved) still verifies and re-prints. */
static void test_layout_1_still_verifies(void **state)
{
	struct fx *f = *state;
	struct cert_record *r = fixture_record();
	struct cert_ledger *l;
	struct cert_entry e = { 0 }, got = { 0 };
	struct cbuf old = { 0 }, again = { 0 };
	uint8_t sha[CERT_HASH_LEN];
	char err[256], why[512], path[1024], *buf;
	const char *top = getenv("top_srcdir");
	size_t len;

	/* A file the first layout's code made (tests/fuzz/seeds, rendered by Tabula before). */
	snprintf(path, sizeof(path), "%s/tests/fuzz/seeds/pdf-verify/cert.pdf", top ? top : "..");
	if (top)
		assert_int_equal(cert_read_file(path, &buf, &len), 0);	/* under make check */
	if (top || cert_read_file(path, &buf, &len) == 0) {
		if (cert_pdf_verify(buf, len, NULL, &got, why, sizeof(why)))
			fail_msg("layout 1 file: %s", why);
		cert_entry_done(&got);
		buf[len / 2] ^= 0x01;
		assert_int_equal(cert_pdf_verify(buf, len, NULL, &got, why, sizeof(why)), 1);
		cert_entry_done(&got);
		free(buf);
	}
	/* A record whose issued PDF was layout 1: certs pdf gives that very file back. */
	assert_int_equal(cert_ledger_open(f->ledger, 0, &l, err, sizeof(err)), 0);
	assert_int_equal(cert_ledger_append(l, r, &e), 0);
	assert_int_equal(pd_cert_render(&e, "en", PD_LAYOUT_1, &old, err, sizeof(err)), 0);
	assert_non_null(memmem(old.p, old.len, CERT_BUNDLE_FORMAT_1, strlen(CERT_BUNDLE_FORMAT_1)));
	cert_sha256(old.p, old.len, sha);
	assert_int_equal(cert_ledger_pdf_put(l, e.fp, e.seq, "en", sha), 0);
	assert_int_equal(cert_pdf_render_issued(l, &e, "en", &again, err, sizeof(err)), 0);
	assert_int_equal(again.len, old.len);
	assert_memory_equal(again.p, old.p, old.len);
	if (cert_pdf_verify(old.p, old.len, l, &got, why, sizeof(why)))
		fail_msg("layout 1 with ledger: %s", why);
	cert_entry_done(&got);
	/* Without an issued hash, the current layout. */
	assert_int_equal(cert_pdf_render_issued(NULL, &e, "en", &again, err, sizeof(err)), 0);
	assert_non_null(memmem(again.p, again.len, CERT_BUNDLE_FORMAT, strlen(CERT_BUNDLE_FORMAT)));
	cbuf_done(&old);
	cbuf_done(&again);
	cert_entry_done(&e);
	cert_ledger_close(l);
	cert_record_free(r);
}

/*
 * Layout 2 printed sizes in decimal units ("MB"); layout 3 in IEC units as
 * the screens do. A layout-2 certificate already issued still verifies and
 * re-prints byte for byte; a new one says MiB/GiB.
 */
static void test_layout_2_still_verifies(void **state)
{
	struct fx *f = *state;
	struct cert_record *r = fixture_record();
	struct cert_ledger *l;
	struct cert_entry e = { 0 }, got = { 0 };
	struct cbuf old = { 0 }, again = { 0 };
	uint8_t sha[CERT_HASH_LEN];
	char err[256], why[512], sz[64];

	/* A version-2 record, as records were before the 保密 fields. */
	r->version = 2;
	r->utc_offset = 0;
	assert_int_equal(cert_ledger_open(f->ledger, 0, &l, err, sizeof(err)), 0);
	assert_int_equal(cert_ledger_append(l, r, &e), 0);
	assert_non_null(memmem(e.canon, e.canon_len, "tabula-record-2", 15));
	assert_int_equal(pd_cert_render(&e, "en", PD_LAYOUT_2, &old, err, sizeof(err)), 0);
	assert_non_null(memmem(old.p, old.len, CERT_BUNDLE_FORMAT_2, strlen(CERT_BUNDLE_FORMAT_2)));
	if (cert_pdf_verify(old.p, old.len, NULL, &got, why, sizeof(why)))
		fail_msg("layout 2: %s", why);
	cert_entry_done(&got);
	cert_sha256(old.p, old.len, sha);
	assert_int_equal(cert_ledger_pdf_put(l, e.fp, e.seq, "en", sha), 0);
	assert_int_equal(cert_pdf_render_issued(l, &e, "en", &again, err, sizeof(err)), 0);
	assert_int_equal(again.len, old.len);
	assert_memory_equal(again.p, old.p, old.len);
	cbuf_done(&again);
	/* The size as each layout writes it. */
	pd_fmt_size(PD_LAYOUT_2, 500107862016ull, sz, sizeof(sz));
	assert_string_equal(sz, "500.1 GB (500107862016 bytes)");
	pd_fmt_size(PD_LAYOUT_3, 500107862016ull, sz, sizeof(sz));
	assert_string_equal(sz, "466 GiB (500107862016 bytes)");
	pd_fmt_size(PD_LAYOUT_3, 64ull << 20, sz, sizeof(sz));
	assert_string_equal(sz, "64 MiB (67108864 bytes)");
	assert_int_equal(cert_pdf_render_issued(NULL, &e, "en", &again, err, sizeof(err)), 0);
	assert_non_null(memmem(again.p, again.len, CERT_BUNDLE_FORMAT, strlen(CERT_BUNDLE_FORMAT)));
	if (cert_pdf_verify(again.p, again.len, NULL, &got, why, sizeof(why)))
		fail_msg("layout 3: %s", why);
	cert_entry_done(&got);
	cbuf_done(&old);
	cbuf_done(&again);
	cert_entry_done(&e);
	cert_ledger_close(l);
	cert_record_free(r);
}

/*
 * What was issued before the fonts were embedded still verifies: a Chinese
 * layout-2 certificate and a format-1 register made by that code (files in
 * tests/), re-rendered with their referenced fonts to the same bytes. New
 * certificates embed their fonts and name no base-14 font.
 */
static void test_referenced_fonts_still_verify(void **state)
{
	static const char *const files[] = { "tests/fixtures/pdf/cert-layout2-zh.pdf",
					      "tests/fuzz/seeds/pdf-verify/register.pdf" };
	struct fx *f = *state;
	struct cert_record *r = fixture_record();
	struct cert_register_info info;
	struct cert_ledger *l;
	struct cert_entry e = { 0 }, got = { 0 };
	struct cbuf now = { 0 };
	const char *top = getenv("top_srcdir");
	char err[256], why[512], path[1024], *buf;
	size_t i, len;
	int rc;

	if (access(CJK_FONT, R_OK))
		skip();
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", top ? top : "..", files[i]);
		assert_int_equal(cert_read_file(path, &buf, &len), 0);
		assert_null(memmem(buf, len, "/FontFile2", 10));
		rc = i ? cert_register_verify(buf, len, NULL, &info, why, sizeof(why)) :
			 cert_pdf_verify(buf, len, NULL, &got, why, sizeof(why));
		if (rc)
			fail_msg("%s: %d %s", files[i], rc, why);
		cert_entry_done(&got);
		buf[len - 200] ^= 0x01;
		rc = i ? cert_register_verify(buf, len, NULL, &info, why, sizeof(why)) :
			 cert_pdf_verify(buf, len, NULL, &got, why, sizeof(why));
		assert_int_equal(rc, 1);
		cert_entry_done(&got);
		free(buf);
	}
	assert_int_equal(cert_ledger_open(f->ledger, 0, &l, err, sizeof(err)), 0);
	assert_int_equal(cert_ledger_append(l, r, &e), 0);
	assert_int_equal(pd_cert_render(&e, "zh", PD_LAYOUT_CURRENT, &now, err, sizeof(err)), 0);
	assert_non_null(memmem(now.p, now.len, "/FontFile2", 10));
	assert_null(memmem(now.p, now.len, "/BaseFont /Helvetica", 20));
	assert_null(memmem(now.p, now.len, "/BaseFont /Courier", 18));
	assert_non_null(memmem(now.p, now.len, "+WenQuanYiMicroHei", 18));
	cbuf_done(&now);
	cert_entry_done(&e);
	cert_ledger_close(l);
	cert_record_free(r);
}

/* A register of format 1 (portrait, before the 保密 register) still verifies, and a changed byte is caught. */
static void test_register_format_1_still_verifies(void **state)
{
	const char *top = getenv("top_srcdir");
	struct cert_register_info info;
	char path[1024], why[512], *buf;
	size_t len;

	(void)state;
	snprintf(path, sizeof(path), "%s/tests/fuzz/seeds/pdf-verify/register.pdf", top ? top : "..");
	if (cert_read_file(path, &buf, &len)) {
		if (top)
			fail_msg("%s: cannot read", path);	/* under make check it must be there */
		skip();
	}
	assert_non_null(memmem(buf, len, CERT_REGISTER_FORMAT_1, strlen(CERT_REGISTER_FORMAT_1)));
	if (cert_register_verify(buf, len, NULL, &info, why, sizeof(why)))
		fail_msg("format-1 register: %s", why);
	buf[len / 2] ^= 0x01;
	assert_int_not_equal(cert_register_verify(buf, len, NULL, &info, why, sizeof(why)), 0);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_register_format_1_still_verifies),
		cmocka_unit_test_setup_teardown(test_layout_2_still_verifies, setup, teardown),
		cmocka_unit_test_setup_teardown(test_issue_and_read_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rerender_is_identical, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify_pdf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_chinese, setup, teardown),
		cmocka_unit_test_setup_teardown(test_register, setup, teardown),
		cmocka_unit_test_setup_teardown(test_qr_scans, setup, teardown),
		cmocka_unit_test(test_qr_text_bounds),
		cmocka_unit_test_setup_teardown(test_register_signed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_layout_2_still_verifies, setup, teardown),
		cmocka_unit_test_setup_teardown(test_layout_1_still_verifies, setup, teardown),
		cmocka_unit_test_setup_teardown(test_referenced_fonts_still_verify, setup, teardown),
		cmocka_unit_test(test_register_format_1_still_verifies),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
