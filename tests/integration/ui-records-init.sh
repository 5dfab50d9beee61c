#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Initialising a blank stick as the records medium, through the station in
# tmux (demo mode, only this test's loop devices): the session screen says
# no records medium is present and offers it (key i); a medium holding a
# filesystem and one too small are not offered; a wrong serial (the name,
# for a loop device) writes nothing; the right one gets an ext4 filesystem
# labelled TABULA-RECORDS, mounted at the configured records directory, with
# a ledger that `certs verify` accepts; the session then shows it.
set -u
. "${top_srcdir:-.}/tests/lib/safety.sh"
. "${top_srcdir:-.}/tests/integration/ui-lib.sh"
tab_setup_root
ui_require
command -v mkfs.ext4 >/dev/null || tab_skip "mkfs.ext4 not installed"
command -v blkid >/dev/null || tab_skip "blkid not installed"
command -v findmnt >/dev/null || tab_skip "findmnt not installed"
CERTS=${CERTS:-${top_builddir:-.}/certs/certs}

fails=0
check() { # check DESCRIPTION COMMAND...
	local what=$1; shift
	if "$@"; then echo "ok: $what"; else echo "not ok: $what"; fails=$((fails + 1)); fi
}

tab_make_loop B 32M 512	# blank: the one to initialise
tab_make_loop F 32M 512	# holds a filesystem: never offered
tab_make_loop S 8M 512	# blank but too small
b=${B#/dev/} f=${F#/dev/} s=${S#/dev/}
tab_assert_own_loop "$F"
mkfs.ext4 -q -L SOMEDATA "$F" || tab_fail "mkfs.ext4 on $F"
fsum=$(md5sum <"$F")
MNT=$TESTDIR/records
TAB_MOUNTS+=("$MNT")	# unmounted by the cleanup, before the loop devices go
mkdir -p "$TESTDIR/ram"

conf=$(ui_config)
echo "records = $MNT" >>"$conf"
ui_start 110 36 --demo-dir "$TESTDIR" --config "$conf" --ledger "$TESTDIR/ram/ledger.db"
check "session says no records medium and offers i" ui_wait 20 "press i to initialise a blank stick"
ui_keys i
check "records screen" ui_wait 10 "Records medium: initialise a blank stick"
# offered NAME: the line after NAME's says it can become the records medium
offered() { awk -v n="$1" 'hit { exit !/blank: can become the records medium/ } $0 ~ "^  [> ] " n " " { hit = 1 } END { if (!hit) exit 1 }' <<<"$UI_SCREEN"; }
check "media listed" ui_wait 10 "$s "
ui_capture
check "$b offered as blank" offered "$b"
check "$f not offered: not blank" grep -qE "Not offered: not blank: .*ext4" <<<"$UI_SCREEN"
check "$s not offered: too small" grep -qE "Not offered: too small" <<<"$UI_SCREEN"

# rec_cursor_to NAME: the '>' of this screen onto NAME
rec_cursor_to() {
	for _ in $(seq 1 40); do ui_keys Up; done
	for _ in $(seq 1 80); do
		ui_capture
		grep -qE "^  > $1 " <<<"$UI_SCREEN" && return 0
		ui_keys Down
		sleep 0.1
	done
	return 1
}
check "cursor reaches $f" rec_cursor_to "$f"
ui_keys Enter
check "Enter on $f is refused with the reason" ui_wait_re 5 "$f: not blank"

check "cursor reaches $b" rec_cursor_to "$b"
ui_keys Enter
check "confirmation names $b and asks for it" ui_wait 5 "Type its serial to confirm and press Enter: ($b)"
tab_assert_own_loop "$B"
ui_keys "${b}9" Enter
check "a wrong word writes nothing" ui_wait 5 "Nothing was written"
check "$b still blank" test -z "$(blkid -p -o value -s TYPE "$B" 2>/dev/null)"

ui_keys Enter
check "confirmation again" ui_wait 5 "Type its serial to confirm"
ui_keys "$b" Enter
check "initialised" ui_wait 60 "is now the records medium"
ui_capture
echo "$UI_SCREEN" | grep -E "records medium|failed" | sed 's/^ */  /'

check "$b holds ext4 labelled TABULA-RECORDS" \
	test "$(blkid -p -o value -s TYPE "$B")/$(blkid -p -o value -s LABEL "$B")" = ext4/TABULA-RECORDS
check "mounted at $MNT from $b" test "$(findmnt -n -o SOURCE --mountpoint "$MNT")" = "$B"
opts=,$(findmnt -n -o OPTIONS --mountpoint "$MNT"),
check "mounted nodev,nosuid,noexec ($opts)" bash -c 'for o in nodev nosuid noexec; do [[ $1 == *,$o,* ]] || exit 1; done' _ "$opts"
check "ledger and station key created there" test -s "$MNT/ledger.db" -a -s "$MNT/ledger.db.key"
if [ -x "$CERTS" ]; then
	check "certs verify accepts the new ledger" "$CERTS" verify "$MNT/ledger.db"
fi
check "the medium with a filesystem is unchanged" test "$(md5sum <"$F")" = "$fsum"
check "the small medium is still blank" test -z "$(blkid -p -o value -s TYPE "$S" 2>/dev/null)"

ui_keys Enter
check "back on the session screen, records on $MNT" ui_wait 10 "Records medium: $MNT"
ui_capture
check "no offer any more" bash -c '! grep -qF "press i to initialise" <<<"$1"' _ "$UI_SCREEN"
ui_keys i
check "i again: a records medium is already attached" ui_wait 10 "A records medium is already attached"
ui_keys Escape
ui_wait 5 "Session start" >/dev/null
ui_keys q
check "q exits with status 0" ui_wait 15 "TABULA-EXIT=0"

[ "$fails" = 0 ] || { echo "$fails failures"; exit 1; }
