/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Key custody: choosing a backend, the file backend, and the ledger's counter check. */
#include "config.h"

#include "certs/custody.h"
#include "certs/custody-impl.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "certs/ledger.h"
#include "certs/ledger-impl.h"
#include "certs/record.h"
#include "wiper/base/base.h"

int custody_err(struct cert_custody *c, char *err, size_t errlen, int rc, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(c->err, sizeof(c->err), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(c->err))
		c->err[sizeof(c->err) - 1] = '\0';
	if (err && errlen) {
		n = snprintf(err, errlen, "%s", c->err);
		if (n < 0 || (size_t)n >= errlen)
			err[errlen - 1] = '\0';
	}
	return rc;
}

/* ---- the file backend ---- */

/* Sign with the key file's key. */
static int file_sign(struct cert_custody *c, const uint8_t hash[CERT_HASH_LEN],
		     uint8_t sig[CERT_SIG_LEN])
{
	int rc = cert_sign(c->key, hash, sig);

	return rc ? custody_err(c, NULL, 0, rc, "signing with %s failed", c->where) : 0;
}

/* "key file PATH (demo and tests only)". */
static void file_describe(const struct cert_custody *c, char *buf, size_t len)
{
	int n = snprintf(buf, len, "key file %s on the records medium (demo and tests only:"
			 " whoever holds the medium holds the key)", c->where);

	if (n < 0 || (size_t)n >= len)
		buf[len - 1] = '\0';
}

/* Nothing beyond the key. */
static void file_free(struct cert_custody *c)
{
	(void)c;
}

static const struct cert_custody_ops file_ops = {
	.name = CERT_CUSTODY_FILE,
	.sign = file_sign,
	.describe = file_describe,
	.free = file_free,
};

/* Open the key file @path (create it with @create). */
static int file_open(struct cert_custody *c, const char *path, bool create, char *err,
		     size_t errlen)
{
	char kerr[512];
	int rc, n;

	c->ops = &file_ops;
	n = snprintf(c->where, sizeof(c->where), "%s", path);
	if (n < 0 || (size_t)n >= sizeof(c->where))
		return custody_err(c, err, errlen, -ENAMETOOLONG, "%.64s...: path too long", path);
	rc = cert_key_load(path, create, &c->key, NULL, kerr, sizeof(kerr));
	if (rc)
		return custody_err(c, err, errlen, rc, "%s", kerr);
	cert_key_public(c->key, c->pub);
	cert_key_fingerprint(c->key, c->fp);
	return 0;
}

/* ---- choosing ---- */

bool cert_custody_tpm_supported(void)
{
#ifdef HAVE_TPM
	return true;
#else
	return false;
#endif
}

int cert_custody_open(const char *spec, const char *ledger_path, unsigned flags,
		      struct cert_custody **out, char *err, size_t errlen)
{
	struct cert_custody *c;
	char path[4096];
	const char *arg = NULL;
	struct stat sb;
	int rc, n;

	*out = NULL;
	if (!spec || !spec[0])
		spec = getenv("TABULA_CUSTODY");
	if (!spec || !spec[0]) {
		n = snprintf(path, sizeof(path), "%s.sealed", ledger_path);
		spec = n > 0 && (size_t)n < sizeof(path) && lstat(path, &sb) == 0 ?
		       CERT_CUSTODY_TPM : CERT_CUSTODY_FILE;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	if (!strncmp(spec, "file", 4) && (spec[4] == '\0' || spec[4] == ':')) {
		arg = spec[4] == ':' ? spec + 5 : NULL;
		if (arg && arg[0]) {
			n = snprintf(path, sizeof(path), "%s", arg);
		} else {
			n = snprintf(path, sizeof(path), "%s.key", ledger_path);
		}
		if (n < 0 || (size_t)n >= sizeof(path))
			rc = custody_err(c, err, errlen, -ENAMETOOLONG, "key file path too long");
		else
			rc = file_open(c, path, flags & CERT_CUSTODY_CREATE, err, errlen);
	} else if (!strncmp(spec, "tpm", 3) && (spec[3] == '\0' || spec[3] == ':')) {
		arg = spec[3] == ':' && spec[4] ? spec + 4 : NULL;
#ifdef HAVE_TPM
		rc = custody_tpm_open(c, ledger_path, arg, err, errlen);
#else
		rc = custody_err(c, err, errlen, -ENOTSUP,
				 "TPM custody was asked for, but this build of Tabula has no TPM"
				 " support (built without tpm2-tss); demo mode uses --custody file");
#endif
	} else {
		rc = custody_err(c, err, errlen, -EINVAL,
				 "unknown key custody \"%s\" (file, file:PATH, tpm or tpm:TCTI)", spec);
	}
	if (rc) {
		cert_custody_free(c);
		return rc;
	}
	*out = c;
	return 0;
}

void cert_custody_free(struct cert_custody *c)
{
	if (!c)
		return;
	if (c->ops && c->ops->free)
		c->ops->free(c);
	if (!c->key_cached)
		cert_key_free(c->key);
	explicit_bzero(c, sizeof(*c));
	free(c);
}

void cert_custody_forget_keys(void)
{
#ifdef HAVE_TPM
	custody_tpm_forget_keys();
#endif
}

const char *cert_custody_name(const struct cert_custody *c)
{
	return c->ops->name;
}

void cert_custody_describe(const struct cert_custody *c, char *buf, size_t len)
{
	c->ops->describe(c, buf, len);
}

void cert_custody_public(const struct cert_custody *c, uint8_t pub[CERT_PUB_LEN])
{
	memcpy(pub, c->pub, CERT_PUB_LEN);
}

const char *cert_custody_fingerprint(const struct cert_custody *c)
{
	return c->fp;
}

int cert_custody_sign(struct cert_custody *c, const uint8_t hash[CERT_HASH_LEN],
		      uint8_t sig[CERT_SIG_LEN])
{
	return c->ops->sign(c, hash, sig);
}

bool cert_custody_has_counter(const struct cert_custody *c)
{
	return c->ops->counter_read != NULL;
}

int cert_custody_counter_read(struct cert_custody *c, uint64_t *value)
{
	if (!c->ops->counter_read)
		return custody_err(c, NULL, 0, -ENOTSUP, "%s custody keeps no counter", c->ops->name);
	return c->ops->counter_read(c, value);
}

int cert_custody_counter_advance(struct cert_custody *c, uint64_t *value)
{
	uint64_t v;

	if (!c->ops->counter_advance)
		return custody_err(c, NULL, 0, -ENOTSUP, "%s custody keeps no counter", c->ops->name);
	return c->ops->counter_advance(c, value ? value : &v);
}

uint64_t cert_custody_counter_base(const struct cert_custody *c)
{
	return c->counter_base;
}

const char *cert_custody_error(const struct cert_custody *c)
{
	return c->err;
}

#ifndef HAVE_TPM
int cert_custody_enrol_tpm(const char *ledger_path, const char *tcti, const char *pcrs,
			   char fp[CERT_FP_HEX], char *err, size_t errlen)
{
	snprintf(err, errlen, "this build of Tabula has no TPM support (built without tpm2-tss)");
	return -ENOTSUP;
}
#endif

/* ---- the ledger against the counter ---- */

/* Format the check's message. */
__attribute__((format(printf, 2, 3)))
static void chk_msg(struct cert_custody_check *chk, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(chk->message, sizeof(chk->message), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(chk->message))
		chk->message[sizeof(chk->message) - 1] = '\0';
}

/* The counter value the head record @seq of @l's own chain carries. */
static int head_counter(struct cert_ledger *l, uint64_t seq, uint64_t *value,
			struct cert_custody_check *chk)
{
	struct cert_entry e = { 0 };
	struct cert_record *r = cert_record_new();
	char err[256];
	int rc;

	if (!r)
		return -ENOMEM;
	rc = cert_ledger_get(l, l->fp, seq, &e);
	if (rc) {
		chk_msg(chk, "%s", cert_ledger_error(l));
		goto out;
	}
	if (cert_record_decode(e.canon, e.canon_len, r, err, sizeof(err))) {
		chk_msg(chk, "the ledger's last record %" PRIu64 " does not decode: %s", seq, err);
		rc = -EBADMSG;
		goto out;
	}
	if (strcmp(r->custody, CERT_CUSTODY_TPM)) {
		chk_msg(chk, "the ledger's last record %" PRIu64 " was not signed under TPM custody"
			" but the station's key is TPM-sealed", seq);
		rc = -EBADMSG;
		goto out;
	}
	*value = r->custody_counter;
out:
	cert_entry_done(&e);
	cert_record_free(r);
	return rc;
}

int ledger_counter_gate(struct cert_ledger *l, struct cert_custody *c, uint64_t head_seq,
			uint64_t *next, struct cert_custody_check *chk)
{
	uint64_t h, now;
	int rc;

	memset(chk, 0, sizeof(*chk));
	chk->has_counter = true;
	chk->head_seq = head_seq;
	if (head_seq) {
		if ((rc = head_counter(l, head_seq, &h, chk)))
			return ledger_err(l, rc, "%s", chk->message);
	} else {
		h = c->counter_base;
	}
	chk->head_counter = h;
	if ((rc = cert_custody_counter_read(c, &now))) {
		chk_msg(chk, "%s", cert_custody_error(c));
		return ledger_err(l, rc, "%s", chk->message);
	}
	chk->tpm_counter = now;
	if (h < now) {
		chk->missing = now - h;
		if (chk->missing == 1)
			chk_msg(chk, "the ledger %s is behind the station's TPM counter: it ends at"
				" record %" PRIu64 " but %" PRIu64 " was issued (rolled back to an"
				" older copy, or its tail cut); record %" PRIu64 " is missing",
				l->path, head_seq, head_seq + 1, head_seq + 1);
		else
			chk_msg(chk, "the ledger %s is behind the station's TPM counter: it ends at"
				" record %" PRIu64 " but %" PRIu64 " were issued (rolled back to an"
				" older copy, or its tail cut); records %" PRIu64 " to %" PRIu64
				" are missing", l->path, head_seq, head_seq + chk->missing,
				head_seq + 1, head_seq + chk->missing);
		ledger_err(l, 1, "%s", chk->message);
		return 1;
	}
	if (h > now + 1) {
		chk_msg(chk, "the ledger %s is %" PRIu64 " appends ahead of the station's TPM counter"
			" (record %" PRIu64 " carries %" PRIu64 ", the counter is at %" PRIu64 "):"
			" not this station's counter", l->path, h - now, head_seq, h, now);
		return ledger_err(l, -EBADMSG, "%s", chk->message);
	}
	if (h == now + 1) {
		/* The last append committed but its advance never happened. */
		if ((rc = cert_custody_counter_advance(c, &now))) {
			chk_msg(chk, "%s", cert_custody_error(c));
			return ledger_err(l, rc, "%s", chk->message);
		}
		chk->tpm_counter = now;
		chk->repaired = true;
		if (now != h) {
			chk_msg(chk, "the station's TPM counter moved to %" PRIu64 " while it was"
				" advanced to %" PRIu64, now, h);
			return ledger_err(l, -EBADMSG, "%s", chk->message);
		}
	}
	chk_msg(chk, "the ledger ends at record %" PRIu64 ", which carries the station's TPM"
		" counter %" PRIu64 "%s", head_seq, now,
		chk->repaired ? " (the counter lagged one append and was advanced)" : "");
	*next = now + 1;
	return 0;
}

int certs_custody_check_ledger(struct cert_ledger *l, struct cert_custody *c,
			       struct cert_custody_check *out, char *err, size_t errlen)
{
	struct cert_custody_check chk;
	uint64_t seq = 0, next;
	uint8_t hash[CERT_HASH_LEN];
	char have[CERT_FP_HEX];
	int rc;

	memset(&chk, 0, sizeof(chk));
	if ((rc = ledger_own_fp(l, have)))
		return base_errf(err, errlen, rc, "%s", cert_ledger_error(l));
	if (have[0] && strcmp(have, cert_custody_fingerprint(c)))
		return base_errf(err, errlen, -EKEYREJECTED,
				  "the ledger %s belongs to station key %.16s..., not to this"
				  " station's key %.16s...", cert_ledger_path(l), have,
				  cert_custody_fingerprint(c));
	if (!cert_custody_has_counter(c)) {
		chk_msg(&chk, "file custody keeps no counter: a rolled-back or cut ledger cannot be"
			" seen at the station (demo mode)");
		goto done;
	}
	memcpy(l->fp, cert_custody_fingerprint(c), CERT_FP_HEX);
	rc = have[0] ? cert_ledger_head(l, have, &seq, hash) : 0;
	if (rc == -ENOENT)
		rc = 0, seq = 0;
	if (rc)
		return base_errf(err, errlen, rc, "%s", cert_ledger_error(l));
	/* One transaction, like an append: no appender moves the head meanwhile. */
	if ((rc = cert_ledger_begin(l)))
		return base_errf(err, errlen, rc, "%s", cert_ledger_error(l));
	rc = ledger_counter_gate(l, c, seq, &next, &chk);
	if (cert_ledger_commit(l) && rc >= 0)
		rc = -EIO;
	if (rc < 0)
		return base_errf(err, errlen, rc, "%s", chk.message[0] ? chk.message :
				  cert_ledger_error(l));
done:
	if (out)
		*out = chk;
	return rc;
}

int certs_custody_check_path(const char *ledger_path, const char *spec,
			     struct cert_custody_check *out, char *err, size_t errlen)
{
	struct cert_custody_check chk;
	struct cert_custody *c = NULL;
	struct cert_ledger *l = NULL;
	const char *eff = spec && spec[0] ? spec : getenv("TABULA_CUSTODY");
	char lerr[512];
	int rc;

	memset(&chk, 0, sizeof(chk));
	rc = cert_custody_open(spec, ledger_path, 0, &c, err, errlen);
	/* No ledger, no key file, no sealed key: a new file-custody medium. */
	if (rc == -ENOENT && (eff && eff[0] ? !strncmp(eff, CERT_CUSTODY_FILE, 4) : 1) &&
	    access(ledger_path, F_OK) != 0 && errno == ENOENT) {
		chk_msg(&chk, "no ledger at %s yet: it and its key file (demo custody) are made with"
			" the first certificate", ledger_path);
		rc = 0;
		goto out;
	}
	if (rc)
		goto out;
	rc = cert_ledger_open(ledger_path, 0, &l, lerr, sizeof(lerr));
	if (rc) {
		rc = base_errf(err, errlen, rc, "%s", lerr);
		goto out;
	}
	rc = certs_custody_check_ledger(l, c, &chk, err, errlen);
	if (rc == 1)
		base_errf(err, errlen, 1, "%s", chk.message);
out:
	if (out)
		*out = chk;
	cert_ledger_close(l);
	cert_custody_free(c);
	return rc;
}

/* ---- for people ---- */

const char *cert_custody_record_str(const struct cert_record *r, bool zh, char *buf,
				    size_t len)
{
	int n;

	if (!strcmp(r->custody, CERT_CUSTODY_TPM))
		n = snprintf(buf, len, zh ? "工作站 TPM 2.0 密封密钥（计数器 %" PRIu64 "）" :
			     "TPM 2.0 of the station PC (sealed key, counter %" PRIu64 ")",
			     r->custody_counter);
	else if (!strcmp(r->custody, CERT_CUSTODY_FILE))
		n = snprintf(buf, len, zh ? "记录介质上的密钥文件（演示，不作为证据）" :
			     "key file on the records medium (demo, not evidence)");
	else
		n = snprintf(buf, len, zh ? "未记录（密钥文件）" :
			     "not recorded (key file, before custody was recorded)");
	if (n < 0 || (size_t)n >= len)
		buf[len - 1] = '\0';
	return buf;
}
