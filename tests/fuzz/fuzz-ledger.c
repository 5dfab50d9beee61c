/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libFuzzer target: the ledger reader. The input is written to a scratch
 * SQLite file, which is opened read-only as `certs verify`, `certs list` and
 * `certs show` open it; then verified (plain and deep), walked, and its
 * records looked up and decoded.
 */
#include "config.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "certs/chain.h"
#include "certs/ledger.h"
#include "certs/record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

/* A scratch directory of our own, and the ledger file in it. */
static char dir[64], path[96];

/* Remove the ledger and anything SQLite left beside it. */
static void scrub(void)
{
	static const char *const sfx[] = { "", "-wal", "-shm", "-journal" };
	char p[128];
	size_t i;

	for (i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", path, sfx[i]);
		unlink(p);
	}
}

/* Write @len bytes to the ledger path; false if it could not be done. */
static bool put_file(const uint8_t *data, size_t len)
{
	int fd;

	if (!dir[0]) {
		snprintf(dir, sizeof(dir), "%s/fuzz-ledger-XXXXXX",
			 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
		if (!mkdtemp(dir)) {
			dir[0] = '\0';
			return false;
		}
		snprintf(path, sizeof(path), "%s/ledger.db", dir);
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return false;
	while (len > 0) {
		ssize_t n = write(fd, data, len);

		if (n <= 0) {
			close(fd);
			return false;
		}
		data += n;
		len -= (size_t)n;
	}
	return close(fd) == 0;
}

/* Decode one stored record as `certs show` does. */
static int on_entry(const struct cert_entry *e, void *arg)
{
	struct cert_record *r = cert_record_new();
	char err[256];

	(void)arg;
	if (r == NULL)
		return 0;
	if (e->canon == NULL && e->canon_len != 0)
		__builtin_trap();
	if (e->canon)
		cert_record_decode(e->canon, e->canon_len, r, err, sizeof(err));
	cert_record_free(r);
	return 0;
}

/* Remember the first station's fingerprint. */
static int on_station(const char *fp, const uint8_t pub[CERT_PUB_LEN], const char *station_id,
		      void *arg)
{
	char *first = arg;

	(void)pub;
	(void)station_id;
	if (!first[0])
		snprintf(first, CERT_FP_HEX, "%s", fp);
	return 0;
}

/* Look at one issued PDF hash. */
static int on_pdf(const char *fp, uint64_t seq, const char *lang, const uint8_t sha[CERT_HASH_LEN],
		  void *arg)
{
	(void)fp;
	(void)seq;
	(void)lang;
	(void)sha;
	(void)arg;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct cert_ledger *l = NULL;
	struct cert_entry e = { 0 };
	struct cert_verify v;
	uint8_t head[CERT_HASH_LEN], sha[CERT_HASH_LEN];
	char err[512], fp[CERT_FP_HEX] = "";
	uint64_t seq;

	if (!put_file(data, len))
		return 0;
	if (cert_ledger_open(path, CERT_LEDGER_READONLY, &l, err, sizeof(err)) == 0) {
		memset(&v, 0, sizeof(v));
		cert_ledger_verify(l, 0, &v);
		memset(&v, 0, sizeof(v));
		cert_ledger_verify(l, CERT_VERIFY_DEEP, &v);
		(void)cert_ledger_lang(l);
		cert_ledger_head(l, NULL, &seq, head);
		cert_ledger_each(l, INT64_MIN, INT64_MAX, NULL, on_entry, NULL);
		cert_ledger_each_station(l, on_station, fp);
		if (fp[0]) {
			cert_ledger_each_record(l, fp, on_entry, NULL);
			cert_ledger_pdf_get(l, fp, 1, "en", sha);
		}
		cert_ledger_each_pdf(l, on_pdf, NULL);
		if (cert_ledger_lookup(l, "1", &e) == 0) {
			char no[sizeof(e.cert_no)];

			on_entry(&e, NULL);
			memcpy(no, e.cert_no, sizeof(no));
			no[sizeof(no) - 1] = '\0';
			cert_entry_done(&e);
			cert_ledger_get_cert(l, no, &e);
		}
		cert_entry_done(&e);
		cert_ledger_close(l);
	}
	scrub();
	return 0;
}
