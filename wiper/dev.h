/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * struct wiper_dev: one storage device behind a small table of transport
 * functions. Backends: SG_IO (dev-sgio.c), NVMe via libnvme (dev-nvme.c),
 * plain file or loop device (dev-file.c), and the simulated drive used by the
 * tests (tests/lib/sim-drive.c).
 */
#ifndef WIPER_DEV_H
#define WIPER_DEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "wiper/ata-cmd.h"
#include "wiper/sense.h"

struct wiper_dev;

enum wiper_dir { WIPER_DIR_NONE, WIPER_DIR_IN, WIPER_DIR_OUT };

/* A SCSI command; the sense and status come back in the same struct. */
struct wiper_scsi_cmd {
	uint8_t cdb[32];
	uint8_t cdb_len;
	enum wiper_dir dir;
	void *buf;		/* borrowed */
	size_t len;
	unsigned timeout_ms;	/* 0: the transport's default (60 s) */
	/* out */
	uint8_t status;		/* SCSI status byte */
	uint8_t sense[64];
	uint8_t sense_len;
	size_t resid;
};

/* An NVMe admin command. */
struct wiper_nvme_cmd {
	uint8_t opcode;
	uint32_t nsid;
	uint32_t cdw10, cdw11, cdw12, cdw13, cdw14, cdw15;
	enum wiper_dir dir;
	void *buf;		/* borrowed */
	uint32_t len;
	unsigned timeout_ms;
	/* out */
	uint32_t result;	/* completion dword 0 */
};

/* The result of an ATA command: the registers and sense that came back. */
struct wiper_ata_result {
	struct ata_rtf rtf;
	struct scsi_sense sense;
};

/*
 * The transport table. Every function returns 0, -errno, or a positive device
 * status (wiper/status.h). A backend that lacks a capability sets the pointer
 * to NULL; the wrappers below then return -EOPNOTSUPP.
 */
struct wiper_dev_ops {
	const char *name;
	int (*ata)(struct wiper_dev *dev, const struct ata_cmd *cmd, void *buf,
		   struct wiper_ata_result *res);
	int (*nvme_admin)(struct wiper_dev *dev, struct wiper_nvme_cmd *cmd);
	int (*scsi)(struct wiper_dev *dev, struct wiper_scsi_cmd *cmd);
	/* Return bytes transferred or -errno. */
	ssize_t (*pread)(struct wiper_dev *dev, void *buf, size_t len, uint64_t off);
	ssize_t (*pwrite)(struct wiper_dev *dev, const void *buf, size_t len, uint64_t off);
	int (*flush)(struct wiper_dev *dev);
	/* The capacity in bytes the device reports now (not the geometry cached at open). */
	int (*capacity)(struct wiper_dev *dev, uint64_t *bytes);
	void (*close)(struct wiper_dev *dev);
};

/* Geometry and where the device sits. */
struct wiper_geom {
	uint64_t size_bytes;
	uint32_t logical_block;
	uint32_t physical_block;
};

enum wiper_open_flags {
	WIPER_OPEN_READ = 0,		/* identify only */
	WIPER_OPEN_WRITE = 1 << 0,	/* O_EXCL + flock(LOCK_EX), for erasing */
	WIPER_OPEN_DIRECT = 1 << 1,	/* O_DIRECT data path */
};

/*
 * Open @path (a block device, or a regular file for the file backend) with the
 * backend that fits it: SG_IO for SCSI/ATA disks, libnvme for NVMe namespaces,
 * the file backend for loop devices, virtio, MMC and regular files.
 * Returns 0 and sets *@out, or -errno; @err (may be NULL) receives a one-line
 * reason.
 */
int wiper_dev_open(const char *path, unsigned flags, struct wiper_dev **out, char *err,
		   size_t errlen);

/* Create a device from a backend's ops; used by backends and the simulator. */
struct wiper_dev *wiper_dev_new(const struct wiper_dev_ops *ops, void *priv, const char *path,
				const struct wiper_geom *geom);

void wiper_dev_close(struct wiper_dev *dev);

void *wiper_dev_priv(const struct wiper_dev *dev);
const char *wiper_dev_path(const struct wiper_dev *dev);
const char *wiper_dev_backend(const struct wiper_dev *dev);
const struct wiper_geom *wiper_dev_geom(const struct wiper_dev *dev);
void wiper_dev_set_geom(struct wiper_dev *dev, const struct wiper_geom *geom);

/* The last error detail set by a backend ("sgio_ata: SG_IO: host status 0x07"). */
const char *wiper_dev_error(const struct wiper_dev *dev);
void wiper_dev_set_error(struct wiper_dev *dev, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Transport calls; see struct wiper_dev_ops. */
int wiper_dev_ata(struct wiper_dev *dev, const struct ata_cmd *cmd, void *buf,
		  struct wiper_ata_result *res);
int wiper_dev_nvme_admin(struct wiper_dev *dev, struct wiper_nvme_cmd *cmd);
int wiper_dev_scsi(struct wiper_dev *dev, struct wiper_scsi_cmd *cmd);
ssize_t wiper_dev_pread(struct wiper_dev *dev, void *buf, size_t len, uint64_t off);
ssize_t wiper_dev_pwrite(struct wiper_dev *dev, const void *buf, size_t len, uint64_t off);
int wiper_dev_flush(struct wiper_dev *dev);
/*
 * The capacity the device reports now, asked afresh (a loop device re-sized
 * or a hidden area set since the open shows here). 0 with *@bytes set, or
 * -errno (-EOPNOTSUPP for a backend that cannot tell).
 */
int wiper_dev_capacity(struct wiper_dev *dev, uint64_t *bytes);
/*
 * Has the block device gone away (unplugged, dead, medium ejected) since it
 * was opened? False for files, simulated drives and devices still there.
 */
bool wiper_dev_gone(const struct wiper_dev *dev);
/*
 * wiper_dev_gone(), or gone within @ms (looked at every 100 ms): a drive
 * pulled mid-command fails it with EIO and leaves sysfs a moment later.
 * False at once for files and simulated drives.
 */
bool wiper_dev_leaving(const struct wiper_dev *dev, unsigned ms);

bool wiper_dev_has_ata(const struct wiper_dev *dev);
bool wiper_dev_has_nvme(const struct wiper_dev *dev);
bool wiper_dev_has_scsi(const struct wiper_dev *dev);

#endif
