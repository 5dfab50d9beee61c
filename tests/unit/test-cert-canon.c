/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Canonical JSON and the record encoding: round trips, known answers, strict rejections. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "certs/canon.h"
#include "certs/chain.h"
#include "certs/record.h"
#include "tests/unit/cert-fixture.h"

/* The fixture in encoding version 2, with its classification of then: records issued before version 3. */
#define RECORD_KAT_2 "5eded0ccc02cb3300c57f64f76330947df8d010a1662f49c10583b78a98bdedb"
#define RECORD_KAT "7cf145382d0f1001193dfe247614479e3d8a6352e773609f25cf274fd25a2035"

/* Parse @in, encode it, and return the canonical text (static buffer). */
static const char *canon_of(const char *in)
{
	static char out[4096];
	struct cbuf b = { 0 };
	struct cj *v = NULL;
	char err[200];

	if (cj_parse(in, strlen(in), &v, NULL, err, sizeof(err)) != 0)
		fail_msg("parse failed: %s", err);
	assert_int_equal(cj_encode(v, &b), 0);
	snprintf(out, sizeof(out), "%s", b.p);
	cbuf_done(&b);
	cj_free(v);
	return out;
}

static void test_known_answers(void **state)
{
	assert_string_equal(canon_of("{ \"b\" : 1, \"a\" : [ true , null , \"x\" ], \"c\": -5 }"),
			    "{\"a\":[true,null,\"x\"],\"b\":1,\"c\":-5}");
	/* Minimal escapes: only quote, backslash and controls; UTF-8 stays literal; \/ unescaped. */
	assert_string_equal(canon_of("\"q\\\" b\\\\ n\\n t\\t u\\u0001 e\\u00e9 s\\/ \\u20ac\""),
			    "\"q\\\" b\\\\ n\\n t\\t u\\u0001 e\xc3\xa9 s/ \xe2\x82\xac\"");
	assert_string_equal(canon_of("\"\\ud83d\\ude00\""), "\"\xf0\x9f\x98\x80\"");
	assert_string_equal(canon_of("\"\\u007f\\u001F\""), "\"\x7f\\u001f\"");
	/* Keys sort bytewise: upper case before lower, shorter prefix first, UTF-8 last. */
	assert_string_equal(canon_of("{\"b\":0,\"aa\":0,\"a\":0,\"B\":0,\"\xc3\xa9\":0}"),
			    "{\"B\":0,\"a\":0,\"aa\":0,\"b\":0,\"\xc3\xa9\":0}");
	assert_string_equal(canon_of("18446744073709551615"), "18446744073709551615");
	assert_string_equal(canon_of("-9223372036854775808"), "-9223372036854775808");
	assert_string_equal(canon_of("{\"o\":{\"z\":{},\"y\":[]}}"), "{\"o\":{\"y\":[],\"z\":{}}}");
}

/* Expect @in to be rejected with a message containing @what. */
static void rejects(const char *in, size_t len, const char *what)
{
	struct cj *v = NULL;
	char err[200] = "";
	int rc = cj_parse(in, len, &v, NULL, err, sizeof(err));

	if (rc != -EINVAL || !strstr(err, what))
		fail_msg("input %s: rc %d, error \"%s\", wanted \"%s\"", in, rc, err, what);
	assert_null(v);
}

static void test_strict_rejections(void **state)
{
	rejects("{\"a\":1,\"a\":2}", 13, "duplicate key \"a\"");
	rejects("\"\xc3\x28\"", 4, "invalid UTF-8");
	rejects("\"\xc0\xaf\"", 4, "invalid UTF-8");		/* overlong '/' */
	rejects("\"\xed\xa0\x80\"", 5, "invalid UTF-8");	/* encoded surrogate */
	rejects("\"\xf4\x90\x80\x80\"", 6, "invalid UTF-8");	/* beyond U+10FFFF */
	rejects("\"\\ud800\"", 8, "lone high surrogate");
	rejects("\"\\udc00\"", 8, "lone low surrogate");
	rejects("\"a\\u0000\"", 9, "U+0000");
	rejects("\"tab\there\"", 10, "unescaped control");
	rejects("{\"a\":1} x", 9, "trailing data");
	rejects("[1,2]]", 6, "trailing data");
	rejects("1.5", 3, "only integers");
	rejects("1e3", 3, "only integers");
	rejects("01", 2, "leading zero");
	rejects("-0", 2, "negative zero");
	rejects("18446744073709551616", 20, "out of range");
	rejects("-9223372036854775809", 20, "out of range");
	rejects("{\"a\" 1}", 7, "expected ':'");
	rejects("[1,]", 4, "unexpected character");
	rejects("{\"a\":1,}", 8, "expected a string key");
	rejects("\"abc", 4, "unterminated string");
	rejects("\"\\x\"", 4, "unknown escape");
	rejects("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]", 68, "nesting");
	rejects("", 0, "unexpected end");
	rejects("nul", 3, "unexpected character");
}

static void test_canonical_form_required(void **state)
{
	struct cj *v = NULL;
	char err[200];
	const char *ok = "{\"a\":1,\"b\":[2]}";

	assert_int_equal(cj_parse_canonical(ok, strlen(ok), &v, err, sizeof(err)), 0);
	cj_free(v);
	assert_int_equal(cj_parse_canonical("{\"b\":1,\"a\":2}", 13, &v, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "not in canonical form"));
	assert_int_equal(cj_parse_canonical("{\"a\": 1}", 8, &v, err, sizeof(err)), -EINVAL);
	assert_int_equal(cj_parse_canonical("\"\\u0041\"", 8, &v, err, sizeof(err)), -EINVAL);
}

/* The encoder never writes what the parser would refuse. */
static void test_encoder_refuses_bad_utf8(void **state)
{
	static const char *const bad[] = { "a\xff", "\xc0\xaf", "\xed\xa0\x80", "ok\xe2\x82" };
	struct cbuf b = { 0 };
	struct cj *o;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct cj *v = cj_str(bad[i]);

		assert_int_equal(cj_encode(v, &b), -EILSEQ);
		cj_free(v);
		o = cj_new(CJ_OBJ);
		assert_int_equal(cj_add(o, bad[i], cj_u64(1)), 0);
		assert_int_equal(cj_encode(o, &b), -EILSEQ);
		cj_free(o);
	}
	cbuf_done(&b);
}

static void test_record_round_trip(void **state)
{
	struct cert_record *r = fixture_record(), *r2 = cert_record_new();
	struct cbuf a = { 0 }, b = { 0 };
	char err[200];

	r->seq = 7;
	snprintf(r->cert_no, sizeof(r->cert_no), "ST01-000007");
	r->bad.n = 2;
	r->bad.lba[0] = 17;
	r->bad.lba[1] = 976773167;
	r->bad.total = 46;
	snprintf(r->notes, sizeof(r->notes), "quote \" backslash \\ newline \n 中文");
	assert_int_equal(cert_record_encode(r, &a), 0);
	if (cert_record_decode(a.p, a.len, r2, err, sizeof(err)) != 0)
		fail_msg("decode: %s", err);
	assert_int_equal(cert_record_encode(r2, &b), 0);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.p, b.p, a.len);
	assert_int_equal(memcmp(r, r2, sizeof(*r)), 0);
	assert_string_equal(r2->steps[2].seed, "feedfacecafebeef");
	assert_string_equal(r2->steps[1].pattern, "ff");
	assert_string_equal(r2->seed, "0123456789abcdef");
	assert_int_equal(r2->verify_coverage_ppm, 1000000);
	assert_int_equal(r2->steps[0].ms, 3600250);
	assert_int_equal(r2->result, CERT_PASSED);
	cbuf_done(&a);
	cbuf_done(&b);
	cert_record_free(r);
	cert_record_free(r2);
}

static void test_record_known_answer(void **state)
{
	struct cert_record *r = fixture_record();
	struct cbuf a = { 0 };
	uint8_t h[32];
	char hx[65];

	snprintf(r->tool_version, sizeof(r->tool_version), "0.1.0");
	r->utc_offset = 28800;	/* what the station's time zone gave; fixed here */
	assert_int_equal(cert_record_encode(r, &a), 0);
	/* The encoding starts with the sorted top-level keys and holds no whitespace between tokens. */
	assert_memory_equal(a.p, "{\"approver\":{\"department\":\"\",\"location\":\"\",\"name\":\"\","
			    "\"organization\":\"\",\"phone\":\"\",\"title\":\"\"},\"cert_no\":\"\","
			    "\"destination\":{\"details\":\"Sold via surplus office\",\"kind\":"
			    "\"external_reuse\"},", 180);
	assert_non_null(strstr(a.p, "\"result\":\"PASSED\""));
	assert_non_null(strstr(a.p, "\"start\":\"2026-11-18T11:06:40Z\""));
	cert_sha256(a.p, a.len, h);
	cert_hex(h, 32, hx);
	/* Golden value: any change to the record encoding changes it. Update with a format bump only. */
	assert_string_equal(hx, RECORD_KAT);
	cbuf_done(&a);
	cert_record_free(r);
}

/* A version-2 record encodes to the very bytes it was signed as, and decodes as version 2. */
static void test_record_version_2(void **state)
{
	struct cert_record *r = fixture_record(), *r2 = cert_record_new();
	struct cbuf a = { 0 }, b = { 0 };
	char hx[65], err[200];
	uint8_t h[32];

	(void)state;
	r->version = 2;
	snprintf(r->tool_version, sizeof(r->tool_version), "0.1.0");
	snprintf(r->origin.classification, sizeof(r->origin.classification), "Confidential");
	r->utc_offset = 0;
	assert_int_equal(cert_record_encode(r, &a), 0);
	assert_non_null(strstr(a.p, "\"format\":\"tabula-record-2\""));
	assert_null(strstr(a.p, "department"));
	assert_null(strstr(a.p, "supervisor2"));
	cert_sha256(a.p, a.len, h);
	cert_hex(h, 32, hx);
	assert_string_equal(hx, RECORD_KAT_2);
	if (cert_record_decode(a.p, a.len, r2, err, sizeof(err)))
		fail_msg("decode v2: %s", err);
	assert_int_equal(r2->version, 2);
	assert_int_equal(cert_record_encode(r2, &b), 0);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.p, b.p, a.len);
	cbuf_done(&a);
	cbuf_done(&b);
	cert_record_free(r);
	cert_record_free(r2);
}

/* A record the fuzz seeds keep from before version 3 decodes, and re-encodes to its own bytes. */
static void test_record_old_file_decodes(void **state)
{
	const char *top = getenv("top_srcdir");
	struct cert_record *r = cert_record_new();
	struct cbuf b = { 0 };
	char path[4096], buf[16384], err[200];
	size_t n;
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/tests/fuzz/seeds/record/seq1.json", top ? top : "..");
	f = fopen(path, "r");
	if (!f)
		fail_msg("%s: cannot open", path);
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	while (n && buf[n - 1] == '\n')
		n--;
	if (cert_record_decode(buf, n, r, err, sizeof(err)))
		fail_msg("old record: %s", err);
	assert_int_equal(r->version, 2);
	assert_string_equal(r->people.witness.name, "Anna Berg");
	assert_string_equal(r->people.supervisor2.name, "");
	assert_int_equal(cert_record_encode(r, &b), 0);
	assert_int_equal(b.len, n);
	assert_memory_equal(b.p, buf, n);
	cbuf_done(&b);
	cert_record_free(r);
}

/* The version-3 fields are encoded, decoded, compared, and refused when malformed. */
static void test_record_version_3_fields(void **state)
{
	struct cert_record *r = fixture_record(), *r2 = cert_record_new();
	struct cbuf a = { 0 };
	char err[200], what[64];
	char *p;

	(void)state;
	snprintf(r->origin.carrier_no, sizeof(r->origin.carrier_no), "ZT-2026-0815");
	snprintf(r->origin.approval_ref, sizeof(r->origin.approval_ref), "保审〔2026〕12号");
	snprintf(r->people.supervisor2.name, sizeof(r->people.supervisor2.name), "王芳");
	snprintf(r->people.approver.name, sizeof(r->people.approver.name), "赵局长");
	snprintf(r->people.operator_.department, sizeof(r->people.operator_.department), "信息中心");
	r->utc_offset = 28800;
	assert_int_equal(cert_record_encode(r, &a), 0);
	assert_non_null(strstr(a.p, "\"format\":\"tabula-record-3\""));
	assert_non_null(strstr(a.p, "\"carrier_no\":\"ZT-2026-0815\""));
	assert_non_null(strstr(a.p, "\"approver\":{"));
	assert_non_null(strstr(a.p, "\"utc_offset\":28800"));
	if (cert_record_decode(a.p, a.len, r2, err, sizeof(err)))
		fail_msg("decode v3: %s", err);
	assert_int_equal(cert_record_diff(r, r2, what, sizeof(what)), 0);
	assert_string_equal(r2->people.supervisor2.name, "王芳");
	assert_string_equal(r2->people.operator_.department, "信息中心");
	assert_int_equal(r2->utc_offset, 28800);
	r2->people.approver.name[0] = 'X';
	assert_int_equal(cert_record_diff(r, r2, what, sizeof(what)), 1);
	assert_string_equal(what, "approver.name");
	/* A version-3 record without its approver, or a version-2 record with one, is refused. */
	p = strstr(a.p, "\"approver\":{");
	memcpy(p, "\"approvez\"", 10);
	if (cert_record_decode(a.p, a.len, r2, err, sizeof(err)) != -EINVAL)
		fail_msg("a renamed approver object was taken");
	memcpy(p, "\"approver\"", 10);
	p = strstr(a.p, "tabula-record-3");
	p[14] = '2';
	if (cert_record_decode(a.p, a.len, r2, err, sizeof(err)) != -EINVAL ||
	    !strstr(err, "unknown field"))
		fail_msg("version 2 with version-3 fields: %s", err);
	cbuf_done(&a);
	cert_record_free(r);
	cert_record_free(r2);
}

/* Decode @json and expect an error containing @what. */
static void record_rejects(const char *json, const char *what)
{
	struct cert_record *r = cert_record_new();
	struct cj *v = NULL;
	char err[300] = "";

	assert_int_equal(cj_parse(json, strlen(json), &v, NULL, err, sizeof(err)), 0);
	if (cert_record_from_cj(v, r, err, sizeof(err)) != -EINVAL || !strstr(err, what))
		fail_msg("wanted \"%s\", got \"%s\"", what, err);
	cj_free(v);
	cert_record_free(r);
}

/* The fixture's canonical text with @from replaced by @to. */
static char *fixture_edit(const char *from, const char *to)
{
	struct cert_record *r = fixture_record();
	struct cbuf a = { 0 }, o = { 0 };
	char *p;

	assert_int_equal(cert_record_encode(r, &a), 0);
	p = strstr(a.p, from);
	assert_non_null(p);
	assert_int_equal(cbuf_put(&o, a.p, (size_t)(p - a.p)), 0);
	assert_int_equal(cbuf_put(&o, to, strlen(to)), 0);
	assert_int_equal(cbuf_put(&o, p + strlen(from), strlen(p + strlen(from))), 0);
	cbuf_done(&a);
	cert_record_free(r);
	return o.p;
}

static void test_record_rejections(void **state)
{
	char *s;

	s = fixture_edit("\"seq\":0,", "\"seq\":0,\"zz\":1,");
	record_rejects(s, "unknown field \"zz\"");
	free(s);
	s = fixture_edit("\"transport\":\"sata\"", "\"transport\":\"sata\",\"extra\":true");
	record_rejects(s, "unknown field \"media.extra\"");
	free(s);
	s = fixture_edit("\"seq\":0,", "");
	record_rejects(s, "missing field \"seq\"");
	free(s);
	s = fixture_edit("\"prev_signature\":\"\",", "");
	record_rejects(s, "missing field \"prev_signature\"");
	free(s);
	s = fixture_edit("\"seq\":0", "\"seq\":\"0\"");
	record_rejects(s, "\"seq\" must be a non-negative integer");
	free(s);
	s = fixture_edit("\"result\":\"PASSED\"", "\"result\":\"MAYBE\"");
	record_rejects(s, "\"result\" has an unknown value");
	free(s);
	s = fixture_edit("\"format\":\"tabula-record-3\"", "\"format\":\"tabula-record-9\"");
	record_rejects(s, "\"format\" must be");
	free(s);
	s = fixture_edit("\"start\":\"2026-11-18T11:06:40Z\"", "\"start\":\"yesterday\"");
	record_rejects(s, "UTC time");
	free(s);
	s = fixture_edit("\"completed\":true", "\"completed\":1");
	record_rejects(s, "steps[0].completed\" must be true or false");
	free(s);
	s = fixture_edit("\"logical_block\":512", "\"logical_block\":4294967296");
	record_rejects(s, "out of range");
	free(s);
}

static void test_from_job(void **state)
{
	struct wiper_job_result *res = fixture_job();
	struct cert_record *r = cert_record_new();
	char err[100];

	res->outcome = WIPER_FAILED;
	res->bad.n = 1;
	res->bad.lba[0] = 99;
	res->bad.total = 46;
	res->verify = WIPER_VERIFY_SAMPLE;
	res->verify_coverage = 0.123456;
	assert_int_equal(cert_record_from_job(r, res, NULL, err, sizeof(err)), 0);
	assert_int_equal(r->result, CERT_FAILED);
	assert_non_null(strstr(r->reason, "destroy"));
	assert_string_equal(r->station_id, "TABULA");
	assert_string_equal(r->make, "WDC");
	assert_string_equal(r->verification_method, "Quick Sampling");
	assert_int_equal(r->verify_coverage_ppm, 123456);
	assert_int_equal(r->bad.total, 46);
	assert_string_equal(r->nist_method_type, "Clear");
	assert_string_equal(r->ieee_technique, "Overwrite");
	free(res);
	cert_record_free(r);
}

static void test_chain_known_answers(void **state)
{
	static const uint8_t seed[32] = {
		0x9d, 0x61, 0xb1, 0x9d, 0xef, 0xfd, 0x5a, 0x60, 0xba, 0x84, 0x4a, 0xf4, 0x92, 0xec,
		0x2c, 0xc4, 0x44, 0x49, 0xc5, 0x69, 0x7b, 0x32, 0x69, 0x19, 0x70, 0x3b, 0xac, 0x03,
		0x1c, 0xae, 0x7f, 0x60,
	};
	uint8_t zero[32] = { 0 }, h[32], sig[64], pub[32];
	char hx[129];
	struct cert_key *k, *pk;

	/* hash_1 = SHA-256(32 zero bytes || "abc") */
	cert_chain_hash(zero, "abc", 3, h);
	cert_hex(h, 32, hx);
	assert_string_equal(hx, "365aa7d8f7f9402c4b9434502b4cc89ddb09fe50d7cd95b493b834c62d5a5370");
	/* RFC 8032 test 1 key; signature of hash_1 computed with openssl pkeyutl -rawin. */
	assert_int_equal(cert_key_from_seed(seed, &k), 0);
	cert_key_public(k, pub);
	cert_hex(pub, 32, hx);
	assert_string_equal(hx, "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
	assert_int_equal(cert_sign(k, h, sig), 0);
	cert_hex(sig, 64, hx);
	assert_string_equal(hx, "2ecb4a141be8cb51335d8f25556236fa76eae912dfe30ccd29edfbe64d66780f"
				"c9e78ee6af27f60f26b84632be2211091e28a0d34870a8a21cdeb01fb162760b");
	assert_int_equal(cert_key_from_public(pub, &pk), 0);
	assert_int_equal(cert_verify_sig(pk, h, sig), 0);
	sig[5] ^= 1;
	assert_int_equal(cert_verify_sig(pk, h, sig), 1);
	sig[5] ^= 1;
	h[0] ^= 0x80;
	assert_int_equal(cert_verify_sig(pk, h, sig), 1);
	assert_int_equal(cert_sign(pk, h, sig), -EINVAL);
	cert_fingerprint(pub, hx);
	assert_int_equal(strlen(hx), 64);
	cert_key_free(k);
	cert_key_free(pk);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_answers),
		cmocka_unit_test(test_strict_rejections),
		cmocka_unit_test(test_canonical_form_required),
		cmocka_unit_test(test_encoder_refuses_bad_utf8),
		cmocka_unit_test(test_record_round_trip),
		cmocka_unit_test(test_record_known_answer),
		cmocka_unit_test(test_record_version_2),
		cmocka_unit_test(test_record_old_file_decodes),
		cmocka_unit_test(test_record_version_3_fields),
		cmocka_unit_test(test_record_rejections),
		cmocka_unit_test(test_from_job),
		cmocka_unit_test(test_chain_known_answers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
