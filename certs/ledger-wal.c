/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The write-ahead log beside a ledger, read as SQLite would recover it. */
#include "config.h"

#include "certs/ledger.h"
#include "certs/ledger-impl.h"

#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "certs/chain.h"
#include "certs/record.h"

/* ---- the write-ahead log, read as SQLite would recover it ---- */

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* SQLite's WAL checksum over @n bytes (a multiple of 8), continuing s[0], s[1]. */
static void wal_sum(const uint8_t *p, size_t n, bool big, uint32_t s[2])
{
	size_t i;

	for (i = 0; i + 8 <= n; i += 8) {
		uint32_t a = big ? get32(p + i) :
			     (uint32_t)p[i] | (uint32_t)p[i + 1] << 8 | (uint32_t)p[i + 2] << 16 |
			     (uint32_t)p[i + 3] << 24;
		uint32_t b = big ? get32(p + i + 4) :
			     (uint32_t)p[i + 4] | (uint32_t)p[i + 5] << 8 | (uint32_t)p[i + 6] << 16 |
			     (uint32_t)p[i + 7] << 24;

		s[0] += a + s[1];
		s[1] += b + s[0];
	}
}

int cert_ledger_check_wal(const void *wal, size_t len, char *why, size_t whylen)
{
	const uint8_t *w = wal;
	uint32_t magic, psz, s[2] = { 0, 0 }, salt1, salt2;
	size_t fsz, off, nframes, i, valid;
	bool big;

	if (len < 32) {
		/* SQLite ignores a log shorter than its header; so can nothing be lost in it. */
		return 0;
	}
	magic = get32(w);
	psz = get32(w + 8);
	if ((magic & 0xfffffffe) != 0x377f0682 || get32(w + 4) != 3007000 || psz < 512 ||
	    psz > 65536 || (psz & (psz - 1))) {
		snprintf(why, whylen, "the write-ahead log's header is damaged: SQLite ignores the"
			 " whole log, so the records it holds are not in the ledger");
		return 1;
	}
	big = magic & 1;
	wal_sum(w, 24, big, s);
	if (s[0] != get32(w + 24) || s[1] != get32(w + 28)) {
		snprintf(why, whylen, "the write-ahead log's header is damaged: SQLite ignores the"
			 " whole log, so the records it holds are not in the ledger");
		return 1;
	}
	salt1 = get32(w + 16);
	salt2 = get32(w + 20);
	fsz = 24 + (size_t)psz;
	nframes = (len - 32) / fsz;
	/* What SQLite recovers: frames of this log's salts whose running checksum holds. */
	for (i = 0, off = 32; i < nframes; i++, off += fsz) {
		const uint8_t *f = w + off;

		if (get32(f + 8) != salt1 || get32(f + 12) != salt2)
			break;
		wal_sum(f, 8, big, s);
		wal_sum(f + 24, psz, big, s);
		if (s[0] != get32(f + 16) || s[1] != get32(f + 20))
			break;
	}
	valid = i;
	/*
	 * SQLite rightly ignores frames left from an earlier round of the log
	 * (another salt), and frames of a transaction whose commit was never
	 * written (a crash mid-append: that record was never acknowledged). A
	 * commit frame of this round after the first frame that fails is a
	 * commit SQLite drops: the ledger silently lacks what it committed.
	 */
	{
		size_t commits = 0, first_commit = 0, last_current = valid;

		for (; i < nframes; i++) {
			const uint8_t *f = w + 32 + i * fsz;

			if (get32(f + 8) != salt1 && get32(f + 12) != salt2)
				continue;
			last_current = i;
			if (get32(f + 4) != 0 && !commits++)
				first_commit = i;
		}
		if (!commits)
			return 0;
		/*
		 * Only the very last frame written, a commit, fails: what a crash
		 * between writing a frame's header and its page leaves (that append
		 * was never acknowledged), and what a changed byte in the newest
		 * commit looks like too. Said, but not a failure: the PDFs and the
		 * registry tell which.
		 */
		if (commits == 1 && first_commit == valid && last_current == valid) {
			snprintf(why, whylen, "the write-ahead log's last frame (%zu) does not check out:"
				 " an append cut short by a crash or power loss, or an altered byte; the"
				 " record it held is not in the ledger (compare with --pdfs DIR and the"
				 " registry)", valid + 1);
			return 2;
		}
		snprintf(why, whylen, "frame %zu of the write-ahead log is damaged (altered, or a write"
			 " cut short): SQLite drops it and the commit at frame %zu, so the ledger lacks"
			 " records it held", valid + 1, first_commit + 1);
		return 1;
	}
}

/* The -wal file beside the ledger file, if there is one. */
int ledger_verify_wal(struct cert_ledger *l, struct cert_verify *v)
{
	char path[4200], why[400];
	FILE *f;
	char *buf = NULL;
	long n;
	int rc = 0;

	if (snprintf(path, sizeof(path), "%s-wal", l->path) >= (int)sizeof(path))
		return 0;
	f = fopen(path, "rbe");
	if (!f)
		return 0;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)n)) && fread(buf, 1, (size_t)n, f) == (size_t)n &&
	    (rc = cert_ledger_check_wal(buf, (size_t)n, why, sizeof(why)))) {
		if (rc == 2) {
			snprintf(v->warning, sizeof(v->warning), "%s", why);
			rc = 0;
		} else {
			rc = ledger_vfail(v, "", 0, NULL, "%s", why);
		}
	}
	free(buf);
	fclose(f);
	return rc;
}
