#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# wiper-real.sh: guest probe. Runs the real wiper binary (shared with its
# libraries in the `in` directory) against the kernel's drivers for QEMU's
# NVMe, AHCI and USB disks, and saves every answer in /mnt/out for the host.
set -u
. "$(dirname "$0")/probe-lib.sh"
W="$IN/wiper"
run() { # run NAME ARGS...: stdout to NAME.json, stderr to NAME.err, exit code to NAME.rc
	n=$1; shift
	"$W" "$@" >"$OUT/$n.json" 2>"$OUT/$n.err"
	echo $? >"$OUT/$n.rc"
	echo "wiper $* -> $(cat "$OUT/$n.rc")"
}
NVME=$(by_serial NVME-SER-0001)
SATA=$(by_serial SATA-SER-0001)
USB=$(by_serial USB-SER-0001)
echo "nvme=$NVME sata=$SATA usb=$USB" | tee "$OUT/devices.txt"
[ -n "$NVME" ] && [ -n "$SATA" ] && [ -n "$USB" ] || exit 3

run list list --json
run nvme-info info --json "$NVME"
run sata-info info --json "$SATA"
run usb-info info --json "$USB"
# No Purge technique on QEMU's NVMe: purge must refuse.
run nvme-purge erase --yes --json --method purge "$NVME"
# A Sanitize sent anyway is answered Invalid Opcode and reported cleanly.
run nvme-sanitize erase --yes --json --method nvme-sanitize-block --try-unsupported "$NVME"
# Crypto format is not offered (FNA bit 2 clear), whatever QEMU would accept.
run nvme-format-crypto erase --yes --json --method nvme-format-crypto "$NVME"
# Format NVM with SES=1 (Clear) runs against the real driver and is verified.
run nvme-format erase --yes --json --method nvme-format-user-data "$NVME"
# The AHCI disk has no security feature set: security erase is refused.
run sata-secerase erase --yes --json --method ata-security-erase "$SATA"
run sata-purge erase --yes --json --method purge "$SATA"
# A subsystem-wide sanitize reaches every namespace: with the second one in
# use as swap it is refused before anything is sent; free, it is sent (and
# QEMU answers Invalid Opcode).
C2=
for c in /sys/class/nvme/nvme*; do
	[ "$(tr -d ' ' <"$c/serial" 2>/dev/null)" = NVME-SER-0002 ] && C2=${c##*/}
done
if [ -n "$C2" ] && [ -b "/dev/${C2}n1" ] && [ -b "/dev/${C2}n2" ]; then
	echo "second controller $C2: /dev/${C2}n1 /dev/${C2}n2" | tee -a "$OUT/devices.txt"
	echo "/dev/${C2}n2" >"$OUT/ns-sibling.name"
	mkswap "/dev/${C2}n2" >/dev/null && swapon "/dev/${C2}n2"
	run ns-sibling-swap erase --yes --json --method nvme-sanitize-block --try-unsupported "/dev/${C2}n1"
	swapoff "/dev/${C2}n2"
	run ns-sibling-free erase --yes --json --method nvme-sanitize-block --try-unsupported "/dev/${C2}n1"
fi
# Clear by overwrite works on every bus.
run usb-clear erase --yes --json --method clear "$USB"
sync
exit 0
