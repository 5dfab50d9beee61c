/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The hotplug monitor sees a loop device this test attaches. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "tests/lib/safeloop.h"
#include "wiper/hotplug.h"

static void test_loop_attach_seen(void **state)
{
	struct wiper_hotplug *hp = NULL;
	struct safeloop l;
	const char *why = NULL;
	bool seen = false;
	time_t end;
	int rc;

	(void)state;
	if (!safeloop_available(&why)) {
		print_message("SKIP: %s\n", why);
		skip();
	}
	rc = wiper_hotplug_open(&hp);
	if (rc < 0) {
		print_message("SKIP: no uevent netlink socket here: %s\n", strerror(-rc));
		skip();
	}
	assert_int_equal(safeloop_create(&l, 1 << 20, 512), 0);
	end = time(NULL) + 10;
	while (!seen && time(NULL) < end) {
		struct pollfd p = { .fd = wiper_hotplug_fd(hp), .events = POLLIN };
		struct wiper_hotplug_event ev;

		if (poll(&p, 1, 500) <= 0)
			continue;
		while (wiper_hotplug_read(hp, &ev) == 0)
			if (strcmp(ev.node, l.dev) == 0)
				seen = true;
	}
	safeloop_destroy(&l);
	wiper_hotplug_close(hp);
	assert_true(seen);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loop_attach_seen),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
