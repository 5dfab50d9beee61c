#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The station in tmux: the media list shows this test's loop devices, a mounted
# one greyed with its reason, a loop device attached while it runs appears;
# resizing to 80x24 and back does not crash; q quits and restores the terminal.
set -u
. "${top_srcdir:-.}/tests/lib/safety.sh"
. "${top_srcdir:-.}/tests/integration/ui-lib.sh"
tab_setup_root
ui_require
command -v mkfs.ext4 >/dev/null || tab_skip "mkfs.ext4 not installed"
grep -qw ext4 /proc/filesystems || modprobe ext4 2>/dev/null || tab_skip "no ext4 in this kernel"

fails=0
check() { # check DESCRIPTION COMMAND...
	local what=$1; shift
	if "$@"; then echo "ok: $what"; else echo "not ok: $what"; fails=$((fails + 1)); fi
}

tab_make_loop A 48M 512
fb=$TESTDIR/b.img
truncate -s 32M "$fb"
mkfs.ext4 -q -F -L DATA "$fb"
tab_make_loop B 0 512 "$fb"
tab_mount "$B" "$TESTDIR/mnt"
a=${A#/dev/} b=${B#/dev/}

ui_start 100 30 --demo --config "$(ui_config)" --ledger "$TESTDIR/ledger.db"
check "session screen names the station" ui_wait 20 "TEST-STATION"
check "login as operator and witness" ui_login
check "$a listed with its size" ui_wait_re 10 "$a +loop +file .* 48 MiB"
check "$b listed" ui_wait_re 10 "$b +loop"
check "$b not offered: mounted at $TESTDIR/mnt" ui_wait 5 "NOT OFFERED: mounted at $TESTDIR/mnt ($b)"
check "$b has no selection box" ui_wait_re 5 "^ - .$b "

# Greyed: the excluded row is drawn dim or in grey, the offered one is not.
row_attrs() { ui_tmux capture-pane -e -p -t ui | grep -F -- "$1" | head -1; }
check "$b row drawn grey/dim" bash -c '[[ "$0" == *$'"'"'\e['"'"'*"2m"* || "$0" == *"90m"* || "$0" == *"38;5;8m"* || "$0" == *"37m"* ]]' "$(row_attrs "NOT OFFERED: mounted at $TESTDIR/mnt")"

# Space on the mounted medium refuses, saying why.
check "cursor reaches $b" ui_cursor_to "$b"
ui_keys Space
check "selecting $b is refused with the reason" ui_wait 5 "$b: NOT OFFERED: mounted"

# Hotplug: a loop device attached now appears by itself.
tab_make_loop C 24M 512
c=${C#/dev/}
check "$c appears while the station runs" ui_wait_re 15 "$c +loop +file .* 24 MiB"
tab_detach_loop "$C"
check "$c vanishes when detached" bash -c 'for i in $(seq 1 75); do timeout 5 tmux -L "$0" capture-pane -p -t ui | grep -qE "$1 +loop" || exit 0; sleep 0.2; done; exit 1' "$UI_SOCK" "$c"

# Resize to 80x24 and back: still alive, still drawing.
ui_tmux resize-window -t ui -x 80 -y 24
check "redrawn at 80x24" ui_wait_re 10 "$a +loop"
ui_capture
check "key bar at the bottom at 80x24" bash -c 'test "$(sed -n 24p <<<"$0" | grep -c Quit)" = 1' "$UI_SCREEN"
ui_tmux resize-window -t ui -x 120 -y 40
check "redrawn at 120x40" ui_wait_re 10 "$a +loop"
ui_tmux resize-window -t ui -x 100 -y 30

# Quit: the program exits 0 and leaves a normal terminal.
ui_keys q
check "q exits with status 0" ui_wait 10 "TABULA-EXIT=0"
ui_capture
check "the station's screen is gone (alternate screen left)" bash -c '! grep -q "NOT OFFERED" <<<"$0"' "$UI_SCREEN"
check "nothing printed on stderr" test ! -s "$TESTDIR/stderr"
[ -s "$TESTDIR/stderr" ] && cat "$TESTDIR/stderr"

[ "$fails" = 0 ] || { echo "$fails failures"; exit 1; }
