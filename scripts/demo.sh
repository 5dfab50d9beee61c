#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Tabula on demo media: installs what is missing, builds, creates three sparse
# loop devices of different sizes and sector sizes (one carries a small NTFS-
# like "Windows" partition, one is mounted so it shows as excluded), lists
# them, erases one with verification, and removes everything on exit.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
[ "$(id -u)" = 0 ] || { echo "demo: run as root (it creates loop devices)" >&2; exit 2; }

bash "$top/scripts/deps.sh"
bash "$top/scripts/build.sh" "$top/build-werror" --enable-werror
WIPER=$top/build-werror/wiper/wiper

demo=$(mktemp -d /tmp/tabula-demo-XXXXXX)
loops=()
cleanup() {
	umount "$demo/mnt" 2>/dev/null || true
	for l in "${loops[@]}"; do losetup -d "$l" 2>/dev/null || true; done
	rm -rf "$demo"
	echo "demo: loop devices and files removed"
}
trap cleanup EXIT INT TERM

# Media: 1 GiB laptop disk (512-byte sectors) with a GPT and a "Windows" FAT
# partition, 256 MiB 4Kn disk, 64 MiB stick that is mounted.
truncate -s 1G "$demo/laptop-disk.img"
printf 'label: gpt\nstart=2048, size=1048576, type=EBD0A0A2-B9E5-4433-87C0-68B6B72699C7, name="Basic data"\n' |
	sfdisk -q "$demo/laptop-disk.img"
mkfs.vfat -F 32 -n Windows --offset 2048 "$demo/laptop-disk.img" 524288 >/dev/null
truncate -s 256M "$demo/4kn-disk.img"
truncate -s 64M "$demo/usb-stick.img"
mkfs.vfat -n STICK "$demo/usb-stick.img" >/dev/null

a=$(losetup -f --show -b 512 "$demo/laptop-disk.img"); loops+=("$a")
b=$(losetup -f --show -b 4096 "$demo/4kn-disk.img"); loops+=("$b")
c=$(losetup -f --show -b 512 "$demo/usb-stick.img"); loops+=("$c")
mkdir -p "$demo/mnt"
mount -o ro "$c" "$demo/mnt"

echo
echo "== The station sees these demo media (wiper list):"
"$WIPER" list "$a" "$b" "$c"
echo
echo "== Everything known about $a (wiper info):"
"$WIPER" info "$a" | head -20
echo
echo "== Erasing $a: DoD 5220.22-M, 3 passes, verify last (--yes: the demo confirms for you)"
"$WIPER" erase --method dod522022m --verify last --yes "$a"
echo
echo "== Trying to erase the mounted stick $c is refused:"
"$WIPER" erase --yes "$c" || true
echo
echo "== After the erase:"
"$WIPER" list "$a" "$b" "$c"
if [ -t 0 ]; then
	echo
	read -r -p "Press Enter to remove the demo media..." _
fi
