/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Drive health: ATA SMART through libatasmart, NVMe SMART / Health log page. */
#ifndef WIPER_SMART_H
#define WIPER_SMART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wiper/identity.h"

/*
 * Read ATA SMART of the disk at @node with libatasmart (which sends its own
 * commands). Returns 0 with @s filled (s->available false when the drive or
 * bridge offers no SMART), or -errno.
 */
int wiper_smart_read_ata(const char *node, struct wiper_smart *s);

/*
 * Decode a 512-byte ATA SMART READ DATA block (attribute table): power-on
 * hours (attribute 9), reallocated (5) and pending (197) sectors. @healthy
 * is the SMART RETURN STATUS verdict. Returns 0 or -EINVAL.
 */
int wiper_smart_parse_ata(const uint8_t *buf, size_t len, bool healthy, struct wiper_smart *s);

/* Decode a 512-byte NVMe SMART / Health Information log (LID 02h). */
int wiper_smart_parse_nvme(const uint8_t *buf, size_t len, struct wiper_smart *s);

#endif
