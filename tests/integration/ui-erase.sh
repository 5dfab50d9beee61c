#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# An erase through the station's menus, in tmux: select this test's loop
# device, accept the recommended method, give an asset number, confirm by
# typing the count; the dashboard shows PASSED, the device reads back as
# zeros, and the certificate lands in a ledger that verifies.
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
check "asset screen" ui_wait 5 "asset numbers"
ui_keys "ASSET-0042" Enter
check "confirmation names $a and its size" ui_wait_re 5 "$a .* 40 MiB .*asset ASSET-0042"
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
	check "the record in the ledger carries the asset number" grep -aq ASSET-0042 "$TESTDIR/ledger.db"
else
	echo "note: $CERTS not built; ledger not verified"
fi

ui_keys m
check "back on the media list" ui_wait_re 10 "$a +loop"
ui_keys q
check "q exits with status 0" ui_wait 15 "TABULA-EXIT=0"

[ "$fails" = 0 ] || { echo "$fails failures"; exit 1; }
