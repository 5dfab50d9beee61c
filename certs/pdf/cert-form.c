/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Certificate layout 3: the 保密 record. Titled and worded for what was
 * done (消除 erasure or 销毁 destruction), with the carrier number, the
 * classification, the approval, the operator's and each supervisor's
 * signing line with the name under it, each person's unit, department,
 * location and phone, and the times in the station's local time (with its
 * offset) and in UTC.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "certs/pdf/pdf-impl.h"
#include "certs/glossary.h"
#include "certs/policy.h"
#include "wiper/base/base.h"

const char *pd_classification(const struct doc *d, const char *stored, char *buf, size_t len)
{
	const char *en;

	if (!stored[0] || d->zh)
		return stored;
	/* English: the level's English name, with the Chinese legal term beside it. */
	en = cert_policy_class_en(NULL, stored);
	if (en == stored)
		return stored;
	pd_dfmt(buf, len, "%s (%s)", en, stored);
	return buf;
}

/* "Name, Role" of @p, or "-". */
static const char *name_role(const struct cert_person *p, char *buf, size_t len)
{
	pd_dfmt(buf, len, "%s%s%s", p->name, p->name[0] && p->title[0] ? ", " : "", p->title);
	return buf;
}

/* A person's three rows: name and role, unit and department, location and phone. */
static void person_rows(struct doc *d, const struct cert_person *p)
{
	pd_row2(d, L_NAME, p->name, L_TITLE_ROLE, p->title);
	pd_row2(d, L_ORG, p->organization, L_DEPT, p->department);
	pd_row2(d, L_LOCATION, p->location, L_PHONE, p->phone);
}

/* A signing line with @under (the signer's name, role, ...) printed under it. */
static void sign_line(struct doc *d, const char *under)
{
	pd_sign_lines(d);
	pd_text(d, d->reg, 7, ML + 62, d->y - 9, MR - ML - 64, under);
	d->y -= 10;
}

/* "N of M native sectors accessible" in the page's language, or "-". */
static const char *hidden(const struct doc *d, const char *stored, char *buf, size_t len)
{
	unsigned long long a, n;

	if (!stored[0])
		return "-";
	if (!d->zh || sscanf(stored, "%llu of %llu native sectors accessible", &a, &n) != 2)
		return stored;
	pd_dfmt(buf, len, "可访问 %llu / 原生 %llu 扇区", a, n);
	return buf;
}

/* Section 2: the carrier. */
static void form_media(struct doc *d, const struct cert_record *r)
{
	char buf[300], iface[200], blocks[40] = "", cls[200], iec[32];

	pd_section(d, L_MEDIA);
	pd_row2(d, L_MAKE, r->make, L_MODEL, r->model);
	pd_row2(d, L_SERIAL, r->serial, L_MEDIA_TYPE, pd_V(d, r->media_type));
	pd_row2(d, L_CARRIER, r->origin.carrier_no, L_PROPERTY, r->origin.property_number);
	pd_row2(d, L_OWNER, r->origin.owner_unit, L_CLASS,
		pd_classification(d, r->origin.classification, cls, sizeof(cls)));
	pd_dfmt(buf, sizeof(buf), "%s%s%s", pd_V(d, r->origin.data_backed_up),
		r->origin.backup_location[0] ? ": " : "", r->origin.backup_location);
	pd_row2(d, L_SOURCE, r->origin.source, L_BACKED_UP, buf);
	if (r->size_bytes && d->zh)
		pd_dfmt(buf, sizeof(buf), "%s (%" PRIu64 " 字节)",
			base_size_iec(r->size_bytes, iec, sizeof(iec)), r->size_bytes);
	else if (r->size_bytes)
		pd_fmt_size(d->layout, r->size_bytes, buf, sizeof(buf));
	else
		pd_dfmt(buf, sizeof(buf), "-");
	if (r->logical_block)
		pd_dfmt(blocks, sizeof(blocks), "%s%u/%u B", r->transport[0] || r->node[0] ?
			", " : "", r->logical_block, r->physical_block);
	pd_dfmt(iface, sizeof(iface), "%s%s%s%s", r->transport, r->transport[0] && r->node[0] ?
		" " : "", r->node, blocks);
	pd_row2(d, L_CAPACITY, buf, L_INTERFACE, iface[0] ? iface : "-");
	if (r->kind != CERT_KIND_DESTROY) {
		char hb[120], ha[120];

		pd_dfmt(buf, sizeof(buf), "%s / %s", hidden(d, r->hidden_before, hb, sizeof(hb)),
			hidden(d, r->hidden_after, ha, sizeof(ha)));
		pd_row(d, L_HIDDEN, buf);
	}
}

/* Section 3: how it was erased or destroyed, verified, and when (local time and UTC). */
static void form_details(struct doc *d, const struct cert_record *r)
{
	char buf[300], hx[200], t1[40], t2[40], u1[32], u2[32], ud[16], cls[200], rb[400];

	pd_section(d, r->kind == CERT_KIND_DESTROY ? L_SANIT_DESTROY3 : L_SANIT3);
	if (r->kind == CERT_KIND_DESTROY) {
		/* SP 800-88 Rev. 2 defers to IEEE 2883: the method is Destruct. */
		pd_row2(d, L_METHOD3, pd_V(d, r->ieee_method[0] ? r->ieee_method : "Destruct"),
			L_TECHNIQUE, pd_V(d, r->destroy_technique));
		pd_row_wrap(d, L_DETAILS, r->destroy_details, 2);
		pd_row2(d, L_VERIFY, pd_V(d, r->verification_method), L_POST_CLASS,
			pd_classification(d, r->origin.post_classification, cls, sizeof(cls)));
	} else {
		pd_cert_erase_steps(d, r);
		if (r->verify_mode[0])
			pd_dfmt(buf, sizeof(buf), "%s (%s)", pd_V(d, r->verification_method),
				pd_V(d, r->verify_mode));
		else
			pd_dfmt(buf, sizeof(buf), "%s", pd_V(d, r->verification_method));
		pd_dfmt(hx, sizeof(hx), "%u.%04u %%, %" PRIu64 " %s",
			r->verify_coverage_ppm / 10000, r->verify_coverage_ppm % 10000,
			r->verify_samples, pd_L(d, L_SAMPLES));
		pd_row2(d, L_VERIFY, buf, L_COVERAGE, hx);
		pd_dfmt(buf, sizeof(buf), "%" PRIu64 " / %" PRIu64, r->bad.total, r->mismatch.total);
		pd_row2(d, L_ERRORS, buf, L_POST_CLASS,
			pd_classification(d, r->origin.post_classification, cls, sizeof(cls)));
	}
	/* Local time with its offset, then the same instants in UTC (as stored). */
	cert_time_local_str(r->start, r->utc_offset, t1, sizeof(t1));
	cert_time_local_str(r->end, r->utc_offset, t2, sizeof(t2));
	cert_time_str(r->start, u1, sizeof(u1));
	cert_time_str(r->end, u2, sizeof(u2));
	/* Within one day the end needs only its time: "2026-12-02 06:02:00 - 06:12:00 UTC+08:00". */
	pd_dfmt(buf, sizeof(buf), "%.19s - %s  (UTC %.10s %.8s - %s%.8s)", t1,
		!strncmp(t1, t2, 10) ? t2 + 11 : t2, u1, u1 + 11,
		!strncmp(u1, u2, 10) ? "" : (pd_dfmt(ud, sizeof(ud), "%.10s ", u2), ud), u2 + 11);
	pd_row(d, L_TIME_LOCAL, buf);
	if (r->reason[0])
		pd_row_wrap(d, L_REASON, cert_gloss_text(r->reason, d->zh, rb, sizeof(rb)), 3);
	pd_row_wrap(d, L_NOTES, r->notes, 3);
}

/* Sections 4 to 7: destination, approval, the operator's signature, the supervisors'. */
static void form_signatures(struct doc *d, const struct cert_record *r)
{
	const struct cert_person *sup[2] = { &r->people.witness, &r->people.supervisor2 };
	char buf[300], who[300];
	size_t i;

	pd_section(d, L_DEST3);
	d->y -= 13;
	pd_checkbox(d, ML + 2, r->destination == CERT_DEST_INTERNAL_REUSE, pd_L(d, L_D_INT));
	pd_checkbox(d, ML + 88, r->destination == CERT_DEST_EXTERNAL_REUSE, pd_L(d, L_D_EXT));
	pd_checkbox(d, ML + 176, r->destination == CERT_DEST_RECYCLING, pd_L(d, L_D_REC));
	pd_checkbox(d, ML + 272, r->destination == CERT_DEST_DESTRUCTION, pd_L(d, L_D_DESTR));
	pd_checkbox(d, ML + 348, r->destination == CERT_DEST_MANUFACTURER, pd_L(d, L_D_MANU));
	pd_checkbox(d, ML + 430, r->destination == CERT_DEST_OTHER, pd_L(d, L_D_OTHER));
	pd_row_wrap(d, L_DEST_DETAILS, cert_gloss_text(r->destination_details, d->zh, buf, sizeof(buf)), 2);

	pd_section(d, L_APPROVAL3);
	name_role(&r->people.approver, who, sizeof(who));
	if (r->people.approver.organization[0] || r->people.approver.department[0])
		pd_dfmt(buf, sizeof(buf), "%s (%s%s%s)", who, r->people.approver.organization,
			r->people.approver.organization[0] && r->people.approver.department[0] ?
			" " : "", r->people.approver.department);
	else
		pd_dfmt(buf, sizeof(buf), "%s", who);
	pd_row2(d, L_APPROVER, buf, L_APPROVAL_REF, r->origin.approval_ref);

	pd_section(d, L_SIGNATURE3);
	d->y -= 11;
	pd_text(d, d->reg, 7.5f, ML + 2, d->y, MR - ML - 4, pd_L(d, L_ATTEST));
	d->y -= 2;
	sign_line(d, name_role(&r->people.operator_, who, sizeof(who)));

	pd_section(d, r->kind == CERT_KIND_DESTROY ? L_SUPERVISION3 : L_SUPERVISION_ERASE3);
	for (i = 0; i < 2; i++) {
		if (!sup[i]->name[0])
			continue;
		/* Under the line: who, and their unit, department, location and phone. */
		pd_dfmt(buf, sizeof(buf), "%s %zu: %s%s%s%s%s%s%s%s%s", pd_L(d, L_SUPERVISOR), i + 1,
			name_role(sup[i], who, sizeof(who)),
			sup[i]->organization[0] || sup[i]->department[0] || sup[i]->location[0] ||
			sup[i]->phone[0] ? "  |  " : "", sup[i]->organization,
			sup[i]->organization[0] && sup[i]->department[0] ? " " : "", sup[i]->department,
			(sup[i]->organization[0] || sup[i]->department[0]) && sup[i]->location[0] ?
			", " : "", sup[i]->location, sup[i]->phone[0] ? "  " : "", sup[i]->phone);
		d->y += 2;
		sign_line(d, buf);
	}
}

/* A dashed box for the unit's seal, below the proof and left of the QR code, as tall as fits. */
static void seal_box(struct doc *d)
{
	float top = d->y - 16, h = top - 44 > 62 ? 62 : top - 44;

	if (h < 24)
		return;	/* a page full of steps: the seal goes on the paper's margin */
	HPDF_Page_SetLineWidth(d->page, 0.5f);
	HPDF_Page_SetDash(d->page, (const HPDF_UINT16[]){ 3, 2 }, 2, 0);
	HPDF_Page_Rectangle(d->page, ML + 260, top - h, 110, h);
	HPDF_Page_Stroke(d->page);
	HPDF_Page_SetDash(d->page, NULL, 0, 0);
	pd_text(d, d->reg, 7, ML + 264, top - 8, 100, pd_L(d, L_SEAL));
}

void pd_cert_form(struct doc *d, const struct cert_record *r, const struct cert_entry *e)
{
	pd_cert_header(d, r, e);
	pd_section(d, r->kind == CERT_KIND_DESTROY ? L_PERSON_DESTROY3 : L_PERSON3);
	person_rows(d, &r->people.operator_);
	form_media(d, r);
	form_details(d, r);
	form_signatures(d, r);
	pd_cert_proof(d, r, e);
	seal_box(d);
}
