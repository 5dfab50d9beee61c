/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The PCRs a station key is bound to: their values at the seal, read from
 * the TPM and kept in the sealed file, and, when the key stays sealed,
 * which of them changed since, in a technician's words.
 *
 * The values in the file are the station's own word, but they are checked
 * against the TPM's: their SHA-256 must be the PCR digest of the creation
 * data, which creation_proven() has had the TPM certify before any unseal.
 * Values that do not add up are not used, and the refusal names no PCR.
 */
#include "config.h"

#include "certs/custody-tpm-impl.h"
#include "certs/chain.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <tss2/tss2_esys.h>

/* The digest size of a PCR bank, or 0 for one we do not know. */
static size_t bank_size(TPMI_ALG_HASH h)
{
	switch (h) {
	case TPM2_ALG_SHA1:
		return 20;
	case TPM2_ALG_SHA256:
		return 32;
	case TPM2_ALG_SHA384:
		return 48;
	case TPM2_ALG_SHA512:
		return 64;
	default:
		return 0;
	}
}

int ctpm_pcr_values(ESYS_CONTEXT *e, const TPML_PCR_SELECTION *sel, uint8_t *out, size_t cap,
		    size_t *len)
{
	*len = 0;
	for (UINT32 b = 0; b < sel->count; b++) {
		const TPMS_PCR_SELECTION *s = &sel->pcrSelections[b];
		size_t dsz = bank_size(s->hash);

		if (!dsz || s->sizeofSelect > sizeof(s->pcrSelect))
			return -EINVAL;
		for (unsigned pcr = 0; pcr < 8u * s->sizeofSelect; pcr++) {
			TPML_PCR_SELECTION one = { .count = 1 };
			TPML_PCR_SELECTION *got_sel = NULL;
			TPML_DIGEST *vals = NULL;
			UINT32 counter;
			TSS2_RC rc;
			bool ok;

			if (!(s->pcrSelect[pcr / 8] & (1u << (pcr % 8))))
				continue;
			one.pcrSelections[0].hash = s->hash;
			one.pcrSelections[0].sizeofSelect = s->sizeofSelect;
			one.pcrSelections[0].pcrSelect[pcr / 8] = (uint8_t)(1u << (pcr % 8));
			rc = Esys_PCR_Read(e, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, &one, &counter,
					   &got_sel, &vals);
			ok = rc == TSS2_RC_SUCCESS && vals && vals->count == 1 &&
			     vals->digests[0].size == dsz && *len + dsz <= cap;
			if (ok) {
				memcpy(out + *len, vals->digests[0].buffer, dsz);
				*len += dsz;
			}
			Esys_Free(got_sel);
			Esys_Free(vals);
			if (!ok)
				return rc ? ctpm_tss_errno(rc) : -EIO;
		}
	}
	return 0;
}

bool ctpm_pcr_values_proven(const struct sealed *s)
{
	const TPM2B_DIGEST *d = &s->cdata.creationData.pcrDigest;
	uint8_t h[CERT_HASH_LEN];

	if (!s->has_creation || !s->pcr_values_len || d->size != CERT_HASH_LEN)
		return false;
	cert_sha256(s->pcr_values, s->pcr_values_len, h);
	return memcmp(h, d->buffer, CERT_HASH_LEN) == 0;
}

/* What a PC's firmware and GRUB measure into PCR @n (TCG PC Client profile). */
static const char *pcr_meaning(unsigned n)
{
	static const char *const what[] = {
		"the firmware", "the firmware's settings", "option ROMs (an added card)",
		"option ROMs' settings", "the boot loader", "the boot configuration or partition table",
		"the platform", "Secure Boot's state and keys", "GRUB's commands and the kernel command line",
		"the files GRUB loaded: kernel, initrd, grub.cfg",
	};

	if (n < sizeof(what) / sizeof(what[0]))
		return what[n];
	return n == 16 ? "the debug PCR" : n == 23 ? "the application PCR" : "the operating system";
}

void ctpm_pcr_changes(ESYS_CONTEXT *e, const struct sealed *s, char *buf, size_t len)
{
	uint8_t now[sizeof(s->pcr_values)];
	size_t nlen = 0, off = 0, used = 0;
	unsigned changed = 0;

	buf[0] = '\0';
	if (!ctpm_pcr_values_proven(s) ||
	    ctpm_pcr_values(e, &s->pcrs, now, sizeof(now), &nlen) || nlen != s->pcr_values_len)
		return;
	for (UINT32 b = 0; b < s->pcrs.count; b++) {
		const TPMS_PCR_SELECTION *sel = &s->pcrs.pcrSelections[b];
		size_t dsz = bank_size(sel->hash);

		for (unsigned pcr = 0; pcr < 8u * sel->sizeofSelect; pcr++) {
			int n;

			if (!(sel->pcrSelect[pcr / 8] & (1u << (pcr % 8))))
				continue;
			if (memcmp(now + off, s->pcr_values + off, dsz) != 0) {
				n = snprintf(buf + used, len - used, "%sPCR %u, %s",
					     changed ? "; " : "", pcr, pcr_meaning(pcr));
				if (n < 0 || (size_t)n >= len - used) {
					buf[used] = '\0';
					return;
				}
				used += (size_t)n;
				changed++;
			}
			off += dsz;
		}
	}
}
