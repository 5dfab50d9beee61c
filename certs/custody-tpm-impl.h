/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What custody-tpm.c (opening, unsealing, signing) and custody-tpm-enrol.c share. */
#ifndef CERTS_CUSTODY_TPM_IMPL_H
#define CERTS_CUSTODY_TPM_IMPL_H

#include <stdbool.h>
#include <stdint.h>

#include <tss2/tss2_esys.h>

#include "certs/custody.h"
#include "certs/custody-impl.h"

#define SEALED_MAGIC "tabula-sealed-key 1"
#define NV_BASE 0x0107ab00u	/* in the owner's range 0x01000000-0x013fffff */
#define NV_TRIES 256

/* What "<ledger>.sealed" holds. */
struct sealed {
	uint32_t nv_index;
	uint64_t counter_base;
	TPML_PCR_SELECTION pcrs;	/* count 0: not bound */
	char pcrs_text[64];
	uint8_t pub[CERT_PUB_LEN];
	TPM2B_PUBLIC tpub;
	TPM2B_PRIVATE tpriv;
	/*
	 * The TPM's word on where the object was made: the creation data
	 * (the PCRs of the policy, as they were at TPM2_Create) and the ticket
	 * that proves this TPM made the object with it. has_creation false:
	 * a file written before there were these lines.
	 */
	bool has_creation;
	TPM2B_CREATION_DATA cdata;
	TPMT_TK_CREATION ticket;
	/*
	 * The bound PCRs' values at the seal, bank by bank in ascending order
	 * (as the TPM hashes them into the creation data's PCR digest); length
	 * 0 in a file written before there was this line. See custody-tpm-pcr.c.
	 */
	uint8_t pcr_values[24 * 64];
	size_t pcr_values_len;
	uint8_t sig[CERT_SIG_LEN];
	uint8_t body_sha[CERT_HASH_LEN];	/* SHA-256 of what the meta signature covers */
	uint8_t file_sha[CERT_HASH_LEN];	/* of the whole file: the key cache's tag */
};

struct tpm_state {
	TSS2_TCTI_CONTEXT *tcti;
	ESYS_CONTEXT *esys;
	ESYS_TR nv;
	char tcti_conf[512];
	struct sealed s;
};

int ctpm_tss_errno(TSS2_RC rc);
TSS2_RC ctpm_tpm_code(TSS2_RC rc);
int ctpm_tpm_connect(struct cert_custody *c, struct tpm_state *t, const char *conf, char *err,
		       size_t errlen);
TSS2_RC ctpm_create_primary(ESYS_CONTEXT *e, ESYS_TR *out);
TSS2_RC ctpm_start_session(ESYS_CONTEXT *e, ESYS_TR salt_key, TPM2_SE type,
			     TPMA_SESSION attrs, const TPML_PCR_SELECTION *sel, ESYS_TR *sess,
			     TPM2B_DIGEST *digest);
int ctpm_parse_pcrs(const char *s, TPML_PCR_SELECTION *sel, char *text, size_t textlen);
/* --- custody-tpm-pcr.c --- */
/* The values of the PCRs in @sel now, concatenated as the TPM digests them. 0 or -errno. */
int ctpm_pcr_values(ESYS_CONTEXT *e, const TPML_PCR_SELECTION *sel, uint8_t *out, size_t cap,
		    size_t *len);
/* Do @s's recorded values hash to the PCR digest its (TPM-certified) creation data holds? */
bool ctpm_pcr_values_proven(const struct sealed *s);
/*
 * Which bound PCRs differ now from their values at the seal, in words
 * ("PCR 4, the boot loader; PCR 9, ..."), into @buf; "" when that cannot
 * be told (no proven values, or the TPM would not say).
 */
void ctpm_pcr_changes(ESYS_CONTEXT *e, const struct sealed *s, char *buf, size_t len);
void ctpm_nv_auth_from_seed(const uint8_t seed[32], TPM2B_AUTH *auth);
void ctpm_secure_heap(void);
/* Advance the custody's NV counter; its new value in @value. 0 or -errno. */
int ctpm_counter_advance(struct cert_custody *c, uint64_t *value);
/* The TPM backend's table. */
extern const struct cert_custody_ops ctpm_ops;

#endif
