#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Boot benchmark (not part of make check): the live image's kernel and
# initramfs under QEMU TCG (never KVM) up to the station, against the same
# kernel under the same QEMU with a trivial initramfs that powers off at once
# (tests/e2e/bare-init.c). TCG's speed differs between machines by 2x and
# with the load; the ratio of the two boots, run in turn, is the figure
# (target: <= 1.5x). "Station up" is when the image's tabula-boot-times
# (kernel option tabula.boottimes) reports the station started; it also
# gives the milestones (kernel clock): initramfs /init, live medium, real root.
#
# Usage: tests/bench/boot.sh [-i ISO] [-w WORKDIR] [RUNS]   (root; default 3 runs)
# BOOT_APPEND (default "quiet") is added to the image's kernel command line and
# BOOT_QEMU (words) to QEMU's options, to measure what one option changes; each
# run's console is kept as WORKDIR/console-N.log.
# The boot medium is a USB stick (a copy of the ISO), with an NVMe, a SATA
# and a records disk (virtio) beside it, as in tests/e2e/e2e-interactive.sh.
set -euo pipefail
E2E_NAME=boot-bench
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
# shellcheck source=tests/e2e/e2e-lib.sh
. "$TOP/tests/e2e/e2e-lib.sh"
ISO=$TOP/build-werror/tabula.iso
E2E_WORK=/var/tmp/tabula-boot-bench
while getopts "i:w:h" opt; do
	case "$opt" in
	i) ISO=$OPTARG;;
	w) E2E_WORK=$OPTARG;;
	h) sed -n '3,/^$/p' "$0" | sed 's/^# \{0,1\}//'; exit 0;;
	*) exit 2;;
	esac
done
shift $((OPTIND - 1))
RUNS=${1:-3}
[ "$(id -u)" -eq 0 ] || { echo "run as root" >&2; exit 2; }
[ -f "$ISO" ] || { echo "no image $ISO (iso-build/build-iso.sh)" >&2; exit 2; }
e2e_need_qemu
e2e_fresh_workdir
trap e2e_cleanup_qemu EXIT
e2e_target_media $((16 << 20))
truncate -s 16M "$E2E_WORK/records.img"
mkfs.ext4 -q -F -L TABULA-RECORDS "$E2E_WORK/records.img"
DRV="if=none,format=raw,cache=unsafe,snapshot=on"
# shellcheck disable=SC2054 # commas belong to QEMU option values
ARGS=(-m 2048 -smp 2 -no-reboot -display none -nodefaults -vga std
	-kernel "$E2E_WORK/vmlinuz" -initrd "$E2E_WORK/initrd.img"
	-append "${BOOT_APPEND-quiet} tabula.boottimes console=ttyS1,115200 tabula.serial"
	-serial null -serial "file:$E2E_WORK/console.log"
	-drive "file=$E2E_WORK/nvme.img,id=nv0,$DRV" -device nvme,serial=E2E-NVME-0001,drive=nv0
	-device ahci,id=ahci0 -drive "file=$E2E_WORK/sata.img,id=sata0,$DRV"
	-device ide-hd,drive=sata0,bus=ahci0.0,serial=E2E-SATA-0001,model=E2E-SATA-DISK
	-device qemu-xhci,id=xhci
	-drive "file=$E2E_WORK/records.img,id=rec0,$DRV" -device virtio-blk-pci,drive=rec0,serial=E2E-REC-0001
	-drive "file=$E2E_WORK/boot-stick.img,id=boot0,$DRV"
	-device usb-storage,bus=xhci.0,drive=boot0,serial=E2E-BOOT-0001,removable=on)
# shellcheck disable=SC2206 # words on purpose
ARGS+=(${BOOT_QEMU-})
median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
echo "load: $(uptime)"
echo "image $ISO ($(stat -c %s "$ISO") bytes; initrd $(stat -c %s "$E2E_WORK/initrd.img") bytes), $RUNS runs, each a bare boot then the image"
ups=() bares=() ratios=()
for i in $(seq "$RUNS"); do
	e2e_bare_boot "${ARGS[@]}"
	rm -f "$E2E_WORK/console.log"
	t0=$(e2e_now)
	e2e_qemu_start 600 "${ARGS[@]}"
	up=-
	if e2e_wait_for "$E2E_WORK/console.log" 'TABULA-BOOT-TIMES' 600; then
		up=$(e2e_since "$t0")
		# the slowest units follow (a second or more under TCG)
		e2e_wait_for "$E2E_WORK/console.log" "${BOOT_WAIT_FOR:-TABULA-BOOT-END}" 150 || true
	fi
	kill "$QEMU_PID" 2>/dev/null || true
	wait "$QEMU_PID" 2>/dev/null || true
	QEMU_PID=
	echo "-- run $i"
	e2e_boot_report "$up" | sed 's/^/   /'
	cp "$E2E_WORK/console.log" "$E2E_WORK/console-$i.log"
	[ "$up" = - ] || [ "$T_BARE" = - ] || {
		ups+=("$up"); bares+=("$T_BARE")
		ratios+=("$(awk -v a="$up" -v b="$T_BARE" 'BEGIN { printf "%.3f", a / b }')")
	}
done
[ "${#ups[@]}" -gt 0 ] || { echo "no run reached the station"; exit 1; }
printf 'medians of %d: image to station %s s, bare boot %s s, ratio %sx (target <= 1.5x)\n' "${#ups[@]}" \
	"$(printf '%s\n' "${ups[@]}" | median)" "$(printf '%s\n' "${bares[@]}" | median)" \
	"$(printf '%s\n' "${ratios[@]}" | median)"
echo "load: $(uptime)"
