#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Recording a physical destruction through the station's menus, in tmux:
# select this test's loop device, choose "Destroy: record physical
# destruction", pick the technique, give details and the asset number,
# confirm by typing the count. Nothing is written to the medium; a DESTROY
# record naming the technique, the operator and the witness lands in the
# ledger, which verifies, and the certificates screen shows it.
set -u
. "${top_srcdir:-.}/tests/lib/safety.sh"
. "${top_srcdir:-.}/tests/integration/ui-lib.sh"
tab_setup_root
ui_require
CERTS=${CERTS:-${top_builddir:-.}/certs/certs}
[ -x "$CERTS" ] || tab_skip "$CERTS not built"

fails=0
check() { # check DESCRIPTION COMMAND...
	local what=$1; shift
	if "$@"; then echo "ok: $what"; else echo "not ok: $what"; fails=$((fails + 1)); fi
}

SIZE=$((8 << 20))
mkdir -p "$TESTDIR/demo"
truncate -s "$SIZE" "$TESTDIR/demo/d.img"
tab_make_loop D "$SIZE" 512 "$TESTDIR/demo/d.img"
d=${D#/dev/}
tab_assert_own_loop "$D"
truncate -s 4M "$TESTDIR/demo/e.img"
tab_make_loop E 4M 512 "$TESTDIR/demo/e.img"
e=${E#/dev/}
tab_assert_own_loop "$E"
dd if=/dev/urandom of="$D" bs=1M count=8 oflag=direct status=none || tab_fail "cannot fill $D"
sum=$(md5sum <"$D")

ui_start 100 30 --demo-dir "$TESTDIR/demo" --config "$(ui_config)" --ledger "$TESTDIR/ledger.db"
check "login" ui_login
check "cursor reaches $d" ui_cursor_to "$d"
ui_keys Space e
check "method screen" ui_wait 5 "choose the method"
for i in $(seq 1 30); do ui_keys Down; done
check "Destroy is offered" ui_wait 5 "Destroy: record physical destruction"
ui_keys Enter
check "technique screen" ui_wait 5 "how was it destroyed?"
ui_keys Down Down
ui_keys "Furnace 3, seal 0042"
check "details typed" ui_wait 5 "Furnace 3, seal 0042"
ui_keys Enter
check "details screen" ui_details "DST-9" "Records Office" "Internal"
check "confirmation says nothing is erased" ui_wait 5 "RECORDED AS PHYSICALLY DESTROYED"
# IEEE 2883 (SP 800-88 Rev. 2) calls the method Destruct.
check "confirmation names the technique" ui_wait 5 "Destruct: Incinerate"
ui_keys 1 Enter
check "destruction recorded" ui_wait 10 "Destruction recorded"
check "certificates screen shows DESTROYED" ui_wait_re 5 "^> TEST-STATION-[0-9]+ .*DESTROYED +Destruct: Incin"
ui_capture; echo "$UI_SCREEN" | grep -E "DESTROY|Destruction"
ui_keys Enter
check "summary names the details" ui_wait 5 "Furnace 3, seal 0042"

check "the medium was not written" test "$(md5sum <"$D")" = "$sum"
check "the ledger verifies" "$CERTS" verify "$TESTDIR/ledger.db"
"$CERTS" show "$TESTDIR/ledger.db" 1 >"$TESTDIR/show" 2>&1
check "certs show: DESTROYED" grep -q DESTROYED "$TESTDIR/show"
check "certs show: technique" grep -q Incinerate "$TESTDIR/show"
check "certs show: operator" grep -q "Ann Example" "$TESTDIR/show"
check "certs show: witness" grep -q "Bob Example" "$TESTDIR/show"
check "certs show: asset number" grep -q "DST-9" "$TESTDIR/show"
check "certs show: owner unit" grep -qE "Owner unit +Records Office" "$TESTDIR/show"
check "certs show: destination destruction" grep -qE "Destination +destruction" "$TESTDIR/show"
check "the certificate PDF was written" test -s "$TESTDIR/$(grep -oE 'TEST-STATION-[0-9]+' "$TESTDIR/show" | head -n 1).pdf"
grep -E "DESTROY|Incinerate|Furnace" "$TESTDIR/show"

ui_keys Escape x
check "x on a DESTROYED certificate is refused" ui_wait 5 "already records the destruction"

# Later: a medium erased (and certified) earlier, destroyed after it left the
# station, is recorded from its certificate.
ui_keys Escape
check "back on the media list" ui_wait_re 10 "$e +loop"
check "cursor reaches $e" ui_cursor_to "$e"
tab_assert_own_loop "$E"
ui_keys Space e
check "method screen (2)" ui_wait 5 "choose the method"
ui_keys Enter
check "destination screen (2)" ui_dest 0
check "details screen (2)" ui_details "LATE-1" "信息中心 IT Dept" "Secret" "ZT-77"
check "confirmation (2)" ui_wait 5 "Type the number of media to erase"
ui_keys 1 Enter
check "erase PASSED" ui_wait 120 "PASSED"
check "certificate issued (2)" ui_wait_re 10 "certificate TEST-STATION-[0-9]+"
ui_keys c
check "certificates screen opens on the new one" ui_wait_re 10 "^> TEST-STATION-[0-9]+ .*PASSED"
ui_keys x
check "destruction form for that medium" ui_wait 5 "how was it destroyed?"
ui_keys Enter
check "asset number carried over" ui_wait 5 "LATE-1"
# The pre-fill keeps Chinese text whole (it once came back as " IT Dept").
check "owner carried over, Chinese and all" ui_wait 5 "信息中心 IT Dept"
check "carrier number carried over" ui_wait 5 "ZT-77"
ui_keys Enter Enter Enter Enter
check "confirmation names the medium" ui_wait_re 5 "$e .*asset LATE-1"
ui_keys 1 Enter
check "destruction recorded (2)" ui_wait 10 "Destruction recorded"
check "the ledger verifies (3 records)" "$CERTS" verify "$TESTDIR/ledger.db"
"$CERTS" show "$TESTDIR/ledger.db" 3 >"$TESTDIR/show3" 2>&1
check "certs show 3: DESTROYED by Shred, asset LATE-1" \
	bash -c 'grep -q DESTROYED "$0" && grep -q Shred "$0" && grep -q LATE-1 "$0"' "$TESTDIR/show3"
check "certs show 3: owner and classification from the erase certificate" \
	bash -c 'grep -qE "Owner unit +信息中心 IT Dept" "$0" && grep -qE "Classification +Secret \(秘密\)" "$0" && grep -qE "Carrier number +ZT-77" "$0"' "$TESTDIR/show3"

ui_keys q
check "q exits with status 0" ui_wait 15 "TABULA-EXIT=0"
[ "$fails" = 0 ] || { echo "$fails failures"; exit 1; }
