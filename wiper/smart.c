/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "wiper/smart.h"

#include <atasmart.h>
#include <errno.h>
#include <string.h>

int wiper_smart_read_ata(const char *node, struct wiper_smart *s)
{
	SkBool avail = 0, good = 0;
	uint64_t ms = 0, bad = 0;
	SkDisk *d = NULL;

	memset(s, 0, sizeof(*s));
	if (sk_disk_open(node, &d) < 0)
		return errno ? -errno : -EIO;
	if (sk_disk_smart_is_available(d, &avail) < 0 || !avail)
		goto out;
	if (sk_disk_smart_read_data(d) < 0)
		goto out;
	s->available = true;
	if (sk_disk_smart_status(d, &good) == 0)
		s->good = good;
	else
		s->available = false;
	if (sk_disk_smart_get_power_on(d, &ms) == 0) {
		s->have_hours = true;
		s->power_on_hours = ms / 3600000ULL;
	}
	if (sk_disk_smart_get_bad(d, &bad) == 0) {
		s->have_realloc = true;
		s->reallocated = bad;
	}
out:
	sk_disk_free(d);
	return 0;
}

/* Little-endian 64-bit read (the low half of a 128-bit counter). */
static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

int wiper_smart_parse_ata(const uint8_t *buf, size_t len, bool healthy, struct wiper_smart *s)
{
	unsigned i;

	memset(s, 0, sizeof(s[0]));
	if (buf == NULL || len < 512)
		return -EINVAL;
	s->available = true;
	s->good = healthy;
	/* 30 entries of 12 bytes from offset 2: id, flags(2), value, worst, raw(6), reserved. */
	for (i = 0; i < 30; i++) {
		const uint8_t *e = buf + 2 + 12 * i;
		uint64_t raw = 0;
		int k;

		if (e[0] == 0)
			continue;
		for (k = 5; k >= 0; k--)
			raw = raw << 8 | e[5 + k];
		switch (e[0]) {
		case 9: /* power-on hours: the low 32 bits on every vendor we know */
			s->have_hours = true;
			s->power_on_hours = raw & 0xffffffffu;
			break;
		case 5:
			s->have_realloc = true;
			s->reallocated = raw & 0xffffffffu;
			break;
		case 197:
			s->have_pending = true;
			s->pending = raw & 0xffffffffu;
			break;
		}
	}
	return 0;
}

int wiper_smart_parse_nvme(const uint8_t *buf, size_t len, struct wiper_smart *s)
{
	memset(s, 0, sizeof(*s));
	if (len < 512)
		return -EINVAL;
	s->available = true;
	/* Critical warning bits: spare, temperature, reliability, read-only, backup. */
	s->good = (buf[0] & 0x1d) == 0;
	s->have_hours = true;
	s->power_on_hours = le64(buf + 128);
	s->have_realloc = true;
	s->reallocated = le64(buf + 160); /* media and data integrity errors */
	return 0;
}
