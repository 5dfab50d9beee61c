# SPDX-License-Identifier: GPL-3.0-or-later
# Shared by the host sides of the guest tests (tests/qemu/test-*-guest.sh).
# Source it after setting HERE, WIPER and WORK.

# guest_require: SKIP (exit 77) unless root, wiper and jq are here and the
# guest kernel and initramfs can be built (mk-initrd.sh, cached).
guest_require() {
	[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (apt-get, guest build)"; exit 77; }
	[ -x "$WIPER" ] || { echo "SKIP: no wiper binary at $WIPER"; exit 77; }
	command -v jq >/dev/null || { echo "SKIP: jq not installed"; exit 77; }
	if ! bash "$HERE/mk-initrd.sh" "$WORK" >"$WORK.mk.log" 2>&1; then
		echo "SKIP: cannot build the guest (no QEMU or kernel package here): see $WORK.mk.log"
		tail -5 "$WORK.mk.log"
		exit 77
	fi
}

# guest_probe_dir DIR PROBE...: the probe directory the guest mounts as `in`:
# the probes (and probe-lib.sh, which they source), the wiper binary and
# every library it needs.
guest_probe_dir() {
	local dir=$1 p
	shift
	for p in "$@" probe-lib.sh; do cp "$HERE/probes/$p" "$dir/"; done
	cp "$WIPER" "$dir/wiper"
	mkdir -p "$dir/lib"
	ldd "$WIPER" | awk '/=> \//{print $3}' | while read -r l; do cp -L "$l" "$dir/lib/"; done
}

fails=0
# check DESCRIPTION COMMAND...: one "ok:" or "not ok:" line; failures are counted.
check() {
	local what=$1; shift
	if "$@"; then echo "ok: $what"; else echo "not ok: $what"; fails=$((fails + 1)); fi
}
