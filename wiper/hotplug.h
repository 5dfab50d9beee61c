/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Hotplug: media appearing and vanishing, from the udev monitor (or the
 * kernel's uevents when no udevd runs). Poll wiper_hotplug_fd() and call
 * wiper_hotplug_read() when it is readable.
 */
#ifndef WIPER_HOTPLUG_H
#define WIPER_HOTPLUG_H

#include <sys/types.h>

struct wiper_hotplug;

enum wiper_hotplug_action { WIPER_HP_ADD, WIPER_HP_REMOVE, WIPER_HP_CHANGE };

struct wiper_hotplug_event {
	enum wiper_hotplug_action action;
	char name[64];		/* sdb, loop3 */
	char node[128];
	dev_t devnum;
};

/* Start listening for whole-disk block events. Returns 0 or -errno. */
int wiper_hotplug_open(struct wiper_hotplug **out);
/* The file descriptor to poll for POLLIN. */
int wiper_hotplug_fd(const struct wiper_hotplug *hp);
/* "udev" or "kernel": where events come from. */
const char *wiper_hotplug_source(const struct wiper_hotplug *hp);
/*
 * Fetch the next whole-disk event. Returns 0 with @ev filled, -EAGAIN when
 * nothing (more) is pending, or -errno.
 */
int wiper_hotplug_read(struct wiper_hotplug *hp, struct wiper_hotplug_event *ev);
void wiper_hotplug_close(struct wiper_hotplug *hp);

#endif
