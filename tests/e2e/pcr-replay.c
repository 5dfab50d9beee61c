/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * pcr-replay: the insider's tool in tests/e2e/e2e-tpm.sh, boot 4. Run as
 * the kernel's rdinit from an initramfs appended to the genuine one, after a
 * boot loader that measured nothing: it extends into the TPM (raw
 * TPM2_PCR_Extend on /dev/tpm0) every digest of /replay.list, lines
 * "PCR HEX" that a sniffer on the TPM's bus saw a genuine boot extend
 * (tests/e2e/tpm-sniff.py --replay), so those PCRs end with the genuine
 * boot's values. It then reads PCRs 0, 2, 4, 7, 8 and 9 back and prints, for each,
 * on /dev/ttyS1 and the console
 *
 *   TABULA-REPLAY pcr=N tpm=HEX
 *
 * (and "TABULA-REPLAY replayed=K failed=F" before them), and runs the
 * genuine /init. Built static (cc -static) by the test; never on the image.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#define ALG_SHA256 0x000b

static void hex(const uint8_t *p, size_t n, char *o)
{
	for (size_t i = 0; i < n; i++)
		sprintf(o + 2 * i, "%02x", p[i]);
}

static void put16(uint8_t **p, uint16_t v) { (*p)[0] = v >> 8, (*p)[1] = v, *p += 2; }
static void put32(uint8_t **p, uint32_t v) { put16(p, v >> 16), put16(p, v); }

/* One TPM command on @fd: @cmd (its size filled in), the response into @rsp; the response code. */
static long tpm_cmd(int fd, uint8_t *cmd, size_t len, uint8_t *rsp, size_t rsplen, size_t *got)
{
	ssize_t r;
	uint8_t *p = cmd + 2;

	put32(&p, (uint32_t)len);
	if (write(fd, cmd, len) != (ssize_t)len)
		return -1;
	r = read(fd, rsp, rsplen);
	if (r < 10)
		return -1;
	*got = (size_t)r;
	return (long)((uint32_t)rsp[6] << 24 | rsp[7] << 16 | rsp[8] << 8 | rsp[9]);
}

static long pcr_extend(int fd, int pcr, const uint8_t d[32])
{
	uint8_t cmd[128], rsp[64], *p = cmd;
	size_t got;

	put16(&p, 0x8002); /* TPM_ST_SESSIONS */
	put32(&p, 0);
	put32(&p, 0x182); /* TPM_CC_PCR_Extend */
	put32(&p, (uint32_t)pcr);
	put32(&p, 9);		/* the password session, empty */
	put32(&p, 0x40000009);	/* TPM_RS_PW */
	put16(&p, 0);
	*p++ = 0;
	put16(&p, 0);
	put32(&p, 1); /* TPML_DIGEST_VALUES: the SHA-256 bank */
	put16(&p, ALG_SHA256);
	memcpy(p, d, 32);
	p += 32;
	return tpm_cmd(fd, cmd, (size_t)(p - cmd), rsp, sizeof(rsp), &got);
}

static long pcr_read(int fd, int pcr, uint8_t v[32])
{
	uint8_t cmd[64], rsp[256], *p = cmd;
	size_t got, off;
	long rc;

	put16(&p, 0x8001); /* TPM_ST_NO_SESSIONS */
	put32(&p, 0);
	put32(&p, 0x17e); /* TPM_CC_PCR_Read */
	put32(&p, 1);
	put16(&p, ALG_SHA256);
	*p++ = 3;
	p[0] = p[1] = p[2] = 0;
	p[pcr / 8] = (uint8_t)(1 << (pcr % 8));
	p += 3;
	rc = tpm_cmd(fd, cmd, (size_t)(p - cmd), rsp, sizeof(rsp), &got);
	if (rc)
		return rc;
	/* header 10, update counter 4, selection (4 + 2 + 1 + 3), digest count 4, size 2 */
	off = 10 + 4 + 10 + 4;
	if (got < off + 2 + 32 || rsp[off] != 0 || rsp[off + 1] != 32)
		return -1;
	memcpy(v, rsp + off + 2, 32);
	return 0;
}

static FILE *outs[2];

static void say(const char *line)
{
	for (int i = 0; i < 2; i++)
		if (outs[i])
			fputs(line, outs[i]), fflush(outs[i]);
}

int main(int argc, char **argv)
{
	static const int show[] = { 0, 2, 4, 7, 8, 9 };
	uint8_t d[32], v[32];
	char line[256], hx[65];
	int replayed = 0, failed = 0, fd;
	FILE *list;

	(void)argc;
	mkdir("/dev", 0755);
	mount("devtmpfs", "/dev", "devtmpfs", 0, "mode=0755");
	outs[0] = fopen("/dev/ttyS1", "w");
	outs[1] = fopen("/dev/console", "w");
	fd = open("/dev/tpm0", O_RDWR | O_CLOEXEC);
	list = fopen("/replay.list", "r");
	while (fd >= 0 && list && fgets(line, sizeof(line), list)) {
		unsigned pcr;
		char h[80];
		int ok = sscanf(line, "%u %79s", &pcr, h) == 2 && pcr < 24 && strlen(h) == 64;

		for (int i = 0; ok && i < 32; i++)
			ok = sscanf(h + 2 * i, "%2hhx", &d[i]) == 1;
		if (ok && pcr_extend(fd, (int)pcr, d) == 0)
			replayed++;
		else
			failed++;
	}
	snprintf(line, sizeof(line), "TABULA-REPLAY replayed=%d failed=%d%s%s\n", replayed, failed,
		 fd < 0 ? " (no /dev/tpm0)" : "", list ? "" : " (no /replay.list)");
	say(line);
	for (size_t i = 0; i < sizeof(show) / sizeof(show[0]); i++) {
		if (fd >= 0 && pcr_read(fd, show[i], v) == 0)
			hex(v, 32, hx);
		else
			snprintf(hx, sizeof(hx), "unreadable");
		snprintf(line, sizeof(line), "TABULA-REPLAY pcr=%d tpm=%s\n", show[i], hx);
		say(line);
	}
	if (list)
		fclose(list);
	if (fd >= 0)
		close(fd);
	for (int i = 0; i < 2; i++)
		if (outs[i])
			fclose(outs[i]);
	umount("/dev");
	argv[0] = "/init";
	execv("/init", argv);
	return 1;
}
