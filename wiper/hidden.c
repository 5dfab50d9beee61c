/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Hidden areas (HPA, AMAC, DCO): made accessible before any erase. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "wiper/sanitize-impl.h"

/* Make the kernel re-read the capacity after a hidden area changed. */
static void rescan(const struct wiper_disk *d)
{
	char path[600];
	int fd;

	if (d->syspath[0] == '\0' ||
	    (size_t)snprintf(path, sizeof(path), "%s/device/rescan", d->syspath) >= sizeof(path))
		return;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (write(fd, "1", 1) < 0) {
			/* Best effort: the size check below tells whether it worked. */
		}
		close(fd);
	}
}

/* Raise the accessible max to @native (HPA), tell the kernel, update geometry. */
static void set_max(struct wiper_dev *dev, struct wiper_disk *d, struct wiper_identity *id,
		    struct wiper_job_result *res, uint64_t native)
{
	struct wiper_ata_result ar;
	struct ata_cmd cmd;
	int rc;

	{
		char what[160];

		if (id->ata.amac_supported) {
			/* ACS-3 replaces HPA with Accessible Max Address Configuration. */
			ata_cmd_set_max_ext(&cmd, native - 1, false);
			cmd.tf.command = ATA_OP_AMAC;
			cmd.tf.feature = 0x0001;
			cmd.tf.count = 0;
			snprintf(what, sizeof(what),
				 "ATA SET ACCESSIBLE MAX ADDRESS EXT (78h/0001h, LBA %" PRIu64
				 "): restore %" PRIu64 " hidden sectors", native - 1,
				 native - res->sectors_before);
		} else {
			ata_cmd_set_max_ext(&cmd, native - 1, false);
			snprintf(what, sizeof(what),
				 "ATA SET MAX ADDRESS EXT (37h, LBA %" PRIu64 ", volatile): restore %" PRIu64
				 " hidden sectors", native - 1, native - res->sectors_before);
		}
		rc = san_ata(dev, res, what, &cmd, NULL, &ar);
	}
	if (rc != 0) {
		/* What cannot be made visible cannot be verified: never certify it. */
		san_finish(res, WIPER_FAILED, "%" PRIu64 " sectors hidden by a host protected area could "
			   "not be restored (%s); power-cycle the drive and retry",
		       native - res->sectors_before,
		       id->ata.hpa_security_ext ? "the HPA is password-locked" : "the drive refused");
		return;
	}
	rescan(d);
	{
		struct wiper_geom g = *wiper_dev_geom(dev);

		g.size_bytes = native * g.logical_block;
		wiper_dev_set_geom(dev, &g);
	}
	d->sectors = native;
	d->size_bytes = native * d->logical_block;
	id->native_sectors = native;
	res->sectors_after = native;
	res->size_bytes = d->size_bytes;
}

/*
 * A device configuration overlay can hide capacity beyond the native max.
 * DCO IDENTIFY words 3-6 hold the real maximum; RESTORE brings it back
 * (it refuses while an HPA is set, which set_max has just removed).
 */
static void restore_dco(struct wiper_dev *dev, struct wiper_disk *d, struct wiper_identity *id,
			struct wiper_job_result *res, uint64_t native)
{
	uint8_t *blk;
	struct wiper_ata_result ar;
	struct ata_cmd cmd;
	uint64_t dco_max = 0;
	uint8_t sum = 0;
	int i, rc;

	if (!id->ata.dco_supported)
		return;
	blk = aligned_alloc(4096, 4096);
	if (blk == NULL)
		return;
	memset(blk, 0, 512);
	ata_cmd_dco_identify(&cmd);
	rc = san_ata(dev, res, "ATA DEVICE CONFIGURATION IDENTIFY (B1h/C2h)", &cmd, blk, &ar);
	for (i = 0; i < 512; i++)
		sum = (uint8_t)(sum + blk[i]);
	if (rc != 0 || (blk[510] == 0xa5 && sum != 0))
		goto out;
	for (i = 3; i >= 0; i--)
		dco_max = dco_max << 16 | (uint64_t)(blk[6 + 2 * i] | blk[7 + 2 * i] << 8);
	if (dco_max + 1 <= native)
		goto out;
	{
		char what[160];

		snprintf(what, sizeof(what), "ATA DEVICE CONFIGURATION RESTORE (B1h/C0h): %" PRIu64
			 " sectors hidden by the overlay", dco_max + 1 - native);
		ata_cmd_dco_restore(&cmd);
		rc = san_ata(dev, res, what, &cmd, NULL, &ar);
	}
	if (rc != 0) {
		san_step(res, rc, "hidden area", "the overlay could not be removed: a power cycle may be "
					     "needed first; the hidden sectors were not erased");
		san_finish(res, WIPER_FAILED, "%" PRIu64 " sectors hidden by a DCO could not be restored",
		       dco_max + 1 - native);
		goto out;
	}
	/* The native max grew: raise the accessible max to it as well. */
	if (id->ata.amac_supported)
		ata_cmd_get_native_max_amac(&cmd);
	else
		ata_cmd_read_native_max_ext(&cmd);
	if (san_ata(dev, res, id->ata.amac_supported ? "ATA GET NATIVE MAX ADDRESS EXT (78h/0000h)" :
						  "ATA READ NATIVE MAX ADDRESS EXT (27h)",
		&cmd, NULL, &ar) == 0 &&
	    ar.rtf.valid && !ar.rtf.partial && ar.rtf.lba + 1 > native) {
		res->native_sectors = ar.rtf.lba + 1;
		set_max(dev, d, id, res, ar.rtf.lba + 1);
	}
out:
	free(blk);
}

/* Restore a host protected area so the whole native capacity is erased and verified. */
void san_restore_hidden(struct wiper_dev *dev, struct wiper_disk *d, struct wiper_identity *id,
			   struct wiper_job_result *res)
{
	struct wiper_ata_result ar;
	struct ata_cmd cmd;
	uint64_t native;
	int rc;

	res->sectors_before = d->sectors ? d->sectors : wiper_dev_geom(dev)->size_bytes /
							       wiper_dev_geom(dev)->logical_block;
	res->sectors_after = res->sectors_before;
	if (!id->have_ata || id->ata_pt != WIPER_ATA_PT_FULL || !id->ata.lba48 ||
	    !(id->ata.hpa_supported || id->ata.amac_supported || id->ata.dco_supported))
		return;
	/* Pre-ACS-3 drives want READ NATIVE MAX right before SET MAX. */
	if (id->ata.amac_supported) {
		ata_cmd_get_native_max_amac(&cmd);
		rc = san_ata(dev, res, "ATA GET NATIVE MAX ADDRESS EXT (78h/0000h)", &cmd, NULL, &ar);
	} else {
		ata_cmd_read_native_max_ext(&cmd);
		rc = san_ata(dev, res, "ATA READ NATIVE MAX ADDRESS EXT (27h)", &cmd, NULL, &ar);
	}
	if (rc != 0 || !ar.rtf.valid || ar.rtf.partial)
		return;
	native = ar.rtf.lba + 1;
	res->hidden_checked = true;
	res->native_sectors = native;
	if (native > res->sectors_before)
		set_max(dev, d, id, res, native);
	restore_dco(dev, d, id, res, native);
}


int wiper_hidden_restore(struct wiper_dev *dev, struct wiper_disk *d, struct wiper_identity *id,
			 struct wiper_job_result *res)
{
	san_restore_hidden(dev, d, id, res);
	return 0;
}
