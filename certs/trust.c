/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Which stations count: for now, those a ledger or registry holds (certs/trust.h). */
#include "config.h"

#include "certs/trust.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Format @buf; returns @rc. */
__attribute__((format(printf, 4, 5)))
static int terr(char *buf, size_t len, int rc, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!buf || !len)
		return rc;
	va_start(ap, fmt);
	n = vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= len)
		buf[len - 1] = '\0';
	return rc;
}

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

int cert_trust_station(struct cert_ledger *trust, const char *fp, const uint8_t pub[CERT_PUB_LEN],
		       char *why, size_t whylen)
{
	struct trust_walk t = { fp, pub, 0 };
	int rc = cert_ledger_each_station(trust, trust_one, &t);

	if (rc < 0)
		return terr(why, whylen, rc, "%s", cert_ledger_error(trust));
	if (t.found == 1)
		return 0;
	return terr(why, whylen, 1, "station %.16s is not one the trust store %s holds%s", fp,
		    cert_ledger_path(trust), t.found < 0 ? " (it holds another key under that"
		    " fingerprint)" : "");
}

