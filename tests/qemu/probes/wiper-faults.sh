#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# wiper-faults.sh: guest probe for the fault matrix. The real wiper meets the
# kernel's device-mapper error, flakey and delay targets (under a loop device
# with direct I/O, since wiper erases whole disks and loop devices, never
# dm nodes), and a USB stick and an NVMe disk that the host unplugs through
# QEMU's monitor in the middle of an erase. The ledger lives in the guest's
# RAM and is copied to /mnt/out at the end for the host to verify.
set -u
IN=/mnt/in
OUT=/mnt/out
export LD_LIBRARY_PATH=$IN/lib
W="$IN/wiper"
L=/tmp/ledger.db
LS=/usr/sbin/losetup
by_serial() { lsblk -dnpo NAME,SERIAL | awk -v s="$1" '$2 == s {print $1}'; }
VBLK=$(by_serial VBLK-SER-0001)
NVME=$(by_serial NVME-SER-0001)
USB=$(by_serial USB-SER-0001)
echo "vblk=$VBLK nvme=$NVME usb=$USB" | tee "$OUT/devices.txt"
[ -n "$VBLK" ] && [ -n "$NVME" ] && [ -n "$USB" ] || exit 3
SECT=$(cat "/sys/block/${VBLK#/dev/}/size")

erase() { # erase NAME DEV ARGS...: one erase with a certificate, answers in /mnt/out
	n=$1 d=$2
	shift 2
	"$W" erase --yes --json --ledger "$L" --operator "Ann Example, Technician" \
		--witness "Row $n" "$@" "$d" >"$OUT/$n.json" 2>"$OUT/$n.err"
	echo $? >"$OUT/$n.rc"
	echo "$n: wiper erase $* $d -> $(cat "$OUT/$n.rc")"
}
dm_row() { # dm_row NAME TABLE ARGS...: erase a loop device over a dm device with TABLE
	n=$1 t=$2
	shift 2
	printf '%b\n' "$t" | dmsetup create "tab-$n" || { echo 97 >"$OUT/$n.rc"; return; }
	lo=$($LS -f --show --direct-io=on "/dev/mapper/tab-$n")
	erase "$n" "$lo" "$@"
	$LS -d "$lo"
	# Detaching is asynchronous: let the loop device go before the dm device and the next row.
	i=0
	while [ -e "/sys/block/${lo#/dev/}/loop" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	dmsetup remove --retry "tab-$n" || echo "$n: dmsetup remove failed"
}

# 1 MiB that answers every I/O with an error, 8 MiB in.
dm_row dm-error "0 16384 linear $VBLK 0\n16384 2048 error\n18432 $((SECT - 18432)) linear $VBLK 18432" \
	--method zero --verify last
# Writes acknowledged and dropped (always in the 'down' state, drop_writes).
dm_row dm-drop "0 $SECT flakey $VBLK 0 0 1 1 drop_writes" --method zero --verify last
# Up one second, then every I/O fails for a second, and so on.
# Several passes, so the job always spans a down second however fast the guest runs.
dm_row dm-flakey "0 $SECT flakey $VBLK 0 1 1" --method random --rounds 6 --verify all
# Every I/O delayed 20 ms: slow, but whole.
dm_row dm-delay "0 $SECT delay $VBLK 0 20" --method zero --verify last

# Unplugs: start the erase, tell the host when it is under way, wait for the end.
unplug_row() { # unplug_row NAME DEV QEMU-ID ARGS...
	n=$1 d=$2 id=$3
	shift 3
	erase "$n" "$d" "$@" &
	pid=$!
	i=0
	while [ $i -lt 600 ] && ! grep -q '"event":"progress"' "$OUT/$n.json" 2>/dev/null; do
		sleep 0.1
		i=$((i + 1))
	done
	: >"$OUT/unplug-$id"
	wait $pid
}
unplug_row usb-unplug "$USB" usbstick --method gutmann --verify last
unplug_row nvme-unplug "$NVME" nvme0 --method gutmann --verify last

"$W" list --json >"$OUT/list-after.json" 2>&1
cp "$L" "$L.key" "$OUT/" 2>/dev/null
ls /tmp/*.pdf >/dev/null 2>&1 && cp /tmp/*.pdf "$OUT/"
exit 0
