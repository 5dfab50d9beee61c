#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Tabula on demo media: installs what is missing, builds, creates three sparse
# loop devices of different sizes and sector sizes (one carries a GPT with a
# FAT partition labelled "Windows", one is mounted so it shows as excluded),
# then starts the station (tabula) on them when run on a terminal; without a
# terminal it shows `wiper list`, erases one with verification and issues its
# certificate. The demo media are removed on exit; the ledger and the
# certificate PDFs are kept (in /var/tmp/tabula-demo unless --records DIR) so
# they can be opened and checked afterwards, unless --clean.
#   bash scripts/demo.sh [--records DIR] [--clean]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
records=/var/tmp/tabula-demo
clean=0
while [ $# -gt 0 ]; do
	case $1 in
	--records) [ $# -ge 2 ] || { echo "demo: --records needs a directory" >&2; exit 2; }
		records=$2; shift ;;
	--clean) clean=1 ;;
	-h|--help) sed -n '3,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "demo: unknown option '$1' (try 'scripts/demo.sh --help')" >&2; exit 2 ;;
	esac
	shift
done
records=$(realpath -m "$records")
[ "$(id -u)" = 0 ] || { echo "demo: run as root (it creates loop devices)" >&2; exit 2; }

bash "$top/scripts/deps.sh"
bash "$top/scripts/build.sh" "$top/build-werror" --enable-werror
WIPER=$top/build-werror/wiper/wiper
TABULA=$top/build-werror/ui-ncurses/tabula
CERTS=$top/build-werror/certs/certs

demo=$(mktemp -d /tmp/tabula-demo-XXXXXX)
loops=()
cleanup() {
	umount "$demo/mnt" 2>/dev/null || true
	for l in "${loops[@]}"; do losetup -d "$l" 2>/dev/null || true; done
	rm -rf "$demo"
	echo "demo: the demo media (loop devices and their files) are removed"
	if [ "$clean" = 1 ]; then
		rm -rf "$records"
		echo "demo: --clean: the ledger and certificates in $records are removed"
	elif [ -f "$records/ledger.db" ]; then
		echo "demo: the ledger and certificates are kept in $records:"
		echo "        $CERTS verify $records/ledger.db"
		echo "        $CERTS list $records/ledger.db"
		echo "        ls $records/*.pdf"
		echo "      (remove them with: rm -r $records, or run the demo with --clean)"
	fi
}
trap cleanup EXIT INT TERM

# Media: 1 GiB laptop disk (512-byte sectors) with a GPT and a "Windows" FAT
# partition, 256 MiB 4Kn disk, 64 MiB stick that is mounted.
truncate -s 1G "$demo/laptop-disk.img"
printf 'label: gpt\nstart=2048, size=1048576, type=EBD0A0A2-B9E5-4433-87C0-68B6B72699C7, name="Basic data"\n' |
	sfdisk -q "$demo/laptop-disk.img"
mkfs.vfat -F 32 -n WINDOWS --offset 2048 "$demo/laptop-disk.img" 524288 >/dev/null 2>&1
truncate -s 256M "$demo/4kn-disk.img"
truncate -s 64M "$demo/usb-stick.img"
mkfs.ext4 -q -L STICK "$demo/usb-stick.img"

a=$(losetup -f --show -b 512 "$demo/laptop-disk.img"); loops+=("$a")
b=$(losetup -f --show -b 4096 "$demo/4kn-disk.img"); loops+=("$b")
c=$(losetup -f --show -b 512 "$demo/usb-stick.img"); loops+=("$c")
mkdir -p "$demo/mnt"
mount -o ro "$c" "$demo/mnt"
mkdir -p "$records"

if [ -t 0 ] && [ -t 1 ] && [ "${TABULA_DEMO_CLI:-0}" != 1 ]; then
	# The station itself, offering only the demo's own loop devices.
	"$TABULA" --demo-dir "$demo" --ledger "$records/ledger.db" || true
	if [ -f "$records/ledger.db" ]; then
		echo
		echo "== The ledger the station wrote (certs verify / list):"
		"$CERTS" verify "$records/ledger.db" || true
		"$CERTS" list "$records/ledger.db" || true
		ls -l "$records"/*.pdf 2>/dev/null || true
	fi
	exit 0
fi

echo
echo "== The station sees these demo media (wiper list):"
"$WIPER" list "$a" "$b" "$c"
echo
echo "== Everything known about $a (wiper info):"
"$WIPER" info "$a" | head -20
echo
echo "== Erasing $a: DoD 5220.22-M, 3 passes, verify last (--yes: the demo confirms for you)"
"$WIPER" erase --method dod522022m --verify last --yes \
	--ledger "$records/ledger.db" --operator "Demo Operator" --operator-role Technician \
	--witness "Demo Witness" --witness-role Supervisor --asset DEMO-0001 "$a"
echo
echo "== The certificate ledger verifies (certs verify):"
"$CERTS" verify "$records/ledger.db"
pdftotext "$(ls -t "$records/"*.pdf | head -n 1)" - | head -12
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
