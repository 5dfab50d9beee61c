#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Power loss under a real kernel: the guest erases its USB stick with the
# ledger on an ext4 records disk; mid-pass the host kills QEMU (the guest's
# page cache is lost, as in a power cut). The next boot starts wiper again
# on the same records disk: the interrupted job must be certified INCOMPLETE,
# the new job PASSED, and the ledger must verify on the host.
# Usage: test-powerloss-guest.sh [WIPER [CERTS]]; exit 77 (SKIP) without QEMU.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
WIPER=${1:-${WIPER:-$HERE/../../build-werror/wiper/wiper}}
CERTS=${2:-${CERTS:-$(dirname "$WIPER")/../certs/certs}}
WORK=${TABULA_QEMU_WORK:-/var/tmp/tabula-qemu}

. "$HERE/guest-lib.sh"
[ -x "$CERTS" ] || { echo "SKIP: certs not built"; exit 77; }
guest_require
P=$(mktemp -d /tmp/tabula-power-XXXXXX)
export DISKS=$P/disks	# this test's own images, kept from the first boot to the second
OUT1=$(mktemp -d /tmp/tabula-power-out1-XXXXXX)
OUT2=$(mktemp -d /tmp/tabula-power-out2-XXXXXX)
trap '[ -n "${qp:-}" ] && kill -KILL "$qp" 2>/dev/null; rm -rf "$P"; [ -n "${KEEP_OUT:-}" ] || rm -rf "$OUT1" "$OUT2"' EXIT
guest_probe_dir "$P" powerloss-1.sh powerloss-2.sh

t0=$(date +%s)
DISK_FILL=random bash "$HERE/run-guest.sh" -q -w "$WORK" -o "$OUT1" -t 600 "$P/powerloss-1.sh" &
rg=$!
cut=
while kill -0 "$rg" 2>/dev/null; do
	if [ -e "$OUT1/pull-the-plug" ] && [ -z "$cut" ]; then
		# The QEMU process whose 9p share is this run's out directory.
		qp=$(pgrep -f "^qemu-system-x86_64 .*path=$OUT1," | head -1)
		[ -n "$qp" ] && kill -KILL "$qp" && cut=$(( $(date +%s) - t0 ))
		echo "host: power cut (SIGKILL QEMU $qp) at ${cut:-?} s"
	fi
	sleep 0.2
done
wait "$rg"
check "the power was cut mid-erase" test -n "$cut"
check "the first boot left no result (killed mid-pass)" \
	bash -c "! grep -q '\"event\":\"result\"' '$OUT1/erase.json'"
usb_serial=USB-SER-0001

KEEP_DISKS=1 bash "$HERE/run-guest.sh" -q -w "$WORK" -o "$OUT2" -t 600 "$P/powerloss-2.sh"
check "second boot ran (rc $?)" test -s "$OUT2/ledger.db"
cat "$OUT2/erase2.err" 2>/dev/null
check "the restart reported the interrupted job" grep -q "INCOMPLETE, the job on $usb_serial" "$OUT2/erase2.err"
"$CERTS" list "$OUT2/ledger.db" --json >"$P/list.json" 2>&1
check "two certificates" test "$(jq 'length' "$P/list.json")" = 2
check "1: the USB stick, INCOMPLETE" test "$(jq -r '.[0].serial + " " + .[0].result' "$P/list.json")" = "$usb_serial INCOMPLETE"
check "2: the NVMe disk, PASSED" test "$(jq -r '.[1].serial + " " + .[1].result' "$P/list.json")" = "NVME-SER-0001 PASSED"
check "the ledger verifies" "$CERTS" verify "$OUT2/ledger.db"
echo "$fails failure(s); $(( $(date +%s) - t0 )) s"
[ $fails = 0 ]
