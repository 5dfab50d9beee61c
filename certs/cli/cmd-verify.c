/* SPDX-License-Identifier: GPL-3.0-or-later */
/* certs verify: a whole ledger, or one certificate file. */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "certs/cli/cli.h"
#include "certs/pdf.h"
#include "certs/qrcode.h"
#include "certs/record.h"
#include "certs/registry-pg.h"
#include "certs/text.h"
#include "certs/trust.h"

/* With --json, the findings so far (else NULL: they are printed as they come). */
static struct cj *findings;

/*
 * One finding: its line (@fmt, ending in a newline) on stdout, or with
 * --json an object {"verdict", "message"} in the findings, returned so
 * the caller can add figures (NULL without --json).
 */
__attribute__((format(printf, 2, 3)))
static struct cj *say(const char *verdict, const char *fmt, ...)
{
	struct cj *o;
	char line[4096];
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	if (!findings) {
		vprintf(fmt, ap);
		va_end(ap);
		return NULL;
	}
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	n = strlen(line);
	if (n && line[n - 1] == '\n')
		line[n - 1] = '\0';
	o = cj_new(CJ_OBJ);
	if (cj_add(o, "verdict", cj_str(verdict)) || cj_add(o, "message", cj_str_lossy(line))) {
		cj_free(o);
		return NULL;
	}
	return cj_add(findings, NULL, o) ? NULL : o;	/* a failed cj_add frees @o */
}

/*
 * Open the registry that holds the trust anchors and check its trust log.
 * NULL after saying why.
 */
static struct cert_ledger *open_trust(const char *path)
{
	struct cert_ledger *t;
	uint8_t head[CERT_HASH_LEN];
	uint64_t n;
	char why[256];
	int rc;

	if (!(t = open_trust_anchors(path)))
		return NULL;
	rc = cert_trust_check(t, &n, head, why, sizeof(why));
	if (rc) {
		fail("%s: the trust log does not verify: %s", cert_ledger_path(t),
		     rc > 0 ? why : cert_ledger_error(t));
		cert_ledger_close(t);
		return NULL;
	}
	if (n == 0) {
		fail("%s enrols no station: nothing could be genuine (certs trust add)",
		     cert_ledger_path(t));
		cert_ledger_close(t);
		return NULL;
	}
	return t;
}

/*
 * Is station @fp trusted by @t? 0 (name in @tr), or 1 after describing
 * why not into @why.
 */
static int trusted(struct cert_ledger *t, const char *reg, const char *fp, struct cert_trust *tr,
		   char *why, size_t len)
{
	char d[32];

	if (cert_trust_get(t, fp, tr)) {
		snprintf(why, len, "cannot read the trust log of %s: %s", reg, cert_ledger_error(t));
		return 1;
	}
	if (tr->state == CERT_TRUST_ENROLLED)
		return 0;
	if (tr->state == CERT_TRUST_REVOKED)
		snprintf(why, len, "signed by station \"%s\" (key %.16s...), whose enrolment in %s was"
			 " revoked on %s%s%s", tr->name, fp, reg, cert_time_str(tr->revoked, d, sizeof(d)),
			 tr->reason[0] ? ": " : "", tr->reason);
	else
		snprintf(why, len, "signed by an unknown station key %.16s... (the signature is valid,"
			 " but %s has not enrolled that key: anyone can sign with a key of their own)",
			 fp, reg);
	return 1;
}

/* Verify a register file, with the ledger and the trust anchors if given. */
static int verify_register(const char *file, const char *buf, size_t len, struct cert_ledger *l,
			   struct cert_ledger *t, const char *trust)
{
	struct cert_register_info info;
	struct cert_trust tr;
	char why[1024] = "";
	int rc;

	rc = cert_register_verify(buf, len, l, &info, why, sizeof(why));
	if (rc == 0 && t && trusted(t, trust, info.signer_fp, &tr, why, sizeof(why)))
		rc = 1;
	if (rc == 0 && !t) {
		say("STATION NOT CHECKED", "%s: STATION NOT CHECKED: register %s .. %s is intact and signed by key %.16s...,"
		       " but without --trust REGISTRY nobody vouches for that key\n", file,
		       tx(info.from), tx(info.to), info.signer_fp);
		return 1;
	}
	if (rc == 0)
		say("GENUINE", "%s: GENUINE REGISTER: %s .. %s, %zu record%s, chain heads of %zu station%s,"
		       " signed by station %.16s%s\n", file, tx(info.from), tx(info.to), info.rows,
		       info.rows == 1 ? "" : "s", info.stations, info.stations == 1 ? "" : "s",
		       info.signer_fp, l ? "; the ledger verifies and still holds every chain head"
		       " the register anchors" : " (give the ledger to check the chain heads)");
	else if (rc > 0)
		say("NOT GENUINE", "%s: NOT GENUINE: %s\n", file, tx(why));
	else
		fail("%s: cannot check: %s", file, why[0] ? tx(why) : strerror(-rc));
	return rc == 0 ? 0 : 1;
}

/* Read QR text from @arg, or from stdin when it is "-". NULL after saying why. */
static char *qr_input(const char *arg)
{
	size_t len = 0, cap = 4096;
	char *buf;

	if (strcmp(arg, "-"))
		return strdup(arg);
	buf = malloc(cap);
	while (buf) {
		size_t n = fread(buf + len, 1, cap - 1 - len, stdin);

		len += n;
		if (n == 0 || len + 1 >= cap)
			break;
	}
	if (buf)
		buf[len] = '\0';
	if (buf && len + 1 >= cap) {
		free(buf);
		buf = NULL;
		fail("verify --qr: the text on stdin is too long for a Tabula QR code");
	}
	return buf;
}

/* Verify the text of a scanned QR code, against a trust store if given. */
static int verify_qr(const char *arg, const char *trust)
{
	struct cert_ledger *l = NULL;
	struct cert_qr q;
	char err[512], why[1024] = "", *text;
	int rc;

	if (!(text = qr_input(arg)))
		return 1;
	rc = cert_qr_parse(text, &q, err, sizeof(err));
	free(text);
	if (rc)
		return refuse("verify --qr: %s", err);
	if (trust && !(l = open_trust(trust)))
		return 1;
	rc = cert_qr_verify(&q, l, why, sizeof(why));
	cert_ledger_close(l);
	switch (rc) {
	case CERT_QR_GENUINE:
		say("GENUINE", "QR: GENUINE: certificate %s, record %" PRIu64 " of station %s, signed and"
		       " present unaltered in %s\n", tx(q.cert_no), q.seq, q.fp, trust);
		return 0;
	case CERT_QR_UNTRUSTED:
		say("STATION NOT CHECKED", "QR: SIGNATURE VALID, STATION NOT CHECKED: certificate %s, record %" PRIu64
		       ", station key %s; %s\n", tx(q.cert_no), q.seq, q.fp, tx(why));
		return 1;
	case CERT_QR_NOT_GENUINE:
		say("NOT GENUINE", "QR: NOT GENUINE: certificate %s: %s\n", tx(q.cert_no), tx(why));
		return 1;
	default:
		return fail("verify --qr: cannot check: %s", why[0] ? tx(why) : strerror(-rc));
	}
}

/* Verify one PDF (a certificate or a register), with the ledger and the trust anchors if given. */
static int verify_pdf(const char *file, const char *ledger, const char *trust)
{
	struct cert_ledger *l = NULL, *t = NULL;
	struct cert_entry e = { 0 };
	struct cert_trust tr;
	char why[1024] = "", *buf = NULL;
	size_t len;
	int rc;

	rc = cert_read_file(file, &buf, &len);
	if (rc)
		return fail("%s: %s", file, strerror(-rc));
	if ((ledger && !(l = open_ledger(ledger, CERT_LEDGER_READONLY | CERT_LEDGER_VERIFYING))) ||
	    (trust && !(t = open_trust(trust)))) {
		cert_ledger_close(l);
		free(buf);
		return 1;
	}
	if (cert_pdf_is_register(buf, len)) {
		rc = verify_register(file, buf, len, l, t, trust);
		cert_ledger_close(l);
		cert_ledger_close(t);
		free(buf);
		return rc;
	}
	rc = cert_pdf_verify(buf, len, l, &e, why, sizeof(why));
	if (rc == 0 && t && trusted(t, trust, e.fp, &tr, why, sizeof(why)))
		rc = 1;
	if (rc == 0 && t) {
		say("GENUINE", "%s: GENUINE: certificate %s, record %" PRIu64 " of station \"%s\" (key %.16s...),"
		       " enrolled in %s%s\n", file, tx(e.cert_no), e.seq, tx(tr.name), e.fp, trust,
		       l ? "; present and unaltered in the ledger, which verifies" : "");
	} else if (rc == 0) {
		/* A valid signature alone proves nothing: anyone can make a key. */
		say("STATION NOT CHECKED", "%s: STATION NOT CHECKED: certificate %s, record %" PRIu64 " is intact and signed"
		       " by key %.16s...%s, but without --trust REGISTRY nobody vouches for that key\n",
		       file, tx(e.cert_no), e.seq, e.fp,
		       l ? ", present and unaltered in the ledger" : "");
		rc = 1;
	} else if (rc > 0) {
		say("NOT GENUINE", "%s: NOT GENUINE: %s\n", file, tx(why));
	} else {
		/* Could not be judged (no memory, no CJK font, ...): say why, not genuine or not. */
		fail("%s: cannot check: %s", file, why[0] ? why : strerror(-rc));
	}
	cert_entry_done(&e);
	cert_ledger_close(l);
	cert_ledger_close(t);
	free(buf);
	return rc == 0 ? 0 : 1;
}

struct trust_walk {
	struct cert_ledger *l, *t;
	const char *reg;
	char why[1024];
	char fp[CERT_FP_HEX];
};

/* Every station of the ledger must be enrolled and unrevoked. */
static int station_trusted(const char *fp, const uint8_t pub[CERT_PUB_LEN], const char *id,
			   void *arg)
{
	struct trust_walk *w = arg;
	struct cert_trust tr;

	(void)pub;
	(void)id;
	if (!trusted(w->t, w->reg, fp, &tr, w->why, sizeof(w->why)))
		return 0;
	snprintf(w->fp, sizeof(w->fp), "%s", fp);
	return 1;
}

/* Is @name a file name ending in ".pdf"? */
static bool is_pdf_name(const char *name)
{
	size_t n = strlen(name);

	return n > 4 && !strcasecmp(name + n - 4, ".pdf");
}

/*
 * Check every certificate PDF in @dir against the ledger: a signed
 * certificate whose record the ledger lacks, or holds otherwise, means the
 * ledger was cut, rolled back or rewritten. Returns the number of problems
 * (each printed), or -1 after saying why.
 */
/*
 * Is the file @name, holding certificate @cert_no, named as another
 * certificate of the same station? Only a name that is such a number and
 * ".pdf", as the station writes them (ST01-000123.pdf for ST01-000001), is:
 * a copy in the place of that other certificate, whose own file is then not
 * here. Any other name (the officer's "Disk-20261102.pdf") is nobody's.
 */
static bool misnamed(const char *name, const char *cert_no)
{
	const char *dash = strrchr(cert_no, '-');
	size_t n = strlen(name), plen, dlen, i;

	if (!dash || n < 5 || strcmp(name + n - 4, ".pdf"))
		return false;
	n -= 4;
	plen = (size_t)(dash - cert_no) + 1;	/* "ST01-" */
	dlen = strlen(dash + 1);		/* the number's digits */
	if (n != plen + dlen || strncmp(name, cert_no, plen))
		return false;
	for (i = plen; i < n; i++)
		if (!isdigit((unsigned char)name[i]))
			return false;
	return strncmp(name, cert_no, n) != 0;
}

static int check_pdfs(struct cert_ledger *l, const char *dir, const char *what)
{
	struct dirent **names = NULL;
	unsigned checked = 0, other = 0;
	int n, i, bad = 0;

	n = scandir(dir, &names, NULL, alphasort);
	if (n < 0) {
		fail("%s: %s", dir, strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++) {
		struct cert_entry e = { 0 }, le = { 0 };
		struct cert_key *k = NULL;
		uint8_t h[CERT_HASH_LEN];
		char path[4096], lang[8], err[512], fp[CERT_FP_HEX], *buf = NULL;
		size_t len;
		int rc;

		if (!is_pdf_name(names[i]->d_name) ||
		    snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name) >= (int)sizeof(path) ||
		    cert_read_file(path, &buf, &len) != 0)
			goto next;
		if (cert_pdf_extract(buf, len, &e, lang, err, sizeof(err)) != 0) {
			other++;	/* a register, or another document: not a certificate */
			goto next;
		}
		cert_chain_hash(e.prev, e.canon, e.canon_len, h);
		cert_fingerprint(e.pub, fp);
		if (memcmp(h, e.hash, CERT_HASH_LEN) || strcmp(fp, e.fp) ||
		    cert_key_from_public(e.pub, &k) || cert_verify_sig(k, e.hash, e.sig)) {
			say("NOT GENUINE", "%s: %s: NOT GENUINE: the embedded record does not match its hash or"
			       " signature\n", what, path);
			bad++;
			goto next;
		}
		checked++;
		{
			struct cert_record *r = cert_record_new();

			if (r && !cert_record_decode(e.canon, e.canon_len, r, err, sizeof(err)) &&
			    misnamed(names[i]->d_name, r->cert_no)) {
				say("MISNAMED", "%s: MISNAMED: %s holds certificate %s (record %" PRIu64
				    "), not the one its name gives: a copy in the place of that"
				    " certificate, whose own file is not in this folder\n", what,
				    path, r->cert_no, e.seq);
				bad++;
			}
			cert_record_free(r);
		}
		rc = cert_ledger_get(l, e.fp, e.seq, &le);
		if (rc == -ENOENT) {
			say("CUT", "%s: CUT: %s is a signed certificate for record %" PRIu64 " of station key"
			       " %.16s... that the ledger does not hold: its tail was cut or it was"
			       " rolled back\n", what, path, e.seq, e.fp);
			bad++;
		} else if (rc) {
			say("CANNOT CHECK", "%s: %s: record %" PRIu64 ": %s\n", what, path, e.seq, cert_ledger_error(l));
			bad++;
		} else if (le.canon_len != e.canon_len || memcmp(le.canon, e.canon, e.canon_len) ||
			   memcmp(le.hash, e.hash, CERT_HASH_LEN)) {
			say("DIFFERS", "%s: DIFFERS: record %" PRIu64 " (%s) is not the one the signed certificate"
			       " %s holds: the ledger was rewritten from there\n", what, e.seq,
			       le.cert_no, path);
			bad++;
		}
next:
		cert_entry_done(&le);
		cert_entry_done(&e);
		cert_key_free(k);
		free(buf);
		free(names[i]);
	}
	free(names);
	if (!bad)
		say("OK", "%s: %u certificate PDF%s in %s found in the ledger as issued%s\n", what, checked,
		       checked == 1 ? "" : "s", dir, other ? " (other PDFs skipped)" : "");
	return bad;
}

/* Print the outcome of a ledger or registry check; the exit status. */
static int report(const char *what, unsigned flags, int rc, const struct cert_verify *v,
		  const char *lerr)
{
	char hx[2 * CERT_HASH_LEN + 1];

	if (rc == 0) {
		struct cj *o;

		cert_hex(v->head, CERT_HASH_LEN, hx);
		o = say("OK", "%s: OK: %" PRIu64 " records, %" PRIu64 " station%s, every link, hash and"
		       " chained signature verified%s; chain head %" PRIu64 " %s\n", what,
		       v->records, v->stations, v->stations == 1 ? "" : "s",
		       (flags & CERT_VERIFY_EVERY_SIG) ? ", each signature checked on its own" : "",
		       v->head_seq, hx);
		if (o && (cj_add(o, "records", cj_u64(v->records)) ||
			  cj_add(o, "stations", cj_u64(v->stations)) ||
			  cj_add(o, "head_record", cj_u64(v->head_seq)) ||
			  cj_add(o, "head_hash", cj_str(hx))))
			fail("out of memory");
		if (v->warning[0])
			say("WARNING", "%s: WARNING: %s\n", what, v->warning);
		if (v->export_upto)
			say("EXPORT", "%s: EXPORT: a copy cut at record %" PRIu64 ", not the station's whole"
			       " ledger (a registry that holds more refuses it)\n", what,
			       v->export_upto);
	} else if (v->bad_seq) {
		say("FAILED", "%s: FAILED at record %" PRIu64 "%s%s%s of station %.16s: %s\n", what,
		       v->bad_seq, v->cert_no[0] ? " (" : "", tx(v->cert_no), v->cert_no[0] ? ")" : "",
		       tx(v->fp), tx(v->reason));
	} else {
		say("FAILED", "%s: FAILED: %s\n", what, tx(v->reason[0] || !lerr ? v->reason : lerr));
	}
	return rc == 0 ? 0 : 1;
}

enum { OPT_PDF = 256, OPT_QR, OPT_QUICK, OPT_DEEP, OPT_EVERY, OPT_TRUST, OPT_PDFS, OPT_JSON };

static const struct cli_opt verify_opts[] = {
	{ "pdf", OPT_PDF, "FILE", "check a certificate or register PDF, not a ledger" },
	{ "qr", OPT_QR, "TEXT|-", "check the text of a scanned QR code (-: from stdin)" },
	{ "trust", OPT_TRUST, "REGISTRY", "also every station must be enrolled in REGISTRY and\n"
					  "not revoked (needed for GENUINE)" },
	{ "pdfs", OPT_PDFS, "DIR", "also every certificate PDF in DIR must be in the\n"
				   "ledger as issued, under its own number (a missing\n"
				   "one shows a cut ledger)" },
	{ "every-signature", OPT_EVERY, NULL, "check each record's signature on its own too" },
	{ "deep", OPT_DEEP, NULL, "also decode and check every record's fields" },
	{ "quick", OPT_QUICK, NULL, NULL },	/* old option: the same check as without it */
	{ "json", OPT_JSON, NULL, "one JSON object: {\"genuine\": ..., \"findings\": [...]}" },
	{ NULL, 0, NULL, NULL },
};

const struct cli_cmd cli_verify = {
	"certs verify", "LEDGER | --pdf FILE [LEDGER] | --qr TEXT|-",
	"is a ledger, a certificate or a QR code genuine?", verify_opts,
	"A LEDGER (a file, or a registry at postgresql://...): every link, hash and\n"
	"chained signature, the columns against the signed records, the schema,\n"
	"settings, open jobs, SQLite's integrity check and the write-ahead log. A PDF\n"
	"(certificate or register) or a scanned QR text is GENUINE only with --trust,\n"
	"when a station enrolled there and not revoked signed it.\n"
	"Exit status: 0 genuine / verified, 1 not, 2 usage.\n",
};

static int verify_run(int argc, char **argv, const char *pdf, const char *qr, const char *trust,
		      const char *pdfs, unsigned flags);

int cmd_verify(int argc, char **argv)
{
	const char *pdf = NULL, *qr = NULL, *trust = NULL, *pdfs = NULL;
	struct cli_parser cp;
	unsigned flags = 0;
	bool json = false;
	int c, rc;

	cli_begin(&cp, &cli_verify, argc, argv);
	while ((c = cli_next(&cp)) != CLI_DONE) {
		switch (c) {
		case OPT_PDF: pdf = optarg; break;
		case OPT_QR: qr = optarg; break;
		case OPT_QUICK: flags |= CERT_VERIFY_QUICK; break;
		case OPT_DEEP: flags |= CERT_VERIFY_DEEP; break;
		case OPT_EVERY: flags |= CERT_VERIFY_EVERY_SIG; break;
		case OPT_TRUST: trust = optarg; break;
		case OPT_PDFS: pdfs = optarg; break;
		case OPT_JSON: json = true; break;
		case CLI_HELP: return 0;
		default: return EXIT_USAGE;
		}
	}
	if (json && !(findings = cj_new(CJ_ARR)))
		return fail("out of memory");
	rc = verify_run(argc, argv, pdf, qr, trust, pdfs, flags);
	if (json && rc != EXIT_USAGE) {
		/* Always a whole JSON document, also when the check could not be made. */
		struct cj *o = cj_new(CJ_OBJ);
		int jrc = cj_add(o, "genuine", cj_bool(rc == 0));

		if (!jrc)
			jrc = cj_add(o, "findings", findings);
		else
			cj_free(findings);
		findings = NULL;	/* in @o, or freed */
		/* why nothing could be judged, or the last thing that went wrong */
		if (!jrc && cli_last_error[0])
			jrc = cj_add(o, "error", cj_str_lossy(cli_last_error));
		if (jrc) {
			cj_free(o);
			o = NULL;
		}
		if (cli_json_print(o))
			rc = 1;
	}
	cj_free(findings);
	findings = NULL;
	return rc;
}

/* The check itself, after the options. */
static int verify_run(int argc, char **argv, const char *pdf, const char *qr, const char *trust,
		      const char *pdfs, unsigned flags)
{
	struct cert_ledger *l;
	struct cert_verify v;
	int rc;

	if (qr) {
		if (pdf || pdfs || argc - optind > 0)
			return usage_error("verify --qr TEXT|- takes only --trust REGISTRY");
		return verify_qr(qr, trust);
	}
	if (pdf) {
		if (argc - optind > 1)
			return usage_error("verify --pdf FILE takes at most one LEDGER");
		if (pdfs)
			return usage_error("verify: --pdfs DIR goes with a LEDGER, not with --pdf");
		return verify_pdf(pdf, optind < argc ? argv[optind] : NULL, trust);
	}
	if (argc - optind != 1)
		return usage_error("verify needs exactly one LEDGER");
	if (cert_pg_is_uri(argv[optind])) {
		struct cert_pg *pg;
		char err[1024], shown[512];

		cli_hide_password(argv[optind], shown, sizeof(shown));
		if (cert_pg_open(argv[optind], &pg, err, sizeof(err)))
			return fail("%s: %s", shown, err);
		rc = cert_pg_verify(pg, flags, &v);
		cert_pg_close(pg);
		return report(shown, flags, rc, &v, NULL);
	}
	l = open_ledger(argv[optind], CERT_LEDGER_READONLY | CERT_LEDGER_VERIFYING);
	if (!l)
		return 1;
	rc = cert_ledger_verify(l, flags, &v);
	rc = report(argv[optind], flags, rc, &v, cert_ledger_error(l));
	if (!rc) {
		/* A registry's own trust log, if it keeps one. */
		uint8_t th[CERT_HASH_LEN];
		uint64_t tn;
		char why[256];
		int trc = cert_trust_check(l, &tn, th, why, sizeof(why));

		if (trc) {
			say("FAILED", "%s: FAILED: the trust log does not verify: %s\n", argv[optind],
			       trc > 0 ? why : cert_ledger_error(l));
			rc = 1;
		}
	}
	if (!rc && trust) {
		struct trust_walk w = { l, NULL, trust, "", "" };
		uint64_t seq = 0;
		uint8_t hh[CERT_HASH_LEN];

		if (!(w.t = open_trust(trust))) {
			rc = 1;
		} else if (cert_ledger_each_station(l, station_trusted, &w)) {
			if (w.fp[0] && cert_ledger_head(l, w.fp, &seq, hh) == 0 && seq)
				say("NOT GENUINE", "%s: NOT GENUINE: records 1..%" PRIu64 " are %s\n", argv[optind],
				       seq, w.why);
			else
				say("NOT GENUINE", "%s: NOT GENUINE: %s\n", argv[optind],
				       w.why[0] ? w.why : cert_ledger_error(l));
			rc = 1;
		} else {
			say("TRUSTED", "%s: TRUSTED: every station is enrolled in %s\n", argv[optind], trust);
		}
		cert_ledger_close(w.t);
	}
	if (!rc && pdfs && check_pdfs(l, pdfs, argv[optind]) != 0)
		rc = 1;
	cert_ledger_close(l);
	return rc;
}
