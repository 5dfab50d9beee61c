/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * One glossary for every front end (certs/glossary.h). Sources:
 *   GB46864  GB 46864-2025 数据安全技术 电子产品信息清除技术要求 (SAMR/SAC,
 *            published 2025-12-02, in force 2027-01-01): its 信息清除
 *            (sanitization), 数据覆写 (overwrite) and 块擦除 (block erase).
 *   NIST     NIST SP 800-88 Rev. 2 (Sept 2025) and IEEE 2883-2022 methods
 *            Clear / Purge / Destruct (Rev. 1's "Destroy"), in the Chinese
 *            renderings common in Chinese translations and vendor documents
 *            of SP 800-88: 清除 / 净化 / 销毁. GB 46864 calls the whole act
 *            信息清除; the certificate names the NIST method, so 清除 there is
 *            the NIST method Clear, as the row label "(NIST)" says.
 *   BMB      保密法实施条例 art. 22 and the 保密 offices' forms: 销毁, 消除, 监销.
 *   COMMON   plain Chinese of an everyday word (results, media types).
 * A term without a source here is not in this table: the page shows it as
 * stored (model, serial, command names stay as the drive reports them).
 */
#include "config.h"

#include "certs/glossary.h"

#include <string.h>
#include <strings.h>

#define GB46864 "GB 46864-2025"
#define NIST "NIST SP 800-88 Rev. 2 / IEEE 2883-2022, common Chinese rendering"
#define BMB "保密法实施条例 art. 22, 保密 office usage"
#define COMMON "plain Chinese"

static const struct cert_term terms[] = {
	/* Results. */
	{ "PASSED", "通过", COMMON },
	{ "FAILED", "未通过", COMMON },
	{ "INCOMPLETE", "未完成", COMMON },
	{ "DESTROYED", "已销毁", BMB },
	/* NIST SP 800-88 / IEEE 2883 methods. */
	{ "Clear", "清除", NIST },
	{ "Purge", "净化", NIST },
	{ "Destruct", "销毁", NIST },
	{ "Destroy", "销毁", NIST },
	{ "Damage", "损毁", NIST },
	/* Techniques (GB 46864-2025 where it names them). */
	{ "Overwrite", "覆写", GB46864 },
	{ "Block Erase", "块擦除", GB46864 },
	{ "Cryptographic Erase", "加密擦除", GB46864 },
	{ "Crypto Erase", "加密擦除", GB46864 },
	{ "Security Erase", "安全擦除", NIST },
	{ "Format (secure erase setting)", "格式化 (安全擦除设置)", NIST },
	{ "Degauss", "消磁", NIST },
	{ "Other", "其他", COMMON },
	{ "host overwrite (write commands), flush after each pass", "主机覆写 (写命令), 每遍后刷新缓存", GB46864 },
	/* Firmware techniques as the engine names them (wiper/caps.c). */
	{ "NVMe sanitize crypto erase", "NVMe 净化 加密擦除", GB46864 },
	{ "NVMe sanitize block erase", "NVMe 净化 块擦除", GB46864 },
	{ "NVMe sanitize overwrite", "NVMe 净化 覆写", GB46864 },
	{ "ATA sanitize crypto scramble", "ATA 净化 加密擦除", GB46864 },
	{ "ATA sanitize block erase", "ATA 净化 块擦除", GB46864 },
	{ "ATA sanitize overwrite", "ATA 净化 覆写", GB46864 },
	{ "SCSI sanitize cryptographic erase", "SCSI 净化 加密擦除", GB46864 },
	{ "SCSI sanitize block erase", "SCSI 净化 块擦除", GB46864 },
	{ "SCSI sanitize overwrite", "SCSI 净化 覆写", GB46864 },
	{ "ATA enhanced security erase", "ATA 增强安全擦除", NIST },
	{ "ATA security erase", "ATA 安全擦除", NIST },
	{ "NVMe format with crypto erase", "NVMe 格式化 (加密擦除)", GB46864 },
	{ "NVMe format with user data erase", "NVMe 格式化 (用户数据擦除)", GB46864 },
	{ "host overwrite", "主机覆写", GB46864 },
	/* Overwrite methods (wiper/methods.c titles); the standard's name stays. */
	{ "Zeros (1 pass)", "全零 (1 遍)", GB46864 },
	{ "Ones (1 pass)", "全一 (1 遍)", GB46864 },
	{ "Random data (1 pass)", "随机数据 (1 遍)", GB46864 },
	{ "DoD 5220.22-M (3 passes)", "DoD 5220.22-M (3 遍)", COMMON },
	{ "DoD 5220.22-M ECE (7 passes)", "DoD 5220.22-M ECE (7 遍)", COMMON },
	{ "Gutmann (35 passes)", "Gutmann (35 遍)", COMMON },
	{ "HMG IS5 Baseline (1 pass)", "HMG IS5 基本 (1 遍)", COMMON },
	{ "HMG IS5 Enhanced (3 passes)", "HMG IS5 增强 (3 遍)", COMMON },
	{ "Schneier (7 passes)", "Schneier (7 遍)", COMMON },
	{ "RCMP TSSIT OPS-II (7 passes)", "RCMP TSSIT OPS-II (7 遍)", COMMON },
	{ "custom passes", "自定义覆写", GB46864 },
	/* Verification (NIST form: Full / Quick Sampling / Other). */
	{ "Full", "完整读回", NIST },
	{ "Quick Sampling", "快速抽样", NIST },
	{ "None", "无", COMMON },
	{ "none", "不验证", COMMON },
	{ "last", "末遍完整读回", NIST },
	{ "all", "每遍完整读回", NIST },
	{ "sample", "末遍抽样", NIST },
	{ "full read-back", "完整读回", NIST },
	{ "pre/post comparison of sampled blocks", "抽样块前后比对", NIST },
	/* Media types (certs/record-job.c). */
	{ "NVMe SSD", "NVMe 固态硬盘", COMMON },
	{ "USB mass storage", "USB 存储设备", COMMON },
	{ "Memory card", "存储卡", COMMON },
	{ "File or loop device", "文件或回环设备", COMMON },
	{ "ATA disk", "ATA 硬盘", COMMON },
	{ "SCSI disk", "SCSI 硬盘", COMMON },
	{ "Disk", "磁盘", COMMON },
	/* Data backed up. */
	{ "Unknown", "不详", COMMON },
	{ "Yes", "是", COMMON },
	{ "No", "否", COMMON },
	/* Destruction techniques (IEEE 2883 Destruct; BMB practice). */
	{ "shred", "粉碎", BMB },
	{ "shredding", "粉碎", BMB },
	{ "disintegrate", "解体", NIST },
	{ "disintegration", "解体", NIST },
	{ "pulverize", "粉化", NIST },
	{ "incinerate", "焚烧", BMB },
	{ "incineration", "焚烧", BMB },
	{ "melt", "熔化", NIST },
	{ "degauss", "消磁", BMB },
	{ "degaussing", "消磁", BMB },
	{ "crush", "压碎", BMB },
	/* Step actions and patterns (certs/record-job.c). */
	{ "overwrite", "覆写", GB46864 },
	{ "command", "命令", COMMON },
	{ "random", "随机数据", GB46864 },
	/* Engine and record messages. */
	{ "the erase did not complete; destroy the medium physically", "清除未完成, 请对介质作物理销毁", BMB },
};

const char *cert_gloss_zh(const char *en)
{
	size_t i;

	if (!en)
		return en;
	/* Exact first ("None" and "none" differ), then regardless of case ("Shred"). */
	for (i = 0; i < sizeof(terms) / sizeof(terms[0]); i++)
		if (!strcmp(terms[i].en, en))
			return terms[i].zh;
	for (i = 0; i < sizeof(terms) / sizeof(terms[0]); i++)
		if (!strcasecmp(terms[i].en, en))
			return terms[i].zh;
	return en;
}

const char *cert_gloss(const char *en, int zh)
{
	return zh ? cert_gloss_zh(en) : en;
}

const struct cert_term *cert_glossary(size_t *n)
{
	*n = sizeof(terms) / sizeof(terms[0]);
	return terms;
}
