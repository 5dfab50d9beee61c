#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The 保密 record at the station, in tmux: a configuration that asks for two
# supervisors (supervisors = 2) and an approval (require_approval), with each
# person's unit and the station's time zone; the session names the operator,
# both supervisors, the approver and the approval reference; a 秘密 carrier
# with its carrier number is erased for internal reuse; the certificate holds
# them all, with the units from the configuration and the local time.
set -u
. "${top_srcdir:-.}/tests/lib/safety.sh"
. "${top_srcdir:-.}/tests/integration/ui-lib.sh"
tab_setup_root
ui_require
CERTS=${CERTS:-${top_builddir:-.}/certs/certs}
[ -x "$CERTS" ] || tab_skip "$CERTS not built"

fails=0
check() {
	local what=$1; shift
	if "$@"; then echo "ok: $what"; else echo "not ok: $what"; fails=$((fails + 1)); fi
}

tab_make_loop A $((16 << 20)) 512
a=${A#/dev/}
tab_assert_own_loop "$A"
dd if=/dev/urandom of="$A" bs=1M count=16 oflag=direct status=none || tab_fail "cannot fill $A"
asum=$(md5sum <"$A")

cat >"$TESTDIR/station.conf" <<EOC
station = TEST-STATION
timezone = Asia/Shanghai
require_witness = yes
require_approval = yes
supervisors = 2
operator = Ann Example, Technician
unit = Records Unit 3
department = IT Dept
witness = Bob Example, Supervisor
unit = Security Office
supervisor = Cy Example, Officer
phone = 010-5555 0103
approver = Di Example, Director
EOC

ui_start 110 32 --demo --config "$TESTDIR/station.conf" --ledger "$TESTDIR/ledger.db"
check "operator step" ui_wait 20 "Who is on duty?"
ui_keys Enter
check "first supervisor step" ui_wait 5 "Who witnesses?"
ui_keys Enter
check "second supervisor step" ui_wait 5 "Who is the second supervisor?"
ui_capture
check "the operator and the first supervisor are not offered again" \
	bash -c '! grep -qE "> (Ann|Bob) Example" <<<"$0"' "$UI_SCREEN"
ui_keys Enter
check "approver step" ui_wait 5 "Who approved this batch?"
ui_keys n
check "an approver is required here" ui_wait 5 "requires an approver"
ui_keys Enter
check "approval reference prompt" ui_wait 5 "Approval reference of this batch"
ui_keys Enter
check "an empty reference is refused" ui_wait 5 "requires an approver and an approval reference"
ui_keys -l "BS-2026-12"
ui_keys Enter
check "media list" ui_wait_re 10 "$a +loop"
check "cursor reaches $a" ui_cursor_to "$a"
tab_assert_own_loop "$A"
ui_keys Space e
check "method screen" ui_wait 5 "choose the method"
ui_keys Enter
check "destination: internal reuse" ui_dest 0
check "details: 秘密, carrier ZT-0815" ui_details "ASSET-9" "Finance" "secret" "ZT-0815"
check "confirmation" ui_wait 5 "Type the number of media to erase"
check "nothing written before the confirmation" test "$(md5sum <"$A")" = "$asum"
ui_keys 1 Enter
check "erase PASSED" ui_wait 120 "PASSED"
check "certificate issued" ui_wait_re 10 "certificate TEST-STATION-[0-9]+"
"$CERTS" show "$TESTDIR/ledger.db" 1 >"$TESTDIR/show" 2>&1
cat "$TESTDIR/show" | grep -E "Operator|Witness|supervisor|Approv|Carrier|Classification|Time"
check "show: operator with unit and department" grep -qE "Operator +Ann Example \(Technician, Records Unit 3 IT Dept\)" "$TESTDIR/show"
check "show: first supervisor with unit" grep -qE "Witness +Bob Example \(Supervisor, Security Office\)" "$TESTDIR/show"
check "show: second supervisor" grep -qE "Second supervisor +Cy Example \(Officer\)" "$TESTDIR/show"
check "show: approver" grep -qE "Approver +Di Example \(Director\)" "$TESTDIR/show"
check "show: approval reference" grep -qE "Approval reference +BS-2026-12" "$TESTDIR/show"
check "show: carrier number" grep -qE "Carrier number +ZT-0815" "$TESTDIR/show"
check "show: classification 秘密" grep -qE "Classification +Secret \(秘密\)" "$TESTDIR/show"
check "show: station time UTC+08:00" grep -qE "Time \(station\) .*UTC\+08:00" "$TESTDIR/show"
ui_keys c
check "certificates screen" ui_wait_re 10 "^> TEST-STATION-[0-9]+ .*PASSED"
ui_keys Enter
check "the view shows the local end time" ui_wait 5 "UTC+08:00"
ui_keys Escape Escape q
check "q exits with status 0" ui_wait 15 "TABULA-EXIT=0"

# In Chinese: a 绝密 carrier for external reuse is refused, in Chinese, before anything is written.
ui_tmux kill-server 2>/dev/null
tab_make_loop B $((8 << 20)) 512
b=${B#/dev/}
tab_assert_own_loop "$B"
dd if=/dev/urandom of="$B" bs=1M count=8 oflag=direct status=none || tab_fail "cannot fill $B"
bsum=$(md5sum <"$B")
ui_start 110 32 --demo --lang zh --config "$TESTDIR/station.conf" --ledger "$TESTDIR/ledger.db"
check "zh: operator step" ui_wait 20 "谁在值班"
ui_keys Enter
check "zh: first supervisor step" ui_wait 5 "谁来见证"
ui_keys Enter
check "zh: second supervisor step" ui_wait 5 "第二监销人是谁"
ui_keys Enter
check "zh: approver step" ui_wait 5 "本批由谁审批"
ui_keys Enter
check "zh: approval reference" ui_wait 5 "本批审批单号"
ui_keys -l "BS-2026-13"
ui_keys Enter
check "zh: media list" ui_wait_re 10 "$b +"
check "zh: cursor reaches $b" ui_cursor_to "$b"
ui_keys Space e
check "zh: method screen" ui_wait 5 "选择方法"
ui_keys Enter
ui_wait 5 "去向" >/dev/null
ui_keys Down Enter
ui_wait 5 "资产编号" >/dev/null
ui_keys Enter Enter Enter
check "zh: the levels are shown by their Chinese names" ui_wait 5 "公开、内部、秘密、机密、绝密"
ui_keys -l "绝密"
ui_keys Enter
check "zh: refused in Chinese" ui_wait 5 "载体只能销毁"
check "zh: $b untouched" test "$(md5sum <"$B")" = "$bsum"
ui_keys Escape Escape Escape q
[ "$fails" = 0 ] || { echo "$fails failures"; exit 1; }
