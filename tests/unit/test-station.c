/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The station's logic without a terminal: ui_job_start() as the erase
 * screen calls it, against the simulated drive, into a real ledger. The
 * rules are the runner's; this proves the station goes through them.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "certs/ledger.h"
#include "tests/lib/sim-drive.h"
#include "ui-ncurses/station/station.h"

struct fixture {
	char dir[64];
	int pipe[2];
	struct ui_app app;
	struct sim_drive *sim;
	struct ui_medium m;
};

/* The station's device opener for tests: the simulated drive. */
static struct wiper_dev *open_sim(struct ui_app *app, const struct wiper_medium *m)
{
	(void)m;
	return sim_drive_open(app->sim_arg);
}

/* Old data everywhere, the hidden sectors too. */
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

/* The medium as the media list shows it, identified through the drive. */
static void medium_of(struct fixture *f, enum wiper_transport tran)
{
	struct wiper_dev *dev = sim_drive_open(f->sim);
	struct wiper_medium *m = &f->m.med;

	memset(&f->m, 0, sizeof(f->m));
	snprintf(m->disk.name, sizeof(m->disk.name), "sim0");
	snprintf(m->disk.node, sizeof(m->disk.node), "sim0");
	snprintf(m->disk.model, sizeof(m->disk.model), "SIM HDD");
	m->disk.transport = tran;
	m->disk.sectors = f->sim->sectors;
	m->disk.size_bytes = f->sim->sectors * f->sim->lbs;
	m->disk.logical_block = f->sim->lbs;
	m->disk.physical_block = f->sim->pbs;
	assert_int_equal(wiper_identify(dev, &m->disk, &m->id), 0);
	m->identified = true;
	wiper_caps_compute(&m->disk, &m->id, &m->caps);
	wiper_dev_close(dev);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	snprintf(f->dir, sizeof(f->dir), "/tmp/tabula-station-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	assert_int_equal(pipe2(f->pipe, O_NONBLOCK | O_CLOEXEC), 0);
	ui_config_defaults(&f->app.cfg);
	snprintf(f->app.cfg.ledger, sizeof(f->app.cfg.ledger), "%s/ledger.db", f->dir);
	snprintf(f->app.cfg.records, sizeof(f->app.cfg.records), "%s", f->dir);
	snprintf(f->app.cfg.station, sizeof(f->app.cfg.station), "DESK-T");
	assert_int_equal(ui_config_add_person(&f->app.cfg, "Ann Example, Technician"), 0);
	assert_int_equal(ui_config_add_person(&f->app.cfg, "Bob Example, Officer"), 0);
	f->app.operator_idx = 0;
	f->app.witness_idx = 1;
	f->app.supervisor2_idx = f->app.approver_idx = -1;	/* none: the session did not ask */
	f->app.wake_wr = f->pipe[1];
	f->app.sim_dev_open = open_sim;
	f->sim = sim_drive_new(SIM_SATA, 8192, 512, 4096);
	sim_drive_set_identity(f->sim, "SIM HDD", "ST-HPA-1", "1.0");
	sim_drive_sync_identify(f->sim);
	fill_data(f->sim);
	f->app.sim_arg = f->sim;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	ui_jobs_stop_all(&f->app);
	sim_drive_free(f->sim);
	close(f->pipe[0]);
	close(f->pipe[1]);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", f->dir);
	free(f);
	return 0;
}

/* Wait for every job to end (certificate issued), at most 60 s. */
static void wait_jobs(struct ui_app *app)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	int i;

	for (i = 0; i < 6000 && ui_jobs_running(app); i++)
		nanosleep(&ts, NULL);
	assert_int_equal(ui_jobs_running(app), 0);
	ui_jobs_reap(app);
}

/* The record the ledger holds for seq @seq. */
static struct cert_record *ledger_record(const char *path, uint64_t seq)
{
	struct cert_ledger *l = NULL;
	struct cert_entry e = { 0 };
	struct cert_record *r = cert_record_new();
	char err[256];

	assert_int_equal(cert_ledger_open(path, CERT_LEDGER_READONLY, &l, err, sizeof(err)), 0);
	assert_int_equal(cert_ledger_get(l, NULL, seq, &e), 0);
	assert_int_equal(cert_record_decode(e.canon, e.canon_len, r, err, sizeof(err)), 0);
	cert_entry_done(&e);
	cert_ledger_close(l);
	return r;
}

/* A Clear at the station over a drive with an HPA: the hidden sectors are overwritten too. */
static void test_station_clear_restores_hpa(void **state)
{
	struct fixture *f = *state;
	struct ui_record_fields rec = { .destination = CERT_DEST_INTERNAL_REUSE };
	struct cert_record *r;
	uint64_t i;
	char err[256];

	sim_drive_set_hpa(f->sim, 8192 - 512);
	medium_of(f, WIPER_TRAN_SATA);
	for (i = 8192 - 512; i < 8192; i++)
		assert_int_not_equal(f->sim->data[i * 512], 0);
	assert_int_equal(ui_job_start(&f->app, &f->m, NULL, false, WIPER_VERIFY_ALL, &rec, err,
				      sizeof(err)), 0);
	wait_jobs(&f->app);
	assert_int_equal(f->app.njobs, 1);
	assert_int_equal(f->app.jobs[0]->res->outcome, WIPER_PASSED);
	assert_string_not_equal(f->app.jobs[0]->cert_no, "");
	/* Every sector the drive holds, the formerly hidden ones too, reads back zero. */
	assert_true(f->sim->sectors == 8192);
	for (i = 0; i < 8192u * 512; i++)
		if (f->sim->data[i])
			fail_msg("byte %llu not erased", (unsigned long long)i);
	r = ledger_record(f->app.cfg.ledger, 1);
	assert_int_equal(r->result, CERT_PASSED);
	assert_non_null(strstr(r->hidden_before, "7680"));
	assert_non_null(strstr(r->hidden_after, "8192"));
	assert_int_equal(r->physical_block, 4096);
	assert_int_equal(r->destination, CERT_DEST_INTERNAL_REUSE);
	cert_record_free(r);
}

/* A different drive where the confirmed one was: refused before any write, nothing noted. */
static void test_station_other_medium_refused(void **state)
{
	struct fixture *f = *state;
	struct ui_record_fields rec = { .destination = CERT_DEST_DESTRUCTION };
	uint8_t before[4096];
	char err[256];
	int rc;

	medium_of(f, WIPER_TRAN_SATA);
	memcpy(before, f->sim->data, sizeof(before));
	sim_drive_set_identity(f->sim, "SIM HDD", "SWAPPED-9", "1.0");
	sim_drive_sync_identify(f->sim);
	rc = ui_job_start(&f->app, &f->m, NULL, false, WIPER_VERIFY_ALL, &rec, err, sizeof(err));
	assert_int_equal(rc, -ESTALE);
	assert_non_null(strstr(err, "a different medium"));
	assert_int_equal(f->app.njobs, 0);
	assert_memory_equal(f->sim->data, before, sizeof(before));
	/* No job was noted: the ledger has nothing to recover. */
	assert_int_equal(access(f->app.cfg.ledger, F_OK) == 0 ? 1 : 1, 1);
}

/* A medium that FAILED at the station is certified for destruction, not the planned reuse. */
static void test_station_failed_not_reused(void **state)
{
	struct fixture *f = *state;
	struct ui_record_fields rec = { .destination = CERT_DEST_EXTERNAL_REUSE };
	struct cert_record *r;
	char err[256];

	sim_drive_add_bad_lba(f->sim, 100);
	medium_of(f, WIPER_TRAN_SATA);
	assert_int_equal(ui_job_start(&f->app, &f->m, NULL, false, WIPER_VERIFY_ALL, &rec, err,
				      sizeof(err)), 0);
	wait_jobs(&f->app);
	assert_int_not_equal(f->app.jobs[0]->res->outcome, WIPER_PASSED);
	r = ledger_record(f->app.cfg.ledger, 1);
	assert_int_not_equal(r->result, CERT_PASSED);
	assert_int_equal(r->destination, CERT_DEST_DESTRUCTION);
	assert_non_null(strstr(r->destination_details, "external_reuse"));
	cert_record_free(r);
}

/* A medium list entry called @name of @mib MiB. */
static void medium(struct ui_medium *m, const char *name, unsigned mib)
{
	memset(m, 0, sizeof(*m));
	snprintf(m->med.disk.name, sizeof(m->med.disk.name), "%s", name);
	m->med.disk.size_bytes = (uint64_t)mib << 20;
}

/* A stick pulled or plugged above the cursor: the cursor stays on its medium. */
static void test_cursor_follows_its_medium(void **state)
{
	struct ui_medium old[4], nm[5];

	(void)state;
	medium(&old[0], "loop1", 8);
	medium(&old[1], "loop2", 8);
	medium(&old[2], "loop4", 40);
	medium(&old[3], "loop5", 8);
	/* loop2 pulled: loop4 moves up a row, the cursor with it. */
	nm[0] = old[0];
	nm[1] = old[2];
	nm[2] = old[3];
	assert_int_equal(ui_media_follow(old, 4, 2, nm, 3), 1);
	/* a stick plugged in above: loop4 moves down, the cursor with it. */
	medium(&nm[0], "loop0", 16);
	nm[1] = old[0];
	nm[2] = old[1];
	nm[3] = old[2];
	nm[4] = old[3];
	assert_int_equal(ui_media_follow(old, 4, 2, nm, 5), 3);
	/* another medium under the same name (a new backing file, another size) is not it. */
	nm[3].med.disk.size_bytes = 16u << 20;
	assert_int_equal(ui_media_follow(old, 4, 2, nm, 5), 2);
	/* its medium gone: the same row, within the list. */
	assert_int_equal(ui_media_follow(old, 4, 3, nm, 2), 1);
	assert_int_equal(ui_media_follow(old, 4, 3, nm, 0), 0);
	assert_int_equal(ui_media_follow(old, 0, 0, nm, 5), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_station_clear_restores_hpa, setup, teardown),
		cmocka_unit_test_setup_teardown(test_station_other_medium_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_station_failed_not_reused, setup, teardown),
		cmocka_unit_test(test_cursor_follows_its_medium),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
