/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wiper verify: re-read a device against the final pass of a method. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wiper/cli/erase.h"
#include "wiper/dev.h"

int cmd_verify(int argc, char **argv)
{
	static struct wiper_pass passes[WIPER_PASSES_MAX];
	const struct wiper_method *m;
	struct wiper_job_result *res;
	struct wiper_pass_result pr;
	struct wiper_dev *dev = NULL;
	struct run_opts ro;
	char err[256];
	int first, n, rc;

	first = erase_parse_opts(argc, argv, &ro, true);
	if (first < 0)
		return EXIT_USAGE;
	if (argc - first != 1) {
		cli_err("verify: name exactly one device");
		return EXIT_USAGE;
	}
	n = erase_verify_passes(&ro, passes, &m);
	if (n < 0)
		return EXIT_USAGE;
	if (passes[n - 1].random && !ro.seed_set) {
		cli_err("verify: the final pass is random; give the --seed the erase reported");
		return EXIT_USAGE;
	}
	rc = wiper_dev_open(argv[first], WIPER_OPEN_READ | WIPER_OPEN_DIRECT, &dev, err, sizeof(err));
	if (rc < 0) {
		cli_err("%s", err);
		return EXIT_USAGE;
	}
	res = calloc(1, sizeof(*res));
	if (res == NULL) {
		wiper_dev_close(dev);
		return EXIT_FAIL;
	}
	memset(&pr, 0, sizeof(pr));
	pr.pass = passes[n - 1];
	snprintf(res->node, sizeof(res->node), "%s", argv[first]);
	rc = wiper_verify_pass(dev, &passes[n - 1],
			       ro.verify == WIPER_VERIFY_SAMPLE ? WIPER_VERIFY_SAMPLE : WIPER_VERIFY_ALL,
			       ro.seed ^ 0x5eed, NULL, res, &pr);
	if (rc < 0) {
		cli_err("%s: verification stopped: %s", argv[first], strerror(-rc));
		rc = EXIT_FAIL;
	} else {
		bool match = !pr.verify_mismatches && !pr.verify_read_errors;
		uint64_t first_lba = res->mismatch.n ? res->mismatch.lba[0] :
				     res->bad.n ? res->bad.lba[0] : 0;

		if (ro.json) {
			struct json_out j;

			json_init(&j, stdout, false);
			json_obj_begin(&j, NULL);
			json_str(&j, "device", argv[first]);
			json_str(&j, "result", match ? "MATCH" : "MISMATCH");
			json_str(&j, "method", m ? m->name : ro.pattern);
			json_u64(&j, "bytes_read", pr.verify_bytes);
			json_u64(&j, "mismatched_blocks", pr.verify_mismatches);
			json_u64(&j, "unreadable_blocks", pr.verify_read_errors);
			if (!match)
				json_u64(&j, "first_lba", first_lba);
			json_dbl(&j, "coverage", res->verify_coverage);
			json_obj_end(&j);
			json_end(&j);
		} else if (!match) {
			printf("%s: MISMATCH: %" PRIu64 " blocks differ, %" PRIu64
			       " unreadable (first LBA %" PRIu64 "), %.1f%% read\n",
			       argv[first], pr.verify_mismatches, pr.verify_read_errors, first_lba,
			       res->verify_coverage * 100);
		} else {
			printf("%s: MATCH: %" PRIu64 " bytes read back as the final pass of %s (%.1f%%"
			       " of the device)\n", argv[first], pr.verify_bytes,
			       m ? m->name : "the pattern", res->verify_coverage * 100);
		}
		rc = match ? EXIT_OK : EXIT_FAIL;
	}
	free(res);
	wiper_dev_close(dev);
	return rc;
}
