#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The README's screens, from a real run: the station (tabula) in tmux at
# 80x24 on demo loop devices this script creates (a 4 GiB laptop disk with a
# GPT and a FAT partition labelled WINDOWS, a 256 MiB 4Kn disk, a 64 MiB
# stick that is mounted, so it is greyed out); log in, select the two disks,
# capture the media list; erase both with the recommended method and capture
# the dashboard while the big one is still being read back. Everything it
# made is removed on exit.
#
# Usage (as root): bash scripts/screens.sh [--readme] [BUILDDIR]
#   prints the two screens as Markdown; --readme puts them into README.md
#   between the "screens:begin" and "screens:end" markers. BUILDDIR holds a
#   built tree (default: build-werror, as scripts/demo.sh builds it).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
readme=0
if [ "${1:-}" = --readme ]; then readme=1; shift; fi
build=${1:-$top/build-werror}
export TABULA=$build/ui-ncurses/tabula
[ "$(id -u)" = 0 ] || { echo "screens: run as root (it creates loop devices)" >&2; exit 2; }
[ -x "$TABULA" ] || { echo "screens: $TABULA is not built (bash scripts/build.sh $build)" >&2; exit 2; }
for t in tmux sfdisk mkfs.vfat mkfs.ext4; do
	command -v "$t" >/dev/null || { echo "screens: $t is not installed" >&2; exit 2; }
done

# The tests' helpers: loop devices only over files in our own directory, removed on exit.
set +u
. "$top/tests/lib/safety.sh"
. "$top/tests/integration/ui-lib.sh"
set -u
tab_setup_root
demo=$TESTDIR/demo
mkdir -p "$demo" "$TESTDIR/records"

truncate -s 4G "$demo/laptop-disk.img"
printf 'label: gpt\nstart=2048, size=8384512, type=EBD0A0A2-B9E5-4433-87C0-68B6B72699C7, name="Basic data"\n' |
	sfdisk -q "$demo/laptop-disk.img"
mkfs.vfat -F 32 -n WINDOWS --offset 2048 "$demo/laptop-disk.img" 4192256 >/dev/null 2>&1
truncate -s 256M "$demo/4kn-disk.img"
truncate -s 64M "$demo/usb-stick.img"
mkfs.ext4 -q -L STICK "$demo/usb-stick.img"
tab_make_loop A 0 512 "$demo/laptop-disk.img"
tab_make_loop B 0 4096 "$demo/4kn-disk.img"
tab_make_loop C 0 512 "$demo/usb-stick.img"
tab_mount "$C" "$TESTDIR/mnt"
a=${A#/dev/} b=${B#/dev/} c=${C#/dev/}

cat >"$TESTDIR/station.conf" <<EOC
station = DESK-1
operator = Ann Example, Technician
witness = Bob Example, Records officer
records = $TESTDIR/records
EOC

fail() { echo "screens: $*" >&2; exit 1; }
ui_start 80 24 --demo-dir "$demo" --config "$TESTDIR/station.conf" --ledger "$TESTDIR/records/ledger.db"
ui_login >/dev/null || fail "the session screen did not come up"
ui_wait_re 10 "$c +loop" >/dev/null || fail "the demo media are not listed"
for d in "$a" "$b"; do
	ui_cursor_to "$d" || fail "cannot reach $d"
	tab_assert_own_loop "/dev/$d"
	ui_keys Space
	ui_wait_re 5 "^\[x\].$d " >/dev/null || fail "cannot select $d"
done
ui_cursor_to "$a" || fail "cannot reach $a"
ui_capture
list=$UI_SCREEN

ui_keys e
ui_wait 5 "choose the method" >/dev/null || fail "no method screen"
ui_keys Enter
ui_dest 0 >/dev/null || fail "no destination screen"
# The details step: per medium its carrier number (none here) and asset number, then the
# batch's owner and classification.
ui_wait 5 "asset numbers" >/dev/null || fail "no details screen"
for f in "" "LT-2291" "" "LT-2304" "Finance" "Internal"; do
	[ -n "$f" ] && ui_keys -l "$f"
	ui_keys Enter
done
ui_wait 5 "Type the number" >/dev/null || fail "no confirmation"
ui_keys 2 Enter
# The moment the small disk is certified and the big one is being read back.
dash=
for i in $(seq 1 600); do
	ui_capture
	if grep -q "certificate DESK-1" <<<"$UI_SCREEN" && grep -qE "pass 1/1 verifying" <<<"$UI_SCREEN" &&
	   grep -qE "[1-9][0-9.]* MiB/s" <<<"$UI_SCREEN"; then
		dash=$UI_SCREEN
		break
	fi
	[ "$(grep -c PASSED <<<"$UI_SCREEN")" -ge 2 ] && break
	sleep 0.05
done
[ -n "$dash" ] || fail "missed the moment: both disks finished before a capture (the screen: $UI_SCREEN)"
for i in $(seq 1 300); do
	ui_capture
	[ "$(grep -c PASSED <<<"$UI_SCREEN")" -ge 2 ] && break
	sleep 0.2
done
ui_keys q
ui_wait 15 "TABULA-EXIT=0" >/dev/null || fail "tabula did not exit 0"

block() { printf '%s\n\n```\n%s\n```\n' "$1" "$2"; }
md=$(block "The media list: the two disks selected, the mounted stick greyed out with the reason." "$list"
	echo
	block "The dashboard: the small disk PASSED and certified, the large one being read back." "$dash")
if [ "$readme" = 0 ]; then
	printf '%s\n' "$md"
	exit 0
fi
grep -q '^<!-- screens:begin' "$top/README.md" && grep -q '^<!-- screens:end' "$top/README.md" ||
	fail "README.md has no screens:begin / screens:end markers"
printf '%s\n' "$md" >"$TESTDIR/screens.md"
awk -v f="$TESTDIR/screens.md" '
	/^<!-- screens:begin/ { print; while ((getline l < f) > 0) print l; skip = 1; next }
	/^<!-- screens:end/ { skip = 0 }
	!skip' "$top/README.md" >"$TESTDIR/README.md"
cat "$TESTDIR/README.md" >"$top/README.md"
echo "screens: README.md updated"
