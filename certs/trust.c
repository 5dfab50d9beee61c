/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Which stations count: those a registry enrolled (certs/trust.h), and ledger membership. */
#include "config.h"

#include "certs/trust.h"
#include "wiper/base/base.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Walk state for cert_trust_station(). */
struct trust_walk {
	const char *fp;
	const uint8_t *pub;
	int found;		/* 1 same key, -1 another key under that fingerprint */
};

static int trust_one(const char *fp, const uint8_t pub[CERT_PUB_LEN], const char *station_id,
		     void *arg)
{
	struct trust_walk *t = arg;

	(void)station_id;
	if (strcmp(fp, t->fp))
		return 0;
	t->found = memcmp(pub, t->pub, CERT_PUB_LEN) ? -1 : 1;
	return 1;
}

int cert_ledger_holds_station(struct cert_ledger *l, const char *fp,
			      const uint8_t pub[CERT_PUB_LEN], char *why, size_t whylen)
{
	struct trust_walk t = { fp, pub, 0 };
	int rc = cert_ledger_each_station(l, trust_one, &t);

	if (rc < 0)
		return base_errf(why, whylen, rc, "%s", cert_ledger_error(l));
	if (t.found == 1)
		return 0;
	return base_errf(why, whylen, 1, "station %.16s is not one %s holds%s", fp, cert_ledger_path(l),
		    t.found < 0 ? " (it holds another key under that fingerprint)" : "");
}

int cert_trust_station(struct cert_ledger *trust, const char *fp, const uint8_t pub[CERT_PUB_LEN],
		       char *why, size_t whylen)
{
	struct trust_walk w = { fp, pub, 0 };
	uint8_t head[CERT_HASH_LEN];
	struct cert_trust t;
	uint64_t n;
	int rc;

	rc = cert_trust_check(trust, &n, head, why, whylen);
	if (rc)
		return rc < 0 ? base_errf(why, whylen, rc, "%s", cert_ledger_error(trust)) : 1;
	if ((rc = cert_trust_get(trust, fp, &t)))
		return base_errf(why, whylen, rc, "%s", cert_ledger_error(trust));
	if (t.state == CERT_TRUST_REVOKED)
		return base_errf(why, whylen, 1, "station \"%s\" (key %.16s...) was revoked in %s", t.name,
			    fp, cert_ledger_path(trust));
	if (t.state != CERT_TRUST_ENROLLED)
		return base_errf(why, whylen, 1, "station key %.16s... is not enrolled in %s (a valid "
			    "signature by an unknown key proves nothing)", fp, cert_ledger_path(trust));
	rc = cert_ledger_each_station(trust, trust_one, &w);
	if (rc < 0)
		return base_errf(why, whylen, rc, "%s", cert_ledger_error(trust));
	if (w.found < 0)
		return base_errf(why, whylen, 1, "%s holds another key under fingerprint %.16s",
			    cert_ledger_path(trust), fp);
	return 0;
}

