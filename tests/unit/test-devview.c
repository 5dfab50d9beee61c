/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Enumeration against captured udev/sysfs views of real (QEMU) machines. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include <cmocka.h>

#include "tests/lib/testutil.h"
#include "wiper/enum.h"

struct fx {
	struct wiper_devview *views;
	int nviews;
};

/* Load a captured view from tests/fixtures/devviews. */
static int load_view(const char *name, struct fx *fx)
{
	char path[512], err[128] = "";
	size_t len;
	uint8_t *text = test_read_file(test_fixture(name, path, sizeof(path)), &len);

	if (text == NULL)
		return -ENOENT;
	fx->nviews = wiper_devviews_parse((const char *)text, &fx->views, err, sizeof(err));
	free(text);
	return fx->nviews < 0 ? fx->nviews : 0;
}

/* Find a disk by name. */
static const struct wiper_disk *find(const struct wiper_disk *d, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(d[i].name, name) == 0)
			return &d[i];
	return NULL;
}

static void test_parse_counts(void **state)
{
	struct fx fx;

	(void)state;
	assert_int_equal(load_view("devviews/shared-qemu.view", &fx), 0);
	assert_int_equal(fx.nviews, 10);
	assert_string_equal(fx.views[2].name, "sdb");
	assert_int_equal(fx.views[2].nparts, 2);
	assert_int_equal(major(fx.views[2].parts[1].devnum), 8);
	assert_int_equal(minor(fx.views[2].parts[1].devnum), 18);
	assert_int_equal(fx.views[2].parts[1].nholders, 1);
	assert_string_equal(wiper_devview_attr(&fx.views[2], "host/proc_name"), "ahci");
	assert_null(wiper_devview_prop(&fx.views[2], "NOPE"));
	wiper_devviews_free(fx.views, (size_t)fx.nviews);
}

static void test_classify(void **state)
{
	struct wiper_scan_opts o = { .include_loop = false, .probe_content = false };
	struct wiper_disk *d;
	const struct wiper_disk *x;
	struct fx fx;
	int n;

	(void)state;
	assert_int_equal(load_view("devviews/shared-qemu.view", &fx), 0);
	n = wiper_scan_views(fx.views, (size_t)fx.nviews, &o, NULL, &d);
	/* sr0, fd0, dm-0 and the loop devices are not offered. */
	assert_int_equal(n, 5);
	assert_string_equal(d[0].name, "nvme0n1");
	assert_string_equal(d[1].name, "sda");
	assert_string_equal(d[4].name, "vda");

	x = find(d, n, "nvme0n1");
	assert_non_null(x);
	assert_int_equal(x->transport, WIPER_TRAN_NVME);
	assert_string_equal(x->model, "QEMU NVMe Ctrl");
	assert_string_equal(x->serial, "NVME-SER-0001");
	assert_string_equal(x->firmware, "7.2.22");
	assert_int_equal(x->nvme_nsid, 1);
	assert_true(x->size_bytes == 64ULL << 20);
	assert_true(x->sectors == 131072);

	x = find(d, n, "sda");
	assert_int_equal(x->transport, WIPER_TRAN_SCSI);
	assert_string_equal(x->vendor, "TESTVND");
	assert_string_equal(x->model, "TestSCSIDisk");
	assert_string_equal(x->serial, "SCSI-SER-0001");
	assert_string_equal(x->wwn, "0x5000c50012345678");
	assert_true(x->rotational);

	x = find(d, n, "sdb");
	assert_int_equal(x->transport, WIPER_TRAN_SATA);
	assert_string_equal(x->model, "QEMU-SATA-TEST");
	assert_string_equal(x->serial, "SATA-SER-0001");
	assert_string_equal(x->host_driver, "ahci");
	assert_false(x->rotational);
	assert_int_equal(x->nparts, 2);
	assert_int_equal(x->nholders, 1);
	assert_string_equal(x->holders[0], "dm-0");

	x = find(d, n, "sdc");
	assert_int_equal(x->transport, WIPER_TRAN_USB);
	assert_int_equal(x->usb_vid, 0x46f4);
	assert_int_equal(x->usb_pid, 0x0001);
	assert_string_equal(x->usb_driver, "usb-storage");
	assert_string_equal(x->model, "QEMU HARDDISK");
	assert_string_equal(x->serial, "USB-SER-0001");
	assert_true(x->removable);

	x = find(d, n, "vda");
	assert_int_equal(x->transport, WIPER_TRAN_VIRTIO);
	assert_string_equal(x->serial, "VBLK-SER-0001");
	assert_string_equal(x->vendor, "");

	wiper_disks_free(d, (size_t)n);
	wiper_devviews_free(fx.views, (size_t)fx.nviews);
}

static void test_loops_only_when_asked(void **state)
{
	struct wiper_scan_opts o = { .include_loop = true, .probe_content = false };
	const struct wiper_disk *x;
	struct wiper_disk *d;
	struct fx fx;
	int n;

	(void)state;
	assert_int_equal(load_view("devviews/shared-qemu.view", &fx), 0);
	n = wiper_scan_views(fx.views, (size_t)fx.nviews, &o, NULL, &d);
	/* loop0 joins; the unbound loop1 (size 0) does not. */
	assert_int_equal(n, 6);
	x = find(d, n, "loop0");
	assert_non_null(x);
	assert_int_equal(x->transport, WIPER_TRAN_LOOP);
	assert_int_equal(x->logical_block, 4096);
	assert_true(x->size_bytes == 8192ULL * 512);
	assert_true(x->sectors == 1024);
	assert_string_equal(x->backing_file, "/tmp/tabula-test-x/medium.img");
	assert_null(find(d, n, "loop1"));
	wiper_disks_free(d, (size_t)n);
	wiper_devviews_free(fx.views, (size_t)fx.nviews);
}

static void test_holders_exclude(void **state)
{
	struct wiper_scan_opts o = { .include_loop = false, .probe_content = false };
	struct wiper_sysstate st;
	const struct wiper_disk *x;
	struct wiper_disk *d;
	struct fx fx;
	int n;

	(void)state;
	memset(&st, 0, sizeof(st));
	assert_int_equal(load_view("devviews/shared-qemu.view", &fx), 0);
	n = wiper_scan_views(fx.views, (size_t)fx.nviews, &o, &st, &d);
	x = find(d, n, "sdb");
	assert_int_equal(x->excl, WIPER_EXCL_HOLDERS);
	assert_string_equal(x->excl_reason, "in use by dm-0 (device-mapper)");
	x = find(d, n, "sdc");
	assert_int_equal(x->excl, WIPER_EXCL_NONE);
	wiper_disks_free(d, (size_t)n);
	wiper_devviews_free(fx.views, (size_t)fx.nviews);
}

static void test_captured_guest_view(void **state)
{
	struct wiper_scan_opts o = { .include_loop = true, .probe_content = false };
	const struct wiper_disk *x;
	struct wiper_disk *d;
	struct fx fx;
	int n;

	(void)state;
	if (load_view("devviews/qemu-guest.view", &fx) != 0) {
		print_message("SKIP: tests/fixtures/devviews/qemu-guest.view not captured yet\n");
		skip();
	}
	n = wiper_scan_views(fx.views, (size_t)fx.nviews, &o, NULL, &d);
	assert_true(n >= 5);
	x = find(d, n, "nvme0n1");
	assert_non_null(x);
	assert_int_equal(x->transport, WIPER_TRAN_NVME);
	assert_string_equal(x->serial, "NVME-SER-0001");
	x = NULL;
	for (int i = 0; i < n; i++)
		if (strcmp(d[i].serial, "SATA-SER-0001") == 0)
			x = &d[i];
	assert_non_null(x);
	assert_int_equal(x->transport, WIPER_TRAN_SATA);
	x = NULL;
	for (int i = 0; i < n; i++)
		if (strcmp(d[i].serial, "USB-SER-0001") == 0)
			x = &d[i];
	assert_non_null(x);
	assert_int_equal(x->transport, WIPER_TRAN_USB);
	assert_int_equal(x->usb_vid, 0x46f4);
	x = NULL;
	for (int i = 0; i < n; i++)
		if (strcmp(d[i].serial, "SCSI-SER-0001") == 0)
			x = &d[i];
	assert_non_null(x);
	assert_int_equal(x->transport, WIPER_TRAN_SCSI);
	x = NULL;
	for (int i = 0; i < n; i++)
		if (strcmp(d[i].serial, "VBLK-SER-0001") == 0)
			x = &d[i];
	assert_non_null(x);
	assert_int_equal(x->transport, WIPER_TRAN_VIRTIO);
	wiper_disks_free(d, (size_t)n);
	wiper_devviews_free(fx.views, (size_t)fx.nviews);
}

static void test_malformed_view(void **state)
{
	struct wiper_devview *v = NULL;
	char err[128];

	(void)state;
	assert_int_equal(wiper_devviews_parse("P ID_BUS=ata\n", &v, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "line 1: entry before the first [device]");
	assert_int_equal(wiper_devviews_parse("[sda]\nX what\n", &v, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "line 2: cannot parse 'X what'");
	assert_int_equal(wiper_devviews_parse("[sda]\ndevnum eight\n", &v, err, sizeof(err)), -EINVAL);
	assert_int_equal(wiper_devviews_parse("[sda]\nSA sdz1 size=1\n", &v, err, sizeof(err)), -EINVAL);
	assert_int_equal(wiper_devviews_parse("", &v, err, sizeof(err)), 0);
	/* Found by fuzzing: a last line of blanks without a newline looped forever. */
	assert_int_equal(wiper_devviews_parse("[sda]\nnode /dev/sda\n   ", &v, err, sizeof(err)), 1);
	wiper_devviews_free(v, 1);
	v = NULL;
	wiper_devviews_free(v, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_counts),
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_loops_only_when_asked),
		cmocka_unit_test(test_holders_exclude),
		cmocka_unit_test(test_captured_guest_view),
		cmocka_unit_test(test_malformed_view),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
