/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * tpm-forge-sealed: the insider's tool in tests/integration/certs-tpm-forge.sh.
 * Someone who can run code on the station PC (their own boot stick) makes a
 * "station key" whose seed they chose, sealed by the station's TPM under the
 * same owner primary as certs uses, with the policy of the genuine boot (its
 * PCR values are computable, or sniffed on the bus), and writes the
 * .sealed file around it as certs would: if the station took it, they could
 * sign certificates offline with a key the records officer thinks only the
 * TPM holds.
 *
 *   tpm-forge-sealed TCTI LEDGER forge|noproof|unbound
 *       write LEDGER.sealed and LEDGER.pub for the seed 0x42... (32 bytes);
 *       forge: the policy is PolicyPCR on CERT_CUSTODY_BOOT_PCRS with every
 *       PCR zero (a fresh TPM: the "genuine boot" of the test), made now,
 *       while the PCRs may be anything, with the creation data and ticket
 *       the TPM gives; noproof: the same without the creation lines (as a
 *       file from before them); unbound: no policy ("pcrs none"); digest:
 *       like forge, with the creation data's PCR digest rewritten to the
 *       genuine boot's (the ticket then covers other data).
 *   tpm-forge-sealed TCTI LEDGER unseal
 *       unseal LEDGER.sealed's object with the policy satisfied by the PCRs
 *       as they are now and print the seed in hex: the TPM would give the
 *       chosen seed to whoever asks in that boot.
 *
 * Exit 0 or 1 with a message. Uses libcerts' TPM helpers so the primary is
 * exactly the one certs derives.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tss2/tss2_esys.h>
#include <tss2/tss2_mu.h>
#include <tss2/tss2_rc.h>
#include <tss2/tss2_tctildr.h>

#include "certs/custody-tpm-impl.h"
#include "certs/chain.h"
#include "certs/ledger.h"

static ESYS_CONTEXT *e;
static ESYS_TR primary = ESYS_TR_NONE, trial = ESYS_TR_NONE, obj = ESYS_TR_NONE, sess = ESYS_TR_NONE;

/* Transient objects and sessions stay in a TPM without a resource manager (swtpm): flush them. */
static void flush_all(void)
{
	ESYS_TR *h[] = { &sess, &trial, &obj, &primary };

	for (size_t i = 0; e && i < sizeof(h) / sizeof(h[0]); i++)
		if (*h[i] != ESYS_TR_NONE) {
			Esys_FlushContext(e, *h[i]);
			*h[i] = ESYS_TR_NONE;
		}
}

static void die(const char *what, TSS2_RC rc)
{
	fprintf(stderr, "tpm-forge-sealed: %s: %s\n", what, rc ? Tss2_RC_Decode(rc) : "failed");
	flush_all();
	exit(1);
}

static void put_hex(FILE *f, char **acc, size_t *alen, const char *key, const uint8_t *p, size_t n)
{
	char *line = malloc(strlen(key) + 2 * n + 3);
	size_t l;

	sprintf(line, "%s ", key);
	cert_hex(p, n, line + strlen(line));
	strcat(line, "\n");
	l = strlen(line);
	*acc = realloc(*acc, *alen + l + 1);
	memcpy(*acc + *alen, line, l + 1);
	*alen += l;
	(void)f;
	free(line);
}

static void put_text(char **acc, size_t *alen, const char *line)
{
	size_t l = strlen(line);

	*acc = realloc(*acc, *alen + l + 1);
	memcpy(*acc + *alen, line, l + 1);
	*alen += l;
}

int main(int argc, char **argv)
{
	TSS2_TCTI_CONTEXT *tcti = NULL;
	TPML_PCR_SELECTION sel = { 0 }, none = { 0 };
	char pcrs_text[64], path[4096], *acc = NULL, conf[512];
	uint8_t seed[32], blob[4096], hash[CERT_HASH_LEN], sig[CERT_SIG_LEN], pub[CERT_PUB_LEN];
	size_t alen = 0, off;
	const char *mode;
	struct cert_key *key = NULL;
	TSS2_RC rc;
	FILE *f;

	if (argc != 4) {
		fprintf(stderr, "usage: tpm-forge-sealed TCTI LEDGER forge|noproof|unbound|unseal\n");
		return 2;
	}
	mode = argv[3];
	memset(seed, 0x42, sizeof(seed));
	snprintf(conf, sizeof(conf), "%s", argv[1]);
	{
		char *colon = strchr(conf, ':');

		if (colon)
			*colon++ = '\0';
		rc = Tss2_TctiLdr_Initialize_Ex(conf, colon, &tcti);
	}
	if (rc)
		die("TCTI", rc);
	if ((rc = Esys_Initialize(&e, tcti, NULL)))
		die("ESYS", rc);
	if ((rc = ctpm_create_primary(e, &primary)))
		die("the owner's storage primary", rc);
	snprintf(path, sizeof(path), "%s.sealed", argv[2]);

	if (!strcmp(mode, "unseal")) {
		/* read sealed-public / sealed-private / pcrs from the file */
		char text[16384], *v;
		TPM2B_PUBLIC tpub = { 0 };
		TPM2B_PRIVATE tpriv = { 0 };
		TPM2B_SENSITIVE_DATA *out = NULL;
		size_t n;

		f = fopen(path, "r");
		if (!f)
			die(path, 0);
		n = fread(text, 1, sizeof(text) - 1, f);
		fclose(f);
		text[n] = '\0';
		char want[64];

		v = strstr(text, "\npcrs ");
		if (!v || sscanf(v + 6, "%63s", want) != 1)
			die("no pcrs line", 0);
		if (strcmp(want, "none") && ctpm_parse_pcrs(want, &sel, pcrs_text, sizeof(pcrs_text)))
			die("pcrs", 0);
		for (int k = 0; k < 2; k++) {
			const char *name = k ? "\nsealed-private " : "\nsealed-public ";
			char *h = strstr(text, name), *end;

			if (!h)
				die(name + 1, 0);
			h += strlen(name);
			end = strchr(h, '\n');
			*end = '\0';
			if (cert_unhex(h, blob, strlen(h) / 2))
				die("hex", 0);
			off = 0;
			if (k ? Tss2_MU_TPM2B_PRIVATE_Unmarshal(blob, strlen(h) / 2, &off, &tpriv)
			      : Tss2_MU_TPM2B_PUBLIC_Unmarshal(blob, strlen(h) / 2, &off, &tpub))
				die("unmarshal", 0);
			*end = '\n';
		}
		if ((rc = Esys_Load(e, primary, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE, &tpriv, &tpub, &obj)))
			die("load", rc);
		if ((rc = ctpm_start_session(e, ESYS_TR_NONE, sel.count ? TPM2_SE_POLICY : TPM2_SE_HMAC, 0,
					     &sel, &sess, NULL)))
			die("policy session", rc);
		if ((rc = Esys_Unseal(e, obj, sess, ESYS_TR_NONE, ESYS_TR_NONE, &out)))
			die("unseal", rc);
		cert_hex(out->buffer, out->size, (char *)blob);
		printf("%s\n", (char *)blob);
		Esys_Free(out);
		flush_all();
		Esys_Finalize(&e);
		Tss2_TctiLdr_Finalize(&tcti);
		return 0;
	}

	/* The genuine boot's policy, computed, not measured: every PCR zero. */
	TPM2B_PUBLIC tmpl = { 0 }, *opub = NULL;
	TPM2B_PRIVATE *opriv = NULL;
	TPM2B_SENSITIVE_CREATE sens = { 0 };
	TPM2B_DATA outside = { 0 };
	TPM2B_CREATION_DATA *cdata = NULL;
	TPM2B_DIGEST *chash = NULL, *policy = NULL;
	TPMT_TK_CREATION *ticket = NULL;
	TPMT_SYM_DEF sym = { .algorithm = TPM2_ALG_NULL };
	int unbound = !strcmp(mode, "unbound");
	uint32_t nvindex;
	TPM2B_DIGEST genuine = { 0 };

	if (strcmp(mode, "forge") && strcmp(mode, "noproof") && strcmp(mode, "digest") && !unbound) {
		fprintf(stderr, "tpm-forge-sealed: unknown mode %s\n", mode);
		return 2;
	}
	tmpl.publicArea.type = TPM2_ALG_KEYEDHASH;
	tmpl.publicArea.nameAlg = TPM2_ALG_SHA256;
	tmpl.publicArea.objectAttributes = TPMA_OBJECT_FIXEDTPM | TPMA_OBJECT_FIXEDPARENT | TPMA_OBJECT_NODA;
	tmpl.publicArea.parameters.keyedHashDetail.scheme.scheme = TPM2_ALG_NULL;
	if (unbound) {
		snprintf(pcrs_text, sizeof(pcrs_text), "none");
		tmpl.publicArea.objectAttributes |= TPMA_OBJECT_USERWITHAUTH;
	} else {
		TPM2B_DIGEST zeros = { .size = CERT_HASH_LEN };
		uint8_t cat[32 * 24] = { 0 };
		unsigned npcr = 0;

		if (ctpm_parse_pcrs(CERT_CUSTODY_BOOT_PCRS, &sel, pcrs_text, sizeof(pcrs_text)))
			die("CERT_CUSTODY_BOOT_PCRS", 0);
		for (unsigned i = 0; i < 24; i++)
			if (sel.pcrSelections[0].pcrSelect[i / 8] & (1u << (i % 8)))
				npcr++;
		cert_sha256(cat, 32u * npcr, zeros.buffer);
		genuine = zeros;
		if ((rc = Esys_StartAuthSession(e, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE,
						ESYS_TR_NONE, NULL, TPM2_SE_TRIAL, &sym, TPM2_ALG_SHA256, &trial)))
			die("trial session", rc);
		/* a trial session takes the PCR digest it is given: the target boot's */
		if ((rc = Esys_PolicyPCR(e, trial, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, &zeros, &sel)))
			die("PolicyPCR", rc);
		if ((rc = Esys_PolicyGetDigest(e, trial, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, &policy)))
			die("policy digest", rc);
		tmpl.publicArea.authPolicy = *policy;
		Esys_FlushContext(e, trial);
		trial = ESYS_TR_NONE;
	}
	sens.sensitive.data.size = 32;
	memcpy(sens.sensitive.data.buffer, seed, 32);
	if ((rc = Esys_Create(e, primary, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE, &sens, &tmpl,
			      &outside, unbound ? &none : &sel, &opriv, &opub, &cdata, &chash, &ticket)))
		die("create", rc);
	if (!strcmp(mode, "digest"))	/* the PCRs the policy wants, claimed for the creation */
		cdata->creationData.pcrDigest = genuine;
	flush_all();

	/* The NV counter certs opens, with the auth certs derives from the seed, advanced once. */
	uint64_t counter = 0;
	{
		TPM2B_AUTH auth = { 0 };
		TPM2B_NV_PUBLIC np = { 0 };
		TPM2B_MAX_NV_BUFFER *val = NULL;
		ESYS_TR nv = ESYS_TR_NONE;

		ctpm_nv_auth_from_seed(seed, &auth);
		np.nvPublic.nvIndex = NV_BASE + 0x40u + (unbound ? 2 : !strcmp(mode, "noproof") ? 1 :
							  !strcmp(mode, "digest") ? 3 : 0);
		np.nvPublic.nameAlg = TPM2_ALG_SHA256;
		np.nvPublic.attributes = TPMA_NV_AUTHWRITE | TPMA_NV_AUTHREAD | TPMA_NV_NO_DA |
					 ((TPM2_NT_COUNTER << TPMA_NV_TPM2_NT_SHIFT) & TPMA_NV_TPM2_NT_MASK);
		np.nvPublic.dataSize = 8;
		if ((rc = Esys_NV_DefineSpace(e, ESYS_TR_RH_OWNER, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE,
					      &auth, &np, &nv)))
			die("NV counter", rc);
		Esys_TR_SetAuth(e, nv, &auth);
		if ((rc = Esys_NV_Increment(e, nv, nv, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE)))
			die("NV increment", rc);
		if ((rc = Esys_NV_Read(e, nv, nv, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE, 8, 0, &val)))
			die("NV read", rc);
		for (int i = 0; i < 8; i++)
			counter = counter << 8 | val->buffer[i];
		Esys_Free(val);
		nvindex = np.nvPublic.nvIndex;
	}
	if (cert_key_from_seed(seed, &key))
		die("key", 0);
	cert_key_public(key, pub);
	{
		char head[256];

		snprintf(head, sizeof(head), "%s\nnv-index 0x%08x\ncounter-base %llu\npcrs %s\n", SEALED_MAGIC,
			 nvindex, (unsigned long long)counter, pcrs_text);
		put_text(&acc, &alen, head);
	}
	put_hex(NULL, &acc, &alen, "public-key", pub, CERT_PUB_LEN);
	off = 0;
	Tss2_MU_TPM2B_PUBLIC_Marshal(opub, blob, sizeof(blob), &off);
	put_hex(NULL, &acc, &alen, "sealed-public", blob, off);
	off = 0;
	Tss2_MU_TPM2B_PRIVATE_Marshal(opriv, blob, sizeof(blob), &off);
	put_hex(NULL, &acc, &alen, "sealed-private", blob, off);
	if (strcmp(mode, "noproof")) {
		off = 0;
		Tss2_MU_TPM2B_CREATION_DATA_Marshal(cdata, blob, sizeof(blob), &off);
		put_hex(NULL, &acc, &alen, "creation-data", blob, off);
		off = 0;
		Tss2_MU_TPMT_TK_CREATION_Marshal(ticket, blob, sizeof(blob), &off);
		put_hex(NULL, &acc, &alen, "creation-ticket", blob, off);
	}
	cert_sha256(acc, alen, hash);
	if (cert_sign(key, hash, sig))
		die("sign", 0);
	put_hex(NULL, &acc, &alen, "meta-signature", sig, CERT_SIG_LEN);
	f = fopen(path, "w");
	if (!f || fwrite(acc, 1, alen, f) != alen || fclose(f))
		die(path, 0);
	snprintf(path, sizeof(path), "%s.pub", argv[2]);
	f = fopen(path, "w");
	if (!f)
		die(path, 0);
	cert_hex(pub, CERT_PUB_LEN, (char *)blob);
	fprintf(f, "ed25519 %s\n", (char *)blob);
	fclose(f);
	cert_hex(seed, 32, (char *)blob);
	printf("%s\n", (char *)blob);
	free(acc);
	cert_key_free(key);
	Esys_Free(opub);
	Esys_Free(opriv);
	Esys_Free(cdata);
	Esys_Free(chash);
	Esys_Free(ticket);
	Esys_Free(policy);
	Esys_Finalize(&e);
	Tss2_TctiLdr_Finalize(&tcti);
	return 0;
}
