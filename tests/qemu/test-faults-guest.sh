#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The QEMU part of the fault matrix: device-mapper error, flakey and delay
# targets and two hot-unplugs (USB stick, NVMe disk, through QEMU's monitor)
# meet the real wiper under a real kernel. Prints a table fault -> expected
# -> actual (JSON result and the ledger record); no row may be PASSED where
# the medium was not fully erased. Usage: test-faults-guest.sh [WIPER [CERTS]].
# Exit 77 (SKIP) when QEMU or the guest kernel cannot be had here.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
WIPER=${1:-${WIPER:-$HERE/../../build-werror/wiper/wiper}}
CERTS=${2:-${CERTS:-$(dirname "$WIPER")/../certs/certs}}
WORK=${TABULA_QEMU_WORK:-/var/tmp/tabula-qemu}

. "$HERE/guest-lib.sh"
[ -x "$CERTS" ] || { echo "SKIP: certs not built"; exit 77; }
command -v python3 >/dev/null || { echo "SKIP: python3 (monitor client) not installed"; exit 77; }
guest_require

P=$(mktemp -d /tmp/tabula-faults-XXXXXX)
OUT=$(mktemp -d /tmp/tabula-faults-out-XXXXXX)
MON=$P/monitor.sock
export DISKS=$P/disks	# this test's own images
cleanup() { [ -n "${qpid:-}" ] && kill "$qpid" 2>/dev/null; rm -rf "$P"; [ -n "${KEEP_OUT:-}" ] || rm -rf "$OUT"; }
trap cleanup EXIT
guest_probe_dir "$P" wiper-faults.sh

monitor() { # monitor COMMAND: one line to QEMU's human monitor
	python3 - "$MON" "$1" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall((sys.argv[2] + "\n").encode())
time.sleep(0.5)
s.close()
PY
}

t0=$(date +%s)
MONITOR=$MON DISK_FILL=random bash "$HERE/run-guest.sh" -q -w "$WORK" -o "$OUT" -t 900 "$P/wiper-faults.sh" &
qpid=$!
declare -A unplugged=()
while kill -0 "$qpid" 2>/dev/null; do
	for id in usbstick nvme0; do
		if [ -e "$OUT/unplug-$id" ] && [ -z "${unplugged[$id]:-}" ]; then
			monitor "device_del $id" && unplugged[$id]=$(( $(date +%s) - t0 ))
			echo "host: device_del $id at ${unplugged[$id]} s"
		fi
	done
	sleep 0.2
done
wait "$qpid"
grc=$?
qpid=

r() { jq -r "select(.event == \"result\") | $2" "$OUT/$1.json" 2>/dev/null | head -1; }
ledger_result() { # the ledger's result for the certificate whose witness is "Row NAME"
	"$CERTS" list "$OUT/ledger.db" --json 2>/dev/null |
		jq -r --arg w "Row $1" '[.[] | select(.witness == $w)][0].result // "none"' 2>/dev/null
}
printf '%-34s %-28s %-11s %-5s %-11s %-11s %s\n' FAULT STAGE EXPECTED EXIT JSON LEDGER VERDICT
row() { # row NAME FAULT STAGE EXPECTED...(any of)
	local n=$1 fault=$2 stage=$3 verdict=PASS got led ex
	shift 3
	got=$(r "$n" .result); got=${got:-none}
	led=$(ledger_result "$n"); led=${led:-none}
	ex=$(cat "$OUT/$n.rc" 2>/dev/null || echo -)
	# Expected is a set: what the row must read. PASSED only ever where listed.
	case " $* " in *" $got "*) ;; *) verdict=FAIL ;; esac
	[ "$led" = "$got" ] || verdict=FAIL
	printf '%-34s %-28s %-11s %-5s %-11s %-11s %s\n' "$fault" "$stage" "$(IFS=/; echo "$*")" "$ex" "$got" "$led" "$verdict"
	if [ $verdict != PASS ]; then
		fails=$((fails + 1))
		head -3 "$OUT/$n.err" 2>/dev/null | sed 's/^/    wiper: /'
	fi
}
row dm-error    "dm error target (1 MiB)"      "pass 1 write, verification" FAILED
row dm-drop     "dm flakey drop_writes"        "pass 1 write"               FAILED
row dm-flakey   "dm flakey 1 s up / 1 s down"  "every pass"                 FAILED INCOMPLETE
row dm-delay    "dm delay 20 ms per I/O"       "every request"              PASSED
row usb-unplug  "USB stick unplugged"          "mid-erase (device_del)"     INCOMPLETE
row nvme-unplug "NVMe disk unplugged"          "mid-erase (device_del)"     INCOMPLETE
echo
for n in dm-error usb-unplug nvme-unplug; do echo "$n: $(r "$n" .reason)"; done
echo "guest probe rc $grc; unplugged: usbstick at ${unplugged[usbstick]:-never} s, nvme0 at ${unplugged[nvme0]:-never} s; $(( $(date +%s) - t0 )) s"
[ "$grc" = 0 ] || { echo "not ok: guest probe failed (rc $grc)"; fails=$((fails + 1)); }
if "$CERTS" verify "$OUT/ledger.db" >"$P/verify.out" 2>&1; then
	echo "ledger: $(cat "$P/verify.out")"
else
	echo "not ok: the guest's ledger does not verify: $(cat "$P/verify.out")"; fails=$((fails + 1))
fi
[ -n "${unplugged[usbstick]:-}" ] && [ -n "${unplugged[nvme0]:-}" ] ||
	{ echo "not ok: an unplug was never sent"; fails=$((fails + 1)); }
echo "$fails failure(s)"
[ $fails = 0 ]
