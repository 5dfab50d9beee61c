/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "tests/lib/sim-drive.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wiper/status.h"

/* Put @s into IDENTIFY words, byte-swapped and space-padded as ATA does. */
static void ata_put_string(uint8_t *id, unsigned word, unsigned nwords, const char *s)
{
	size_t n = strlen(s), i;

	for (i = 0; i < nwords * 2u; i++) {
		char c = i < n ? s[i] : ' ';
		/* Character 2k sits in the high byte of word k. */
		id[word * 2 + (i ^ 1)] = (uint8_t)c;
	}
}

/* Space-padded ASCII field for NVMe. */
static void nvme_put_string(uint8_t *p, size_t len, const char *s)
{
	size_t n = strlen(s), i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(i < n ? s[i] : ' ');
}

/* Recompute the IDENTIFY integrity word (A5h signature + checksum). */
static void ata_fix_checksum(uint8_t *id)
{
	uint8_t sum = 0;
	int i;

	id[510] = 0xa5;
	for (i = 0; i < 511; i++)
		sum = (uint8_t)(sum + id[i]);
	id[511] = (uint8_t)(0x100 - sum);
}

void sim_drive_ata_word(struct sim_drive *sim, unsigned word, uint16_t val)
{
	sim->ata_id[word * 2] = (uint8_t)val;
	sim->ata_id[word * 2 + 1] = (uint8_t)(val >> 8);
	ata_fix_checksum(sim->ata_id);
}

void sim_drive_ata_bits(struct sim_drive *sim, unsigned word, uint16_t set, uint16_t clear)
{
	uint16_t v = (uint16_t)(sim->ata_id[word * 2] | sim->ata_id[word * 2 + 1] << 8);

	sim_drive_ata_word(sim, word, (uint16_t)((v & ~clear) | set));
}

void sim_drive_nvme_ctrl_u32(struct sim_drive *sim, size_t off, uint32_t val)
{
	sim->nvme_ctrl[off] = (uint8_t)val;
	sim->nvme_ctrl[off + 1] = (uint8_t)(val >> 8);
	sim->nvme_ctrl[off + 2] = (uint8_t)(val >> 16);
	sim->nvme_ctrl[off + 3] = (uint8_t)(val >> 24);
}

void sim_drive_nvme_ctrl_u8(struct sim_drive *sim, size_t off, uint8_t val)
{
	sim->nvme_ctrl[off] = val;
}

/* Little-endian 64-bit store. */
static void put_le64(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

void sim_drive_set_identity(struct sim_drive *sim, const char *model, const char *serial,
			    const char *firmware)
{
	uint8_t *id = sim->ata_id;
	unsigned log2_per_phys = 0;

	memset(id, 0, sizeof(sim->ata_id));
	ata_put_string(id, 10, 10, serial);
	ata_put_string(id, 23, 4, firmware);
	ata_put_string(id, 27, 20, model);
	/* 28-bit capacity saturates; the 48-bit one is authoritative. */
	sim->ata_id[60 * 2] = 0xff;
	sim->ata_id[60 * 2 + 1] = 0xff;
	sim->ata_id[61 * 2] = 0xff;
	sim->ata_id[61 * 2 + 1] = 0x0f;
	sim->ata_id[80 * 2 + 1] = 0x07;		/* ACS-2/3 era major version bits */
	sim->ata_id[80 * 2] = 0xf0;
	sim->ata_id[82 * 2] = 0x01 | 0x20;	/* SMART, write cache */
	sim->ata_id[83 * 2 + 1] = 0x40 | 0x24;	/* valid (01b), 48-bit, flush ext */
	sim->ata_id[84 * 2 + 1] = 0x40;
	sim->ata_id[85 * 2] = 0x01 | 0x20;
	sim->ata_id[86 * 2 + 1] = 0x04 | 0x20;	/* 48-bit enabled, flush ext enabled */
	sim->ata_id[87 * 2 + 1] = 0x40;
	put_le64(id + 100 * 2, sim->sectors);
	while ((sim->lbs << log2_per_phys) < sim->pbs)
		log2_per_phys++;
	id[106 * 2 + 1] = 0x40 | (log2_per_phys ? 0x20 : 0) | (sim->lbs > 512 ? 0x10 : 0);
	id[106 * 2] = (uint8_t)log2_per_phys;
	if (sim->lbs > 512) {
		uint32_t words = sim->lbs / 2;

		id[117 * 2] = (uint8_t)words;
		id[117 * 2 + 1] = (uint8_t)(words >> 8);
		id[118 * 2] = (uint8_t)(words >> 16);
		id[118 * 2 + 1] = (uint8_t)(words >> 24);
	}
	id[217 * 2] = 0x01; /* non-rotating */
	ata_fix_checksum(id);

	memset(sim->nvme_ctrl, 0, sizeof(sim->nvme_ctrl));
	sim->nvme_ctrl[0] = 0x36;
	sim->nvme_ctrl[1] = 0x1b;
	nvme_put_string(sim->nvme_ctrl + 4, 20, serial);
	nvme_put_string(sim->nvme_ctrl + 24, 40, model);
	nvme_put_string(sim->nvme_ctrl + 64, 8, firmware);
	sim_drive_nvme_ctrl_u32(sim, 80, 0x00010400); /* NVMe 1.4 */
	sim->nvme_ctrl[256] = 0x02;		      /* OACS: Format NVM */
	sim_drive_nvme_ctrl_u32(sim, 516, 1);	      /* one namespace */

	memset(sim->nvme_ns, 0, sizeof(sim->nvme_ns));
	put_le64(sim->nvme_ns, sim->sectors);
	put_le64(sim->nvme_ns + 8, sim->sectors);
	put_le64(sim->nvme_ns + 16, sim->sectors);
	sim->nvme_ns[25] = 0;	/* one LBA format */
	sim->nvme_ns[26] = 0;	/* format 0 in use */
	sim->nvme_ns[128 + 2] = (uint8_t)(sim->lbs == 4096 ? 12 : 9);

	snprintf(sim->inq_vendor, sizeof(sim->inq_vendor), "%s",
		 sim->kind == SIM_SATA ? "ATA" : "SIMUSB");
	snprintf(sim->inq_product, sizeof(sim->inq_product), "%.16s", model);
	snprintf(sim->vpd_serial, sizeof(sim->vpd_serial), "%s", serial);
}

struct sim_drive *sim_drive_new(enum sim_kind kind, uint64_t sectors, uint32_t lbs, uint32_t pbs)
{
	struct sim_drive *sim = calloc(1, sizeof(*sim));

	if (sim == NULL)
		return NULL;
	sim->kind = kind;
	sim->sectors = sectors;
	sim->native_sectors = sectors;
	sim->capacity = sectors;
	sim->lbs = lbs;
	sim->pbs = pbs;
	sim->vanish_after_io = -1;
	sim->san.step = 16384;	/* four status polls to finish */
	sim->data = calloc(sectors, lbs);
	if (sim->data == NULL) {
		free(sim);
		return NULL;
	}
	sim_drive_set_identity(sim, "SIM DRIVE", "SIM-0001", "1.0");
	return sim;
}

void sim_drive_free(struct sim_drive *sim)
{
	if (sim == NULL)
		return;
	free(sim->data);
	free(sim);
}

void sim_apply_erase(struct sim_drive *sim, int how, uint32_t pattern)
{
	/* Sanitize reaches every block the drive has, hidden or not. */
	uint64_t n = sim->capacity * sim->lbs, i;
	uint64_t x = 0x9e3779b97f4a7c15ULL * (sim->san.started + sim->formats + 1);

	switch (how) {
	case SIM_ERASE_ZERO:
		memset(sim->data, 0, n);
		break;
	case SIM_ERASE_PATTERN:
		for (i = 0; i < n; i++)
			sim->data[i] = (uint8_t)(pattern >> (8 * (i % 4)));
		break;
	default:
		/* A new media key: what was there reads back as noise. */
		for (i = 0; i < n; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			sim->data[i] = (uint8_t)x;
		}
	}
}

void sim_sanitize_tick(struct sim_drive *sim, int how)
{
	if (sim->san.state != SIM_SAN_RUNNING || sim->san.stall)
		return;
	sim->san.progress += sim->san.step;
	if (sim->san.progress < 65536)
		return;
	sim->san.progress = 65536;
	if (sim->san.fail) {
		sim->san.state = SIM_SAN_FAILED;
		return;
	}
	sim->san.state = SIM_SAN_DONE;
	if (!sim->san.lie)
		sim_apply_erase(sim, how, sim->san.pattern);
}

void sim_drive_set_dco(struct sim_drive *sim, uint64_t native)
{
	if (native == 0 || native > sim->capacity)
		return;
	sim->dco_supported = true;
	sim->native_sectors = native;
	if (sim->sectors > native)
		sim->sectors = native;
	put_le64(sim->ata_id + 100 * 2, sim->sectors);
	sim_drive_ata_bits(sim, 83, 0x0800, 0); /* DCO supported */
}

void sim_drive_set_hpa(struct sim_drive *sim, uint64_t visible)
{
	if (visible == 0 || visible > sim->native_sectors)
		return;
	sim->sectors = visible;
	put_le64(sim->ata_id + 100 * 2, visible);
	sim_drive_ata_bits(sim, 82, 0x0400, 0);	/* HPA supported */
	sim_drive_ata_bits(sim, 85, 0x0400, 0);	/* HPA enabled */
}

void sim_drive_sync_identify(struct sim_drive *sim)
{
	uint16_t w128 = 0;

	if (sim->sec.supported) {
		w128 = 0x0001;
		if (sim->sec.enabled)
			w128 |= 0x0002;
		if (sim->sec.locked)
			w128 |= 0x0004;
		if (sim->sec.frozen)
			w128 |= 0x0008;
		if (sim->sec.expired)
			w128 |= 0x0010;
		if (sim->sec.enhanced)
			w128 |= 0x0020;
		if (sim->sec.master_maximum)
			w128 |= 0x0100;
		sim_drive_ata_bits(sim, 82, 0x0002, 0);
	}
	sim_drive_ata_word(sim, 128, w128);
	sim_drive_ata_bits(sim, 85, sim->sec.enabled ? 0x0002 : 0, sim->sec.enabled ? 0 : 0x0002);
	{
		uint16_t w59 = 0;

		if (sim->san.ata_crypto || sim->san.ata_block || sim->san.ata_overwrite)
			w59 |= 0x1000 | 0x0800;
		if (sim->san.ata_crypto)
			w59 |= 0x2000;
		if (sim->san.ata_block)
			w59 |= 0x8000;
		if (sim->san.ata_overwrite)
			w59 |= 0x4000;
		if (sim->san.ata_antifreeze_supported)
			w59 |= 0x0400;
		sim_drive_ata_word(sim, 59, w59);
	}
}

void sim_drive_power_cycle(struct sim_drive *sim)
{
	sim->sec.frozen = false;
	sim->sec.prepared = false;
	sim->sec.attempts = 0;
	sim->sec.expired = false;
	sim->sec.locked = sim->sec.enabled;
	sim->san.frozen = false;
	sim->san.antifreeze = false;
	sim->vanished = false;
	sim_drive_sync_identify(sim);
}

void sim_drive_add_bad_lba(struct sim_drive *sim, uint64_t lba)
{
	if (sim->nbad < sizeof(sim->bad_lbas) / sizeof(sim->bad_lbas[0]))
		sim->bad_lbas[sim->nbad++] = lba;
}

/* Remember a command. */
void sim_log(struct sim_drive *sim, const char *what, uint8_t op, uint16_t feature, int rc)
{
	struct sim_log_entry *e;

	if (sim->nlog >= SIM_LOG_MAX)
		return;
	e = &sim->log[sim->nlog++];
	snprintf(e->what, sizeof(e->what), "%s", what);
	e->op = op;
	e->feature = feature;
	e->rc = rc;
}

size_t sim_drive_count(const struct sim_drive *sim, const char *what, uint8_t op)
{
	size_t i, n = 0;

	for (i = 0; i < sim->nlog; i++)
		if (strcmp(sim->log[i].what, what) == 0 && sim->log[i].op == op)
			n++;
	return n;
}

/* The modelled drive's ATA command set (sim-ata.c). */
static int sim_ata(struct wiper_dev *dev, const struct ata_cmd *cmd, void *buf,
		   struct wiper_ata_result *res)
{
	return sim_ata_exec(wiper_dev_priv(dev), cmd, buf, res);
}

/* The modelled controller's admin command set (sim-nvme.c). */
static int sim_nvme(struct wiper_dev *dev, struct wiper_nvme_cmd *cmd)
{
	return sim_nvme_exec(wiper_dev_priv(dev), cmd);
}

/* Copy @src into a SCSI data-in buffer, noting the residue. */
static void data_in(struct wiper_scsi_cmd *cmd, const uint8_t *src, size_t n)
{
	size_t m = n < cmd->len ? n : cmd->len;

	memcpy(cmd->buf, src, m);
	cmd->resid = cmd->len - m;
}

/* SANITIZE (48h) on the modelled SCSI disk: starts the operation (IMMED). */
static int sim_scsi_sanitize(struct sim_drive *sim, const struct wiper_scsi_cmd *cmd)
{
	unsigned sa = cmd->cdb[1] & 0x1f;

	if (sim->san.state == SIM_SAN_RUNNING)
		return WIPER_ST_SCSI(0x2, 0x04, 0x1b);
	if (sa == 0x1f) {
		if (sim->san.state != SIM_SAN_FAILED || !sim->san.failure_mode)
			return WIPER_ST_SCSI(0x5, 0x24, 0x00);
		sim->san.state = SIM_SAN_IDLE;
		return 0;
	}
	if ((sa == 1 && !sim->scsi_overwrite) || (sa == 2 && !sim->scsi_block) ||
	    (sa == 3 && !sim->scsi_crypto) || sa == 0 || sa > 3)
		return WIPER_ST_SCSI(0x5, 0x24, 0x00);
	if (sa == 1) {
		const uint8_t *pl = cmd->buf;

		if (cmd->len < 8 || pl == NULL || pl[3] != 4)
			return WIPER_ST_SCSI(0x5, 0x26, 0x00);
		sim->san.pattern = (uint32_t)pl[4] | (uint32_t)pl[5] << 8 | (uint32_t)pl[6] << 16 |
				   (uint32_t)pl[7] << 24;
	}
	sim->san.op = 100 + sa;
	sim->san.failure_mode = cmd->cdb[1] & 0x20;
	sim->san.state = SIM_SAN_RUNNING;
	sim->san.progress = 0;
	sim->san.started++;
	return 0;
}

/* REQUEST SENSE: progress while sanitizing, failure, or nothing to report. */
static void sim_scsi_request_sense(struct sim_drive *sim, uint8_t *page)
{
	page[0] = 0x70;
	page[7] = 10;
	sim_sanitize_tick(sim, sim->san.op == 103 ? SIM_ERASE_RANDOM :
			       sim->san.op == 102 ? SIM_ERASE_ZERO : SIM_ERASE_PATTERN);
	if (sim->san.state == SIM_SAN_RUNNING) {
		page[2] = 0x02;
		page[12] = 0x04;
		page[13] = 0x1b;
		page[15] = 0x80;
		page[16] = (uint8_t)(sim->san.progress >> 8);
		page[17] = (uint8_t)sim->san.progress;
	} else if (sim->san.state == SIM_SAN_FAILED) {
		page[2] = 0x03;
		page[12] = 0x31;
		page[13] = 0x03;
	}
}

/* The modelled SCSI target: INQUIRY and the VPD pages the station reads. */
static int sim_scsi(struct wiper_dev *dev, struct wiper_scsi_cmd *cmd)
{
	struct sim_drive *sim = wiper_dev_priv(dev);
	uint8_t page[96];
	int rc = 0;

	if (sim->vanished)
		return -ENODEV;
	memset(page, 0, sizeof(page));
	if (cmd->cdb[0] == 0x12 && !(cmd->cdb[1] & 1)) {
		page[0] = 0x00;
		page[1] = sim->kind == SIM_SATA ? 0x00 : 0x80;
		page[2] = 0x06;
		page[3] = 0x02;
		page[4] = 91;
		memset(page + 8, ' ', 28);
		memcpy(page + 8, sim->inq_vendor, strlen(sim->inq_vendor));
		memcpy(page + 16, sim->inq_product, strlen(sim->inq_product));
		memcpy(page + 32, "1.0 ", 4);
		data_in(cmd, page, 96);
	} else if (cmd->cdb[0] == 0x12 && cmd->cdb[2] == 0x80) {
		size_t n = strlen(sim->vpd_serial);

		page[1] = 0x80;
		page[3] = (uint8_t)n;
		memcpy(page + 4, sim->vpd_serial, n);
		data_in(cmd, page, 4 + n);
	} else if (cmd->cdb[0] == 0x12 && cmd->cdb[2] == 0x83) {
		/* One NAA designator 5000c500 12345678. */
		static const uint8_t naa[] = { 0x50, 0x00, 0xc5, 0x00, 0x12, 0x34, 0x56, 0x78 };

		page[1] = 0x83;
		page[3] = 12;
		page[4] = 0x01;
		page[5] = 0x03;
		page[7] = 8;
		memcpy(page + 8, naa, 8);
		data_in(cmd, page, 16);
	} else if (sim->kind == SIM_SAS && cmd->cdb[0] == 0xa3 && cmd->cdb[1] == 0x0c) {
		unsigned sa = (unsigned)(cmd->cdb[4] << 8 | cmd->cdb[5]);
		bool sup = cmd->cdb[3] == 0x48 &&
			   ((sa == 1 && sim->scsi_overwrite) || (sa == 2 && sim->scsi_block) ||
			    (sa == 3 && sim->scsi_crypto));

		page[1] = sup ? 0x03 : 0x01;
		page[3] = 10;
		data_in(cmd, page, 4);
	} else if (sim->kind == SIM_SAS && cmd->cdb[0] == 0x48) {
		rc = sim_scsi_sanitize(sim, cmd);
	} else if (sim->kind == SIM_SAS && cmd->cdb[0] == 0x03) {
		sim_scsi_request_sense(sim, page);
		data_in(cmd, page, 18);
	} else {
		rc = WIPER_ST_SCSI(0x5, 0x20, 0x00);
	}
	sim_log(sim, "scsi", cmd->cdb[0], cmd->cdb[2], rc);
	cmd->status = rc ? 0x02 : 0x00;
	return rc;
}

/* Is any LBA of [lba, lba+n) bad? Returns the first bad one or UINT64_MAX. */
static uint64_t first_bad(const struct sim_drive *sim, uint64_t lba, uint64_t n)
{
	uint64_t best = UINT64_MAX;
	size_t i;

	for (i = 0; i < sim->nbad; i++)
		if (sim->bad_lbas[i] >= lba && sim->bad_lbas[i] < lba + n && sim->bad_lbas[i] < best)
			best = sim->bad_lbas[i];
	if (sim->dead && lba + n > sim->dead_lba) {
		uint64_t d = lba > sim->dead_lba ? lba : sim->dead_lba;

		if (d < best)
			best = d;
	}
	return best;
}

/* Common checks for a data transfer; returns 0 or -errno. */
static int io_check(struct sim_drive *sim, size_t len, uint64_t off)
{
	if (sim->vanished)
		return -ENODEV;
	if (sim->vanish_after_io >= 0 && sim->io_count >= sim->vanish_after_io) {
		sim->vanished = true;
		return -ENODEV;
	}
	sim->io_count++;
	/* A drive whose capacity grows mid-job (a hidden area that reappears, a re-sized LUN). */
	if (sim->grow_to_sectors && sim->io_count == sim->grow_after_io &&
	    sim->grow_to_sectors <= sim->capacity)
		sim->sectors = sim->grow_to_sectors;
	/* Media access aborts while a sanitize runs or after it failed. */
	if (sim->san.state == SIM_SAN_RUNNING || sim->san.state == SIM_SAN_FAILED)
		return -EIO;
	if (sim->sec.locked)
		return -EIO;
	if (off % sim->lbs || len % sim->lbs)
		return -EINVAL;
	if (off + len > sim->sectors * sim->lbs)
		return -ENOSPC;
	return 0;
}

/* Read user data; a bad LBA fails the whole request with EIO, as the kernel does. */
static ssize_t sim_pread(struct wiper_dev *dev, void *buf, size_t len, uint64_t off)
{
	struct sim_drive *sim = wiper_dev_priv(dev);
	int rc = io_check(sim, len, off);

	if (rc < 0)
		return rc;
	if (first_bad(sim, off / sim->lbs, len / sim->lbs) != UINT64_MAX)
		return -EIO;
	memcpy(buf, sim->data + off, len);
	return (ssize_t)len;
}

/* Write user data; bad LBAs refuse the write. */
static ssize_t sim_pwrite(struct wiper_dev *dev, const void *buf, size_t len, uint64_t off)
{
	struct sim_drive *sim = wiper_dev_priv(dev);
	int rc = io_check(sim, len, off);

	if (rc < 0)
		return rc;
	if (sim->write_delay_us)
		usleep(sim->write_delay_us);
	if (first_bad(sim, off / sim->lbs, len / sim->lbs) != UINT64_MAX)
		return -EIO;
	{
		uint64_t lba = off / sim->lbs, n = len / sim->lbs, i;

		/* A lying drive: acknowledge, but keep the old data in the drop range. */
		for (i = 0; i < n; i++)
			if (lba + i < sim->drop_lba || lba + i >= sim->drop_lba + sim->drop_count)
				memcpy(sim->data + (lba + i) * sim->lbs,
				       (const uint8_t *)buf + i * sim->lbs, sim->lbs);
	}
	return (ssize_t)len;
}

/* Flushing always succeeds while the device is present. */
static int sim_flush(struct wiper_dev *dev)
{
	struct sim_drive *sim = wiper_dev_priv(dev);

	return sim->vanished ? -ENODEV : 0;
}

/* The user-addressable capacity now. */
static int sim_capacity(struct wiper_dev *dev, uint64_t *bytes)
{
	struct sim_drive *sim = wiper_dev_priv(dev);

	if (sim->vanished)
		return -ENODEV;
	*bytes = sim->sectors * sim->lbs;
	return 0;
}

/* The drive outlives its handles. */
static void sim_close(struct wiper_dev *dev)
{
	(void)dev;
}

static const struct wiper_dev_ops sim_ops_sata = {
	.name = "sim", .ata = sim_ata, .scsi = sim_scsi, .pread = sim_pread,
	.pwrite = sim_pwrite, .flush = sim_flush, .capacity = sim_capacity, .close = sim_close,
};
static const struct wiper_dev_ops sim_ops_nvme = {
	.name = "sim", .nvme_admin = sim_nvme, .pread = sim_pread,
	.pwrite = sim_pwrite, .flush = sim_flush, .capacity = sim_capacity, .close = sim_close,
};
static const struct wiper_dev_ops sim_ops_plain = {
	.name = "sim", .pread = sim_pread, .pwrite = sim_pwrite, .flush = sim_flush,
	.capacity = sim_capacity, .close = sim_close,
};

struct wiper_dev *sim_drive_open(struct sim_drive *sim)
{
	const struct wiper_dev_ops *ops;
	struct wiper_geom g = {
		.size_bytes = sim->sectors * sim->lbs,
		.logical_block = sim->lbs,
		.physical_block = sim->pbs,
	};

	switch (sim->kind) {
	case SIM_NVME: ops = &sim_ops_nvme; break;
	case SIM_PLAIN: ops = &sim_ops_plain; break;
	default: ops = &sim_ops_sata; break;
	}
	return wiper_dev_new(ops, sim, "sim", &g);
}
