/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Decoding of NVMe Identify Controller (CNS 01h) and Identify Namespace
 * (CNS 00h) data from raw bytes, so the same code reads live controllers and
 * saved dumps (`nvme id-ctrl -b`). Offsets: sanitize-reference.md §2.2.
 */
#ifndef WIPER_NVME_IDENTIFY_H
#define WIPER_NVME_IDENTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NVME_IDENTIFY_LEN 4096

struct nvme_ctrl_info {
	uint16_t vid, ssvid;
	char serial[21];	/* bytes 4-23, trimmed */
	char model[41];		/* 24-63 */
	char firmware[9];	/* 64-71 */
	uint32_t version;	/* 80-83 VER */
	uint16_t oacs;		/* 256-257 */
	bool oacs_security, oacs_format, oacs_ns_mgmt;
	uint8_t frmw;
	uint8_t lpa;
	uint64_t tnvmcap_lo, tnvmcap_hi;	/* 280-295, bytes */
	uint32_t sanicap;	/* 328-331 */
	bool san_crypto, san_block, san_overwrite, san_verify, san_ndi;
	uint8_t san_nodmmas;	/* bits 31:30 */
	uint32_t nn;		/* 516-519 */
	uint16_t oncs;		/* 520-521 */
	uint8_t fna;		/* 524 */
	bool fna_format_all, fna_secure_all, fna_crypto, fna_no_broadcast;
	uint8_t vwc;		/* 525 */
	bool vwc_present;
	char subnqn[257];	/* 768-1023 */
};

struct nvme_lbaf_info {
	uint16_t ms;		/* metadata bytes */
	uint8_t lbads;		/* log2(LBA size) */
	uint8_t rp;		/* relative performance */
};

struct nvme_ns_info {
	uint64_t nsze, ncap, nuse;
	uint8_t nsfeat;
	uint8_t nlbaf;		/* number of formats - 1 */
	uint8_t flbas;
	uint8_t cur_lbaf;	/* index of the format in use */
	uint32_t lba_size;	/* bytes of the format in use */
	uint8_t fpi;
	uint8_t dlfeat;
	uint8_t dealloc_read;	/* dlfeat bits 2:0: 0 unknown, 1 zeros, 2 ones */
	struct nvme_lbaf_info lbaf[64];
	unsigned lbaf_count;
};

/*
 * Decode @len bytes of Identify Controller data. Returns 0, or -EINVAL when
 * @len is not 4096 or the block is empty (all zeros).
 */
int nvme_ctrl_info_parse(const uint8_t *buf, size_t len, struct nvme_ctrl_info *out);

/*
 * Decode Identify Namespace data; same rules, and -EINVAL as well when the
 * format in use (FLBAS) is not in the table or its LBADS is not 9..31.
 */
int nvme_ns_info_parse(const uint8_t *buf, size_t len, struct nvme_ns_info *out);

#endif
