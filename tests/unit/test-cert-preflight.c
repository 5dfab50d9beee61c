/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Bad input and bad paths: the record rules (certs/validate.h), the
 * preflight before a medium is touched and the output check
 * (certs/preflight.h), and the ledger refusing what the rules refuse.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "certs/issue.h"
#include "certs/ledger.h"
#include "certs/pdf.h"
#include "certs/preflight.h"
#include "certs/text.h"
#include "certs/validate.h"
#include "tests/unit/cert-fixture.h"

struct fx {
	char *dir;
	char ledger[512];
	char err[1024];
};

/* A directory with a ledger holding one record. */
static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct wiper_job_result *res = fixture_job();
	struct cert_issue_opts o = { 0 };
	char no[64];

	f->dir = fixture_tmpdir();
	snprintf(f->ledger, sizeof(f->ledger), "%s/ledger.db", f->dir);
	o.station_id = "ST01";
	if (certs_issue_opts(f->ledger, res, &fixture_people, &o, no, sizeof(no), f->err,
			     sizeof(f->err)))
		fail_msg("certs_issue: %s", f->err);
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

/* "@dir/@name" in a static buffer (one at a time). */
static const char *at(const struct fx *f, const char *name)
{
	static char buf[2][700];
	static int i;

	i ^= 1;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", f->dir, name);
	return buf[i];
}

/* certs_preflight with the fixture's people; its return value. */
static int pf(struct fx *f, const char *ledger)
{
	return certs_preflight(ledger, &fixture_people, &fixture_origin, NULL, f->err,
			       sizeof(f->err));
}

/* Refused with @rc, and the message names @word. */
#define REFUSED(call, rc, word) do {						\
		f->err[0] = '\0';						\
		assert_int_equal((call), (rc));					\
		if (!strstr(f->err, (word)))					\
			fail_msg("message \"%s\" does not say \"%s\"", f->err, (word)); \
	} while (0)

static void test_text_rules(void **state)
{
	char err[256];

	(void)state;
	assert_int_equal(cert_text_check("Li Wei", 10, true, "operator name", err, sizeof(err)), 0);
	assert_int_equal(cert_text_check("李伟 Ökonom", 40, true, "x", err, sizeof(err)), 0);
	assert_int_equal(cert_text_check("", 10, true, "operator name", err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "operator name is empty");
	assert_int_equal(cert_text_check("", 10, false, "notes", err, sizeof(err)), 0);
	assert_int_equal(cert_text_check("abcdefghijk", 10, false, "serial number", err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "serial number is 11 bytes long; at most 10"));
	assert_int_equal(cert_text_check("a\xff", 10, false, "model", err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "model is not valid UTF-8 (byte 2"));
	assert_int_equal(cert_text_check("\xc0\xaf", 10, false, "m", err, sizeof(err)), -EINVAL);
	assert_int_equal(cert_text_check("\xed\xa0\x80", 10, false, "m", err, sizeof(err)), -EINVAL);
	assert_int_equal(cert_text_check("a\tb", 10, false, "notes", err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "control character (U+0009"));
	assert_int_equal(cert_text_check("a\nb", 10, false, "n", err, sizeof(err)), -EINVAL);
	assert_int_equal(cert_text_check("\x1b" "[31m", 10, false, "n", err, sizeof(err)), -EINVAL);
	assert_int_equal(cert_text_check("a\x7f", 10, false, "n", err, sizeof(err)), -EINVAL);
	assert_int_equal(cert_text_check("a\xc2\x85", 10, false, "n", err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "U+0085"));
	/* Bidi overrides, isolates and marks, separators, invisible characters. */
	static const char *const hidden[] = {
		"\xe2\x80\xaa", "\xe2\x80\xae", "\xe2\x81\xa6", "\xe2\x81\xa9", "\xe2\x80\x8e",
		"\xe2\x80\x8f", "\xd8\x9c", "\xe2\x80\xa8", "\xe2\x80\x8b", "\xef\xbb\xbf",
	};
	for (size_t i = 0; i < sizeof(hidden) / sizeof(hidden[0]); i++) {
		char s[16];

		snprintf(s, sizeof(s), "ab%scd", hidden[i]);
		assert_int_equal(cert_text_check(s, 20, false, "serial number", err, sizeof(err)),
				 -EINVAL);
		assert_non_null(strstr(err, "text-direction"));
	}
	/* A value a front end cut to fit its buffer is over the limit. */
	assert_true(cert_field_limit(CERT_STR) < CERT_STR - 1);
	assert_true(cert_field_limit(CERT_TEXT) < CERT_TEXT - 1);
	assert_true(cert_field_limit(64) < 63);
}

static void test_names(void **state)
{
	struct cert_people p = fixture_people;
	char n[64], err[256];

	(void)state;
	cert_name_normalise("  Li \xc2\xa0 WEI\xe3\x80\x80 ", n, sizeof(n));
	assert_string_equal(n, "li wei");
	assert_int_equal(cert_people_check(&p, err, sizeof(err)), 0);
	snprintf(p.witness.name, sizeof(p.witness.name), " li  wei ");
	assert_int_equal(cert_people_check(&p, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "is the operator"));
	snprintf(p.witness.name, sizeof(p.witness.name), "   ");
	assert_int_equal(cert_people_check(&p, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "witness name is only white space"));
	p = fixture_people;
	p.operator_.name[0] = '\0';
	assert_int_equal(cert_people_check(&p, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "operator name is empty");
	p = fixture_people;
	snprintf(p.witness.title, sizeof(p.witness.title), "Officer\xe2\x80\xae");
	assert_int_equal(cert_people_check(&p, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "witness role"));
	assert_int_equal(cert_people_check(NULL, err, sizeof(err)), -EINVAL);
}

static void test_record_rules(void **state)
{
	struct cert_record *r = fixture_record();
	int64_t now = (int64_t)time(NULL);
	struct cbuf c = { 0 };
	char err[256];

	(void)state;
	assert_int_equal(cert_record_check(r, CERT_CHECK_TIMES, now, err, sizeof(err)), 0);
	r->start = r->end = 0;
	assert_int_equal(cert_record_check(r, 0, now, err, sizeof(err)), 0);
	assert_int_equal(cert_record_check(r, CERT_CHECK_TIMES, now, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "start time 1970-01-01T00:00:00Z is before 2020-01-01"));
	r->start = r->end = now + 2 * 86400;
	assert_int_equal(cert_record_check(r, CERT_CHECK_TIMES, now, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "more than a day after"));
	r->start = now;
	r->end = now - 10;
	assert_int_equal(cert_record_check(r, CERT_CHECK_TIMES, now, err, sizeof(err)), -EINVAL);
	r->end = now;
	snprintf(r->station_id, sizeof(r->station_id), "../etc");
	assert_int_equal(cert_record_check(r, 0, now, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "station id"));
	snprintf(r->station_id, sizeof(r->station_id), "ST01");
	snprintf(r->steps[1].answer, sizeof(r->steps[1].answer), "ok\x01");
	assert_int_equal(cert_record_check(r, 0, now, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "step 2 answer"));
	r->steps[1].answer[0] = '\0';
	memset(r->origin.property_number, 'A', sizeof(r->origin.property_number) - 1);
	r->origin.property_number[sizeof(r->origin.property_number) - 1] = '\0';
	assert_int_equal(cert_record_check(r, 0, now, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "asset/property number is 127 bytes"));
	r->origin.property_number[0] = '\0';
	/* The round trip: equal, and a value the encoding cannot hold is named. */
	assert_int_equal(cert_record_encode(r, &c), 0);
	assert_int_equal(cert_record_roundtrip(r, c.p, c.len, err, sizeof(err)), 0);
	memset(&r->steps[0].completed, 2, 1);	/* a bool that is neither 0 nor 1 */
	assert_int_equal(cert_record_roundtrip(r, c.p, c.len, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "steps[0].completed"));
	cbuf_done(&c);
	cert_record_free(r);
}

/* The ledger refuses what the rules refuse, and stays as it was. */
static void test_ledger_refuses(void **state)
{
	struct fx *f = *state;
	struct cert_ledger *l;
	struct cert_record *r = fixture_record();
	struct cert_verify v;
	uint64_t seq;
	uint8_t head[CERT_HASH_LEN];

	assert_int_equal(cert_ledger_open(f->ledger, 0, &l, f->err, sizeof(f->err)), 0);
	snprintf(r->serial, sizeof(r->serial), "SN\xff");
	assert_int_equal(cert_ledger_append(l, r, NULL), -EINVAL);
	assert_non_null(strstr(cert_ledger_error(l), "not appended: serial number is not valid UTF-8"));
	assert_string_equal(r->cert_no, "");
	snprintf(r->serial, sizeof(r->serial), "SN1");
	snprintf(r->people.witness.name, sizeof(r->people.witness.name), "LI WEI");
	assert_int_equal(cert_ledger_append(l, r, NULL), -EINVAL);
	r->people = fixture_people;
	r->end = 1000;
	assert_int_equal(cert_ledger_append(l, r, NULL), -EINVAL);
	assert_int_equal(cert_ledger_head(l, NULL, &seq, head), 0);
	assert_int_equal(seq, 1);
	assert_int_equal(cert_ledger_verify(l, CERT_VERIFY_DEEP, &v), 0);
	cert_ledger_close(l);
	cert_record_free(r);
}

/* certs_issue_opts refuses bad people before it creates a ledger or a key. */
static void test_issue_creates_nothing(void **state)
{
	struct fx *f = *state;
	struct wiper_job_result *res = fixture_job();
	struct cert_people p = fixture_people;
	struct stat st;
	char no[64] = "";

	snprintf(p.operator_.name, sizeof(p.operator_.name), "Li\x1b" "[2JWei");
	assert_int_equal(certs_issue_opts(at(f, "new.db"), res, &p, NULL, no, sizeof(no), f->err,
					  sizeof(f->err)), -EINVAL);
	assert_non_null(strstr(f->err, "operator name holds a control character"));
	assert_int_equal(stat(at(f, "new.db"), &st), -1);
	assert_int_equal(stat(at(f, "new.db.key"), &st), -1);
	assert_string_equal(no, "");
	free(res);
}

static void test_preflight_paths(void **state)
{
	struct fx *f = *state;
	int fd;

	assert_int_equal(pf(f, f->ledger), 0);
	assert_int_equal(pf(f, at(f, "not-yet.db")), 0);
	REFUSED(pf(f, ""), -EINVAL, "no ledger path");
	REFUSED(pf(f, NULL), -EINVAL, "no ledger path");
	REFUSED(pf(f, ":memory:"), -EINVAL, "not a file path");
	REFUSED(pf(f, "file:x.db?mode=memory"), -EINVAL, "not a file path");
	REFUSED(pf(f, "postgresql://u@h/db"), -EINVAL, "not a file path");
	assert_int_equal(symlink(f->ledger, at(f, "link.db")), 0);
	REFUSED(pf(f, at(f, "link.db")), -ELOOP, "symbolic link");
	assert_int_equal(mkdir(at(f, "dir.db"), 0700), 0);
	REFUSED(pf(f, at(f, "dir.db")), -EISDIR, "a directory");
	REFUSED(pf(f, "/dev/null"), -ENODEV, "character device");
	assert_int_equal(mkfifo(at(f, "fifo.db"), 0600), 0);
	REFUSED(pf(f, at(f, "fifo.db")), -ENODEV, "FIFO");
	REFUSED(pf(f, at(f, "no/such/dir/l.db")), -ENOENT, "ledger directory");
	/* A companion file that is a link would be followed by SQLite. */
	assert_int_equal(symlink("/tmp/elsewhere", at(f, "other.db-wal")), 0);
	REFUSED(pf(f, at(f, "other.db")), -ELOOP, "other.db-wal is a symbolic link");
	/* A file that is not a ledger. */
	fd = open(at(f, "junk.db"), O_CREAT | O_WRONLY, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "this is not SQLite, not at all, really no", 41), 41);
	close(fd);
	REFUSED(pf(f, at(f, "junk.db")), -EBADMSG, "cannot be read");
}

/* Copy @from to @to. */
static void copy(const char *from, const char *to)
{
	char *buf;
	size_t len;
	int fd;

	assert_int_equal(cert_read_file(from, &buf, &len), 0);
	fd = open(to, O_CREAT | O_WRONLY | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, buf, len), (ssize_t)len);
	close(fd);
	free(buf);
}

static void test_preflight_key(void **state)
{
	struct fx *f = *state;
	char key[600];
	struct cert_key *k;
	char *pem;
	size_t len;

	snprintf(key, sizeof(key), "%s.key", f->ledger);
	assert_int_equal(certs_key_usable(f->ledger, NULL, f->err, sizeof(f->err)), 0);
	/* Another station's key. */
	assert_int_equal(cert_key_load(at(f, "other.key"), true, &k, NULL, f->err, sizeof(f->err)),
			 0);
	cert_key_free(k);
	REFUSED(certs_key_usable(f->ledger, at(f, "other.key"), f->err, sizeof(f->err)),
		-EKEYREJECTED, "is not the key of ledger");
	/* The key moved away. */
	assert_int_equal(rename(key, at(f, "moved.key")), 0);
	REFUSED(pf(f, f->ledger), -ENOKEY, "is missing");
	/* A link to the right key is still refused. */
	assert_int_equal(symlink(at(f, "moved.key"), key), 0);
	REFUSED(pf(f, f->ledger), -ELOOP, "symbolic link");
	assert_int_equal(unlink(key), 0);
	/* Readable by others. */
	copy(at(f, "moved.key"), key);
	assert_int_equal(chmod(key, 0644), 0);
	REFUSED(pf(f, f->ledger), -EACCES, "not usable");
	/* Not a key at all. */
	assert_int_equal(chmod(key, 0600), 0);
	assert_int_equal(cert_read_file(key, &pem, &len), 0);
	pem[40] ^= 0x01;
	assert_int_equal(unlink(key), 0);
	{
		int fd = open(key, O_CREAT | O_WRONLY, 0600);

		assert_int_equal(write(fd, pem, len), (ssize_t)len);
		close(fd);
	}
	free(pem);
	REFUSED(pf(f, f->ledger), -EINVAL, "not usable");
	/* A new ledger may have no key yet; a broken key beside it is refused. */
	assert_int_equal(pf(f, at(f, "fresh.db")), 0);
	copy(key, at(f, "fresh.db.key"));
	REFUSED(pf(f, at(f, "fresh.db")), -EINVAL, "not usable");
}

static void test_preflight_fields(void **state)
{
	struct fx *f = *state;
	struct cert_people p = fixture_people;
	struct cert_origin o = fixture_origin;
	struct cert_issue_opts io = { 0 };

	snprintf(p.witness.name, sizeof(p.witness.name), "Li Wei");
	REFUSED(certs_preflight(f->ledger, &p, NULL, NULL, f->err, sizeof(f->err)), -EINVAL,
		"is the operator");
	snprintf(o.classification, sizeof(o.classification), "Secret\xe2\x81\xa6");
	REFUSED(certs_preflight(f->ledger, &fixture_people, &o, NULL, f->err, sizeof(f->err)),
		-EINVAL, "classification");
	io.station_id = "ST 01";
	REFUSED(certs_preflight(f->ledger, &fixture_people, NULL, &io, f->err, sizeof(f->err)),
		-EINVAL, "station id");
	io.station_id = "ST01";
	io.notes = "first line\nsecond line";
	REFUSED(certs_preflight(f->ledger, &fixture_people, NULL, &io, f->err, sizeof(f->err)),
		-EINVAL, "notes");
	io.notes = NULL;
	io.origin = &o;
	REFUSED(certs_preflight(f->ledger, NULL, NULL, &io, f->err, sizeof(f->err)), -EINVAL,
		"classification");
	io.origin = NULL;
	io.pdf_dir = at(f, "no-such-dir");
	REFUSED(certs_preflight(f->ledger, NULL, NULL, &io, f->err, sizeof(f->err)), -ENOENT,
		"PDF directory");
	/* Without people (certs recover) only the paths and the key are checked. */
	assert_int_equal(certs_preflight(f->ledger, NULL, NULL, NULL, f->err, sizeof(f->err)), 0);
}

/* A full or read-only filesystem (a small tmpfs; needs root). */
/* A ledger whose schema someone changed: refused before any medium is touched. */
static void test_preflight_schema(void **state)
{
	struct fx *f = *state;
	sqlite3 *db;

	assert_int_equal(pf(f, f->ledger), 0);
	assert_int_equal(sqlite3_open(f->ledger, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TRIGGER keep_quiet BEFORE INSERT ON records"
				      " BEGIN SELECT RAISE(IGNORE); END", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	REFUSED(pf(f, f->ledger), -EBADMSG, "foreign schema trigger \"keep_quiet\"");
}

static void test_preflight_space(void **state)
{
	struct fx *f = *state;
	const char *mnt = at(f, "small");
	char path[700];
	int fd;

	assert_int_equal(mkdir(mnt, 0700), 0);
	if (mount("tabula-test", mnt, "tmpfs", 0, "size=4m") != 0)
		skip();
	snprintf(path, sizeof(path), "%s/l.db", mnt);
	REFUSED(pf(f, path), -ENOSPC, "KiB free");
	assert_int_equal(umount(mnt), 0);
	assert_int_equal(mount("tabula-test", mnt, "tmpfs", 0, "size=64m"), 0);
	assert_int_equal(pf(f, path), 0);
	fd = open(path, O_CREAT | O_WRONLY, 0600);
	close(fd);
	assert_int_equal(mount(NULL, mnt, NULL, MS_REMOUNT | MS_RDONLY, NULL), 0);
	f->err[0] = '\0';
	assert_true(pf(f, path) == -EROFS);
	assert_int_equal(umount(mnt), 0);
}

static void test_output_check(void **state)
{
	struct fx *f = *state;
	char key[600], wal[600], other[700];
	int fd;

	snprintf(key, sizeof(key), "%s.key", f->ledger);
	snprintf(wal, sizeof(wal), "%s-wal", f->ledger);
#define OC(out, force) certs_output_check((out), (force), f->ledger, NULL, f->err, sizeof(f->err))
	assert_int_equal(OC(at(f, "new.pdf"), false), 0);
	REFUSED(OC(f->ledger, true), -EPERM, "the ledger");
	REFUSED(OC(key, true), -EPERM, "station key");
	REFUSED(OC(wal, true), -EPERM, "working file");
	snprintf(other, sizeof(other), "%s-shm", f->ledger);
	REFUSED(OC(other, true), -EPERM, "working file");
	/* A journal that does not exist yet is refused by name. */
	snprintf(other, sizeof(other), "%s-journal", f->ledger);
	REFUSED(OC(other, true), -EPERM, "working file");
	/* Other spellings of the same file. */
	assert_int_equal(mkdir(at(f, "x"), 0700), 0);
	snprintf(other, sizeof(other), "%s/x/../ledger.db", f->dir);
	REFUSED(OC(other, true), -EPERM, "the ledger");
	assert_int_equal(link(f->ledger, at(f, "hard")), 0);
	REFUSED(OC(at(f, "hard"), true), -EPERM, "the ledger");
	assert_int_equal(symlink(key, at(f, "soft")), 0);
	REFUSED(OC(at(f, "soft"), true), -EPERM, "station key");
	/* A configured key path elsewhere. */
	fd = open(at(f, "custody.key"), O_CREAT | O_WRONLY, 0600);
	close(fd);
	REFUSED(certs_output_check(at(f, "custody.key"), true, f->ledger, at(f, "custody.key"),
				   f->err, sizeof(f->err)), -EPERM, "station key");
	/* Devices and directories, even with --force. */
	REFUSED(OC("/dev/null", true), -ENODEV, "character device");
	REFUSED(OC(at(f, "x"), true), -EISDIR, "directory");
	/* An existing file only with --force. */
	fd = open(at(f, "old.pdf"), O_CREAT | O_WRONLY, 0600);
	close(fd);
	REFUSED(OC(at(f, "old.pdf"), false), -EEXIST, "--force");
	assert_int_equal(OC(at(f, "old.pdf"), true), 0);
	REFUSED(OC("", true), -EINVAL, "no output");
#undef OC
}

static void test_escape(void **state)
{
	char buf[128];
	struct cj *v;

	(void)state;
	assert_string_equal(cert_text_escape("Li Wei \xe6\x9d\x8e", buf, sizeof(buf)), "Li Wei \xe6\x9d\x8e");
	assert_string_equal(cert_text_escape("a\x1b" "[31mb", buf, sizeof(buf)), "a\\x1b[31mb");
	assert_string_equal(cert_text_escape("x\ny\tz\\", buf, sizeof(buf)), "x\\ny\\tz\\\\");
	assert_string_equal(cert_text_escape("a\xe2\x80\xae" "b", buf, sizeof(buf)), "a\\u{202e}b");
	assert_string_equal(cert_text_escape("a\xff\xc2\x85", buf, sizeof(buf)), "a\\xff\\x85");
	/* Cut at a whole character or escape. */
	assert_string_equal(cert_text_escape("abc\x1b", buf, 6), "abc");
	v = cj_str_lossy("ok\xff\xc3");
	assert_non_null(v);
	assert_string_equal(v->s, "ok\xef\xbf\xbd\xef\xbf\xbd");
	cj_free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_rules),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_record_rules),
		cmocka_unit_test_setup_teardown(test_ledger_refuses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_issue_creates_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_preflight_paths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_preflight_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_preflight_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_preflight_space, setup, teardown),
		cmocka_unit_test_setup_teardown(test_preflight_schema, setup, teardown),
		cmocka_unit_test_setup_teardown(test_output_check, setup, teardown),
		cmocka_unit_test(test_escape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
