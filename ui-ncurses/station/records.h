/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The records medium (a filesystem labelled TABULA-RECORDS holding the
 * ledger, the station key, tabula.conf and the certificate PDFs): whether
 * one is present, and the small, safe initialisation of a blank stick as
 * one (records-init.c; the screen is screen-records.c).
 */
#ifndef UI_NCURSES_RECORDS_H
#define UI_NCURSES_RECORDS_H

#include <stdbool.h>
#include <stddef.h>

#include "ui-ncurses/station/station.h"

/* Where tabula-records (iso-build/rootfs) mounts the records medium. */
#define UI_RECORDS_MNT "/run/tabula-records"
/* Smallest medium offered: room for years of certificates. */
#define UI_RECORDS_MIN_BYTES (16ull << 20)

/* The mount point: the configuration's "records = DIR", else UI_RECORDS_MNT. */
const char *ui_records_mountpoint(const struct ui_app *app);

/*
 * Is a records medium attached? True when a scanned medium carries a
 * filesystem labelled TABULA-RECORDS, or something is mounted at the mount
 * point. The name of the medium goes to @name (may be NULL).
 */
bool ui_records_present(const struct ui_app *app, char *name, size_t namelen);

/*
 * Why @m may not be initialised as the records medium, in words for the
 * technician; NULL when it may: a whole medium of at least
 * UI_RECORDS_MIN_BYTES that wiper offers (not the boot medium, not mounted,
 * no swap, no holders, writable, in a demo only the demo's loop devices),
 * nothing running on it, and libblkid found neither a partition table nor
 * a filesystem on it.
 */
const char *ui_records_unsuitable(const struct ui_app *app, const struct ui_medium *m, char *buf,
				  size_t len);

/* What the technician types to confirm: the serial, or the kernel name without one. */
const char *ui_records_confirm_word(const struct ui_medium *m);

/*
 * Initialise @m (as confirmed on the screen) as the records medium: scan
 * again and find the same medium (device number, disk sequence, serial,
 * size), check it is still suitable and, probed once more with libblkid,
 * still blank; then mkfs.ext4 -L TABULA-RECORDS (no -F: mke2fs refuses by
 * itself if it finds anything), mount it (noatime, nodev, nosuid, noexec)
 * at the mount point, create the ledger and the station key there
 * (cert_custody_setup(): sealed by this PC's TPM, bound to the boot; a demo
 * key file only with @demo_file or in demo mode), and point the station's
 * ledger and PDFs at it. Without a TPM and without @demo_file it writes
 * nothing and returns -ENODEV with the choice explained in @msg. Returns 0
 * with what was done in @msg, or -errno with the reason in @msg (nothing was
 * written unless the message says so).
 */
int ui_records_init(struct ui_app *app, const struct ui_medium *m, bool demo_file, char *msg,
		    size_t msglen);

/* Session screen hook: one line offering the initialisation when no records medium is present. */
int ui_records_session_hint(struct ui_app *app, int y);

#endif
