#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A Clear at the station over an ATA disk with a host protected area: the
# station (tests/station/tabula-sim: the real program with a simulated drive
# attached as "sim0") must restore the hidden sectors and overwrite them too,
# exactly as `wiper erase` does. The drive's contents are dumped at exit and
# read back here; the certificate's hidden-area line shows before and after.
set -u
. "${top_srcdir:-.}/tests/lib/safety.sh"
TABULA=${TABULA_SIM:-${top_builddir:-.}/tests/station/tabula-sim}
. "${top_srcdir:-.}/tests/integration/ui-lib.sh"
tab_setup_root
ui_require
CERTS=${CERTS:-${top_builddir:-.}/certs/certs}
[ -x "$CERTS" ] || tab_skip "certs not built"

fails=0
check() { # check DESCRIPTION COMMAND...
	local what=$1; shift
	if "$@"; then echo "ok: $what"; else echo "not ok: $what"; fails=$((fails + 1)); fi
}

DUMP=$TESTDIR/sim.img
export TABULA_SIM=hpa TABULA_SIM_DUMP=$DUMP
# Nothing real may be erased here: --demo offers only loop devices, and the simulated drive.
ui_start 100 30 --demo --config "$(ui_config)" --ledger "$TESTDIR/ledger.db"
check "login" ui_login
check "sim0 listed as SATA with its HPA" ui_wait_re 10 "sim0 +sata"
check "cursor reaches sim0" ui_cursor_to sim0
ui_keys Space
check "sim0 selected" ui_wait_re 5 "^\[x\].sim0 "
ui_keys e
check "method screen" ui_wait 5 "choose the method"
check "plan for sim0 is Clear (no firmware erase)" ui_wait_re 5 "sim0 +Clear"
ui_keys Enter
check "destination" ui_dest 0
check "details" ui_details "ASSET-HPA" "" ""
check "confirmation" ui_wait 5 "Type the number of media"
ui_keys 1 Enter
check "dashboard shows PASSED" ui_wait 60 "PASSED"
check "certificate issued" ui_wait_re 10 "certificate [A-Za-z0-9-]+"
ui_keys q
check "q exits with status 0" ui_wait 15 "TABULA-EXIT=0"
check "the drive was dumped" test -s "$DUMP"
check "the dump is the whole native capacity" test "$(stat -c %s "$DUMP")" = $((8192 * 512))
check "every sector, the 512 hidden ones too, reads back zero" cmp -s -n $((8192 * 512)) "$DUMP" /dev/zero
"$CERTS" show "$TESTDIR/ledger.db" 1 >"$TESTDIR/show" 2>&1
grep -E "Result|Hidden|Sector|Serial|command" "$TESTDIR/show"
check "certificate PASSED" grep -qE "^ *Result +PASSED$" "$TESTDIR/show"
check "hidden area before/after on the certificate" \
	grep -qE "^ *Hidden area +7680 of 8192 native sectors accessible before, 8192 of 8192 native sectors accessible after" "$TESTDIR/show"
check "the SET MAX ADDRESS command is on the record" grep -q "SET MAX ADDRESS EXT" "$TESTDIR/show"
check "the ledger verifies" "$CERTS" verify "$TESTDIR/ledger.db"
[ "$fails" = 0 ] || { echo "$fails failures"; cat "$TESTDIR/stderr"; exit 1; }
