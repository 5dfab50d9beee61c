/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The firmware half of the fault matrix: wiper_sanitize_run() against the
 * simulated drive (tests/lib/sim-*.c), one row per fault the simulator can
 * play — a drive that lies, stalls, fails, vanishes while sanitizing or while
 * being verified, or an operator who cancels. Prints a table; every row must
 * reach its expected outcome, and a PASSED row must have changed every block
 * of the medium (the oracle compares with a copy of the data from before).
 * Exit 0 when every row passes, 1 otherwise.
 */
#include "config.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/lib/sim-drive.h"
#include "wiper/ata-cmd.h"
#include "wiper/sanitize.h"

#define SECTORS 8192u

enum during {
	DURING_NONE,
	DURING_VANISH,		/* the drive vanishes at the first progress report */
	DURING_CANCEL,		/* the operator stops the job at the first progress report */
	DURING_VANISH_VERIFY,	/* the drive vanishes halfway through the read-back */
};

struct row {
	const char *fault;
	const char *device;
	enum sim_kind kind;
	int tech;		/* enum wiper_tech, or -1: the purge pick */
	enum during during;
	void (*setup)(struct sim_drive *sim);
	unsigned long deadline_ms;
	enum wiper_outcome expect;
};

struct live {
	struct sim_drive *sim;
	enum during during;
	atomic_bool cancel;
};

/* The drive reports success and changes nothing. */
static void lie(struct sim_drive *sim)
{
	sim->san.lie = true;
}

/* The operation's progress never moves. */
static void stall(struct sim_drive *sim)
{
	sim->san.stall = true;
}

/* The operation ends in the failed state. */
static void fail(struct sim_drive *sim)
{
	sim->san.fail = true;
}

/*
 * The power was cut during an earlier block erase: the drive resumes it on
 * power-up (sanitize-reference: the operation is persistent), so the job
 * finds it running at 45 %, media unreadable, new sanitize commands refused.
 */
static void resumed(struct sim_drive *sim)
{
	sim->san.state = SIM_SAN_RUNNING;
	sim->san.op = sim->kind == SIM_NVME ? 2 : sim->kind == SIM_SATA ? ATA_SANITIZE_BLOCK : 102;
	sim->san.progress = 29491;
	sim->san.started = 1;
}

/* As resumed(), and the resumed operation never ends. */
static void resumed_stall(struct sim_drive *sim)
{
	resumed(sim);
	sim->san.stall = true;
}

/* NVMe Format returns success without formatting. */
static void format_lie(struct sim_drive *sim)
{
	sim->format_lie = true;
}

/* Progress callback: play the row's mid-operation fault once. */
static void on_progress(const struct wiper_progress *p, void *arg)
{
	struct live *l = arg;

	(void)p;
	if (l->during == DURING_VANISH)
		l->sim->vanished = true;
	else if (l->during == DURING_CANCEL)
		atomic_store(&l->cancel, true);
}

/* A drive of @kind with every sanitize of its command set, holding old data. */
static struct sim_drive *make_drive(enum sim_kind kind)
{
	struct sim_drive *sim = sim_drive_new(kind, SECTORS, 512, 512);
	uint64_t i, x = 88172645463325252ULL;

	if (sim == NULL)
		return NULL;
	sim_drive_set_identity(sim, "SIM FAULT", "FLT-1", "1.0");
	if (kind == SIM_NVME) {
		sim_drive_nvme_ctrl_u32(sim, 328, 0x7); /* SANICAP: crypto, block, overwrite */
	} else if (kind == SIM_SATA) {
		sim->san.ata_crypto = sim->san.ata_block = sim->san.ata_overwrite = true;
		sim_drive_sync_identify(sim);
	} else if (kind == SIM_SAS) {
		sim->scsi_crypto = sim->scsi_block = sim->scsi_overwrite = true;
	}
	for (i = 0; i < sim->native_sectors * sim->lbs; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		sim->data[i] = (uint8_t)x;
	}
	return sim;
}

/* Identify @sim and run the row's technique on it; fills @res. */
static int run_once(const struct row *r, struct sim_drive *sim, struct live *l,
		    struct wiper_job_result *res, char *tech, size_t techlen)
{
	static const enum wiper_transport tran[] = {
		[SIM_SATA] = WIPER_TRAN_SATA, [SIM_NVME] = WIPER_TRAN_NVME, [SIM_SAS] = WIPER_TRAN_SAS,
	};
	struct wiper_sanitize_opts o;
	struct wiper_identity id;
	struct wiper_disk disk;
	struct wiper_caps caps;
	struct wiper_dev *dev;
	enum wiper_tech t;
	char why[256];
	int rc;

	memset(&disk, 0, sizeof(disk));
	snprintf(disk.name, sizeof(disk.name), "sim0");
	disk.transport = tran[r->kind];
	disk.sectors = sim->sectors;
	disk.size_bytes = sim->sectors * sim->lbs;
	disk.logical_block = sim->lbs;
	dev = sim_drive_open(sim);
	if (dev == NULL || wiper_identify(dev, &disk, &id) != 0) {
		wiper_dev_close(dev);
		snprintf(tech, techlen, "identify failed");
		return -1;
	}
	wiper_caps_compute(&disk, &id, &caps);
	if (r->tech >= 0) {
		t = (enum wiper_tech)r->tech;
	} else if (wiper_purge_pick(&caps, &disk, &t, why, sizeof(why)) != 0) {
		wiper_dev_close(dev);
		snprintf(tech, techlen, "no purge: %s", why);
		return -1;
	}
	snprintf(tech, techlen, "%s", wiper_tech_key(t));
	memset(&o, 0, sizeof(o));
	o.poll_ms = 1;
	o.deadline_ms = r->deadline_ms;
	o.seed = 7;
	o.progress = on_progress;
	o.progress_arg = l;
	o.cancel = &l->cancel;
	rc = wiper_sanitize_run(dev, &disk, &id, t, &o, res);
	wiper_dev_close(dev);
	return rc;
}

/* Does any block of @sim still hold what @orig held? */
static uint64_t blocks_unchanged(const struct sim_drive *sim, const uint8_t *orig)
{
	uint64_t b, n = 0;

	for (b = 0; b < sim->sectors; b++)
		if (memcmp(sim->data + b * sim->lbs, orig + b * sim->lbs, sim->lbs) == 0)
			n++;
	return n;
}

/* Run one row and print it; returns true when it passes. */
static bool run_row(const struct row *r)
{
	struct wiper_job_result *res = calloc(1, sizeof(*res));
	struct sim_drive *sim = make_drive(r->kind);
	uint8_t *orig = NULL;
	char tech[300] = "", note[320] = "";
	struct live l;
	bool ok = false;
	int rc;

	if (res == NULL || sim == NULL)
		goto out;
	if (r->setup)
		r->setup(sim);
	if (r->during == DURING_VANISH_VERIFY) {
		/* A dry run on a twin counts the data I/Os; the twin vanishes halfway into the last half. */
		struct sim_drive *twin = make_drive(r->kind);
		struct wiper_job_result *tres = calloc(1, sizeof(*tres));

		memset(&l, 0, sizeof(l));
		l.sim = twin;
		if (twin && tres)
			run_once(r, twin, &l, tres, tech, sizeof(tech));
		if (twin)
			sim->vanish_after_io = twin->io_count * 3 / 4;
		free(tres);
		sim_drive_free(twin);
	}
	orig = malloc(sim->sectors * sim->lbs);
	if (orig == NULL)
		goto out;
	memcpy(orig, sim->data, sim->sectors * sim->lbs);
	memset(&l, 0, sizeof(l));
	l.sim = sim;
	l.during = r->during;
	atomic_init(&l.cancel, false);
	rc = run_once(r, sim, &l, res, tech, sizeof(tech));
	if (rc != 0) {
		snprintf(note, sizeof(note), "could not run (%d)", rc);
	} else if (res->outcome != r->expect) {
		snprintf(note, sizeof(note), "%s", res->reason);
	} else if (r->setup == resumed && res->outcome == WIPER_PASSED && sim->san.started != 2) {
		snprintf(note, sizeof(note), "PASSED after the resumed sanitize, but the job's own"
			 " sanitize was not issued (%u started)", sim->san.started);
	} else if (res->outcome == WIPER_PASSED && blocks_unchanged(sim, orig) != 0) {
		snprintf(note, sizeof(note), "PASSED, but %llu blocks still hold the old data",
			 (unsigned long long)blocks_unchanged(sim, orig));
	} else {
		ok = true;
	}
	printf("%-34s %-6s %-22s %-10s %-10s %s\n", r->fault, r->device, tech,
	       wiper_outcome_str(r->expect), rc == 0 ? wiper_outcome_str(res->outcome) : "ERROR",
	       ok ? "PASS" : "FAIL");
	if (!ok)
		fprintf(stderr, "  %s: %s\n", r->fault, note);
	else if (res->reason[0])
		printf("    (%s)\n", res->reason);
out:
	if (res == NULL || sim == NULL || orig == NULL)
		printf("%-34s out of memory  FAIL\n", r->fault);
	free(orig);
	free(res);
	sim_drive_free(sim);
	return ok;
}

int main(void)
{
	static const struct row rows[] = {
		{ "none", "NVMe", SIM_NVME, -1, DURING_NONE, NULL, 0, WIPER_PASSED },
		{ "reports success, erases nothing", "NVMe", SIM_NVME, -1, DURING_NONE, lie, 0,
		  WIPER_FAILED },
		{ "never finishes (deadline 150 ms)", "NVMe", SIM_NVME, -1, DURING_NONE, stall, 150,
		  WIPER_FAILED },
		{ "ends in the failed state", "NVMe", SIM_NVME, -1, DURING_NONE, fail, 0, WIPER_FAILED },
		{ "vanishes while sanitizing", "NVMe", SIM_NVME, -1, DURING_VANISH, NULL, 0,
		  WIPER_INCOMPLETE },
		{ "operator cancels while running", "NVMe", SIM_NVME, -1, DURING_CANCEL, NULL, 0,
		  WIPER_INCOMPLETE },
		{ "vanishes during verification", "NVMe", SIM_NVME, -1, DURING_VANISH_VERIFY, NULL, 0,
		  WIPER_INCOMPLETE },
		{ "found mid-sanitize after power cut", "NVMe", SIM_NVME, -1, DURING_NONE, resumed, 0,
		  WIPER_PASSED },
		{ "resumed sanitize never finishes", "NVMe", SIM_NVME, -1, DURING_NONE, resumed_stall,
		  150, WIPER_FAILED },
		{ "Format reports success, no-op", "NVMe", SIM_NVME, WIPER_TECH_NVME_FORMAT_USER,
		  DURING_NONE, format_lie, 0, WIPER_FAILED },
		{ "none", "SATA", SIM_SATA, WIPER_TECH_ATA_SAN_BLOCK, DURING_NONE, NULL, 0,
		  WIPER_PASSED },
		{ "reports success, erases nothing", "SATA", SIM_SATA, WIPER_TECH_ATA_SAN_BLOCK,
		  DURING_NONE, lie, 0, WIPER_FAILED },
		{ "overwrite reports success, no-op", "SATA", SIM_SATA, WIPER_TECH_ATA_SAN_OVERWRITE,
		  DURING_NONE, lie, 0, WIPER_FAILED },
		{ "never finishes (deadline 150 ms)", "SATA", SIM_SATA, WIPER_TECH_ATA_SAN_BLOCK,
		  DURING_NONE, stall, 150, WIPER_FAILED },
		{ "vanishes while sanitizing", "SATA", SIM_SATA, WIPER_TECH_ATA_SAN_BLOCK,
		  DURING_VANISH, NULL, 0, WIPER_INCOMPLETE },
		{ "found mid-sanitize after power cut", "SATA", SIM_SATA, WIPER_TECH_ATA_SAN_BLOCK,
		  DURING_NONE, resumed, 0, WIPER_PASSED },
		{ "operator cancels while running", "SATA", SIM_SATA, WIPER_TECH_ATA_SAN_BLOCK,
		  DURING_CANCEL, NULL, 0, WIPER_INCOMPLETE },
		{ "none", "SAS", SIM_SAS, -1, DURING_NONE, NULL, 0, WIPER_PASSED },
		{ "reports success, erases nothing", "SAS", SIM_SAS, -1, DURING_NONE, lie, 0,
		  WIPER_FAILED },
		{ "ends in the failed state", "SAS", SIM_SAS, WIPER_TECH_SCSI_SAN_BLOCK, DURING_NONE,
		  fail, 0, WIPER_FAILED },
		{ "vanishes while sanitizing", "SAS", SIM_SAS, -1, DURING_VANISH, NULL, 0,
		  WIPER_INCOMPLETE },
		{ "found mid-sanitize after power cut", "SAS", SIM_SAS, -1, DURING_NONE, resumed, 0,
		  WIPER_PASSED },
	};
	size_t i, n = sizeof(rows) / sizeof(rows[0]), passed = 0;

	printf("%-34s %-6s %-22s %-10s %-10s %s\n", "FAULT (simulated drive)", "DEVICE", "TECHNIQUE",
	       "EXPECTED", "ACTUAL", "VERDICT");
	for (i = 0; i < n; i++)
		passed += run_row(&rows[i]);
	printf("%zu of %zu firmware rows PASS\n", passed, n);
	return passed == n ? 0 : 1;
}
