/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The wiper command-line front end: subcommands and shared printers. */
#ifndef WIPER_CLI_H
#define WIPER_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "wiper/base/cliopt.h"
#include "wiper/json.h"
#include "wiper/medium.h"
#include "wiper/wiper.h"

/* Exit codes: 0 done, 1 the operation failed, 2 usage error or bad input. */
enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

extern const char *prog;

/* Print "wiper: <message>" on stderr (one line). */
void cli_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Each command's options and usage (wiper/base/cliopt.h): its --help and the top-level list. */
extern const struct cli_cmd cli_list, cli_info, cli_decode, cli_erase, cli_verify, cli_unfreeze;

int cmd_list(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_decode(int argc, char **argv);
int cmd_erase(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_unfreeze(int argc, char **argv);

struct wiper_job_result;

/* Certificate fields given on the erase command line. */
struct cli_cert_fields {
	const char *ledger;
	const char *operator_;		/* "Name" or the old "Name, Role" */
	const char *operator_role;	/* NULL: the role after a comma in operator_, if any */
	const char *witness;
	const char *witness_role;
	const char *supervisor[2];	/* --supervisor, in order given */
	unsigned nsupervisors;
	const char *approver;		/* "Name, Role" (审批人) */
	const char *approval;		/* approval reference (审批单号) */
	const char *asset;
	const char *carrier_no;		/* carrier number (载体编号) */
	const char *owner;
	const char *classification;
	const char *destination;	/* internal-reuse ... other */
	const char *config;		/* tabula.conf: levels, rules, people's details */
};

/* Map a --destination word to enum cert_dest in @out; 0, or -1 when unknown. @out may be NULL. */
int cli_parse_destination(const char *s, int *out);
/*
 * Issue the certificate of one finished job, ending its open job @job_id
 * (0: none); 0, or -errno after printing why.
 */
int cli_issue_certificate(const struct cli_cert_fields *f, const struct wiper_job_result *r,
			  int64_t job_id, char *cert_no, size_t len);
/* Note a job before it starts (so an interruption is certified); 0 or -errno after printing. */
int cli_job_begin(const struct cli_cert_fields *f, const struct wiper_job_result *r,
		  int64_t *job_id);
/* Drop a noted job that never ran. */
void cli_job_forget(const struct cli_cert_fields *f, int64_t job_id);
/*
 * Everything the certificate needs that can be checked before a medium is
 * touched (the ledger's path and key, room, the people and fields); 0, or
 * -errno after printing why in one line.
 */
int cli_cert_preflight(const struct cli_cert_fields *f);
/*
 * Without a ledger: the configuration, the classification and the 保密
 * rules alone (certs/policy.h), before a medium is touched; 0, or -1 after
 * printing why in one line.
 */
int cli_cert_policy(const struct cli_cert_fields *f);
/* Certify INCOMPLETE the jobs an earlier, stopped run left open; count or -errno. */
int cli_job_recover(const struct cli_cert_fields *f);
/* One device's result as a JSON object (one line). */
void print_job_result_json(struct json_out *j, const struct wiper_job_result *r);

void print_medium_json(struct json_out *j, const struct wiper_medium *m, bool full);
void print_medium_text(FILE *f, const struct wiper_medium *m);
void print_ata_identify_json(struct json_out *j, const char *key, const struct ata_identify *a);
void print_ata_identify_text(FILE *f, const struct ata_identify *a);
void print_nvme_ctrl_json(struct json_out *j, const char *key, const struct nvme_ctrl_info *n);
void print_nvme_ctrl_text(FILE *f, const struct nvme_ctrl_info *n);

#endif
