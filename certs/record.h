/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The certificate record: what happened to one medium, by whom and why.
 * Everything of the overwrite job result plus the NIST SP 800-88 Appendix G
 * fields, the IEEE 2883 labels, the people and the destination. A record
 * of kind CERT_KIND_DESTROY documents physical destruction instead.
 *
 * cert_record_encode() gives the one canonical byte string that the ledger
 * hashes and signs; cert_record_decode() is its strict inverse.
 */
#ifndef CERTS_RECORD_H
#define CERTS_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "certs/canon.h"

struct wiper_job_result;

/*
 * The encoding's versions. Version 3 added the 保密 record: the carrier
 * number, the approval reference, the approver, the second supervisor, each
 * person's department, and the station's UTC offset. A record keeps the
 * version it was made in (cert_record.version), so a version-2 record decodes
 * and re-encodes to its own bytes and its signature still verifies.
 */
#define CERT_FORMAT_2 "tabula-record-2"
#define CERT_FORMAT_3 "tabula-record-3"
#define CERT_FORMAT CERT_FORMAT_3
#define CERT_VERSION_CURRENT 3
#define CERT_STEPS_MAX 256
#define CERT_LBAS_MAX 1024
#define CERT_STR 128
#define CERT_TEXT 512

enum cert_kind { CERT_KIND_ERASE, CERT_KIND_DESTROY };
enum cert_result { CERT_PASSED, CERT_FAILED, CERT_INCOMPLETE, CERT_DESTROYED };
enum cert_dest {
	CERT_DEST_INTERNAL_REUSE,
	CERT_DEST_EXTERNAL_REUSE,
	CERT_DEST_RECYCLING,
	CERT_DEST_DESTRUCTION,
	CERT_DEST_MANUFACTURER,
	CERT_DEST_OTHER,
};

/* A person as NIST Appendix G lists one. */
struct cert_person {
	char name[CERT_STR];
	char title[CERT_STR];		/* role, e.g. "Technician" */
	char organization[CERT_STR];	/* unit (单位) */
	char location[CERT_STR];
	char phone[64];
	char department[CERT_STR];	/* department (部门); version 3 */
};

/*
 * Who did the work (操作人/销毁人), who supervised it (监销人: the first is the
 * witness of NIST's form, the second optional), and who approved it (审批人,
 * optional). The last two are version 3.
 */
struct cert_people {
	struct cert_person operator_;
	struct cert_person witness;	/* the first supervisor */
	struct cert_person supervisor2;
	struct cert_person approver;
};

/* Where the medium came from and what it held. */
struct cert_origin {
	char owner_unit[CERT_STR];
	char property_number[CERT_STR];	/* asset / property number */
	char source[CERT_STR];		/* user name or PC property number */
	char classification[CERT_STR];
	char post_classification[CERT_STR];
	char data_backed_up[16];	/* "Yes", "No", "Unknown" */
	char backup_location[CERT_STR];
	char carrier_no[CERT_STR];	/* carrier number (载体编号); version 3 */
	char approval_ref[CERT_STR];	/* approval reference (审批单号); version 3 */
};

/* One step, exactly as executed. */
struct cert_step {
	char action[32];		/* "overwrite", "sanitize", "destroy" */
	char pattern[40];		/* hex pattern, "random", or the command */
	char seed[20];			/* 16 hex digits for random data, else "" */
	char command[160];		/* a firmware command exactly as sent, else "" */
	char answer[160];		/* and the device's answer */
	bool completed;
	uint64_t bytes;
	uint64_t ms;
	uint64_t write_errors;
	bool verified;
	uint64_t verify_bytes;
	uint64_t verify_ms;
	uint64_t verify_mismatches;
	uint64_t verify_read_errors;
};

struct cert_lbas {
	uint64_t lba[CERT_LBAS_MAX];
	size_t n;
	uint64_t total;
};

struct cert_record {
	/* The encoding version (2 or 3); 0 in a new record means the current one. */
	unsigned version;
	enum cert_kind kind;
	uint64_t seq;			/* chain position, set by the ledger */
	char cert_no[64];		/* set by the ledger */
	/*
	 * The previous record's signature in hex ("" for the first record), set
	 * by the ledger. Chaining the signatures as well as the hashes lets the
	 * head signature vouch for every stored signature before it.
	 */
	char prev_sig[129];

	/* Station. */
	char station_id[64];
	char tool[32];			/* "Tabula" */
	char tool_version[32];
	char key_fingerprint[65];	/* set by the ledger */
	/*
	 * The key custody that signed ("file", "tpm"; certs/custody.h) and its
	 * monotonic counter's value at this append (0 for "file"), set by the
	 * ledger. Both "" / 0 in records from before custody was recorded:
	 * then the two members are absent from the canonical encoding, which
	 * keeps those records' bytes (and signatures) as they were.
	 */
	char custody[16];
	uint64_t custody_counter;
	/*
	 * The station's offset from UTC in seconds at the record's end time
	 * (+28800 for Asia/Shanghai), so every rendering shows the local times
	 * the station showed. Version 3; 0 in older records.
	 */
	int32_t utc_offset;

	struct cert_people people;
	struct cert_origin origin;

	/* Medium. */
	char make[CERT_STR];
	char model[CERT_STR];
	char serial[CERT_STR];
	char media_type[64];		/* "HDD", "SSD", "USB flash" ... */
	char node[CERT_STR];
	char transport[32];
	uint64_t size_bytes;
	uint32_t logical_block;
	uint32_t physical_block;
	char hidden_before[CERT_STR];	/* HPA/DCO state */
	char hidden_after[CERT_STR];
	char smart_before[CERT_STR];
	char smart_after[CERT_STR];

	/* Sanitization (NIST App. G, IEEE 2883, the method). */
	char nist_method_type[16];	/* Clear, Purge, Destroy */
	char nist_method_used[32];	/* Overwrite, Block Erase, Crypto Erase, Degauss, Other */
	char method_details[CERT_TEXT];
	char ieee_method[16];		/* Clear, Purge, Destruct */
	char ieee_technique[32];	/* Overwrite, Block Erase, Cryptographic Erase, Disintegrate... */
	char command[CERT_STR];		/* interface command, e.g. "host write commands" */
	char method[48];
	char method_title[96];
	uint32_t rounds;
	char seed[20];			/* master seed, 16 hex digits */
	char prng[16];
	uint64_t request_bytes;
	uint32_t queue_depth;
	char verify_mode[16];		/* none, last, all, sample */
	char verification_method[32];	/* NIST: Full, Quick Sampling, Other, None */
	uint32_t verify_coverage_ppm;	/* fraction read back, parts per million */
	uint64_t verify_samples;
	char notes[CERT_TEXT];

	struct cert_step steps[CERT_STEPS_MAX];
	size_t nsteps;
	struct cert_lbas bad;
	struct cert_lbas mismatch;

	/* Destruction (kind DESTROY). */
	char destroy_technique[64];	/* Shred, Disintegrate, Incinerate ... */
	char destroy_details[CERT_TEXT];

	enum cert_dest destination;
	char destination_details[CERT_STR];

	int64_t start, end;		/* UTC seconds */
	uint64_t duration_ms;
	enum cert_result result;
	char reason[CERT_TEXT];
};

/* What the front end knows and the job result does not. */
struct cert_context {
	const char *station_id;		/* NULL: "TABULA" */
	const struct cert_people *people;	/* borrowed, may be NULL */
	const struct cert_origin *origin;	/* borrowed, may be NULL */
	enum cert_dest destination;
	const char *destination_details;
	const char *make;		/* NULL: first word of the model */
	const char *media_type;		/* NULL: derived from the transport */
	const char *notes;
};

/* A zeroed record, heap allocated (it is large). NULL on ENOMEM. */
struct cert_record *cert_record_new(void);
void cert_record_free(struct cert_record *r);

/*
 * Fill @r from an overwrite job result and @ctx. Every pass becomes a step
 * with its pattern or seed; the result maps PASSED/FAILED/INCOMPLETE.
 * Returns 0, or -EOVERFLOW when a field did not fit (the record is still
 * usable, the field is truncated and named in @err).
 */
int cert_record_from_job(struct cert_record *r, const struct wiper_job_result *res,
			 const struct cert_context *ctx, char *err, size_t errlen);

/* Fill @r as a DESTROY record for a medium that was physically destroyed. */
void cert_record_init_destroy(struct cert_record *r, const char *technique, const char *details);

/* The canonical encoding of @r into @out (appended). 0 or -ENOMEM. */
int cert_record_encode(const struct cert_record *r, struct cbuf *out);

/*
 * Decode canonical bytes into @r. Strict: must be the canonical encoding,
 * every field present, no unknown field, values in range. Returns 0 or
 * -EINVAL with the reason in @err.
 */
int cert_record_decode(const char *buf, size_t len, struct cert_record *r, char *err,
		       size_t errlen);
/* The same from an already parsed value. */
int cert_record_from_cj(const struct cj *v, struct cert_record *r, char *err, size_t errlen);

/*
 * Compare two records field by field (what the encoding holds). 0 when
 * equal; 1 when not, with the first differing field ("media.serial") in @what.
 */
int cert_record_diff(const struct cert_record *a, const struct cert_record *b, char *what,
		     size_t len);

const char *cert_result_str(enum cert_result r);
const char *cert_kind_str(enum cert_kind k);
const char *cert_dest_str(enum cert_dest d);

/* "2026-11-24T10:00:00Z" into @buf (at least 21 bytes). */
const char *cert_time_str(int64_t t, char *buf, size_t len);
/* Parse "YYYY-MM-DD" or the form above. 0 or -EINVAL. */
int cert_time_parse(const char *s, int64_t *out);

/*
 * Local time, as people read it. Stored instants stay UTC; the station's
 * time zone is the process's ($TZ, set from tabula.conf by
 * cert_conf_apply_timezone(), else the system's).
 */
/* The process's offset from UTC at @t, in seconds (+28800 for Asia/Shanghai). */
int32_t cert_utc_offset(int64_t t);
/* "2026-12-02 06:12:00 UTC+08:00": @t at offset @off, into @buf (at least 32 bytes). */
const char *cert_time_local_str(int64_t t, int32_t off, char *buf, size_t len);
/* "2026-12-02": the day of @t at offset @off (at least 11 bytes). */
const char *cert_date_local_str(int64_t t, int32_t off, char *buf, size_t len);
/* "UTC+08:00" for offset @off (at least 10 bytes). */
const char *cert_offset_str(int32_t off, char *buf, size_t len);
/*
 * The local midnight starting day "YYYY-MM-DD" @s (@days_after days later),
 * in the process's time zone, as UTC seconds. 0 or -EINVAL.
 */
int cert_local_day_start(const char *s, int days_after, int64_t *out);

#endif
