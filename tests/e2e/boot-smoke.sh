#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# boot-smoke.sh [-B] [-i ISO] [-b BUILDDIR] [-w WORKDIR] [-t SECONDS] MODE...
#
# Boots the live image through real firmware and GRUB under QEMU (TCG, never
# KVM) and waits for the station on the serial console. MODE is one of
#   bios-cd    SeaBIOS, image as a CD-ROM
#   uefi-cd    OVMF (q35), image as a CD-ROM
#   bios-usb   SeaBIOS, image as a USB stick (read-only snapshot)
#   uefi-usb   OVMF, image as a USB stick (read-only snapshot)
#
# QEMU's first serial port runs inside a detached tmux session, which is the
# terminal of the guest's ttyS0. The test waits for GRUB's menu there,
# picks "Tabula station on the serial console" (Down, Down, Enter; the
# default entry would start the station on tty1 only), then waits for the
# station's session screen ("Session start"; the title line is replaced by a
# warning when no records medium is attached, as here). It prints PASS/FAIL
# and the times to menu and to station per mode.
#
#   -B           (re)build the image first with iso-build/build-iso.sh
#   -i ISO       image (default BUILDDIR/tabula.iso)
#   -b BUILDDIR  default $top_builddir or ./
#   -w WORKDIR   default $TABULA_E2E_WORK/boot or /var/tmp/tabula-e2e-boot
#   -t SECONDS   limit per boot (default 300)
#
# Exit: 0 every mode passed, 1 one failed, 77 skipped, 2 usage.

set -euo pipefail

E2E_NAME=boot-smoke
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/e2e/e2e-lib.sh
. "$HERE/e2e-lib.sh"

BUILDDIR=${top_builddir:-.}
ISO=
E2E_WORK=${TABULA_E2E_WORK:+$TABULA_E2E_WORK/boot}
E2E_WORK=${E2E_WORK:-/var/tmp/tabula-e2e-boot}
LIMIT=300
BUILD=0
while getopts "Bi:b:w:t:h" opt; do
	case "$opt" in
	B) BUILD=1;;
	i) ISO=$OPTARG;;
	b) BUILDDIR=$OPTARG;;
	w) E2E_WORK=$OPTARG;;
	t) LIMIT=$OPTARG;;
	h) sed -n '3,/^$/p' "$0" | sed 's/^# \{0,1\}//'; exit 0;;
	*) echo "see $0 -h" >&2; exit 2;;
	esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || { echo "usage: $0 [-i ISO] MODE... (bios-cd uefi-cd bios-usb uefi-usb)" >&2; exit 2; }
for m in "$@"; do
	case "$m" in bios-cd|uefi-cd|bios-usb|uefi-usb) ;; *) echo "unknown mode '$m'" >&2; exit 2;; esac
done
BUILDDIR=$(cd "$BUILDDIR" && pwd)
[ -n "$ISO" ] || ISO=$BUILDDIR/tabula.iso
e2e_need_qemu
command -v tmux >/dev/null || e2e_skip "tmux is not installed"
if [ "$BUILD" = 1 ]; then
	[ "$(id -u)" -eq 0 ] || e2e_skip "building the image needs root"
	"$HERE/../../iso-build/build-iso.sh" -b "$BUILDDIR" -o "$ISO" || { echo "FAIL: image build (see above)"; exit 1; }
fi
[ -f "$ISO" ] || e2e_skip "no image at $ISO (make iso)"
OVMF_CODE=/usr/share/OVMF/OVMF_CODE_4M.fd
OVMF_VARS=/usr/share/OVMF/OVMF_VARS_4M.fd

mkdir -p "$E2E_WORK"
E2E_WORK=$(cd "$E2E_WORK" && pwd)
case "$E2E_WORK" in /|/work|/work/main|/var/tmp|/tmp|"$HOME") echo "refusing work dir $E2E_WORK" >&2; exit 2;; esac

TMUX_SOCK=tabula-boot-smoke-$$
tm() { tmux -L "$TMUX_SOCK" "$@"; }
stop_session() { tm kill-server 2>/dev/null || true; }
trap stop_session EXIT

screen() { tm capture-pane -p -t smoke 2>/dev/null || true; }
wait_screen() { # SECONDS TEXT
	local i
	for ((i = 0; i < $1 * 2; i++)); do
		if screen | grep -qF -- "$2"; then return 0; fi
		tm has-session -t smoke 2>/dev/null || return 1
		sleep 0.5
	done
	return 1
}

boot_one() {
	local mode=$1 d=$E2E_WORK/$1 t0 tmenu tstation
	rm -rf "$d"
	mkdir -p "$d"
	# shellcheck disable=SC2054 # commas belong to QEMU option values
	local q=(qemu-system-x86_64 -accel tcg -m 2048 -smp 2 -no-reboot -display none -vga std
		-pidfile "$d/qemu.pid" -monitor "unix:$d/monitor.sock,server,nowait" -serial stdio -serial "file:$d/ttyS1.log")
	case "$mode" in
	uefi-*)
		[ -r "$OVMF_CODE" ] || { echo "SKIP: $mode: $OVMF_CODE missing (apt-get install ovmf)"; return 0; }
		cp "$OVMF_VARS" "$d/vars.fd"
		# shellcheck disable=SC2054
		q+=(-machine q35 -drive "if=pflash,format=raw,readonly=on,file=$OVMF_CODE"
			-drive "if=pflash,format=raw,file=$d/vars.fd");;
	esac
	# shellcheck disable=SC2054 # commas belong to QEMU option values
	case "$mode" in
	*-cd) q+=(-drive "file=$ISO,if=none,id=cd0,format=raw,readonly=on,media=cdrom"
		-device ide-cd,drive=cd0,bootindex=0);;
	*-usb) q+=(-device qemu-xhci,id=xhci -drive "if=none,id=stick,file=$ISO,format=raw,snapshot=on"
		-device usb-storage,bus=xhci.0,drive=stick,bootindex=0,removable=on);;
	esac
	stop_session
	t0=$(e2e_now)
	tm new-session -d -s smoke -x 120 -y 32 \
		"timeout --foreground -k 5 $LIMIT $(printf '%q ' "${q[@]}") 2>$d/qemu.err; sleep 2"
	tmenu=- tstation=-
	if wait_screen "$LIMIT" "Tabula station on the serial console"; then
		tmenu=$(e2e_since "$t0")
		screen > "$d/menu.txt"
		tm send-keys -t smoke Down
		sleep 0.3
		tm send-keys -t smoke Down
		sleep 0.3
		tm send-keys -t smoke Enter
		if wait_screen "$LIMIT" "Session start"; then tstation=$(e2e_since "$t0"); fi
	fi
	screen > "$d/screen.txt"
	if [ "$tstation" != - ]; then
		echo "PASS: $mode: GRUB menu after ${tmenu} s, station on ttyS0 after ${tstation} s"
		E2E_PASS=$((E2E_PASS + 1))
	else
		echo "FAIL: $mode: GRUB menu after ${tmenu} s, no station (screen: $d/screen.txt)"
		sed 's/^/      /' "$d/screen.txt" | grep -v '^ *$' | tail -n 12
		E2E_FAIL=$((E2E_FAIL + 1))
		E2E_FAILED+=("$mode")
	fi
	stop_session
	# one QEMU at a time: make sure this one is gone
	local pid i
	pid=$(cat "$d/qemu.pid" 2>/dev/null || true)
	if [ -n "$pid" ]; then
		for ((i = 0; i < 20; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
		if kill -0 "$pid" 2>/dev/null; then kill "$pid" 2>/dev/null || true; fi
	fi
}

for m in "$@"; do boot_one "$m"; done
e2e_summary
