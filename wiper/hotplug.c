/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "wiper/hotplug.h"

#include <errno.h>
#include <libudev.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct wiper_hotplug {
	struct udev *udev;
	struct udev_monitor *mon;
	const char *source;
};

int wiper_hotplug_open(struct wiper_hotplug **out)
{
	struct wiper_hotplug *hp;
	int rc = -ENOMEM;

	*out = NULL;
	hp = calloc(1, sizeof(*hp));
	if (hp == NULL)
		return -ENOMEM;
	hp->udev = udev_new();
	if (hp->udev == NULL)
		goto fail;
	/*
	 * Events from udevd carry the properties udev worked out; without a
	 * running udevd (a minimal system) the kernel's own uevents still tell
	 * us what appeared and vanished.
	 */
	hp->source = access("/run/udev/control", F_OK) == 0 ? "udev" : "kernel";
	hp->mon = udev_monitor_new_from_netlink(hp->udev, hp->source);
	if (hp->mon == NULL) {
		rc = errno ? -errno : -EIO;
		goto fail;
	}
	if (udev_monitor_filter_add_match_subsystem_devtype(hp->mon, "block", "disk") < 0 ||
	    udev_monitor_enable_receiving(hp->mon) < 0) {
		rc = errno ? -errno : -EIO;
		goto fail;
	}
	*out = hp;
	return 0;
fail:
	wiper_hotplug_close(hp);
	return rc;
}

int wiper_hotplug_fd(const struct wiper_hotplug *hp)
{
	return udev_monitor_get_fd(hp->mon);
}

const char *wiper_hotplug_source(const struct wiper_hotplug *hp)
{
	return hp->source;
}

int wiper_hotplug_read(struct wiper_hotplug *hp, struct wiper_hotplug_event *ev)
{
	for (;;) {
		struct udev_device *ud = udev_monitor_receive_device(hp->mon);
		const char *action, *node, *devtype;

		if (ud == NULL)
			return -EAGAIN;
		action = udev_device_get_action(ud);
		devtype = udev_device_get_devtype(ud);
		/* The kernel source is not filtered by devtype in the socket filter. */
		if (action == NULL || devtype == NULL || strcmp(devtype, "disk") != 0) {
			udev_device_unref(ud);
			continue;
		}
		memset(ev, 0, sizeof(*ev));
		if (strcmp(action, "add") == 0)
			ev->action = WIPER_HP_ADD;
		else if (strcmp(action, "remove") == 0)
			ev->action = WIPER_HP_REMOVE;
		else
			ev->action = WIPER_HP_CHANGE;
		snprintf(ev->name, sizeof(ev->name), "%s", udev_device_get_sysname(ud));
		node = udev_device_get_devnode(ud);
		if (node)
			snprintf(ev->node, sizeof(ev->node), "%s", node);
		else
			snprintf(ev->node, sizeof(ev->node), "/dev/%s", ev->name);
		ev->devnum = udev_device_get_devnum(ud);
		udev_device_unref(ud);
		return 0;
	}
}

void wiper_hotplug_close(struct wiper_hotplug *hp)
{
	if (hp == NULL)
		return;
	if (hp->mon)
		udev_monitor_unref(hp->mon);
	if (hp->udev)
		udev_unref(hp->udev);
	free(hp);
}
