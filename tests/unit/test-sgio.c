/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * SG_IO framing of the SG_IO backend, with ioctl() wrapped (-Wl,--wrap=ioctl):
 * what the kernel would receive, and how its answers become return codes.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <scsi/sg.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "wiper/dev-impl.h"
#include "wiper/status.h"

/* What the fake kernel saw and will answer. */
static struct {
	struct sg_io_hdr hdr;
	uint8_t cdb[16];
	int calls;
	/* answer */
	int ret, err;
	uint8_t status, host_status;
	uint8_t sense[32];
	uint8_t sense_len;
	uint8_t data[512];
	size_t data_len;
} k;

int __real_ioctl(int fd, unsigned long req, ...);
int __wrap_ioctl(int fd, unsigned long req, ...);

int __wrap_ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (req == SG_GET_VERSION_NUM) {
		*(int *)arg = 30527;
		return 0;
	}
	if (req != SG_IO)
		return __real_ioctl(fd, req, arg);
	k.calls++;
	k.hdr = *(struct sg_io_hdr *)arg;
	memcpy(k.cdb, k.hdr.cmdp, k.hdr.cmd_len < 16 ? k.hdr.cmd_len : 16);
	if (k.ret < 0) {
		errno = k.err;
		return -1;
	}
	{
		struct sg_io_hdr *h = arg;

		h->status = k.status;
		h->host_status = k.host_status;
		h->sb_len_wr = k.sense_len;
		memcpy(h->sbp, k.sense, k.sense_len);
		if (k.data_len && h->dxferp)
			memcpy(h->dxferp, k.data, k.data_len < h->dxfer_len ? k.data_len : h->dxfer_len);
	}
	return 0;
}

/* A device over a scratch file, with the SG_IO backend. */
static struct wiper_dev *open_dev(void)
{
	char path[] = "/tmp/tabula-sgio-XXXXXX";
	struct wiper_dev *dev = NULL;
	char err[128];
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, 1 << 20), 0);
	unlink(path);
	assert_int_equal(wiper_dev_sgio_open(fd, "/dev/fake", &dev, err, sizeof(err)), 0);
	assert_string_equal(wiper_dev_backend(dev), "sgio");
	memset(&k, 0, sizeof(k));
	return dev;
}

static void test_identify_framing(void **state)
{
	static const uint8_t want[16] = { 0x85, 0x08, 0x0e, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0x40, 0xec, 0 };
	struct wiper_dev *dev = open_dev();
	struct wiper_ata_result res;
	struct ata_cmd cmd;
	uint8_t buf[512];

	(void)state;
	ata_cmd_identify(&cmd);
	cmd.timeout_ms = 15000;
	k.data[0] = 0x40;
	k.data_len = 512;
	assert_int_equal(wiper_dev_ata(dev, &cmd, buf, &res), 0);
	assert_int_equal(k.calls, 1);
	assert_int_equal(k.hdr.interface_id, 'S');
	assert_int_equal(k.hdr.cmd_len, 16);
	assert_memory_equal(k.cdb, want, 16);
	assert_int_equal(k.hdr.dxfer_direction, SG_DXFER_FROM_DEV);
	assert_int_equal(k.hdr.dxfer_len, 512);
	assert_int_equal(k.hdr.timeout, 15000);
	assert_true(k.hdr.mx_sb_len >= 32);
	assert_int_equal(buf[0], 0x40);
	wiper_dev_close(dev);
}

static void test_registers_and_abort(void **state)
{
	static const uint8_t ok[22] = { 0x72, 0x01, 0x00, 0x1d, 0, 0, 0, 0x0e, 0x09, 0x0c, 0x01, 0x00,
					0x40, 0x00, 0, 0x34, 0, 0x12, 0, 0, 0x40, 0x50 };
	static const uint8_t abrt[22] = { 0x72, 0x0b, 0x00, 0x00, 0, 0, 0, 0x0e, 0x09, 0x0c, 0x01, 0x04,
					  0, 0, 0, 0, 0, 0, 0, 0, 0x40, 0x51 };
	struct wiper_dev *dev = open_dev();
	struct wiper_ata_result res;
	struct ata_cmd cmd;

	(void)state;
	ata_cmd_sanitize_status(&cmd, false);
	k.status = 0x02; /* CHECK CONDITION, as CK_COND makes it */
	memcpy(k.sense, ok, sizeof(ok));
	k.sense_len = sizeof(ok);
	assert_int_equal(wiper_dev_ata(dev, &cmd, NULL, &res), 0);
	assert_int_equal(k.hdr.dxfer_direction, SG_DXFER_NONE);
	assert_int_equal(k.hdr.timeout, 60000); /* 0 means the 60 s default */
	assert_true(res.rtf.valid);
	assert_int_equal(res.rtf.count, 0x4000);
	assert_true(res.rtf.lba == 0x1234);

	memcpy(k.sense, abrt, sizeof(abrt));
	assert_int_equal(wiper_dev_ata(dev, &cmd, NULL, &res), WIPER_ST_ATA(0x51, 0x04));
	wiper_dev_close(dev);
}

static void test_scsi_and_transport_errors(void **state)
{
	static const uint8_t illegal[18] = { 0x70, 0, 0x05, 0, 0, 0, 0, 0x0a, 0, 0, 0, 0, 0x20, 0x00 };
	struct wiper_dev *dev = open_dev();
	struct wiper_scsi_cmd cmd;
	struct ata_cmd acmd;

	(void)state;
	/* A bridge without SAT: the pass-through CDB is an illegal opcode. */
	ata_cmd_identify(&acmd);
	k.status = 0x02;
	memcpy(k.sense, illegal, sizeof(illegal));
	k.sense_len = sizeof(illegal);
	{
		uint8_t buf[512];
		struct wiper_ata_result res;

		assert_int_equal(wiper_dev_ata(dev, &acmd, buf, &res), WIPER_ST_SCSI(5, 0x20, 0));
		assert_false(res.rtf.valid);
	}
	/* A plain SCSI command with data out. */
	memset(&cmd, 0, sizeof(cmd));
	cmd.cdb[0] = 0x48;
	cmd.cdb_len = 10;
	cmd.dir = WIPER_DIR_OUT;
	{
		uint8_t param[8] = { 0 };

		cmd.buf = param;
		cmd.len = sizeof(param);
		k.status = 0;
		k.sense_len = 0;
		assert_int_equal(wiper_dev_scsi(dev, &cmd), 0);
		assert_int_equal(k.hdr.dxfer_direction, SG_DXFER_TO_DEV);
		assert_int_equal(k.hdr.cmd_len, 10);
	}
	/* The link reset under the command. */
	k.host_status = 0x07;
	assert_int_equal(wiper_dev_scsi(dev, &cmd), -EIO);
	assert_non_null(strstr(wiper_dev_error(dev), "host status 0x7"));
	/* The ioctl itself failed: the device is gone. */
	k.ret = -1;
	k.err = ENODEV;
	assert_int_equal(wiper_dev_scsi(dev, &cmd), -ENODEV);
	wiper_dev_close(dev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identify_framing),
		cmocka_unit_test(test_registers_and_abort),
		cmocka_unit_test(test_scsi_and_transport_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
