/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A new records medium's key custody: the TPM when there is one, a key file only by choice. */
#include "config.h"

#include "certs/custody.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "certs/ledger.h"
#include "wiper/base/base.h"

bool cert_custody_tpm_present(const char *tcti)
{
	const char *dev;

	if (!cert_custody_tpm_supported())
		return false;
	dev = cert_custody_tcti_device(cert_custody_station_tcti(tcti));
	return dev == NULL || access(dev, F_OK) == 0;
}

/* Does @base + @suffix name an existing file (or link)? */
static bool has_file(const char *base, const char *suffix)
{
	char path[4096];
	struct stat sb;
	int n = snprintf(path, sizeof(path), "%s%s", base, suffix);

	return n > 0 && (size_t)n < sizeof(path) && lstat(path, &sb) == 0;
}

/* The demo key file, made with the ledger, as the technician chose. */
static int make_demo_key(const char *ledger_path, char fp[CERT_FP_HEX], char *msg, size_t msglen)
{
	struct cert_ledger *l = NULL;
	char err[512];
	int rc;

	rc = cert_ledger_open(ledger_path, CERT_LEDGER_CREATE, &l, err, sizeof(err));
	if (rc < 0)
		return base_errf(msg, msglen, rc, "%s", err);
	rc = cert_ledger_use_key(l, NULL);
	if (rc < 0)
		base_errf(msg, msglen, rc, "%s", cert_ledger_error(l));
	else
		snprintf(fp, CERT_FP_HEX, "%s", cert_ledger_fingerprint(l));
	cert_ledger_close(l);
	if (rc < 0)
		return rc;
	base_errf(msg, msglen, 0, "DEMO key-file custody, as chosen: the station key is the file %s.key"
		  " on the records medium; whoever holds the medium can sign, and every certificate"
		  " says \"key file (demo, not evidence)\"", ledger_path);
	return CERT_SETUP_FILE;
}

int cert_custody_setup(const char *ledger_path, const struct cert_custody_setup_opts *o,
		       char fp[CERT_FP_HEX], char *msg, size_t msglen)
{
	static const struct cert_custody_setup_opts defaults = { 0 };
	const char *tcti, *pcrs, *dev;
	char err[768];
	int rc;

	if (!o)
		o = &defaults;
	fp[0] = '\0';
	tcti = cert_custody_station_tcti(o->tcti);
	pcrs = o->pcrs ? o->pcrs : CERT_CUSTODY_BOOT_PCRS;
	if (has_file(ledger_path, ".sealed")) {
		base_errf(msg, msglen, 0, "the station key of %s is sealed by a TPM (%s.sealed): TPM"
			  " custody", ledger_path, ledger_path);
		return CERT_SETUP_HAD_TPM;
	}
	if (has_file(ledger_path, ".key")) {
		base_errf(msg, msglen, 0, "DEMO key-file custody: the station key of %s is the file"
			  " %s.key on the records medium; whoever holds the medium can sign, and every"
			  " certificate says so", ledger_path, ledger_path);
		return CERT_SETUP_HAD_FILE;
	}
	if (cert_custody_tpm_present(tcti)) {
		/*
		 * The live image's boot is measured only under UEFI (GRUB measures
		 * nothing on BIOS): a key sealed in a BIOS boot is bound to PCRs that
		 * the genuine stick's BIOS GRUB with any grub.cfg reproduces.
		 */
		if (cert_custody_boot_unmeasured(tcti))
			return base_errf(msg, msglen, -EPERM,
					 "this PC booted the image in BIOS (legacy) mode, where nothing"
					 " measures the boot: a station key sealed now would unseal for any"
					 " boot of the stick. Nothing was made: boot the image through UEFI"
					 " (the firmware's boot menu) and set the records medium up again");
		rc = cert_custody_enrol_tpm(ledger_path, tcti, pcrs, fp, err, sizeof(err));
		/* -ENODEV is kept for "no TPM here": this one is there but failed */
		if (rc)
			return base_errf(msg, msglen, rc == -ENODEV ? -EIO : rc,
					 "TPM enrolment failed, nothing can be signed (no key file"
					 " is made instead): %s", err);
		if (pcrs[0])
			base_errf(msg, msglen, 0, "station key sealed by this PC's TPM 2.0 (%s), bound to"
				  " the boot (PCRs %s): the records medium holds only %s.sealed and"
				  " %s.pub", tcti, pcrs, ledger_path, ledger_path);
		else
			base_errf(msg, msglen, 0, "station key sealed by this PC's TPM 2.0 (%s), not"
				  " bound to PCRs: the records medium holds only %s.sealed and %s.pub",
				  tcti, ledger_path, ledger_path);
		return CERT_SETUP_TPM;
	}
	if (o->demo_file)
		return make_demo_key(ledger_path, fp, msg, msglen);
	dev = cert_custody_tcti_device(tcti);
	return base_errf(msg, msglen, -ENODEV,
			 "this PC has no TPM 2.0 (%s%s): the station key would be a file on the"
			 " records medium, and whoever holds the medium could sign with it (demo"
			 " custody, not evidence; every certificate would say so). Nothing was made:"
			 " choose demo key-file custody explicitly, or use a PC with a TPM 2.0",
			 cert_custody_tpm_supported() ? dev ? dev : tcti : "this build has no TPM support",
			 cert_custody_tpm_supported() ? " not found" : "");
}
