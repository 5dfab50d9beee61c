/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: the strict canonical record decoder; what decodes must re-encode identically. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "certs/canon.h"
#include "certs/record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct cert_record *r = cert_record_new();
	char err[256];

	if (r == NULL)
		return 0;
	if (cert_record_decode((const char *)data, len, r, err, sizeof(err)) == 0) {
		struct cbuf out;

		memset(&out, 0, sizeof(out));
		if (cert_record_encode(r, &out) == 0 &&
		    (out.len != len || memcmp(out.p, data, len) != 0))
			abort(); /* canonical means one encoding: decode+encode is the identity */
		cbuf_done(&out);
	}
	cert_record_free(r);
	return 0;
}
