/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The JSON form of a finished job, as wiper erase --json prints it. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <time.h>

#include "wiper/base/base.h"
#include "wiper/cli/cli.h"
#include "wiper/job.h"

/* Print the result of one device as JSON. */
void print_job_result_json(struct json_out *j, const struct wiper_job_result *r)
{
	char buf[64];
	size_t i;

	json_obj_begin(j, NULL);
	json_str(j, "event", "result");
	json_str(j, "device", r->node);
	json_str(j, "model", r->model);
	json_str(j, "serial", r->serial);
	json_str(j, "transport", r->transport);
	json_u64(j, "size_bytes", r->size_bytes);
	json_u64(j, "sectors", r->logical_block ? r->size_bytes / r->logical_block : 0);
	json_u64(j, "logical_sector_size", r->logical_block);
	json_str(j, "method", r->method);
	json_str(j, "method_title", r->method_title);
	json_str(j, "label", r->label);
	json_str(j, "verify", wiper_verify_str(r->verify));
	json_u64(j, "rounds", r->rounds);
	json_u64(j, "seed", r->seed);
	json_str(j, "prng", r->prng);
	json_u64(j, "request_bytes", r->request_bytes);
	json_u64(j, "queue_depth", r->queue_depth);
	json_arr_begin(j, "passes");
	for (i = 0; i < r->npasses; i++) {
		const struct wiper_pass_result *p = &r->passes[i];

		json_obj_begin(j, NULL);
		json_str(j, "pattern", wiper_pass_str(&p->pass, buf, sizeof(buf)));
		if (p->pass.random) {
			char hex[24];

			snprintf(hex, sizeof(hex), "%016" PRIx64, p->pass.seed);
			json_str(j, "stream_seed", hex);
		}
		json_bool(j, "completed", p->completed);
		json_u64(j, "bytes", p->bytes);
		json_dbl(j, "seconds", p->seconds);
		json_dbl(j, "mb_per_s", p->seconds > 0 ? (double)p->bytes / p->seconds / 1e6 : 0);
		json_u64(j, "write_errors", p->write_errors);
		json_bool(j, "verified", p->verified);
		if (p->verified || p->verify_bytes) {
			json_u64(j, "verify_bytes", p->verify_bytes);
			json_dbl(j, "verify_seconds", p->verify_seconds);
			json_dbl(j, "verify_mb_per_s", p->verify_seconds > 0 ?
				 (double)p->verify_bytes / p->verify_seconds / 1e6 : 0);
			json_u64(j, "verify_mismatches", p->verify_mismatches);
			json_u64(j, "verify_read_errors", p->verify_read_errors);
		}
		json_obj_end(j);
	}
	json_arr_end(j);
	json_str(j, "technique", r->technique[0] ? r->technique : "overwrite");
	if (r->nsteps) {
		json_arr_begin(j, "steps");
		for (i = 0; i < r->nsteps; i++) {
			json_obj_begin(j, NULL);
			json_str(j, "command", r->steps[i].command);
			json_str(j, "answer", r->steps[i].answer);
			json_i64(j, "rc", r->steps[i].rc);
			json_obj_end(j);
		}
		json_arr_end(j);
	}
	if (r->hidden_checked) {
		json_obj_begin(j, "hidden_area");
		json_u64(j, "sectors_before", r->sectors_before);
		json_u64(j, "native_sectors", r->native_sectors);
		json_u64(j, "sectors_after", r->sectors_after);
		json_obj_end(j);
	}
	if (r->compare_blocks) {
		json_obj_begin(j, "pre_post_comparison");
		json_u64(j, "blocks", r->compare_blocks);
		json_u64(j, "held_no_data_before", r->compare_uniform);
		json_u64(j, "unchanged", r->compare_unchanged);
		json_obj_end(j);
	}
	json_dbl(j, "verify_coverage", r->verify_coverage);
	if (r->verify == WIPER_VERIFY_SAMPLE)
		json_u64(j, "verify_samples", r->verify_samples);
	json_u64(j, "bad_blocks", r->bad.total);
	json_arr_begin(j, "bad_lbas");
	for (i = 0; i < r->bad.n; i++)
		json_u64(j, NULL, r->bad.lba[i]);
	json_arr_end(j);
	json_u64(j, "mismatched_blocks", r->mismatch.total);
	json_arr_begin(j, "mismatch_lbas");
	for (i = 0; i < r->mismatch.n && i < 64; i++)
		json_u64(j, NULL, r->mismatch.lba[i]);
	json_arr_end(j);
	json_str(j, "start", base_time_utc(r->start, buf, sizeof(buf)));
	json_str(j, "end", base_time_utc(r->end, buf, sizeof(buf)));
	json_dbl(j, "seconds", r->seconds);
	json_str(j, "result", wiper_outcome_str(r->outcome));
	json_str(j, "reason", r->reason[0] ? r->reason : NULL);
	json_obj_end(j);
	json_end(j);
}

