// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * verity-open: the live image's initramfs maps its squashfs through
 * dm-verity, so that every block the live system reads is checked against
 * a root hash that lives in the initramfs itself. GRUB measures the
 * initramfs into PCR 9 on UEFI: a station key sealed to PCR 9 then unseals
 * only for the live system that was built with it, not for a squashfs
 * someone changed on the stick (it would not even mount).
 *
 *   verity-open NAME DATA HASH DATA-BLOCKS ROOT-HASH SALT
 *
 * DATA and HASH are block devices (loop devices over filesystem.squashfs
 * and filesystem.verity, made by `veritysetup format --no-superblock` with
 * 4096-byte blocks and SHA-256); DATA-BLOCKS counts 4096-byte blocks.
 * Creates the read-only device-mapper device NAME, prints its node
 * (/dev/dm-N, which devtmpfs makes) and exits 0; on a corrupted block the
 * kernel panics (panic_on_corruption) rather than run changed code.
 * Built static by make-initrd.sh (the initramfs has no libc, only busybox),
 * it speaks the device-mapper ioctls itself: no dmsetup, no libdevmapper.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/dm-ioctl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define BLOCK 4096u

static void init_io(struct dm_ioctl *io, size_t size, const char *name)
{
	memset(io, 0, size);
	io->version[0] = DM_VERSION_MAJOR;
	io->version[1] = 0;
	io->version[2] = 0;
	io->data_size = (uint32_t)size;
	io->data_start = sizeof(*io);
	snprintf(io->name, sizeof(io->name), "%s", name);
}

static int devnum(const char *path, char *out, size_t n)
{
	struct stat st;

	if (stat(path, &st) != 0) {
		fprintf(stderr, "verity-open: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISBLK(st.st_mode)) {
		fprintf(stderr, "verity-open: %s is not a block device\n", path);
		return -1;
	}
	snprintf(out, n, "%u:%u", major(st.st_rdev), minor(st.st_rdev));
	return 0;
}

static int hex_ok(const char *s, size_t len)
{
	if (strlen(s) != len)
		return 0;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return 0;
	return 1;
}

int main(int argc, char **argv)
{
	union {
		struct dm_ioctl io;
		char bytes[16384];
	} buf;
	char data[32], hash[32], *end;
	unsigned long long blocks;
	struct dm_target_spec *spec;
	char *params;
	int fd;

	if (argc != 7) {
		fprintf(stderr, "usage: verity-open NAME DATA HASH DATA-BLOCKS ROOT-HASH SALT\n");
		return 2;
	}
	errno = 0;
	blocks = strtoull(argv[4], &end, 10);
	if (argv[4][0] < '0' || argv[4][0] > '9' || errno || *end || blocks == 0 ||
	    blocks > UINT64_MAX / (BLOCK / 512)) {
		fprintf(stderr, "verity-open: data blocks '%s' is not a positive number\n", argv[4]);
		return 2;
	}
	if (!hex_ok(argv[5], 64) || !hex_ok(argv[6], 64)) {
		fprintf(stderr, "verity-open: root hash and salt must be 64 lower-case hex digits\n");
		return 2;
	}
	if (devnum(argv[2], data, sizeof(data)) || devnum(argv[3], hash, sizeof(hash)))
		return 1;
	fd = open("/dev/mapper/control", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "verity-open: /dev/mapper/control: %s (dm-mod not loaded?)\n", strerror(errno));
		return 1;
	}

	init_io(&buf.io, sizeof(buf.io), argv[1]);
	if (ioctl(fd, DM_DEV_CREATE, &buf.io) != 0) {
		fprintf(stderr, "verity-open: create %s: %s\n", argv[1], strerror(errno));
		return 1;
	}

	init_io(&buf.io, sizeof(buf), argv[1]);
	buf.io.target_count = 1;
	buf.io.flags = DM_READONLY_FLAG;
	spec = (struct dm_target_spec *)(buf.bytes + sizeof(buf.io));
	spec->sector_start = 0;
	spec->length = blocks * (BLOCK / 512);
	snprintf(spec->target_type, sizeof(spec->target_type), "verity");
	params = (char *)(spec + 1);
	snprintf(params, sizeof(buf) - (size_t)(params - buf.bytes),
		 "1 %s %s %u %u %llu 0 sha256 %s %s 1 panic_on_corruption", data, hash, BLOCK, BLOCK,
		 blocks, argv[5], argv[6]);
	spec->next = 0;
	if (ioctl(fd, DM_TABLE_LOAD, &buf.io) != 0) {
		fprintf(stderr, "verity-open: load the verity table of %s: %s\n", argv[1], strerror(errno));
		init_io(&buf.io, sizeof(buf.io), argv[1]);
		ioctl(fd, DM_DEV_REMOVE, &buf.io);
		return 1;
	}

	init_io(&buf.io, sizeof(buf.io), argv[1]);
	if (ioctl(fd, DM_DEV_SUSPEND, &buf.io) != 0) { /* no SUSPEND flag: resume, i.e. activate */
		fprintf(stderr, "verity-open: activate %s: %s\n", argv[1], strerror(errno));
		init_io(&buf.io, sizeof(buf.io), argv[1]);
		ioctl(fd, DM_DEV_REMOVE, &buf.io);
		return 1;
	}
	printf("/dev/dm-%u\n", minor(buf.io.dev));
	close(fd);
	return 0;
}
