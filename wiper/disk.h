/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * struct wiper_disk: one whole-disk medium as the station shows it, built from
 * a udev/sysfs view (classification), then refined by identify.c (what the
 * device itself says), content.c (libblkid) and exclude.c (safety).
 */
#ifndef WIPER_DISK_H
#define WIPER_DISK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "wiper/devview.h"

enum wiper_transport {
	WIPER_TRAN_UNKNOWN,
	WIPER_TRAN_SATA,
	WIPER_TRAN_ATA,		/* parallel ATA */
	WIPER_TRAN_SAS,
	WIPER_TRAN_SCSI,	/* other SCSI: virtio-scsi, iSCSI, FC, SPI */
	WIPER_TRAN_NVME,
	WIPER_TRAN_USB,
	WIPER_TRAN_MMC,
	WIPER_TRAN_VIRTIO,
	WIPER_TRAN_LOOP,
	WIPER_TRAN_FILE,	/* a regular file (tests, demo) */
	WIPER_TRAN_SIM,		/* the simulated drive */
};

const char *wiper_transport_str(enum wiper_transport t);

/* Why a medium must not be erased. The first reason found is kept. */
enum wiper_excl {
	WIPER_EXCL_NONE,
	WIPER_EXCL_BOOT,	/* the medium Tabula booted from */
	WIPER_EXCL_RECORDS,	/* filesystem labelled TABULA-RECORDS */
	WIPER_EXCL_MOUNTED,	/* it or a partition is mounted */
	WIPER_EXCL_SWAP,
	WIPER_EXCL_HOLDERS,	/* dm/md/loop sits on top of it */
	WIPER_EXCL_READONLY,
	WIPER_EXCL_VIRTUAL,	/* no media to erase (zero size, no device) */
};

#define WIPER_RECORDS_LABEL "TABULA-RECORDS"

/* One partition or filesystem found by libblkid. */
struct wiper_fs {
	char part[64];		/* sdb1, or "" for a filesystem on the whole disk */
	char fstype[32];	/* ntfs, vfat, ext4, swap, crypto_LUKS ... "" if none */
	char label[64];
	char uuid[64];
	uint64_t size;		/* partition (or disk) size in bytes */
};

struct wiper_content {
	bool probed;
	int error;		/* -errno when the medium could not be read */
	char pttype[16];	/* gpt, dos, "" */
	struct wiper_fs fs[16];
	size_t nfs;
	bool truncated;		/* more than 16 entries */
};

struct wiper_disk {
	char name[64];		/* sda, nvme0n1, loop3 */
	char node[128];		/* /dev/sda */
	char syspath[512];
	dev_t devnum;
	uint64_t diskseq;	/* kernel's per-attach sequence number; 0 if unknown */
	enum wiper_transport transport;

	char vendor[64];
	char model[128];
	char serial[128];
	char firmware[64];
	char wwn[128];

	uint64_t size_bytes;
	uint64_t sectors;	/* logical sectors */
	uint32_t logical_block;
	uint32_t physical_block;
	bool removable;
	bool rotational;
	bool readonly;

	uint32_t nvme_nsid;	/* from udev ID_NSID; 0 if unknown */
	uint16_t usb_vid, usb_pid;
	char usb_driver[32];	/* usb-storage, uas */
	char host_driver[32];	/* scsi host proc_name: ahci, mpt3sas ... */
	char backing_file[512];	/* loop devices */

	char **part_names;	/* whole-disk's partitions, e.g. sdb1 */
	dev_t *part_devnums;
	size_t nparts;
	char **holders;		/* holders of the disk or of any partition */
	size_t nholders;

	struct wiper_content content;

	enum wiper_excl excl;
	char excl_reason[256];	/* "mounted at /mnt/x (sdb1)" */
};

/*
 * Classify a view into @d (transport, identity strings from udev/sysfs,
 * geometry, partitions, holders). Returns 0, or -ENODEV when the view is not a
 * medium Tabula handles (partitions, ram, zram, dm, md, sr, fd, nbd, null_blk,
 * and loop devices unless @include_loop).
 */
int wiper_disk_from_view(const struct wiper_devview *v, bool include_loop, struct wiper_disk *d);

/* Free what wiper_disk_from_view allocated; NULL-safe. */
void wiper_disk_done(struct wiper_disk *d);

/* Format @bytes as "237 GiB" / "64.0 MiB" into @buf; returns @buf. */
const char *wiper_size_str(uint64_t bytes, char *buf, size_t len);

/* One-line summary of the content ("gpt: ntfs 'Windows' 237 GiB, vfat 'EFI' 100 MiB"). */
const char *wiper_content_str(const struct wiper_content *c, char *buf, size_t len);

#endif
