#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# e2e-lib.sh: shared helpers of the live-image end-to-end tests (sourced).
#
#   e2e_skip REASON            exit 77 (automake's SKIP) with the reason
#   e2e_need_qemu              skip unless QEMU with TCG can run here
#   e2e_check NAME CMD...      run CMD, print PASS/FAIL NAME, count it
#   e2e_summary                print the totals; returns 1 if anything failed
#   e2e_extract_kernel ISO DIR extract live/vmlinuz and live/initrd.img
#   e2e_qemu_start LIMIT ARGS...   start QEMU (always -accel tcg) under
#                              timeout in the background; sets QEMU_PID
#   e2e_wait_for FILE REGEX SECONDS   wait until FILE matches; 0 or 1
#   e2e_qemu_wait SECONDS      wait for QEMU to exit, kill it after that
#   e2e_tmux_qemu ... e2e_tmux_stop   QEMU with its first serial port in
#                              tmux, to drive a screen (see that section)
#   e2e_bare_boot ARGS...      the same kernel and QEMU with a trivial
#                              initramfs that powers off at once; sets T_BARE
#   e2e_boot_report T_UP       the image's boot against the bare one, with
#                              milestones (see that section)
#
# Never touches a host block device: every disk is an image file.

set -euo pipefail

E2E_PASS=0
E2E_FAIL=0
E2E_FAILED=()
e2e_t0=$(date +%s.%N)

e2e_log() { echo "${E2E_NAME:-e2e}: $*" >&2; }
e2e_since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}'; }
e2e_now() { date +%s.%N; }

e2e_skip() {
	echo "SKIP: ${E2E_NAME:-e2e}: $*" >&2
	exit 77
}

e2e_need_qemu() {
	command -v qemu-system-x86_64 >/dev/null || e2e_skip "qemu-system-x86_64 is not installed (apt-get install qemu-system-x86)"
	# TCG only: KVM on these machines is PVM and hangs stock guests
	echo quit | timeout 20 qemu-system-x86_64 -accel tcg -machine none -nodefaults -display none \
		-monitor stdio >/dev/null 2>&1 || e2e_skip "qemu-system-x86_64 -accel tcg cannot start here"
}

e2e_check() {
	local name=$1
	shift
	if "$@" >"$E2E_WORK/check.out" 2>&1; then
		echo "PASS: $name"
		E2E_PASS=$((E2E_PASS + 1))
	else
		echo "FAIL: $name"
		sed 's/^/      /' "$E2E_WORK/check.out" | tail -n 15
		E2E_FAIL=$((E2E_FAIL + 1))
		E2E_FAILED+=("$name")
	fi
}

e2e_summary() {
	echo "${E2E_NAME:-e2e}: $E2E_PASS passed, $E2E_FAIL failed ($(e2e_since "$e2e_t0") s)"
	[ "$E2E_FAIL" -eq 0 ] || { printf '  failed: %s\n' "${E2E_FAILED[@]}"; return 1; }
}

# e2e_build_image: build $ISO from $BUILDDIR (iso-build/build-iso.sh) when -B
# asked for it ($BUILD = 1) or it is missing; sets T_BUILD (seconds, or -).
e2e_build_image() {
	local t
	T_BUILD=-
	[ "$BUILD" = 1 ] || [ ! -f "$ISO" ] || return 0
	command -v debootstrap >/dev/null || [ "${NO_APT:-0}" != 1 ] || e2e_skip "debootstrap is not installed"
	e2e_log "building the image $ISO"
	t=$(e2e_now)
	"$TOP/iso-build/build-iso.sh" -b "$BUILDDIR" -o "$ISO" || { echo "FAIL: image build (see above)"; exit 1; }
	T_BUILD=$(e2e_since "$t")
	e2e_log "image built in $T_BUILD s"
}

# e2e_fresh_workdir: make $E2E_WORK absolute and empty, refusing a system folder.
e2e_fresh_workdir() {
	mkdir -p "$E2E_WORK"
	E2E_WORK=$(cd "$E2E_WORK" && pwd)
	case "$E2E_WORK" in /|/work|/work/main|/var/tmp|/tmp|"$HOME") echo "refusing work dir $E2E_WORK" >&2; exit 2;; esac
	find "$E2E_WORK" -mindepth 1 -delete
}

# e2e_target_media SIZE: in $E2E_WORK, the kernel and initrd from $ISO, three
# targets of SIZE random bytes (nvme.img, sata.img, usb.img) and a boot stick
# that is a copy of the image (boot-stick.img).
e2e_target_media() {
	local n
	e2e_extract_kernel "$ISO" "$E2E_WORK" || { echo "FAIL: extract kernel"; exit 1; }
	for n in nvme sata usb; do
		head -c "$1" /dev/urandom > "$E2E_WORK/$n.img"
	done
	cp "$ISO" "$E2E_WORK/boot-stick.img"
}

e2e_extract_kernel() {
	local iso=$1 dir=$2
	mkdir -p "$dir"
	rm -f "$dir/vmlinuz" "$dir/initrd.img"
	timeout 120 xorriso -osirrox on -indev "$iso" -extract /live/vmlinuz "$dir/vmlinuz" \
		-extract /live/initrd.img "$dir/initrd.img" >/dev/null 2>&1 ||
		{ e2e_log "xorriso could not extract the kernel from $iso"; return 1; }
	chmod u+w "$dir/vmlinuz" "$dir/initrd.img"
}

QEMU_PID=
e2e_qemu_start() {
	local limit=$1
	shift
	timeout -k 5 "$limit" qemu-system-x86_64 -accel tcg "$@" </dev/null >"$E2E_WORK/qemu.out" 2>&1 &
	QEMU_PID=$!
}

e2e_wait_for() {
	local file=$1 re=$2 secs=$3 i
	for ((i = 0; i < secs * 2; i++)); do
		if [ -f "$file" ] && tr -d '\r' < "$file" | grep -Eq -- "$re"; then return 0; fi
		if [ -n "$QEMU_PID" ] && ! kill -0 "$QEMU_PID" 2>/dev/null; then
			# QEMU is gone: one last look
			[ -f "$file" ] && tr -d '\r' < "$file" | grep -Eq -- "$re" && return 0
			return 1
		fi
		sleep 0.5
	done
	return 1
}

# wait for QEMU to end by itself (guest power-off); returns its exit status
# or 124 after killing it at the deadline
e2e_qemu_wait() {
	local secs=$1 i rc
	[ -n "$QEMU_PID" ] || return 0
	for ((i = 0; i < secs * 2; i++)); do
		kill -0 "$QEMU_PID" 2>/dev/null || break
		sleep 0.5
	done
	if kill -0 "$QEMU_PID" 2>/dev/null; then
		e2e_log "QEMU still running after ${secs}s: stopping it"
		kill "$QEMU_PID" 2>/dev/null || true
		wait "$QEMU_PID" 2>/dev/null || true
		QEMU_PID=
		return 124
	fi
	set +e
	wait "$QEMU_PID"
	rc=$?
	set -e
	QEMU_PID=
	return "$rc"
}

e2e_cleanup_qemu() {
	if [ -n "$QEMU_PID" ] && kill -0 "$QEMU_PID" 2>/dev/null; then
		kill "$QEMU_PID" 2>/dev/null || true
		wait "$QEMU_PID" 2>/dev/null || true
	fi
}

# ---------------------------------------------------------------- QEMU in tmux
# The guest's first serial port (ttyS0) as the terminal of a detached tmux
# session: tmux is the VT emulator, send-keys types, capture-pane reads what
# a person would see. QEMU runs under `timeout --foreground` (without it,
# QEMU in a background process group gets SIGTTIN and the screen stays
# empty), writes $E2E_WORK/qemu.pid and, when it ends, its exit status to
# $E2E_WORK/qemu.rc. A monitor socket is at $E2E_WORK/monitor.sock.
#
#   e2e_tmux_qemu LIMIT COLS ROWS ARGS...   start it (always -accel tcg)
#   e2e_screen                       print the screen
#   e2e_screen_wait SECONDS TEXT     wait until TEXT (fixed string) shows; 0 or 1
#   e2e_screen_wait_re SECONDS REGEX the same with an extended regex
#   e2e_keys KEY...                  tmux send-keys (Enter, Down, Space, -l text...)
#   e2e_monitor COMMAND              one human-monitor command (python3 or socat)
#   e2e_tmux_qemu_wait SECONDS       wait for QEMU to end; its exit status, or
#                                    124 after killing it at the deadline
#   e2e_tmux_stop                    kill QEMU (if still up) and the tmux server
E2E_TMUX=tabula-e2e-$$
e2e_tm() { timeout 10 tmux -L "$E2E_TMUX" "$@"; }

e2e_tmux_qemu() {
	local limit=$1 cols=$2 rows=$3
	shift 3
	rm -f "$E2E_WORK/qemu.pid" "$E2E_WORK/qemu.rc" "$E2E_WORK/monitor.sock"
	e2e_tm kill-server 2>/dev/null || true
	e2e_tm new-session -d -s e2e -x "$cols" -y "$rows" \
		"timeout --foreground -k 5 $limit qemu-system-x86_64 -accel tcg -pidfile $E2E_WORK/qemu.pid \
-monitor unix:$E2E_WORK/monitor.sock,server,nowait $(printf '%q ' "$@") 2>$E2E_WORK/qemu.err; \
echo \$? > $E2E_WORK/qemu.rc; sleep 3600"
}

e2e_screen() { e2e_tm capture-pane -p -t e2e 2>/dev/null || true; }

e2e_screen_wait() {
	local secs=$1 text=$2 end=$((SECONDS + $1))
	while [ "$SECONDS" -lt "$end" ]; do
		e2e_screen | grep -qF -- "$text" && return 0
		[ ! -f "$E2E_WORK/qemu.rc" ] || { e2e_screen | grep -qF -- "$text"; return; }
		sleep 0.5
	done
	return 1
}

e2e_screen_wait_re() {
	local secs=$1 re=$2 end=$((SECONDS + $1))
	while [ "$SECONDS" -lt "$end" ]; do
		e2e_screen | grep -qE -- "$re" && return 0
		[ ! -f "$E2E_WORK/qemu.rc" ] || { e2e_screen | grep -qE -- "$re"; return; }
		sleep 0.5
	done
	return 1
}

e2e_keys() { e2e_tm send-keys -t e2e "$@"; }

e2e_monitor() {
	local sock=$E2E_WORK/monitor.sock
	if command -v socat >/dev/null; then
		printf '%s\n' "$1" | timeout 10 socat - "UNIX-CONNECT:$sock" >/dev/null
	elif command -v python3 >/dev/null; then
		timeout 10 python3 -c 'import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
time.sleep(0.3)
s.sendall((sys.argv[2] + "\n").encode())
time.sleep(0.5)' "$sock" "$1"
	else
		e2e_log "neither socat nor python3: cannot send '$1' to the monitor"
		return 1
	fi
}

e2e_tmux_qemu_wait() {
	local secs=$1 end=$((SECONDS + $1)) pid
	while [ "$SECONDS" -lt "$end" ]; do
		[ ! -f "$E2E_WORK/qemu.rc" ] || { return "$(cat "$E2E_WORK/qemu.rc")"; }
		sleep 0.5
	done
	e2e_log "QEMU still running after ${secs}s: stopping it"
	pid=$(cat "$E2E_WORK/qemu.pid" 2>/dev/null || true)
	if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi
	return 124
}

e2e_tmux_stop() {
	local pid i
	pid=$(cat "$E2E_WORK/qemu.pid" 2>/dev/null || true)
	if [ -n "$pid" ] && [ ! -f "$E2E_WORK/qemu.rc" ] && kill -0 "$pid" 2>/dev/null; then
		kill "$pid" 2>/dev/null || true
		for ((i = 0; i < 20; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
	fi
	e2e_tm kill-server 2>/dev/null || true
}

# ---------------------------------------------------------------- boot time against a bare boot
# TCG's speed differs between machines by 2x, so a boot time alone says
# little. e2e_bare_boot boots the image's kernel under the same QEMU (the
# caller's ARGS: machine, memory, devices) with a one-file initramfs whose
# init (tests/e2e/bare-init.c) prints the uptime and powers off; its time is
# what the kernel alone costs here. e2e_boot_report then prints the image's
# boot to the station, the ratio of the two, and the milestones the image
# printed on its console (tabula.boottimes, iso-build's tabula-boot-times)
# placed on the host's clock from QEMU's start.
#
#   e2e_bare_boot ARGS...   ARGS as given to QEMU for the image: -initrd,
#                           -append and every -serial are replaced; sets
#                           T_BARE (s, QEMU start to exit) and BARE_INIT
#                           (the kernel's clock at init), - on failure
#   e2e_boot_report T_UP    T_UP: host seconds from QEMU's start to the
#                           station (or unattended mode) up
T_BARE=- BARE_INIT=-
e2e_bare_boot() {
	local d=$E2E_WORK/bare args=() t
	T_BARE=- BARE_INIT=-
	rm -rf "$d"
	mkdir -p "$d/root/dev" "$d/root/proc"
	if ! cc -static -Os -o "$d/root/init" "$TOP/tests/e2e/bare-init.c" 2>"$d/cc.err"; then
		e2e_log "bare boot: cannot build a static init ($(head -n1 "$d/cc.err"))"
		return 0
	fi
	mknod -m 600 "$d/root/dev/console" c 5 1
	(cd "$d/root" && find . | cpio -o -H newc --quiet) > "$d/initrd.cpio"
	while [ $# -gt 0 ]; do
		case "$1" in
		-initrd) args+=(-initrd "$d/initrd.cpio"); shift;;
		-append) args+=(-append "quiet console=ttyS0,115200"); shift;;
		-serial | -pidfile | -monitor) shift;;
		*) args+=("$1");;
		esac
		shift
	done
	t=$(e2e_now)
	timeout -k 5 300 qemu-system-x86_64 -accel tcg "${args[@]}" -monitor none \
		-serial "file:$d/console.log" </dev/null >"$d/qemu.out" 2>&1 || true
	if tr -d '\r' < "$d/console.log" | grep -q 'TABULA-BARE-INIT'; then
		T_BARE=$(e2e_since "$t")
		BARE_INIT=$(tr -d '\r' < "$d/console.log" | sed -n 's/.*TABULA-BARE-INIT uptime=\([0-9.]*\).*/\1/p' | head -n1)
	else
		e2e_log "bare boot: the trivial init did not report (see $d/console.log)"
	fi
}

e2e_boot_report() {
	local up=$1 line k v init=- medium=- root=- station=- off
	line=$(tr -d '\r' < "$E2E_WORK/console.log" 2>/dev/null | grep -o 'TABULA-BOOT-TIMES .*' | head -n1 || true)
	for k in $line; do
		v=${k#*=}
		case "$k" in init=*) init=$v;; medium=*) medium=$v;; root=*) root=$v;; station=*) station=$v;; esac
	done
	echo "boot: image to station ${up:--} s; bare kernel (same QEMU, trivial initramfs, power-off) ${T_BARE} s;" \
		"ratio $(awk -v a="$up" -v b="$T_BARE" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2fx", a / b; else print "-" }') (target <= 1.5x)"
	# the kernel's clock starts after QEMU, firmware and decompression: place
	# the guest's milestones on the host's clock by the station's two times
	off=$(awk -v a="$up" -v b="$station" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.1f", a - b; else print "-" }')
	at() { awk -v o="$off" -v x="$1" 'BEGIN { if (o != "-" && x + 0 > 0) printf "%.1f", o + x; else print "-" }'; }
	echo "boot milestones (s from QEMU start): kernel start ${off}, initramfs /init $(at "$init")," \
		"live medium $(at "$medium"), real root $(at "$root"), station $(at "$station");" \
		"bare boot: /init at ${BARE_INIT} s of the kernel clock, QEMU gone at ${T_BARE} s"
	tr -d '\r' < "$E2E_WORK/console.log" 2>/dev/null | grep -o 'TABULA-BOOT-BLAME .*' | sed 's/^TABULA-BOOT-BLAME /  slowest unit: /' || true
	tr -d '\r' < "$E2E_WORK/console.log" 2>/dev/null | grep -o 'TABULA-BOOT-CHAIN .*' | sed 's/^TABULA-BOOT-CHAIN /  station waited for: /' || true
}
