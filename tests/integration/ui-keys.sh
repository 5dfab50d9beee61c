#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The station's keys, in tmux at 80x24 (English) and 100x30 (Chinese):
# ?/F1 opens a help over every screen listing its keys, from the table the
# key bar is drawn from; the 80-column key bar shows every entry (on two
# rows) instead of dropping "Esc" and "r Rescan"; Esc goes back one step
# through the session (witness → operator, media list → session, where
# another operator can be picked without quitting); a key that does
# nothing says where the keys are; e with nothing selected says so.
# Then one station name: a station with no "station =" asks for one (t),
# keeps it in its configuration and numbers with it; wiper erase --ledger
# on the same ledger numbers the same way without being told, and refuses
# another name before it touches the medium.
set -u
. "${top_srcdir:-.}/tests/lib/safety.sh"
. "${top_srcdir:-.}/tests/integration/ui-lib.sh"
tab_setup_root
ui_require
WIPER=${WIPER:-${top_builddir:-.}/wiper/wiper}
CERTS=${CERTS:-${top_builddir:-.}/certs/certs}

fails=0
check() { # check DESCRIPTION COMMAND...
	local what=$1; shift
	if "$@"; then echo "ok: $what"; else echo "not ok: $what"; fails=$((fails + 1)); fi
}

# help_on SCREEN TEXT: ? opens the help naming TEXT, any key closes it.
help_on() {
	ui_keys "$3"
	ui_wait 5 "$1" || return 1
	ui_wait 5 "$2" || return 1
	ui_keys x
	ui_wait_gone 5 "$1"
}

tab_make_loop A 16M 512
tab_make_loop B 16M 512
a=${A#/dev/}
tab_assert_own_loop "$A"
tab_assert_own_loop "$B"

CONF=$TESTDIR/station.conf
cat >"$CONF" <<EOC
station = TEST-STATION
person = Ann Example, Technician
person = Cy Example, Technician
witness = Bob Example, Supervisor
require_witness = yes
EOC

# --- 80x24, English ---
ui_start 80 24 --demo-dir "$TESTDIR" --config "$CONF" --ledger "$TESTDIR/ledger.db"
check "session: operator step" ui_wait 20 "Who is on duty?"
check "help on the session screen (?)" help_on "Keys on this screen" "No witness" "?"
ui_keys '?'
ui_wait 5 "Keys on this screen" >/dev/null
check "help: i sets up a records medium" ui_wait_re 5 "i +Set up a records medium"
check "help: F1 next to ?" ui_wait_re 5 "\? F1 +Help"
ui_keys x
ui_keys Enter
check "witness step" ui_wait 5 "Who witnesses?"
ui_keys Escape
check "Esc: witness → operator" ui_wait 5 "Who is on duty?"
ui_keys Enter
ui_wait 5 "Who witnesses?" >/dev/null
ui_keys Enter
check "media list" ui_wait 10 "Media "
check "help on the media list (F1)" help_on "Keys on this screen" "Rescan" F1
ui_capture
bar=$(tail -2 <<<"$UI_SCREEN")
echo "$bar"
for e in "↑↓ Move" "Space Select" "a All" "e Erase" "Enter OK" "d Progress" "c Certs" "r Rescan" \
	"Esc Session" "? Help" "q Quit"; do
	check "80x24 list bar shows '$e'" grep -qF "$e" <<<"$bar"
done
ui_keys Tab
check "Tab says where the keys are" ui_wait 5 "That key does nothing here: press ?"
ui_keys e
check "e with nothing selected says so" ui_wait 5 "Nothing selected"
ui_capture
check "... and ticks nothing" test "$(grep -c '^\[x\]' <<<"$UI_SCREEN")" = 0
ui_keys Escape
check "Esc: media list → session" ui_wait 5 "Who is on duty?"
ui_keys Down Enter
ui_wait 5 "Who witnesses?" >/dev/null
ui_keys Enter
check "another operator without quitting" ui_wait 10 "Operator: Cy Example"
check "cursor reaches $a" ui_cursor_to "$a"
ui_keys Space e
check "method screen" ui_wait 5 "choose the method"
check "help on the erase screen" help_on "Keys on this screen" "Back" "?"
ui_keys Escape
check "Esc: erase → media list" ui_wait 5 "Media "
ui_keys d
check "dashboard with no job" ui_wait 5 "No job here yet."
check "help on the dashboard" help_on "Keys on this screen" "Stop" "?"
ui_keys s
check "s with no job says so" ui_wait 5 "No job here yet."
ui_keys Escape
check "Esc: dashboard → media list" ui_wait 5 "Media "
ui_keys c
check "certificates screen" ui_wait 10 "Printer"
check "help on the certificates screen" help_on "Keys on this screen" "Last month's register" "?"
ui_capture
bar=$(tail -2 <<<"$UI_SCREEN")
echo "$bar"
for e in "Enter View" "p Print" "s Save" "o Printer" "g Register" "x Destroy" "Esc Back" "? Help" "q Quit"; do
	check "80x24 certificates bar shows '$e'" grep -qF "$e" <<<"$bar"
done
# o: which printers exist, or how to add one.
ui_keys o
if [ -z "$(lpstat -e 2>/dev/null)" ]; then
	check "no printer: the header says none is set up" ui_wait 10 "Printer: none set up (o: how to add one)"
	check "o says how to add a printer on the image" ui_wait 10 "lpadmin -p NAME"
else
	check "o names the printers that exist" ui_wait_re 10 "Printer: .*\(.*; o: the next one\)"
fi
ui_keys Escape
ui_wait 5 "Media " >/dev/null
ui_keys Escape
ui_wait 5 "Who is on duty?" >/dev/null
ui_keys i
check "records screen" ui_wait 10 "TABULA-RECORDS"
check "help on the records screen" help_on "Keys on this screen" "Back" F1
ui_keys Escape
check "Esc: records → session" ui_wait 5 "Who is on duty?"
ui_keys q
check "q exits with status 0" ui_wait 15 "TABULA-EXIT=0"
ui_tmux kill-server 2>/dev/null

# --- 100x30, Chinese ---
ui_start 100 30 --demo-dir "$TESTDIR" --lang zh --config "$CONF" --ledger "$TESTDIR/ledger.db"
check "zh: session" ui_wait 20 "谁在值班"
check "zh: help" help_on "本屏幕的按键" "无见证" "?"
ui_keys Enter
ui_wait 5 "n 无见证" >/dev/null	# the witness step's key bar (the session shows 见证 too)
ui_keys Enter
ui_wait_gone 10 "n 无见证" >/dev/null
check "zh: media list" ui_wait 10 "q 退出"
ui_capture
bar=$(tail -2 <<<"$UI_SCREEN")
echo "$bar"
for e in "Space 选择" "r 刷新" "Esc 会话" "? 帮助" "q 退出"; do
	check "zh 100x30 list bar shows '$e'" grep -qF "$e" <<<"$bar"
done
ui_keys q
ui_wait 15 "TABULA-EXIT=0" >/dev/null
ui_tmux kill-server 2>/dev/null

# --- one station name ---
cat >"$TESTDIR/unnamed.conf" <<EOC
operator = Ann Example, Technician
witness = Bob Example, Supervisor
EOC
L2=$TESTDIR/named.db
ui_start 100 30 --demo-dir "$TESTDIR" --config "$TESTDIR/unnamed.conf" --ledger "$L2"
check "an unnamed station says so" ui_wait 20 "Not named yet"
ui_keys t
check "t asks for the name" ui_wait 5 "Name this station"
ui_keys -l "bad name!"
ui_keys Enter
check "a bad name is refused in words" ui_wait 5 "Not a station name"
ui_keys C-u
for _ in $(seq 12); do ui_keys BSpace; done
ui_keys -l "LAB-9"
ui_keys Enter
check "the name is kept in the configuration" ui_wait 5 "Station name kept in"
check "station = LAB-9 written" grep -qx "station = LAB-9" "$TESTDIR/unnamed.conf"
check "the title names it" ui_wait 5 "· LAB-9"
ui_keys Enter
ui_wait 5 "Who witnesses?" >/dev/null
ui_keys Enter
ui_wait 10 "Media " >/dev/null
check "cursor reaches $a" ui_cursor_to "$a"
tab_assert_own_loop "$A"
ui_keys Space e
ui_wait 5 "choose the method" >/dev/null
ui_keys Enter
check "destination" ui_dest 0
check "details" ui_details "LAB-A" "" ""
ui_wait 5 "Type the number of media" >/dev/null
ui_keys 1 Enter
check "the station numbers LAB-9-000001" ui_wait 60 "certificate LAB-9-000001"
ui_keys q
ui_wait 15 "TABULA-EXIT=0" >/dev/null
ui_tmux kill-server 2>/dev/null
if [ -x "$WIPER" ]; then
	tab_assert_own_loop "$B"
	env -u TABULA_STATION "$WIPER" erase --yes --method zero --ledger "$L2" \
		--operator "Ann Example, Technician" --witness "Bob Example, Supervisor" \
		"$B" >"$TESTDIR/cli.out" 2>&1
	check "wiper erase --ledger: exit 0" test $? = 0
	check "the CLI numbers the same chain LAB-9-000002 (not TABULA-)" grep -q "LAB-9-000002" "$TESTDIR/cli.out"
	tail -3 "$TESTDIR/cli.out"
	dd if=/dev/urandom of="$B" bs=1M count=16 oflag=direct status=none
	bsum=$(md5sum <"$B")
	TABULA_STATION=OTHER "$WIPER" erase --yes --method zero --ledger "$L2" \
		--operator "Ann Example, Technician" --witness "Bob Example, Supervisor" \
		"$B" >"$TESTDIR/cli2.out" 2>&1
	st=$?
	check "another name is refused (exit $st)" test "$st" != 0
	check "... in words naming the chain's" grep -q "numbers its certificates LAB-9-NNNNNN" "$TESTDIR/cli2.out"
	tail -1 "$TESTDIR/cli2.out"
	check "... before the medium is touched" test "$(md5sum <"$B")" = "$bsum"
	if [ -x "$CERTS" ]; then
		check "the ledger verifies" "$CERTS" verify "$L2"
		check "no TABULA- number in the chain" bash -c "! '$CERTS' list '$L2' | grep -q TABULA-"
	fi
fi

[ "$fails" = 0 ] || { echo "$fails failures"; exit 1; }
