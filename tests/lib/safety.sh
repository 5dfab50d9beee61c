# SPDX-License-Identifier: GPL-3.0-or-later
# Shared shell helpers for integration tests. Source this file.
#
# Every test that writes to a block device writes only to a loop device it
# created itself (tab_make_loop) over a file it created itself, inside its own
# directory; tab_assert_own_loop proves that before any write and aborts the
# test otherwise. Never name a host disk in a test.

: "${WIPER:=${top_builddir:-.}/wiper/wiper}"

tab_skip() { echo "SKIP: $*"; exit 77; }
tab_fail() { echo "FAIL: $*" >&2; exit 1; }

TAB_LOOPS=()
TAB_FILES=()
TAB_MOUNTS=()

# tab_owns_loop INDEX: is TAB_LOOPS[INDEX] still attached over our file? (A
# device this test detached may since carry another test's file.)
tab_owns_loop() {
	local dev=${TAB_LOOPS[$1]} backing
	backing=$(cat "/sys/block/${dev#/dev/}/loop/backing_file" 2>/dev/null) || return 1
	[ "$backing" = "${TAB_FILES[$1]}" ]
}

tab_cleanup() {
	local m i
	for m in "${TAB_MOUNTS[@]}"; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null; done
	for i in "${!TAB_LOOPS[@]}"; do
		tab_owns_loop "$i" && losetup -d "${TAB_LOOPS[$i]}" 2>/dev/null
	done
	[ -n "${TESTDIR:-}" ] && [ -d "$TESTDIR" ] && rm -rf -- "$TESTDIR"
	return 0
}

# Make this test's private directory; require root and loop support.
tab_setup_root() {
	[ "$(id -u)" = 0 ] || tab_skip "needs root to create loop devices"
	[ -e /dev/loop-control ] || tab_skip "no /dev/loop-control on this machine"
	command -v losetup >/dev/null || tab_skip "losetup not installed"
	TESTDIR=$(mktemp -d "${TMPDIR:-/tmp}/tabula-test-XXXXXX")
	trap tab_cleanup EXIT
}

# tab_make_loop VAR SIZE SECTOR [FILE]: attach a loop device and store its
# path in VAR (not printed: a command substitution would run in a subshell and
# the cleanup would never learn about the device). FILE may be prepared by the
# test beforehand (inside $TESTDIR); otherwise a sparse file of SIZE is made.
tab_make_loop() {
	local var=$1 size=$2 sector=$3 file=${4:-} dev
	if [ -z "$file" ]; then
		file=$(mktemp "$TESTDIR/medium-XXXXXX.img")
		truncate -s "$size" "$file"
	fi
	case "$(realpath "$file")" in
	"$(realpath "$TESTDIR")"/*) ;;
	*) echo "SAFETY ABORT: backing file $file is outside $TESTDIR" >&2; exit 99 ;;
	esac
	dev=$(losetup -f --show -b "$sector" "$file") || tab_fail "losetup failed for $file"
	TAB_LOOPS+=("$dev")
	TAB_FILES+=("$(realpath "$file")")
	printf -v "$var" '%s' "$dev"
}

# tab_assert_own_loop DEV: abort unless DEV is a loop device this test created
# over a file inside $TESTDIR. Call it before anything writes to DEV.
tab_assert_own_loop() {
	local dev=$1 i name backing
	for i in "${!TAB_LOOPS[@]}"; do
		[ "${TAB_LOOPS[$i]}" = "$dev" ] || continue
		[ -b "$dev" ] || break
		[ "$(stat -L -c %t "$dev")" = 7 ] || break
		name=${dev#/dev/}
		backing=$(cat "/sys/block/$name/loop/backing_file" 2>/dev/null) || break
		[ "$backing" = "${TAB_FILES[$i]}" ] || break
		case "$backing" in "$(realpath "$TESTDIR")"/*) return 0 ;; esac
		break
	done
	echo "SAFETY ABORT: $dev is not a loop device this test created" >&2
	exit 99
}

# tab_detach_loop DEV: detach a loop device this test created (hotplug tests).
tab_detach_loop() {
	local i
	tab_assert_own_loop "$1"
	losetup -d "$1" || tab_fail "losetup -d $1"
	for i in "${!TAB_LOOPS[@]}"; do
		[ "${TAB_LOOPS[$i]}" = "$1" ] && unset "TAB_LOOPS[$i]" "TAB_FILES[$i]"
	done
	return 0
}

# tab_mount DEV DIR: mount and remember for cleanup.
tab_mount() {
	mkdir -p "$2"
	mount "$1" "$2" || tab_fail "mount $1 $2"
	TAB_MOUNTS+=("$2")
}
