/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "wiper/identity.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wiper/ata-sanitize.h"
#include "wiper/dev.h"
#include "wiper/scsi-cmd.h"
#include "wiper/smart.h"
#include "wiper/status.h"

const char *wiper_ata_pt_str(enum wiper_ata_pt pt)
{
	switch (pt) {
	case WIPER_ATA_PT_UNTRIED: return "untried";
	case WIPER_ATA_PT_NONE: return "none";
	case WIPER_ATA_PT_LIMITED: return "limited";
	case WIPER_ATA_PT_FULL: return "full";
	}
	return "unknown";
}

/* Append a clause to id->notes. */
__attribute__((format(printf, 2, 3)))
static void note(struct wiper_identity *id, const char *fmt, ...)
{
	size_t off = strlen(id->notes);
	va_list ap;

	if (off && off + 2 < sizeof(id->notes)) {
		memcpy(id->notes + off, "; ", 3);
		off += 2;
	}
	if (off >= sizeof(id->notes) - 1)
		return;
	va_start(ap, fmt);
	vsnprintf(id->notes + off, sizeof(id->notes) - off, fmt, ap);
	va_end(ap);
}

/* Is a model string plausible (printable, not empty)? Bridges return garbage. */
static bool sane_string(const char *s)
{
	size_t n = 0;

	for (; *s; s++, n++)
		if (!isprint((unsigned char)*s))
			return false;
	return n > 0;
}

/* Ask an ATA device (directly or through a SATL) for IDENTIFY and its registers. */
static void identify_ata(struct wiper_dev *dev, struct wiper_disk *d, struct wiper_identity *id)
{
	uint8_t *buf = aligned_alloc(4096, 4096);
	struct wiper_ata_result res;
	struct ata_cmd cmd;
	char why[128];
	int rc;

	if (buf == NULL)
		return;
	memset(buf, 0, 512);
	ata_cmd_identify(&cmd);
	cmd.timeout_ms = 15000;
	rc = wiper_dev_ata(dev, &cmd, buf, &res);
	if (rc != 0) {
		id->ata_pt = WIPER_ATA_PT_NONE;
		snprintf(id->ata_pt_note, sizeof(id->ata_pt_note), "IDENTIFY rejected: %s",
			 wiper_status_str(rc, why, sizeof(why)));
		goto out;
	}
	if (ata_identify_parse(buf, 512, &id->ata) < 0 || !sane_string(id->ata.model) ||
	    id->ata.integrity == ATA_ID_INTEGRITY_BAD) {
		id->ata_pt = WIPER_ATA_PT_NONE;
		snprintf(id->ata_pt_note, sizeof(id->ata_pt_note),
			 "IDENTIFY came back %s", id->ata.integrity == ATA_ID_INTEGRITY_BAD ?
			 "with a bad checksum" : "empty or garbled");
		memset(&id->ata, 0, sizeof(id->ata));
		goto out;
	}
	id->have_ata = true;

	/* A harmless non-data command shows whether the registers come back. */
	ata_cmd_check_power_mode(&cmd);
	cmd.timeout_ms = 15000;
	rc = wiper_dev_ata(dev, &cmd, NULL, &res);
	if (rc == 0 && res.rtf.valid) {
		id->ata_pt = WIPER_ATA_PT_FULL;
	} else {
		id->ata_pt = WIPER_ATA_PT_LIMITED;
		snprintf(id->ata_pt_note, sizeof(id->ata_pt_note),
			 "no ATA registers returned%s", d->transport == WIPER_TRAN_USB ?
			 " through the USB bridge" : "");
	}

	/* The native max shows a host protected area, if any. */
	if (id->ata_pt == WIPER_ATA_PT_FULL && id->ata.lba48 &&
	    (id->ata.hpa_supported || id->ata.amac_supported)) {
		if (id->ata.amac_supported)
			ata_cmd_get_native_max_amac(&cmd);
		else
			ata_cmd_read_native_max_ext(&cmd);
		cmd.timeout_ms = 15000;
		rc = wiper_dev_ata(dev, &cmd, NULL, &res);
		if (rc == 0 && res.rtf.valid && !res.rtf.partial) {
			id->have_native = true;
			id->native_sectors = res.rtf.lba + 1;
		} else {
			note(id, "native max address unreadable");
		}
	}

	/* Sanitize can be frozen (or failed) independently of security. */
	if (id->ata_pt == WIPER_ATA_PT_FULL && id->ata.sanitize_supported) {
		struct ata_sanitize_status st;

		ata_cmd_sanitize_status(&cmd, false);
		cmd.timeout_ms = 15000;
		/*
		 * Only the returned registers matter: a drive that refuses says
		 * why in them (ABRT and a reason), and on a transport error
		 * wiper_dev_ata() leaves them cleared (not valid).
		 */
		(void)wiper_dev_ata(dev, &cmd, NULL, &res);
		if (res.rtf.valid && ata_sanitize_status_decode(&res.rtf, &st) == 0) {
			id->have_sanitize_state = true;
			id->sanitize_frozen = st.frozen || (st.aborted && st.reason == 3);
			id->sanitize_failed = st.aborted && st.reason == 1;
		}
	}

	/* The drive is more authoritative than the SATL's INQUIRY strings. */
	snprintf(d->model, sizeof(d->model), "%s", id->ata.model);
	if (id->ata.serial[0])
		snprintf(d->serial, sizeof(d->serial), "%s", id->ata.serial);
	if (id->ata.firmware[0])
		snprintf(d->firmware, sizeof(d->firmware), "%s", id->ata.firmware);
	if (id->ata.wwn_valid)
		snprintf(d->wwn, sizeof(d->wwn), "0x%016" PRIx64, id->ata.wwn);
	if (strcmp(d->vendor, "ATA") == 0)
		d->vendor[0] = '\0';
out:
	free(buf);
}

/* Standard INQUIRY and the serial / device identification VPD pages. */
static void identify_scsi(struct wiper_dev *dev, struct wiper_disk *d, struct wiper_identity *id)
{
	uint8_t *buf = aligned_alloc(4096, 4096);
	struct wiper_scsi_cmd cmd;
	char why[128];
	int rc;

	if (buf == NULL)
		return;
	memset(&cmd, 0, sizeof(cmd));
	scsi_cdb_inquiry(cmd.cdb, -1, 96);
	cmd.cdb_len = 6;
	cmd.dir = WIPER_DIR_IN;
	cmd.buf = buf;
	cmd.len = 96;
	memset(buf, 0, 96);
	rc = wiper_dev_scsi(dev, &cmd);
	if (rc != 0 || scsi_inquiry_parse(buf, 96 - cmd.resid, &id->inq) < 0) {
		note(id, "INQUIRY failed: %s", rc ? wiper_status_str(rc, why, sizeof(why)) :
			 "short or malformed answer");
		goto out;
	}
	id->have_scsi = true;
	if (id->inq.vendor[0] && !id->have_ata)
		snprintf(d->vendor, sizeof(d->vendor), "%s", id->inq.vendor);

	memset(&cmd, 0, sizeof(cmd));
	scsi_cdb_inquiry(cmd.cdb, 0x80, 252);
	cmd.cdb_len = 6;
	cmd.dir = WIPER_DIR_IN;
	cmd.buf = buf;
	cmd.len = 252;
	memset(buf, 0, 252);
	if (wiper_dev_scsi(dev, &cmd) == 0)
		scsi_vpd80_parse(buf, 252 - cmd.resid, &id->vpd);

	memset(&cmd, 0, sizeof(cmd));
	scsi_cdb_inquiry(cmd.cdb, 0x83, 512);
	cmd.cdb_len = 6;
	cmd.dir = WIPER_DIR_IN;
	cmd.buf = buf;
	cmd.len = 512;
	memset(buf, 0, 512);
	if (wiper_dev_scsi(dev, &cmd) == 0)
		scsi_vpd83_parse(buf, 512 - cmd.resid, &id->vpd);
	if (!id->have_ata && id->vpd.serial[0] && d->serial[0] == '\0')
		snprintf(d->serial, sizeof(d->serial), "%s", id->vpd.serial);

	/*
	 * A SCSI device (not an ATA drive behind a SATL, whose SANITIZE goes by
	 * ATA PASS-THROUGH) says which SANITIZE service actions it implements.
	 */
	if (!id->have_ata) {
		static const uint8_t sas[3] = { 0x01, 0x02, 0x03 };
		bool *flag[3] = { &id->scsi_san_overwrite, &id->scsi_san_block,
				  &id->scsi_san_crypto };
		int k;

		for (k = 0; k < 3; k++) {
			bool sup = false;

			memset(&cmd, 0, sizeof(cmd));
			scsi_cdb_report_opcode(cmd.cdb, 0x48, sas[k], 64);
			cmd.cdb_len = 12;
			cmd.dir = WIPER_DIR_IN;
			cmd.buf = buf;
			cmd.len = 64;
			memset(buf, 0, 64);
			if (wiper_dev_scsi(dev, &cmd) != 0)
				break; /* REPORT SUPPORTED OPERATION CODES itself is unsupported */
			if (scsi_report_opcode_parse(buf, 64 - cmd.resid, &sup) == 0)
				*flag[k] = sup;
		}
	}
out:
	free(buf);
}

/* NVMe Identify Controller / Namespace and the SMART log. */
static void identify_nvme(struct wiper_dev *dev, struct wiper_disk *d, struct wiper_identity *id)
{
	uint8_t *buf = aligned_alloc(4096, 4096);
	struct wiper_nvme_cmd cmd;
	char why[128];
	int rc;

	if (buf == NULL)
		return;
	memset(&cmd, 0, sizeof(cmd));
	memset(buf, 0, 4096);
	cmd.opcode = 0x06;
	cmd.cdw10 = 0x01; /* CNS 01h: controller */
	cmd.dir = WIPER_DIR_IN;
	cmd.buf = buf;
	cmd.len = 4096;
	rc = wiper_dev_nvme_admin(dev, &cmd);
	if (rc != 0 || nvme_ctrl_info_parse(buf, 4096, &id->nvme) < 0) {
		note(id, "NVMe Identify Controller failed: %s",
		     rc ? wiper_status_str(rc, why, sizeof(why)) : "empty answer");
		goto out;
	}
	id->have_nvme = true;
	snprintf(d->model, sizeof(d->model), "%s", id->nvme.model);
	snprintf(d->serial, sizeof(d->serial), "%s", id->nvme.serial);
	snprintf(d->firmware, sizeof(d->firmware), "%s", id->nvme.firmware);

	id->nsid = d->nvme_nsid ? d->nvme_nsid : 1;
	memset(&cmd, 0, sizeof(cmd));
	memset(buf, 0, 4096);
	cmd.opcode = 0x06;
	cmd.nsid = id->nsid;
	cmd.cdw10 = 0x00; /* CNS 00h: namespace */
	cmd.dir = WIPER_DIR_IN;
	cmd.buf = buf;
	cmd.len = 4096;
	if (wiper_dev_nvme_admin(dev, &cmd) == 0 && nvme_ns_info_parse(buf, 4096, &id->nvme_ns) == 0)
		id->have_nvme_ns = true;
	else
		note(id, "NVMe Identify Namespace %u failed", id->nsid);

	memset(&cmd, 0, sizeof(cmd));
	memset(buf, 0, 512);
	cmd.opcode = 0x02;
	cmd.nsid = 0xffffffff;
	cmd.cdw10 = (127u << 16) | 0x02; /* 128 dwords of log 02h */
	cmd.dir = WIPER_DIR_IN;
	cmd.buf = buf;
	cmd.len = 512;
	if (wiper_dev_nvme_admin(dev, &cmd) == 0)
		wiper_smart_parse_nvme(buf, 512, &id->smart);
out:
	free(buf);
}

/* SMART RETURN STATUS and SMART READ DATA through our own pass-through. */
static void smart_by_sgio(struct wiper_dev *dev, struct wiper_identity *id)
{
	uint8_t *buf = aligned_alloc(4096, 4096);
	struct wiper_ata_result res;
	struct ata_cmd cmd;
	bool healthy;

	if (buf == NULL)
		return;
	memset(&cmd, 0, sizeof(cmd));
	cmd.tf.command = ATA_OP_SMART;
	cmd.tf.feature = 0xda; /* RETURN STATUS */
	cmd.tf.lba = 0xc24f00;
	cmd.tf.device = 0x40;
	cmd.proto = ATA_PROTO_NON_DATA;
	cmd.ck_cond = true;
	cmd.timeout_ms = 15000;
	if (wiper_dev_ata(dev, &cmd, NULL, &res) != 0 || !res.rtf.valid)
		goto out;
	/* LBA(23:8) stays C24Fh when healthy and becomes 2CF4h past a threshold. */
	healthy = ((res.rtf.lba >> 8) & 0xffff) != 0x2cf4;
	ata_cmd_smart_read_data(&cmd);
	cmd.timeout_ms = 15000;
	memset(buf, 0, 512);
	if (wiper_dev_ata(dev, &cmd, buf, &res) != 0)
		goto out;
	wiper_smart_parse_ata(buf, 512, healthy, &id->smart);
out:
	free(buf);
}

int wiper_identify(struct wiper_dev *dev, struct wiper_disk *d, struct wiper_identity *id)
{
	memset(id, 0, sizeof(*id));
	id->ata_pt = WIPER_ATA_PT_UNTRIED;

	if (wiper_dev_has_nvme(dev))
		identify_nvme(dev, d, id);
	if (wiper_dev_has_ata(dev))
		identify_ata(dev, d, id);
	if (wiper_dev_has_scsi(dev))
		identify_scsi(dev, d, id);
	if (!wiper_dev_has_nvme(dev) && !wiper_dev_has_ata(dev) && !wiper_dev_has_scsi(dev))
		note(id, "no command interface (%s): identity from the kernel only",
		     wiper_transport_str(d->transport));

	if (id->have_ata && id->ata.smart_supported && d->node[0] &&
	    d->transport != WIPER_TRAN_SIM)
		wiper_smart_read_ata(d->node, &id->smart);
	/* libatasmart gives up on some paths; ask the drive ourselves then. */
	if (id->have_ata && id->ata.smart_supported && !id->smart.available &&
	    id->ata_pt == WIPER_ATA_PT_FULL)
		smart_by_sgio(dev, id);
	if (id->have_ata && id->ata.smart_supported && !id->smart.available)
		note(id, "SMART unreadable");
	if (id->have_ata && id->ata.logical_sector_size) {
		d->logical_block = d->logical_block ? d->logical_block : id->ata.logical_sector_size;
	}
	return 0;
}
