/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The simulated drive's NVMe admin command set: Identify, SMART and Sanitize
 * Status logs, Sanitize (crypto, block, overwrite, exit failure mode; AUSE)
 * and Format NVM with SES. Values follow sanitize-reference.md §2.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "tests/lib/sim-drive.h"
#include "wiper/status.h"

#define SC_INVALID_OPCODE 0x0001
#define SC_INVALID_FIELD 0x0002
#define SC_INVALID_NS 0x000b
#define SC_SANITIZE_FAILED 0x001c
#define SC_SANITIZE_IN_PROGRESS 0x001d

/* Little-endian stores. */
static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static uint32_t ctrl32(const struct sim_drive *sim, size_t off)
{
	const uint8_t *p = sim->nvme_ctrl + off;

	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Advance a running NVMe sanitize by one step per log read (SANACT 2/3/4). */
static void tick(struct sim_drive *sim)
{
	sim_sanitize_tick(sim, sim->san.op == 4 ? SIM_ERASE_RANDOM :
			       sim->san.op == 2 ? SIM_ERASE_ZERO : SIM_ERASE_PATTERN);
}

/* The Sanitize Status log page (81h). */
static void sanitize_log(struct sim_drive *sim, uint8_t *b)
{
	uint16_t sstat = 0;

	memset(b, 0, 512);
	tick(sim);
	switch (sim->san.state) {
	case SIM_SAN_IDLE: sstat = sim->san.started ? 1 : 0; break;
	case SIM_SAN_RUNNING: sstat = 2; break;
	case SIM_SAN_FAILED: sstat = 3; break;
	case SIM_SAN_DONE: sstat = 1 | 0x100; break;
	}
	put16(b, sim->san.state == SIM_SAN_RUNNING ? (uint16_t)(sim->san.progress & 0xffff) : 0xffff);
	put16(b + 2, sstat);
	put32(b + 4, sim->san.op);
	put32(b + 8, 0xffffffff);
	put32(b + 12, 60);
	put32(b + 16, 5);
}

/* Sanitize (84h). */
static int sanitize(struct sim_drive *sim, const struct wiper_nvme_cmd *c)
{
	uint32_t sanicap = ctrl32(sim, 328);
	unsigned act = c->cdw10 & 0x7;

	if (sanicap == 0)
		return WIPER_ST_NVME(SC_INVALID_OPCODE); /* as QEMU 7.2 answers */
	if (sim->san.state == SIM_SAN_RUNNING)
		return WIPER_ST_NVME(SC_SANITIZE_IN_PROGRESS);
	if (act == 1) {
		if (sim->san.state != SIM_SAN_FAILED || !sim->san.failure_mode)
			return WIPER_ST_NVME(SC_INVALID_FIELD);
		sim->san.state = SIM_SAN_IDLE;
		return 0;
	}
	if ((act == 2 && !(sanicap & 2)) || (act == 3 && !(sanicap & 4)) ||
	    (act == 4 && !(sanicap & 1)) || act == 0 || act > 4)
		return WIPER_ST_NVME(SC_INVALID_FIELD);
	sim->san.op = act;
	sim->san.failure_mode = c->cdw10 & 0x8;
	sim->san.pattern = c->cdw11;
	sim->san.passes = ((c->cdw10 >> 4) & 0xf) ? ((c->cdw10 >> 4) & 0xf) : 16;
	sim->san.state = SIM_SAN_RUNNING;
	sim->san.progress = 0;
	sim->san.started++;
	return 0;
}

/* Format NVM (80h): unlike QEMU, refuses a crypto erase FNA does not offer. */
static int format(struct sim_drive *sim, const struct wiper_nvme_cmd *c)
{
	unsigned ses = (c->cdw10 >> 9) & 0x7;

	if (!(sim->nvme_ctrl[256] & 0x02))
		return WIPER_ST_NVME(SC_INVALID_OPCODE);
	if (sim->san.state == SIM_SAN_RUNNING)
		return WIPER_ST_NVME(SC_SANITIZE_IN_PROGRESS);
	if (ses > 2 || (ses == 2 && !(sim->nvme_ctrl[524] & 0x04)))
		return WIPER_ST_NVME(SC_INVALID_FIELD);
	if (c->nsid != 1 && c->nsid != 0xffffffff)
		return WIPER_ST_NVME(SC_INVALID_NS);
	sim->formats++;
	if (!sim->format_lie)
		sim_apply_erase(sim, ses == 2 ? SIM_ERASE_RANDOM : SIM_ERASE_ZERO, 0);
	return 0;
}

int sim_nvme_exec(struct sim_drive *sim, struct wiper_nvme_cmd *c)
{
	int rc = 0;

	if (sim->vanished)
		return -ENODEV;
	switch (c->opcode) {
	case 0x06: /* Identify */
		if (c->len < 4096)
			rc = WIPER_ST_NVME(SC_INVALID_FIELD);
		else if ((c->cdw10 & 0xff) == 0x01)
			memcpy(c->buf, sim->nvme_ctrl, 4096);
		else if ((c->cdw10 & 0xff) == 0x00 && c->nsid == 1)
			memcpy(c->buf, sim->nvme_ns, 4096);
		else
			rc = WIPER_ST_NVME(SC_INVALID_NS);
		break;
	case 0x02: /* Get Log Page */
		if (c->len < 512) {
			rc = WIPER_ST_NVME(SC_INVALID_FIELD);
		} else if ((c->cdw10 & 0xff) == 0x02) {
			memset(c->buf, 0, 512);
			put32((uint8_t *)c->buf + 128, 1234); /* power-on hours */
		} else if ((c->cdw10 & 0xff) == 0x81 && ctrl32(sim, 328) != 0) {
			sanitize_log(sim, c->buf);
		} else {
			rc = WIPER_ST_NVME(SC_INVALID_FIELD);
		}
		break;
	case 0x84:
		rc = sanitize(sim, c);
		break;
	case 0x80:
		rc = format(sim, c);
		break;
	default:
		rc = WIPER_ST_NVME(SC_INVALID_OPCODE);
	}
	/* A failed restricted sanitize blocks media commands, as SC 1Ch says. */
	sim_log(sim, "nvme", c->opcode, (uint16_t)c->cdw10, rc);
	return rc;
}
