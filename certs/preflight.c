/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Checks before a medium is touched, and before a file is written (certs/preflight.h). */
#include "config.h"

#include "certs/preflight.h"
#include "certs/custody.h"

#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "certs/chain.h"
#include "certs/ledger-impl.h"
#include "certs/ledger.h"
#include "certs/pdf.h"
#include "certs/policy.h"
#include "certs/validate.h"
#include "wiper/base/base.h"

/* "@a@b" into @buf; -ENAMETOOLONG when it does not fit. */
static int join(char *buf, size_t len, const char *a, const char *b)
{
	int n = snprintf(buf, len, "%s%s", a, b);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* The directory part of @path into @buf. */
static int dir_of(const char *path, char *buf, size_t len)
{
	char tmp[4096];

	if (join(tmp, sizeof(tmp), path, ""))
		return -ENAMETOOLONG;
	return join(buf, len, dirname(tmp), "");
}

/* What kind of thing @st is, for messages. */
static const char *kind_of(const struct stat *st)
{
	if (S_ISDIR(st->st_mode))
		return "a directory";
	if (S_ISBLK(st->st_mode))
		return "a block device";
	if (S_ISCHR(st->st_mode))
		return "a character device";
	if (S_ISFIFO(st->st_mode))
		return "a FIFO";
	if (S_ISSOCK(st->st_mode))
		return "a socket";
	return "not a regular file";
}

/* An existing @path must be a regular file and no symbolic link; *@exists says whether it is there. */
static int regular_or_absent(const char *path, const char *what, bool *exists, char *err,
			     size_t errlen)
{
	struct stat st;

	*exists = false;
	if (lstat(path, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		return base_errf(err, errlen, -errno, "%s %s: %s", what, path, strerror(errno));
	}
	*exists = true;
	if (S_ISLNK(st.st_mode))
		return base_errf(err, errlen, -ELOOP, "%s %s is a symbolic link; give the real file", what,
			    path);
	if (S_ISREG(st.st_mode))
		return 0;
	return base_errf(err, errlen, S_ISDIR(st.st_mode) ? -EISDIR : -ENODEV,
		    "%s %s is %s, not a ledger file", what, path, kind_of(&st));
}

/* The ledger path itself, its companions and its directory. */
static int ledger_path_ok(const char *path, bool *exists, char *err, size_t errlen)
{
	static const char *const companions[] = { "-wal", "-shm", "-journal" };
	char buf[4096], dir[4096];
	struct stat st;
	bool there;
	size_t i;
	int rc;

	if (!path || !path[0])
		return base_errf(err, errlen, -EINVAL, "no ledger path given: certificates would be lost");
	if (!strcmp(path, ":memory:") || !strncmp(path, "file:", 5) || strstr(path, "://"))
		return base_errf(err, errlen, -EINVAL, "ledger %s is not a file path: the ledger must be a"
			    " file on the records medium", path);
	if ((rc = regular_or_absent(path, "ledger", exists, err, errlen)))
		return rc;
	for (i = 0; i < sizeof(companions) / sizeof(companions[0]); i++) {
		if (join(buf, sizeof(buf), path, companions[i]))
			return base_errf(err, errlen, -ENAMETOOLONG, "ledger path is too long");
		if ((rc = regular_or_absent(buf, "ledger file", &there, err, errlen)))
			return rc;
		/*
		 * A companion that is another name of the ledger (or of any file)
		 * would have SQLite write its log over the records: one name each.
		 */
		if (there && lstat(buf, &st) == 0) {
			struct stat lst;
			bool ledger = *exists && lstat(path, &lst) == 0 && lst.st_dev == st.st_dev &&
				      lst.st_ino == st.st_ino;

			if (st.st_nlink != 1 || ledger)
				return base_errf(err, errlen, -EMLINK, "ledger file %s is a hard link"
						 " (%ju names%s): SQLite would write through it into"
						 " another file; nothing was written. Move it aside and"
						 " run certs verify", buf, (uintmax_t)st.st_nlink,
						 ledger ? ", one of them the ledger" : "");
		}
	}
	if (dir_of(path, dir, sizeof(dir)))
		return base_errf(err, errlen, -ENAMETOOLONG, "ledger path is too long");
	if (stat(dir, &st) < 0)
		return base_errf(err, errlen, -errno, "ledger directory %s: %s", dir, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return base_errf(err, errlen, -ENOTDIR, "ledger directory %s is not a directory", dir);
	return 0;
}

int certs_ledger_path_ok(const char *ledger_path, char *err, size_t errlen)
{
	bool exists;

	return ledger_path_ok(ledger_path, &exists, err, errlen);
}

/*
 * The key custody that will sign: a TPM-held key (asked for, or the ledger
 * was enrolled with one) must unseal and the ledger must not be behind the
 * TPM's counter (rolled back, cut); a key file must be usable.
 */
static int custody_usable(const char *ledger_path, const struct cert_issue_opts *o, bool exists,
			  char *err, size_t errlen)
{
	const char *spec = o->custody ? o->custody : getenv("TABULA_CUSTODY");
	struct cert_custody_check chk;
	char sealed[4096];
	bool tpm;
	int rc;

	if (join(sealed, sizeof(sealed), ledger_path, ".sealed"))
		return base_errf(err, errlen, -ENAMETOOLONG, "ledger path is too long");
	/* A ledger enrolled with a TPM never falls back to a key file: the custody says so. */
	tpm = access(sealed, F_OK) == 0 || (spec && strncmp(spec, "tpm", 3) == 0);
	if (!tpm)
		return certs_key_usable(ledger_path, o->key_path, err, errlen);
	if (spec && strncmp(spec, "file", 4) == 0)
		return base_errf(err, errlen, -EPERM, "the key of ledger %s is sealed by a TPM (%s): a key"
			    " file cannot sign for it (leave out --custody file)", ledger_path, sealed);
	if (access(sealed, F_OK) != 0)
		return base_errf(err, errlen, -ENOKEY, "TPM custody was asked for, but ledger %s has no"
				 " station key sealed by a TPM (%s is missing): set up the records"
				 " medium first (certs custody setup)", ledger_path, sealed);
	if (!exists)
		return 0;	/* enrolled, no record yet */
	rc = certs_custody_check_path(ledger_path, spec, &chk, err, errlen);
	if (rc > 0)
		return base_errf(err, errlen, -ESTALE, "%s", chk.message);
	return rc;
}

int certs_key_usable(const char *ledger_path, const char *key_path, char *err, size_t errlen)
{
	char path[4096], have[CERT_FP_HEX] = "", fp[CERT_FP_HEX], lerr[512];
	struct cert_ledger *l = NULL;
	struct cert_key *k = NULL;
	struct stat st;
	int rc;

	if (key_path ? join(path, sizeof(path), key_path, "") :
		       join(path, sizeof(path), ledger_path, ".key"))
		return base_errf(err, errlen, -ENAMETOOLONG, "key path is too long");
	if (access(ledger_path, F_OK) == 0) {
		rc = cert_ledger_open(ledger_path, CERT_LEDGER_READONLY, &l, lerr, sizeof(lerr));
		/* A schema of someone else's would refuse the record after the erase: say so now. */
		if (rc == 0 && (rc = ledger_schema_gate(l))) {
			base_errf(err, errlen, rc, "%s", cert_ledger_error(l));
			cert_ledger_close(l);
			return rc;
		}
		if (rc == 0)
			rc = ledger_own_fp(l, have);
		else if (rc == -ENOENT)
			rc = 0;		/* an empty file: no records, no station yet */
		if (rc) {
			base_errf(err, errlen, rc, "ledger %s cannot be read: %s", ledger_path,
			     l ? cert_ledger_error(l) : lerr);
			cert_ledger_close(l);
			return rc;
		}
		cert_ledger_close(l);
	}
	if (lstat(path, &st) < 0) {
		if (errno == ENOENT && !have[0])
			return 0;	/* made on the first append */
		if (errno == ENOENT)
			return base_errf(err, errlen, -ENOKEY, "station key %s is missing: this ledger"
				    " cannot be signed", path);
		return base_errf(err, errlen, -errno, "station key %s: %s", path, strerror(errno));
	}
	if (S_ISLNK(st.st_mode))
		return base_errf(err, errlen, -ELOOP, "station key %s is a symbolic link", path);
	if (!S_ISREG(st.st_mode))
		return base_errf(err, errlen, -ENODEV, "station key %s is %s", path, kind_of(&st));
	rc = cert_key_load(path, false, &k, NULL, lerr, sizeof(lerr));
	if (rc)
		return base_errf(err, errlen, rc, "station key %s is not usable: %s", path, lerr);
	cert_key_fingerprint(k, fp);
	cert_key_free(k);
	if (have[0] && strcmp(have, fp))
		return base_errf(err, errlen, -EKEYREJECTED, "station key %s is not the key of ledger %s"
			    " (it signs as %.16s, the ledger's station is %.16s)", path, ledger_path,
			    fp, have);
	return 0;
}

/* Room for a record and its PDF under @dir, writable. */
static int dir_room(const char *dir, const char *what, char *err, size_t errlen)
{
	struct statvfs sv;
	struct stat st;

	if (stat(dir, &st) < 0)
		return base_errf(err, errlen, -errno, "%s %s: %s", what, dir, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return base_errf(err, errlen, -ENOTDIR, "%s %s is not a directory", what, dir);
	if (access(dir, W_OK) < 0)
		return base_errf(err, errlen, -errno, "%s %s is not writable: %s", what, dir,
			    strerror(errno));
	if (statvfs(dir, &sv) < 0)
		return base_errf(err, errlen, -errno, "%s %s: %s", what, dir, strerror(errno));
	if (sv.f_flag & ST_RDONLY)
		return base_errf(err, errlen, -EROFS, "%s %s is on a read-only filesystem", what, dir);
	if ((unsigned long long)sv.f_bavail * sv.f_frsize < CERTS_PREFLIGHT_SPACE)
		return base_errf(err, errlen, -ENOSPC, "%s %s has %llu KiB free; a certificate needs %u"
			    " KiB", what, dir, (unsigned long long)sv.f_bavail * sv.f_frsize / 1024,
			    CERTS_PREFLIGHT_SPACE / 1024);
	return 0;
}

/* The options' own text, by the record's rules. */
static int opts_text_ok(const struct cert_issue_opts *o, char *err, size_t errlen)
{
	struct cert_record *r = cert_record_new();
	const char *station = o->station_id ? o->station_id : getenv("TABULA_STATION");
	int rc = 0;

	if (!r)
		return base_errf(err, errlen, -ENOMEM, "out of memory");
	/* Only the station id, notes and details are set: the rest is empty and valid. */
	if (strlen(station ? station : "TABULA") >= sizeof(r->station_id) ||
	    (o->notes && strlen(o->notes) >= sizeof(r->notes)) ||
	    (o->destination_details &&
	     strlen(o->destination_details) >= sizeof(r->destination_details))) {
		rc = base_errf(err, errlen, -EINVAL, "%s is too long",
			  strlen(station ? station : "TABULA") >= sizeof(r->station_id) ?
			  "station id" : o->notes && strlen(o->notes) >= sizeof(r->notes) ?
			  "notes" : "destination details");
		goto out;
	}
	strcpy(r->station_id, station ? station : "TABULA");
	strcpy(r->notes, o->notes ? o->notes : "");
	strcpy(r->destination_details, o->destination_details ? o->destination_details : "");
	snprintf(r->people.operator_.name, sizeof(r->people.operator_.name), "a");
	snprintf(r->people.witness.name, sizeof(r->people.witness.name), "b");
	rc = cert_record_check(r, 0, 0, err, errlen);
out:
	cert_record_free(r);
	return rc;
}

/*
 * A station name that was given (@o or $TABULA_STATION) must be the one the
 * ledger's own chain carries: refused here, before a medium is touched, as
 * the append would refuse it after.
 */
static int station_matches(const char *ledger_path, const struct cert_issue_opts *o, char *err,
			   size_t errlen)
{
	const char *given = o->station_id ? o->station_id : getenv("TABULA_STATION");
	struct cert_ledger *l = NULL;
	char chain[64], lerr[512];
	int rc;

	if (!given || access(ledger_path, F_OK) != 0)
		return 0;
	if (cert_ledger_open(ledger_path, CERT_LEDGER_READONLY, &l, lerr, sizeof(lerr)))
		return 0;	/* certs_key_usable says what is wrong with it */
	rc = cert_ledger_own_station_name(l, chain, sizeof(chain));
	cert_ledger_close(l);
	if (rc != 0 || strcmp(chain, given) == 0)
		return 0;
	return base_errf(err, errlen, -EXDEV, "ledger %s numbers its certificates %s-NNNNNN, but this"
			 " station is named \"%s\": set station = %s in tabula.conf (or"
			 " TABULA_STATION=%s), or use another ledger", ledger_path, chain, given,
			 chain, chain);
}

/* The fonts for certificates in @o's language, else the ledger's, else English. */
static int fonts_usable(const char *ledger_path, bool exists, const struct cert_issue_opts *o,
			char *err, size_t errlen)
{
	struct cert_ledger *l = NULL;
	char lang[8] = "en", lerr[256];

	if (o->lang)
		snprintf(lang, sizeof(lang), "%s", o->lang);
	else if (exists && cert_ledger_open(ledger_path, CERT_LEDGER_READONLY, &l, lerr,
					    sizeof(lerr)) == 0)
		snprintf(lang, sizeof(lang), "%s", cert_ledger_lang(l));
	cert_ledger_close(l);
	return cert_pdf_fonts_ok(lang, err, errlen);
}

int certs_preflight(const char *ledger_path, const struct cert_people *who,
		    const struct cert_origin *origin, const struct cert_issue_opts *o, char *err,
		    size_t errlen)
{
	static const struct cert_issue_opts none = { 0 };
	char dir[4096];
	bool exists;
	int rc, fd;

	if (!o)
		o = &none;
	/* A record dated by a clock that lost its battery is refused at append: say so now. */
	if ((int64_t)time(NULL) < CERT_TIME_MIN) {
		char t[32];

		return base_errf(err, errlen, -EINVAL, "the station's clock says %s: set the date and time"
			    " before erasing (certificates are dated by it)",
			    cert_time_str((int64_t)time(NULL), t, sizeof(t)));
	}
	if ((rc = ledger_path_ok(ledger_path, &exists, err, errlen)))
		return rc;
	if ((rc = custody_usable(ledger_path, o, exists, err, errlen)))
		return rc;
	if (exists) {
		fd = open(ledger_path, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			return base_errf(err, errlen, -errno, "ledger %s is not writable: %s", ledger_path,
				    strerror(errno));
		close(fd);
	}
	if (dir_of(ledger_path, dir, sizeof(dir)))
		return base_errf(err, errlen, -ENAMETOOLONG, "ledger path is too long");
	if ((rc = dir_room(dir, "ledger directory", err, errlen)))
		return rc;
	if (o->pdf_dir && (rc = dir_room(o->pdf_dir, "PDF directory", err, errlen)))
		return rc;
	if (who && (rc = cert_people_check(who, err, errlen)))
		return rc;
	if (origin && (rc = cert_origin_check(origin, err, errlen)))
		return rc;
	if (o->origin && (rc = cert_origin_check(o->origin, err, errlen)))
		return rc;
	/* The 保密 rules: a classified carrier's destination, the approval. */
	if (who && (rc = cert_policy_check(o->policy, who, origin ? origin : o->origin,
					   CERT_KIND_ERASE, o->destination, err, errlen)))
		return rc;
	if ((rc = opts_text_ok(o, err, errlen)))
		return rc;
	if ((rc = station_matches(ledger_path, o, err, errlen)))
		return rc;
	return fonts_usable(ledger_path, exists, o, err, errlen);
}

/* Same file as @st (device and inode), or the same directory entry as @path would be? */
static bool same_target(const char *out, const struct stat *ost, bool oexists, const char *path)
{
	char d1[4096], d2[4096], b1[4096], b2[4096];
	struct stat st, ds1, ds2;

	if (stat(path, &st) == 0 && oexists)
		return st.st_dev == ost->st_dev && st.st_ino == ost->st_ino;
	/* Not both there: the same name in the same directory? */
	if (dir_of(out, d1, sizeof(d1)) || dir_of(path, d2, sizeof(d2)) ||
	    join(b1, sizeof(b1), out, "") || join(b2, sizeof(b2), path, ""))
		return false;
	if (stat(d1, &ds1) || stat(d2, &ds2) || ds1.st_dev != ds2.st_dev || ds1.st_ino != ds2.st_ino)
		return false;
	return strcmp(basename(b1), basename(b2)) == 0;
}

int certs_output_check(const char *out, bool force, const char *ledger, const char *key_path,
		       char *err, size_t errlen)
{
	static const char *const suffixes[] = { "", "-wal", "-shm", "-journal", ".key" };
	char p[4096];
	struct stat st;
	bool exists;
	size_t i;

	if (!out || !out[0])
		return base_errf(err, errlen, -EINVAL, "no output file given");
	exists = stat(out, &st) == 0;
	if (exists && (S_ISBLK(st.st_mode) || S_ISCHR(st.st_mode)))
		return base_errf(err, errlen, -ENODEV, "%s is %s: refusing to write a file onto it", out,
			    kind_of(&st));
	if (exists && S_ISDIR(st.st_mode))
		return base_errf(err, errlen, -EISDIR, "%s is a directory; give a file name", out);
	for (i = 0; ledger && i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		if (join(p, sizeof(p), ledger, suffixes[i]))
			continue;
		if (same_target(out, &st, exists, p))
			return base_errf(err, errlen, -EPERM, "%s is %s%s: refusing to overwrite it, even"
				    " with --force", out, i == 4 ? "the station key of " :
				    i ? "a working file of ledger " : "the ledger ", ledger);
	}
	if (key_path && same_target(out, &st, exists, key_path))
		return base_errf(err, errlen, -EPERM, "%s is the station key: refusing to overwrite it,"
			    " even with --force", out);
	if (!exists && lstat(out, &st) == 0)
		exists = true;		/* a dangling symbolic link */
	if (exists && !force)
		return base_errf(err, errlen, -EEXIST, "%s exists; give --force to replace it", out);
	return 0;
}
