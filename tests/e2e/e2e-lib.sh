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
