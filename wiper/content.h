/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What is on a medium: partition table and filesystems, read with libblkid. */
#ifndef WIPER_CONTENT_H
#define WIPER_CONTENT_H

#include "wiper/disk.h"

/*
 * Probe the device or file at @path (read-only) and fill @c. @name is the
 * disk's kernel name, used to name partitions (sdb1, nvme0n1p1). Returns 0,
 * or -errno when the medium cannot be read (c->probed stays false).
 */
int wiper_content_probe(const char *path, const char *name, struct wiper_content *c);

#endif
