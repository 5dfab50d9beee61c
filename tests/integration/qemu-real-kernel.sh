#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Real kernel, real commands: runs tests/qemu/test-wiper-guest.sh (a QEMU TCG
# guest with emulated NVMe, AHCI and USB disks) with this build's wiper.
set -u
top=${top_srcdir:-.}
W=${WIPER:-./wiper/wiper}
if ldd "$W" 2>/dev/null | grep -q libasan; then
	echo "SKIP: sanitizer build; the guest test runs in the plain build"
	exit 77
fi
[ "${TABULA_SKIP_QEMU:-0}" = 1 ] && { echo "SKIP: TABULA_SKIP_QEMU=1"; exit 77; }
exec timeout 900 bash "$top/tests/qemu/test-wiper-guest.sh" "$W"
