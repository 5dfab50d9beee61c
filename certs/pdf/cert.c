/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The certificate: its page, its embedded signed record, reading that record back. */
#include "config.h"

#include "certs/pdf.h"
#include "certs/custody.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>

#include "certs/chain.h"
#include "certs/pdf/pdf-impl.h"
#include "certs/qrcode.h"
#include "certs/record.h"

#define BUNDLE_NAME "tabula-certificate.json"
#define BUNDLE_MARK "{\"chain\":{"
/* The column the QR code takes beside the ledger proof. */
#define QR_COL 150.0f

/* The bundle: chain data, format (which names the layout), language and record, canonical. */
static int make_bundle(const struct cert_entry *e, const struct cj *rec, const char *lang,
		       int layout, struct cbuf *out)
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
		rc = cj_add(top, "format", cj_str(layout == PD_LAYOUT_1 ? CERT_BUNDLE_FORMAT_1 :
						  layout == PD_LAYOUT_2 ? CERT_BUNDLE_FORMAT_2 :
						  CERT_BUNDLE_FORMAT));
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

void pd_cert_header(struct doc *d, const struct cert_record *r, const struct cert_entry *e)
{
	/* Layout 3 is titled for what was done: an erasure or a destruction. */
	enum lbl title = d->layout < PD_LAYOUT_3 ? L_TITLE :
			 r->kind == CERT_KIND_DESTROY ? L_TITLE_DESTROY3 : L_TITLE_ERASE3;
	const char *res = pd_V(d, cert_result_str(r->result));
	char buf[600];
	float x, w;

	d->page = HPDF_AddPage(d->pdf);
	HPDF_Page_SetSize(d->page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
	HPDF_Page_SetLineWidth(d->page, 1.2f);
	HPDF_Page_Rectangle(d->page, ML - 10, 28, MR - ML + 20, PH - 50);
	HPDF_Page_Stroke(d->page);
	d->y = PH - 50;
	w = d->layout == PD_LAYOUT_1 ? 360 : MR - ML;
	pd_text(d, d->bold, 15, ML, d->y, w, pd_L(d, title));
	pd_text(d, d->reg, 8, ML, d->y - 13, w, pd_L(d, d->layout >= PD_LAYOUT_3 ? L_SUBTITLE3 :
							  L_SUBTITLE));
	pd_dfmt(buf, sizeof(buf), "%s: %s   |   %s %s", pd_L(d, L_STATION), r->station_id, r->tool,
		r->tool_version);
	pd_text(d, d->reg, 8, ML, d->y - 25, w, buf);

	/* Certificate number box. */
	HPDF_Page_SetLineWidth(d->page, 0.8f);
	HPDF_Page_Rectangle(d->page, ML, d->y - 62, 250, 30);
	HPDF_Page_Stroke(d->page);
	pd_text(d, d->reg, 6.5f, ML + 4, d->y - 41, 0, pd_L(d, L_CERT_NO));
	pd_text(d, d->mono, 13, ML + 4, d->y - 57, 242, r->cert_no);

	/* Result in large type. */
	x = d->layout == PD_LAYOUT_1 ? ML + 260 : ML + 265;
	w = d->layout == PD_LAYOUT_1 ? 170 : MR - x;
	HPDF_Page_SetLineWidth(d->page, 2);
	if (r->result == CERT_PASSED || r->result == CERT_DESTROYED)
		HPDF_Page_SetRGBStroke(d->page, 0, 0.35f, 0);
	else
		HPDF_Page_SetRGBStroke(d->page, 0.7f, 0, 0);
	HPDF_Page_Rectangle(d->page, x, d->y - 62, w, 30);
	HPDF_Page_Stroke(d->page);
	HPDF_Page_SetRGBStroke(d->page, 0, 0, 0);
	pd_text(d, d->reg, 6.5f, x + 4, d->y - 41, 0, pd_L(d, L_RESULT));
	pd_text(d, d->bold, 20, x + 8, d->y - 59, w - 12, res);
	if (d->layout == PD_LAYOUT_1) {
		char hx[2 * CERT_HASH_LEN + 1], fp[CERT_FP_HEX];

		/* Layout 1's QR code: number, record hash, key; the next bar covers its foot. */
		cert_hex(e->hash, CERT_HASH_LEN, hx);
		cert_fingerprint(e->pub, fp);
		pd_dfmt(buf, sizeof(buf), "TABULA-CERT:%s;SHA256:%s;KEY:%s", r->cert_no, hx, fp);
		if (pd_qr(d, buf, MR - 80, d->y + 8, 84, false))
			d->status = d->status ? d->status : 1;
	}
	d->y -= 66;
}

/* Sections 1 and 2: who did it, and the medium. */
static void draw_media(struct doc *d, const struct cert_record *r)
{
	char buf[600], iface[200], blocks[40] = "";

	pd_section(d, L_PERSON);
	pd_person(d, &r->people.operator_);
	pd_row(d, L_PHONE, r->people.operator_.phone);

	pd_section(d, L_MEDIA);
	pd_row2(d, L_MAKE, r->make, L_MODEL, r->model);
	pd_row2(d, L_SERIAL, r->serial, L_PROPERTY, r->origin.property_number);
	pd_row2(d, L_MEDIA_TYPE, r->media_type, L_OWNER, r->origin.owner_unit);
	pd_row2(d, L_SOURCE, r->origin.source, L_CLASS, r->origin.classification);
	pd_row2(d, L_BACKED_UP, r->origin.data_backed_up, L_BACKUP_LOC, r->origin.backup_location);
	/* Unknown values (a destroyed medium that was never attached) read "-". */
	if (r->size_bytes)
		pd_fmt_size(d->layout, r->size_bytes, buf, sizeof(buf));
	else
		pd_dfmt(buf, sizeof(buf), "-");
	if (r->logical_block)
		pd_dfmt(blocks, sizeof(blocks), "%s%u/%u B", r->transport[0] || r->node[0] ?
			", " : "", r->logical_block, r->physical_block);
	pd_dfmt(iface, sizeof(iface), "%s%s%s%s", r->transport, r->transport[0] && r->node[0] ?
		" " : "", r->node, blocks);
	pd_row2(d, L_CAPACITY, buf, L_INTERFACE, iface[0] ? iface : "-");
	pd_dfmt(buf, sizeof(buf), "%s / %s", r->hidden_before[0] ? r->hidden_before : "-",
		r->hidden_after[0] ? r->hidden_after : "-");
	pd_row(d, L_HIDDEN, buf);
}

/*
 * Layout 3's method rows: the method and technique in SP 800-88 Rev. 2 /
 * IEEE 2883 terms (in Chinese GB 46864-2025's), the tool, the details
 * and command, the steps, in the page's language.
 */
static void form_steps(struct doc *d, const struct cert_record *r)
{
	char buf[600], hx[200];
	size_t i, shown, np = 0;
	bool fw = strstr(r->method_details, "; verified by ") != NULL;

	pd_dfmt(buf, sizeof(buf), "%s / %s", pd_V(d, r->ieee_method), pd_V(d, r->ieee_technique));
	pd_dfmt(hx, sizeof(hx), "%s %s", r->tool, r->tool_version);
	pd_row2(d, L_METHOD3, buf, L_TOOL, hx);
	for (i = 0; i < r->nsteps; i++)
		np += !strcmp(r->steps[i].action, "overwrite");
	if (!d->zh)
		pd_dfmt(buf, sizeof(buf), "%s", r->method_details);
	else if (fw)
		pd_dfmt(buf, sizeof(buf), "%s; 验证: %s", pd_V(d, r->method_title),
			pd_V(d, strstr(r->method_details, "; verified by ") + 14));
	else
		pd_dfmt(buf, sizeof(buf), "%s: %zu 遍, %u 轮, 验证: %s",
			pd_V(d, r->method_title[0] ? r->method_title : r->method), np, r->rounds,
			pd_V(d, r->verify_mode));
	pd_row(d, L_DETAILS, buf);
	pd_row(d, L_COMMAND, pd_V(d, r->command));
	pd_dfmt(buf, sizeof(buf), "%s (%s), %s %s%s, %s %s", r->method, pd_V(d, r->method_title),
		pd_L(d, L_SEED3), r->seed[0] ? "0x" : "", r->seed[0] ? r->seed : "-",
		d->zh ? "伪随机数发生器" : "PRNG", r->prng[0] ? r->prng : "-");
	pd_row(d, L_STEPS, buf);
	shown = r->nsteps > 6 ? 5 : r->nsteps;
	for (i = 0; i < shown; i++) {
		const struct cert_step *s = &r->steps[i];
		bool bad = s->verify_mismatches + s->verify_read_errors;

		if (d->zh)
			pd_dfmt(buf, sizeof(buf), "%zu. %s %s%s%s  %" PRIu64 " 字节  %.1f 秒  %s  %s",
				i + 1, pd_V(d, s->action), pd_V(d, s->pattern),
				s->seed[0] ? " 种子 0x" : "", s->seed, s->bytes, s->ms / 1000.0,
				s->completed ? "已完成" : "未完成",
				!s->verified ? "未验证" : bad ? "已验证, 有不符" : "已验证, 不符 0");
		else
			pd_dfmt(buf, sizeof(buf), "%zu. %s %s%s%s  %" PRIu64 " bytes  %.1f s  %s  %s%s",
				i + 1, s->action, s->pattern, s->seed[0] ? " seed 0x" : "", s->seed,
				s->bytes, s->ms / 1000.0, s->completed ? "completed" : "NOT COMPLETED",
				s->verified ? "verified, mismatches " : "not verified",
				s->verified ? (bad ? "SOME" : "0") : "");
		pd_row(d, L_PASS, buf);
	}
	if (shown < r->nsteps) {
		pd_dfmt(buf, sizeof(buf), "+ %zu %s", r->nsteps - shown, pd_L(d, L_MORE));
		pd_row(d, L_PASS, buf);
	}
}

void pd_cert_erase_steps(struct doc *d, const struct cert_record *r)
{
	char buf[600], hx[200];
	size_t i, shown;

	if (d->layout >= PD_LAYOUT_3) {
		form_steps(d, r);
		return;
	}
	pd_row2(d, L_METHOD_TYPE, r->nist_method_type, L_METHOD_USED, r->nist_method_used);
	pd_dfmt(buf, sizeof(buf), "%s / %s", r->ieee_method, r->ieee_technique);
	pd_dfmt(hx, sizeof(hx), "%s %s", r->tool, r->tool_version);
	pd_row2(d, L_IEEE, buf, L_TOOL, hx);
	pd_row(d, L_DETAILS, r->method_details);
	pd_row(d, L_COMMAND, r->command);
	/* Layout 3 writes a seed as every screen does: 0x and the record's 16 hex digits. */
	pd_dfmt(buf, sizeof(buf), "%s (%s), master seed %s%s, PRNG %s", r->method, r->method_title,
		r->seed[0] && d->layout >= PD_LAYOUT_3 ? "0x" : "", r->seed[0] ? r->seed : "-",
		r->prng[0] ? r->prng : "-");
	pd_row(d, L_STEPS, buf);
	shown = r->nsteps > 6 ? 5 : r->nsteps;
	for (i = 0; i < shown; i++) {
		const struct cert_step *s = &r->steps[i];

		pd_dfmt(buf, sizeof(buf), "%zu. %s %s%s%s  %" PRIu64 " bytes  %.1f s  %s  %s%s",
			i + 1, s->action, s->pattern,
			s->seed[0] ? d->layout >= PD_LAYOUT_3 ? " seed 0x" : " seed " : "", s->seed, s->bytes,
			s->ms / 1000.0, s->completed ? "completed" : "NOT COMPLETED",
			s->verified ? "verified, mismatches " : "not verified",
			s->verified ? (s->verify_mismatches + s->verify_read_errors ? "SOME" : "0")
				    : "");
		pd_row(d, L_PASS, buf);
	}
	if (shown < r->nsteps) {
		pd_dfmt(buf, sizeof(buf), "+ %zu %s", r->nsteps - shown, pd_L(d, L_MORE));
		pd_row(d, L_PASS, buf);
	}
}

/* Section 3: how the medium was sanitized or destroyed, how verified, when. */
static void draw_sanitization(struct doc *d, const struct cert_record *r)
{
	char buf[600], t1[32], t2[32], hx[200];

	pd_section(d, L_SANIT);
	if (r->kind == CERT_KIND_DESTROY) {
		pd_row2(d, L_METHOD_TYPE, r->nist_method_type, L_TECHNIQUE, r->destroy_technique);
		pd_row(d, L_DETAILS, r->destroy_details);
		/* Nothing was read back: coverage and block counts do not apply. */
		pd_row2(d, L_VERIFY, r->verification_method, L_POST_CLASS,
			r->origin.post_classification);
	} else {
		pd_cert_erase_steps(d, r);
		if (r->verify_mode[0])
			pd_dfmt(buf, sizeof(buf), "%s (%s)", r->verification_method, r->verify_mode);
		else
			pd_dfmt(buf, sizeof(buf), "%s", r->verification_method);
		pd_dfmt(hx, sizeof(hx), "%u.%04u %%, %" PRIu64 " samples",
			r->verify_coverage_ppm / 10000, r->verify_coverage_ppm % 10000,
			r->verify_samples);
		pd_row2(d, L_VERIFY, buf, L_COVERAGE, hx);
		pd_dfmt(buf, sizeof(buf), "%" PRIu64 " / %" PRIu64, r->bad.total, r->mismatch.total);
		pd_row2(d, L_ERRORS, buf, L_POST_CLASS, r->origin.post_classification);
	}
	pd_dfmt(buf, sizeof(buf), "%s  to  %s  (%.1f s)", cert_time_str(r->start, t1, sizeof(t1)),
		cert_time_str(r->end, t2, sizeof(t2)), r->duration_ms / 1000.0);
	pd_row(d, L_TIME, buf);
	if (r->reason[0])
		pd_row(d, L_REASON, r->reason);
	pd_row(d, L_NOTES, r->notes);
}

/* Sections 4 to 6: destination, the operator's signature, the witness. */
static void draw_signatures(struct doc *d, const struct cert_record *r)
{
	char buf[600];

	pd_section(d, L_DEST);
	d->y -= 13;
	pd_checkbox(d, ML + 2, r->destination == CERT_DEST_INTERNAL_REUSE, pd_L(d, L_D_INT));
	pd_checkbox(d, ML + 88, r->destination == CERT_DEST_EXTERNAL_REUSE, pd_L(d, L_D_EXT));
	pd_checkbox(d, ML + 176, r->destination == CERT_DEST_RECYCLING, pd_L(d, L_D_REC));
	pd_checkbox(d, ML + 272, r->destination == CERT_DEST_DESTRUCTION, pd_L(d, L_D_DESTR));
	pd_checkbox(d, ML + 348, r->destination == CERT_DEST_MANUFACTURER, pd_L(d, L_D_MANU));
	pd_checkbox(d, ML + 430, r->destination == CERT_DEST_OTHER, pd_L(d, L_D_OTHER));
	pd_row(d, L_DEST_DETAILS, r->destination_details);

	pd_section(d, L_SIGNATURE);
	d->y -= 11;
	pd_text(d, d->reg, 7.5f, ML + 2, d->y, MR - ML - 4, pd_L(d, L_ATTEST));
	d->y -= 2;
	pd_dfmt(buf, sizeof(buf), "%s%s%s", r->people.operator_.name,
		r->people.operator_.title[0] ? ", " : "", r->people.operator_.title);
	pd_sign_lines(d);
	pd_text(d, d->reg, 6.5f, ML + 62, d->y - 8, 260, buf);
	d->y -= 6;

	pd_section(d, L_VALIDATION);
	pd_person(d, &r->people.witness);
	pd_row(d, L_PHONE, r->people.witness.phone);
	pd_sign_lines(d);
	if (d->layout == PD_LAYOUT_1) {
		d->y -= 6;
		return;
	}
	pd_text(d, d->reg, 6.5f, ML + 62, d->y - 8, 260, r->people.witness.name);
	d->y -= 12;
}

/*
 * The ledger proof: the chain data, and beside it the QR code carrying them
 * with the signature (certs/qrcode.h). The code has a column of its own and
 * its quiet zone, so no bar or border runs through it.
 */
void pd_cert_proof(struct doc *d, const struct cert_record *r, const struct cert_entry *e)
{
	char buf[600], hx[2 * CERT_SIG_LEN + 1], fp[CERT_FP_HEX];
	float top, size, w = d->layout == PD_LAYOUT_1 ? MR - ML : MR - ML - QR_COL;

	pd_section(d, d->layout >= PD_LAYOUT_3 ? L_PROOF3 : L_PROOF);
	top = d->y - 1;
	pd_dfmt(buf, sizeof(buf), "%" PRIu64, e->seq);
	pd_row_mono(d, L_POSITION, buf, w);
	cert_hex(e->hash, CERT_HASH_LEN, hx);
	pd_row_mono(d, L_HASH, hx, w);
	cert_hex(e->prev, CERT_HASH_LEN, hx);
	pd_row_mono(d, L_PREV, hx, w);
	cert_hex(e->sig, CERT_SIG_LEN, hx);
	memcpy(buf, hx, 64);
	buf[64] = '\0';
	pd_row_mono(d, L_SIG, buf, w);
	pd_row_mono(d, L_SIG, hx + 64, w);
	cert_fingerprint(e->pub, fp);
	pd_row_mono(d, L_FP, fp, w);
	if (d->layout == PD_LAYOUT_1) {
		pd_text(d, d->reg, 6.5f, ML, 34, MR - ML, pd_L(d, L_FOOTER));
		return;
	}
	/* Which custody held the key that signed: a TPM of the station PC, or a demo key file. */
	d->y -= 12;
	pd_field_at(d, ML, w, 100, pd_L(d, L_CUSTODY),
		    cert_custody_record_str(r, d->zh, buf, sizeof(buf)), NULL, 8);
	pd_text(d, d->reg, 6.5f, ML + 2, d->y - 10, w - 4, pd_L(d, L_SCAN));
	/* As large as the room above the footer allows, at most the column. */
	size = top - 44 < QR_COL - 4 ? top - 44 : QR_COL - 4;
	if (cert_qr_text(e, r->cert_no, buf, sizeof(buf)) || pd_qr(d, buf, MR - size, top, size, true))
		d->status = d->status ? d->status : HPDF_INVALID_PARAMETER;
	pd_text(d, d->reg, 6.5f, ML, 34, MR - ML, pd_L(d, L_FOOTER));
}

/* The whole certificate page for record @r. */
static void draw_cert(struct doc *d, const struct cert_record *r, const struct cert_entry *e)
{
	if (d->layout >= PD_LAYOUT_3) {
		pd_cert_form(d, r, e);
		return;
	}
	pd_cert_header(d, r, e);
	draw_media(d, r);
	draw_sanitization(d, r);
	draw_signatures(d, r);
	pd_cert_proof(d, r, e);
}

int cert_pdf_render(const struct cert_entry *e, const char *lang, struct cbuf *out, char *err,
		    size_t errlen)
{
	return pd_cert_render(e, lang, PD_LAYOUT_CURRENT, out, err, errlen);
}

/*
 * Lay out the certificate of @r once, with fonts made as @fonts says; the
 * collecting pass (PD_FONTS_COLLECT) only fills @glyphs, the others save
 * the document into @out.
 */
static int render_pass(const struct cert_entry *e, const struct cert_record *r, const char *lang,
		       int layout, const struct cbuf *bundle, enum pd_fonts fonts,
		       struct pd_glyphs *glyphs, struct cbuf *out, char *err, size_t errlen)
{
	struct doc d = { .layout = layout, .fonts = fonts, .glyphs = glyphs };
	int rc;

	d.pdf = HPDF_New(pd_on_error, &d);
	if (!d.pdf)
		return -ENOMEM;
	HPDF_SetCompressionMode(d.pdf, HPDF_COMP_ALL);
	if ((rc = pd_load_fonts(&d, lang, pd_non_ascii(e->canon), err, errlen)))
		goto out;
	HPDF_SetInfoAttr(d.pdf, HPDF_INFO_TITLE, r->cert_no);
	HPDF_SetInfoAttr(d.pdf, HPDF_INFO_CREATOR, "Tabula " PACKAGE_VERSION);
	draw_cert(&d, r, e);
	if (fonts == PD_FONTS_COLLECT)
		goto out;
	if (!d.status && (rc = pd_embed(&d, BUNDLE_NAME, "Signed Tabula record", bundle->p,
					bundle->len))) {
		pd_dfmt(err, errlen, "cannot embed the record");
		goto out;
	}
	if ((rc = pd_fonts_finish(&d))) {
		pd_dfmt(err, errlen, "cannot write the fonts' ToUnicode maps");
		goto out;
	}
	rc = pd_save(&d, out, "cert_pdf_render", err, errlen);
out:
	HPDF_Free(d.pdf);
	return rc;
}

int pd_cert_render(const struct cert_entry *e, const char *lang, int layout, struct cbuf *out,
		   char *err, size_t errlen)
{
	struct pd_glyphs *glyphs = NULL;
	struct cert_record *r = NULL;
	struct cj *rec = NULL;
	struct cbuf bundle = { 0 };
	int rc;

	if (!cert_lang_ok(lang)) {
		pd_dfmt(err, errlen, "unknown language \"%s\" (en or zh)", lang);
		return -EINVAL;
	}
	r = cert_record_new();
	if (!r)
		return -ENOMEM;
	if ((rc = cj_parse_canonical(e->canon, e->canon_len, &rec, err, errlen)) ||
	    (rc = cert_record_from_cj(rec, r, err, errlen)))
		goto out;
	if ((rc = make_bundle(e, rec, lang, layout, &bundle)))
		goto out;
	if (layout < PD_LAYOUT_3) {
		rc = render_pass(e, r, lang, layout, &bundle, PD_FONTS_REFERENCED, NULL, out, err,
				 errlen);
		goto out;
	}
	/* Embedded subsets: the glyphs are those the page draws, so it is laid out twice. */
	rc = -ENOMEM;
	if (!(glyphs = calloc(1, sizeof(*glyphs))))
		goto out;
	if (!(rc = render_pass(e, r, lang, layout, &bundle, PD_FONTS_COLLECT, glyphs, NULL, err,
			       errlen)))
		rc = render_pass(e, r, lang, layout, &bundle, PD_FONTS_EMBED, glyphs, out, err, errlen);
out:
	free(glyphs);
	cbuf_done(&bundle);
	cj_free(rec);
	cert_record_free(r);
	return rc;
}

int cert_pdf_extract(const char *pdf, size_t len, struct cert_entry *e, char *lang, char *err,
		     size_t errlen)
{
	int layout;

	return pd_cert_extract(pdf, len, e, lang, &layout, err, errlen);
}

int pd_cert_extract(const char *pdf, size_t len, struct cert_entry *e, char *lang, int *layout,
		    char *err, size_t errlen)
{
	const char *p = memmem(pdf, len, BUNDLE_MARK, strlen(BUNDLE_MARK));
	const struct cj *chain, *rec, *v;
	struct cj *top = NULL;
	struct cbuf rb = { 0 };
	size_t used;
	int rc;

	memset(e, 0, sizeof(*e));
	if (!p) {
		pd_dfmt(err, errlen, "no embedded Tabula record in the file");
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
	*layout = 0;
	if (v && v->type == CJ_STR)
		*layout = !strcmp(v->s, CERT_BUNDLE_FORMAT_1) ? PD_LAYOUT_1 :
			  !strcmp(v->s, CERT_BUNDLE_FORMAT_2) ? PD_LAYOUT_2 :
			  !strcmp(v->s, CERT_BUNDLE_FORMAT) ? PD_LAYOUT_3 : 0;
	if (!v || v->type != CJ_STR || !*layout || !chain || !rec ||
	    top->n != 4) {
		pd_dfmt(err, errlen, "the embedded bundle is not a %s", CERT_BUNDLE_FORMAT);
		goto out;
	}
	v = cj_get(top, "lang");
	if (!v || v->type != CJ_STR || !cert_lang_ok(v->s)) {
		pd_dfmt(err, errlen, "the embedded bundle names no known language");
		goto out;
	}
	strcpy(lang, v->s);
	v = cj_get(chain, "seq");
	if (!v || v->type != CJ_INT || v->neg || chain->n != 6) {
		pd_dfmt(err, errlen, "the embedded chain data is malformed");
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
		pd_dfmt(err, errlen, "the embedded chain data is malformed");
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


int cert_pdf_render_issued(struct cert_ledger *l, const struct cert_entry *e, const char *lang,
			   struct cbuf *out, char *err, size_t errlen)
{
	static const int layouts[] = { PD_LAYOUT_CURRENT, PD_LAYOUT_2, PD_LAYOUT_1 };
	uint8_t have[CERT_HASH_LEN], sha[CERT_HASH_LEN];
	size_t i;
	int rc;

	if (!l || cert_ledger_pdf_get(l, e->fp, e->seq, lang, have) != 0)
		return pd_cert_render(e, lang, PD_LAYOUT_CURRENT, out, err, errlen);
	for (i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++) {
		if ((rc = pd_cert_render(e, lang, layouts[i], out, err, errlen)))
			return rc;
		cert_sha256(out->p, out->len, sha);
		if (!memcmp(sha, have, CERT_HASH_LEN))
			return 0;
	}
	rc = pd_cert_render(e, lang, PD_LAYOUT_CURRENT, out, err, errlen);
	return rc ? rc : 1;
}
