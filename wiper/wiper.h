/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libwiper's public interface, for the front ends (wiper CLI, station UI). */
#ifndef WIPER_WIPER_H
#define WIPER_WIPER_H

#include "wiper/caps.h"
#include "wiper/content.h"
#include "wiper/dev.h"
#include "wiper/disk.h"
#include "wiper/enum.h"
#include "wiper/exclude.h"
#include "wiper/hotplug.h"
#include "wiper/identity.h"
#include "wiper/status.h"

#endif
