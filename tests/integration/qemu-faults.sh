#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The QEMU part of the fault matrix under a real kernel: dm error/flakey/delay
# and USB/NVMe hot-unplug mid-erase (tests/qemu/test-faults-guest.sh), then a
# power cut mid-erase and the restart (tests/qemu/test-powerloss-guest.sh).
set -u
top=${top_srcdir:-.}
W=${WIPER:-./wiper/wiper}
C=${CERTS:-$(dirname "$W")/../certs/certs}
if ldd "$W" 2>/dev/null | grep -q libasan; then
	echo "SKIP: sanitizer build; the guest test runs in the plain build"
	exit 77
fi
[ "${TABULA_SKIP_QEMU:-0}" = 1 ] && { echo "SKIP: TABULA_SKIP_QEMU=1"; exit 77; }
timeout 900 bash "$top/tests/qemu/test-faults-guest.sh" "$W" "$C"
rc=$?
[ $rc = 77 ] && exit 77
timeout 900 bash "$top/tests/qemu/test-powerloss-guest.sh" "$W" "$C" || rc=1
exit $rc
