/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Key custody without a TPM: the record's custody members (encoding, strict
 * decoding, old records unchanged) and the ledger's counter gate against a
 * counting custody held in memory (consistent, rolled back, cut, one ahead
 * after a stop between commit and advance, far ahead, another key).
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "certs/custody.h"
#include "certs/custody-impl.h"
#include "certs/ledger.h"
#include "certs/record.h"
#include "tests/unit/cert-fixture.h"

/* ---- the record ---- */

/* Encode @r into a NUL-terminated string (caller frees). */
static char *encode(const struct cert_record *r, size_t *len)
{
	struct cbuf b = { 0 };

	assert_int_equal(cert_record_encode(r, &b), 0);
	assert_int_equal(cbuf_put(&b, "", 1), 0);
	*len = b.len - 1;
	return b.p;
}

static void test_record_members(void **state)
{
	struct cert_record *r = fixture_record(), *d = cert_record_new();
	char err[256], *s;
	size_t len;

	(void)state;
	/* No custody: the members are absent, as in every record before them. */
	s = encode(r, &len);
	assert_null(strstr(s, "\"custody\""));
	assert_null(strstr(s, "\"counter\""));
	assert_int_equal(cert_record_decode(s, len, d, err, sizeof(err)), 0);
	assert_string_equal(d->custody, "");
	free(s);

	snprintf(r->custody, sizeof(r->custody), "tpm");
	r->custody_counter = 41;
	s = encode(r, &len);
	assert_non_null(strstr(s, "\"counter\":41,\"custody\":\"tpm\""));
	assert_int_equal(cert_record_decode(s, len, d, err, sizeof(err)), 0);
	assert_string_equal(d->custody, "tpm");
	assert_int_equal(d->custody_counter, 41);
	free(s);
	cert_record_free(r);
	cert_record_free(d);
}

/* Decode @r's encoding with @from replaced by @to; the decoder's verdict. */
static int decode_edited(const struct cert_record *r, const char *from, const char *to,
			 char *err, size_t errlen)
{
	struct cert_record *d = cert_record_new();
	char *s, *p, buf[65536];
	size_t len;
	int rc, n;

	s = encode(r, &len);
	p = strstr(s, from);
	assert_non_null(p);
	n = snprintf(buf, sizeof(buf), "%.*s%s%s", (int)(p - s), s, to, p + strlen(from));
	assert_true(n > 0 && (size_t)n < sizeof(buf));
	rc = cert_record_decode(buf, (size_t)n, d, err, errlen);
	free(s);
	cert_record_free(d);
	return rc;
}

static void test_record_strict(void **state)
{
	struct cert_record *r = fixture_record();
	char err[256];

	(void)state;
	snprintf(r->custody, sizeof(r->custody), "tpm");
	r->custody_counter = 7;
	assert_int_equal(decode_edited(r, "\"counter\":7,", "", err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "needs \"station.counter\""));
	assert_int_equal(decode_edited(r, ",\"custody\":\"tpm\"", "", err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "needs \"station.custody\""));
	assert_int_equal(decode_edited(r, "\"custody\":\"tpm\"", "\"custody\":\"hsm\"", err,
				       sizeof(err)), -EINVAL);
	assert_int_equal(decode_edited(r, "\"custody\":\"tpm\"", "\"custody\":\"file\"", err,
				       sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "must be 0 for file custody"));
	assert_int_equal(decode_edited(r, "\"counter\":7", "\"counter\":\"7\"", err, sizeof(err)),
			 -EINVAL);
	/* An unknown member still is one, next to the custody pair. */
	assert_int_equal(decode_edited(r, "\"counter\":7,", "\"copy\":1,\"counter\":7,", err,
				       sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "unknown field \"station.copy\""));
	cert_record_free(r);
}

/* ---- a counting custody in memory ---- */

struct fake {
	uint64_t counter;
	int fail_advance;	/* fail this many advances */
};

static int fake_sign(struct cert_custody *c, const uint8_t hash[CERT_HASH_LEN],
		     uint8_t sig[CERT_SIG_LEN])
{
	return cert_sign(c->key, hash, sig);
}

static int fake_read(struct cert_custody *c, uint64_t *v)
{
	*v = ((struct fake *)c->priv)->counter;
	return 0;
}

static int fake_advance(struct cert_custody *c, uint64_t *v)
{
	struct fake *f = c->priv;

	if (f->fail_advance) {
		f->fail_advance--;
		return custody_err(c, NULL, 0, -EIO, "fake: advance failed");
	}
	*v = ++f->counter;
	return 0;
}

static void fake_describe(const struct cert_custody *c, char *buf, size_t len)
{
	snprintf(buf, len, "fake counter");
}

static void fake_free(struct cert_custody *c)
{
	(void)c;
}

static const struct cert_custody_ops fake_ops = {
	.name = CERT_CUSTODY_TPM,	/* records say "tpm": the gate reads them as such */
	.sign = fake_sign,
	.counter_read = fake_read,
	.counter_advance = fake_advance,
	.describe = fake_describe,
	.free = fake_free,
};

static struct cert_custody *fake_new(struct fake *f, uint64_t base)
{
	struct cert_custody *c = calloc(1, sizeof(*c));

	assert_non_null(c);
	c->ops = &fake_ops;
	c->priv = f;
	f->counter = base;
	c->counter_base = base;
	assert_int_equal(cert_key_generate(&c->key), 0);
	cert_key_public(c->key, c->pub);
	cert_key_fingerprint(c->key, c->fp);
	return c;
}

struct fx {
	char *dir;
	char path[512];
	struct fake f;
	struct cert_custody *c;
	struct cert_ledger *l;
};

static int setup(void **state)
{
	struct fx *x = calloc(1, sizeof(*x));
	char err[256];

	x->dir = fixture_tmpdir();
	snprintf(x->path, sizeof(x->path), "%s/l.db", x->dir);
	x->c = fake_new(&x->f, 5);
	assert_int_equal(cert_ledger_open(x->path, CERT_LEDGER_CREATE, &x->l, err, sizeof(err)), 0);
	assert_int_equal(cert_ledger_use_custody(x->l, x->c), 0);
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	struct fx *x = *state;

	cert_ledger_close(x->l);
	cert_custody_free(x->c);
	fixture_rmdir(x->dir);
	free(x->dir);
	free(x);
	return 0;
}

/* Append one record; the ledger's return code. */
static int append(struct fx *x, struct cert_record **out)
{
	struct cert_record *r = fixture_record();
	int rc = cert_ledger_append(x->l, r, NULL);

	if (out)
		*out = r;
	else
		cert_record_free(r);
	return rc;
}

static void test_gate_in_step(void **state)
{
	struct fx *x = *state;
	struct cert_custody_check chk;
	struct cert_record *r;
	char err[512];

	assert_int_equal(certs_custody_check_ledger(x->l, x->c, &chk, err, sizeof(err)), 0);
	assert_true(chk.has_counter);
	assert_int_equal(chk.head_seq, 0);
	assert_int_equal(chk.head_counter, 5);
	assert_int_equal(append(x, NULL), 0);
	assert_int_equal(append(x, NULL), 0);
	assert_int_equal(append(x, &r), 0);
	assert_string_equal(r->custody, "tpm");
	assert_int_equal(r->custody_counter, 8);
	assert_int_equal(x->f.counter, 8);
	cert_record_free(r);
	assert_int_equal(certs_custody_check_ledger(x->l, x->c, &chk, err, sizeof(err)), 0);
	assert_int_equal(chk.head_seq, 3);
	assert_int_equal(chk.tpm_counter, 8);
	assert_false(chk.repaired);
}

static void test_gate_behind(void **state)
{
	struct fx *x = *state;
	struct cert_custody_check chk;
	struct cert_record *r;
	char err[512];
	uint64_t seq;
	uint8_t hash[CERT_HASH_LEN];

	assert_int_equal(append(x, NULL), 0);
	x->f.counter += 2;	/* two appends this ledger no longer holds */
	assert_int_equal(certs_custody_check_ledger(x->l, x->c, &chk, err, sizeof(err)), 1);
	assert_int_equal(chk.missing, 2);
	assert_non_null(strstr(chk.message, "records 2 to 3 are missing"));
	assert_int_equal(append(x, &r), -ESTALE);
	assert_int_equal(r->seq, 0);
	assert_string_equal(r->cert_no, "");
	assert_string_equal(r->custody, "");
	cert_record_free(r);
	assert_non_null(strstr(cert_ledger_error(x->l), "behind the station's TPM counter"));
	assert_int_equal(cert_ledger_head(x->l, NULL, &seq, hash), 0);
	assert_int_equal(seq, 1);
	x->f.counter -= 1;
	assert_int_equal(certs_custody_check_ledger(x->l, x->c, &chk, err, sizeof(err)), 1);
	assert_non_null(strstr(chk.message, "record 2 is missing"));
}

static void test_gate_empty_ledger_behind(void **state)
{
	struct fx *x = *state;
	struct cert_custody_check chk;
	char err[512];

	x->f.counter++;		/* the whole ledger was replaced by an empty one */
	assert_int_equal(certs_custody_check_ledger(x->l, x->c, &chk, err, sizeof(err)), 1);
	assert_non_null(strstr(chk.message, "record 1 is missing"));
}

static void test_gate_repair(void **state)
{
	struct fx *x = *state;
	struct cert_custody_check chk;
	char err[512];

	assert_int_equal(append(x, NULL), 0);
	x->f.fail_advance = 1;	/* committed, then the advance was lost */
	assert_int_equal(append(x, NULL), 0);
	assert_int_equal(x->f.counter, 6);
	assert_non_null(strstr(cert_ledger_error(x->l), "did not advance"));
	assert_int_equal(certs_custody_check_ledger(x->l, x->c, &chk, err, sizeof(err)), 0);
	assert_true(chk.repaired);
	assert_int_equal(x->f.counter, 7);
	/* The next append repairs the same way when nobody checked. */
	x->f.fail_advance = 1;
	assert_int_equal(append(x, NULL), 0);
	assert_int_equal(append(x, NULL), 0);
	assert_int_equal(x->f.counter, 9);
	assert_int_equal(certs_custody_check_ledger(x->l, x->c, &chk, err, sizeof(err)), 0);
	assert_false(chk.repaired);
	assert_int_equal(chk.head_seq, 4);
}

static void test_gate_far_ahead(void **state)
{
	struct fx *x = *state;
	struct cert_custody_check chk;
	char err[512];

	assert_int_equal(append(x, NULL), 0);
	assert_int_equal(append(x, NULL), 0);
	x->f.counter -= 2;	/* not this ledger's counter */
	assert_int_equal(certs_custody_check_ledger(x->l, x->c, &chk, err, sizeof(err)),
			 -EBADMSG);
	assert_non_null(strstr(err, "ahead of the station's TPM counter"));
	assert_int_equal(append(x, NULL), -EBADMSG);
}

static void test_gate_other_key(void **state)
{
	struct fx *x = *state;
	struct cert_custody_check chk;
	struct fake f2;
	struct cert_custody *other = fake_new(&f2, 0);
	char err[512];

	assert_int_equal(append(x, NULL), 0);
	assert_int_equal(certs_custody_check_ledger(x->l, other, &chk, err, sizeof(err)),
			 -EKEYREJECTED);
	assert_non_null(strstr(err, "belongs to station key"));
	assert_int_equal(cert_ledger_use_custody(x->l, other), -EKEYREJECTED);
	cert_custody_free(other);
}

static void test_file_custody(void **state)
{
	struct cert_custody_check chk;
	struct cert_custody *c = NULL;
	struct cert_ledger *l = NULL;
	struct cert_record *r = fixture_record();
	char *dir = fixture_tmpdir(), path[512], err[512], buf[256];

	(void)state;
	snprintf(path, sizeof(path), "%s/d.db", dir);
	assert_int_equal(cert_custody_open("hsm", path, 0, &c, err, sizeof(err)), -EINVAL);
	assert_int_equal(cert_custody_open("file", path, 0, &c, err, sizeof(err)), -ENOENT);
	assert_int_equal(cert_custody_open("file", path, CERT_CUSTODY_CREATE, &c, err, sizeof(err)),
			 0);
	assert_false(cert_custody_has_counter(c));
	assert_int_equal(cert_custody_counter_read(c, NULL), -ENOTSUP);
	assert_int_equal(cert_ledger_open(path, CERT_LEDGER_CREATE, &l, err, sizeof(err)), 0);
	assert_int_equal(cert_ledger_take_custody(l, c), 0);
	assert_int_equal(cert_ledger_append(l, r, NULL), 0);
	assert_string_equal(r->custody, "file");
	assert_int_equal(r->custody_counter, 0);
	assert_non_null(strstr(cert_custody_record_str(r, false, buf, sizeof(buf)), "demo"));
	assert_int_equal(certs_custody_check_ledger(l, c, &chk, err, sizeof(err)), 0);
	assert_false(chk.has_counter);
	assert_non_null(strstr(chk.message, "keeps no counter"));
	if (!cert_custody_tpm_supported()) {
		assert_int_equal(cert_custody_open("tpm", path, 0, &c, err, sizeof(err)), -ENOTSUP);
		assert_non_null(strstr(err, "no TPM support"));
	}
	cert_ledger_close(l);
	cert_record_free(r);
	fixture_rmdir(dir);
	free(dir);
}

static void test_check_path(void **state)
{
	struct cert_custody_check chk;
	struct cert_record *r = fixture_record();
	char *dir = fixture_tmpdir(), path[512], key[600], err[512];
	struct cert_ledger *l = NULL;

	(void)state;
	snprintf(path, sizeof(path), "%s/p.db", dir);
	assert_int_equal(certs_custody_check_path(path, "file", &chk, err, sizeof(err)), 0);
	assert_non_null(strstr(chk.message, "no ledger"));
	assert_int_equal(certs_custody_check_path(path, NULL, &chk, err, sizeof(err)), 0);
	assert_int_equal(certs_custody_check_path(path, "hsm", &chk, err, sizeof(err)), -EINVAL);
	/* Asked for a TPM, not enrolled: said before any TPM is reached. */
	assert_int_equal(certs_custody_check_path(path, "tpm", &chk, err, sizeof(err)),
			 cert_custody_tpm_supported() ? -ENOENT : -ENOTSUP);
	assert_non_null(strstr(err, cert_custody_tpm_supported() ? "certs custody init" :
			       "no TPM support"));
	assert_int_equal(cert_ledger_open(path, CERT_LEDGER_CREATE, &l, err, sizeof(err)), 0);
	assert_int_equal(cert_ledger_append(l, r, NULL), 0);
	cert_ledger_close(l);
	assert_int_equal(certs_custody_check_path(path, "file", &chk, err, sizeof(err)), 0);
	assert_non_null(strstr(chk.message, "keeps no counter"));
	/* The key file gone: the ledger cannot be extended, and that is said first. */
	snprintf(key, sizeof(key), "%s.key", path);
	assert_int_equal(unlink(key), 0);
	assert_int_equal(certs_custody_check_path(path, "file", &chk, err, sizeof(err)), -ENOENT);
	cert_record_free(r);
	fixture_rmdir(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record_members),
		cmocka_unit_test(test_record_strict),
		cmocka_unit_test_setup_teardown(test_gate_in_step, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gate_behind, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gate_empty_ledger_behind, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gate_repair, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gate_far_ahead, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gate_other_key, setup, teardown),
		cmocka_unit_test(test_file_custody),
		cmocka_unit_test(test_check_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
