/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "wiper/nvme-cmd.h"

#include <errno.h>
#include <string.h>

void nvme_cmd_identify(struct wiper_nvme_cmd *c, uint8_t cns, uint32_t nsid, void *buf)
{
	memset(c, 0, sizeof(*c));
	c->opcode = NVME_ADMIN_IDENTIFY;
	c->nsid = nsid;
	c->cdw10 = cns;
	c->dir = WIPER_DIR_IN;
	c->buf = buf;
	c->len = 4096;
}

int nvme_cmd_get_log(struct wiper_nvme_cmd *c, uint8_t lid, uint32_t nsid, bool rae, void *buf,
		     uint32_t len)
{
	uint32_t numd;

	if (len == 0 || len % 4)
		return -EINVAL;
	numd = len / 4 - 1;
	memset(c, 0, sizeof(*c));
	c->opcode = NVME_ADMIN_GET_LOG_PAGE;
	c->nsid = nsid;
	/* CDW10: LID 7:0, RAE bit 15, NUMDL 31:16; CDW11: NUMDU 15:0. */
	c->cdw10 = lid | (rae ? 1u << 15 : 0) | (numd & 0xffff) << 16;
	c->cdw11 = numd >> 16;
	c->dir = WIPER_DIR_IN;
	c->buf = buf;
	c->len = len;
	return 0;
}

int nvme_cmd_sanitize(struct wiper_nvme_cmd *c, const struct nvme_sanitize_params *p)
{
	bool ow = p->action == NVME_SANACT_OVERWRITE;

	if (p->action < NVME_SANACT_EXIT_FAILURE || p->action > NVME_SANACT_CRYPTO)
		return -EINVAL;
	if (p->action == NVME_SANACT_EXIT_FAILURE && (p->ause || p->ndas))
		return -EINVAL;
	if (!ow && (p->owpass || p->oipbp || p->ovrpat))
		return -EINVAL;
	if (ow && (p->owpass < 1 || p->owpass > 16))
		return -EINVAL;
	memset(c, 0, sizeof(*c));
	c->opcode = NVME_ADMIN_SANITIZE;
	c->cdw10 = (uint32_t)p->action | (p->ause ? 1u << 3 : 0) |
		   (ow ? (p->owpass & 0xfu) << 4 : 0) | (p->oipbp ? 1u << 8 : 0) |
		   (p->ndas ? 1u << 9 : 0);
	c->cdw11 = ow ? p->ovrpat : 0;
	c->dir = WIPER_DIR_NONE;
	/* The command returns at once; the sanitize runs in the background. */
	c->timeout_ms = 120000;
	return 0;
}

int nvme_cmd_format(struct wiper_nvme_cmd *c, uint32_t nsid, uint8_t lbaf, uint8_t ses,
		    unsigned timeout_ms)
{
	if (ses > 2 || lbaf > 63)
		return -EINVAL;
	memset(c, 0, sizeof(*c));
	c->opcode = NVME_ADMIN_FORMAT_NVM;
	c->nsid = nsid;
	/* LBAF 3:0, SES 11:9, LBAF upper bits 13:12. */
	c->cdw10 = (lbaf & 0xfu) | (uint32_t)ses << 9 | (uint32_t)((lbaf >> 4) & 0x3) << 12;
	c->dir = WIPER_DIR_NONE;
	/* Format is synchronous: a short timeout would make the kernel reset the controller. */
	c->timeout_ms = timeout_ms ? timeout_ms : 3600000;
	return 0;
}

/* Little-endian readers. */
static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int nvme_sanitize_log_parse(const uint8_t *buf, size_t len, struct nvme_sanitize_log *out)
{
	memset(out, 0, sizeof(*out));
	if (buf == NULL || len < 32)
		return -EINVAL;
	out->sprog = le16(buf);
	out->sstat = le16(buf + 2);
	out->status = (enum nvme_sstat)(out->sstat & 0x7);
	out->passes_done = (out->sstat >> 3) & 0x1f;
	out->global_data_erased = out->sstat & 0x100;
	out->scdw10 = le32(buf + 4);
	out->eto = le32(buf + 8);
	out->etbe = le32(buf + 12);
	out->etce = le32(buf + 16);
	if (out->status > NVME_SSTAT_SUCCESS_DEALLOC)
		return -EINVAL;
	return 0;
}

double nvme_sanitize_progress(const struct nvme_sanitize_log *l)
{
	if (l->status != NVME_SSTAT_IN_PROGRESS)
		return l->status == NVME_SSTAT_SUCCESS || l->status == NVME_SSTAT_SUCCESS_DEALLOC ?
			       100.0 : 0.0;
	return (double)l->sprog * 100.0 / 65536.0;
}
