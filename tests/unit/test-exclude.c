/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Exclusions: boot, records, mounted, swap, holders, read-only. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include <cmocka.h>

#include "wiper/exclude.h"

static const char mountinfo[] =
	"22 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw,errors=remount-ro\n"
	"23 22 0:21 / /proc rw,nosuid - proc proc rw\n"
	"40 22 8:17 / /mnt/my\\040disk rw,relatime shared:20 - vfat /dev/sdb1 rw\n"
	"41 22 7:0 / /run/live/medium ro,noatime shared:21 - iso9660 /dev/loop0 ro\n"
	"42 22 8:33 / /srv rw master:3 unbindable - ext4 /dev/sdc1 rw\n"
	"garbage line without fields\n";

static const char swaps[] =
	"Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"
	"/dev/sdd2                               partition\t1048572\t\t0\t\t-2\n";

/* A disk with @nparts partitions numbered from minor+1. */
static void mkdisk(struct wiper_disk *d, const char *name, unsigned ma, unsigned mi, size_t nparts)
{
	size_t i;

	memset(d, 0, sizeof(*d));
	snprintf(d->name, sizeof(d->name), "%s", name);
	d->devnum = makedev(ma, mi);
	d->size_bytes = 1 << 20;
	d->part_names = calloc(nparts + 1, sizeof(char *));
	d->part_devnums = calloc(nparts + 1, sizeof(dev_t));
	for (i = 0; i < nparts; i++) {
		char pn[64];

		snprintf(pn, sizeof(pn), "%s%zu", name, i + 1);
		d->part_names[i] = strdup(pn);
		d->part_devnums[i] = makedev(ma, mi + 1 + (unsigned)i);
	}
	d->nparts = nparts;
}

static void test_mountinfo_parse(void **state)
{
	struct wiper_sysstate st;

	(void)state;
	memset(&st, 0, sizeof(st));
	assert_int_equal(wiper_mountinfo_parse(mountinfo, &st), 0);
	assert_int_equal(st.nmounts, 5);
	assert_string_equal(st.mounts[2].target, "/mnt/my disk");
	assert_string_equal(st.mounts[2].source, "/dev/sdb1");
	assert_int_equal(major(st.mounts[2].devnum), 8);
	assert_int_equal(minor(st.mounts[2].devnum), 17);
	/* Several optional fields before the separator. */
	assert_string_equal(st.mounts[4].source, "/dev/sdc1");
	assert_int_equal(wiper_swaps_parse(swaps, &st), 0);
	assert_int_equal(st.nswaps, 1);
	assert_string_equal(st.swaps[0], "/dev/sdd2");
	wiper_sysstate_done(&st);
}

static void test_apply(void **state)
{
	struct wiper_sysstate st;
	struct wiper_disk d;

	(void)state;
	memset(&st, 0, sizeof(st));
	assert_int_equal(wiper_mountinfo_parse(mountinfo, &st), 0);
	assert_int_equal(wiper_swaps_parse(swaps, &st), 0);
	st.swap_devnums[0] = makedev(8, 50);
	st.boot_devnums = calloc(1, sizeof(dev_t));
	st.boot_devnums[0] = makedev(7, 0);
	st.nboot = 1;

	mkdisk(&d, "sdb", 8, 16, 2);
	wiper_exclude_apply(&st, &d);
	assert_int_equal(d.excl, WIPER_EXCL_MOUNTED);
	assert_string_equal(d.excl_reason, "mounted at /mnt/my disk (sdb1)");
	wiper_disk_done(&d);

	/* The boot medium wins over "mounted". */
	mkdisk(&d, "loop0", 7, 0, 0);
	wiper_exclude_apply(&st, &d);
	assert_int_equal(d.excl, WIPER_EXCL_BOOT);
	assert_string_equal(d.excl_reason, "boot medium (loop0 holds the running system)");
	wiper_disk_done(&d);

	mkdisk(&d, "sdd", 8, 48, 2);
	wiper_exclude_apply(&st, &d);
	assert_int_equal(d.excl, WIPER_EXCL_SWAP);
	assert_string_equal(d.excl_reason, "used as swap (/dev/sdd2)");
	wiper_disk_done(&d);

	/* Records label, even when not mounted. */
	mkdisk(&d, "sde", 8, 64, 1);
	d.content.probed = true;
	d.content.nfs = 1;
	snprintf(d.content.fs[0].part, sizeof(d.content.fs[0].part), "sde1");
	snprintf(d.content.fs[0].label, sizeof(d.content.fs[0].label), "TABULA-RECORDS");
	wiper_exclude_apply(&st, &d);
	assert_int_equal(d.excl, WIPER_EXCL_RECORDS);
	assert_string_equal(d.excl_reason, "records medium (sde1 labelled TABULA-RECORDS)");
	wiper_disk_done(&d);

	/* A disk used directly as a loop device's backing. */
	st.backing = calloc(1, sizeof(*st.backing));
	st.backing[0].devnum = makedev(8, 97);
	snprintf(st.backing[0].loop, sizeof(st.backing[0].loop), "loop7");
	st.nbacking = 1;
	mkdisk(&d, "sdg", 8, 96, 1);
	wiper_exclude_apply(&st, &d);
	assert_int_equal(d.excl, WIPER_EXCL_HOLDERS);
	assert_string_equal(d.excl_reason, "backs loop device loop7 (sdg1)");
	wiper_disk_done(&d);

	/* Tabula's own boot image, recognised by its label even when not mounted. */
	mkdisk(&d, "sdh", 8, 112, 1);
	d.content.probed = true;
	d.content.nfs = 1;
	snprintf(d.content.fs[0].fstype, sizeof(d.content.fs[0].fstype), "iso9660");
	snprintf(d.content.fs[0].label, sizeof(d.content.fs[0].label), "TABULA");
	wiper_exclude_apply(&st, &d);
	assert_int_equal(d.excl, WIPER_EXCL_BOOT);
	wiper_disk_done(&d);

	/* A plain unmounted disk is free; read-only and empty ones are not. */
	mkdisk(&d, "sdf", 8, 80, 1);
	wiper_exclude_apply(&st, &d);
	assert_int_equal(d.excl, WIPER_EXCL_NONE);
	assert_string_equal(d.excl_reason, "");
	d.readonly = true;
	wiper_exclude_apply(&st, &d);
	assert_int_equal(d.excl, WIPER_EXCL_READONLY);
	d.readonly = false;
	d.size_bytes = 0;
	wiper_exclude_apply(&st, &d);
	assert_int_equal(d.excl, WIPER_EXCL_VIRTUAL);
	wiper_disk_done(&d);

	wiper_sysstate_done(&st);
}

static void test_live_state_reads(void **state)
{
	struct wiper_sysstate st;

	(void)state;
	/* This machine has a root filesystem, so at least one mount exists. */
	assert_int_equal(wiper_sysstate_read(&st), 0);
	assert_true(st.nmounts > 0);
	wiper_sysstate_done(&st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mountinfo_parse),
		cmocka_unit_test(test_apply),
		cmocka_unit_test(test_live_state_reads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
