/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Identity and erase capabilities, asked of the simulated drive. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "tests/lib/sim-drive.h"
#include "wiper/caps.h"
#include "wiper/identity.h"

struct run {
	struct wiper_disk disk;
	struct wiper_identity id;
	struct wiper_caps caps;
	char summary[256];
};

/* Identify @sim as a disk of @tran and compute its capabilities. */
static void identify(struct sim_drive *sim, enum wiper_transport tran, struct run *r)
{
	struct wiper_dev *dev = sim_drive_open(sim);

	assert_non_null(dev);
	memset(r, 0, sizeof(*r));
	snprintf(r->disk.name, sizeof(r->disk.name), "sim0");
	r->disk.transport = tran;
	r->disk.sectors = sim->sectors;
	r->disk.size_bytes = sim->sectors * sim->lbs;
	r->disk.logical_block = sim->lbs;
	assert_int_equal(wiper_identify(dev, &r->disk, &r->id), 0);
	wiper_caps_compute(&r->disk, &r->id, &r->caps);
	wiper_caps_summary(&r->caps, &r->disk, r->summary, sizeof(r->summary));
	wiper_dev_close(dev);
}

/* Find a capability by technique. */
static const struct wiper_cap *cap(const struct run *r, enum wiper_tech t)
{
	size_t i;

	for (i = 0; i < r->caps.n; i++)
		if (r->caps.cap[i].tech == t)
			return &r->caps.cap[i];
	return NULL;
}

static void test_sata_with_sanitize(void **state)
{
	struct sim_drive *sim = sim_drive_new(SIM_SATA, 2048, 4096, 4096);
	const struct wiper_cap *c;
	struct run r;

	(void)state;
	sim_drive_set_identity(sim, "SIMSSD 860", "S3Z9NB0K123456", "RVT04B6Q");
	sim_drive_ata_bits(sim, 59, 0x1000 | 0x2000 | 0x8000, 0); /* sanitize: crypto, block */
	sim_drive_ata_bits(sim, 82, 0x0002, 0);			  /* security supported */
	sim_drive_ata_word(sim, 128, 0x0001 | 0x0020);		  /* supported, enhanced */
	identify(sim, WIPER_TRAN_SATA, &r);

	assert_true(r.id.have_ata);
	assert_int_equal(r.id.ata_pt, WIPER_ATA_PT_FULL);
	assert_string_equal(r.disk.model, "SIMSSD 860");
	assert_string_equal(r.disk.serial, "S3Z9NB0K123456");
	assert_string_equal(r.disk.firmware, "RVT04B6Q");
	assert_int_equal(r.id.ata.logical_sector_size, 4096);
	assert_true(r.id.have_scsi);

	c = cap(&r, WIPER_TECH_ATA_SAN_CRYPTO);
	assert_non_null(c);
	assert_true(c->usable);
	assert_int_equal(c->label, WIPER_LABEL_PURGE);
	assert_non_null(cap(&r, WIPER_TECH_ATA_SAN_BLOCK));
	assert_null(cap(&r, WIPER_TECH_ATA_SAN_OVERWRITE));
	assert_true(cap(&r, WIPER_TECH_ATA_SEC_ERASE_ENH)->usable);
	assert_int_equal(cap(&r, WIPER_TECH_ATA_SEC_ERASE)->label, WIPER_LABEL_CLEAR);
	assert_true(cap(&r, WIPER_TECH_OVERWRITE)->usable);
	/* Strongest first. */
	assert_int_equal(r.caps.cap[0].tech, WIPER_TECH_ATA_SAN_CRYPTO);
	assert_string_equal(r.summary, "Purge: ATA sanitize crypto scramble");
	assert_int_equal(sim_drive_count(sim, "ata", ATA_OP_IDENTIFY), 1);
	sim_drive_free(sim);
}

static void test_frozen_security(void **state)
{
	struct sim_drive *sim = sim_drive_new(SIM_SATA, 2048, 512, 4096);
	struct run r;

	(void)state;
	sim_drive_ata_bits(sim, 82, 0x0002, 0);
	sim_drive_ata_word(sim, 128, 0x0001 | 0x0008 | 0x0020); /* frozen */
	identify(sim, WIPER_TRAN_SATA, &r);
	assert_true(r.id.ata.sec_frozen);
	assert_int_equal(r.id.ata.physical_sector_size, 4096);
	assert_false(cap(&r, WIPER_TECH_ATA_SEC_ERASE_ENH)->usable);
	assert_string_equal(cap(&r, WIPER_TECH_ATA_SEC_ERASE_ENH)->blocked,
			    "security frozen: suspend and resume, or replug, to unfreeze");
	assert_string_equal(r.summary,
			    "Clear only: security frozen: suspend and resume, or replug, to unfreeze");
	sim_drive_free(sim);
}

static void test_usb_without_passthrough(void **state)
{
	struct sim_drive *sim = sim_drive_new(SIM_USB_NOSAT, 1024, 512, 512);
	struct run r;

	(void)state;
	sim_drive_set_identity(sim, "Flash Disk", "USB-0042", "1.00");
	identify(sim, WIPER_TRAN_USB, &r);
	assert_false(r.id.have_ata);
	assert_int_equal(r.id.ata_pt, WIPER_ATA_PT_NONE);
	assert_string_equal(r.id.ata_pt_note,
			    "IDENTIFY rejected: SCSI: Illegal Request, invalid command operation code");
	assert_true(r.id.have_scsi);
	assert_string_equal(r.id.inq.vendor, "SIMUSB");
	assert_string_equal(r.id.vpd.serial, "USB-0042");
	assert_string_equal(r.id.vpd.naa, "naa.5000c50012345678");
	assert_int_equal(r.caps.n, 1);
	assert_string_equal(r.summary, "Clear only: USB bridge blocks pass-through");
	sim_drive_free(sim);
}

static void test_usb_sat_without_registers(void **state)
{
	struct sim_drive *sim = sim_drive_new(SIM_USB_SAT, 1024, 512, 512);
	struct run r;

	(void)state;
	sim->no_rtfr = true;
	sim_drive_ata_bits(sim, 59, 0x1000 | 0x4000, 0); /* sanitize overwrite */
	sim_drive_ata_bits(sim, 82, 0x0002, 0);
	sim_drive_ata_word(sim, 128, 0x0001 | 0x0020);
	identify(sim, WIPER_TRAN_USB, &r);
	assert_int_equal(r.id.ata_pt, WIPER_ATA_PT_LIMITED);
	assert_string_equal(r.id.ata_pt_note, "no ATA registers returned through the USB bridge");
	assert_false(cap(&r, WIPER_TECH_ATA_SAN_OVERWRITE)->usable);
	/* Security erase is never offered through a bridge. */
	assert_string_equal(cap(&r, WIPER_TECH_ATA_SEC_ERASE_ENH)->blocked,
			    "never through a USB bridge");
	assert_string_equal(r.summary, "Clear only: no status readback through this path");
	sim_drive_free(sim);
}

static void test_hidden_area(void **state)
{
	struct sim_drive *sim = sim_drive_new(SIM_SATA, 2048, 512, 512);
	struct run r;

	(void)state;
	sim->native_sectors = 4096;
	sim_drive_ata_bits(sim, 82, 0x0400, 0); /* HPA supported */
	identify(sim, WIPER_TRAN_SATA, &r);
	assert_true(r.id.ata.hpa_supported);
	assert_true(r.id.have_native);
	assert_true(r.id.native_sectors == 4096);
	assert_int_equal(sim_drive_count(sim, "ata", ATA_OP_READ_NATIVE_MAX_EXT), 1);
	sim_drive_free(sim);
}

static void test_bad_checksum_is_not_trusted(void **state)
{
	struct sim_drive *sim = sim_drive_new(SIM_USB_SAT, 1024, 512, 512);
	struct run r;

	(void)state;
	sim->ata_id[511] ^= 0x55; /* a bridge mangled the block */
	identify(sim, WIPER_TRAN_USB, &r);
	assert_false(r.id.have_ata);
	assert_int_equal(r.id.ata_pt, WIPER_ATA_PT_NONE);
	assert_string_equal(r.id.ata_pt_note, "IDENTIFY came back with a bad checksum");
	sim_drive_free(sim);
}

static void test_nvme(void **state)
{
	struct sim_drive *sim = sim_drive_new(SIM_NVME, 4096, 4096, 4096);
	struct run r;

	(void)state;
	sim_drive_set_identity(sim, "SIM NVMe 990", "NV123", "2B2QEXM7");
	sim_drive_nvme_ctrl_u32(sim, 328, 0x3); /* SANICAP: crypto, block */
	sim_drive_nvme_ctrl_u8(sim, 524, 0x04); /* FNA: crypto erase */
	identify(sim, WIPER_TRAN_NVME, &r);
	assert_true(r.id.have_nvme);
	assert_true(r.id.have_nvme_ns);
	assert_int_equal(r.id.nsid, 1);
	assert_int_equal(r.id.nvme_ns.lba_size, 4096);
	assert_string_equal(r.disk.model, "SIM NVMe 990");
	assert_string_equal(r.disk.serial, "NV123");
	assert_true(r.id.smart.available);
	assert_true(r.id.smart.power_on_hours == 1234);
	assert_int_equal(r.caps.cap[0].tech, WIPER_TECH_NVME_SAN_CRYPTO);
	assert_int_equal(r.caps.cap[1].tech, WIPER_TECH_NVME_SAN_BLOCK);
	assert_int_equal(cap(&r, WIPER_TECH_NVME_FORMAT_CRYPTO)->label, WIPER_LABEL_CLEAR);
	assert_string_equal(r.summary, "Purge: NVMe sanitize crypto erase");
	sim_drive_free(sim);
}

static void test_nvme_like_qemu(void **state)
{
	struct sim_drive *sim = sim_drive_new(SIM_NVME, 4096, 512, 512);
	struct run r;

	(void)state;
	/* QEMU 7.2: SANICAP 0, FNA 0, Format supported. */
	identify(sim, WIPER_TRAN_NVME, &r);
	assert_null(cap(&r, WIPER_TECH_NVME_SAN_CRYPTO));
	assert_null(cap(&r, WIPER_TECH_NVME_FORMAT_CRYPTO));
	assert_non_null(cap(&r, WIPER_TECH_NVME_FORMAT_USER));
	assert_string_equal(r.summary, "Clear only: drive offers no sanitize");
	sim_drive_free(sim);
}

static void test_plain_and_vanished(void **state)
{
	struct sim_drive *sim = sim_drive_new(SIM_PLAIN, 64, 512, 512);
	struct wiper_dev *dev;
	uint8_t buf[512];
	struct run r;

	(void)state;
	identify(sim, WIPER_TRAN_LOOP, &r);
	assert_string_equal(r.id.notes, "no command interface (loop): identity from the kernel only");
	assert_string_equal(r.summary, "Clear only: loop device");

	/* Faults: a bad LBA and a device that vanishes after two I/Os. */
	sim_drive_add_bad_lba(sim, 3);
	sim->vanish_after_io = 2;
	dev = sim_drive_open(sim);
	assert_int_equal(wiper_dev_pread(dev, buf, 512, 0), 512);
	assert_int_equal(wiper_dev_pread(dev, buf, 1024, 2 * 512), -EIO);
	assert_int_equal(wiper_dev_pread(dev, buf, 512, 0), -ENODEV);
	assert_int_equal(wiper_dev_flush(dev), -ENODEV);
	assert_int_equal(wiper_dev_ata(dev, NULL, NULL, NULL), -EOPNOTSUPP);
	wiper_dev_close(dev);
	sim_drive_free(sim);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sata_with_sanitize),
		cmocka_unit_test(test_frozen_security),
		cmocka_unit_test(test_usb_without_passthrough),
		cmocka_unit_test(test_usb_sat_without_registers),
		cmocka_unit_test(test_hidden_area),
		cmocka_unit_test(test_bad_checksum_is_not_trusted),
		cmocka_unit_test(test_nvme),
		cmocka_unit_test(test_nvme_like_qemu),
		cmocka_unit_test(test_plain_and_vanished),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
