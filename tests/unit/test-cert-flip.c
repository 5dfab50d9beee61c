/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Every byte of a ledger is evidence: an exhaustive single-byte sweep.
 *
 * A small real ledger (three issued certificates with their PDF notes, one
 * open job noted by the station) is changed one byte at a time (each byte
 * XOR each mask, default 0xff); every change must either be reported by
 * the verifier (cert_ledger_verify, what `certs verify` runs) or leave
 * everything the reading commands are given byte-identical: each record
 * as cert_ledger_each, cert_ledger_get/lookup and the serial and period
 * walks hand it out (list, show, find, pdf, register, export), the chain
 * head, the open jobs and their signatures (recover), the station keys
 * (trust fingerprint, merge), the language setting. The reading commands
 * print nothing else, so equal inputs give equal output.
 *
 * Then the same for the write-ahead log of a ledger whose newest record is
 * still in it (a copy taken while the station had the ledger open).
 *
 * Held in memory (sqlite3_deserialize) for the file; the WAL cases that
 * the log check passes are opened from files. Prints the counts and the
 * time. TABULA_FLIP_MASKS="ff 01 80" sweeps more patterns.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

#include <sqlite3.h>

#include "certs/issue.h"
#include "certs/journal.h"
#include "certs/ledger.h"
#include "certs/ledger-impl.h"
#include "certs/trust.h"
#include "tests/unit/cert-fixture.h"

#define NREC 3

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Append printf output to @b (the reads transcript). */
__attribute__((format(printf, 2, 3)))
static void out(struct cbuf *b, const char *fmt, ...)
{
	char buf[8192];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0 || cbuf_put(b, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1))
		abort();
}

static void out_hex(struct cbuf *b, const void *p, size_t n)
{
	char hx[2 * 64 + 1];
	size_t i;

	for (i = 0; i < n; i += 64) {
		cert_hex((const uint8_t *)p + i, n - i < 64 ? n - i : 64, hx);
		out(b, "%s", hx);
	}
}

static int put_entry(const struct cert_entry *e, void *arg)
{
	struct cbuf *b = arg;

	out(b, "E %s %" PRIu64 " %s %s %" PRId64 " %" PRId64 " ", e->fp, e->seq, e->cert_no, e->serial,
	    e->ended, e->issued);
	out_hex(b, e->prev, CERT_HASH_LEN);
	out_hex(b, e->hash, CERT_HASH_LEN);
	out_hex(b, e->sig, CERT_SIG_LEN);
	out_hex(b, e->pub, CERT_PUB_LEN);
	out(b, " %zu ", e->canon_len);
	if (cbuf_put(b, e->canon, e->canon_len))
		abort();
	out(b, "\n");
	return 0;
}

static int put_job(const struct cert_open_job *j, void *arg)
{
	struct cbuf *b = arg;

	out(b, "J %" PRId64 " %s %" PRId64 " %" PRIu64 " %" PRId64 " %s %d %zu ", j->id, j->boot_id,
	    j->pid, j->pid_start, j->started, j->serial, j->sig_ok, j->record_len);
	if (cbuf_put(b, j->record, j->record_len))
		abort();
	out(b, "\n");
	return 0;
}

static int put_station(const char *fp, const uint8_t pub[CERT_PUB_LEN], const char *id, void *arg)
{
	struct cbuf *b = arg;

	out(b, "S %s %s ", fp, id);
	out_hex(b, pub, CERT_PUB_LEN);
	out(b, "\n");
	return 0;
}

static int put_trust(const struct cert_trust *t, void *arg)
{
	out(arg, "T %s %s %d %" PRId64 " %" PRId64 " %s\n", t->fp, t->name, (int)t->state, t->enrolled,
	    t->revoked, t->reason);
	return 0;
}

/* What the baseline holds, to ask the damaged copies the same questions. */
static char cert_nos[NREC + 1][64], serials[NREC + 1][CERT_STR];
static int64_t endeds[NREC + 1];

static int note(const struct cert_entry *e, void *arg)
{
	(void)arg;
	if (e->seq >= 1 && e->seq <= NREC) {
		snprintf(cert_nos[e->seq], sizeof(cert_nos[0]), "%s", e->cert_no);
		snprintf(serials[e->seq], sizeof(serials[0]), "%s", e->serial);
		endeds[e->seq] = e->ended;
	}
	return 0;
}

/* Everything the reading commands are given, as text. */
static void reads(struct cert_ledger *l, struct cbuf *b)
{
	struct cert_entry e;
	uint8_t h[CERT_HASH_LEN];
	uint64_t seq, i;
	int rc;

	out(b, "lang %s\n", cert_ledger_lang(l));
	out(b, "all %d\n", cert_ledger_each(l, INT64_MIN, INT64_MAX, NULL, put_entry, b));
	for (i = 0; i <= NREC + 1; i++) {
		memset(&e, 0, sizeof(e));
		rc = cert_ledger_get(l, NULL, i, &e);
		out(b, "get %" PRIu64 " %d\n", i, rc);
		if (!rc)
			put_entry(&e, b);
		cert_entry_done(&e);
	}
	for (i = 1; i <= NREC; i++) {
		memset(&e, 0, sizeof(e));
		rc = cert_ledger_lookup(l, cert_nos[i], &e);
		out(b, "lookup %s %d %" PRIu64 "\n", cert_nos[i], rc, rc ? 0 : e.seq);
		cert_entry_done(&e);
		out(b, "find %s %d\n", serials[i],
		    cert_ledger_each(l, INT64_MIN, INT64_MAX, serials[i], put_entry, b));
		/* The register's period walk, one period per record and one around them all. */
		out(b, "period %" PRIu64 " %d\n", i,
		    cert_ledger_each(l, endeds[i], endeds[i] + 1, NULL, put_entry, b));
	}
	out(b, "span %d\n", cert_ledger_each(l, endeds[1] - 86400, endeds[NREC] + 86400, NULL,
					     put_entry, b));
	rc = cert_ledger_head(l, NULL, &seq, h);
	out(b, "head %d %" PRIu64 " ", rc, seq);
	out_hex(b, h, CERT_HASH_LEN);
	out(b, "\njobs %d\n", cert_ledger_each_job(l, put_job, b));
	out(b, "stations %d\n", cert_ledger_each_station(l, put_station, b));
	out(b, "trust %d\n", cert_trust_each(l, put_trust, b));
}

/* Open an image in memory as `certs` opens a file read-only. NULL when refused. */
static struct cert_ledger *open_image(const uint8_t *img, size_t len)
{
	struct cert_ledger *l = NULL;
	unsigned char *copy;
	sqlite3 *db = NULL;
	char err[256];

	if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK)
		abort();
	copy = sqlite3_malloc64(len);
	if (!copy)
		abort();
	memcpy(copy, img, len);
	/*
	 * An image in memory cannot be in WAL mode: read it in rollback mode
	 * (header bytes 18, 19); with no log beside it, that reads the same.
	 * Changes to those two bytes are tried on a file instead.
	 */
	if (len > 19 && copy[18] == 2 && copy[19] == 2)
		copy[18] = copy[19] = 1;
	if (sqlite3_deserialize(db, "main", copy, (sqlite3_int64)len, (sqlite3_int64)len,
				SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY) !=
	    SQLITE_OK) {
		sqlite3_close_v2(db);
		return NULL;
	}
	if (cert_ledger_adopt(db, "flip", CERT_LEDGER_READONLY, &l, err, sizeof(err)))
		return NULL;
	return l;
}

struct tally {
	unsigned long flips, detected, benign, bad;
};

/*
 * Judge one opened (or refused, @l NULL) damaged ledger against @base.
 * @what names the change for a failure report.
 */
static void judge(struct cert_ledger *l, const struct cbuf *base, struct tally *t,
		  const char *what)
{
	struct cert_verify v;
	struct cbuf b = { 0 };

	t->flips++;
	if (!l || cert_ledger_verify(l, 0, &v) != 0) {
		t->detected++;
		cert_ledger_close(l);
		return;
	}
	reads(l, &b);
	cert_ledger_close(l);
	if (b.len == base->len && !memcmp(b.p, base->p, b.len)) {
		t->benign++;
	} else {
		size_t i = 0;

		while (i < b.len && i < base->len && b.p[i] == base->p[i])
			i++;
		if (t->bad++ < 20)
			fprintf(stderr, "FAIL: %s: certs verify passes, but the reading commands are"
				" given something else (from byte %zu of the transcript: \"%.80s\""
				" instead of \"%.80s\")\n", what, i, b.p + i, base->p + i);
	}
	cbuf_done(&b);
}

static int read_all(const char *path, uint8_t **p, size_t *len)
{
	FILE *f = fopen(path, "rb");
	long n;

	if (!f)
		return -errno;
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fclose(f);
		return -EIO;
	}
	*p = malloc((size_t)n + 1);
	*len = (size_t)n;
	if (!*p || fread(*p, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		return -EIO;
	}
	fclose(f);
	return 0;
}

static int write_all(const char *path, const uint8_t *p, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		return -errno;
	if (fwrite(p, 1, len, f) != len) {
		fclose(f);
		return -EIO;
	}
	return fclose(f) ? -errno : 0;
}

/* Issue record @i (1-based) into @path, as wiper erase --ledger does. */
static void issue(const char *path, int i)
{
	struct wiper_job_result *res = fixture_job();
	struct cert_issue_opts o = { .station_id = "FLIP" };
	char no[64], err[512];

	o.origin = &fixture_origin;
	snprintf(res->serial, sizeof(res->serial), "SN-FLIP-%d", i);
	res->start += 86400 * i;
	res->end += 86400 * i;
	if (certs_issue_opts(path, res, &fixture_people, &o, no, sizeof(no), err, sizeof(err))) {
		fprintf(stderr, "issue: %s\n", err);
		exit(1);
	}
	free(res);
}

/* Note an open job, as a station does before it touches a medium. */
static void note_job(const char *path)
{
	struct wiper_job_result *res = fixture_job();
	struct cert_issue_opts o = { .station_id = "FLIP" };
	char err[512];
	int64_t id;

	o.origin = &fixture_origin;
	snprintf(res->serial, sizeof(res->serial), "SN-FLIP-JOB");
	if (certs_job_begin(path, res, &fixture_people, &o, &id, err, sizeof(err))) {
		fprintf(stderr, "job: %s\n", err);
		exit(1);
	}
	free(res);
}

int main(void)
{
	const char *masks_env = getenv("TABULA_FLIP_MASKS");
	char *dir = fixture_tmpdir(), path[512], wpath[600], fpath[600], fwal[600], fshm[600];
	char masks_buf[64], *tok, *save = NULL, what[128], why[256];
	struct cbuf base = { 0 }, wbase = { 0 };
	struct tally ft = { 0 }, wt = { 0 };
	struct cert_ledger *l;
	uint8_t *img = NULL, *dbimg = NULL, *wal = NULL;
	size_t len, dblen, wallen, off;
	unsigned masks[8], nmasks = 0, m;
	sqlite3 *hold = NULL;
	double t0;
	unsigned long warned = 0;
	char err[256];
	int crc;
	int i, rc = 0;

	if (!dir)
		return 99;
	snprintf(masks_buf, sizeof(masks_buf), "%s", masks_env ? masks_env : "ff");
	for (tok = strtok_r(masks_buf, " ,", &save); tok && nmasks < 8;
	     tok = strtok_r(NULL, " ,", &save))
		if ((masks[nmasks] = (unsigned)strtoul(tok, NULL, 16) & 0xff))
			nmasks++;
	snprintf(path, sizeof(path), "%s/station.db", dir);
	for (i = 1; i <= NREC; i++)
		issue(path, i);
	note_job(path);
	if (read_all(path, &img, &len)) {
		fprintf(stderr, "cannot read %s\n", path);
		return 99;
	}
	/* The baseline: it verifies, and what the reading commands are given. */
	l = open_image(img, len);
	{
		struct cert_verify v = { 0 };

		if (!l || cert_ledger_verify(l, 0, &v) != 0) {
			fprintf(stderr, "FAIL: the untouched ledger does not verify: %s\n", v.reason);
			return 1;
		}
	}
	cert_ledger_each(l, INT64_MIN, INT64_MAX, NULL, note, NULL);
	reads(l, &base);
	cert_ledger_close(l);

	if (getenv("TABULA_FLIP_ONLY")) {
		/* Debugging: one offset, in this process, with the verifier's answer. */
		struct cert_verify v = { 0 };
		struct cbuf b = { 0 };

		off = strtoul(getenv("TABULA_FLIP_ONLY"), NULL, 10);
		img[off] ^= (uint8_t)masks[0];
		l = open_image(img, len);
		printf("open %s, verify %d: %s\n", l ? "ok" : "refused", l ? cert_ledger_verify(l, 0, &v) : -1,
		       v.reason);
		if (l) {
			reads(l, &b);
			printf("%.*s", (int)b.len, b.p);
			printf("error: %s\n", cert_ledger_error(l));
			cert_ledger_close(l);
		}
		return 0;
	}
	t0 = now();
	{
		/* Two workers (the offsets split by parity), each reporting its tally through a pipe. */
		int fds[2][2], w;
		pid_t pids[2];

		for (w = 0; w < 2; w++) {
			if (pipe(fds[w]) || (pids[w] = fork()) < 0)
				return 99;
			if (pids[w] == 0) {
				struct tally mine = { 0 };

				close(fds[w][0]);
				for (m = 0; m < nmasks; m++)
					for (off = (size_t)w; off < len; off += 2) {
						img[off] ^= (uint8_t)masks[m];
						snprintf(what, sizeof(what), "ledger byte %zu (page %zu) ^ 0x%02x",
							 off, off / 4096 + 1, masks[m]);
						if (off == 18 || off == 19) {
							snprintf(fpath, sizeof(fpath), "%s/f%d.db", dir, w);
							if (write_all(fpath, img, len))
								_exit(99);
							if (cert_ledger_open(fpath, CERT_LEDGER_READONLY, &l, err,
									     sizeof(err)))
								l = NULL;
							judge(l, &base, &mine, what);
							unlink(fpath);
						} else {
							judge(open_image(img, len), &base, &mine, what);
						}
						img[off] ^= (uint8_t)masks[m];
					}
				if (write(fds[w][1], &mine, sizeof(mine)) != (ssize_t)sizeof(mine))
					_exit(99);
				_exit(0);
			}
			close(fds[w][1]);
		}
		for (w = 0; w < 2; w++) {
			struct tally got;
			int status;

			if (read(fds[w][0], &got, sizeof(got)) != (ssize_t)sizeof(got) ||
			    waitpid(pids[w], &status, 0) != pids[w] || !WIFEXITED(status) ||
			    WEXITSTATUS(status)) {
				fprintf(stderr, "a sweep worker failed\n");
				return 99;
			}
			close(fds[w][0]);
			ft.flips += got.flips;
			ft.detected += got.detected;
			ft.benign += got.benign;
			ft.bad += got.bad;
		}
	}
	printf("ledger file: %zu bytes, %lu changes: %lu reported by verify, %lu leave every read"
	       " identical, %lu neither; %.1f s\n", len, ft.flips, ft.detected, ft.benign, ft.bad,
	       now() - t0);

	/*
	 * The write-ahead log: a copy of the medium taken while the station had
	 * the ledger open, its newest record still in the log.
	 */
	if (sqlite3_open_v2(path, &hold, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_exec(hold, "SELECT count(*) FROM records", NULL, NULL, NULL) != SQLITE_OK) {
		fprintf(stderr, "cannot hold %s open\n", path);
		return 99;
	}
	issue(path, NREC + 1);
	snprintf(wpath, sizeof(wpath), "%s-wal", path);
	if (read_all(path, &dbimg, &dblen) || read_all(wpath, &wal, &wallen) || wallen <= 32) {
		printf("SKIP: the write-ahead log holds no frames here; its sweep did not run\n");
		sqlite3_close(hold);
		goto done;
	}
	sqlite3_close(hold);
	snprintf(fpath, sizeof(fpath), "%s/w.db", dir);
	snprintf(fwal, sizeof(fwal), "%s/w.db-wal", dir);
	snprintf(fshm, sizeof(fshm), "%s/w.db-shm", dir);
	if (write_all(fpath, dbimg, dblen) || write_all(fwal, wal, wallen)) {
		fprintf(stderr, "cannot write %s\n", fpath);
		return 99;
	}
	if (cert_ledger_open(fpath, CERT_LEDGER_READONLY, &l, err, sizeof(err)) ||
	    cert_ledger_verify(l, 0, &(struct cert_verify){ 0 }) != 0) {
		fprintf(stderr, "FAIL: the ledger with its log does not verify: %s\n", err);
		return 1;
	}
	reads(l, &wbase);
	cert_ledger_close(l);
	if (!strstr((const char *)wbase.p, "SN-FLIP-4")) {
		fprintf(stderr, "FAIL: the newest record is not read from the log\n");
		return 1;
	}
	t0 = now();
	for (m = 0; m < nmasks; m++)
		for (off = 0; off < wallen; off++) {
			wal[off] ^= (uint8_t)masks[m];
			snprintf(what, sizeof(what), "log byte %zu (frame %zu) ^ 0x%02x", off,
				 off < 32 ? 0 : (off - 32) / (24 + 4096) + 1, masks[m]);
			if ((crc = cert_ledger_check_wal(wal, wallen, why, sizeof(why)))) {
				/* certs verify reports this whatever else it finds (2: as a warning). */
				wt.flips++;
				wt.detected++;
				if (crc == 2)
					warned++;
			} else {
				unlink(fshm);
				if (write_all(fpath, dbimg, dblen) || write_all(fwal, wal, wallen))
					return 99;
				if (cert_ledger_open(fpath, CERT_LEDGER_READONLY, &l, err, sizeof(err)))
					l = NULL;
				judge(l, &wbase, &wt, what);
			}
			wal[off] ^= (uint8_t)masks[m];
		}
	printf("write-ahead log: %zu bytes (%zu frames), %lu changes: %lu reported by verify (%lu of"
	       " them as a warning: the last frame, which a crash mid-write leaves alike), %lu leave"
	       " every read identical, %lu neither; %.1f s\n", wallen, (wallen - 32) / 4120,
	       wt.flips, wt.detected, warned, wt.benign, wt.bad, now() - t0);
done:
	if (ft.bad || wt.bad)
		rc = 1;
	cbuf_done(&base);
	cbuf_done(&wbase);
	free(img);
	free(dbimg);
	free(wal);
	fixture_rmdir(dir);
	free(dir);
	return rc;
}
