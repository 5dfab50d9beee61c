/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Firmware sanitize against the simulated drive's models. */
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
#include "wiper/sanitize.h"

struct run {
	struct wiper_disk disk;
	struct wiper_identity id;
	struct wiper_caps caps;
	struct wiper_job_result *res;
	int rc;
};

/* Old user data: every block different, none uniform. */
static void fill_data(struct sim_drive *sim)
{
	uint64_t i, n = sim->native_sectors * sim->lbs, x = 88172645463325252ULL;

	for (i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		sim->data[i] = (uint8_t)x;
	}
}

/* Identify the drive and compute its capabilities. */
static void identify(struct sim_drive *sim, enum wiper_transport tran, struct run *r)
{
	struct wiper_dev *dev = sim_drive_open(sim);

	memset(r, 0, sizeof(*r));
	snprintf(r->disk.name, sizeof(r->disk.name), "sim0");
	r->disk.transport = tran;
	r->disk.sectors = sim->sectors;
	r->disk.size_bytes = sim->sectors * sim->lbs;
	r->disk.logical_block = sim->lbs;
	assert_int_equal(wiper_identify(dev, &r->disk, &r->id), 0);
	wiper_caps_compute(&r->disk, &r->id, &r->caps);
	wiper_dev_close(dev);
}

/* Identify, then run @tech (or the purge pick when @tech < 0). */
static void sanitize(struct sim_drive *sim, enum wiper_transport tran, int tech, struct run *r,
		     unsigned long deadline_ms)
{
	struct wiper_sanitize_opts o;
	struct wiper_dev *dev;
	enum wiper_tech t;
	char why[256];

	identify(sim, tran, r);
	if (tech < 0) {
		assert_int_equal(wiper_purge_pick(&r->caps, &r->disk, &t, why, sizeof(why)), 0);
	} else {
		t = (enum wiper_tech)tech;
	}
	memset(&o, 0, sizeof(o));
	o.poll_ms = 1;
	o.deadline_ms = deadline_ms;
	o.seed = 7;
	r->res = calloc(1, sizeof(*r->res));
	dev = sim_drive_open(sim);
	r->rc = wiper_sanitize_run(dev, &r->disk, &r->id, t, &o, r->res);
	wiper_dev_close(dev);
}

/* Does any logged step's command contain @s? */
static bool has_step(const struct wiper_job_result *res, const char *s)
{
	size_t i;

	for (i = 0; i < res->nsteps; i++)
		if (strstr(res->steps[i].command, s))
			return true;
	return false;
}

/* Is the whole visible medium zero? */
static bool all_zero(const struct sim_drive *sim, uint64_t sectors)
{
	uint64_t i;

	for (i = 0; i < sectors * sim->lbs; i++)
		if (sim->data[i])
			return false;
	return true;
}

/* An NVMe drive with sanitize crypto + block. */
static struct sim_drive *nvme_drive(uint32_t sanicap)
{
	struct sim_drive *sim = sim_drive_new(SIM_NVME, 8192, 512, 512);

	sim_drive_set_identity(sim, "SIM NVMe", "NV-1", "1.0");
	sim_drive_nvme_ctrl_u32(sim, 328, sanicap);
	fill_data(sim);
	return sim;
}

static void test_nvme_crypto_purge(void **state)
{
	struct sim_drive *sim = nvme_drive(0x3);
	struct run r;

	(void)state;
	sanitize(sim, WIPER_TRAN_NVME, -1, &r, 0);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.res->outcome, WIPER_PASSED);
	assert_string_equal(r.res->technique, "nvme-sanitize-crypto");
	assert_string_equal(r.res->label, "Purge");
	assert_true(has_step(r.res, "NVMe Sanitize (84h) SANACT=4"));
	assert_true(r.res->compare_blocks > 1000);
	assert_int_equal(r.res->compare_unchanged, 0);
	assert_true(r.res->verify_coverage >= 0.10);
	assert_int_equal(sim_drive_count(sim, "nvme", 0x84), 1);
	free(r.res);
	sim_drive_free(sim);
}

static void test_nvme_lie_caught(void **state)
{
	struct sim_drive *sim = nvme_drive(0x2);
	struct run r;

	(void)state;
	sim->san.lie = true;
	sanitize(sim, WIPER_TRAN_NVME, -1, &r, 0);
	assert_int_equal(r.res->outcome, WIPER_FAILED);
	assert_non_null(strstr(r.res->reason, "reported success but did not erase"));
	assert_true(r.res->compare_unchanged > 1000);
	free(r.res);
	sim_drive_free(sim);
}

static void test_nvme_stall_deadline(void **state)
{
	struct sim_drive *sim = nvme_drive(0x2);
	struct run r;

	(void)state;
	sim->san.stall = true;
	sanitize(sim, WIPER_TRAN_NVME, -1, &r, 150);
	assert_int_equal(r.res->outcome, WIPER_FAILED);
	assert_non_null(strstr(r.res->reason, "did not finish before its deadline"));
	free(r.res);
	sim_drive_free(sim);
}

static void test_nvme_failure_state(void **state)
{
	struct sim_drive *sim = nvme_drive(0x2);
	struct run r;
	uint8_t b[512];
	struct wiper_dev *dev;

	(void)state;
	sim->san.fail = true;
	sanitize(sim, WIPER_TRAN_NVME, -1, &r, 0);
	assert_int_equal(r.res->outcome, WIPER_FAILED);
	assert_non_null(strstr(r.res->reason, "sanitize failed"));
	/* Restricted failure: media access stays blocked until a sanitize succeeds. */
	dev = sim_drive_open(sim);
	assert_int_equal(wiper_dev_pread(dev, b, 512, 0), -EIO);
	wiper_dev_close(dev);
	free(r.res);
	sim->san.fail = false;
	/* The re-run succeeds, but nothing was readable before it: unverifiable. */
	sanitize(sim, WIPER_TRAN_NVME, -1, &r, 0);
	assert_int_equal(r.res->outcome, WIPER_INCOMPLETE);
	assert_non_null(strstr(r.res->reason, "run the erase again"));
	free(r.res);
	/* Run again: markers go in, the comparison proves the erase. */
	sanitize(sim, WIPER_TRAN_NVME, -1, &r, 0);
	assert_int_equal(r.res->outcome, WIPER_PASSED);
	free(r.res);
	sim_drive_free(sim);
}

static void test_nvme_like_qemu_format(void **state)
{
	struct sim_drive *sim = nvme_drive(0);
	enum wiper_tech t;
	char why[256];
	struct run r;

	(void)state;
	identify(sim, WIPER_TRAN_NVME, &r);
	assert_int_equal(wiper_purge_pick(&r.caps, &r.disk, &t, why, sizeof(why)), -ENOENT);
	assert_non_null(strstr(why, "no Purge technique"));
	/* Format with SES=1 is a Clear technique and works. */
	sanitize(sim, WIPER_TRAN_NVME, WIPER_TECH_NVME_FORMAT_USER, &r, 0);
	assert_int_equal(r.res->outcome, WIPER_PASSED);
	assert_string_equal(r.res->label, "Clear");
	assert_true(has_step(r.res, "SES=1"));
	assert_true(all_zero(sim, sim->sectors));
	free(r.res);
	/* Crypto format is not offered (FNA bit 2 clear) and is refused if asked. */
	sanitize(sim, WIPER_TRAN_NVME, WIPER_TECH_NVME_FORMAT_CRYPTO, &r, 0);
	assert_int_equal(r.rc, -EOPNOTSUPP);
	free(r.res);
	sim_drive_free(sim);
}

/* A SATA drive with the sanitize feature set. */
static struct sim_drive *ata_drive(bool crypto, bool block, bool overwrite)
{
	struct sim_drive *sim = sim_drive_new(SIM_SATA, 8192, 512, 4096);

	sim_drive_set_identity(sim, "SIM SSD", "ATA-1", "1.0");
	sim->san.ata_crypto = crypto;
	sim->san.ata_block = block;
	sim->san.ata_overwrite = overwrite;
	sim_drive_sync_identify(sim);
	fill_data(sim);
	return sim;
}

static void test_ata_block_erase(void **state)
{
	struct sim_drive *sim = ata_drive(false, true, true);
	struct run r;

	(void)state;
	sanitize(sim, WIPER_TRAN_SATA, -1, &r, 0);
	assert_int_equal(r.res->outcome, WIPER_PASSED);
	assert_string_equal(r.res->technique, "ata-sanitize-block");
	assert_true(has_step(r.res, "B4h/0012h"));
	assert_true(has_step(r.res, "SANITIZE STATUS EXT"));
	assert_true(all_zero(sim, sim->sectors));
	free(r.res);
	sim_drive_free(sim);
}

static void test_ata_overwrite_readback(void **state)
{
	struct sim_drive *sim = ata_drive(false, false, true);
	struct run r;

	(void)state;
	sanitize(sim, WIPER_TRAN_SATA, -1, &r, 0);
	assert_int_equal(r.res->outcome, WIPER_PASSED);
	assert_true(r.res->passes[0].verified);
	assert_true(r.res->verify_coverage == 1.0);
	free(r.res);
	sim->san.lie = true;
	fill_data(sim);
	sanitize(sim, WIPER_TRAN_SATA, -1, &r, 0);
	assert_int_equal(r.res->outcome, WIPER_FAILED);
	assert_non_null(strstr(r.res->reason, "did not erase"));
	free(r.res);
	sim_drive_free(sim);
}

static void test_ata_sanitize_frozen_and_failed(void **state)
{
	struct sim_drive *sim = ata_drive(true, false, false);
	struct run r;

	(void)state;
	sim->san.frozen = true;
	/* Detected at identify time: blocked with the way out in words. */
	identify(sim, WIPER_TRAN_SATA, &r);
	assert_true(r.id.sanitize_frozen);
	assert_false(r.caps.cap[0].usable);
	assert_string_equal(r.caps.cap[0].blocked,
			    "sanitize frozen: suspend and resume, or replug, to unfreeze");
	/* Sent anyway (diagnostics), the drive's own refusal is recorded. */
	{
		struct wiper_sanitize_opts o;
		struct wiper_dev *dev = sim_drive_open(sim);

		memset(&o, 0, sizeof(o));
		o.poll_ms = 1;
		o.try_unsupported = true;
		r.res = calloc(1, sizeof(*r.res));
		assert_int_equal(wiper_sanitize_run(dev, &r.disk, &r.id, WIPER_TECH_ATA_SAN_CRYPTO, &o,
						    r.res), 0);
		wiper_dev_close(dev);
	}
	assert_int_equal(r.res->outcome, WIPER_FAILED);
	assert_non_null(strstr(r.res->reason, "sanitize is frozen"));
	free(r.res);
	/* Unfreeze by power cycle (what suspend/resume does), then a failing run. */
	sim_drive_power_cycle(sim);
	sim->san.fail = true;
	sanitize(sim, WIPER_TRAN_SATA, -1, &r, 0);
	assert_int_equal(r.res->outcome, WIPER_FAILED);
	assert_non_null(strstr(r.res->reason, "sanitize failed"));
	free(r.res);
	sim->san.fail = false;
	sanitize(sim, WIPER_TRAN_SATA, -1, &r, 0);
	assert_int_equal(r.res->outcome, WIPER_INCOMPLETE);
	free(r.res);
	sanitize(sim, WIPER_TRAN_SATA, -1, &r, 0);
	assert_int_equal(r.res->outcome, WIPER_PASSED);
	free(r.res);
	sim_drive_free(sim);
}

static void test_hidden_area_restored(void **state)
{
	struct sim_drive *sim = ata_drive(false, true, false);
	struct run r;

	(void)state;
	sim_drive_set_hpa(sim, 8192 - 256);
	sanitize(sim, WIPER_TRAN_SATA, -1, &r, 0);
	assert_int_equal(r.res->outcome, WIPER_PASSED);
	assert_true(r.res->hidden_checked);
	assert_true(r.res->sectors_before == 8192 - 256);
	assert_true(r.res->native_sectors == 8192);
	assert_true(r.res->sectors_after == 8192);
	assert_true(has_step(r.res, "SET MAX ADDRESS EXT"));
	assert_true(sim->sectors == 8192);
	assert_true(all_zero(sim, 8192));
	free(r.res);
	sim_drive_free(sim);
}

static void test_dco_and_hpa_restored(void **state)
{
	struct sim_drive *sim = ata_drive(false, true, false);
	struct run r;

	(void)state;
	/* 8192 sectors: a DCO hides the top 1024, an HPA another 512. */
	sim_drive_set_dco(sim, 8192 - 1024);
	sim_drive_set_hpa(sim, 8192 - 1024 - 512);
	sanitize(sim, WIPER_TRAN_SATA, -1, &r, 0);
	assert_int_equal(r.res->outcome, WIPER_PASSED);
	assert_true(r.res->sectors_before == 8192 - 1536);
	assert_true(r.res->sectors_after == 8192);
	assert_true(r.res->native_sectors == 8192);
	assert_true(has_step(r.res, "DEVICE CONFIGURATION IDENTIFY"));
	assert_true(has_step(r.res, "DEVICE CONFIGURATION RESTORE"));
	assert_true(sim->sectors == 8192);
	assert_true(all_zero(sim, 8192));
	free(r.res);
	sim_drive_free(sim);
}

static void test_overwrite_reaches_hidden_area(void **state)
{
	struct sim_drive *sim = ata_drive(false, false, false);
	struct wiper_pass zero = { .random = false, .pattern = { 0 }, .pattern_len = 1 };
	struct wiper_job_opts o;
	struct wiper_dev *dev;
	struct run r;

	(void)state;
	sim_drive_set_hpa(sim, 8192 - 512);
	identify(sim, WIPER_TRAN_SATA, &r);
	r.res = calloc(1, sizeof(*r.res));
	dev = sim_drive_open(sim);
	assert_int_equal(wiper_hidden_restore(dev, &r.disk, &r.id, r.res), 0);
	assert_int_equal(r.res->outcome, WIPER_PASSED);
	assert_true(r.res->sectors_after == 8192);
	memset(&o, 0, sizeof(o));
	o.passes = &zero;
	o.npasses = 1;
	o.verify = WIPER_VERIFY_LAST;
	o.request_bytes = 64 * 1024;
	assert_int_equal(wiper_job_run(dev, &o, r.res), 0);
	assert_int_equal(r.res->outcome, WIPER_PASSED);
	assert_true(r.res->passes[0].bytes == 8192ULL * 512);
	assert_true(all_zero(sim, 8192));
	wiper_dev_close(dev);
	free(r.res);
	sim_drive_free(sim);
}

static void test_hidden_area_locked_fails(void **state)
{
	struct sim_drive *sim = ata_drive(false, true, false);
	struct run r;

	(void)state;
	sim_drive_set_dco(sim, 8192 - 1024);
	sim->dco_frozen = true;
	sanitize(sim, WIPER_TRAN_SATA, -1, &r, 0);
	assert_int_equal(r.res->outcome, WIPER_FAILED);
	assert_non_null(strstr(r.res->reason, "hidden by a DCO could not be restored"));
	free(r.res);
	sim_drive_free(sim);
}

static void test_security_erase(void **state)
{
	struct sim_drive *sim = sim_drive_new(SIM_SATA, 4096, 512, 512);
	struct run r;

	(void)state;
	sim->sec.supported = true;
	sim->sec.enhanced = true;
	sim->sec.frozen = true;
	sim_drive_sync_identify(sim);
	fill_data(sim);
	/* Frozen: blocked, with the way out in words. */
	identify(sim, WIPER_TRAN_SATA, &r);
	sanitize(sim, WIPER_TRAN_SATA, WIPER_TECH_ATA_SEC_ERASE_ENH, &r, 0);
	assert_int_equal(r.rc, -EOPNOTSUPP);
	free(r.res);
	/* Suspend/resume unfreezes; the erase then runs and leaves no password. */
	sim_drive_power_cycle(sim);
	sanitize(sim, WIPER_TRAN_SATA, -1, &r, 0);
	assert_int_equal(r.res->outcome, WIPER_PASSED);
	assert_string_equal(r.res->technique, "ata-security-erase-enhanced");
	assert_true(has_step(r.res, "SECURITY SET PASSWORD"));
	assert_true(has_step(r.res, "SECURITY ERASE PREPARE"));
	assert_true(has_step(r.res, "SECURITY ERASE UNIT (F4h, enhanced)"));
	assert_false(sim->sec.enabled);
	assert_false(sim->sec.locked);
	assert_int_equal(sim->sec.erase_calls, 1);
	free(r.res);
	sim_drive_free(sim);
}

static void test_usb_without_passthrough_falls_back(void **state)
{
	struct sim_drive *sim = sim_drive_new(SIM_USB_NOSAT, 1024, 512, 512);
	enum wiper_tech t;
	char why[256];
	struct run r;

	(void)state;
	identify(sim, WIPER_TRAN_USB, &r);
	assert_int_equal(wiper_purge_pick(&r.caps, &r.disk, &t, why, sizeof(why)), -ENOENT);
	assert_non_null(strstr(why, "USB bridge blocks pass-through"));
	sim_drive_free(sim);
}

/* A SAS disk offering the SCSI SANITIZE service actions. */
static struct sim_drive *sas_drive(bool crypto, bool block, bool overwrite)
{
	struct sim_drive *sim = sim_drive_new(SIM_SAS, 8192, 512, 512);

	sim_drive_set_identity(sim, "SIM SAS", "SAS-1", "1.0");
	sim->scsi_crypto = crypto;
	sim->scsi_block = block;
	sim->scsi_overwrite = overwrite;
	fill_data(sim);
	return sim;
}

static void test_scsi_sanitize(void **state)
{
	struct sim_drive *sim = sas_drive(true, true, true);
	struct run r;

	(void)state;
	identify(sim, WIPER_TRAN_SAS, &r);
	assert_true(r.id.scsi_san_crypto && r.id.scsi_san_block && r.id.scsi_san_overwrite);
	assert_int_equal(r.caps.cap[0].tech, WIPER_TECH_SCSI_SAN_CRYPTO);
	sanitize(sim, WIPER_TRAN_SAS, -1, &r, 0);
	assert_int_equal(r.res->outcome, WIPER_PASSED);
	assert_string_equal(r.res->technique, "scsi-sanitize-crypto");
	assert_true(has_step(r.res, "SCSI SANITIZE (48h) CRYPTOGRAPHIC ERASE"));
	assert_true(has_step(r.res, "REQUEST SENSE"));
	assert_int_equal(r.res->compare_unchanged, 0);
	free(r.res);
	/* Overwrite: read back in full. */
	fill_data(sim);
	sanitize(sim, WIPER_TRAN_SAS, WIPER_TECH_SCSI_SAN_OVERWRITE, &r, 0);
	assert_int_equal(r.res->outcome, WIPER_PASSED);
	assert_true(all_zero(sim, sim->sectors));
	assert_true(r.res->verify_coverage == 1.0);
	free(r.res);
	/* A failing sanitize is reported from the sense data. */
	sim->san.fail = true;
	sanitize(sim, WIPER_TRAN_SAS, WIPER_TECH_SCSI_SAN_BLOCK, &r, 0);
	assert_int_equal(r.res->outcome, WIPER_FAILED);
	assert_non_null(strstr(r.res->reason, "sanitize failed"));
	free(r.res);
	/* A SCSI disk without SANITIZE has no Purge. */
	sim_drive_free(sim);
	sim = sas_drive(false, false, false);
	identify(sim, WIPER_TRAN_SAS, &r);
	assert_int_equal(r.caps.n, 1);
	sim_drive_free(sim);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nvme_crypto_purge),
		cmocka_unit_test(test_nvme_lie_caught),
		cmocka_unit_test(test_nvme_stall_deadline),
		cmocka_unit_test(test_nvme_failure_state),
		cmocka_unit_test(test_nvme_like_qemu_format),
		cmocka_unit_test(test_ata_block_erase),
		cmocka_unit_test(test_ata_overwrite_readback),
		cmocka_unit_test(test_ata_sanitize_frozen_and_failed),
		cmocka_unit_test(test_hidden_area_restored),
		cmocka_unit_test(test_dco_and_hpa_restored),
		cmocka_unit_test(test_hidden_area_locked_fails),
		cmocka_unit_test(test_overwrite_reaches_hidden_area),
		cmocka_unit_test(test_security_erase),
		cmocka_unit_test(test_usb_without_passthrough_falls_back),
		cmocka_unit_test(test_scsi_sanitize),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
