/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Which stations' signatures count. Used by the QR check (certs/qrcode.h)
 * and the register check (certs/pdf.h) when a trust store is given.
 */
#ifndef CERTS_TRUST_H
#define CERTS_TRUST_H

#include <stddef.h>
#include <stdint.h>

#include "certs/chain.h"
#include "certs/ledger.h"

/*
 * Is station @fp with public key @pub one the trust store @trust knows?
 * For now "knows" means: @trust (a station ledger, a registry made by
 * certs merge, or a snapshot of a PostgreSQL registry) holds the station
 * with that very key. An enrolment registry (certs trust add/revoke)
 * replaces this one function. 0 known, 1 unknown (reason in @why), -errno.
 */
int cert_trust_station(struct cert_ledger *trust, const char *fp, const uint8_t pub[CERT_PUB_LEN],
		       char *why, size_t whylen);

#endif
