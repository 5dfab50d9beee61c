/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libFuzzer target: the ledger reader. The input is an SQLite database image,
 * loaded read-only into memory (sqlite3_deserialize) and handed to the same
 * checks cert_ledger_open() makes on a file, then verified (plain or deep),
 * walked, and its records looked up and decoded, as `certs verify`, `certs
 * list` and `certs show` do. Held in memory, no file is written per input
 * (a file per input ran at ~640 executions per second).
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "certs/chain.h"
#include "certs/ledger.h"
#include "certs/ledger-impl.h"
#include "certs/record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

/* An in-memory SQLite handle over a read-only copy of @data; NULL if refused. */
static sqlite3 *load_image(const uint8_t *data, size_t len)
{
	sqlite3 *db = NULL;
	unsigned char *img;

	if (len == 0 || len > 1 << 24)
		return NULL;
	if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK) {
		sqlite3_close_v2(db);
		return NULL;
	}
	img = sqlite3_malloc64(len);
	if (img == NULL) {
		sqlite3_close_v2(db);
		return NULL;
	}
	memcpy(img, data, len);
	/* SQLite owns @img from here, freed on close even when this fails. */
	if (sqlite3_deserialize(db, "main", img, (sqlite3_int64)len, (sqlite3_int64)len,
				SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY) !=
	    SQLITE_OK) {
		sqlite3_close_v2(db);
		return NULL;
	}
	return db;
}

/*
 * Check an entry the reader handed out; with @arg, decode it as `certs show`
 * does. The walks only check: decoding every record again would fuzz the
 * record decoder, which fuzz-record does on its own (and the deep
 * verification decodes them all).
 */
static int on_entry(const struct cert_entry *e, void *arg)
{
	struct cert_record *r;
	char err[256];

	if (e->canon == NULL && e->canon_len != 0)
		__builtin_trap();
	if (e->canon && e->canon[e->canon_len] != '\0')
		__builtin_trap();	/* readers rely on the NUL after the bytes */
	if (arg == NULL)
		return 0;
	r = cert_record_new();
	if (r == NULL)
		return 0;
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
	sqlite3 *db = load_image(data, len);

	if (db == NULL)
		return 0;
	if (cert_ledger_adopt(db, "fuzz-ledger", CERT_LEDGER_READONLY, &l, err, sizeof(err)) == 0) {
		/* Plain or deep by the last byte: both paths, one per input. */
		memset(&v, 0, sizeof(v));
		cert_ledger_verify(l, (data[len - 1] & 1) ? CERT_VERIFY_DEEP : 0, &v);
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

			on_entry(&e, &e);
			memcpy(no, e.cert_no, sizeof(no));
			no[sizeof(no) - 1] = '\0';
			cert_entry_done(&e);
			cert_ledger_get_cert(l, no, &e);
		}
		cert_entry_done(&e);
		cert_ledger_close(l);
	}
	return 0;
}
