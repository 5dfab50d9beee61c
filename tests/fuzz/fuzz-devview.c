/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: captured device views, and the disk classification built from them. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wiper/devview.h"
#include "wiper/disk.h"
#include "wiper/exclude.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	char *text = malloc(len + 1), err[128];
	struct wiper_devview *v = NULL;
	struct wiper_sysstate st;
	int n, i;

	if (text == NULL)
		return 0;
	memcpy(text, data, len);
	text[len] = '\0';
	memset(&st, 0, sizeof(st));
	n = wiper_devviews_parse(text, &v, err, sizeof(err));
	for (i = 0; i < n; i++) {
		struct wiper_disk d;

		if (wiper_disk_from_view(&v[i], true, &d) == 0) {
			char buf[512];

			wiper_exclude_apply(&st, &d);
			wiper_content_str(&d.content, buf, sizeof(buf));
			wiper_disk_done(&d);
		}
	}
	if (n > 0)
		wiper_devviews_free(v, (size_t)n);
	free(text);
	return 0;
}
