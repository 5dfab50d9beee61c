/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The PDF certificate and register (libharu), their embedded record, and their verification. */
#include "config.h"

#include "certs/pdf.h"
#include "certs/custody.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hpdf.h>
#include <hpdf_namedict.h>
#include <qrencode.h>

#include "certs/chain.h"
#include "certs/record.h"

#define CJK_FONT "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
#define BUNDLE_NAME "tabula-certificate.json"
#define BUNDLE_MARK "{\"chain\":{"

/* Page geometry, A4 in points. */
#define PW 595.0f
#define PH 842.0f
#define ML 40.0f
#define MR (PW - 40.0f)

enum lbl {
	L_TITLE, L_SUBTITLE, L_CERT_NO, L_STATION, L_RESULT, L_PERSON, L_NAME, L_TITLE_ROLE,
	L_ORG, L_LOCATION, L_PHONE, L_MEDIA, L_MAKE, L_MODEL, L_SERIAL, L_PROPERTY, L_MEDIA_TYPE,
	L_SOURCE, L_CLASS, L_BACKED_UP, L_BACKUP_LOC, L_CAPACITY, L_INTERFACE, L_HIDDEN, L_SANIT,
	L_METHOD_TYPE, L_METHOD_USED, L_IEEE, L_DETAILS, L_TOOL, L_COMMAND, L_STEPS, L_VERIFY,
	L_COVERAGE, L_ERRORS, L_POST_CLASS, L_TIME, L_NOTES, L_DEST, L_D_INT, L_D_EXT, L_D_REC,
	L_D_DESTR, L_D_MANU, L_D_OTHER, L_SIGNATURE, L_ATTEST, L_SIGN, L_DATE, L_VALIDATION,
	L_PROOF, L_POSITION, L_HASH, L_PREV, L_SIG, L_FP, L_FOOTER, L_DESTROY, L_TECHNIQUE, L_OWNER,
	L_REG_TITLE, L_PERIOD, L_REG_COLS, L_HEAD, L_COUNT, L_PAGE, L_REASON, L_MORE, L_NONE,
	L_PASS, L_DEST_DETAILS, L_COUNT_
};

static const char *const labels[L_COUNT_][2] = {
	[L_TITLE] = { "CERTIFICATE OF MEDIA SANITIZATION", "介质数据清除证明书" },
	[L_SUBTITLE] = { "NIST SP 800-88 Appendix G  |  IEEE 2883-2022",
			 "依据 NIST SP 800-88 附录 G  |  IEEE 2883-2022" },
	[L_CERT_NO] = { "Certificate No.", "证书编号" },
	[L_STATION] = { "Station", "工作站" },
	[L_RESULT] = { "Result", "结果" },
	[L_PERSON] = { "1. PERSON PERFORMING SANITIZATION", "1. 执行清除人员" },
	[L_NAME] = { "Name", "姓名" },
	[L_TITLE_ROLE] = { "Title / role", "职务" },
	[L_ORG] = { "Organization", "单位" },
	[L_LOCATION] = { "Location", "地点" },
	[L_PHONE] = { "Phone", "电话" },
	[L_MEDIA] = { "2. MEDIA INFORMATION", "2. 介质信息" },
	[L_MAKE] = { "Make / vendor", "品牌 / 厂商" },
	[L_MODEL] = { "Model number", "型号" },
	[L_SERIAL] = { "Serial number", "序列号" },
	[L_PROPERTY] = { "Media property number", "资产编号" },
	[L_MEDIA_TYPE] = { "Media type", "介质类型" },
	[L_SOURCE] = { "Source", "来源" },
	[L_CLASS] = { "Classification", "密级" },
	[L_BACKED_UP] = { "Data backed up", "数据已备份" },
	[L_BACKUP_LOC] = { "Backup location", "备份位置" },
	[L_CAPACITY] = { "Capacity", "容量" },
	[L_INTERFACE] = { "Interface / device", "接口 / 设备" },
	[L_HIDDEN] = { "Hidden area before / after", "隐藏区 前 / 后" },
	[L_SANIT] = { "3. SANITIZATION DETAILS", "3. 清除详情" },
	[L_METHOD_TYPE] = { "Method type (NIST)", "方法类别 (NIST)" },
	[L_METHOD_USED] = { "Method used", "所用方法" },
	[L_IEEE] = { "IEEE 2883 method / technique", "IEEE 2883 方法 / 技术" },
	[L_DETAILS] = { "Method details", "方法详情" },
	[L_TOOL] = { "Tool used (version)", "所用工具 (版本)" },
	[L_COMMAND] = { "Command", "命令" },
	[L_STEPS] = { "Steps", "步骤" },
	[L_VERIFY] = { "Verification method", "验证方法" },
	[L_COVERAGE] = { "Verification coverage", "验证覆盖率" },
	[L_ERRORS] = { "Bad / mismatched blocks", "坏块 / 不符块" },
	[L_POST_CLASS] = { "Post-sanitization classification", "清除后密级" },
	[L_TIME] = { "Start / end (UTC)", "开始 / 结束 (UTC)" },
	[L_NOTES] = { "Notes", "备注" },
	[L_DEST] = { "4. MEDIA DESTINATION", "4. 介质去向" },
	[L_D_INT] = { "Internal reuse", "内部再用" },
	[L_D_EXT] = { "External reuse", "外部再用" },
	[L_D_REC] = { "Recycling facility", "回收机构" },
	[L_D_DESTR] = { "Destruction", "销毁" },
	[L_D_MANU] = { "Manufacturer", "制造商" },
	[L_D_OTHER] = { "Other", "其他" },
	[L_SIGNATURE] = { "5. SIGNATURE", "5. 签名" },
	[L_ATTEST] = { "I attest that the information provided on this statement is accurate to the best of my knowledge.",
		       "本人证明上述信息据本人所知真实准确。" },
	[L_SIGN] = { "Signature", "签名" },
	[L_DATE] = { "Date", "日期" },
	[L_VALIDATION] = { "6. VALIDATION (WITNESS)", "6. 验证 (见证人)" },
	[L_PROOF] = { "7. LEDGER PROOF", "7. 台账证明" },
	[L_POSITION] = { "Chain position", "链位置" },
	[L_HASH] = { "Record hash", "记录哈希" },
	[L_PREV] = { "Previous hash", "前一哈希" },
	[L_SIG] = { "Ed25519 signature", "Ed25519 签名" },
	[L_FP] = { "Station key fingerprint", "工作站密钥指纹" },
	[L_FOOTER] = { "Verify this certificate: certs verify --pdf FILE [LEDGER]. The signed record is embedded in this file.",
		       "核验本证书: certs verify --pdf 文件 [台账]。签名记录已嵌入本文件。" },
	[L_DESTROY] = { "Physical destruction", "物理销毁" },
	[L_TECHNIQUE] = { "Destruction technique", "销毁方式" },
	[L_OWNER] = { "Owner unit", "所属单位" },
	[L_REG_TITLE] = { "REGISTER OF SANITIZED AND DESTROYED MEDIA", "介质清除与销毁登记簿" },
	[L_PERIOD] = { "Period (UTC)", "期间 (UTC)" },
	[L_REG_COLS] = { "No.|Certificate|Date|Serial|Model|Method|Result|Operator|Witness",
			 "序号|证书编号|日期|序列号|型号|方法|结果|操作员|见证人" },
	[L_HEAD] = { "Chain head", "链头" },
	[L_COUNT] = { "Media in period", "本期介质数" },
	[L_PAGE] = { "Page", "页" },
	[L_REASON] = { "Reason", "原因" },
	[L_MORE] = { "more steps: see the embedded record", "更多步骤见嵌入记录" },
	[L_NONE] = { "none", "无" },
	[L_PASS] = { "", "" },
	[L_DEST_DETAILS] = { "Details", "说明" },
};

/* Rendering state. */
struct doc {
	HPDF_Doc pdf;
	HPDF_Page page;
	HPDF_Font reg, bold, mono, cjk;
	int zh;
	HPDF_STATUS status;
	HPDF_STATUS detail;
	float y;
};

/* libharu error handler: remember the first error. */
static void on_error(HPDF_STATUS status, HPDF_STATUS detail, void *data)
{
	struct doc *d = data;

	if (!d->status) {
		d->status = status;
		d->detail = detail;
	}
}

/* The label @id in the document's language. */
static const char *L(const struct doc *d, enum lbl id)
{
	return labels[id][d->zh];
}

/* Does @s hold anything beyond ASCII? */
static bool non_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return true;
	return false;
}

/* The font for @s: the CJK font for non-ASCII text when there is one. */
static HPDF_Font font_for(const struct doc *d, HPDF_Font want, const char *s)
{
	if (d->cjk && (d->zh || non_ascii(s)) && want != d->mono)
		return d->cjk;
	return want;
}

/* Replace non-ASCII bytes for fonts that cannot show them. */
static void ascii_only(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			*s = '?';
}

/* Draw @s at (@x, @y) with @font at @size, cut to @maxw points. */
static void text(struct doc *d, HPDF_Font font, float size, float x, float y, float maxw,
		 const char *s)
{
	char buf[1024];
	HPDF_Font f = font_for(d, font, s);
	HPDF_REAL used;
	size_t n;

	n = strlen(s);
	if (n >= sizeof(buf))
		n = sizeof(buf) - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (f != d->cjk)
		ascii_only(buf);
	if (maxw > 0) {
		n = HPDF_Font_MeasureText(f, (const HPDF_BYTE *)buf, (HPDF_UINT)strlen(buf), maxw,
					  size, 0, 0, HPDF_FALSE, &used);
		if (n < strlen(buf)) {
			/* Cut at a UTF-8 boundary. */
			while (n > 0 && ((unsigned char)buf[n] & 0xc0) == 0x80)
				n--;
			buf[n] = '\0';
		}
	}
	HPDF_Page_BeginText(d->page);
	HPDF_Page_SetFontAndSize(d->page, f, size);
	HPDF_Page_TextOut(d->page, x, y, buf);
	HPDF_Page_EndText(d->page);
}

/* A filled grey section bar with a title; moves y below it. */
static void section(struct doc *d, enum lbl title)
{
	d->y -= 15;
	HPDF_Page_SetGrayFill(d->page, 0.85f);
	HPDF_Page_Rectangle(d->page, ML, d->y, MR - ML, 13);
	HPDF_Page_Fill(d->page);
	HPDF_Page_SetGrayFill(d->page, 0);
	text(d, d->bold, 8.5f, ML + 4, d->y + 3.5f, 0, L(d, title));
}

/* One form row: label cell and value cell, bordered. Two per line when @half. */
static void field_at(struct doc *d, float x, float w, float lw, const char *label,
		     const char *value, HPDF_Font vfont)
{
	HPDF_Page_SetLineWidth(d->page, 0.4f);
	HPDF_Page_Rectangle(d->page, x, d->y, w, 12);
	HPDF_Page_Stroke(d->page);
	HPDF_Page_SetGrayFill(d->page, 0.35f);
	text(d, d->reg, 6.5f, x + 3, d->y + 3.5f, lw - 4, label);
	HPDF_Page_SetGrayFill(d->page, 0);
	text(d, vfont ? vfont : d->reg, 8, x + lw, d->y + 3.2f, w - lw - 3, value[0] ? value : "-");
}

/* A full-width row. */
static void row(struct doc *d, enum lbl label, const char *value)
{
	d->y -= 12;
	field_at(d, ML, MR - ML, 100, L(d, label), value, NULL);
}

/* Two half-width rows side by side. */
static void row2(struct doc *d, enum lbl l1, const char *v1, enum lbl l2, const char *v2)
{
	float half = (MR - ML) / 2;

	d->y -= 12;
	field_at(d, ML, half, 100, L(d, l1), v1, NULL);
	field_at(d, ML + half, half, 100, L(d, l2), v2, NULL);
}

/* A mono full-width row (hashes). */
static void row_mono(struct doc *d, enum lbl label, const char *value)
{
	d->y -= 12;
	field_at(d, ML, MR - ML, 110, L(d, label), value, d->mono);
}

/* "500.1 GB (500107862016 bytes)". */
static void fmt_size(uint64_t b, char *buf, size_t len)
{
	int n;

	if (b >= 1000000000ull)
		n = snprintf(buf, len, "%.1f GB (%" PRIu64 " bytes)", b / 1e9, b);
	else
		n = snprintf(buf, len, "%.1f MB (%" PRIu64 " bytes)", b / 1e6, b);
	if (n < 0 || (size_t)n >= len)
		buf[len - 1] = '\0';
}

/* snprintf that cuts silently: display text only, never stored. */
__attribute__((format(printf, 3, 4)))
static void dfmt(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!buf || !len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= len)
		buf[len - 1] = '\0';
}

/* A checkbox with a caption. */
static void checkbox(struct doc *d, float x, bool on, const char *caption)
{
	HPDF_Page_SetLineWidth(d->page, 0.6f);
	HPDF_Page_Rectangle(d->page, x, d->y + 2, 8, 8);
	HPDF_Page_Stroke(d->page);
	if (on) {
		HPDF_Page_MoveTo(d->page, x + 1.5f, d->y + 6);
		HPDF_Page_LineTo(d->page, x + 3.5f, d->y + 3);
		HPDF_Page_LineTo(d->page, x + 7, d->y + 9);
		HPDF_Page_Stroke(d->page);
	}
	text(d, d->reg, 7.5f, x + 11, d->y + 3, 0, caption);
}

/* The QR code with @s, its top-left corner at (@x, @top), @size points wide. */
static void qr(struct doc *d, const char *s, float x, float top, float size)
{
	QRcode *q = QRcode_encodeString(s, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	float m;
	int i, j;

	if (!q) {
		d->status = d->status ? d->status : 1;
		return;
	}
	m = size / (float)(q->width + 8);
	HPDF_Page_SetGrayFill(d->page, 0);
	for (i = 0; i < q->width; i++)
		for (j = 0; j < q->width; j++)
			if (q->data[i * q->width + j] & 1)
				HPDF_Page_Rectangle(d->page, x + (j + 4) * m, top - (i + 5) * m, m, m);
	HPDF_Page_Fill(d->page);
	QRcode_free(q);
}

/* Signature and date lines for a person. */
static void sign_lines(struct doc *d)
{
	d->y -= 22;
	HPDF_Page_SetLineWidth(d->page, 0.6f);
	HPDF_Page_MoveTo(d->page, ML + 60, d->y);
	HPDF_Page_LineTo(d->page, ML + 330, d->y);
	HPDF_Page_MoveTo(d->page, ML + 380, d->y);
	HPDF_Page_LineTo(d->page, MR, d->y);
	HPDF_Page_Stroke(d->page);
	text(d, d->reg, 7.5f, ML, d->y + 2, 0, L(d, L_SIGN));
	text(d, d->reg, 7.5f, ML + 345, d->y + 2, 0, L(d, L_DATE));
}

/* Person rows (name, title, organization, location, phone). */
static void person(struct doc *d, const struct cert_person *p)
{
	row2(d, L_NAME, p->name, L_TITLE_ROLE, p->title);
	row2(d, L_ORG, p->organization, L_LOCATION, p->location);
}

/* Load fonts for @lang; the CJK font when available (required for zh). */
static int load_fonts(struct doc *d, const char *lang, bool want_cjk, char *err, size_t errlen)
{
	const char *name;

	d->reg = HPDF_GetFont(d->pdf, "Helvetica", NULL);
	d->bold = HPDF_GetFont(d->pdf, "Helvetica-Bold", NULL);
	d->mono = HPDF_GetFont(d->pdf, "Courier", NULL);
	d->zh = strcmp(lang, "zh") == 0;
	/* English certificates load the CJK font only for non-Latin names, when installed. */
	if (!d->zh && (!want_cjk || access(CJK_FONT, R_OK) != 0))
		return 0;
	{
		if (access(CJK_FONT, R_OK) != 0) {
			dfmt(err, errlen, "cert_pdf_render: %s is missing (install fonts-wqy-microhei)",
			     CJK_FONT);
			return -ENOENT;
		}
		/*
		 * Referenced, not embedded: libharu 2.3's subset of this TTC draws
		 * many glyphs blank (介 and 书 of 介质数据清除证明书 show, the rest
		 * not, in poppler; tried 2026-11) even when every glyph is looked up
		 * first, so the reader's fontconfig supplies the face instead.
		 */
		HPDF_UseUTFEncodings(d->pdf);
		name = HPDF_LoadTTFontFromFile2(d->pdf, CJK_FONT, 0, HPDF_FALSE);
		if (name)
			d->cjk = HPDF_GetFont(d->pdf, name, "UTF-8");
		if (!d->cjk) {
			dfmt(err, errlen, "cert_pdf_render: cannot load %s", CJK_FONT);
			return -EIO;
		}
	}
	return 0;
}

/* Embed @p as the uncompressed file BUNDLE_NAME (libharu's own call wants a path). */
static int embed(struct doc *d, const char *p, size_t len)
{
	HPDF_Doc pdf = d->pdf;
	HPDF_NameDict names;
	HPDF_NameTree tree;
	HPDF_Dict stream, spec, ef;

	names = HPDF_Catalog_GetNames(pdf->catalog);
	if (!names) {
		names = HPDF_NameDict_New(pdf->mmgr, pdf->xref);
		if (!names || HPDF_Catalog_SetNames(pdf->catalog, names) != HPDF_OK)
			return -EIO;
	}
	tree = HPDF_NameDict_GetNameTree(names, HPDF_NAME_EMBEDDED_FILES);
	if (!tree) {
		tree = HPDF_NameTree_New(pdf->mmgr, pdf->xref);
		if (!tree || HPDF_NameDict_SetNameTree(names, HPDF_NAME_EMBEDDED_FILES, tree) != HPDF_OK)
			return -EIO;
	}
	stream = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
	if (!stream || HPDF_Dict_AddName(stream, "Type", "EmbeddedFile") != HPDF_OK ||
	    HPDF_Dict_AddName(stream, "Subtype", "application#2Fjson") != HPDF_OK ||
	    HPDF_Stream_Write(stream->stream, (const HPDF_BYTE *)p, (HPDF_UINT)len) != HPDF_OK)
		return -EIO;
	stream->filter = HPDF_STREAM_FILTER_NONE;
	spec = HPDF_Dict_New(pdf->mmgr);
	if (!spec || HPDF_Xref_Add(pdf->xref, spec) != HPDF_OK)
		return -EIO;
	ef = HPDF_Dict_New(pdf->mmgr);
	if (!ef || HPDF_Dict_AddName(spec, "Type", "Filespec") != HPDF_OK ||
	    HPDF_Dict_Add(spec, "F", HPDF_String_New(pdf->mmgr, BUNDLE_NAME, NULL)) != HPDF_OK ||
	    HPDF_Dict_Add(spec, "UF", HPDF_String_New(pdf->mmgr, BUNDLE_NAME, NULL)) != HPDF_OK ||
	    HPDF_Dict_Add(spec, "Desc", HPDF_String_New(pdf->mmgr, "Signed Tabula record", NULL))
		    != HPDF_OK ||
	    HPDF_Dict_Add(ef, "F", stream) != HPDF_OK || HPDF_Dict_Add(spec, "EF", ef) != HPDF_OK)
		return -EIO;
	if (HPDF_NameTree_Add(tree, HPDF_String_New(pdf->mmgr, BUNDLE_NAME, NULL), spec) != HPDF_OK)
		return -EIO;
	return 0;
}

/* The bundle: chain data, language and record, canonical. */
static int make_bundle(const struct cert_entry *e, const struct cj *rec, const char *lang,
		       struct cbuf *out)
{
	char hex[2 * CERT_SIG_LEN + 1], fp[CERT_FP_HEX];
	struct cj *top = cj_new(CJ_OBJ), *chain = cj_new(CJ_OBJ), *rc_copy = NULL;
	struct cbuf rb = { 0 };
	int rc = 0;

	/* Re-parse to get an owned copy of the record tree. */
	if ((rc = cj_encode(rec, &rb)) == 0)
		rc = cj_parse(rb.p, rb.len, &rc_copy, NULL, NULL, 0);
	cbuf_done(&rb);
	if (!rc)
		rc = cj_add(chain, "seq", cj_u64(e->seq));
	cert_hex(e->prev, CERT_HASH_LEN, hex);
	if (!rc)
		rc = cj_add(chain, "prev_hash", cj_str(hex));
	cert_hex(e->hash, CERT_HASH_LEN, hex);
	if (!rc)
		rc = cj_add(chain, "hash", cj_str(hex));
	cert_hex(e->sig, CERT_SIG_LEN, hex);
	if (!rc)
		rc = cj_add(chain, "signature", cj_str(hex));
	cert_hex(e->pub, CERT_PUB_LEN, hex);
	if (!rc)
		rc = cj_add(chain, "public_key", cj_str(hex));
	cert_fingerprint(e->pub, fp);
	if (!rc)
		rc = cj_add(chain, "fingerprint", cj_str(fp));
	if (!rc) {
		rc = cj_add(top, "chain", chain);
		chain = NULL;
	}
	if (!rc)
		rc = cj_add(top, "format", cj_str(CERT_BUNDLE_FORMAT));
	if (!rc)
		rc = cj_add(top, "lang", cj_str(lang));
	if (!rc) {
		rc = cj_add(top, "record", rc_copy);
		rc_copy = NULL;
	}
	if (!rc)
		rc = cj_encode(top, out);
	cj_free(chain);
	cj_free(rc_copy);
	cj_free(top);
	return rc;
}

int cert_lang_ok(const char *lang)
{
	return lang && (!strcmp(lang, "en") || !strcmp(lang, "zh"));
}

/* Draw the certificate page for record @r. */
static void draw_cert(struct doc *d, const struct cert_record *r, const struct cert_entry *e)
{
	char buf[600], t1[32], t2[32], hx[2 * CERT_SIG_LEN + 1], fp[CERT_FP_HEX];
	const char *res = cert_result_str(r->result);
	size_t i, shown;
	float x, w;

	d->page = HPDF_AddPage(d->pdf);
	HPDF_Page_SetSize(d->page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);

	/* Frame and header. */
	HPDF_Page_SetLineWidth(d->page, 1.2f);
	HPDF_Page_Rectangle(d->page, ML - 10, 28, MR - ML + 20, PH - 50);
	HPDF_Page_Stroke(d->page);
	d->y = PH - 50;
	text(d, d->bold, 15, ML, d->y, 360, L(d, L_TITLE));
	text(d, d->reg, 8, ML, d->y - 13, 360, L(d, L_SUBTITLE));
	dfmt(buf, sizeof(buf), "%s: %s   |   %s %s", L(d, L_STATION), r->station_id, r->tool,
	     r->tool_version);
	text(d, d->reg, 8, ML, d->y - 25, 360, buf);

	/* Certificate number box. */
	HPDF_Page_SetLineWidth(d->page, 0.8f);
	HPDF_Page_Rectangle(d->page, ML, d->y - 62, 250, 30);
	HPDF_Page_Stroke(d->page);
	text(d, d->reg, 6.5f, ML + 4, d->y - 41, 0, L(d, L_CERT_NO));
	text(d, d->mono, 13, ML + 4, d->y - 57, 242, r->cert_no);

	/* Result in large type. */
	x = ML + 260;
	w = 170;
	HPDF_Page_SetLineWidth(d->page, 2);
	if (r->result == CERT_PASSED || r->result == CERT_DESTROYED)
		HPDF_Page_SetRGBStroke(d->page, 0, 0.35f, 0);
	else
		HPDF_Page_SetRGBStroke(d->page, 0.7f, 0, 0);
	HPDF_Page_Rectangle(d->page, x, d->y - 62, w, 30);
	HPDF_Page_Stroke(d->page);
	HPDF_Page_SetRGBStroke(d->page, 0, 0, 0);
	text(d, d->reg, 6.5f, x + 4, d->y - 41, 0, L(d, L_RESULT));
	text(d, d->bold, 20, x + 8, d->y - 59, w - 12, res);

	/* QR code: number, record hash, station fingerprint. */
	cert_hex(e->hash, CERT_HASH_LEN, hx);
	cert_fingerprint(e->pub, fp);
	dfmt(buf, sizeof(buf), "TABULA-CERT:%s;SHA256:%s;KEY:%s", r->cert_no, hx, fp);
	qr(d, buf, MR - 80, d->y + 8, 84);
	d->y -= 66;

	section(d, L_PERSON);
	person(d, &r->people.operator_);
	row(d, L_PHONE, r->people.operator_.phone);

	section(d, L_MEDIA);
	row2(d, L_MAKE, r->make, L_MODEL, r->model);
	row2(d, L_SERIAL, r->serial, L_PROPERTY, r->origin.property_number);
	row2(d, L_MEDIA_TYPE, r->media_type, L_OWNER, r->origin.owner_unit);
	row2(d, L_SOURCE, r->origin.source, L_CLASS, r->origin.classification);
	row2(d, L_BACKED_UP, r->origin.data_backed_up, L_BACKUP_LOC, r->origin.backup_location);
	/* Unknown values (a destroyed medium that was never attached) read "-". */
	if (r->size_bytes)
		fmt_size(r->size_bytes, buf, sizeof(buf));
	else
		dfmt(buf, sizeof(buf), "-");
	{
		char iface[200], blocks[40] = "";

		if (r->logical_block)
			dfmt(blocks, sizeof(blocks), "%s%u/%u B", r->transport[0] || r->node[0] ?
			     ", " : "", r->logical_block, r->physical_block);
		dfmt(iface, sizeof(iface), "%s%s%s%s", r->transport, r->transport[0] && r->node[0] ?
		     " " : "", r->node, blocks);
		row2(d, L_CAPACITY, buf, L_INTERFACE, iface[0] ? iface : "-");
	}
	dfmt(buf, sizeof(buf), "%s / %s", r->hidden_before[0] ? r->hidden_before : "-",
	     r->hidden_after[0] ? r->hidden_after : "-");
	row(d, L_HIDDEN, buf);

	section(d, L_SANIT);
	if (r->kind == CERT_KIND_DESTROY) {
		row2(d, L_METHOD_TYPE, r->nist_method_type, L_TECHNIQUE, r->destroy_technique);
		row(d, L_DETAILS, r->destroy_details);
	} else {
		row2(d, L_METHOD_TYPE, r->nist_method_type, L_METHOD_USED, r->nist_method_used);
		dfmt(buf, sizeof(buf), "%s / %s", r->ieee_method, r->ieee_technique);
		dfmt(hx, sizeof(hx), "%s %s", r->tool, r->tool_version);
		row2(d, L_IEEE, buf, L_TOOL, hx);
		row(d, L_DETAILS, r->method_details);
		row(d, L_COMMAND, r->command);
		dfmt(buf, sizeof(buf), "%s (%s), master seed %s, PRNG %s", r->method,
		     r->method_title, r->seed[0] ? r->seed : "-", r->prng[0] ? r->prng : "-");
		row(d, L_STEPS, buf);
		shown = r->nsteps > 6 ? 5 : r->nsteps;
		for (i = 0; i < shown; i++) {
			const struct cert_step *s = &r->steps[i];

			dfmt(buf, sizeof(buf),
			     "%zu. %s %s%s%s  %" PRIu64 " bytes  %.1f s  %s  %s%s",
			     i + 1, s->action, s->pattern, s->seed[0] ? " seed " : "", s->seed,
			     s->bytes, s->ms / 1000.0, s->completed ? "completed" : "NOT COMPLETED",
			     s->verified ? "verified, mismatches " : "not verified",
			     s->verified ? (s->verify_mismatches + s->verify_read_errors ? "SOME" : "0")
					 : "");
			row(d, L_PASS, buf);
		}
		if (shown < r->nsteps) {
			dfmt(buf, sizeof(buf), "+ %zu %s", r->nsteps - shown, L(d, L_MORE));
			row(d, L_PASS, buf);
		}
	}
	if (r->kind == CERT_KIND_DESTROY) {
		/* Nothing was read back: coverage and block counts do not apply. */
		row2(d, L_VERIFY, r->verification_method, L_POST_CLASS,
		     r->origin.post_classification);
	} else {
		if (r->verify_mode[0])
			dfmt(buf, sizeof(buf), "%s (%s)", r->verification_method, r->verify_mode);
		else
			dfmt(buf, sizeof(buf), "%s", r->verification_method);
		dfmt(hx, sizeof(hx), "%u.%04u %%, %" PRIu64 " samples",
		     r->verify_coverage_ppm / 10000, r->verify_coverage_ppm % 10000,
		     r->verify_samples);
		row2(d, L_VERIFY, buf, L_COVERAGE, hx);
		dfmt(buf, sizeof(buf), "%" PRIu64 " / %" PRIu64, r->bad.total, r->mismatch.total);
		row2(d, L_ERRORS, buf, L_POST_CLASS, r->origin.post_classification);
	}
	dfmt(buf, sizeof(buf), "%s  to  %s  (%.1f s)", cert_time_str(r->start, t1, sizeof(t1)),
	     cert_time_str(r->end, t2, sizeof(t2)), r->duration_ms / 1000.0);
	row(d, L_TIME, buf);
	if (r->reason[0])
		row(d, L_REASON, r->reason);
	row(d, L_NOTES, r->notes);

	section(d, L_DEST);
	d->y -= 13;
	checkbox(d, ML + 2, r->destination == CERT_DEST_INTERNAL_REUSE, L(d, L_D_INT));
	checkbox(d, ML + 88, r->destination == CERT_DEST_EXTERNAL_REUSE, L(d, L_D_EXT));
	checkbox(d, ML + 176, r->destination == CERT_DEST_RECYCLING, L(d, L_D_REC));
	checkbox(d, ML + 272, r->destination == CERT_DEST_DESTRUCTION, L(d, L_D_DESTR));
	checkbox(d, ML + 348, r->destination == CERT_DEST_MANUFACTURER, L(d, L_D_MANU));
	checkbox(d, ML + 430, r->destination == CERT_DEST_OTHER, L(d, L_D_OTHER));
	row(d, L_DEST_DETAILS, r->destination_details);

	section(d, L_SIGNATURE);
	d->y -= 11;
	text(d, d->reg, 7.5f, ML + 2, d->y, MR - ML - 4, L(d, L_ATTEST));
	d->y -= 2;
	dfmt(buf, sizeof(buf), "%s%s%s", r->people.operator_.name,
	     r->people.operator_.title[0] ? ", " : "", r->people.operator_.title);
	sign_lines(d);
	text(d, d->reg, 6.5f, ML + 62, d->y - 8, 260, buf);
	d->y -= 6;

	section(d, L_VALIDATION);
	person(d, &r->people.witness);
	row(d, L_PHONE, r->people.witness.phone);
	sign_lines(d);
	d->y -= 6;

	section(d, L_PROOF);
	dfmt(buf, sizeof(buf), "%" PRIu64, e->seq);
	row_mono(d, L_POSITION, buf);
	cert_hex(e->hash, CERT_HASH_LEN, hx);
	row_mono(d, L_HASH, hx);
	cert_hex(e->prev, CERT_HASH_LEN, hx);
	row_mono(d, L_PREV, hx);
	cert_hex(e->sig, CERT_SIG_LEN, hx);
	memcpy(buf, hx, 64);
	buf[64] = '\0';
	row_mono(d, L_SIG, buf);
	row_mono(d, L_SIG, hx + 64);
	row_mono(d, L_FP, fp);
	d->y -= 12, field_at(d, ML, MR - ML, 100, d->zh ? "密钥保管" : "Key custody", cert_custody_record_str(r, d->zh, buf, sizeof(buf)), NULL);

	text(d, d->reg, 6.5f, ML, 34, MR - ML, L(d, L_FOOTER));
}

int cert_pdf_render(const struct cert_entry *e, const char *lang, struct cbuf *out, char *err,
		    size_t errlen)
{
	struct doc d = { 0 };
	struct cert_record *r = NULL;
	struct cj *rec = NULL;
	struct cbuf bundle = { 0 };
	HPDF_UINT32 size;
	int rc;

	if (!cert_lang_ok(lang)) {
		dfmt(err, errlen, "cert_pdf_render: unknown language \"%s\" (en or zh)", lang);
		return -EINVAL;
	}
	r = cert_record_new();
	if (!r)
		return -ENOMEM;
	if ((rc = cj_parse_canonical(e->canon, e->canon_len, &rec, err, errlen)) ||
	    (rc = cert_record_from_cj(rec, r, err, errlen)))
		goto out;
	if ((rc = make_bundle(e, rec, lang, &bundle)))
		goto out;
	d.pdf = HPDF_New(on_error, &d);
	if (!d.pdf) {
		rc = -ENOMEM;
		goto out;
	}
	HPDF_SetCompressionMode(d.pdf, HPDF_COMP_ALL);
	if ((rc = load_fonts(&d, lang, non_ascii(e->canon), err, errlen)))
		goto out;
	HPDF_SetInfoAttr(d.pdf, HPDF_INFO_TITLE, r->cert_no);
	HPDF_SetInfoAttr(d.pdf, HPDF_INFO_CREATOR, "Tabula " PACKAGE_VERSION);
	draw_cert(&d, r, e);
	if (!d.status && (rc = embed(&d, bundle.p, bundle.len))) {
		dfmt(err, errlen, "cert_pdf_render: cannot embed the record");
		goto out;
	}
	if (!d.status)
		HPDF_SaveToStream(d.pdf);
	if (d.status) {
		dfmt(err, errlen, "cert_pdf_render: libharu error 0x%04x (detail %u)",
		     (unsigned)d.status, (unsigned)d.detail);
		rc = -EIO;
		goto out;
	}
	size = HPDF_GetStreamSize(d.pdf);
	out->len = 0;
	if (out->cap < size + 1) {
		char *np = realloc(out->p, size + 1);

		if (!np) {
			rc = -ENOMEM;
			goto out;
		}
		out->p = np;
		out->cap = size + 1;
	}
	rc = 0;
	if (HPDF_ReadFromStream(d.pdf, (HPDF_BYTE *)out->p, &size) > HPDF_STREAM_EOF) {
		dfmt(err, errlen, "cert_pdf_render: reading the PDF stream failed");
		rc = -EIO;
		goto out;
	}
	out->len = size;
	out->p[size] = '\0';
out:
	if (d.pdf)
		HPDF_Free(d.pdf);
	cbuf_done(&bundle);
	cj_free(rec);
	cert_record_free(r);
	return rc;
}

int cert_pdf_extract(const char *pdf, size_t len, struct cert_entry *e, char *lang, char *err,
		     size_t errlen)
{
	const char *p = memmem(pdf, len, BUNDLE_MARK, strlen(BUNDLE_MARK));
	const struct cj *chain, *rec, *v;
	struct cj *top = NULL;
	struct cbuf rb = { 0 };
	size_t used;
	int rc;

	memset(e, 0, sizeof(*e));
	if (!p) {
		dfmt(err, errlen, "no embedded Tabula record in the file");
		return -EINVAL;
	}
	if ((rc = cj_parse(p, len - (size_t)(p - pdf), &top, &used, err, errlen)))
		goto out;
	cj_free(top);
	top = NULL;
	if ((rc = cj_parse_canonical(p, used, &top, err, errlen)))
		goto out;
	v = cj_get(top, "format");
	chain = cj_get(top, "chain");
	rec = cj_get(top, "record");
	rc = -EINVAL;
	if (!v || v->type != CJ_STR || strcmp(v->s, CERT_BUNDLE_FORMAT) || !chain || !rec ||
	    top->n != 4) {
		dfmt(err, errlen, "the embedded bundle is not a %s", CERT_BUNDLE_FORMAT);
		goto out;
	}
	v = cj_get(top, "lang");
	if (!v || v->type != CJ_STR || !cert_lang_ok(v->s)) {
		dfmt(err, errlen, "the embedded bundle names no known language");
		goto out;
	}
	strcpy(lang, v->s);
	v = cj_get(chain, "seq");
	if (!v || v->type != CJ_INT || v->neg || chain->n != 6) {
		dfmt(err, errlen, "the embedded chain data is malformed");
		goto out;
	}
	e->seq = v->u;
	if (!(v = cj_get(chain, "prev_hash")) || v->type != CJ_STR ||
	    cert_unhex(v->s, e->prev, CERT_HASH_LEN) ||
	    !(v = cj_get(chain, "hash")) || v->type != CJ_STR ||
	    cert_unhex(v->s, e->hash, CERT_HASH_LEN) ||
	    !(v = cj_get(chain, "signature")) || v->type != CJ_STR ||
	    cert_unhex(v->s, e->sig, CERT_SIG_LEN) ||
	    !(v = cj_get(chain, "public_key")) || v->type != CJ_STR ||
	    cert_unhex(v->s, e->pub, CERT_PUB_LEN) ||
	    !(v = cj_get(chain, "fingerprint")) || v->type != CJ_STR ||
	    strlen(v->s) != CERT_FP_HEX - 1) {
		dfmt(err, errlen, "the embedded chain data is malformed");
		goto out;
	}
	strcpy(e->fp, v->s);
	if ((rc = cj_encode(rec, &rb)))
		goto out;
	e->canon = rb.p;
	e->canon_len = rb.len;
	rb.p = NULL;
	rc = 0;
out:
	cbuf_done(&rb);
	cj_free(top);
	return rc;
}

/* Note why a PDF is not genuine. Returns 1. */
__attribute__((format(printf, 3, 4)))
static int bad(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!why || !len)
		return 1;
	va_start(ap, fmt);
	n = vsnprintf(why, len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= len)
		why[len - 1] = '\0';
	return 1;
}

int cert_pdf_verify(const char *pdf, size_t len, struct cert_ledger *l, struct cert_entry *e,
		    char *why, size_t whylen)
{
	uint8_t h[CERT_HASH_LEN], sha[CERT_HASH_LEN], have[CERT_HASH_LEN];
	char lang[8], fp[CERT_FP_HEX], err[512];
	struct cert_record *r = cert_record_new();
	struct cert_key *k = NULL;
	struct cert_entry le = { 0 };
	struct cert_verify v;
	struct cbuf again = { 0 };
	int rc;

	if (!r)
		return -ENOMEM;
	rc = cert_pdf_extract(pdf, len, e, lang, err, sizeof(err));
	if (rc) {
		rc = bad(why, whylen, "embedded record unreadable: %s", err);
		goto out;
	}
	if (cert_record_decode(e->canon, e->canon_len, r, err, sizeof(err))) {
		rc = bad(why, whylen, "embedded record is invalid: %s", err);
		goto out;
	}
	snprintf(e->cert_no, sizeof(e->cert_no), "%s", r->cert_no);
	cert_chain_hash(e->prev, e->canon, e->canon_len, h);
	if (memcmp(h, e->hash, CERT_HASH_LEN)) {
		rc = bad(why, whylen, "the embedded record does not match its hash (altered)");
		goto out;
	}
	cert_fingerprint(e->pub, fp);
	if (strcmp(fp, e->fp) || strcmp(fp, r->key_fingerprint)) {
		rc = bad(why, whylen, "the station key does not match the record's fingerprint");
		goto out;
	}
	if (r->seq != e->seq) {
		rc = bad(why, whylen, "the chain position does not match the record");
		goto out;
	}
	if ((rc = cert_key_from_public(e->pub, &k)))
		goto out;
	if (cert_verify_sig(k, e->hash, e->sig)) {
		rc = bad(why, whylen, "the signature does not verify (forged)");
		goto out;
	}
	rc = cert_pdf_render(e, lang, &again, err, sizeof(err));
	if (rc == -EINVAL) {
		rc = bad(why, whylen, "cannot re-render the certificate: %s", err);
		goto out;
	}
	if (rc) {
		/* No memory, no CJK font, a libharu failure: says nothing about the file. */
		bad(why, whylen, "cannot re-render the certificate: %s", err);
		goto out;
	}
	if (again.len != len || memcmp(again.p, pdf, len)) {
		rc = bad(why, whylen, "the file differs from the certificate its signed record renders"
			 " to (the visible page was altered)");
		goto out;
	}
	if (l) {
		rc = cert_ledger_verify(l, 0, &v);
		if (rc) {
			rc = bad(why, whylen, "the ledger does not verify: record %" PRIu64 ": %s",
				 v.bad_seq, v.reason);
			goto out;
		}
		rc = cert_ledger_get(l, e->fp, e->seq, &le);
		if (rc == -ENOENT) {
			rc = bad(why, whylen, "the ledger holds no record %" PRIu64 " of station %.16s",
				 e->seq, e->fp);
			goto out;
		}
		if (rc)
			goto out;
		if (le.canon_len != e->canon_len || memcmp(le.canon, e->canon, e->canon_len) ||
		    memcmp(le.hash, e->hash, CERT_HASH_LEN)) {
			rc = bad(why, whylen, "the ledger's record %" PRIu64 " differs from this one",
				 e->seq);
			goto out;
		}
		cert_sha256(pdf, len, sha);
		if (cert_ledger_pdf_get(l, e->fp, e->seq, lang, have) == 0 &&
		    memcmp(have, sha, CERT_HASH_LEN)) {
			rc = bad(why, whylen, "the file's SHA-256 differs from the issued certificate's");
			goto out;
		}
	}
	rc = 0;
out:
	cert_entry_done(&le);
	cbuf_done(&again);
	cert_key_free(k);
	cert_record_free(r);
	return rc;
}

/* ---- the register ---- */

struct reg {
	struct doc d;
	struct cert_record *r;
	int64_t from, to;
	unsigned page;
	uint64_t count;
	int rc;
	char *err;
	size_t errlen;
};

static const float reg_cols[] = { 0, 28, 112, 160, 240, 330, 410, 460, 520 };
#define REG_NCOLS 9

/* Start a register page with its header and column titles. */
static void reg_page(struct reg *g)
{
	char buf[200], t1[32], t2[32], cols[200], *c, *save = NULL;
	int i = 0;

	g->d.page = HPDF_AddPage(g->d.pdf);
	HPDF_Page_SetSize(g->d.page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
	g->page++;
	g->d.y = PH - 50;
	text(&g->d, g->d.bold, 13, ML - 10, g->d.y, 0, L(&g->d, L_REG_TITLE));
	dfmt(buf, sizeof(buf), "%s: %s  to  %s", L(&g->d, L_PERIOD),
	     cert_time_str(g->from, t1, sizeof(t1)), cert_time_str(g->to, t2, sizeof(t2)));
	text(&g->d, g->d.reg, 8, ML - 10, g->d.y - 13, 0, buf);
	dfmt(buf, sizeof(buf), "%s %u", L(&g->d, L_PAGE), g->page);
	text(&g->d, g->d.reg, 8, MR - 30, g->d.y, 0, buf);
	g->d.y -= 32;
	dfmt(cols, sizeof(cols), "%s", L(&g->d, L_REG_COLS));
	for (c = strtok_r(cols, "|", &save); c && i < REG_NCOLS; c = strtok_r(NULL, "|", &save))
		text(&g->d, g->d.bold, 7, ML - 10 + reg_cols[i++], g->d.y, 0, c);
	HPDF_Page_SetLineWidth(g->d.page, 0.6f);
	HPDF_Page_MoveTo(g->d.page, ML - 10, g->d.y - 3);
	HPDF_Page_LineTo(g->d.page, MR + 10, g->d.y - 3);
	HPDF_Page_Stroke(g->d.page);
	g->d.y -= 13;
}

/* One register line per record. */
static int reg_line(const struct cert_entry *e, void *arg)
{
	struct reg *g = arg;
	char date[32], no[24], err[256];
	const char *cells[REG_NCOLS];
	int i;

	if (cert_record_decode(e->canon, e->canon_len, g->r, err, sizeof(err))) {
		dfmt(g->err, g->errlen, "record %" PRIu64 ": %s", e->seq, err);
		return -EINVAL;
	}
	if (g->d.y < 70)
		reg_page(g);
	g->count++;
	dfmt(no, sizeof(no), "%" PRIu64, g->count);
	cert_time_str(g->r->end, date, sizeof(date));
	date[10] = '\0';
	cells[0] = no;
	cells[1] = g->r->cert_no;
	cells[2] = date;
	cells[3] = g->r->serial;
	cells[4] = g->r->model;
	cells[5] = g->r->kind == CERT_KIND_DESTROY ? g->r->destroy_technique : g->r->method;
	cells[6] = cert_result_str(g->r->result);
	cells[7] = g->r->people.operator_.name;
	cells[8] = g->r->people.witness.name;
	for (i = 0; i < REG_NCOLS; i++) {
		float w = (i + 1 < REG_NCOLS ? reg_cols[i + 1] : MR - ML + 20) - reg_cols[i] - 3;

		text(&g->d, i == 6 ? g->d.bold : g->d.reg, 7, ML - 10 + reg_cols[i], g->d.y, w,
		     cells[i]);
	}
	HPDF_Page_SetLineWidth(g->d.page, 0.2f);
	HPDF_Page_MoveTo(g->d.page, ML - 10, g->d.y - 3);
	HPDF_Page_LineTo(g->d.page, MR + 10, g->d.y - 3);
	HPDF_Page_Stroke(g->d.page);
	g->d.y -= 11;
	return 0;
}

int cert_pdf_register(struct cert_ledger *l, int64_t from, int64_t to, const char *lang,
		      struct cbuf *out, char *err, size_t errlen)
{
	struct reg g = { 0 };
	struct cert_verify v;
	char buf[300], hx[2 * CERT_HASH_LEN + 1];
	HPDF_UINT32 size;
	int rc;

	if (!cert_lang_ok(lang)) {
		dfmt(err, errlen, "cert_pdf_register: unknown language \"%s\"", lang);
		return -EINVAL;
	}
	g.from = from;
	g.to = to;
	g.err = err;
	g.errlen = errlen;
	g.r = cert_record_new();
	if (!g.r)
		return -ENOMEM;
	/* A register is only printed for a ledger that verifies. */
	rc = cert_ledger_verify(l, 0, &v);
	if (rc) {
		dfmt(err, errlen, "the ledger does not verify: record %" PRIu64 ": %s", v.bad_seq,
		     v.reason);
		rc = rc > 0 ? -EBADMSG : rc;
		goto out;
	}
	g.d.pdf = HPDF_New(on_error, &g.d);
	if (!g.d.pdf) {
		rc = -ENOMEM;
		goto out;
	}
	HPDF_SetCompressionMode(g.d.pdf, HPDF_COMP_ALL);
	if ((rc = load_fonts(&g.d, lang, true, err, errlen)))
		goto out;
	reg_page(&g);
	rc = cert_ledger_each(l, from, to, NULL, reg_line, &g);
	if (rc)
		goto out;
	g.d.y -= 10;
	if (g.d.y < 80)
		reg_page(&g);
	dfmt(buf, sizeof(buf), "%s: %" PRIu64 "   (%" PRIu64 " records, %" PRIu64 " station%s in the ledger)",
	     L(&g.d, L_COUNT), g.count, v.records, v.stations, v.stations == 1 ? "" : "s");
	text(&g.d, g.d.bold, 8, ML - 10, g.d.y, 0, buf);
	cert_hex(v.head, CERT_HASH_LEN, hx);
	dfmt(buf, sizeof(buf), "%s (%s %" PRIu64 "): ", L(&g.d, L_HEAD), L(&g.d, L_POSITION),
	     v.head_seq);
	text(&g.d, g.d.reg, 8, ML - 10, g.d.y - 12, 0, buf);
	text(&g.d, g.d.mono, 7.5f, ML - 10, g.d.y - 23, 0, hx);
	g.d.y -= 60;
	sign_lines(&g.d);
	HPDF_SaveToStream(g.d.pdf);
	if (g.d.status) {
		dfmt(err, errlen, "cert_pdf_register: libharu error 0x%04x", (unsigned)g.d.status);
		rc = -EIO;
		goto out;
	}
	size = HPDF_GetStreamSize(g.d.pdf);
	cbuf_done(out);
	out->p = malloc(size + 1);
	if (!out->p) {
		rc = -ENOMEM;
		goto out;
	}
	out->cap = size + 1;
	HPDF_ReadFromStream(g.d.pdf, (HPDF_BYTE *)out->p, &size);
	out->len = size;
	out->p[size] = '\0';
out:
	if (g.d.pdf)
		HPDF_Free(g.d.pdf);
	cert_record_free(g.r);
	return rc;
}

/* ---- files ---- */

int cert_write_file(const char *path, const void *p, size_t len)
{
	char tmp[4096];
	size_t off = 0;
	int fd, rc = 0, n;

	n = snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
	if (n < 0 || (size_t)n >= sizeof(tmp))
		return -ENAMETOOLONG;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	while (off < len) {
		ssize_t w = write(fd, (const char *)p + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			rc = w < 0 ? -errno : -EIO;
			break;
		}
		off += (size_t)w;
	}
	if (!rc && fsync(fd) < 0)
		rc = -errno;
	if (close(fd) < 0 && !rc)
		rc = -errno;
	if (!rc && rename(tmp, path) < 0)
		rc = -errno;
	if (rc)
		unlink(tmp);
	return rc;
}

int cert_read_file(const char *path, char **out, size_t *len)
{
	struct stat st;
	char *buf;
	size_t off = 0;
	int fd, rc = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		rc = -errno;
		close(fd);
		return rc;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	while (off < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + off, (size_t)st.st_size - off);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			rc = r < 0 ? -errno : -EIO;
			break;
		}
		off += (size_t)r;
	}
	close(fd);
	if (rc) {
		free(buf);
		return rc;
	}
	buf[off] = '\0';
	*out = buf;
	*len = off;
	return 0;
}
