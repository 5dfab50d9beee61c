/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The station program with a simulated drive attached: the real main, the
 * real screens and logic, plus one medium "sim0" whose device is the
 * simulated drive (tests/lib/sim-drive.c) instead of a kernel node. For tmux
 * tests of what no loop device can model (a host protected area).
 *
 *   TABULA_SIM=hpa        an ATA disk of 8192 sectors (512 B, 4096 B
 *                         physical) with an HPA hiding the top 512; every
 *                         byte holds old data (0xA5 and the LBA)
 *   TABULA_SIM=slow       an ATA disk of 64 MiB (131072 sectors of 512 B) whose
 *                         every write takes TABULA_SIM_DELAY_MS (default 200):
 *                         a multi-pass method runs for a minute, long enough
 *                         to watch the whole job's progress and stop it
 *   TABULA_SIM_DUMP=FILE  at exit, the drive's whole capacity is written here
 *
 * main.c is compiled into this program with main renamed tabula_main.
 */
#include "config.h"

#undef main

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/lib/sim-drive.h"
#include "ui-ncurses/ui.h"

int tabula_main(int argc, char **argv);

static struct sim_drive *sim;

/* The simulated drive for "sim0"; every other medium opens its node. */
static struct wiper_dev *open_sim(struct ui_app *app, const struct wiper_medium *m)
{
	(void)app;
	return strcmp(m->disk.name, "sim0") == 0 ? sim_drive_open(sim) : NULL;
}

/* The medium as a scan would find it, identified through the drive. */
static size_t sim_media(struct ui_app *app, struct ui_medium *out, size_t max)
{
	struct wiper_medium *m = &out->med;
	struct wiper_dev *dev;

	(void)app;
	if (max < 1)
		return 0;
	memset(out, 0, sizeof(*out));
	snprintf(m->disk.name, sizeof(m->disk.name), "sim0");
	snprintf(m->disk.node, sizeof(m->disk.node), "sim0");
	m->disk.transport = WIPER_TRAN_SATA;
	m->disk.sectors = sim->sectors;
	m->disk.size_bytes = sim->sectors * sim->lbs;
	m->disk.logical_block = sim->lbs;
	m->disk.physical_block = sim->pbs;
	dev = sim_drive_open(sim);
	if (wiper_identify(dev, &m->disk, &m->id) == 0)
		m->identified = true;
	wiper_dev_close(dev);
	wiper_caps_compute(&m->disk, &m->id, &m->caps);
	wiper_caps_summary(&m->caps, &m->disk, out->summary, sizeof(out->summary));
	if (sim->native_sectors > sim->sectors)
		snprintf(out->content, sizeof(out->content), "simulated ATA disk, HPA hides %llu sectors",
			 (unsigned long long)(sim->native_sectors - sim->sectors));
	else
		snprintf(out->content, sizeof(out->content), "simulated slow ATA disk");
	return 1;
}

static void setup(struct ui_app *app)
{
	app->sim_dev_open = open_sim;
	app->sim_media = sim_media;
}

/* Write the whole capacity to $TABULA_SIM_DUMP. */
static void dump(void)
{
	const char *path = getenv("TABULA_SIM_DUMP");
	FILE *f;

	if (path == NULL || sim == NULL)
		return;
	f = fopen(path, "wb");
	if (f == NULL || fwrite(sim->data, sim->lbs, sim->capacity, f) != sim->capacity)
		fprintf(stderr, "tabula-sim: cannot write %s\n", path);
	if (f)
		fclose(f);
}

int main(int argc, char **argv)
{
	const char *kind = getenv("TABULA_SIM");
	bool slow;
	uint64_t i;

	if (kind == NULL || (strcmp(kind, "hpa") != 0 && strcmp(kind, "slow") != 0)) {
		fprintf(stderr, "tabula-sim: set TABULA_SIM=hpa or TABULA_SIM=slow\n");
		return 2;
	}
	slow = strcmp(kind, "slow") == 0;
	sim = sim_drive_new(SIM_SATA, slow ? 131072 : 8192, 512, 4096);
	if (sim == NULL)
		return 1;
	sim_drive_set_identity(sim, slow ? "SIM SLOW DISK" : "SIM HPA DISK",
			       slow ? "SIM-SLOW-0001" : "SIM-HPA-0001", "1.0");
	sim_drive_sync_identify(sim);
	for (i = 0; i < sim->capacity * sim->lbs; i++)
		sim->data[i] = i % 512 < 8 ? (uint8_t)(i / 512 >> (8 * (i % 8))) : 0xa5;
	if (slow) {
		const char *ms = getenv("TABULA_SIM_DELAY_MS");

		sim->write_delay_us = (unsigned)(ms ? strtoul(ms, NULL, 10) : 200) * 1000;
	} else {
		sim_drive_set_hpa(sim, 8192 - 512);
	}
	atexit(dump);
	ui_test_setup = setup;
	return tabula_main(argc, argv);
}
