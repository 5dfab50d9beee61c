/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * TPM 2.0 key custody (tpm2-tss ESYS). The station's Ed25519 seed is sealed
 * in a keyed-hash object under an ECC P-256 storage primary of the owner
 * hierarchy (re-derived from the TPM's owner seed at each unseal, so the
 * sealed blob loads only in the TPM that made it), optionally with a
 * PolicyPCR policy; an NV counter (TPM2_NT_COUNTER) counts the appends. The
 * TPM cannot sign Ed25519 itself (no EdDSA in TPM 2.0 as shipped, nor in
 * swtpm), hence the seal.
 *
 * "<ledger>.sealed" is a small text file, every line "key value":
 *   tabula-sealed-key 1
 *   nv-index 0x0107ab00        the counter's NV index
 *   counter-base N             the counter after enrolment
 *   pcrs sha256:16,23 | none   the PCR policy
 *   public-key HEX             the Ed25519 public key
 *   sealed-public HEX          TPM2B_PUBLIC, marshalled
 *   sealed-private HEX         TPM2B_PRIVATE, marshalled
 *   creation-data HEX          TPM2B_CREATION_DATA of the TPM2_Create: the
 *                              policy's PCRs as they were when it was sealed
 *   creation-ticket HEX        TPMT_TK_CREATION: the TPM's proof of it
 *   meta-signature HEX         Ed25519 over SHA-256 of all lines above
 */
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

/* Keys unsealed in this process, by the SHA-256 of their sealed file. */
#define CACHE_MAX 4
static struct {
	uint8_t file_sha[CERT_HASH_LEN];
	struct cert_key *key;
	TPM2B_AUTH nv_auth;
} cache[CACHE_MAX];
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
/* A cached key is shared by every custody of its ledger, in any thread; its EVP context is one. */
static pthread_mutex_t sign_lock = PTHREAD_MUTEX_INITIALIZER;

/* The errno a TSS return code maps to. */
int ctpm_tss_errno(TSS2_RC rc)
{
	TSS2_RC layer = rc & TSS2_RC_LAYER_MASK, base = rc & 0xffff;

	if (layer == TSS2_TCTI_RC_LAYER || base == TSS2_BASE_RC_IO_ERROR ||
	    base == TSS2_BASE_RC_NO_CONNECTION || base == TSS2_BASE_RC_NOT_IMPLEMENTED)
		return -ENODEV;
	if (layer == TSS2_TPM_RC_LAYER) {
		if (base & TPM2_RC_FMT1)
			base &= 0xbf;
		if (base == TPM2_RC_INTEGRITY || base == TPM2_RC_POLICY_FAIL)
			return -EKEYREJECTED;
	}
	return -EIO;
}

/* The TPM's base code (format 1 parameter/handle/session number stripped). */
TSS2_RC ctpm_tpm_code(TSS2_RC rc)
{
	TSS2_RC base = rc & 0xffff;

	if ((rc & TSS2_RC_LAYER_MASK) != TSS2_TPM_RC_LAYER)
		return rc;
	return base & TPM2_RC_FMT1 ? base & 0xbf : base;
}

/* "no TPM answers" in the user's terms. */
static int no_tpm(struct cert_custody *c, char *err, size_t errlen, const char *conf, TSS2_RC rc)
{
	return custody_err(c, err, errlen, -ENODEV,
			   "no TPM answers at %s (%s): start the station on a PC with its TPM 2.0"
			   " enabled, or run demo mode with --custody file (its certificates then say"
			   " \"key file, demo\")", conf, Tss2_RC_Decode(rc));
}

/* Connect to the TPM at @conf. */
int ctpm_tpm_connect(struct cert_custody *c, struct tpm_state *t, const char *conf, char *err,
		       size_t errlen)
{
	TSS2_RC rc;
	int n;

	if (!conf || !conf[0])
		conf = getenv("TABULA_TPM_TCTI");
	if (!conf || !conf[0])
		conf = CERT_CUSTODY_DEFAULT_TCTI;
	n = snprintf(t->tcti_conf, sizeof(t->tcti_conf), "%s", conf);
	if (n < 0 || (size_t)n >= sizeof(t->tcti_conf))
		return custody_err(c, err, errlen, -EINVAL, "TCTI configuration too long");
	/*
	 * tpm2-tss logs its warnings to stderr; below a front end nothing
	 * prints, and every failure is reported in words here. TSS2_LOG set
	 * by the user (for debugging) is left alone.
	 */
	setenv("TSS2_LOG", "all+none", 0);
	rc = Tss2_TctiLdr_Initialize(conf, &t->tcti);
	if (rc)
		return no_tpm(c, err, errlen, conf, rc);
	rc = Esys_Initialize(&t->esys, t->tcti, NULL);
	if (rc)
		return no_tpm(c, err, errlen, conf, rc);
	/* A first command, so "no TPM" is said here and not in the middle of an unseal. */
	{
		TPMS_CAPABILITY_DATA *cap = NULL;
		TPMI_YES_NO more;

		rc = Esys_GetCapability(t->esys, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE,
					TPM2_CAP_TPM_PROPERTIES, TPM2_PT_MANUFACTURER, 1, &more, &cap);
		Esys_Free(cap);
		if (rc)
			return no_tpm(c, err, errlen, conf, rc);
	}
	return 0;
}

/* Close the connection. */
static void tpm_disconnect(struct tpm_state *t)
{
	if (t->esys && t->nv != ESYS_TR_NONE && t->nv)
		Esys_TR_Close(t->esys, &t->nv);
	if (t->esys)
		Esys_Finalize(&t->esys);
	if (t->tcti)
		Tss2_TctiLdr_Finalize(&t->tcti);
}

/* The storage primary: an ECC P-256 restricted decryption key of the owner hierarchy. */
TSS2_RC ctpm_create_primary(ESYS_CONTEXT *e, ESYS_TR *out)
{
	TPM2B_SENSITIVE_CREATE sens = { 0 };
	TPM2B_PUBLIC tmpl = { 0 };
	TPM2B_DATA outside = { 0 };
	TPML_PCR_SELECTION none = { 0 };
	TPM2B_PUBLIC *opub = NULL;
	TPM2B_CREATION_DATA *cdata = NULL;
	TPM2B_DIGEST *chash = NULL;
	TPMT_TK_CREATION *ticket = NULL;
	TSS2_RC rc;

	tmpl.publicArea.type = TPM2_ALG_ECC;
	tmpl.publicArea.nameAlg = TPM2_ALG_SHA256;
	tmpl.publicArea.objectAttributes = TPMA_OBJECT_RESTRICTED | TPMA_OBJECT_DECRYPT |
		TPMA_OBJECT_FIXEDTPM | TPMA_OBJECT_FIXEDPARENT | TPMA_OBJECT_SENSITIVEDATAORIGIN |
		TPMA_OBJECT_USERWITHAUTH | TPMA_OBJECT_NODA;
	tmpl.publicArea.parameters.eccDetail.symmetric.algorithm = TPM2_ALG_AES;
	tmpl.publicArea.parameters.eccDetail.symmetric.keyBits.aes = 128;
	tmpl.publicArea.parameters.eccDetail.symmetric.mode.aes = TPM2_ALG_CFB;
	tmpl.publicArea.parameters.eccDetail.scheme.scheme = TPM2_ALG_NULL;
	tmpl.publicArea.parameters.eccDetail.curveID = TPM2_ECC_NIST_P256;
	tmpl.publicArea.parameters.eccDetail.kdf.scheme = TPM2_ALG_NULL;
	rc = Esys_CreatePrimary(e, ESYS_TR_RH_OWNER, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE,
				&sens, &tmpl, &outside, &none, out, &opub, &cdata, &chash, &ticket);
	Esys_Free(opub);
	Esys_Free(cdata);
	Esys_Free(chash);
	Esys_Free(ticket);
	return rc;
}

/*
 * A session salted with the storage primary @salt_key (ESYS_TR_NONE: not
 * salted) whose parameters travel encrypted (@attrs: TPMA_SESSION_ENCRYPT
 * for the answer, _DECRYPT for the command), so the seed never crosses the
 * bus to the TPM in clear. A policy session gets PolicyPCR on @sel, a trial
 * one also gives its digest in @digest.
 */
TSS2_RC ctpm_start_session(ESYS_CONTEXT *e, ESYS_TR salt_key, TPM2_SE type,
			     TPMA_SESSION attrs, const TPML_PCR_SELECTION *sel, ESYS_TR *sess,
			     TPM2B_DIGEST *digest)
{
	TPMT_SYM_DEF sym = { .algorithm = TPM2_ALG_AES, .keyBits.aes = 128,
			     .mode.aes = TPM2_ALG_CFB };
	TPM2B_DIGEST empty = { 0 }, *d = NULL;
	TSS2_RC rc;

	if (type == TPM2_SE_TRIAL)
		sym.algorithm = TPM2_ALG_NULL;
	rc = Esys_StartAuthSession(e, salt_key, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE,
				   ESYS_TR_NONE, NULL, type, &sym, TPM2_ALG_SHA256, sess);
	if (rc)
		return rc;
	if (attrs)
		rc = Esys_TRSess_SetAttributes(e, *sess, attrs | TPMA_SESSION_CONTINUESESSION,
					       0xff);
	if (!rc && sel && sel->count && type != TPM2_SE_HMAC)
		rc = Esys_PolicyPCR(e, *sess, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, &empty,
				    sel);
	if (!rc && digest) {
		rc = Esys_PolicyGetDigest(e, *sess, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, &d);
		if (!rc)
			*digest = *d;
		Esys_Free(d);
	}
	if (rc) {
		Esys_FlushContext(e, *sess);
		*sess = ESYS_TR_NONE;
	}
	return rc;
}

/* Parse "16,23" or "sha256:16,23" (or "sha1:..."); "" or "none" is no binding. */
int ctpm_parse_pcrs(const char *s, TPML_PCR_SELECTION *sel, char *text, size_t textlen)
{
	TPMS_PCR_SELECTION *p = &sel->pcrSelections[0];
	const char *q;
	char *end;
	unsigned long v;
	size_t used = 0;
	int n;

	memset(sel, 0, sizeof(*sel));
	snprintf(text, textlen, "none");
	if (!s || !s[0] || !strcmp(s, "none"))
		return 0;
	p->hash = TPM2_ALG_SHA256;
	if (!strncmp(s, "sha256:", 7)) {
		s += 7;
	} else if (!strncmp(s, "sha1:", 5)) {
		p->hash = TPM2_ALG_SHA1;
		s += 5;
	}
	p->sizeofSelect = 3;
	n = snprintf(text, textlen, "%s:", p->hash == TPM2_ALG_SHA1 ? "sha1" : "sha256");
	used = (size_t)n;
	for (q = s; *q;) {
		if (*q < '0' || *q > '9')
			return -EINVAL;
		v = strtoul(q, &end, 10);
		if (v > 23 || (*end && *end != ','))
			return -EINVAL;
		if (p->pcrSelect[v / 8] & (1u << (v % 8)))
			return -EINVAL;
		p->pcrSelect[v / 8] |= (uint8_t)(1u << (v % 8));
		q = *end ? end + 1 : end;
		if (*end && !*q)
			return -EINVAL;
	}
	if (!p->pcrSelect[0] && !p->pcrSelect[1] && !p->pcrSelect[2])
		return -EINVAL;
	sel->count = 1;
	for (v = 0; v < 24; v++) {
		if (!(p->pcrSelect[v / 8] & (1u << (v % 8))))
			continue;
		n = snprintf(text + used, textlen - used, "%s%lu", text[used - 1] == ':' ? "" : ",", v);
		if (n < 0 || (size_t)n >= textlen - used)
			return -EINVAL;
		used += (size_t)n;
	}
	return 0;
}

/* The NV counter's auth value, derived from the seed: only the unsealed key advances it. */
void ctpm_nv_auth_from_seed(const uint8_t seed[32], TPM2B_AUTH *auth)
{
	static const char tag[] = "tabula NV counter auth v1";
	uint8_t buf[32 + sizeof(tag)];

	memcpy(buf, seed, 32);
	memcpy(buf + 32, tag, sizeof(tag));
	auth->size = 32;
	cert_sha256(buf, sizeof(buf), auth->buffer);
	explicit_bzero(buf, sizeof(buf));
}

/* Make sure OpenSSL keeps private keys in its locked secure heap. */
void ctpm_secure_heap(void)
{
	if (!CRYPTO_secure_malloc_initialized())
		(void)CRYPTO_secure_malloc_init(64 * 1024, 32);
}

/* ---- the sealed file ---- */

/* The value of line @key in @text (up to the newline), or NULL. */
static const char *line_value(const char *text, const char *key, size_t *len)
{
	size_t kl = strlen(key);
	const char *p = text, *nl;

	while (*p) {
		nl = strchr(p, '\n');
		if (!nl)
			return NULL;
		if (!strncmp(p, key, kl) && p[kl] == ' ') {
			*len = (size_t)(nl - p - (ptrdiff_t)kl - 1);
			return p + kl + 1;
		}
		p = nl + 1;
	}
	return NULL;
}

/* Parse the hex value of @key into @out (exactly @n bytes, or up to @n with *@got). */
static int hex_value(const char *text, const char *key, uint8_t *out, size_t n, size_t *got)
{
	size_t len;
	const char *v = line_value(text, key, &len);
	char buf[8192];

	if (!v || len % 2 || len / 2 > n || len >= sizeof(buf) || (!got && len / 2 != n))
		return -EINVAL;
	memcpy(buf, v, len);
	buf[len] = '\0';
	if (cert_unhex(buf, out, len / 2))
		return -EINVAL;
	if (got)
		*got = len / 2;
	return 0;
}

/* Read and parse "<ledger>.sealed" at @path. */
static int sealed_read(struct cert_custody *c, const char *path, struct sealed *s, char *err,
		       size_t errlen)
{
	char text[16384], num[32], *sigline;
	uint8_t blob[4096];
	size_t len = 0, got;
	const char *v;
	ssize_t r;
	size_t off;
	int fd, n;

	memset(s, 0, sizeof(*s));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return custody_err(c, err, errlen, -ENOENT,
					   "%s: no sealed station key (enrol this station with"
					   " certs custody init)", path);
		return custody_err(c, err, errlen, -errno, "%s: %s", path, strerror(errno));
	}
	while ((r = read(fd, text + len, sizeof(text) - 1 - len)) > 0)
		len += (size_t)r;
	close(fd);
	text[len] = '\0';
	if (r < 0 || len == sizeof(text) - 1 || strlen(text) != len ||
	    strncmp(text, SEALED_MAGIC "\n", sizeof(SEALED_MAGIC)))
		goto bad;
	cert_sha256(text, len, s->file_sha);
	sigline = strstr(text, "\nmeta-signature ");
	if (!sigline)
		goto bad;
	cert_sha256(text, (size_t)(sigline - text) + 1, s->body_sha);
	if (hex_value(sigline + 1, "meta-signature", s->sig, CERT_SIG_LEN, NULL))
		goto bad;
	sigline[1] = '\0';	/* nothing below may come from beyond the signed body */
	v = line_value(text, "nv-index", &got);
	if (!v || got < 3 || got >= sizeof(num))
		goto bad;
	memcpy(num, v, got);
	num[got] = '\0';
	s->nv_index = (uint32_t)strtoul(num, NULL, 16);
	if (s->nv_index < 0x01000000u || s->nv_index > 0x013fffffu)
		goto bad;
	v = line_value(text, "counter-base", &got);
	if (!v || !got || got >= sizeof(num))
		goto bad;
	memcpy(num, v, got);
	num[got] = '\0';
	s->counter_base = strtoull(num, NULL, 10);
	v = line_value(text, "pcrs", &got);
	if (!v || got >= sizeof(num))
		goto bad;
	memcpy(num, v, got);
	num[got] = '\0';
	if (ctpm_parse_pcrs(num, &s->pcrs, s->pcrs_text, sizeof(s->pcrs_text)))
		goto bad;
	if (hex_value(text, "public-key", s->pub, CERT_PUB_LEN, NULL))
		goto bad;
	if (hex_value(text, "sealed-public", blob, sizeof(blob), &got))
		goto bad;
	off = 0;
	if (Tss2_MU_TPM2B_PUBLIC_Unmarshal(blob, got, &off, &s->tpub) || off != got)
		goto bad;
	if (hex_value(text, "sealed-private", blob, sizeof(blob), &got))
		goto bad;
	off = 0;
	if (Tss2_MU_TPM2B_PRIVATE_Unmarshal(blob, got, &off, &s->tpriv) || off != got)
		goto bad;
	if (line_value(text, "creation-data", &got) || line_value(text, "creation-ticket", &got)) {
		if (hex_value(text, "creation-data", blob, sizeof(blob), &got))
			goto bad;
		off = 0;
		if (Tss2_MU_TPM2B_CREATION_DATA_Unmarshal(blob, got, &off, &s->cdata) || off != got)
			goto bad;
		if (hex_value(text, "creation-ticket", blob, sizeof(blob), &got))
			goto bad;
		off = 0;
		if (Tss2_MU_TPMT_TK_CREATION_Unmarshal(blob, got, &off, &s->ticket) || off != got)
			goto bad;
		s->has_creation = true;
	}
	if (line_value(text, "pcr-values", &got) &&
	    hex_value(text, "pcr-values", s->pcr_values, sizeof(s->pcr_values), &s->pcr_values_len))
		goto bad;
	n = snprintf(c->where, sizeof(c->where), "%s", path);
	if (n < 0 || (size_t)n >= sizeof(c->where))
		goto bad;
	memcpy(c->pub, s->pub, CERT_PUB_LEN);
	return 0;
bad:
	return custody_err(c, err, errlen, -EBADMSG,
			   "%s is not a sealed station key as certs custody init writes it"
			   " (damaged or altered)", path);
}

/* ---- the backend ---- */

/* Sign with the unsealed key. */
static int tpm_sign(struct cert_custody *c, const uint8_t hash[CERT_HASH_LEN],
		    uint8_t sig[CERT_SIG_LEN])
{
	int rc;

	pthread_mutex_lock(&sign_lock);
	rc = cert_sign(c->key, hash, sig);
	pthread_mutex_unlock(&sign_lock);
	return rc ? custody_err(c, NULL, 0, rc, "signing with the unsealed station key failed") : 0;
}

/* The counter's value. */
static int tpm_counter_read(struct cert_custody *c, uint64_t *value)
{
	struct tpm_state *t = c->priv;
	TPM2B_MAX_NV_BUFFER *d = NULL;
	TSS2_RC rc;
	uint64_t v = 0;
	int i;

	rc = Esys_NV_Read(t->esys, t->nv, t->nv, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE, 8,
			  0, &d);
	if (rc || !d || d->size != 8) {
		Esys_Free(d);
		return custody_err(c, NULL, 0, rc ? ctpm_tss_errno(rc) : -EIO,
				   "reading the TPM counter 0x%08" PRIx32 " at %s failed: %s",
				   t->s.nv_index, t->tcti_conf, rc ? Tss2_RC_Decode(rc) : "short");
	}
	for (i = 0; i < 8; i++)
		v = v << 8 | d->buffer[i];
	Esys_Free(d);
	*value = v;
	return 0;
}

/* Advance the counter and read it back. */
int ctpm_counter_advance(struct cert_custody *c, uint64_t *value)
{
	struct tpm_state *t = c->priv;
	TSS2_RC rc;

	rc = Esys_NV_Increment(t->esys, t->nv, t->nv, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE);
	if (rc)
		return custody_err(c, NULL, 0, ctpm_tss_errno(rc),
				   "advancing the TPM counter 0x%08" PRIx32 " at %s failed: %s",
				   t->s.nv_index, t->tcti_conf, Tss2_RC_Decode(rc));
	return tpm_counter_read(c, value);
}

/* "TPM 2.0 at TCTI, sealed key FILE, NV counter 0x..., PCRs ...". */
static void tpm_describe(const struct cert_custody *c, char *buf, size_t len)
{
	const struct tpm_state *t = c->priv;
	int n = snprintf(buf, len, "TPM 2.0 at %s: key sealed in %s, NV counter 0x%08" PRIx32
			 ", %s%s", t->tcti_conf, c->where, t->s.nv_index,
			 t->s.pcrs.count ? "bound to PCRs " : "not bound to PCRs",
			 t->s.pcrs.count ? t->s.pcrs_text : "");

	if (n < 0 || (size_t)n >= len)
		buf[len - 1] = '\0';
}

/* Close the TPM connection (the key stays in the process cache). */
static void tpm_free(struct cert_custody *c)
{
	struct tpm_state *t = c->priv;

	if (!t)
		return;
	tpm_disconnect(t);
	explicit_bzero(t, sizeof(*t));
	free(t);
	c->priv = NULL;
}

const struct cert_custody_ops ctpm_ops = {
	.name = CERT_CUSTODY_TPM,
	.sign = tpm_sign,
	.counter_read = tpm_counter_read,
	.counter_advance = ctpm_counter_advance,
	.describe = tpm_describe,
	.free = tpm_free,
};

/* Do @a and @b select the same PCRs of the same banks? */
static bool same_selection(const TPML_PCR_SELECTION *a, const TPML_PCR_SELECTION *b)
{
	uint32_t i;

	if (a->count != b->count || a->count > TPM2_NUM_PCR_BANKS)
		return false;
	for (i = 0; i < a->count; i++) {
		const TPMS_PCR_SELECTION *x = &a->pcrSelections[i], *y = &b->pcrSelections[i];

		if (x->hash != y->hash || x->sizeofSelect != y->sizeofSelect ||
		    x->sizeofSelect > sizeof(x->pcrSelect) ||
		    memcmp(x->pcrSelect, y->pcrSelect, x->sizeofSelect))
			return false;
	}
	return true;
}

/*
 * Was the object @obj of @t->s sealed in a boot whose PCRs are the ones its
 * policy asks for? Whoever can run code on the station PC can make an
 * object under the same owner primary with a seed of their choosing and any
 * policy, the genuine boot's included (its PCR values can be computed or
 * sniffed), and write a .sealed file around it: the station would then sign
 * with a key its maker knows. The TPM records the PCRs at TPM2_Create in the
 * creation data and proves with the ticket that it made this object (by
 * name) with that data (TPM2_CertifyCreation checks the ticket). The PCR
 * digest recorded there, put into PolicyPCR, must give the object's own
 * policy: the seed went into the TPM in such a boot, that is from the
 * station's own certs, which made it at random. 0 or -EKEYREJECTED.
 */
static int creation_proven(struct cert_custody *c, struct tpm_state *t, ESYS_TR primary,
			   ESYS_TR obj, char *err, size_t errlen)
{
	const TPMS_CREATION_DATA *cd = &t->s.cdata.creationData;
	uint8_t blob[4096], pol[CERT_HASH_LEN], buf[4 + sizeof(blob) + 64];
	const TPM2B_DIGEST *ap = &t->s.tpub.publicArea.authPolicy;
	TPM2B_DIGEST chash = { .size = CERT_HASH_LEN };
	TPM2B_DATA qual = { 0 };
	TPMT_SIG_SCHEME scheme = { .scheme = TPM2_ALG_NULL };
	TPM2B_ATTEST *attest = NULL;
	TPMT_SIGNATURE *sig = NULL;
	size_t off = 0, n;
	TSS2_RC rc;

	if (!t->s.has_creation)
		return custody_err(c, err, errlen, -EKEYREJECTED,
				   "the station key in %s carries no proof of the boot it was sealed"
				   " in (written by an older certs, or by another tool): it is not"
				   " used; set up a new records medium", c->where);
	if (Tss2_MU_TPMS_CREATION_DATA_Marshal(cd, blob, sizeof(blob), &off))
		goto refused;
	cert_sha256(blob, off, chash.buffer);
	rc = Esys_CertifyCreation(t->esys, ESYS_TR_RH_NULL, obj, ESYS_TR_PASSWORD, ESYS_TR_NONE,
				  ESYS_TR_NONE, &qual, &chash, &scheme, &t->s.ticket, &attest, &sig);
	Esys_Free(attest);
	Esys_Free(sig);
	if (rc)
		return custody_err(c, err, errlen, -EKEYREJECTED,
				   "the TPM does not confirm that it sealed the station key in %s"
				   " as its file says (%s): it is not used", c->where,
				   Tss2_RC_Decode(rc));
	/*
	 * Beyond the TPM's word (defence in depth, each implied by a valid
	 * ticket for an object that loaded under our primary): the ticket is
	 * the owner hierarchy's, the object is named with SHA-256, and its
	 * creation data names our primary as its parent.
	 */
	{
		TPM2B_NAME *pname = NULL;
		bool parent_ok;

		if (t->s.ticket.tag != TPM2_ST_CREATION || t->s.ticket.hierarchy != TPM2_RH_OWNER ||
		    t->s.tpub.publicArea.nameAlg != TPM2_ALG_SHA256 ||
		    cd->parentNameAlg != TPM2_ALG_SHA256)
			goto refused;
		if (Esys_TR_GetName(t->esys, primary, &pname) != TSS2_RC_SUCCESS)
			goto refused;
		parent_ok = pname->size == cd->parentName.size &&
			    !memcmp(pname->name, cd->parentName.name, pname->size);
		Esys_Free(pname);
		if (!parent_ok)
			goto refused;
	}
	/* The policy's PCRs, exactly, recorded at creation, and PolicyPCR over them. */
	if (!same_selection(&cd->pcrSelect, &t->s.pcrs))
		goto refused;
	off = 0;
	memset(buf, 0, CERT_HASH_LEN);
	n = CERT_HASH_LEN;
	buf[n++] = 0x00, buf[n++] = 0x00, buf[n++] = 0x01, buf[n++] = 0x7f; /* TPM2_CC_PolicyPCR */
	if (Tss2_MU_TPML_PCR_SELECTION_Marshal(&cd->pcrSelect, buf + n, sizeof(buf) - n, &off) ||
	    n + off + cd->pcrDigest.size > sizeof(buf))
		goto refused;
	n += off;
	memcpy(buf + n, cd->pcrDigest.buffer, cd->pcrDigest.size);
	n += cd->pcrDigest.size;
	cert_sha256(buf, n, pol);
	if (ap->size != CERT_HASH_LEN || memcmp(ap->buffer, pol, CERT_HASH_LEN))
		goto refused;
	return 0;
refused:
	return custody_err(c, err, errlen, -EKEYREJECTED,
			   "the station key in %s was not sealed in the boot it is bound to (the"
			   " PCRs %s at its sealing were not the ones its policy asks for): it was"
			   " made outside this station's own boot and is not used", c->where,
			   t->s.pcrs_text);
}

/* Unseal the seed of @s in the TPM of @t into @seed. */
static int unseal(struct cert_custody *c, struct tpm_state *t, uint8_t seed[32], char *err,
		  size_t errlen)
{
	ESYS_TR primary = ESYS_TR_NONE, obj = ESYS_TR_NONE, sess = ESYS_TR_NONE;
	TPM2B_SENSITIVE_DATA *data = NULL;
	TSS2_RC rc;
	int ret = 0;

	rc = ctpm_create_primary(t->esys, &primary);
	if (rc) {
		ret = custody_err(c, err, errlen, ctpm_tss_errno(rc),
				  "the TPM at %s cannot make its storage key: %s", t->tcti_conf,
				  Tss2_RC_Decode(rc));
		goto out;
	}
	rc = Esys_Load(t->esys, primary, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE, &t->s.tpriv,
		       &t->s.tpub, &obj);
	if (rc) {
		ret = custody_err(c, err, errlen, ctpm_tpm_code(rc) == TPM2_RC_INTEGRITY ? -EKEYREJECTED :
				  ctpm_tss_errno(rc),
				  "the station key in %s was sealed by another TPM (another PC, or this"
				  " TPM was cleared): this PC cannot sign for that ledger (%s)",
				  c->where, Tss2_RC_Decode(rc));
		goto out;
	}
	if (t->s.pcrs.count && (ret = creation_proven(c, t, primary, obj, err, errlen)))
		goto out;
	/* The answer (the seed) encrypted to a session salted with the primary. */
	rc = ctpm_start_session(t->esys, primary, t->s.pcrs.count ? TPM2_SE_POLICY : TPM2_SE_HMAC,
			   TPMA_SESSION_ENCRYPT, &t->s.pcrs, &sess, NULL);
	if (rc) {
		ret = custody_err(c, err, errlen, ctpm_tss_errno(rc),
				  "the TPM at %s refused the %ssession for the unseal: %s",
				  t->tcti_conf, t->s.pcrs.count ? "PCR policy " : "",
				  Tss2_RC_Decode(rc));
		goto out;
	}
	rc = Esys_Unseal(t->esys, obj, sess, ESYS_TR_NONE, ESYS_TR_NONE, &data);
	if (rc) {
		if (ctpm_tpm_code(rc) == TPM2_RC_POLICY_FAIL) {
			char which[512];

			ctpm_pcr_changes(t->esys, &t->s, which, sizeof(which));
			ret = custody_err(c, err, errlen, -EKEYREJECTED,
					  "the station key is bound to PCRs %s and they changed since"
					  " enrolment (%s%s): the key stays sealed and nothing can be"
					  " signed", t->s.pcrs_text, which[0] ? "what changed: " : "a different"
					  " boot, kernel or command line", which);
		} else
			ret = custody_err(c, err, errlen, ctpm_tss_errno(rc),
					  "the TPM at %s would not unseal the station key in %s: %s",
					  t->tcti_conf, c->where, Tss2_RC_Decode(rc));
		goto out;
	}
	if (data->size != 32) {
		ret = custody_err(c, err, errlen, -EBADMSG, "%s does not hold a station key seed",
				  c->where);
		goto out;
	}
	memcpy(seed, data->buffer, 32);
out:
	if (data) {
		explicit_bzero(data, sizeof(*data));
		Esys_Free(data);
	}
	if (sess != ESYS_TR_NONE)
		Esys_FlushContext(t->esys, sess);
	if (obj != ESYS_TR_NONE)
		Esys_FlushContext(t->esys, obj);
	if (primary != ESYS_TR_NONE)
		Esys_FlushContext(t->esys, primary);
	return ret;
}

/* Open the NV counter of @t->s and give it @auth. */
static int open_counter(struct cert_custody *c, struct tpm_state *t, const TPM2B_AUTH *auth,
			char *err, size_t errlen)
{
	TPM2B_NV_PUBLIC *np = NULL;
	TSS2_RC rc;
	TPMA_NV want = TPMA_NV_AUTHWRITE | TPMA_NV_AUTHREAD |
		       ((TPM2_NT_COUNTER << TPMA_NV_TPM2_NT_SHIFT) & TPMA_NV_TPM2_NT_MASK);

	rc = Esys_TR_FromTPMPublic(t->esys, t->s.nv_index, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE,
				   &t->nv);
	if (rc) {
		t->nv = ESYS_TR_NONE;
		return custody_err(c, err, errlen, -EKEYREJECTED,
				   "the station's NV counter 0x%08" PRIx32 " is not defined in the TPM"
				   " at %s (another PC, or the TPM was cleared)", t->s.nv_index,
				   t->tcti_conf);
	}
	rc = Esys_NV_ReadPublic(t->esys, t->nv, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, &np, NULL);
	if (rc || (np->nvPublic.attributes & want) != want || np->nvPublic.dataSize != 8) {
		Esys_Free(np);
		return custody_err(c, err, errlen, -EKEYREJECTED,
				   "NV index 0x%08" PRIx32 " in the TPM at %s is not the station's"
				   " counter", t->s.nv_index, t->tcti_conf);
	}
	Esys_Free(np);
	rc = Esys_TR_SetAuth(t->esys, t->nv, auth);
	return rc ? custody_err(c, err, errlen, -EIO, "Esys_TR_SetAuth: %s", Tss2_RC_Decode(rc)) : 0;
}

int custody_tpm_open(struct cert_custody *c, const char *ledger_path, const char *tcti,
		     char *err, size_t errlen)
{
	struct tpm_state *t = calloc(1, sizeof(*t));
	struct cert_key *key = NULL;
	TPM2B_AUTH auth = { 0 };
	uint8_t seed[32];
	char path[4096];
	size_t i, slot = CACHE_MAX;
	int rc, n;

	c->ops = &ctpm_ops;
	if (!t)
		return custody_err(c, err, errlen, -ENOMEM, "out of memory");
	n = snprintf(path, sizeof(path), "%s.sealed", ledger_path);
	if (n < 0 || (size_t)n >= sizeof(path)) {
		free(t);
		return custody_err(c, err, errlen, -ENAMETOOLONG, "ledger path too long");
	}
	if ((rc = sealed_read(c, path, &t->s, err, errlen))) {
		free(t);
		return rc;
	}
	c->priv = t;
	/*
	 * On the live image ($TABULA_BOOT_CUSTODY=1, /etc/default/tabula) the
	 * key must be bound to the boot, CERT_CUSTODY_BOOT_PCRS exactly: an
	 * unbound key, or one bound to PCRs anyone can set, proves nothing.
	 */
	if (cert_custody_boot_rule()) {
		TPML_PCR_SELECTION boot = { 0 };
		char text[64];

		/*
		 * A key planted from a BIOS boot carries a genuine creation proof
		 * for PCRs nothing measured (see cert_custody_boot_unmeasured).
		 */
		if (cert_custody_boot_unmeasured(tcti))
			return custody_err(c, err, errlen, -EKEYREJECTED,
					   "this PC booted the image in BIOS (legacy) mode, where nothing"
					   " measures the boot: the station key in %s is not used; boot the"
					   " image through UEFI (the firmware's boot menu)", path);

		if (ctpm_parse_pcrs(CERT_CUSTODY_BOOT_PCRS, &boot, text, sizeof(text)) ||
		    !same_selection(&boot, &t->s.pcrs))
			return custody_err(c, err, errlen, -EKEYREJECTED,
					   "the station key in %s is %s%s, not to this station's boot"
					   " (PCRs %s): it is not used", path,
					   t->s.pcrs.count ? "bound to PCRs " : "not bound to PCRs",
					   t->s.pcrs.count ? t->s.pcrs_text : "", text);
	}
	t->nv = ESYS_TR_NONE;
	if ((rc = ctpm_tpm_connect(c, t, tcti, err, errlen)))
		return rc;

	pthread_mutex_lock(&cache_lock);
	for (i = 0; i < CACHE_MAX; i++)
		if (cache[i].key && !memcmp(cache[i].file_sha, t->s.file_sha, CERT_HASH_LEN))
			break;
	if (i < CACHE_MAX) {
		key = cache[i].key;
		auth = cache[i].nv_auth;
	}
	pthread_mutex_unlock(&cache_lock);

	if (!key) {
		if ((rc = unseal(c, t, seed, err, errlen)))
			return rc;
		ctpm_secure_heap();
		rc = cert_key_from_seed(seed, &key);
		ctpm_nv_auth_from_seed(seed, &auth);
		explicit_bzero(seed, sizeof(seed));
		if (rc) {
			explicit_bzero(&auth, sizeof(auth));
			return custody_err(c, err, errlen, rc, "cannot make the station key");
		}
		{
			uint8_t pub[CERT_PUB_LEN];

			cert_key_public(key, pub);
			if (memcmp(pub, t->s.pub, CERT_PUB_LEN) ||
			    cert_verify_sig(key, t->s.body_sha, t->s.sig) != 0) {
				cert_key_free(key);
				explicit_bzero(&auth, sizeof(auth));
				return custody_err(c, err, errlen, -EBADMSG,
						   "%s was altered after enrolment (its signature"
						   " does not match the unsealed key)", c->where);
			}
		}
		/* A full cache keeps what it holds (custodies use those keys); this one is ours. */
		pthread_mutex_lock(&cache_lock);
		for (i = 0; i < CACHE_MAX && slot == CACHE_MAX; i++)
			if (!cache[i].key)
				slot = i;
		if (slot < CACHE_MAX) {
			memcpy(cache[slot].file_sha, t->s.file_sha, CERT_HASH_LEN);
			cache[slot].key = key;
			cache[slot].nv_auth = auth;
		}
		pthread_mutex_unlock(&cache_lock);
		c->key_cached = slot < CACHE_MAX;
	} else {
		c->key_cached = true;
	}
	c->key = key;
	memcpy(c->pub, t->s.pub, CERT_PUB_LEN);
	cert_fingerprint(c->pub, c->fp);
	c->counter_base = t->s.counter_base;
	rc = open_counter(c, t, &auth, err, errlen);
	explicit_bzero(&auth, sizeof(auth));
	return rc;
}

void custody_tpm_forget_keys(void)
{
	size_t i;

	pthread_mutex_lock(&cache_lock);
	for (i = 0; i < CACHE_MAX; i++) {
		cert_key_free(cache[i].key);
		explicit_bzero(&cache[i], sizeof(cache[i]));
	}
	pthread_mutex_unlock(&cache_lock);
}

/* ---- enrolment ---- */

