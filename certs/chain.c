/* SPDX-License-Identifier: GPL-3.0-or-later */
/* SHA-256 hash chain and Ed25519 station key (OpenSSL EVP). */
#include "config.h"

#include "certs/chain.h"
#include "wiper/base/hexdigit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>

struct cert_key {
	EVP_PKEY *pkey;
	EVP_MD_CTX *ctx;	/* reused for verification */
	bool private_;
	uint8_t pub[CERT_PUB_LEN];
};

/* Format an error message into @err. */
__attribute__((format(printf, 3, 4)))
static void seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	n = vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= errlen)
		err[errlen - 1] = '\0';
}

/* Wrap @pkey (taken). */
static int key_wrap(EVP_PKEY *pkey, bool priv, struct cert_key **out)
{
	struct cert_key *k = calloc(1, sizeof(*k));
	size_t len = CERT_PUB_LEN;

	if (!k || !(k->ctx = EVP_MD_CTX_new()) ||
	    EVP_PKEY_get_raw_public_key(pkey, k->pub, &len) != 1 || len != CERT_PUB_LEN) {
		if (k)
			EVP_MD_CTX_free(k->ctx);
		free(k);
		EVP_PKEY_free(pkey);
		return -ENOMEM;
	}
	k->pkey = pkey;
	k->private_ = priv;
	*out = k;
	return 0;
}

#define PEM_BEGIN "-----BEGIN PRIVATE KEY-----"
#define PEM_END "-----END PRIVATE KEY-----"
#define KEY_FILE_MAX 4096

/*
 * PKCS#8 v1 for Ed25519 (RFC 8410): SEQUENCE { INTEGER 0, SEQUENCE { OID
 * 1.3.101.112 }, OCTET STRING { OCTET STRING (32-byte seed) } }. Every
 * Ed25519 key in this form is these 16 bytes and then the seed.
 */
static const uint8_t ed25519_pkcs8[16] = {
	0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
};

int cert_key_from_pem(const char *pem, size_t len, struct cert_key **out)
{
	static const size_t bl = sizeof(PEM_BEGIN) - 1, el = sizeof(PEM_END) - 1;
	char b64[KEY_FILE_MAX + 4];
	uint8_t der[KEY_FILE_MAX];
	EVP_PKEY *pkey = NULL;
	size_t i, n = 0, end;
	int dl, rc = -EINVAL;

	*out = NULL;
	if (len < bl + el || len > KEY_FILE_MAX || memcmp(pem, PEM_BEGIN, bl) != 0)
		return -EINVAL;
	/* The base64 between the lines; only white space may stand around it. */
	for (i = bl; i < len && pem[i] != '-' && n < KEY_FILE_MAX; i++) {
		char ch = pem[i];

		if (ch == '\n' || ch == '\r' || ch == ' ' || ch == '\t')
			continue;
		/* No '=': 48 bytes need no padding (EVP_DecodeBlock would count it as data). */
		if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		      (ch >= '0' && ch <= '9') || ch == '+' || ch == '/'))
			goto out;
		b64[n++] = ch;
	}
	if (len - i < el || memcmp(pem + i, PEM_END, el) != 0)
		goto out;
	for (end = i + el; end < len; end++)
		if (pem[end] != '\n' && pem[end] != '\r' && pem[end] != ' ' && pem[end] != '\t')
			goto out;
	/* 48 bytes of DER are 64 base64 characters, without padding. */
	if (n != 64)
		goto out;
	b64[n] = '\0';
	dl = EVP_DecodeBlock(der, (const unsigned char *)b64, (int)n);
	if (dl != 48 || memcmp(der, ed25519_pkcs8, sizeof(ed25519_pkcs8)) != 0)
		goto out;
	pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, der + 16, 32);
	rc = pkey ? key_wrap(pkey, true, out) : -ENOMEM;
out:
	explicit_bzero(b64, sizeof(b64));
	explicit_bzero(der, sizeof(der));
	return rc;
}

int cert_key_generate(struct cert_key **out)
{
	EVP_PKEY *pkey = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");

	if (!pkey)
		return -ENOMEM;
	return key_wrap(pkey, true, out);
}

int cert_key_from_seed(const uint8_t seed[32], struct cert_key **out)
{
	EVP_PKEY *pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed, 32);

	if (!pkey)
		return -EINVAL;
	return key_wrap(pkey, true, out);
}

int cert_key_from_public(const uint8_t pub[CERT_PUB_LEN], struct cert_key **out)
{
	EVP_PKEY *pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub, CERT_PUB_LEN);

	if (!pkey)
		return -EINVAL;
	return key_wrap(pkey, false, out);
}

/* Write all of @p to @fd. */
static int write_all(int fd, const char *p, size_t len)
{
	size_t off = 0;

	while (off < len) {
		ssize_t w = write(fd, p + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? -errno : -EIO;
		off += (size_t)w;
	}
	return 0;
}

/*
 * Write a new key to @path, mode 0600, durable and atomic: the key goes to a
 * temporary file that is fsync'ed and then linked into place, so a crash
 * never leaves a half-written key under the real name.
 */
static int key_create(const char *path, EVP_PKEY **out, char *err, size_t errlen)
{
	EVP_PKEY *pkey = NULL;
	BIO *bio = NULL;
	char *pem, tmp[4096];
	long pemlen;
	int fd = -1, rc = 0, n;

	n = snprintf(tmp, sizeof(tmp), "%s.new.%ld", path, (long)getpid());
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		seterr(err, errlen, "%s: the station key's path is too long", path);
		return -ENAMETOOLONG;
	}
	pkey = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	bio = BIO_new(BIO_s_mem());
	if (!pkey || !bio || !PEM_write_bio_PrivateKey(bio, pkey, NULL, NULL, 0, NULL, NULL)) {
		rc = -ENOMEM;
		seterr(err, errlen, "cannot generate an Ed25519 key");
		goto out;
	}
	pemlen = BIO_get_mem_data(bio, &pem);
	unlink(tmp);	/* a leftover of an earlier crash of this pid */
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		rc = -errno;
		seterr(err, errlen, "create %s: %s", tmp, strerror(errno));
		goto out;
	}
	rc = write_all(fd, pem, (size_t)pemlen);
	explicit_bzero(pem, (size_t)pemlen);
	if (!rc && fsync(fd) < 0)
		rc = -errno;
	if (rc) {
		seterr(err, errlen, "write %s: %s", tmp, strerror(-rc));
		goto out;
	}
	if (link(tmp, path) < 0) {
		rc = -errno;
		seterr(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	*out = pkey;
	pkey = NULL;
out:
	if (fd >= 0) {
		close(fd);
		unlink(tmp);
	}
	BIO_free(bio);	/* BIO_s_mem frees its buffer */
	EVP_PKEY_free(pkey);
	return rc;
}

int cert_key_load(const char *path, bool create, struct cert_key **out, bool *created, char *err,
		  size_t errlen)
{
	EVP_PKEY *pkey = NULL;
	char text[KEY_FILE_MAX + 1];
	struct stat st;
	size_t have = 0;
	int fd, rc = 0;

	*out = NULL;
	if (created)
		*created = false;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		rc = -errno;
		if (rc == -ENOENT && create) {
			rc = key_create(path, &pkey, err, errlen);
			if (rc == -EEXIST)	/* another process created it first */
				return cert_key_load(path, false, out, created, err, errlen);
			if (rc)
				return rc;
			if (created)
				*created = true;
			return key_wrap(pkey, true, out);
		}
		seterr(err, errlen, "open %s: %s", path, strerror(-rc));
		return rc;
	}
	if (fstat(fd, &st) < 0) {
		rc = -errno;
		seterr(err, errlen, "%s: %s", path, strerror(-rc));
		goto out;
	}
	if (st.st_mode & 077) {
		rc = -EACCES;
		seterr(err, errlen, "%s is readable by others (mode %04o); chmod 600 it",
		       path, (unsigned)(st.st_mode & 07777));
		goto out;
	}
	/* Straight into a buffer cleared below: no stdio copy of the key outlives this. */
	while (have < sizeof(text)) {
		ssize_t r = read(fd, text + have, sizeof(text) - have);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = -errno;
			seterr(err, errlen, "read %s: %s", path, strerror(-rc));
			goto out;
		}
		if (r == 0)
			break;
		have += (size_t)r;
	}
	rc = have > KEY_FILE_MAX ? -EINVAL : cert_key_from_pem(text, have, out);
	if (rc == -EINVAL)
		seterr(err, errlen, "%s is not an Ed25519 private key (PKCS#8 PEM, as"
		       " this station writes it)", path);
	else if (rc)
		seterr(err, errlen, "%s: %s", path, strerror(-rc));
out:
	explicit_bzero(text, sizeof(text));
	close(fd);
	return rc;
}

void cert_key_free(struct cert_key *k)
{
	if (!k)
		return;
	EVP_MD_CTX_free(k->ctx);
	EVP_PKEY_free(k->pkey);
	free(k);
}

void cert_key_public(const struct cert_key *k, uint8_t pub[CERT_PUB_LEN])
{
	memcpy(pub, k->pub, CERT_PUB_LEN);
}

void cert_fingerprint(const uint8_t pub[CERT_PUB_LEN], char fp[CERT_FP_HEX])
{
	uint8_t h[CERT_HASH_LEN];

	cert_sha256(pub, CERT_PUB_LEN, h);
	cert_hex(h, sizeof(h), fp);
}

void cert_key_fingerprint(const struct cert_key *k, char fp[CERT_FP_HEX])
{
	cert_fingerprint(k->pub, fp);
}

void cert_sha256(const void *p, size_t len, uint8_t out[CERT_HASH_LEN])
{
	SHA256(p, len, out);
}

void cert_chain_hash(const uint8_t prev[CERT_HASH_LEN], const void *rec, size_t len,
		     uint8_t out[CERT_HASH_LEN])
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	unsigned int olen = CERT_HASH_LEN;

	/* Allocation failure leaves an all-ones hash, which never verifies. */
	if (!c || EVP_DigestInit_ex(c, EVP_sha256(), NULL) != 1 ||
	    EVP_DigestUpdate(c, prev, CERT_HASH_LEN) != 1 || EVP_DigestUpdate(c, rec, len) != 1 ||
	    EVP_DigestFinal_ex(c, out, &olen) != 1)
		memset(out, 0xff, CERT_HASH_LEN);
	EVP_MD_CTX_free(c);
}

int cert_sign(struct cert_key *k, const uint8_t hash[CERT_HASH_LEN], uint8_t sig[CERT_SIG_LEN])
{
	size_t len = CERT_SIG_LEN;

	if (!k->private_)
		return -EINVAL;
	if (EVP_DigestSignInit(k->ctx, NULL, NULL, NULL, k->pkey) != 1 ||
	    EVP_DigestSign(k->ctx, sig, &len, hash, CERT_HASH_LEN) != 1 || len != CERT_SIG_LEN)
		return -EIO;
	return 0;
}

int cert_verify_sig(struct cert_key *k, const uint8_t hash[CERT_HASH_LEN],
		    const uint8_t sig[CERT_SIG_LEN])
{
	if (EVP_DigestVerifyInit(k->ctx, NULL, NULL, NULL, k->pkey) != 1)
		return -ENOMEM;
	return EVP_DigestVerify(k->ctx, sig, CERT_SIG_LEN, hash, CERT_HASH_LEN) == 1 ? 0 : 1;
}

void cert_hex(const uint8_t *p, size_t n, char *out)
{
	static const char hx[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hx[p[i] >> 4];
		out[2 * i + 1] = hx[p[i] & 15];
	}
	out[2 * n] = '\0';
}

int cert_unhex(const char *s, uint8_t *out, size_t n)
{
	size_t i;

	if (strlen(s) != 2 * n)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		int hi = wiper_hex_digit(s[2 * i]), lo = wiper_hex_digit(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}
