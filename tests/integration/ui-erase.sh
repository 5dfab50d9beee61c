#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# An erase through the station's menus, in tmux: select this test's loop
# device, accept the recommended method, choose a destination other than the
# default (external reuse), give the owner, classification and asset number,
# confirm by typing the count; the dashboard shows PASSED, the device reads
# back as zeros, and the certificate lands in a ledger that verifies and
# carries those fields (certs show).
set -u
. "${top_srcdir:-.}/tests/lib/safety.sh"
. "${top_srcdir:-.}/tests/integration/ui-lib.sh"
tab_setup_root
ui_require
CERTS=${CERTS:-${top_builddir:-.}/certs/certs}

fails=0
check() { # check DESCRIPTION COMMAND...
	local what=$1; shift
	if "$@"; then echo "ok: $what"; else echo "not ok: $what"; fails=$((fails + 1)); fi
}

SIZE=$((40 << 20))
tab_make_loop A "$SIZE" 512
tab_make_loop K 8M 512	# a bystander that must stay untouched
a=${A#/dev/}
tab_assert_own_loop "$A"
tab_assert_own_loop "$K"
dd if=/dev/urandom of="$A" bs=1M count=40 oflag=direct status=none || tab_fail "cannot fill $A"
dd if=/dev/urandom of="$K" bs=1M count=8 oflag=direct status=none || tab_fail "cannot fill $K"
ksum=$(md5sum <"$K")

ui_start 100 30 --demo --config "$(ui_config)" --ledger "$TESTDIR/ledger.db"
check "login" ui_login
check "$a listed" ui_wait_re 10 "$a +loop"
check "cursor reaches $a" ui_cursor_to "$a"
tab_assert_own_loop "$A"
ui_keys Space
check "$a selected" ui_wait_re 5 "^\[x\].$a "
ui_capture
check "exactly one medium selected" test "$(grep -c '^\[x\]' <<<"$UI_SCREEN")" = 1
ui_keys e
check "method screen" ui_wait 5 "choose the method"
check "plan for $a is Clear (loop devices have no Purge)" ui_wait_re 5 "$a +Clear"
ui_keys Enter
check "destination screen offers external reuse" ui_wait 5 "External reuse"
check "destination: External reuse (one down)" ui_dest 1
# A top-secret (绝密) carrier is only ever destroyed: the station refuses external
# reuse before the confirmation, and nothing is touched.
asum=$(md5sum <"$A")
check "details: a 绝密 carrier for external reuse" ui_details "ASSET-0042" "Finance Dept" "top-secret" "ZT-0815"
check "refused with the rule, before the confirmation" ui_wait 5 "may only be destroyed"
ui_capture
check "still on the details step" grep -q "asset numbers" <<<"$UI_SCREEN"
check "$a untouched by the refusal" test "$(md5sum <"$A")" = "$asum"
# The classification field still has the keys: make it an open level and go on.
ui_keys C-u
ui_keys -l "Internal"
ui_keys Enter
check "confirmation names $a and its size" ui_wait_re 5 "$a .* 40 MiB .*asset ASSET-0042"
check "confirmation names the destination" ui_wait 5 "Destination: External reuse"
check "confirmation names the owner and classification" \
	ui_wait 5 "Owner (unit): Finance Dept · Classification: Internal"
ui_keys 7 Enter
check "a wrong count is refused" ui_wait 5 "Nothing was erased"
ui_keys 1 Enter
check "dashboard shows PASSED" ui_wait 120 "PASSED"
check "certificate issued" ui_wait_re 10 "certificate [A-Za-z0-9-]+"
ui_capture
echo "$UI_SCREEN" | grep -E "PASSED|certificate|$a"

check "$a reads back as zeros" cmp -n "$SIZE" "$A" /dev/zero
check "the bystander is unchanged" test "$(md5sum <"$K")" = "$ksum"
if [ -x "$CERTS" ]; then
	check "the ledger verifies" "$CERTS" verify "$TESTDIR/ledger.db"
	"$CERTS" show "$TESTDIR/ledger.db" 1 >"$TESTDIR/show" 2>&1
	check "certs show: the asset number" grep -qE "Property number +ASSET-0042" "$TESTDIR/show"
	check "certs show: destination external reuse" grep -qE "Destination +external_reuse" "$TESTDIR/show"
	check "certs show: owner unit" grep -qE "Owner unit +Finance Dept" "$TESTDIR/show"
	check "certs show: classification" grep -qE "Classification +Internal \(内部\)" "$TESTDIR/show"
	check "certs show: carrier number" grep -qE "Carrier number +ZT-0815" "$TESTDIR/show"
	grep -E "Property|Destination|Owner|Classification" "$TESTDIR/show"
else
	echo "note: $CERTS not built; ledger not verified"
fi

ui_keys c
check "certificates screen" ui_wait_re 10 "^> TEST-STATION-[0-9]+ .*PASSED"
ui_keys Enter
check "summary: destination external reuse" ui_wait 5 "External reuse (sold"
check "summary: owner" ui_wait 5 "Finance Dept"
ui_keys Escape
ui_keys m
check "back on the media list" ui_wait_re 10 "$a +loop"
ui_keys q
check "q exits with status 0" ui_wait 15 "TABULA-EXIT=0"

[ "$fails" = 0 ] || { echo "$fails failures"; exit 1; }
