/* SPDX-License-Identifier: GPL-3.0-or-later */
/* certs list / show / find / lang: read the ledger. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certs/cli/cli.h"
#include "certs/policy.h"
#include "certs/custody.h"
#include "certs/text.h"

enum { OPT_JSON = 'j', OPT_WIDE = 'w', OPT_SERIAL = 256 };

static const struct cli_opt list_opts[] = {
	{ "json", OPT_JSON, NULL, "a JSON array, one object per record" },
	{ "wide", OPT_WIDE, NULL, "every column, whole (the default fits 80 columns)" },
	{ NULL, 0, NULL, NULL },
};

const struct cli_cmd cli_list = {
	"certs list", "LEDGER|postgresql://...", "every record, one line each", list_opts, NULL,
};

static const struct cli_opt find_opts[] = {
	{ "serial", OPT_SERIAL, "S", "the medium's serial number (required)" },
	{ "json", OPT_JSON, NULL, "a JSON array, one object per record" },
	{ "wide", OPT_WIDE, NULL, "every column, whole (the default fits 80 columns)" },
	{ NULL, 0, NULL, NULL },
};

const struct cli_cmd cli_find = {
	"certs find", "LEDGER|postgresql://...", "the records of one medium, by serial number",
	find_opts, NULL,
};

static const struct cli_opt show_opts[] = {
	{ "json", OPT_JSON, NULL, "the signed record itself (canonical JSON)" },
	{ NULL, 0, NULL, NULL },
};

const struct cli_cmd cli_show = {
	"certs show", "LEDGER|postgresql://... N|CERT-NO", "every field of one record",
	show_opts, "N is the record number, CERT-NO its certificate number.\n",
};

static const struct cli_opt lang_opts[] = {
	{ "json", OPT_JSON, NULL, "{\"lang\": \"en\"} instead of the bare code" },
	{ NULL, 0, NULL, NULL },
};

const struct cli_cmd cli_lang = {
	"certs lang", "LEDGER [en|zh]", "the language certificates are printed in", lang_opts,
	"Without a language, print the ledger's; with one, set it (en: English, zh:\n"
	"Simplified Chinese): certs pdf prints in it unless told otherwise (--lang).\n",
};

struct lister {
	bool json, wide;
	struct cert_record *r;
	uint64_t n;
};

/* One line of the table; @r NULL: the header. */
static void list_row(bool wide, uint64_t seq, const struct cert_record *r, const char *t)
{
	char b[7][512], n[24], day[11];
	const char *method = !r ? "METHOD" : r->kind == CERT_KIND_DESTROY ? r->destroy_technique :
			     r->method;

	snprintf(n, sizeof(n), "%" PRIu64, seq);
	snprintf(day, sizeof(day), "%.10s", t ? t : "");
	if (!wide) {
		/* 80 columns: the date, not the time; model and operator only with --wide */
		printf("%s %s %s %s %s %s\n",
		       cli_cell(r ? n : "N", 5, CLI_CELL_RIGHT, b[0], sizeof(b[0])),
		       cli_cell(r ? tx(r->cert_no) : "CERTIFICATE", 16, CLI_CELL_CUT, b[1],
				sizeof(b[1])),
		       cli_cell(r ? day : "DATE", 10, CLI_CELL_CUT, b[2], sizeof(b[2])),
		       cli_cell(r ? cert_result_str(r->result) : "RESULT", 10, CLI_CELL_CUT, b[3],
				sizeof(b[3])),
		       cli_cell(r ? tx(r->serial) : "SERIAL", 16, CLI_CELL_CUT, b[4], sizeof(b[4])),
		       cli_cell(r ? tx(method) : method, 17, CLI_CELL_CUT | CLI_CELL_LAST, b[5],
				sizeof(b[5])));
		return;
	}
	printf("%s %s %s %s %s %s %s %s\n",
	       cli_cell(r ? n : "N", 6, CLI_CELL_RIGHT, b[0], sizeof(b[0])),
	       cli_cell(r ? tx(r->cert_no) : "CERTIFICATE", 18, 0, b[1], sizeof(b[1])),
	       cli_cell(r ? t : "END (UTC)", 20, 0, b[2], sizeof(b[2])),
	       cli_cell(r ? cert_result_str(r->result) : "RESULT", 10, 0, b[3], sizeof(b[3])),
	       cli_cell(r ? tx(r->serial) : "SERIAL", 20, 0, b[4], sizeof(b[4])),
	       cli_cell(r ? tx(r->model) : "MODEL", 22, 0, b[5], sizeof(b[5])),
	       cli_cell(r ? tx(method) : method, 12, 0, b[6], sizeof(b[6])),
	       r ? tx(r->people.operator_.name) : "OPERATOR");
}

/* One line (text) or one JSON object per record. */
static int list_one(const struct cert_entry *e, void *arg)
{
	struct lister *ls = arg;
	char err[256], t[32], hx[2 * CERT_HASH_LEN + 1];
	struct cbuf b = { 0 };
	struct cj *o;
	int rc = 0;

	if (cert_record_decode(e->canon, e->canon_len, ls->r, err, sizeof(err)))
		return fail("record %" PRIu64 ": %s", e->seq, err) ? -EINVAL : 0;
	cert_hex(e->hash, CERT_HASH_LEN, hx);
	cert_time_str(ls->r->end, t, sizeof(t));
	if (!ls->json) {
		list_row(ls->wide, e->seq, ls->r, t);
		ls->n++;
		return 0;
	}
	o = cj_new(CJ_OBJ);
	if (!rc) rc = cj_add(o, "seq", cj_u64(e->seq));
	/* Decoded fields are valid UTF-8; columns are not checked, so taken lossily. */
	if (!rc) rc = cj_add(o, "cert_no", cj_str(ls->r->cert_no));
	if (!rc) rc = cj_add(o, "station", cj_str_lossy(e->fp));
	if (!rc) rc = cj_add(o, "end", cj_str(t));
	if (!rc) rc = cj_add(o, "result", cj_str(cert_result_str(ls->r->result)));
	if (!rc) rc = cj_add(o, "kind", cj_str(cert_kind_str(ls->r->kind)));
	if (!rc) rc = cj_add(o, "serial", cj_str(ls->r->serial));
	if (!rc) rc = cj_add(o, "model", cj_str(ls->r->model));
	if (!rc) rc = cj_add(o, "method", cj_str(ls->r->method));
	if (!rc) rc = cj_add(o, "operator", cj_str(ls->r->people.operator_.name));
	if (!rc) rc = cj_add(o, "witness", cj_str(ls->r->people.witness.name));
	if (!rc) rc = cj_add(o, "hash", cj_str(hx));
	if (!rc) rc = cj_encode(o, &b);
	if (!rc)
		printf("%s%s", ls->n++ ? ",\n" : "", b.p);
	cbuf_done(&b);
	cj_free(o);
	return rc;
}

/* Shared by list and find. */
static int list_common(const char *path, const char *serial, bool json, bool wide)
{
	struct lister ls = { json, wide, cert_record_new(), 0 };
	struct cert_ledger *l;
	int rc;

	if (!ls.r)
		return fail("out of memory");
	l = open_ledger(path, CERT_LEDGER_READONLY);
	if (!l) {
		cert_record_free(ls.r);
		return 1;
	}
	if (json)
		printf("[");
	else
		list_row(wide, 0, NULL, NULL);
	rc = cert_ledger_each(l, INT64_MIN, INT64_MAX, serial, list_one, &ls);
	if (json)
		printf("%s]\n", ls.n ? "\n" : "");
	if (rc < 0)
		fail("%s", cert_ledger_error(l));
	cert_ledger_close(l);
	cert_record_free(ls.r);
	if (rc)
		return 1;
	if (serial && !ls.n && !json)
		return fail("no record for serial %s", serial);
	return 0;
}

/* list and find: the options, then one LEDGER. */
static int list_cmd(const struct cli_cmd *cmd, int argc, char **argv)
{
	const char *serial = NULL;
	bool json = false, wide = false;
	struct cli_parser cp;
	int c;

	cli_begin(&cp, cmd, argc, argv);
	while ((c = cli_next(&cp)) != CLI_DONE) {
		switch (c) {
		case OPT_JSON: json = true; break;
		case OPT_WIDE: wide = true; break;
		case OPT_SERIAL: serial = optarg; break;
		case CLI_HELP: return 0;
		default: return EXIT_USAGE;
		}
	}
	if (argc - optind != 1)
		return usage_error("%s needs one LEDGER", cmd->name + strlen("certs "));
	if (cmd == &cli_find && !serial)
		return usage_error("find needs LEDGER --serial S");
	return list_common(argv[optind], serial, json, wide);
}

int cmd_list(int argc, char **argv)
{
	return list_cmd(&cli_list, argc, argv);
}

int cmd_find(int argc, char **argv)
{
	return list_cmd(&cli_find, argc, argv);
}

/* Print a labelled line when the value is not empty. */
static void kv(const char *k, const char *v)
{
	if (v && v[0])
		printf("  %-28s %s\n", k, tx(v));
}

/* "Name (Title, Organization)", leaving out the parts that are empty. */
static void person(const struct cert_person *p, char *buf, size_t len)
{
	const char *title = p->title, *org = p->organization, *dep = p->department;
	int n;

	n = snprintf(buf, len, "%s%s%s%s%s%s%s%s", p->name, title[0] || org[0] ? " (" : "", title,
		     title[0] && org[0] ? ", " : "", org, org[0] && dep[0] ? " " : "", dep,
		     title[0] || org[0] ? ")" : "");
	if (n < 0 || (size_t)n >= len)
		buf[len - 1] = '\0';
}

/* Every field of record @r (entry @e), one per line, for people. */
static void show_text(const struct cert_entry *e, const struct cert_record *r)
{
	char t1[40], t2[40], hx[2 * CERT_SIG_LEN + 1], buf[1024];
	size_t i;

	printf("Certificate %s  (%s, record %" PRIu64 ")\n", tx(r->cert_no), cert_kind_str(r->kind),
	       e->seq);
	kv("Result", cert_result_str(r->result));
	kv("Reason", r->reason);
	kv("Station", r->station_id);
	snprintf(buf, sizeof(buf), "%s %s", r->tool, r->tool_version);
	kv("Tool", buf);
	person(&r->people.operator_, buf, sizeof(buf));
	kv("Operator", buf);
	person(&r->people.witness, buf, sizeof(buf));
	kv("Witness", buf);
	if (r->people.supervisor2.name[0]) {
		person(&r->people.supervisor2, buf, sizeof(buf));
		kv("Second supervisor", buf);
	}
	if (r->people.approver.name[0]) {
		person(&r->people.approver, buf, sizeof(buf));
		kv("Approver", buf);
	}
	kv("Approval reference", r->origin.approval_ref);
	kv("Make", r->make);
	kv("Model", r->model);
	kv("Serial", r->serial);
	kv("Media type", r->media_type);
	kv("Device", r->node);
	kv("Transport", r->transport);
	if (r->size_bytes) {	/* a destroyed medium's capacity is often not known */
		snprintf(buf, sizeof(buf), "%" PRIu64 " bytes", r->size_bytes);
		kv("Capacity", buf);
	}
	if (r->logical_block) {
		snprintf(buf, sizeof(buf), "%" PRIu32 " B logical, %" PRIu32 " B physical",
			 r->logical_block, r->physical_block);
		kv("Sector size", buf);
	}
	if (r->hidden_before[0]) {
		snprintf(buf, sizeof(buf), "%s before, %s after", r->hidden_before, r->hidden_after);
		kv("Hidden area", buf);
	}
	kv("Owner unit", r->origin.owner_unit);
	kv("Property number", r->origin.property_number);
	kv("Carrier number", r->origin.carrier_no);
	/* "Secret (秘密)": the English name of a level beside its legal term. */
	if (strcmp(cert_policy_class_en(NULL, r->origin.classification), r->origin.classification))
		snprintf(buf, sizeof(buf), "%s (%s)", cert_policy_class_en(NULL,
			 r->origin.classification), r->origin.classification);
	else
		snprintf(buf, sizeof(buf), "%s", r->origin.classification);
	kv("Classification", buf);
	kv("NIST method type", r->nist_method_type);
	kv("NIST method used", r->nist_method_used);
	snprintf(buf, sizeof(buf), "%s / %s", r->ieee_method, r->ieee_technique);
	kv("IEEE 2883 method/technique", buf);
	kv("Method", r->method);
	kv("Method details", r->method_details);
	kv("Command", r->command);
	if (r->seed[0]) {
		/* 0x and the record's 16 hex digits, as every report writes a seed (wiper verify --seed). */
		snprintf(buf, sizeof(buf), "0x%s", r->seed);
		kv("Master seed", buf);
	} else {
		kv("Master seed", r->seed);
	}
	kv("Destruction technique", r->destroy_technique);
	kv("Destruction details", r->destroy_details);
	for (i = 0; i < r->nsteps; i++) {
		const struct cert_step *st = &r->steps[i];

		if (st->command[0])	/* a command sent to the drive, and its answer */
			printf("  step %-3zu %s: %s -> %s\n", i + 1, tx(st->action), tx(st->command),
			       tx(st->answer));
		else
			printf("  step %-3zu %s %s%s%s %" PRIu64 " bytes %s%s\n", i + 1, tx(st->action),
			       tx(st->pattern), st->seed[0] ? " seed 0x" : "", tx(st->seed), st->bytes,
			       st->completed ? "completed" : "NOT completed",
			       st->verified ? ", verified" : "");
	}
	snprintf(buf, sizeof(buf), "%s%s%s%s, coverage %u.%04u %%, %" PRIu64 " bad, %" PRIu64
		 " mismatched blocks", r->verification_method, r->verify_mode[0] ? " (" : "",
		 r->verify_mode, r->verify_mode[0] ? ")" : "", r->verify_coverage_ppm / 10000,
		 r->verify_coverage_ppm % 10000, r->bad.total, r->mismatch.total);
	kv("Verification", buf);
	snprintf(buf, sizeof(buf), "%s .. %s", cert_time_str(r->start, t1, sizeof(t1)),
		 cert_time_str(r->end, t2, sizeof(t2)));
	kv("Time (UTC)", buf);
	if (r->version >= 3) {
		snprintf(buf, sizeof(buf), "%s .. %s", cert_time_local_str(r->start, r->utc_offset, t1,
			 sizeof(t1)), cert_time_local_str(r->end, r->utc_offset, t2, sizeof(t2)));
		kv("Time (station)", buf);
	}
	kv("Destination", cert_dest_str(r->destination));
	kv("Destination details", r->destination_details);
	cert_hex(e->hash, CERT_HASH_LEN, hx);
	kv("Record hash", hx);
	cert_hex(e->prev, CERT_HASH_LEN, hx);
	kv("Previous hash", hx);
	cert_hex(e->sig, CERT_SIG_LEN, hx);
	kv("Signature", hx);
	kv("Station key", e->fp);
	kv("Key custody", cert_custody_record_str(r, false, buf, sizeof(buf)));
}

int cmd_show(int argc, char **argv)
{
	struct cert_ledger *l;
	struct cert_entry e = { 0 };
	struct cert_record *r;
	char err[256];
	bool json = false;
	const char *path, *which;
	struct cli_parser cp;
	int rc, c;

	cli_begin(&cp, &cli_show, argc, argv);
	while ((c = cli_next(&cp)) != CLI_DONE) {
		switch (c) {
		case OPT_JSON: json = true; break;
		case CLI_HELP: return 0;
		default: return EXIT_USAGE;
		}
	}
	if (argc - optind != 2)
		return usage_error("show needs LEDGER N");
	path = argv[optind];
	which = argv[optind + 1];
	l = open_ledger(path, CERT_LEDGER_READONLY);
	if (!l)
		return 1;
	rc = cert_ledger_lookup(l, which, &e);
	if (rc) {
		fail("%s", cert_ledger_error(l));
		cert_ledger_close(l);
		return 1;
	}
	if (json) {
		struct cj *v = NULL;

		/* Only what parses as canonical JSON (so valid UTF-8) goes to stdout. */
		if (cj_parse_canonical(e.canon, e.canon_len, &v, err, sizeof(err)))
			rc = fail("record %" PRIu64 " is not valid canonical JSON: %s", e.seq, tx(err));
		else
			printf("%s\n", e.canon);
		cj_free(v);
		goto out;
	}
	r = cert_record_new();
	if (!r || cert_record_decode(e.canon, e.canon_len, r, err, sizeof(err))) {
		rc = fail("record %" PRIu64 ": %s", e.seq, r ? err : "out of memory");
		cert_record_free(r);
		goto out;
	}
	show_text(&e, r);
	cert_record_free(r);
out:
	cert_entry_done(&e);
	cert_ledger_close(l);
	return rc ? 1 : 0;
}

int cmd_lang(int argc, char **argv)
{
	struct cli_parser cp;
	struct cert_ledger *l;
	const char *set;
	bool json = false;
	int rc = 0, c;

	cli_begin(&cp, &cli_lang, argc, argv);
	while ((c = cli_next(&cp)) != CLI_DONE) {
		switch (c) {
		case OPT_JSON: json = true; break;
		case CLI_HELP: return 0;
		default: return EXIT_USAGE;
		}
	}
	if (argc - optind < 1 || argc - optind > 2)
		return usage_error("lang needs LEDGER [en|zh]");
	set = argc - optind == 2 ? argv[optind + 1] : NULL;
	if (set && strcmp(set, "en") && strcmp(set, "zh"))
		return usage_error("lang: unknown language '%s' (en or zh)", set);
	l = open_ledger(argv[optind], set ? CERT_LEDGER_CREATE : CERT_LEDGER_READONLY);
	if (!l)
		return 1;
	if (set && (rc = cert_ledger_set_lang(l, set)))
		fail("%s", cert_ledger_error(l));
	else if (json)
		printf("{\"lang\":\"%s\"}\n", cert_ledger_lang(l));
	else
		printf("%s\n", cert_ledger_lang(l));
	cert_ledger_close(l);
	return rc ? 1 : 0;
}
