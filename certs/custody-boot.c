/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Which TPM the station uses, and the live image's boot rule for it: the one
 * place that says what $TABULA_TPM_TCTI and $TABULA_BOOT_CUSTODY mean, for
 * enrolment (custody-setup.c) and for every use of a sealed key
 * (custody-tpm.c) alike.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "certs/custody.h"

const char *cert_custody_station_tcti(const char *tcti)
{
	const char *env = getenv("TABULA_TPM_TCTI");

	if (tcti && tcti[0])
		return tcti;
	return env && env[0] ? env : CERT_CUSTODY_DEFAULT_TCTI;
}

const char *cert_custody_tcti_device(const char *tcti)
{
	if (!strcmp(tcti, "device"))
		return "/dev/tpmrm0";
	if (!strncmp(tcti, "device:", 7))
		return tcti[7] ? tcti + 7 : "/dev/tpmrm0";
	return NULL;
}

bool cert_custody_boot_rule(void)
{
	const char *v = getenv("TABULA_BOOT_CUSTODY");

	return v && !strcmp(v, "1");
}

bool cert_custody_boot_unmeasured(const char *tcti)
{
	return cert_custody_boot_rule() &&
	       cert_custody_tcti_device(cert_custody_station_tcti(tcti)) != NULL &&
	       access("/sys/firmware/efi", F_OK) != 0;
}
