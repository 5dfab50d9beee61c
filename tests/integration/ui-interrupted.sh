#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The station dies mid-erase (SIGKILL, as a power cut would leave it): on the
# next start it certifies the interrupted job INCOMPLETE, says so on the
# session screen, and the ledger verifies. Loop devices this test creates.
set -u
. "${top_srcdir:-.}/tests/lib/safety.sh"
. "${top_srcdir:-.}/tests/integration/ui-lib.sh"
tab_setup_root
ui_require
CERTS=${CERTS:-${top_builddir:-.}/certs/certs}
[ -x "$CERTS" ] || tab_skip "$CERTS not built"
command -v jq >/dev/null || tab_skip "jq not installed"

fails=0
check() { # check DESCRIPTION COMMAND...
	local what=$1; shift
	if "$@"; then echo "ok: $what"; else echo "not ok: $what"; fails=$((fails + 1)); fi
}

# Big enough that 35 Gutmann passes take seconds even on tmpfs.
tab_make_loop A $((2 << 30)) 512
a=${A#/dev/}
LEDGER=$TESTDIR/ledger.db
tab_assert_own_loop "$A"

ui_start 100 30 --demo --config "$(ui_config)" --ledger "$LEDGER"
check "login" ui_login
check "$a listed" ui_wait_re 10 "$a +loop"
check "cursor reaches $a" ui_cursor_to "$a"
tab_assert_own_loop "$A"
ui_keys Space e
check "method screen" ui_wait 5 "choose the method"
ui_keys Down Down Down Down Down Down Down Enter	# Gutmann (35 passes)
check "verification screen" ui_wait 5 "choose the verification"
ui_keys Enter	# last pass read back
check "destination screen" ui_wait 5 "where do the media go next?"
ui_keys Enter
check "details" ui_details "ASSET-7" "" ""
check "confirmation names Gutmann" ui_wait 5 "Gutmann"
ui_keys 1 Enter
check "the erase is under way (pass 2 or later)" ui_wait_re 60 "pass ([2-9]|[1-3][0-9])/35"
pid=
for p in $(pgrep -x tabula); do	# the station itself, not the timeout wrapping it
	tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | grep -q -- "--ledger $LEDGER" && pid=$p
done
check "found the station's pid" test -n "$pid"
kill -KILL "$pid"
check "the station is gone" ui_wait 10 "TABULA-EXIT=137"
n=$("$CERTS" list "$LEDGER" --json 2>/dev/null | jq 'length')
check "no certificate yet" test "${n:-0}" = 0

# Power back on: the station starts again on the same ledger.
ui_tmux kill-server 2>/dev/null
ui_start 100 30 --demo --config "$(ui_config)" --ledger "$LEDGER"
check "the session screen reports the interrupted job" \
	ui_wait 20 "1 interrupted job certified INCOMPLETE"
ui_capture
grep -E "interrupted|records" <<<"$UI_SCREEN"
"$CERTS" list "$LEDGER" --json >"$TESTDIR/list.json"
check "one certificate" test "$(jq 'length' "$TESTDIR/list.json")" = 1
check "it is INCOMPLETE" test "$(jq -r '.[0].result' "$TESTDIR/list.json")" = INCOMPLETE
"$CERTS" show "$LEDGER" 1 >"$TESTDIR/show" 2>&1
check "it names the method" grep -q "gutmann" "$TESTDIR/show"
check "it carries the asset number" grep -qE "Property number +ASSET-7" "$TESTDIR/show"
check "it says why" grep -q "Interrupted: the station stopped" "$TESTDIR/show"
check "never for reuse: destination destruction" grep -qE "Destination +destruction" "$TESTDIR/show"
check "the ledger verifies" "$CERTS" verify "$LEDGER"
ui_keys F10
ui_wait 15 "TABULA-EXIT=" >/dev/null

[ "$fails" = 0 ] || { echo "$fails failures"; exit 1; }
