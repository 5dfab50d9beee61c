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

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define GB46864 "GB 46864-2025"
/* Issue 15 names 加密擦除 as GB 46864-2025's; its public summaries name only 覆写 and 块擦除. */
#define GB46864_CE "GB 46864-2025 usage per issue 15 (not checked against the standard's text)"
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
	{ "Cryptographic Erase", "加密擦除", GB46864_CE },
	{ "Crypto Erase", "加密擦除", GB46864_CE },
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
	{ "erase", "消除", BMB },
	{ "destroy", "销毁", BMB },
	{ "internal_reuse", "内部再利用", COMMON },
	{ "external_reuse", "外部再利用", COMMON },
	{ "recycling", "回收", COMMON },
	{ "manufacturer", "返回制造商", COMMON },
	{ "command", "命令", COMMON },
	{ "random", "随机数据", GB46864 },
	/* Engine and record messages. */
	{ "the erase did not complete; destroy the medium physically", "清除未完成, 请对介质作物理销毁", BMB },
};

/*
 * Fragments of the engine's sentences (wiper/caps.c, disk.c, exclude.c,
 * run.c) and the station's, translated where they appear in a longer one.
 */
static const struct cert_term phrases[] = {
	{ "Clear only", "仅可清除", NIST },
	{ "none", "无", COMMON },
	{ "no partitions or filesystems found", "未发现分区或文件系统", COMMON },
	{ "no partitions", "无分区", COMMON },
	{ "unknown", "未知", COMMON },
	{ "data", "数据", COMMON },
	{ "loop device", "回环设备", COMMON },
	{ "regular file", "普通文件", COMMON },
	{ "file", "文件", COMMON },
	{ "drive offers no sanitize", "驱动器不支持净化命令", NIST },
	{ "USB bridge blocks pass-through", "USB 桥接器不转发命令", COMMON },
	{ "memory cards have no sanitize command", "存储卡没有净化命令", NIST },
	{ "virtual disk has no sanitize command", "虚拟磁盘没有净化命令", NIST },
	{ "read-only device", "只读设备", COMMON },
	{ "mounted at", "已挂载于", COMMON },
	{ "simulated slow ATA disk", "模拟慢速 ATA 硬盘", COMMON },
	{ "simulated ATA disk", "模拟 ATA 硬盘", COMMON },
	{ "with a host protected area", "带主机保护区 (HPA)", COMMON },
	{ "stopped by the operator", "操作员已停止", COMMON },
	{ "during writing of pass", "于写入第", COMMON },
	{ "during verification of pass", "于校验第", COMMON },
	{ "verify", "校验", COMMON },
	{ "read back", "已回读", COMMON },
	{ "serial", "序列号", COMMON },
	{ "no model", "无型号", COMMON },
	{ "unreadable record", "记录无法读取", COMMON },
	{ "writing", "写入", COMMON },
	{ "verification", "校验", COMMON },
	{ "the flush", "刷新缓存", COMMON },
	{ "verifying", "校验", COMMON },
	{ "pass", "遍", COMMON },
	{ "job", "总进度", COMMON },
	{ "errors", "错误", COMMON },
	{ "ETA", "剩余", COMMON },
	{ "kernel", "内核", COMMON },
	{ "seed", "种子", COMMON },
};

/*
 * Whole sentences of the engine (wiper/overwrite.c, run.c) and the station,
 * with their values: %u a number, %s any text (itself looked up as a term).
 * The Chinese has the same placeholders in the same order.
 */
static const struct cert_term sentences[] = {
	{ "stopped by the operator during writing of pass %u", "操作员在写入第 %u 遍时停止", COMMON },
	{ "stopped by the operator during verification of pass %u", "操作员在校验第 %u 遍时停止", COMMON },
	{ "stopped by the operator during the flush of pass %u", "操作员在第 %u 遍刷新缓存时停止", COMMON },
	{ "stopped by the operator", "操作员已停止", COMMON },
	{ "the medium stopped answering during %s of pass %u (%u blocks in a row failed) - destroy physically",
	  "介质在第 %2$u 遍的%1$s中停止响应 (连续 %3$u 块失败), 请物理销毁", COMMON },
	{ "device lost during %s of pass %u: %s", "第 %2$u 遍%1$s中设备丢失: %3$s", COMMON },
	{ "cache flush failed after pass %u: %s", "第 %u 遍后刷新缓存失败: %s", COMMON },
	{ "%u unreadable or unwritable blocks (first LBA %u) - destroy physically",
	  "%u 个块无法读写 (首个 LBA %u), 请物理销毁", BMB },
	{ "verification found %u blocks that differ (first LBA %u)", "校验发现 %u 个块不符 (首个 LBA %u)", COMMON },
	{ "written but not verified (--verify none): not certifiable as erased",
	  "已写入但未校验 (--verify none): 不能证明已清除", COMMON },
	{ "planned %s; not sanitized, so destruction", "原计划%s; 未能清除, 故销毁", BMB },
	{ "mounted at %s", "已挂载于 %s", COMMON },
	/* Why a medium cannot be erased (wiper/exclude.c). */
	{ "boot medium (%s holds the running system)", "启动介质 (%s 承载正在运行的系统)", COMMON },
	{ "boot medium (Tabula image '%s')", "启动介质 (Tabula 映像 '%s')", COMMON },
	{ "records medium (%s labelled %s)", "记录介质 (%s, 卷标 %s)", COMMON },
	{ "used as swap (%s)", "用作交换空间 (%s)", COMMON },
	{ "backs loop device %s (%s)", "作为回环设备 %s 的后备文件所在 (%s)", COMMON },
	{ "in use by %s", "正被 %s 使用", COMMON },
	{ "read-only device", "只读设备", COMMON },
	{ "no medium (size 0)", "无介质 (容量为 0)", COMMON },
	{ "the capacity changed during the erase: %s (%u bytes) erased, the device reports %s (%u bytes)"
	  " now; the sectors past the old end were not erased",
	  "消除期间容量改变: 已消除 %s (%u 字节), 设备现报告 %s (%u 字节); 原末端之后的扇区未被消除",
	  COMMON },
	{ "the capacity changed during the erase: %s (%u bytes) erased, the device reports %s (%u bytes)"
	  " now; erase it again at its present size",
	  "消除期间容量改变: 已消除 %s (%u 字节), 设备现报告 %s (%u 字节); 请按现有容量重新消除",
	  COMMON },
	{ "the capacity could not be read back after the erase: %s", "消除后无法读回容量: %s", COMMON },
};

/*
 * @en as sentence @t into @buf, or NULL. Placeholders in the Chinese may
 * name their value ("%2$u"); otherwise they take the values in order.
 */
static const char *sentence(const struct cert_term *t, const char *en, char *buf, size_t len)
{
	char val[4][200];
	const char *f = t->en, *p = en, *z;
	size_t nv = 0, o = 0, k = 0;

	while (*f) {
		if (f[0] == '%' && (f[1] == 'u' || f[1] == 's')) {
			const char *lit = f + 2, *e;
			size_t ll = strcspn(lit, "%"), vl;

			if (nv == 4)
				return NULL;
			if (f[1] == 'u') {
				vl = strspn(p, "0123456789");
				if (!vl)
					return NULL;
			} else {
				/* Text up to the next literal (the last one: the end). */
				if (!ll) {
					vl = strlen(p);
				} else {
					char l[120];

					if (ll >= sizeof(l))
						return NULL;
					memcpy(l, lit, ll);
					l[ll] = '\0';
					if (!(e = strstr(p, l)))
						return NULL;
					vl = (size_t)(e - p);
				}
			}
			if (vl >= sizeof(val[0]))
				return NULL;
			memcpy(val[nv], p, vl);
			val[nv][vl] = '\0';
			if (f[1] == 's') {
				const char *zh = cert_gloss_zh(val[nv]);

				if (zh != val[nv])
					snprintf(val[nv], sizeof(val[0]), "%s", zh);
			}
			nv++;
			p += vl;
			f += 2;
		} else if (*f++ != *p++) {
			return NULL;
		}
	}
	if (*p)
		return NULL;
	for (z = t->zh; *z && o + 1 < len;) {
		if (z[0] == '%') {
			size_t i = k, n;

			if (z[1] >= '1' && z[1] <= '4' && z[2] == '$') {
				i = (size_t)(z[1] - '1');
				z += 2;
			}
			if (i >= nv)
				return NULL;
			n = strlen(val[i]);
			if (o + n + 1 > len)
				break;
			memcpy(buf + o, val[i], n);
			o += n;
			z += 2;
			k++;
		} else {
			buf[o++] = *z++;
		}
	}
	buf[o] = '\0';
	return buf;
}

static int alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* The longest term or phrase of @t (@n of them) at @p, a whole word; its length in @len. */
static const struct cert_term *match_at(const struct cert_term *t, size_t n, const char *start,
					const char *p, size_t *len)
{
	const struct cert_term *best = NULL;
	size_t i, l;

	if (p > start && alnum(p[-1]))
		return NULL;
	for (i = 0; i < n; i++) {
		l = strlen(t[i].en);
		if ((!best || l > *len) && !strncmp(p, t[i].en, l) && !alnum(p[l])) {
			best = &t[i];
			*len = l;
		}
	}
	return best;
}

const char *cert_gloss_text(const char *en, int zh, char *buf, size_t len)
{
	const char *p = en;
	size_t o = 0;

	if (!zh || !en || !len)
		return en;
	for (o = 0; o < sizeof(sentences) / sizeof(sentences[0]); o++)
		if (sentence(&sentences[o], en, buf, len))
			return buf;
	o = 0;
	while (*p && o + 1 < len) {
		const struct cert_term *a, *b, *t;
		size_t la = 0, lb = 0, l;

		a = match_at(terms, sizeof(terms) / sizeof(terms[0]), en, p, &la);
		b = match_at(phrases, sizeof(phrases) / sizeof(phrases[0]), en, p, &lb);
		t = a && (!b || la >= lb) ? a : b;
		l = t == a ? la : lb;
		if (t) {
			size_t z = strlen(t->zh);

			if (o + z + 1 > len)
				break;
			memcpy(buf + o, t->zh, z);
			o += z;
			p += l;
		} else {
			buf[o++] = *p++;
		}
	}
	buf[o] = '\0';
	return buf;
}

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
	for (i = 0; i < sizeof(phrases) / sizeof(phrases[0]); i++)
		if (!strcmp(phrases[i].en, en))
			return phrases[i].zh;
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
