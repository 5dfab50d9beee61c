/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A fixed overwrite job result and helpers shared by the certificate tests. */
#ifndef TESTS_CERT_FIXTURE_H
#define TESTS_CERT_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "certs/record.h"
#include "wiper/job.h"

/* A finished 3-pass job on a 500 GB disk, with fixed times and seeds. */
static inline struct wiper_job_result *fixture_job(void)
{
	struct wiper_job_result *res = calloc(1, sizeof(*res));
	size_t i;

	snprintf(res->node, sizeof(res->node), "/dev/sdb");
	snprintf(res->model, sizeof(res->model), "WDC WD5000AAKX-00ERMA0");
	snprintf(res->serial, sizeof(res->serial), "WCC2EJ123456");
	snprintf(res->transport, sizeof(res->transport), "sata");
	res->size_bytes = 500107862016ull;
	res->logical_block = 512;
	res->physical_block = 4096;
	snprintf(res->method, sizeof(res->method), "dod522022m");
	snprintf(res->method_title, sizeof(res->method_title), "DoD 5220.22-M (3 passes)");
	snprintf(res->label, sizeof(res->label), "Clear");
	res->verify = WIPER_VERIFY_LAST;
	res->rounds = 1;
	res->seed = 0x0123456789abcdefull;
	snprintf(res->prng, sizeof(res->prng), "aes-ctr");
	res->request_bytes = 4u << 20;
	res->queue_depth = 4;
	res->npasses = 3;
	res->passes[0].pass.pattern[0] = 0x00;
	res->passes[0].pass.pattern_len = 1;
	res->passes[1].pass.pattern[0] = 0xff;
	res->passes[1].pass.pattern_len = 1;
	res->passes[2].pass.random = true;
	res->passes[2].pass.seed = 0xfeedfacecafebeefull;
	for (i = 0; i < 3; i++) {
		res->passes[i].completed = true;
		res->passes[i].bytes = res->size_bytes;
		res->passes[i].seconds = 3600.25;
	}
	res->passes[2].verified = true;
	res->passes[2].verify_bytes = res->size_bytes;
	res->passes[2].verify_seconds = 3000.5;
	res->verify_coverage = 1.0;
	res->start = 1795000000;	/* 2026-11-18 */
	res->end = 1795020000;
	res->seconds = 20000.0;
	res->outcome = WIPER_PASSED;
	return res;
}

static const struct cert_people fixture_people = {
	.operator_ = { "Li Wei", "Technician", "Records Unit 3", "Building 7, Room 12", "+86 10 5555 0101", "" },
	.witness = { "Anna Berg", "Security Officer", "Records Unit 3", "Building 7", "+86 10 5555 0102", "" },
};

static const struct cert_origin fixture_origin = {
	"Finance Department", "INV-2019-0042", "PC FIN-17", "Internal", "Unclassified", "No", "", "", "",
};

/* The fixture job as a record. */
static inline struct cert_record *fixture_record(void)
{
	struct wiper_job_result *res = fixture_job();
	struct cert_record *r = cert_record_new();
	struct cert_context ctx = { 0 };
	char err[128];

	ctx.station_id = "ST01";
	ctx.people = &fixture_people;
	ctx.origin = &fixture_origin;
	ctx.destination = CERT_DEST_EXTERNAL_REUSE;
	ctx.destination_details = "Sold via surplus office";
	if (cert_record_from_job(r, res, &ctx, err, sizeof(err)) != 0)
		abort();
	free(res);
	return r;
}

/* A fresh temporary directory; the caller removes it with fixture_rmdir. */
static inline char *fixture_tmpdir(void)
{
	char tmpl[] = "/tmp/tabula-cert-XXXXXX";
	char *d = mkdtemp(tmpl);

	return d ? strdup(d) : NULL;
}

static inline void fixture_rmdir(const char *dir)
{
	char cmd[512];

	if (snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir) < (int)sizeof(cmd) && system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
}

#endif
