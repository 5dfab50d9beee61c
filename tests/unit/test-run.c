/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The runner (wiper/run.h) against the simulated drive: every rule the
 * front ends rely on, through the calls they make (plan, open, exec).
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/lib/sim-drive.h"
#include "wiper/run.h"

/* Old user data everywhere, the hidden sectors too: every block different. */
static void fill_data(struct sim_drive *sim)
{
	uint64_t i, n = sim->capacity * sim->lbs, x = 88172645463325252ULL;

	for (i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		sim->data[i] = (uint8_t)(x | 1);
	}
}

/* Are the first @sectors sectors all zero? */
static bool all_zero(const struct sim_drive *sim, uint64_t sectors)
{
	uint64_t i;

	for (i = 0; i < sectors * sim->lbs; i++)
		if (sim->data[i])
			return false;
	return true;
}

/* A SATA drive with no firmware erase of its own (so the plan is a host overwrite). */
static struct sim_drive *plain_ata(uint64_t sectors)
{
	struct sim_drive *sim = sim_drive_new(SIM_SATA, sectors, 512, 4096);

	sim_drive_set_identity(sim, "SIM HDD", "ATA-HPA-1", "1.0");
	sim_drive_sync_identify(sim);
	fill_data(sim);
	return sim;
}

/* The medium as a front end would show it: identified through the device. */
static void medium_of(struct sim_drive *sim, enum wiper_transport tran, struct wiper_medium *m)
{
	struct wiper_dev *dev = sim_drive_open(sim);

	memset(m, 0, sizeof(*m));
	snprintf(m->disk.name, sizeof(m->disk.name), "sim0");
	snprintf(m->disk.node, sizeof(m->disk.node), "sim0");
	m->disk.transport = tran;
	m->disk.sectors = sim->sectors;
	m->disk.size_bytes = sim->sectors * sim->lbs;
	m->disk.logical_block = sim->lbs;
	m->disk.physical_block = sim->pbs;
	assert_int_equal(wiper_identify(dev, &m->disk, &m->id), 0);
	m->identified = true;
	wiper_caps_compute(&m->disk, &m->id, &m->caps);
	wiper_dev_close(dev);
}

/* Plan @c on @m, take the simulated drive, open: the rc of the open. */
static int plan_open(struct sim_drive *sim, const struct wiper_medium *m,
		     const struct wiper_choice *c, struct wiper_run **r)
{
	char err[512];

	assert_int_equal(wiper_run_plan(m, c, r, err, sizeof(err)), 0);
	wiper_run_take_dev(*r, sim_drive_open(sim));
	return wiper_run_open(*r, err, sizeof(err));
}

/* A Clear over a drive with an HPA: the hidden sectors are restored and overwritten first. */
static void test_clear_restores_hpa(void **state)
{
	struct sim_drive *sim = plain_ata(8192);
	struct wiper_choice c = { .kind = WIPER_CHOOSE_CLEAR, .seed = 7 };
	struct wiper_job_result *res;
	struct wiper_medium m;
	struct wiper_run *r;

	(void)state;
	sim_drive_set_hpa(sim, 8192 - 512);
	medium_of(sim, WIPER_TRAN_SATA, &m);
	assert_false(all_zero(sim, 8192));
	assert_int_equal(plan_open(sim, &m, &c, &r), 0);
	assert_false(wiper_run_firmware(r));
	assert_int_equal(wiper_run_exec(r), 0);
	res = wiper_run_result(r);
	assert_int_equal(res->outcome, WIPER_PASSED);
	assert_true(res->hidden_checked);
	assert_true(res->sectors_before == 8192 - 512);
	assert_true(res->native_sectors == 8192);
	assert_true(res->sectors_after == 8192);
	assert_true(res->size_bytes == 8192u * 512);
	assert_true(res->verify_coverage >= 1.0);
	assert_int_equal(res->physical_block, 4096);
	/* The hidden sectors read back zero, like all the others. */
	assert_true(sim->sectors == 8192);
	assert_true(all_zero(sim, 8192));
	wiper_run_free(r);
	sim_drive_free(sim);
}

/* An HPA that cannot be lifted: FAILED saying why, and no pass is run as if it could pass. */
static void test_locked_hpa_fails(void **state)
{
	struct sim_drive *sim = plain_ata(8192);
	struct wiper_choice c = { .kind = WIPER_CHOOSE_CLEAR };
	struct wiper_job_result *res;
	struct wiper_medium m;
	struct wiper_run *r;

	(void)state;
	sim_drive_set_hpa(sim, 8192 - 512);
	sim->hpa_locked = true;
	medium_of(sim, WIPER_TRAN_SATA, &m);
	assert_int_equal(plan_open(sim, &m, &c, &r), 0);
	assert_int_equal(wiper_run_exec(r), 0);
	res = wiper_run_result(r);
	assert_int_equal(res->outcome, WIPER_FAILED);
	assert_non_null(strstr(res->reason, "could not be restored"));
	assert_int_equal(res->npasses, 0);
	wiper_run_free(r);
	sim_drive_free(sim);
}

/* A device whose capacity grows mid-erase is never PASSED; the reason says what changed. */
static void test_capacity_grows(void **state)
{
	struct sim_drive *sim = sim_drive_new(SIM_PLAIN, 8192, 512, 512);
	struct wiper_choice c = { .kind = WIPER_CHOOSE_CLEAR, .request_bytes = 65536 };
	struct wiper_job_result *res;
	struct wiper_medium m;
	struct wiper_run *r;
	char err[256];

	(void)state;
	fill_data(sim);
	sim->sectors = 4096;		/* the buffer holds 8192: room to grow */
	memset(&m, 0, sizeof(m));
	snprintf(m.disk.node, sizeof(m.disk.node), "sim-loop");
	m.disk.transport = WIPER_TRAN_LOOP;
	m.disk.size_bytes = 4096u * 512;
	m.disk.logical_block = 512;
	m.disk.physical_block = 512;
	wiper_caps_compute(&m.disk, &m.id, &m.caps);
	sim->grow_to_sectors = 8192;
	sim->grow_after_io = 5;
	assert_int_equal(wiper_run_plan(&m, &c, &r, err, sizeof(err)), 0);
	wiper_run_take_dev(r, sim_drive_open(sim));
	assert_int_equal(wiper_run_open(r, err, sizeof(err)), 0);
	assert_int_equal(wiper_run_exec(r), 0);
	res = wiper_run_result(r);
	assert_int_equal(res->outcome, WIPER_FAILED);
	assert_non_null(strstr(res->reason, "capacity changed"));
	assert_non_null(strstr(res->reason, "not erased"));
	wiper_run_free(r);
	sim_drive_free(sim);
}

/* Another drive where the confirmed one was (same name, other serial): nothing is written. */
static void test_other_medium_refused(void **state)
{
	struct sim_drive *sim = plain_ata(4096);
	struct wiper_choice c = { .kind = WIPER_CHOOSE_CLEAR };
	struct wiper_medium m;
	struct wiper_run *r;
	uint8_t before[512];

	(void)state;
	medium_of(sim, WIPER_TRAN_SATA, &m);
	memcpy(before, sim->data, sizeof(before));
	sim_drive_set_identity(sim, "SIM HDD", "SWAPPED-2", "1.0");
	sim_drive_sync_identify(sim);
	assert_int_equal(plan_open(sim, &m, &c, &r), -ESTALE);
	/* exec refuses a run that was not opened */
	assert_int_equal(wiper_run_exec(r), -EBADF);
	assert_int_equal(wiper_run_result(r)->outcome, WIPER_INCOMPLETE);
	assert_memory_equal(sim->data, before, sizeof(before));
	wiper_run_free(r);
	sim_drive_free(sim);
}

/* Same serial, another size (a replugged stick of another capacity): refused too. */
static void test_other_size_refused(void **state)
{
	struct sim_drive *sim = plain_ata(4096);
	struct wiper_choice c = { .kind = WIPER_CHOOSE_CLEAR };
	struct wiper_medium m;
	struct wiper_run *r;

	(void)state;
	medium_of(sim, WIPER_TRAN_SATA, &m);
	m.disk.size_bytes += 512;
	assert_int_equal(plan_open(sim, &m, &c, &r), -ESTALE);
	wiper_run_free(r);
	sim_drive_free(sim);
}

/* The plan refuses an excluded medium and a technique it does not offer. */
static void test_plan_refusals(void **state)
{
	struct sim_drive *sim = plain_ata(4096);
	struct wiper_choice c = { .kind = WIPER_CHOOSE_PURGE };
	struct wiper_medium m;
	struct wiper_run *r = NULL;
	char err[512];

	(void)state;
	medium_of(sim, WIPER_TRAN_SATA, &m);
	assert_int_equal(wiper_run_plan(&m, &c, &r, err, sizeof(err)), -EOPNOTSUPP);
	assert_non_null(strstr(err, "no Purge technique"));
	assert_null(r);
	c.kind = WIPER_CHOOSE_TECH;
	c.tech = WIPER_TECH_ATA_SAN_BLOCK;
	assert_int_equal(wiper_run_plan(&m, &c, &r, err, sizeof(err)), -EOPNOTSUPP);
	c.kind = WIPER_CHOOSE_CLEAR;
	m.disk.excl = WIPER_EXCL_MOUNTED;
	snprintf(m.disk.excl_reason, sizeof(m.disk.excl_reason), "mounted at /mnt (sim0p1)");
	assert_int_equal(wiper_run_plan(&m, &c, &r, err, sizeof(err)), -EPERM);
	assert_non_null(strstr(err, "mounted at /mnt"));
	sim_drive_free(sim);
}

/* Recommended: the drive's own Purge where it has one, chosen once and run as planned. */
static void test_recommended_purge(void **state)
{
	struct sim_drive *sim = sim_drive_new(SIM_SATA, 8192, 512, 4096);
	struct wiper_choice c = { .kind = WIPER_CHOOSE_RECOMMENDED, .poll_ms = 1 };
	struct wiper_job_result *res;
	struct wiper_medium m;
	struct wiper_run *r;
	enum wiper_tech tech;

	(void)state;
	sim_drive_set_identity(sim, "SIM SSD", "ATA-SAN-1", "1.0");
	sim->san.ata_block = true;
	sim_drive_sync_identify(sim);
	fill_data(sim);
	sim_drive_set_hpa(sim, 8192 - 256);
	medium_of(sim, WIPER_TRAN_SATA, &m);
	assert_true(wiper_run_recommended(&m, &tech));
	assert_int_equal(tech, WIPER_TECH_ATA_SAN_BLOCK);
	assert_int_equal(plan_open(sim, &m, &c, &r), 0);
	assert_true(wiper_run_firmware(r));
	assert_int_equal(wiper_run_technique(r), WIPER_TECH_ATA_SAN_BLOCK);
	assert_int_equal(wiper_run_exec(r), 0);
	res = wiper_run_result(r);
	assert_int_equal(res->outcome, WIPER_PASSED);
	assert_string_equal(res->label, "Purge");
	assert_string_equal(res->technique, "ata-sanitize-block");
	assert_true(res->sectors_after == 8192);
	assert_true(all_zero(sim, 8192));
	wiper_run_free(r);
	sim_drive_free(sim);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clear_restores_hpa),
		cmocka_unit_test(test_locked_hpa_fails),
		cmocka_unit_test(test_capacity_grows),
		cmocka_unit_test(test_other_medium_refused),
		cmocka_unit_test(test_other_size_refused),
		cmocka_unit_test(test_plan_refusals),
		cmocka_unit_test(test_recommended_purge),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
