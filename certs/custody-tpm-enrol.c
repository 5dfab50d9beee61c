/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Enrolment: a fresh station key sealed by the TPM, its NV counter defined, the files beside the ledger. */
#include "config.h"

#include "certs/custody.h"
#include "certs/custody-impl.h"
#include "certs/custody-tpm-impl.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <tss2/tss2_esys.h>
#include <tss2/tss2_mu.h>
#include <tss2/tss2_rc.h>
#include <tss2/tss2_tctildr.h>

#include "certs/ledger.h"

/* Hex of @n bytes as a line "key HEX\n" appended to @b. */
static int put_hex_line(struct cbuf *b, const char *key, const uint8_t *p, size_t n)
{
	char *hx = malloc(2 * n + 1);
	int rc;

	if (!hx)
		return -ENOMEM;
	cert_hex(p, n, hx);
	rc = cbuf_put(b, key, strlen(key));
	if (!rc)
		rc = cbuf_put(b, " ", 1);
	if (!rc)
		rc = cbuf_put(b, hx, 2 * n);
	if (!rc)
		rc = cbuf_put(b, "\n", 1);
	free(hx);
	return rc;
}

/* Write @len bytes to a new file @path (O_EXCL, fsync'ed). */
static int write_new(const char *path, const void *p, size_t len, mode_t mode)
{
	const char *q = p;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode), rc = 0;
	ssize_t w;

	if (fd < 0)
		return -errno;
	while (len) {
		w = write(fd, q, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			rc = w < 0 ? -errno : -EIO;
			break;
		}
		q += w;
		len -= (size_t)w;
	}
	if (!rc && fsync(fd))
		rc = -errno;
	if (close(fd) && !rc)
		rc = -errno;
	if (rc)
		unlink(path);
	return rc;
}

/*
 * Seal @seed under a fresh primary (with the policy of @sel) into @pub/@priv;
 * the creation data, which records the PCRs of @sel as they are now, and
 * its ticket into @cd/@tk (custody-tpm.c checks them before every unseal).
 */
static TSS2_RC seal_seed(ESYS_CONTEXT *e, const uint8_t seed[32], const TPML_PCR_SELECTION *sel,
			 TPM2B_PUBLIC *pub, TPM2B_PRIVATE *priv, TPM2B_CREATION_DATA *cd,
			 TPMT_TK_CREATION *tk)
{
	ESYS_TR primary = ESYS_TR_NONE, trial = ESYS_TR_NONE, sess = ESYS_TR_NONE;
	TPM2B_SENSITIVE_CREATE sens = { 0 };
	TPM2B_PUBLIC tmpl = { 0 }, *opub = NULL;
	TPM2B_PRIVATE *opriv = NULL;
	TPM2B_DATA outside = { 0 };
	TPM2B_CREATION_DATA *cdata = NULL;
	TPM2B_DIGEST *chash = NULL, policy = { 0 };
	TPMT_TK_CREATION *ticket = NULL;
	TSS2_RC rc;

	tmpl.publicArea.type = TPM2_ALG_KEYEDHASH;
	tmpl.publicArea.nameAlg = TPM2_ALG_SHA256;
	tmpl.publicArea.objectAttributes = TPMA_OBJECT_FIXEDTPM | TPMA_OBJECT_FIXEDPARENT |
					   TPMA_OBJECT_NODA;
	tmpl.publicArea.parameters.keyedHashDetail.scheme.scheme = TPM2_ALG_NULL;
	if (sel->count) {
		rc = ctpm_start_session(e, ESYS_TR_NONE, TPM2_SE_TRIAL, 0, sel, &trial, &policy);
		if (rc)
			return rc;
		Esys_FlushContext(e, trial);
		tmpl.publicArea.authPolicy = policy;
	} else {
		tmpl.publicArea.objectAttributes |= TPMA_OBJECT_USERWITHAUTH;
	}
	sens.sensitive.data.size = 32;
	memcpy(sens.sensitive.data.buffer, seed, 32);
	rc = ctpm_create_primary(e, &primary);
	/* The seed goes to the TPM encrypted to a session salted with the primary. */
	if (!rc)
		rc = ctpm_start_session(e, primary, TPM2_SE_HMAC, TPMA_SESSION_DECRYPT, NULL, &sess,
				   NULL);
	if (!rc)
		rc = Esys_Create(e, primary, sess, ESYS_TR_NONE, ESYS_TR_NONE, &sens, &tmpl,
				 &outside, sel, &opriv, &opub, &cdata, &chash, &ticket);
	explicit_bzero(&sens, sizeof(sens));
	if (!rc) {
		*pub = *opub;
		*priv = *opriv;
		*cd = *cdata;
		*tk = *ticket;
	}
	if (sess != ESYS_TR_NONE)
		Esys_FlushContext(e, sess);
	if (primary != ESYS_TR_NONE)
		Esys_FlushContext(e, primary);
	Esys_Free(opub);
	Esys_Free(opriv);
	Esys_Free(cdata);
	Esys_Free(chash);
	Esys_Free(ticket);
	return rc;
}

/* Define the station's NV counter at the first free index from NV_BASE; advance it once. */
static int define_counter(struct cert_custody *c, struct tpm_state *t, const TPM2B_AUTH *auth,
			  char *err, size_t errlen)
{
	TPM2B_NV_PUBLIC np = { 0 };
	TSS2_RC rc = 0;
	uint32_t i;

	np.nvPublic.nameAlg = TPM2_ALG_SHA256;
	np.nvPublic.attributes = TPMA_NV_AUTHWRITE | TPMA_NV_AUTHREAD | TPMA_NV_NO_DA |
				 ((TPM2_NT_COUNTER << TPMA_NV_TPM2_NT_SHIFT) & TPMA_NV_TPM2_NT_MASK);
	np.nvPublic.dataSize = 8;
	for (i = 0; i < NV_TRIES; i++) {
		np.nvPublic.nvIndex = NV_BASE + i;
		rc = Esys_NV_DefineSpace(t->esys, ESYS_TR_RH_OWNER, ESYS_TR_PASSWORD, ESYS_TR_NONE,
					 ESYS_TR_NONE, auth, &np, &t->nv);
		if (ctpm_tpm_code(rc) != TPM2_RC_NV_DEFINED)
			break;
	}
	if (rc) {
		t->nv = ESYS_TR_NONE;
		return custody_err(c, err, errlen, ctpm_tss_errno(rc),
				   "the TPM at %s would not define the station's NV counter: %s",
				   t->tcti_conf, Tss2_RC_Decode(rc));
	}
	t->s.nv_index = np.nvPublic.nvIndex;
	/* A counter reads only once written; its first value is the highest any counter had. */
	if ((rc = ctpm_counter_advance(c, &t->s.counter_base)))
		return custody_err(c, err, errlen, rc, "%s", c->err);
	return 0;
}

/* Is there a file at @path? */
static bool exists(const char *path)
{
	struct stat sb;

	return lstat(path, &sb) == 0;
}

/* A ledger is enrolled once, and never one signed with a key file already. 0 or -EEXIST. */
static int enrol_allowed(struct cert_custody *c, const char *ledger_path, const char *sealed,
			 const char *pubpath, const char *keypath, char *err, size_t errlen)
{
	if (exists(sealed) || exists(pubpath))
		return custody_err(c, err, errlen, -EEXIST,
				   "%s is already enrolled (%s exists); a station is enrolled once",
				   ledger_path, exists(sealed) ? sealed : pubpath);
	if (exists(keypath))
		return custody_err(c, err, errlen, -EEXIST,
				   "%s is signed with the key file %s; TPM custody starts a new ledger",
				   ledger_path, keypath);
	return 0;
}

/*
 * The text of "<ledger>.sealed": the counter, the PCR binding, the public
 * key and the sealed object, signed by the station key @key. 0 or -errno.
 */
static int sealed_text(const struct tpm_state *t, struct cert_key *key, struct cbuf *b)
{
	uint8_t blob[4096], hash[CERT_HASH_LEN], sig[CERT_SIG_LEN];
	char line[160];
	size_t off;
	int rc, n;

	n = snprintf(line, sizeof(line), SEALED_MAGIC "\nnv-index 0x%08" PRIx32
		     "\ncounter-base %" PRIu64 "\npcrs %s\n", t->s.nv_index, t->s.counter_base,
		     t->s.pcrs_text);
	rc = n < 0 || (size_t)n >= sizeof(line) ? -EOVERFLOW : cbuf_put(b, line, (size_t)n);
	if (!rc)
		rc = put_hex_line(b, "public-key", t->s.pub, CERT_PUB_LEN);
	off = 0;
	if (!rc && Tss2_MU_TPM2B_PUBLIC_Marshal(&t->s.tpub, blob, sizeof(blob), &off))
		rc = -EOVERFLOW;
	if (!rc)
		rc = put_hex_line(b, "sealed-public", blob, off);
	off = 0;
	if (!rc && Tss2_MU_TPM2B_PRIVATE_Marshal(&t->s.tpriv, blob, sizeof(blob), &off))
		rc = -EOVERFLOW;
	if (!rc)
		rc = put_hex_line(b, "sealed-private", blob, off);
	off = 0;
	if (!rc && Tss2_MU_TPM2B_CREATION_DATA_Marshal(&t->s.cdata, blob, sizeof(blob), &off))
		rc = -EOVERFLOW;
	if (!rc)
		rc = put_hex_line(b, "creation-data", blob, off);
	off = 0;
	if (!rc && Tss2_MU_TPMT_TK_CREATION_Marshal(&t->s.ticket, blob, sizeof(blob), &off))
		rc = -EOVERFLOW;
	if (!rc)
		rc = put_hex_line(b, "creation-ticket", blob, off);
	if (!rc && t->s.pcr_values_len)
		rc = put_hex_line(b, "pcr-values", t->s.pcr_values, t->s.pcr_values_len);
	if (!rc) {
		cert_sha256(b->p, b->len, hash);
		rc = cert_sign(key, hash, sig);
	}
	if (!rc)
		rc = put_hex_line(b, "meta-signature", sig, CERT_SIG_LEN);
	return rc;
}

int cert_custody_enrol_tpm(const char *ledger_path, const char *tcti, const char *pcrs,
			   char fp[CERT_FP_HEX], char *err, size_t errlen)
{
	struct cert_custody *c = calloc(1, sizeof(*c));
	struct tpm_state *t = calloc(1, sizeof(*t));
	struct cert_ledger *l = NULL;
	struct cert_key *key = NULL;
	struct cbuf b = { 0 };
	TPM2B_AUTH auth = { 0 };
	uint8_t seed[32], hash[CERT_HASH_LEN];
	char sealed[4096], pubpath[4096], keypath[4096], line[160], lerr[512];
	uint64_t heads;
	bool defined = false, wrote_sealed = false;
	int rc, n;
	TSS2_RC trc;

	if (!c || !t) {
		free(c);
		free(t);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	c->ops = &ctpm_ops;
	c->priv = t;
	t->nv = ESYS_TR_NONE;
	if (snprintf(sealed, sizeof(sealed), "%s.sealed", ledger_path) >= (int)sizeof(sealed) ||
	    snprintf(pubpath, sizeof(pubpath), "%s.pub", ledger_path) >= (int)sizeof(pubpath) ||
	    snprintf(keypath, sizeof(keypath), "%s.key", ledger_path) >= (int)sizeof(keypath)) {
		rc = custody_err(c, err, errlen, -ENAMETOOLONG, "ledger path too long");
		goto out;
	}
	if ((rc = enrol_allowed(c, ledger_path, sealed, pubpath, keypath, err, errlen)))
		goto out;
	if (ctpm_parse_pcrs(pcrs, &t->s.pcrs, t->s.pcrs_text, sizeof(t->s.pcrs_text))) {
		rc = custody_err(c, err, errlen, -EINVAL,
				 "--pcrs \"%s\": give PCR numbers 0-23, e.g. 16,23 or sha256:4,8,9",
				 pcrs);
		goto out;
	}
	rc = cert_ledger_open(ledger_path, CERT_LEDGER_CREATE, &l, lerr, sizeof(lerr));
	if (rc) {
		custody_err(c, err, errlen, rc, "%s", lerr);
		goto out;
	}
	rc = cert_ledger_head(l, NULL, &heads, hash);
	if (rc != -ENOENT && !(rc == 0 && heads == 0)) {
		rc = custody_err(c, err, errlen, -EEXIST,
				 "%s already holds records; TPM custody starts a new ledger",
				 ledger_path);
		goto out;
	}
	if ((rc = ctpm_tpm_connect(c, t, tcti, err, errlen)))
		goto out;
	if (RAND_priv_bytes(seed, sizeof(seed)) != 1) {
		rc = custody_err(c, err, errlen, -EIO, "no random numbers for the station key");
		goto out;
	}
	trc = seal_seed(t->esys, seed, &t->s.pcrs, &t->s.tpub, &t->s.tpriv, &t->s.cdata, &t->s.ticket);
	t->s.has_creation = trc == 0;
	if (trc) {
		rc = custody_err(c, err, errlen, ctpm_tss_errno(trc),
				 "the TPM at %s would not seal the station key: %s", t->tcti_conf,
				 Tss2_RC_Decode(trc));
		goto out;
	}
	/*
	 * The bound PCRs' values, so that a refusal can say which changed; kept
	 * only when they are the ones the TPM sealed under.
	 */
	if (t->s.pcrs.count &&
	    (ctpm_pcr_values(t->esys, &t->s.pcrs, t->s.pcr_values, sizeof(t->s.pcr_values),
			     &t->s.pcr_values_len) || !ctpm_pcr_values_proven(&t->s)))
		t->s.pcr_values_len = 0;
	ctpm_nv_auth_from_seed(seed, &auth);
	if ((rc = define_counter(c, t, &auth, err, errlen)))
		goto out;
	defined = true;
	ctpm_secure_heap();
	if ((rc = cert_key_from_seed(seed, &key))) {
		custody_err(c, err, errlen, rc, "cannot make the station key");
		goto out;
	}
	cert_key_public(key, t->s.pub);
	cert_fingerprint(t->s.pub, c->fp);

	if ((rc = sealed_text(t, key, &b))) {
		custody_err(c, err, errlen, rc, "cannot write the sealed key");
		goto out;
	}
	if ((rc = write_new(sealed, b.p, b.len, 0644))) {
		custody_err(c, err, errlen, rc, "%s: %s", sealed, strerror(-rc));
		goto out;
	}
	wrote_sealed = true;
	{
		char hx[2 * CERT_PUB_LEN + 1];

		cert_hex(t->s.pub, CERT_PUB_LEN, hx);
		n = snprintf(line, sizeof(line), "ed25519 %s\n", hx);
	}
	if (n < 0 || (size_t)n >= sizeof(line)) {
		rc = custody_err(c, err, errlen, -EOVERFLOW, "public key line too long");
		goto out;
	}
	if ((rc = write_new(pubpath, line, (size_t)n, 0644))) {
		custody_err(c, err, errlen, rc, "%s: %s", pubpath, strerror(-rc));
		goto out;
	}
	memcpy(fp, c->fp, CERT_FP_HEX);
out:
	explicit_bzero(seed, sizeof(seed));
	explicit_bzero(&auth, sizeof(auth));
	if (rc && wrote_sealed)
		unlink(sealed);
	if (rc && defined && t->esys && t->nv != ESYS_TR_NONE &&
	    !Esys_NV_UndefineSpace(t->esys, ESYS_TR_RH_OWNER, t->nv, ESYS_TR_PASSWORD, ESYS_TR_NONE,
				   ESYS_TR_NONE))
		t->nv = ESYS_TR_NONE;
	cbuf_done(&b);
	cert_key_free(key);
	cert_ledger_close(l);
	cert_custody_free(c);
	return rc;
}
