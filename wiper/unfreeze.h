/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Unfreezing drives: the BIOS freezes ATA security (and sometimes sanitize)
 * at power-on; only losing power clears it. Suspend to RAM ("deep") powers
 * the drives off, and Linux filters the freeze commands out of the ACPI
 * taskfiles it replays on resume (sanitize-reference §1.5).
 */
#ifndef WIPER_UNFREEZE_H
#define WIPER_UNFREEZE_H

#include <stddef.h>

/*
 * Can this machine unfreeze by suspend to RAM? Returns 0, or -ENOTSUP with
 * the plain reason in @why ("this machine offers only s2idle, which may keep
 * drives powered: replug the drive's power instead").
 * @sysfs_power is the directory holding mem_sleep and state (NULL: /sys/power).
 */
int wiper_unfreeze_possible(const char *sysfs_power, char *why, size_t len);

/*
 * Select deep sleep and suspend for @seconds with rtcwake, then return after
 * resume. Returns 0, or -errno with the reason in @why. The caller must
 * re-identify every drive afterwards: cached identify data is stale.
 */
int wiper_unfreeze_by_suspend(unsigned seconds, char *why, size_t len);

#endif
