/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * NVMe admin commands Tabula sends, built as struct wiper_nvme_cmd (pure
 * functions), and the decoder of the Sanitize Status log page (LID 81h).
 * Values: sanitize-reference.md §2.3–2.5.
 */
#ifndef WIPER_NVME_CMD_H
#define WIPER_NVME_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wiper/dev.h"

enum {
	NVME_ADMIN_GET_LOG_PAGE = 0x02,
	NVME_ADMIN_IDENTIFY = 0x06,
	NVME_ADMIN_SET_FEATURES = 0x09,
	NVME_ADMIN_GET_FEATURES = 0x0a,
	NVME_ADMIN_FORMAT_NVM = 0x80,
	NVME_ADMIN_SANITIZE = 0x84,
};

enum nvme_sanact {
	NVME_SANACT_EXIT_FAILURE = 1,
	NVME_SANACT_BLOCK = 2,
	NVME_SANACT_OVERWRITE = 3,
	NVME_SANACT_CRYPTO = 4,
};

struct nvme_sanitize_params {
	enum nvme_sanact action;
	bool ause;		/* allow unrestricted sanitize exit */
	unsigned owpass;	/* 1..16 (16 is encoded as 0), overwrite only */
	bool oipbp;		/* invert between passes, overwrite only */
	bool ndas;		/* no-deallocate after sanitize */
	uint32_t ovrpat;	/* overwrite pattern */
};

/* Build Identify (CNS @cns, namespace @nsid) into @buf of 4096 bytes. */
void nvme_cmd_identify(struct wiper_nvme_cmd *c, uint8_t cns, uint32_t nsid, void *buf);
/* Get Log Page @lid of @len bytes (multiple of 4) for @nsid, RAE as given. */
int nvme_cmd_get_log(struct wiper_nvme_cmd *c, uint8_t lid, uint32_t nsid, bool rae, void *buf,
		     uint32_t len);
/*
 * Build Sanitize. Returns 0, or -EINVAL for a combination the spec forbids
 * (AUSE/NDAS with exit-failure, OWPASS/OIPBP/OVRPAT without overwrite,
 * OWPASS out of 1..16).
 */
int nvme_cmd_sanitize(struct wiper_nvme_cmd *c, const struct nvme_sanitize_params *p);
/* Build Format NVM with secure erase setting @ses (0, 1 user data, 2 crypto), LBA format @lbaf. */
int nvme_cmd_format(struct wiper_nvme_cmd *c, uint32_t nsid, uint8_t lbaf, uint8_t ses,
		    unsigned timeout_ms);

/* The decoded Sanitize Status log. */
enum nvme_sstat {
	NVME_SSTAT_NEVER = 0,
	NVME_SSTAT_SUCCESS = 1,
	NVME_SSTAT_IN_PROGRESS = 2,
	NVME_SSTAT_FAILED = 3,
	NVME_SSTAT_SUCCESS_DEALLOC = 4,
};

struct nvme_sanitize_log {
	uint16_t sprog;			/* numerator over 65536; FFFFh when not running */
	uint16_t sstat;
	enum nvme_sstat status;		/* sstat bits 2:0 */
	unsigned passes_done;		/* sstat bits 7:3 */
	bool global_data_erased;	/* sstat bit 8 */
	uint32_t scdw10;
	uint32_t eto, etbe, etce;	/* estimated seconds; FFFFFFFFh unknown */
};

/* Decode the 512-byte log. Returns 0 or -EINVAL. */
int nvme_sanitize_log_parse(const uint8_t *buf, size_t len, struct nvme_sanitize_log *out);

/* Progress 0..100 from SPROG, only meaningful while in progress. */
double nvme_sanitize_progress(const struct nvme_sanitize_log *l);

#endif
