/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The period register: every record of a period, each station's chain head,
 * signed. The register is drawn from its content alone (a canonical JSON
 * object, embedded in the file), so a verifier re-renders it from the
 * signed content and compares the bytes, as for certificates.
 */
#include "config.h"

#include "certs/pdf.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>

#include "certs/chain.h"
#include "certs/ledger-impl.h"
#include "certs/pdf/pdf-impl.h"
#include "certs/record.h"
#include "certs/trust.h"
#include "wiper/base/base.h"

#define REG_NAME "tabula-register.json"
#define REG_MARK "{\"register\":{"

/* Gathering the content from a ledger. */
struct gather {
	struct cert_ledger *l;
	struct cert_record *r;
	struct cj *rows, *heads;
	char *err;
	size_t errlen;
};

/* Add string @v under @k to @o unless a previous add failed. */
static int put_s(struct cj *o, const char *k, const char *v, int rc)
{
	return rc ? rc : cj_add(o, k, cj_str(v));
}

/* One row per record of the period, from its signed content. */
static int gather_row(const struct cert_entry *e, void *arg)
{
	struct gather *g = arg;
	char t[32], hx[2 * CERT_HASH_LEN + 1], err[256];
	struct cj *o;
	int rc = 0;

	if (cert_record_decode(e->canon, e->canon_len, g->r, err, sizeof(err))) {
		pd_dfmt(g->err, g->errlen, "record %" PRIu64 ": %s", e->seq, err);
		return -EINVAL;
	}
	if (!(o = cj_new(CJ_OBJ)))
		return -ENOMEM;
	cert_hex(e->hash, CERT_HASH_LEN, hx);
	rc = put_s(o, "cert_no", g->r->cert_no, rc);
	rc = put_s(o, "end", cert_time_str(g->r->end, t, sizeof(t)), rc);
	rc = put_s(o, "serial", g->r->serial, rc);
	rc = put_s(o, "model", g->r->model, rc);
	rc = put_s(o, "method", g->r->kind == CERT_KIND_DESTROY ? g->r->destroy_technique :
				g->r->method, rc);
	rc = put_s(o, "result", cert_result_str(g->r->result), rc);
	rc = put_s(o, "operator", g->r->people.operator_.name, rc);
	rc = put_s(o, "witness", g->r->people.witness.name, rc);
	rc = put_s(o, "station", g->r->key_fingerprint, rc);
	rc = put_s(o, "hash", hx, rc);
	/* Format 2: what the 保密 office's register holds, and the day as the station saw it. */
	{
		const struct cert_people *p = &g->r->people;
		char day[16], sup[2 * CERT_STR + 8];
		int32_t off = g->r->version >= 3 ? g->r->utc_offset : cert_utc_offset(g->r->end);

		pd_dfmt(sup, sizeof(sup), "%s%s%s", p->witness.name,
			p->witness.name[0] && p->supervisor2.name[0] ? "; " : "",
			p->supervisor2.name);
		rc = put_s(o, "day", cert_date_local_str(g->r->end, off, day, sizeof(day)), rc);
		rc = put_s(o, "kind", cert_kind_str(g->r->kind), rc);
		rc = put_s(o, "carrier_no", g->r->origin.carrier_no, rc);
		rc = put_s(o, "asset", g->r->origin.property_number, rc);
		rc = put_s(o, "type", g->r->media_type, rc);
		rc = put_s(o, "classification", g->r->origin.classification, rc);
		rc = put_s(o, "method_title", g->r->kind == CERT_KIND_DESTROY ?
			   g->r->destroy_technique : g->r->method_title[0] ? g->r->method_title :
			   g->r->method, rc);
		rc = put_s(o, "nist", g->r->nist_method_type, rc);
		rc = put_s(o, "supervisors", sup, rc);
		rc = put_s(o, "approver", p->approver.name, rc);
		rc = put_s(o, "approval", g->r->origin.approval_ref, rc);
	}
	if (!rc)
		rc = cj_add(o, "seq", cj_u64(e->seq));
	if (rc) {
		cj_free(o);
		return rc;
	}
	return cj_add(g->rows, NULL, o);
}

/* Each station's chain head, in fingerprint order. */
static int gather_head(const char *fp, const uint8_t pub[CERT_PUB_LEN], const char *station_id,
		       void *arg)
{
	struct gather *g = arg;
	char hx[2 * CERT_HASH_LEN + 1];
	uint8_t hash[CERT_HASH_LEN];
	uint64_t seq;
	struct cj *o;
	int rc;

	(void)pub;
	if ((rc = cert_ledger_head(g->l, fp, &seq, hash)))
		return rc == -ENOENT ? 0 : rc;
	if (!seq)
		return 0;
	if (!(o = cj_new(CJ_OBJ)))
		return -ENOMEM;
	cert_hex(hash, CERT_HASH_LEN, hx);
	rc = put_s(o, "station", fp, 0);
	rc = put_s(o, "hash", hx, rc);
	rc = put_s(o, "station_id", station_id ? station_id : "", rc);
	if (!rc)
		rc = cj_add(o, "seq", cj_u64(seq));
	if (rc) {
		cj_free(o);
		return rc;
	}
	return cj_add(g->heads, NULL, o);
}

/* The register's content for [@from, @to) of @l, signed by @k (NULL: none). */
static int gather(struct cert_ledger *l, struct cert_key *k, int64_t from, int64_t to,
		  const char *lang, const struct cert_verify *v, struct cj **out, char *err,
		  size_t errlen)
{
	struct gather g = { l, cert_record_new(), cj_new(CJ_ARR), cj_new(CJ_ARR), err, errlen };
	struct cj *c = cj_new(CJ_OBJ), *signer = NULL;
	char t[32], fp[CERT_FP_HEX], hx[2 * CERT_PUB_LEN + 1];
	uint8_t pub[CERT_PUB_LEN];
	int rc = 0;

	*out = NULL;
	if (!g.r || !g.rows || !g.heads || !c) {
		rc = -ENOMEM;
		goto out;
	}
	if ((rc = cert_ledger_each(l, from, to, NULL, gather_row, &g)) ||
	    (rc = cert_ledger_each_station(l, gather_head, &g)))
		goto out;
	if (k) {
		signer = cj_new(CJ_OBJ);
		cert_key_public(k, pub);
		cert_fingerprint(pub, fp);
		cert_hex(pub, CERT_PUB_LEN, hx);
		rc = put_s(signer, "fingerprint", fp, 0);
		rc = put_s(signer, "public_key", hx, rc);
	} else {
		signer = cj_new(CJ_NULL);
	}
	rc = put_s(c, "format", CERT_REGISTER_FORMAT, rc);
	rc = put_s(c, "lang", lang, rc);
	rc = put_s(c, "from", cert_time_str(from, t, sizeof(t)), rc);
	rc = put_s(c, "to", cert_time_str(to, t, sizeof(t)), rc);
	/* The period as the station's people name it: local days (its end not included). */
	{
		char lf[40], lt[40], o[16];
		int32_t off_from = cert_utc_offset(from), off_to = cert_utc_offset(to);

		rc = put_s(c, "from_local", cert_time_local_str(from, off_from, lf, sizeof(lf)), rc);
		rc = put_s(c, "to_local", cert_time_local_str(to, off_to, lt, sizeof(lt)), rc);
		rc = put_s(c, "utc_offset", cert_offset_str(off_from, o, sizeof(o)), rc);
		rc = put_s(c, "last_day", cert_date_local_str(to - 1, cert_utc_offset(to - 1), lt,
							      sizeof(lt)), rc);
	}
	if (!rc)
		rc = cj_add(c, "ledger_records", cj_u64(v->records));
	if (!rc) {
		rc = cj_add(c, "signer", signer);
		signer = NULL;
	}
	if (!rc) {
		rc = cj_add(c, "rows", g.rows);
		g.rows = NULL;
	}
	if (!rc) {
		rc = cj_add(c, "heads", g.heads);
		g.heads = NULL;
	}
	if (!rc) {
		*out = c;
		c = NULL;
	}
out:
	cj_free(signer);
	cj_free(c);
	cj_free(g.rows);
	cj_free(g.heads);
	cert_record_free(g.r);
	return rc;
}

/* Drawing the register from its content. */
struct reg {
	struct doc d;
	const struct cj *c;
	unsigned page;
};

static const float reg_cols[] = { 0, 20, 98, 144, 216, 292, 354, 410, 467 };
#define REG_NCOLS 9

/* Member @k of @o as a string ("" when it is not one). */
static const char *S(const struct cj *o, const char *k)
{
	const struct cj *v = cj_get(o, k);

	return v && v->type == CJ_STR ? v->s : "";
}

/* Member @k of @o as an integer (0 when it is not one). */
static uint64_t U(const struct cj *o, const char *k)
{
	const struct cj *v = cj_get(o, k);

	return v && v->type == CJ_INT && !v->neg ? v->u : 0;
}

/*
 * "Period (UTC): 2026-11-01 to 2026-11-30" when the period is whole days
 * (its end is exclusive: the last day shown is the one before), else the
 * two times with the end marked as not included.
 */
static void reg_period(const struct cj *c, const char *label, char *buf, size_t len)
{
	int64_t from, to;
	char last[32];

	if (!cert_time_parse(S(c, "from"), &from) && !cert_time_parse(S(c, "to"), &to) &&
	    from % 86400 == 0 && to % 86400 == 0 && to > from) {
		cert_time_str(to - 86400, last, sizeof(last));
		pd_dfmt(buf, len, "%s: %.10s  to  %.10s", label, S(c, "from"), last);
	} else {
		pd_dfmt(buf, len, "%s: %s  to  %s (end not included)", label, S(c, "from"),
			S(c, "to"));
	}
}

/* Start a register page with its header and column titles. */
static void reg_page(struct reg *g)
{
	char buf[200], cols[200], *c, *save = NULL;
	int i = 0;

	g->d.page = HPDF_AddPage(g->d.pdf);
	HPDF_Page_SetSize(g->d.page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
	g->page++;
	g->d.y = PH - 50;
	pd_text(&g->d, g->d.bold, 13, ML - 10, g->d.y, 0, pd_L(&g->d, L_REG_TITLE));
	reg_period(g->c, pd_L(&g->d, L_PERIOD), buf, sizeof(buf));
	pd_text(&g->d, g->d.reg, 8, ML - 10, g->d.y - 13, 0, buf);
	pd_dfmt(buf, sizeof(buf), "%s %u", pd_L(&g->d, L_PAGE), g->page);
	pd_text(&g->d, g->d.reg, 8, MR - 30, g->d.y, 0, buf);
	pd_text(&g->d, g->d.reg, 6, ML - 10, 30, MR - ML + 20, pd_L(&g->d, L_REG_FOOTER));
	g->d.y -= 32;
	pd_dfmt(cols, sizeof(cols), "%s", pd_L(&g->d, L_REG_COLS));
	for (c = strtok_r(cols, "|", &save); c && i < REG_NCOLS; c = strtok_r(NULL, "|", &save))
		pd_text(&g->d, g->d.bold, 7, ML - 10 + reg_cols[i++], g->d.y, 0, c);
	HPDF_Page_SetLineWidth(g->d.page, 0.6f);
	HPDF_Page_MoveTo(g->d.page, ML - 10, g->d.y - 3);
	HPDF_Page_LineTo(g->d.page, MR + 10, g->d.y - 3);
	HPDF_Page_Stroke(g->d.page);
	g->d.y -= 13;
}

/* One line per record. */
static void reg_line(struct reg *g, const struct cj *row, size_t n)
{
	char no[24], date[16];
	const char *cells[REG_NCOLS];
	int i;

	if (g->d.y < 70)
		reg_page(g);
	pd_dfmt(no, sizeof(no), "%zu", n);
	pd_dfmt(date, sizeof(date), "%.10s", S(row, "end"));
	cells[0] = no;
	cells[1] = S(row, "cert_no");
	cells[2] = date;
	cells[3] = S(row, "serial");
	cells[4] = S(row, "model");
	cells[5] = S(row, "method");
	cells[6] = S(row, "result");
	cells[7] = S(row, "operator");
	cells[8] = S(row, "witness");
	for (i = 0; i < REG_NCOLS; i++) {
		float w = (i + 1 < REG_NCOLS ? reg_cols[i + 1] : MR - ML + 15) - reg_cols[i] - 3;

		pd_text(&g->d, i == 6 ? g->d.bold : g->d.reg, 7, ML - 10 + reg_cols[i], g->d.y, w,
			cells[i][0] ? cells[i] : "-");
	}
	HPDF_Page_SetLineWidth(g->d.page, 0.2f);
	HPDF_Page_MoveTo(g->d.page, ML - 10, g->d.y - 3);
	HPDF_Page_LineTo(g->d.page, MR + 10, g->d.y - 3);
	HPDF_Page_Stroke(g->d.page);
	g->d.y -= 11;
}

/* The closing block: count, each station's chain head, the signature, sign lines. */
static void reg_close(struct reg *g, const struct cj *rows, const struct cj *heads,
		      const char *sig_hex)
{
	const struct cj *signer = cj_get(g->c, "signer");
	char buf[300];
	size_t i, need = 70 + 24 * (heads ? heads->n : 0) + (sig_hex[0] ? 40 : 12);

	g->d.y -= 10;
	if (g->d.y < 40 + (float)need)
		reg_page(g);
	pd_dfmt(buf, sizeof(buf), "%s: %zu   (%s: %" PRIu64 ")", pd_L(&g->d, L_COUNT),
		rows ? rows->n : 0, pd_L(&g->d, L_IN_LEDGER), U(g->c, "ledger_records"));
	pd_text(&g->d, g->d.bold, 8, ML - 10, g->d.y, 0, buf);
	g->d.y -= 14;
	pd_text(&g->d, g->d.bold, 8, ML - 10, g->d.y, 0, pd_L(&g->d, L_HEADS));
	for (i = 0; heads && i < heads->n; i++) {
		const struct cj *h = heads->items[i];

		pd_dfmt(buf, sizeof(buf), "%s %.16s  %s %" PRIu64, pd_L(&g->d, L_STATION),
			S(h, "station"), pd_L(&g->d, L_POSITION), U(h, "seq"));
		pd_text(&g->d, g->d.reg, 7.5f, ML - 4, g->d.y - 11, 0, buf);
		pd_text(&g->d, g->d.mono, 7, ML + 4, g->d.y - 21, 0, S(h, "hash"));
		g->d.y -= 22;
	}
	g->d.y -= 14;
	if (signer && signer->type == CJ_OBJ && sig_hex[0]) {
		pd_dfmt(buf, sizeof(buf), "%s %s", pd_L(&g->d, L_REG_SIGNED),
			S(signer, "fingerprint"));
		pd_text(&g->d, g->d.bold, 7.5f, ML - 10, g->d.y, MR - ML + 20, buf);
		pd_text(&g->d, g->d.mono, 6.5f, ML - 4, g->d.y - 10, 0, sig_hex);
		g->d.y -= 24;
	} else {
		HPDF_Page_SetRGBFill(g->d.page, 0.7f, 0, 0);
		pd_text(&g->d, g->d.bold, 8, ML - 10, g->d.y, MR - ML + 20,
			pd_L(&g->d, L_REG_UNSIGNED));
		HPDF_Page_SetRGBFill(g->d.page, 0, 0, 0);
		g->d.y -= 12;
	}
	g->d.y -= 16;
	pd_sign_lines(&g->d);
}

/*
 * Lay out the register of content @c once, with fonts made as @fonts says;
 * the collecting pass only fills @glyphs, the others save into @out.
 */
static int reg_pass(const struct cj *c, const char *sig_hex, const struct cbuf *bundle,
		    enum pd_fonts fonts, struct pd_glyphs *glyphs, struct cbuf *out, char *err,
		    size_t errlen)
{
	const struct cj *rows = cj_get(c, "rows"), *heads = cj_get(c, "heads");
	struct reg g = { .c = c, .d = { .fonts = fonts, .glyphs = glyphs } };
	size_t i;
	int rc;

	g.d.pdf = HPDF_New(pd_on_error, &g.d);
	if (!g.d.pdf)
		return -ENOMEM;
	HPDF_SetCompressionMode(g.d.pdf, HPDF_COMP_ALL);
	HPDF_SetInfoAttr(g.d.pdf, HPDF_INFO_CREATOR, "Tabula " PACKAGE_VERSION);
	/* As for certificates: the CJK font only when the text needs it, so re-rendering elsewhere matches. */
	if ((rc = pd_load_fonts(&g.d, S(c, "lang"), pd_non_ascii(bundle->p), err, errlen)))
		goto out;
	if (strcmp(S(c, "format"), CERT_REGISTER_FORMAT_1)) {
		pd_register_form(&g.d, c, sig_hex);
	} else {
		reg_page(&g);
		for (i = 0; i < rows->n; i++)
			reg_line(&g, rows->items[i], i + 1);
		reg_close(&g, rows, heads, sig_hex);
	}
	if (fonts == PD_FONTS_COLLECT)
		goto out;
	if (!g.d.status && pd_embed(&g.d, REG_NAME, "Signed Tabula register", bundle->p,
				    bundle->len)) {
		pd_dfmt(err, errlen, "cannot embed the content");
		rc = -EIO;
		goto out;
	}
	if ((rc = pd_fonts_finish(&g.d))) {
		pd_dfmt(err, errlen, "cannot write the fonts' ToUnicode maps");
		goto out;
	}
	rc = pd_save(&g.d, out, "cert_pdf_register", err, errlen);
out:
	HPDF_Free(g.d.pdf);
	return rc;
}

/* Render content @c with signature @sig_hex ("" unsigned) into @out. */
static int reg_render(const struct cj *c, const char *sig_hex, struct cbuf *out, char *err,
		      size_t errlen)
{
	const struct cj *rows = cj_get(c, "rows"), *heads = cj_get(c, "heads");
	struct pd_glyphs *glyphs = NULL;
	struct cj *bundle = NULL, *copy = NULL;
	struct cbuf b = { 0 };
	int rc;

	if (!cert_lang_ok(S(c, "lang")) || !rows || rows->type != CJ_ARR || !heads ||
	    heads->type != CJ_ARR) {
		pd_dfmt(err, errlen, "the register's content is malformed");
		return -EINVAL;
	}
	/* The bundle: {"register": content, "signature": hex}. */
	if ((rc = cj_encode(c, &b)) || (rc = cj_parse(b.p, b.len, &copy, NULL, NULL, 0)))
		goto out;
	b.len = 0;
	bundle = cj_new(CJ_OBJ);
	rc = cj_add(bundle, "register", copy);
	copy = NULL;
	if (!rc)
		rc = cj_add(bundle, "signature", cj_str(sig_hex));
	if (rc || (rc = cj_encode(bundle, &b)))
		goto out;
	/* The first format keeps its referenced fonts; since then the page is laid out twice. */
	if (!strcmp(S(c, "format"), CERT_REGISTER_FORMAT_1)) {
		rc = reg_pass(c, sig_hex, &b, PD_FONTS_REFERENCED, NULL, out, err, errlen);
		goto out;
	}
	rc = -ENOMEM;
	if (!(glyphs = calloc(1, sizeof(*glyphs))))
		goto out;
	if (!(rc = reg_pass(c, sig_hex, &b, PD_FONTS_COLLECT, glyphs, NULL, err, errlen)))
		rc = reg_pass(c, sig_hex, &b, PD_FONTS_EMBED, glyphs, out, err, errlen);
out:
	free(glyphs);
	cj_free(copy);
	cj_free(bundle);
	cbuf_done(&b);
	return rc;
}

/* SHA-256 of the canonical encoding of @c. */
static int content_hash(const struct cj *c, uint8_t h[CERT_HASH_LEN])
{
	struct cbuf b = { 0 };
	int rc = cj_encode(c, &b);

	if (!rc)
		cert_sha256(b.p, b.len, h);
	cbuf_done(&b);
	return rc;
}

int cert_pdf_register_key(struct cert_ledger *l, struct cert_key *k, int64_t from, int64_t to,
			  const char *lang, struct cbuf *out, char *err, size_t errlen)
{
	char sig_hex[2 * CERT_SIG_LEN + 1] = "";
	uint8_t h[CERT_HASH_LEN], sig[CERT_SIG_LEN];
	struct cert_verify v;
	struct cj *c = NULL;
	int rc;

	if (!cert_lang_ok(lang)) {
		pd_dfmt(err, errlen, "unknown language \"%s\"", lang);
		return -EINVAL;
	}
	/* A register is only made of a ledger that verifies. */
	rc = cert_ledger_verify(l, 0, &v);
	if (rc) {
		pd_dfmt(err, errlen, "the ledger does not verify: record %" PRIu64 ": %s", v.bad_seq,
			v.reason);
		return rc > 0 ? -EBADMSG : rc;
	}
	if ((rc = gather(l, k, from, to, lang, &v, &c, err, errlen)))
		goto out;
	if (k) {
		if ((rc = content_hash(c, h)) || (rc = cert_sign(k, h, sig))) {
			pd_dfmt(err, errlen, "cannot sign the register");
			goto out;
		}
		cert_hex(sig, CERT_SIG_LEN, sig_hex);
	}
	rc = reg_render(c, sig_hex, out, err, errlen);
out:
	cj_free(c);
	return rc;
}

int cert_pdf_register(struct cert_ledger *l, int64_t from, int64_t to, const char *lang,
		      struct cbuf *out, char *err, size_t errlen)
{
	struct cert_key *k = NULL;
	char path[4096], own[CERT_FP_HEX] = "", fp[CERT_FP_HEX];
	int rc, n;

	/* The station's own key signs, when this is a station ledger with its key at hand. */
	n = snprintf(path, sizeof(path), "%s.key", cert_ledger_path(l));
	if (n > 0 && (size_t)n < sizeof(path) && ledger_own_fp(l, own) == 0 && own[0] &&
	    cert_key_load(path, false, &k, NULL, NULL, 0) == 0) {
		cert_key_fingerprint(k, fp);
		if (strcmp(fp, own)) {
			cert_key_free(k);
			k = NULL;
		}
	}
	rc = cert_pdf_register_key(l, k, from, to, lang, out, err, errlen);
	cert_key_free(k);
	return rc;
}

bool cert_pdf_is_register(const char *pdf, size_t len)
{
	return memmem(pdf, len, REG_MARK, strlen(REG_MARK)) != NULL;
}

/* Each chain head the paper names must be in @l, unchanged. */
static int heads_in_ledger(const struct cj *heads, struct cert_ledger *l, char *why, size_t len)
{
	struct cert_entry e = { 0 };
	uint8_t h[CERT_HASH_LEN];
	size_t i;
	int rc;

	for (i = 0; i < heads->n; i++) {
		const struct cj *hd = heads->items[i];

		if (cert_unhex(S(hd, "hash"), h, CERT_HASH_LEN))
			return base_errf(why, len, 1, "chain head %zu is malformed", i + 1);
		rc = cert_ledger_get(l, S(hd, "station"), U(hd, "seq"), &e);
		if (rc == -ENOENT)
			return base_errf(why, len, 1, "the ledger holds no record %" PRIu64 " of station %.16s,"
				    " the chain head this register anchors (cut or rolled back)",
				    U(hd, "seq"), S(hd, "station"));
		if (rc)
			return rc;
		rc = memcmp(e.hash, h, CERT_HASH_LEN);
		cert_entry_done(&e);
		if (rc)
			return base_errf(why, len, 1, "record %" PRIu64 " of station %.16s differs from the"
				    " chain head this register anchors (rewritten)", U(hd, "seq"),
				    S(hd, "station"));
	}
	return 0;
}

/* The bundle's content and signature, checked; signer in @info. */
static int reg_check_sig(const struct cj *c, const char *sig_hex, struct cert_register_info *info,
			 char *why, size_t whylen)
{
	const struct cj *signer = cj_get(c, "signer");
	uint8_t pub[CERT_PUB_LEN], sig[CERT_SIG_LEN], h[CERT_HASH_LEN];
	struct cert_key *k = NULL;
	int rc;

	if (!signer || signer->type != CJ_OBJ || !sig_hex[0])
		return base_errf(why, whylen, 1, "the register is not signed");
	if (cert_unhex(S(signer, "public_key"), pub, CERT_PUB_LEN) ||
	    cert_unhex(sig_hex, sig, CERT_SIG_LEN))
		return base_errf(why, whylen, 1, "the register's signature data is malformed");
	cert_fingerprint(pub, info->signer_fp);
	memcpy(info->signer_pub, pub, CERT_PUB_LEN);
	if (strcmp(info->signer_fp, S(signer, "fingerprint")))
		return base_errf(why, whylen, 1, "the signer's key does not match its fingerprint");
	if ((rc = content_hash(c, h)))
		return rc;
	if ((rc = cert_key_from_public(pub, &k)))
		return base_errf(why, whylen, 1, "the signer's key is not an Ed25519 key");
	rc = cert_verify_sig(k, h, sig);
	cert_key_free(k);
	if (rc < 0)
		return rc;
	return rc ? base_errf(why, whylen, 1, "the signature does not verify (content altered or forged)")
		  : 0;
}

int cert_register_verify(const char *pdf, size_t len, struct cert_ledger *l,
			 struct cert_register_info *info, char *why, size_t whylen)
{
	const char *p = memmem(pdf, len, REG_MARK, strlen(REG_MARK));
	const struct cj *c, *sig, *heads, *rows;
	struct cj *top = NULL;
	struct cbuf again = { 0 };
	struct cert_verify v;
	char err[512];
	size_t used;
	int rc;

	memset(info, 0, sizeof(*info));
	if (!p)
		return base_errf(why, whylen, 1, "no embedded Tabula register in the file");
	if (cj_parse(p, len - (size_t)(p - pdf), &top, &used, err, sizeof(err)) ||
	    (cj_free(top), top = NULL, cj_parse_canonical(p, used, &top, err, sizeof(err)))) {
		rc = base_errf(why, whylen, 1, "the embedded register is unreadable: %s", err);
		goto out;
	}
	c = cj_get(top, "register");
	sig = cj_get(top, "signature");
	if (top->n != 2 || !c || c->type != CJ_OBJ || !sig || sig->type != CJ_STR ||
	    (strcmp(S(c, "format"), CERT_REGISTER_FORMAT) &&
	     strcmp(S(c, "format"), CERT_REGISTER_FORMAT_1)) ||
	    !(heads = cj_get(c, "heads")) || heads->type != CJ_ARR ||
	    !(rows = cj_get(c, "rows")) || rows->type != CJ_ARR) {
		rc = base_errf(why, whylen, 1, "the embedded register is not a %s", CERT_REGISTER_FORMAT);
		goto out;
	}
	info->rows = rows->n;
	info->stations = heads->n;
	pd_dfmt(info->from, sizeof(info->from), "%s", S(c, "from"));
	pd_dfmt(info->to, sizeof(info->to), "%s", S(c, "to"));
	if ((rc = reg_check_sig(c, sig->s, info, why, whylen)))
		goto out;
	rc = reg_render(c, sig->s, &again, err, sizeof(err));
	if (rc) {
		rc = rc == -EINVAL ? base_errf(why, whylen, 1, "cannot re-render the register: %s", err) :
			(base_errf(why, whylen, 1, "cannot re-render the register: %s", err), rc);
		goto out;
	}
	if (again.len != len || memcmp(again.p, pdf, len)) {
		rc = base_errf(why, whylen, 1, "the file differs from the register its signed content renders"
			  " to (the visible page was altered)");
		goto out;
	}
	if (l) {
		if ((rc = cert_ledger_verify(l, 0, &v))) {
			rc = base_errf(why, whylen, 1, "the ledger does not verify: record %" PRIu64 ": %s",
				  v.bad_seq, v.reason);
			goto out;
		}
		if ((rc = cert_ledger_holds_station(l, info->signer_fp, info->signer_pub, why, whylen)))
			goto out;
		rc = heads_in_ledger(heads, l, why, whylen);
	}
out:
	cbuf_done(&again);
	cj_free(top);
	return rc;
}
