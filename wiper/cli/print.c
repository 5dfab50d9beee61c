/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Renderers of media and identify data, as text and as JSON. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "wiper/cli/cli.h"

/* Print the content as a JSON object. */
static void content_json(struct json_out *j, const struct wiper_content *c)
{
	size_t i;
	char buf[512];

	json_obj_begin(j, "content");
	json_bool(j, "probed", c->probed);
	json_str(j, "partition_table", c->pttype[0] ? c->pttype : NULL);
	json_arr_begin(j, "filesystems");
	for (i = 0; i < c->nfs; i++) {
		const struct wiper_fs *f = &c->fs[i];

		json_obj_begin(j, NULL);
		json_str(j, "partition", f->part[0] ? f->part : NULL);
		json_str(j, "type", f->fstype[0] ? f->fstype : NULL);
		json_str(j, "label", f->label[0] ? f->label : NULL);
		json_str(j, "uuid", f->uuid[0] ? f->uuid : NULL);
		json_u64(j, "size_bytes", f->size);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_str(j, "summary", wiper_content_str(c, buf, sizeof(buf)));
	json_obj_end(j);
}

void print_ata_identify_json(struct json_out *j, const char *key, const struct ata_identify *a)
{
	char wwn[32];

	json_obj_begin(j, key);
	json_str(j, "model", a->model);
	json_str(j, "serial", a->serial);
	json_str(j, "firmware", a->firmware);
	snprintf(wwn, sizeof(wwn), "0x%016" PRIx64, a->wwn);
	json_str(j, "wwn", a->wwn_valid ? wwn : NULL);
	json_u64(j, "sectors", a->sectors);
	json_u64(j, "size_bytes", a->sectors * a->logical_sector_size);
	json_u64(j, "logical_sector_size", a->logical_sector_size);
	json_u64(j, "physical_sector_size", a->physical_sector_size);
	json_bool(j, "lba48", a->lba48);
	json_u64(j, "rotation_rate", a->rotation_rate);
	json_str(j, "integrity", a->integrity == ATA_ID_INTEGRITY_OK ? "ok" :
		 a->integrity == ATA_ID_INTEGRITY_BAD ? "bad-checksum" : "absent");
	json_bool(j, "trim", a->trim);
	json_bool(j, "smart_supported", a->smart_supported);
	json_bool(j, "write_cache_enabled", a->write_cache_enabled);
	json_obj_begin(j, "security");
	json_bool(j, "supported", a->sec_supported);
	json_bool(j, "enabled", a->sec_enabled);
	json_bool(j, "locked", a->sec_locked);
	json_bool(j, "frozen", a->sec_frozen);
	json_bool(j, "count_expired", a->sec_count_expired);
	json_bool(j, "enhanced_erase", a->sec_enhanced_erase);
	json_u64(j, "erase_time_min", a->erase_time_min);
	json_bool(j, "erase_time_more", a->erase_time_more);
	json_u64(j, "enhanced_erase_time_min", a->enh_erase_time_min);
	json_bool(j, "enhanced_erase_time_more", a->enh_erase_time_more);
	json_obj_end(j);
	json_obj_begin(j, "sanitize");
	json_bool(j, "supported", a->sanitize_supported);
	json_bool(j, "crypto", a->sanitize_crypto);
	json_bool(j, "block", a->sanitize_block);
	json_bool(j, "overwrite", a->sanitize_overwrite);
	json_bool(j, "antifreeze", a->sanitize_antifreeze);
	json_obj_end(j);
	json_obj_begin(j, "hidden_areas");
	json_bool(j, "hpa_supported", a->hpa_supported);
	json_bool(j, "hpa_enabled", a->hpa_enabled);
	json_bool(j, "dco_supported", a->dco_supported);
	json_bool(j, "amac_supported", a->amac_supported);
	json_obj_end(j);
	json_obj_end(j);
}

/* "yes"/"no". */
static const char *yesno(bool b)
{
	return b ? "yes" : "no";
}

/* Format an erase time estimate. */
static const char *erase_time(unsigned min, bool more, char *buf, size_t len)
{
	if (min == 0)
		snprintf(buf, len, "not reported");
	else
		snprintf(buf, len, "%s%u min", more ? "more than " : "", min);
	return buf;
}

void print_ata_identify_text(FILE *f, const struct ata_identify *a)
{
	char sz[32], t1[48], t2[48];

	fprintf(f, "ATA IDENTIFY\n");
	fprintf(f, "  Model:              %s\n", a->model);
	fprintf(f, "  Serial:             %s\n", a->serial);
	fprintf(f, "  Firmware:           %s\n", a->firmware);
	if (a->wwn_valid)
		fprintf(f, "  WWN:                0x%016" PRIx64 "\n", a->wwn);
	fprintf(f, "  Capacity:           %" PRIu64 " sectors (%s)%s\n", a->sectors,
		wiper_size_str(a->sectors * a->logical_sector_size, sz, sizeof(sz)),
		a->lba48 ? ", 48-bit" : ", 28-bit");
	fprintf(f, "  Sector size:        %u logical, %u physical\n", a->logical_sector_size,
		a->physical_sector_size);
	if (a->rotation_rate == 1)
		fprintf(f, "  Rotation:           non-rotating (SSD)\n");
	else if (a->rotation_rate > 1)
		fprintf(f, "  Rotation:           %u rpm\n", a->rotation_rate);
	else
		fprintf(f, "  Rotation:           not reported\n");
	fprintf(f, "  TRIM:               %s%s%s\n", yesno(a->trim), a->trim_drat ? ", deterministic" : "",
		a->trim_rzat ? ", reads zeros" : "");
	fprintf(f, "  SMART:              %s\n", a->smart_supported ? (a->smart_enabled ? "enabled" : "supported, disabled") : "not supported");
	fprintf(f, "  Write cache:        %s\n", a->write_cache_supported ? (a->write_cache_enabled ? "enabled" : "disabled") : "not supported");
	fprintf(f, "  Security:           %s", a->sec_supported ? "supported" : "not supported");
	if (a->sec_supported)
		fprintf(f, "%s%s%s%s%s", a->sec_enabled ? ", enabled" : ", not enabled",
			a->sec_locked ? ", LOCKED" : "", a->sec_frozen ? ", FROZEN" : ", not frozen",
			a->sec_count_expired ? ", attempts expired" : "",
			a->sec_enhanced_erase ? ", enhanced erase" : "");
	fputc('\n', f);
	if (a->sec_supported)
		fprintf(f, "  Erase time:         normal %s, enhanced %s\n",
			erase_time(a->erase_time_min, a->erase_time_more, t1, sizeof(t1)),
			erase_time(a->enh_erase_time_min, a->enh_erase_time_more, t2, sizeof(t2)));
	fprintf(f, "  Sanitize:           %s", a->sanitize_supported ? "supported" : "not supported");
	if (a->sanitize_supported)
		fprintf(f, ":%s%s%s%s", a->sanitize_crypto ? " crypto" : "",
			a->sanitize_block ? " block" : "", a->sanitize_overwrite ? " overwrite" : "",
			a->sanitize_antifreeze ? " antifreeze" : "");
	fputc('\n', f);
	fprintf(f, "  Hidden areas:       HPA %s%s, DCO %s, AMAC %s\n", yesno(a->hpa_supported),
		a->hpa_enabled ? " (enabled)" : "", yesno(a->dco_supported), yesno(a->amac_supported));
	fprintf(f, "  Integrity word:     %s\n", a->integrity == ATA_ID_INTEGRITY_OK ? "checksum good" :
		a->integrity == ATA_ID_INTEGRITY_BAD ? "CHECKSUM BAD" : "absent");
}

void print_nvme_ctrl_json(struct json_out *j, const char *key, const struct nvme_ctrl_info *n)
{
	char hex[16];

	json_obj_begin(j, key);
	json_str(j, "model", n->model);
	json_str(j, "serial", n->serial);
	json_str(j, "firmware", n->firmware);
	snprintf(hex, sizeof(hex), "0x%04x", n->vid);
	json_str(j, "vid", hex);
	snprintf(hex, sizeof(hex), "%u.%u.%u", n->version >> 16, (n->version >> 8) & 0xff,
		 n->version & 0xff);
	json_str(j, "version", hex);
	json_u64(j, "oacs", n->oacs);
	json_bool(j, "format_supported", n->oacs_format);
	json_bool(j, "security_send_receive", n->oacs_security);
	json_u64(j, "sanicap", n->sanicap);
	json_obj_begin(j, "sanitize");
	json_bool(j, "crypto", n->san_crypto);
	json_bool(j, "block", n->san_block);
	json_bool(j, "overwrite", n->san_overwrite);
	json_bool(j, "no_deallocate_inhibited", n->san_ndi);
	json_obj_end(j);
	json_u64(j, "fna", n->fna);
	json_obj_begin(j, "format");
	json_bool(j, "applies_to_all_namespaces", n->fna_format_all);
	json_bool(j, "secure_erase_all_namespaces", n->fna_secure_all);
	json_bool(j, "crypto_erase", n->fna_crypto);
	json_obj_end(j);
	json_bool(j, "volatile_write_cache", n->vwc_present);
	json_u64(j, "namespaces", n->nn);
	json_u64(j, "tnvmcap_bytes", n->tnvmcap_lo);
	json_str(j, "subnqn", n->subnqn);
	json_obj_end(j);
}

void print_nvme_ctrl_text(FILE *f, const struct nvme_ctrl_info *n)
{
	fprintf(f, "NVMe Identify Controller\n");
	fprintf(f, "  Model:              %s\n", n->model);
	fprintf(f, "  Serial:             %s\n", n->serial);
	fprintf(f, "  Firmware:           %s\n", n->firmware);
	fprintf(f, "  PCI vendor:         %04x\n", n->vid);
	fprintf(f, "  NVMe version:       %u.%u.%u\n", n->version >> 16, (n->version >> 8) & 0xff,
		n->version & 0xff);
	fprintf(f, "  OACS:               %04xh (format %s, security send/receive %s)\n", n->oacs,
		yesno(n->oacs_format), yesno(n->oacs_security));
	fprintf(f, "  Sanitize (SANICAP): %08xh:%s%s%s%s\n", n->sanicap,
		n->san_crypto ? " crypto" : "", n->san_block ? " block" : "",
		n->san_overwrite ? " overwrite" : "", n->sanicap ? "" : " not supported");
	fprintf(f, "  Format (FNA):       %02xh: crypto erase %s, applies to all namespaces %s\n",
		n->fna, yesno(n->fna_crypto), yesno(n->fna_format_all));
	fprintf(f, "  Volatile cache:     %s\n", yesno(n->vwc_present));
	fprintf(f, "  Namespaces:         %u\n", n->nn);
	if (n->subnqn[0])
		fprintf(f, "  Subsystem NQN:      %s\n", n->subnqn);
}

void print_medium_json(struct json_out *j, const struct wiper_medium *m, bool full)
{
	const struct wiper_disk *d = &m->disk;
	char buf[256];
	size_t i;

	json_obj_begin(j, NULL);
	json_str(j, "name", d->name);
	json_str(j, "node", d->node);
	json_str(j, "transport", wiper_transport_str(d->transport));
	json_str(j, "vendor", d->vendor[0] ? d->vendor : NULL);
	json_str(j, "model", d->model);
	json_str(j, "serial", d->serial);
	json_str(j, "firmware", d->firmware[0] ? d->firmware : NULL);
	json_str(j, "wwn", d->wwn[0] ? d->wwn : NULL);
	json_u64(j, "size_bytes", d->size_bytes);
	json_u64(j, "sectors", d->sectors);
	json_u64(j, "logical_sector_size", d->logical_block);
	json_u64(j, "physical_sector_size", d->physical_block);
	json_bool(j, "removable", d->removable);
	json_bool(j, "rotational", d->rotational);
	json_bool(j, "readonly", d->readonly);
	if (d->transport == WIPER_TRAN_USB) {
		json_obj_begin(j, "usb");
		snprintf(buf, sizeof(buf), "%04x:%04x", d->usb_vid, d->usb_pid);
		json_str(j, "id", buf);
		json_str(j, "driver", d->usb_driver[0] ? d->usb_driver : NULL);
		json_obj_end(j);
	}
	if (d->backing_file[0])
		json_str(j, "backing_file", d->backing_file);
	content_json(j, &d->content);
	json_bool(j, "excluded", d->excl != WIPER_EXCL_NONE);
	json_str(j, "excluded_reason", d->excl != WIPER_EXCL_NONE ? d->excl_reason : NULL);
	json_str(j, "erase", wiper_caps_summary(&m->caps, d, buf, sizeof(buf)));
	/* The technique keys each NIST label offers right now (empty lists where none). */
	json_arr_begin(j, "purge");
	for (i = 0; i < m->caps.n; i++)
		if (m->caps.cap[i].usable && m->caps.cap[i].label == WIPER_LABEL_PURGE)
			json_str(j, NULL, wiper_tech_key(m->caps.cap[i].tech));
	json_arr_end(j);
	json_arr_begin(j, "clear");
	for (i = 0; i < m->caps.n; i++)
		if (m->caps.cap[i].usable && m->caps.cap[i].label == WIPER_LABEL_CLEAR)
			json_str(j, NULL, wiper_tech_key(m->caps.cap[i].tech));
	json_arr_end(j);
	json_arr_begin(j, "techniques");
	for (i = 0; i < m->caps.n; i++) {
		const struct wiper_cap *c = &m->caps.cap[i];

		json_obj_begin(j, NULL);
		json_str(j, "technique", wiper_tech_key(c->tech));
		json_str(j, "description", wiper_tech_str(c->tech));
		json_str(j, "label", wiper_label_str(c->label));
		json_bool(j, "usable", c->usable);
		json_str(j, "blocked", c->usable ? NULL : c->blocked);
		json_obj_end(j);
	}
	json_arr_end(j);
	if (full) {
		const struct wiper_identity *id = &m->id;

		json_str(j, "open_error", m->open_error[0] ? m->open_error : NULL);
		json_str(j, "ata_passthrough", wiper_ata_pt_str(id->ata_pt));
		json_str(j, "ata_passthrough_note", id->ata_pt_note[0] ? id->ata_pt_note : NULL);
		if (id->have_sanitize_state) {
			json_bool(j, "sanitize_frozen", id->sanitize_frozen);
			json_bool(j, "sanitize_failed", id->sanitize_failed);
		}
		if (id->have_ata)
			print_ata_identify_json(j, "ata", &id->ata);
		if (id->have_native) {
			json_u64(j, "native_sectors", id->native_sectors);
			json_bool(j, "hidden_area", id->native_sectors > d->sectors);
		}
		if (id->have_nvme)
			print_nvme_ctrl_json(j, "nvme", &id->nvme);
		if (id->have_nvme_ns) {
			json_obj_begin(j, "nvme_namespace");
			json_u64(j, "nsid", id->nsid);
			json_u64(j, "nsze", id->nvme_ns.nsze);
			json_u64(j, "lba_size", id->nvme_ns.lba_size);
			json_u64(j, "lba_formats", id->nvme_ns.lbaf_count);
			json_u64(j, "dealloc_read", id->nvme_ns.dealloc_read);
			json_obj_end(j);
		}
		if (id->have_scsi) {
			json_obj_begin(j, "scsi");
			json_str(j, "vendor", id->inq.vendor);
			json_str(j, "product", id->inq.product);
			json_str(j, "revision", id->inq.revision);
			json_bool(j, "removable", id->inq.removable);
			json_str(j, "vpd_serial", id->vpd.serial[0] ? id->vpd.serial : NULL);
			json_str(j, "naa", id->vpd.naa[0] ? id->vpd.naa : NULL);
			json_obj_end(j);
		}
		json_obj_begin(j, "smart");
		json_bool(j, "available", id->smart.available);
		if (id->smart.available) {
			json_bool(j, "healthy", id->smart.good);
			if (id->smart.have_hours)
				json_u64(j, "power_on_hours", id->smart.power_on_hours);
			if (id->smart.have_realloc)
				json_u64(j, "bad_sectors", id->smart.reallocated);
		}
		json_obj_end(j);
		json_str(j, "notes", id->notes[0] ? id->notes : NULL);
	}
	json_obj_end(j);
}

void print_medium_text(FILE *f, const struct wiper_medium *m)
{
	const struct wiper_disk *d = &m->disk;
	const struct wiper_identity *id = &m->id;
	char sz[32], buf[512];
	size_t i;

	fprintf(f, "%s\n", d->node);
	fprintf(f, "  Transport:          %s", wiper_transport_str(d->transport));
	if (d->transport == WIPER_TRAN_USB)
		fprintf(f, " (bridge %04x:%04x, %s)", d->usb_vid, d->usb_pid,
			d->usb_driver[0] ? d->usb_driver : "unknown driver");
	else if (d->host_driver[0])
		fprintf(f, " (host %s)", d->host_driver);
	fputc('\n', f);
	if (d->vendor[0])
		fprintf(f, "  Vendor:             %s\n", d->vendor);
	fprintf(f, "  Model:              %s\n", d->model[0] ? d->model : "(unknown)");
	fprintf(f, "  Serial:             %s\n", d->serial[0] ? d->serial : "(unknown)");
	if (d->firmware[0])
		fprintf(f, "  Firmware:           %s\n", d->firmware);
	if (d->wwn[0])
		fprintf(f, "  WWN:                %s\n", d->wwn);
	fprintf(f, "  Size:               %s (%" PRIu64 " bytes, %" PRIu64 " sectors of %u)\n",
		wiper_size_str(d->size_bytes, sz, sizeof(sz)), d->size_bytes, d->sectors,
		d->logical_block);
	fprintf(f, "  Sector size:        %u logical, %u physical\n", d->logical_block,
		d->physical_block);
	if (id->have_native)
		fprintf(f, "  Native capacity:    %" PRIu64 " sectors%s\n", id->native_sectors,
			id->native_sectors > d->sectors ? " (HIDDEN AREA PRESENT)" : " (no hidden area)");
	fprintf(f, "  Media:              %s%s%s\n", d->rotational ? "rotating" : "non-rotating",
		d->removable ? ", removable" : "", d->readonly ? ", read-only" : "");
	if (d->backing_file[0])
		fprintf(f, "  Backing file:       %s\n", d->backing_file);
	fprintf(f, "  Contents:           %s\n", wiper_content_str(&d->content, buf, sizeof(buf)));
	if (id->smart.available) {
		fprintf(f, "  Health (SMART):     %s", id->smart.good ? "good" : "FAILING");
		if (id->smart.have_hours)
			fprintf(f, ", %" PRIu64 " power-on hours", id->smart.power_on_hours);
		if (id->smart.have_realloc)
			fprintf(f, ", %" PRIu64 " bad sectors", id->smart.reallocated);
		fputc('\n', f);
	} else {
		fprintf(f, "  Health (SMART):     not available\n");
	}
	if (id->ata_pt != WIPER_ATA_PT_UNTRIED)
		fprintf(f, "  ATA pass-through:   %s%s%s\n", wiper_ata_pt_str(id->ata_pt),
			id->ata_pt_note[0] ? ": " : "", id->ata_pt_note);
	fprintf(f, "  Erase:              %s\n", wiper_caps_summary(&m->caps, d, buf, sizeof(buf)));
	for (i = 0; i < m->caps.n; i++) {
		const struct wiper_cap *c = &m->caps.cap[i];

		fprintf(f, "    %-6s %-36s %s%s\n", wiper_label_str(c->label), wiper_tech_str(c->tech),
			c->usable ? "available" : "blocked: ", c->usable ? "" : c->blocked);
	}
	if (id->sanitize_failed)
		fprintf(f, "  Sanitize state:     the last sanitize FAILED; media access is blocked until a "
			   "sanitize succeeds\n");
	if (id->have_ata && (id->ata.sec_frozen || id->sanitize_frozen))
		fprintf(f, "  Frozen:             the firmware froze security at start-up: run "
			   "'wiper unfreeze' (suspend to RAM), or replug the drive's power\n");
	if (d->excl != WIPER_EXCL_NONE)
		fprintf(f, "  EXCLUDED:           %s\n", d->excl_reason);
	if (m->open_error[0])
		fprintf(f, "  Could not open:     %s\n", m->open_error);
	if (id->notes[0])
		fprintf(f, "  Notes:              %s\n", id->notes);
	if (id->have_ata) {
		fputc('\n', f);
		print_ata_identify_text(f, &id->ata);
	}
	if (id->have_nvme) {
		fputc('\n', f);
		print_nvme_ctrl_text(f, &id->nvme);
	}
	if (id->have_scsi) {
		fprintf(f, "\nSCSI INQUIRY\n  Vendor/product:     %s %s rev %s\n", id->inq.vendor,
			id->inq.product, id->inq.revision);
		if (id->vpd.serial[0])
			fprintf(f, "  Unit serial (80h):  %s\n", id->vpd.serial);
		if (id->vpd.naa[0])
			fprintf(f, "  Identifier (83h):   %s\n", id->vpd.naa);
	}
}
