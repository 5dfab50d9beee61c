#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A fresh records medium names nobody, in tmux. The station runs as the live
# image starts it on a new TABULA-RECORDS medium (tabula --records-required
# DIR, no tabula.conf yet): the session screen offers to add people, each
# "Name, Role" typed at the station (the letter q is text there, not quit),
# kept in DIR/tabula.conf on the medium. A name with '#' (a comment in that
# file) is refused. The operator and witness are then picked as usual, and
# the next start reads them back from the file, where adding is no longer
# offered: once the configuration names people, the list is the records
# officer's.
set -u
. "${top_srcdir:-.}/tests/lib/safety.sh"
. "${top_srcdir:-.}/tests/integration/ui-lib.sh"
tab_setup_root
ui_require
command -v mkfs.ext4 >/dev/null || tab_skip "mkfs.ext4 not installed"
grep -qw ext4 /proc/filesystems || tab_skip "no ext4 in this kernel"

fails=0
check() { # check DESCRIPTION COMMAND...
	local what=$1; shift
	if "$@"; then echo "ok: $what"; else echo "not ok: $what"; fails=$((fails + 1)); fi
}

mkdir -p "$TESTDIR/rec"
truncate -s 32M "$TESTDIR/records.img"
mkfs.ext4 -q -F -L TABULA-RECORDS "$TESTDIR/records.img"
tab_make_loop R 0 512 "$TESTDIR/records.img"
tab_mount "$R" "$TESTDIR/rec"
CONF=$TESTDIR/rec/tabula.conf

ui_start 80 24 --include-loop --records-required "$TESTDIR/rec"
check "nobody configured: the station offers to add people" ui_wait 20 "press a to add one (Name, Role)"
ui_keys Enter
check "... and no session opens without an operator" ui_wait_gone 3 "Move  Space Select"
ui_keys a
check "the prompt opens" ui_wait 5 "New person (Name, Role):"
check "its key bar" ui_wait 5 "Enter OK  Esc Back  F1 Help  F10 Quit"
ui_keys "Quinn Example, Technician"
check "q is a letter in the prompt (the station is still there)" ui_wait 5 "Quinn Example, Technician"
ui_keys Enter
check "added and kept on the records medium" ui_wait 5 "Added, and kept in $CONF"
check "the file holds the person line" grep -qx "person = Quinn Example, Technician" "$CONF"
check "the station asks for a second person" ui_wait 5 "Press a to add another person"
ui_keys a
ui_keys "Eve #1, Intruder" Enter
check "a name with '#' is refused" ui_wait 5 "Not added: type a name"
check "... and not written" bash -c "! grep -q Eve '$CONF'"
ui_keys Escape
check "Esc closes the prompt" ui_wait_gone 5 "New person (Name, Role):"
ui_keys a
ui_keys "Bob Witness, Records officer" Enter
check "the second is kept" ui_wait 5 "Added, and kept in $CONF"
check "who is on duty" ui_wait 5 "Who is on duty?"
check "... lists the first" ui_wait 5 "Quinn Example — Technician"
ui_keys Enter
check "who witnesses: the other one" ui_wait 5 "Bob Witness — Records officer"
ui_keys Enter
check "the session is open with both" ui_wait 10 "Witness: Bob Witness"
ui_keys q
check "q exits with status 0" ui_wait 15 "TABULA-EXIT=0"
ui_tmux kill-server 2>/dev/null
check "the file has exactly the two people" test "$(grep -c '^person = ' "$CONF")" = 2

# The next start reads them (as tabula-station passes --config when the file exists).
ui_start 80 24 --include-loop --config "$CONF" --records-required "$TESTDIR/rec"
check "next start: the people are there" ui_wait 20 "Quinn Example — Technician"
ui_keys a
check "next start: adding is not offered any more" ui_wait_gone 3 "New person"
ui_keys q
check "q exits with status 0 (next start)" ui_wait 15 "TABULA-EXIT=0"

[ "$fails" = 0 ] || { echo "$fails failures"; exit 1; }
