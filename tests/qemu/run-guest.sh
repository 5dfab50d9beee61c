#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# run-guest.sh [-w WORKDIR] [-o OUTDIR] [-t SECONDS] [-a APPEND] [-q] PROBE
#
# Boots the kernel + tools initramfs made by mk-initrd.sh under QEMU (TCG,
# never KVM) with one 64 MiB disk on each transport, runs PROBE inside the
# guest and exits with the probe's exit status.
#
#   PROBE   file name of a probe script in tests/qemu/probes/ (or an absolute
#           path to one; its directory is then shared instead). The probe
#           directory is shared read-only as 9p tag `in`, so editing a probe
#           needs no initramfs rebuild. "shell" gives an interactive shell.
#   -w DIR  work directory of mk-initrd.sh (default $TABULA_QEMU_WORK or
#           /var/tmp/tabula-qemu); built there first if missing
#   -o DIR  host directory shared read-write as 9p tag `out` (mounted at
#           /mnt/out in the guest; default WORKDIR/out/PROBE, emptied first)
#   -t SEC  wall-clock limit for QEMU (default 300)
#   -a STR  extra kernel command line
#   -q      don't copy the guest console to stdout (it is always in OUTDIR/console.log)
#
# Disks (image files in WORKDIR/disks, recreated empty on every run unless
# KEEP_DISKS=1; DISK_FILL=random fills new images with random data):
#   nvme.img  -device nvme           serial NVME-SER-0001
#   sata.img  ahci + ide-hd          serial SATA-SER-0001 model QEMU-SATA-TEST wwn 0x5000c500deadbeef rotation_rate=1
#   vblk.img  virtio-blk-pci         serial VBLK-SER-0001
#   usb.img   qemu-xhci + usb-storage serial USB-SER-0001 removable
#   scsi.img  virtio-scsi + scsi-hd  serial SCSI-SER-0001 vendor TESTVND product TestSCSIDisk wwn 0x5000c50012345678 rotation_rate=7200
# DISCARD=unmap passes discard=unmap on every -drive (default: QEMU's ignore).
# NVME_MULTI=1 adds a second NVMe controller (serial NVME-SER-0002) with two
# namespaces (nsa.img, nsb.img), for the sibling-namespace rules.
#
# Exit status: the probe's; 124 if QEMU hit the time limit; 125 if the guest
# ended without reporting a probe result; 2 on usage errors.

set -euo pipefail

die() { echo "run-guest: error: $*" >&2; exit 2; }
log() { echo "run-guest: $*" >&2; }

HERE=$(cd "$(dirname "$0")" && pwd)
WORK=${TABULA_QEMU_WORK:-/var/tmp/tabula-qemu}
OUT=
TMO=300
APPEND_EXTRA=
QUIET=0
while getopts "w:o:t:a:qh" opt; do
	case "$opt" in
	w) WORK=$OPTARG;;
	o) OUT=$OPTARG;;
	t) TMO=$OPTARG;;
	a) APPEND_EXTRA=$OPTARG;;
	q) QUIET=1;;
	h) sed -n '3,31p' "$0" | sed 's/^# \{0,1\}//'; exit 0;;
	*) die "see $0 -h";;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] || die "usage: $0 [-w WORKDIR] [-o OUTDIR] [-t SECONDS] [-a APPEND] [-q] PROBE"
PROBE=$1
case "$TMO" in ''|*[!0-9]*) die "-t wants whole seconds";; esac

command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 missing: run mk-initrd.sh first (it installs the host packages)"

T0=$(date +%s.%N)
since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}'; }

# kernel + initramfs (cached; fast when up to date)
"$HERE/mk-initrd.sh" "$WORK"
WORK=$(cd "$WORK" && pwd)
K=$WORK/vmlinuz
I=$WORK/initrd.img
T_BUILD=$(since "$T0")

# probe and the directory shared as `in`
if [ "$PROBE" = shell ]; then
	PDIR=$HERE/probes
	PNAME=
else
	case "$PROBE" in
	/*) PDIR=$(dirname "$PROBE"); PNAME=$(basename "$PROBE");;
	*) PDIR=$HERE/probes; PNAME=$PROBE;;
	esac
	[ -f "$PDIR/$PNAME" ] || die "no probe $PDIR/$PNAME"
fi

[ -n "$OUT" ] || OUT=$WORK/out/${PNAME:-shell}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
case "$OUT" in /|/work|/work/main|"$HOME") die "refusing to empty $OUT";; esac
find "$OUT" -mindepth 1 -delete
LOG=$OUT/console.log

# disk images: plain files under WORKDIR/disks, never host block devices
D=${DISKS:-$WORK/disks}	# DISKS=DIR: this run's own images (tests that may run side by side)
mkdir -p "$D"
IMGS="nvme sata vblk usb scsi"
[ "${NVME_MULTI:-0}" = 1 ] && IMGS="$IMGS nsa nsb"
for n in $IMGS; do
	img=$D/$n.img
	if [ "${KEEP_DISKS:-0}" = 1 ] && [ -f "$img" ]; then continue; fi
	rm -f "$img"
	if [ "${DISK_FILL:-zero}" = random ]; then
		head -c $((64 << 20)) /dev/urandom > "$img"
	else
		truncate -s 64M "$img"
	fi
done
DRV="if=none,format=raw,cache=unsafe${DISCARD:+,discard=$DISCARD}"

APPEND="console=ttyS0 panic=-1 loglevel=4"
[ -n "$PNAME" ] && APPEND="$APPEND probe=$PNAME"
[ -n "$APPEND_EXTRA" ] && APPEND="$APPEND $APPEND_EXTRA"

# shellcheck disable=SC2054 # the commas belong to QEMU option values
QEMU=(qemu-system-x86_64 -accel tcg -m 1024 -smp 2 -no-reboot
	-kernel "$K" -initrd "$I" -append "$APPEND"
	-drive "file=$D/nvme.img,id=nv0,$DRV" -device nvme,id=nvme0,serial=NVME-SER-0001,drive=nv0
	-device ahci,id=ahci0 -drive "file=$D/sata.img,id=sata0,$DRV"
	-device ide-hd,drive=sata0,bus=ahci0.0,serial=SATA-SER-0001,model=QEMU-SATA-TEST,wwn=0x5000c500deadbeef,rotation_rate=1
	-drive "file=$D/vblk.img,id=vb0,$DRV" -device virtio-blk-pci,drive=vb0,serial=VBLK-SER-0001
	-device qemu-xhci,id=xhci -drive "file=$D/usb.img,id=us0,$DRV"
	-device usb-storage,id=usbstick,bus=xhci.0,drive=us0,serial=USB-SER-0001,removable=on
	-device virtio-scsi-pci,id=vs0 -drive "file=$D/scsi.img,id=sc0,$DRV"
	-device scsi-hd,bus=vs0.0,drive=sc0,serial=SCSI-SER-0001,vendor=TESTVND,product=TestSCSIDisk,wwn=0x5000c50012345678,rotation_rate=7200
	-virtfs "local,path=$OUT,mount_tag=out,security_model=none,id=out"
	-virtfs "local,path=$PDIR,mount_tag=in,security_model=none,id=in,readonly=on")

if [ "${NVME_MULTI:-0}" = 1 ]; then
	QEMU+=(-device nvme,id=nvme1,serial=NVME-SER-0002
		-drive "file=$D/nsa.img,id=nsa,$DRV" -device nvme-ns,drive=nsa,bus=nvme1,nsid=1
		-drive "file=$D/nsb.img,id=nsb,$DRV" -device nvme-ns,drive=nsb,bus=nvme1,nsid=2)
fi

log "kernel $(cat "$WORK/kernel.version"), probe ${PNAME:-<shell>}, out $OUT, limit ${TMO}s"
T1=$(date +%s.%N)
set +e
if [ -z "$PNAME" ]; then
	timeout --foreground -k 5 "$TMO" "${QEMU[@]}" -nographic
	rc=$?
else
	# MONITOR=PATH: a human monitor on a unix socket, for tests that unplug devices.
	MON=(-monitor none)
	[ -n "${MONITOR:-}" ] && MON=(-monitor "unix:$MONITOR,server=on,wait=off")
	if [ "$QUIET" = 1 ]; then
		timeout -k 5 "$TMO" "${QEMU[@]}" -display none "${MON[@]}" -serial stdio </dev/null >"$LOG" 2>&1
		rc=$?
	else
		timeout -k 5 "$TMO" "${QEMU[@]}" -display none "${MON[@]}" -serial stdio </dev/null 2>&1 | tee "$LOG"
		rc=${PIPESTATUS[0]}
	fi
fi
set -e
T_QEMU=$(since "$T1")
[ -z "$PNAME" ] && exit "$rc"

# guest-side milestones from the console
up() { v=$(sed -n "s/^.*$1.*uptime=\([0-9.]*\).*$/\1/p" "$LOG" | tr -d '\r' | head -n1); echo "${v:--}"; }
log "timings: initramfs build/check ${T_BUILD}s, QEMU wall ${T_QEMU}s;" \
	"guest uptime: userspace $(up INITRD-UP)s, drivers+udev settled $(up MODULES-LOADED)s," \
	"probe start $(up PROBE-START)s, probe end $(up PROBE-END)s; total $(since "$T0")s"

if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
	log "QEMU hit the ${TMO}s limit (console: $LOG)"
	exit 124
fi
prc=
if [ -s "$OUT/probe.rc" ]; then
	prc=$(tr -dc '0-9' < "$OUT/probe.rc")
else
	prc=$(sed -n 's/^PROBE-RC=\([0-9]*\).*$/\1/p' "$LOG" | tr -d '\r' | tail -n1)
fi
if [ -z "$prc" ]; then
	log "guest ended (QEMU rc $rc) without a probe result (console: $LOG)"
	exit 125
fi
log "probe $PNAME exited $prc"
exit "$prc"
