/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "wiper/nvme-identify.h"

#include <errno.h>
#include <string.h>

#include "wiper/base/base.h"

/* Read a little-endian 16-bit field. */
static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/* Read a little-endian 32-bit field. */
static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Read a little-endian 64-bit field. */
static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* Tell whether all @len bytes of @buf are zero (an inactive namespace, or no answer). */
static bool all_zero(const uint8_t *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (buf[i] != 0)
			return false;
	return true;
}

int nvme_ctrl_info_parse(const uint8_t *buf, size_t len, struct nvme_ctrl_info *out)
{
	if (buf == NULL || out == NULL || len != NVME_IDENTIFY_LEN || all_zero(buf, len))
		return -EINVAL;

	memset(out, 0, sizeof(*out));
	out->vid = le16(buf + 0);
	out->ssvid = le16(buf + 2);
	base_field_copy(buf + 4, 20, out->serial);
	base_field_copy(buf + 24, 40, out->model);
	base_field_copy(buf + 64, 8, out->firmware);
	out->version = le32(buf + 80);

	out->oacs = le16(buf + 256);
	out->oacs_security = out->oacs & 0x0001;
	out->oacs_format = out->oacs & 0x0002;
	out->oacs_ns_mgmt = out->oacs & 0x0008;
	out->frmw = buf[260];
	out->lpa = buf[261];
	out->tnvmcap_lo = le64(buf + 280);
	out->tnvmcap_hi = le64(buf + 288);

	/* No SANICAP bit at all means no Sanitize command; OACS has none for it. */
	out->sanicap = le32(buf + 328);
	out->san_crypto = out->sanicap & (1u << 0);
	out->san_block = out->sanicap & (1u << 1);
	out->san_overwrite = out->sanicap & (1u << 2);
	out->san_verify = out->sanicap & (1u << 3);
	out->san_ndi = out->sanicap & (1u << 29);
	out->san_nodmmas = (uint8_t)(out->sanicap >> 30);

	out->nn = le32(buf + 516);
	out->oncs = le16(buf + 520);
	out->fna = buf[524];
	out->fna_format_all = out->fna & 0x01;
	out->fna_secure_all = out->fna & 0x02;
	out->fna_crypto = out->fna & 0x04;
	out->fna_no_broadcast = out->fna & 0x08;
	out->vwc = buf[525];
	out->vwc_present = out->vwc & 0x01;

	base_field_copy(buf + 768, 256, out->subnqn);
	return 0;
}

int nvme_ns_info_parse(const uint8_t *buf, size_t len, struct nvme_ns_info *out)
{
	struct nvme_lbaf_info *cur;
	unsigned i;

	if (buf == NULL || out == NULL || len != NVME_IDENTIFY_LEN || all_zero(buf, len))
		return -EINVAL;

	memset(out, 0, sizeof(*out));
	out->nsze = le64(buf + 0);
	out->ncap = le64(buf + 8);
	out->nuse = le64(buf + 16);
	out->nsfeat = buf[24];
	out->nlbaf = buf[25];
	out->flbas = buf[26];
	out->fpi = buf[32];
	out->dlfeat = buf[33];
	/* 011b-111b are reserved: nothing is promised about deallocated blocks then. */
	out->dealloc_read = (out->dlfeat & 0x07) <= 2 ? out->dlfeat & 0x07 : 0;

	/* NLBAF is 0's based; the table has room for 64 entries at 128 + 4 * i. */
	out->lbaf_count = out->nlbaf < 64 ? out->nlbaf + 1u : 64u;
	for (i = 0; i < out->lbaf_count; i++) {
		const uint8_t *p = buf + 128 + 4 * i;

		out->lbaf[i].ms = le16(p);
		out->lbaf[i].lbads = p[2];
		out->lbaf[i].rp = p[3] & 0x03;
	}

	/* FLBAS bits 6:5 extend the index only once more than 16 formats exist. */
	out->cur_lbaf = out->flbas & 0x0f;
	if (out->nlbaf > 16)
		out->cur_lbaf |= (uint8_t)(((out->flbas >> 5) & 0x03) << 4);
	if (out->cur_lbaf >= out->lbaf_count)
		return -EINVAL;
	cur = &out->lbaf[out->cur_lbaf];
	/* LBADS below 9 is not allowed; above 31 would not fit and is not a real disk. */
	if (cur->lbads < 9 || cur->lbads > 31)
		return -EINVAL;
	out->lba_size = 1u << cur->lbads;
	return 0;
}
