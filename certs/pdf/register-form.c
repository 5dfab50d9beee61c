/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The register of format 2: what a 保密 office files as its 涉密载体销毁/消除
 * 登记表. A4 landscape; one row per carrier with every cell wrapped, never
 * cut; the header repeated on each page; totals by result; each station's
 * chain head and key fingerprint; the register's signature; the records
 * officer's signing lines. Drawn from the signed content alone.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "certs/pdf/pdf-impl.h"

#include "certs/glossary.h"

/* Landscape A4. */
#define LW 842.0f
#define LH 595.0f
#define LM 28.0f
#define FS 6.5f			/* cell text size */
#define LINE 8.0f		/* cell line height */
#define MAXL 16			/* lines per cell at most */
#define NCOL 13

/* Column widths in points (they sum to LW - 2 * LM); the result column holds "DESTROYED" whole. */
static const float col_w[NCOL] = { 20, 70, 72, 50, 82, 66, 54, 84, 52, 46, 60, 68, 62 };

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

/* One wrapped cell: the byte ranges of its lines. */
struct wrap {
	const char *s;
	size_t off[MAXL], len[MAXL];
	int n;
};

/*
 * Break @s into lines of at most @w points: at the last space that fits,
 * else at the last character that fits (CJK text has no spaces). A cell
 * longer than MAXL lines ends its last line with what fits; the whole text
 * is in the embedded content.
 */
static void wrap_cell(const struct doc *d, HPDF_Font f, const char *s, float w, struct wrap *out)
{
	size_t pos = 0, len = strlen(s);

	out->s = s;
	out->n = 0;
	while (pos < len && out->n < MAXL) {
		size_t k = pd_text_fit(d, f, FS, w, s + pos, len - pos), sp;

		if (k == 0)	/* not even one character fits: it goes alone on its line */
			for (k = 1; pos + k < len && ((unsigned char)s[pos + k] & 0xc0) == 0x80; k++)
				;
		if (pos + k < len) {
			for (sp = k; sp > 0 && s[pos + sp] != ' '; sp--)
				;
			if (sp > 0)
				k = sp;
		}
		out->off[out->n] = pos;
		out->len[out->n++] = k;
		pos += k;
		while (pos < len && s[pos] == ' ')
			pos++;
	}
}

struct form {
	struct doc *d;
	const struct cj *c;
	unsigned page;
	float y;
};

/* "登记期间: 2026-12-02 至 2026-12-02 (UTC+08:00)", or the two instants when not whole days. */
static void period_text(const struct form *g, char *buf, size_t len)
{
	const char *from = S(g->c, "from_local"), *to = S(g->c, "to_local");

	if (strlen(from) > 19 && strlen(to) > 19 && !strncmp(from + 11, "00:00:00", 8) &&
	    !strncmp(to + 11, "00:00:00", 8))
		pd_dfmt(buf, len, "%s: %.10s %s %s  (%s)", pd_L(g->d, L_REG3_PERIOD), from,
			g->d->zh ? "至" : "to", S(g->c, "last_day"), S(g->c, "utc_offset"));
	else
		pd_dfmt(buf, len, "%s: %s %s %s (%s)", pd_L(g->d, L_REG3_PERIOD), from,
			g->d->zh ? "至" : "to", to, g->d->zh ? "不含结束时刻" : "end not included");
}

/* Draw one row of cells @cells with top @top; returns its height. */
static float draw_row(struct form *g, const char *const *cells, HPDF_Font f, bool measure_only)
{
	struct wrap w[NCOL];
	float x = LM, h;
	int i, j, lines = 1;

	for (i = 0; i < NCOL; i++) {
		wrap_cell(g->d, f, cells[i][0] ? cells[i] : "-", col_w[i] - 4, &w[i]);
		if (w[i].n > lines)
			lines = w[i].n;
	}
	h = lines * LINE + 4;
	if (measure_only)
		return h;
	/* The grid first (a path), then the text: PDF allows no text inside a path. */
	HPDF_Page_SetLineWidth(g->d->page, 0.3f);
	for (i = 0; i < NCOL; i++) {
		HPDF_Page_Rectangle(g->d->page, x, g->y - h, col_w[i], h);
		x += col_w[i];
	}
	HPDF_Page_Stroke(g->d->page);
	x = LM;
	for (i = 0; i < NCOL; i++) {
		for (j = 0; j < w[i].n; j++) {
			char line[512];

			pd_dfmt(line, sizeof(line), "%.*s", (int)w[i].len[j], w[i].s + w[i].off[j]);
			pd_text(g->d, f, FS, x + 2, g->y - 2 - LINE * (j + 1) + 1.5f, 0, line);
		}
		x += col_w[i];
	}
	g->y -= h;
	return h;
}

/* A new page: title, period, page number, footer, the column titles. */
static void new_page(struct form *g)
{
	char buf[400], cols[600], *cells[NCOL], *t, *save = NULL;
	int i = 0;

	g->d->page = HPDF_AddPage(g->d->pdf);
	HPDF_Page_SetSize(g->d->page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_LANDSCAPE);
	g->page++;
	g->y = LH - 34;
	pd_text(g->d, g->d->bold, 13, LM, g->y, 0, pd_L(g->d, L_REG3_TITLE));
	period_text(g, buf, sizeof(buf));
	pd_text(g->d, g->d->reg, 8, LM, g->y - 13, 0, buf);
	pd_dfmt(buf, sizeof(buf), "%s %u", pd_L(g->d, L_PAGE), g->page);
	pd_text(g->d, g->d->reg, 8, LW - LM - 40, g->y, 0, buf);
	pd_text(g->d, g->d->reg, 6, LM, 16, LW - 2 * LM, pd_L(g->d, L_REG_FOOTER));
	g->y -= 22;
	pd_dfmt(cols, sizeof(cols), "%s", pd_L(g->d, L_REG3_COLS));
	for (t = strtok_r(cols, "|", &save); t && i < NCOL; t = strtok_r(NULL, "|", &save))
		cells[i++] = t;
	while (i < NCOL)
		cells[i++] = (char *)"";
	HPDF_Page_SetGrayFill(g->d->page, 0.88f);
	{
		float h = draw_row(g, (const char *const *)cells, g->d->bold, true);

		HPDF_Page_Rectangle(g->d->page, LM, g->y - h, LW - 2 * LM, h);
		HPDF_Page_Fill(g->d->page);
	}
	HPDF_Page_SetGrayFill(g->d->page, 0);
	draw_row(g, (const char *const *)cells, g->d->bold, false);
}

/* The cells of record row @row, number @n. */
static void row_cells(const struct doc *d, const struct cj *row, size_t n, char *no, size_t nolen,
		      char *carrier, size_t clen, char *method, size_t mlen, char *cls, size_t cllen,
		      const char **cells)
{
	const char *cn = S(row, "carrier_no"), *as = S(row, "asset");
	/* A destruction is IEEE 2883's (and SP 800-88 Rev. 2's) Destruct, not Rev. 1's Destroy. */
	const char *nist = !strcmp(S(row, "nist"), "Destroy") ? "Destruct" : S(row, "nist");

	pd_dfmt(no, nolen, "%zu", n);
	pd_dfmt(carrier, clen, "%s%s%s", cn, cn[0] && as[0] ? " / " : "", as);

	pd_dfmt(method, mlen, "%s%s%s", cert_gloss(nist, d->zh), nist[0] ? ": " : "",
		cert_gloss(S(row, "method_title"), d->zh));
	cells[0] = no;
	cells[1] = S(row, "cert_no");
	cells[2] = carrier;
	cells[3] = cert_gloss(S(row, "type"), d->zh);
	cells[4] = S(row, "model");
	cells[5] = S(row, "serial");
	cells[6] = pd_classification(d, S(row, "classification"), cls, cllen);
	cells[7] = method;
	cells[8] = cert_gloss(S(row, "result"), d->zh);
	cells[9] = S(row, "day");
	cells[10] = S(row, "operator");
	cells[11] = S(row, "supervisors");
	cells[12] = S(row, "approver");
}

/* Totals by result, each station's head and fingerprint, the signature, the officer's lines. */
static void closing(struct form *g, const struct cj *rows, const struct cj *heads,
		    const char *sig_hex)
{
	static const char *const results[] = { "PASSED", "FAILED", "INCOMPLETE", "DESTROYED" };
	const struct cj *signer = cj_get(g->c, "signer");
	char buf[600];
	size_t i, j, o = 0, count[4] = { 0 };
	float need = 120 + 30 * (float)(heads ? heads->n : 0);

	for (i = 0; rows && i < rows->n; i++)
		for (j = 0; j < 4; j++)
			count[j] += !strcmp(S(rows->items[i], "result"), results[j]);
	if (g->y - 12 < 30 + need)
		new_page(g);
	g->y -= 16;
	o = 0;
	pd_dfmt(buf, sizeof(buf), "%s: ", pd_L(g->d, L_REG3_TOTALS));
	o = strlen(buf);
	for (j = 0; j < 4; j++) {
		pd_dfmt(buf + o, sizeof(buf) - o, "%s%s %zu", j ? "   " : "", cert_gloss(results[j], g->d->zh),
			count[j]);
		o = strlen(buf);
	}
	pd_dfmt(buf + o, sizeof(buf) - o, "   |   %s %zu   (%s: %" PRIu64 ")", pd_L(g->d, L_COUNT),
		rows ? rows->n : 0, pd_L(g->d, L_IN_LEDGER), U(g->c, "ledger_records"));
	pd_text(g->d, g->d->bold, 8, LM, g->y, 0, buf);
	g->y -= 16;
	pd_text(g->d, g->d->bold, 8, LM, g->y, 0, pd_L(g->d, L_REG3_HEADS));
	for (i = 0; heads && i < heads->n; i++) {
		const struct cj *h = heads->items[i];

		pd_dfmt(buf, sizeof(buf), "%s %s   %s %s   %s %" PRIu64, pd_L(g->d, L_REG3_STATION),
			S(h, "station_id")[0] ? S(h, "station_id") : "-", pd_L(g->d, L_REG3_FP),
			S(h, "station"), pd_L(g->d, L_POSITION), U(h, "seq"));
		pd_text(g->d, g->d->reg, 7.5f, LM + 6, g->y - 11, 0, buf);
		pd_dfmt(buf, sizeof(buf), "%s %s", pd_L(g->d, L_HEAD), S(h, "hash"));
		pd_text(g->d, g->d->reg, 7.5f, LM + 6, g->y - 21, 0, buf);
		g->y -= 24;
	}
	g->y -= 14;
	if (signer && signer->type == CJ_OBJ && sig_hex[0]) {
		pd_dfmt(buf, sizeof(buf), "%s %s", pd_L(g->d, L_REG_SIGNED), S(signer, "fingerprint"));
		pd_text(g->d, g->d->bold, 7.5f, LM, g->y, LW - 2 * LM, buf);
		pd_text(g->d, g->d->mono, 6.5f, LM + 6, g->y - 10, 0, sig_hex);
		g->y -= 24;
	} else {
		HPDF_Page_SetRGBFill(g->d->page, 0.7f, 0, 0);
		pd_text(g->d, g->d->bold, 8, LM, g->y, LW - 2 * LM, pd_L(g->d, L_REG_UNSIGNED));
		HPDF_Page_SetRGBFill(g->d->page, 0, 0, 0);
		g->y -= 12;
	}
	/* The records officer signs the filed register. */
	g->y -= 28;
	HPDF_Page_SetLineWidth(g->d->page, 0.6f);
	HPDF_Page_MoveTo(g->d->page, LM + 210, g->y);
	HPDF_Page_LineTo(g->d->page, LM + 450, g->y);
	HPDF_Page_MoveTo(g->d->page, LM + 520, g->y);
	HPDF_Page_LineTo(g->d->page, LW - LM, g->y);
	HPDF_Page_Stroke(g->d->page);
	pd_dfmt(buf, sizeof(buf), "%s  %s", pd_L(g->d, L_REG3_OFFICER), pd_L(g->d, L_SIGN));
	pd_text(g->d, g->d->reg, 8, LM, g->y + 2, 205, buf);
	pd_text(g->d, g->d->reg, 8, LM + 480, g->y + 2, 0, pd_L(g->d, L_DATE));
}

void pd_register_form(struct doc *d, const struct cj *c, const char *sig_hex)
{
	const struct cj *rows = cj_get(c, "rows"), *heads = cj_get(c, "heads");
	struct form g = { d, c, 0, 0 };
	char no[24], carrier[300], method[300], cls[200];
	const char *cells[NCOL];
	size_t i;

	new_page(&g);
	for (i = 0; rows && i < rows->n; i++) {
		row_cells(d, rows->items[i], i + 1, no, sizeof(no), carrier, sizeof(carrier), method,
			  sizeof(method), cls, sizeof(cls), cells);
		if (g.y - draw_row(&g, cells, d->reg, true) < 30)
			new_page(&g);
		draw_row(&g, cells, d->reg, false);
	}
	closing(&g, rows, heads, sig_hex);
}
