#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The 保密 record end to end, on loop devices this test creates: a 秘密
# carrier erased for internal reuse carries its classification, carrier
# number, approver, approval reference and both supervisors (with their
# units from tabula.conf) on its certificate (read back with pdftotext, en
# and zh) and in the register; a 绝密 carrier for external reuse and a
# missing approval are refused before the medium is touched (exit 2, the
# device's bytes and the ledger unchanged); under TZ=Asia/Shanghai a job
# finished at 06:12 local on 2 December is in the register for the 2nd.
set -u
. "${top_srcdir:-.}/tests/lib/safety.sh"
tab_setup_root
CERTS=${CERTS:-${top_builddir:-.}/certs/certs}
command -v pdftotext >/dev/null || tab_skip "pdftotext (poppler-utils) not installed"
[ -x "$CERTS" ] || tab_skip "$CERTS not built"

fails=0
check() {
	local what=$1; shift
	if "$@"; then echo "ok: $what"; else echo "not ok: $what"; fails=$((fails + 1)); fi
}
has() { grep -qF -- "$2" "$1" || { echo "  missing in $1: $2"; return 1; }; }

export TZ=Asia/Shanghai
L=$TESTDIR/ledger.db
CONF=$TESTDIR/tabula.conf
cat >"$CONF" <<CONF
station = DESK-1
timezone = Asia/Shanghai
require_approval = yes
operator = 张三, 技术员
unit = 信息中心
department = 保密办
phone = 010-5555 0101
witness = 李四, 保密员
unit = 保密委员会办公室
supervisor = 王五, 处长
unit = 机要处
location = 3号楼 201
approver = 赵六, 局长
CONF
WHO=(--operator "张三, 技术员" --witness "李四, 保密员" --supervisor "王五, 处长"
     --approver "赵六, 局长" --approval "保审〔2026〕12号" --config "$CONF")

tab_make_loop L1 $((16 << 20)) 512
tab_assert_own_loop "$L1"
dd if=/dev/urandom of="$L1" bs=1M count=16 oflag=direct status=none 2>/dev/null || true
sum0=$(md5sum <"$L1")

# Refusals first: nothing may be written, no ledger made.
tab_assert_own_loop "$L1"
"$WIPER" erase --yes --ledger "$L" "${WHO[@]}" --classification 绝密 \
	--destination external-reuse "$L1" >"$TESTDIR/out" 2>"$TESTDIR/err"
check "绝密 for external reuse: exit 2" test $? = 2
check "the rule is in the message" grep -q "may only be destroyed" "$TESTDIR/err"
check "the device is untouched" test "$(md5sum <"$L1")" = "$sum0"
check "no ledger was made" test ! -e "$L"
cat "$TESTDIR/err"
tab_assert_own_loop "$L1"
"$WIPER" erase --yes --ledger "$L" --operator "张三, 技术员" --witness "李四, 保密员" \
	--config "$CONF" --classification 秘密 --destination internal-reuse "$L1" \
	>/dev/null 2>"$TESTDIR/err"
check "approval required and missing: exit 2" test $? = 2
check "says the approver is required" grep -q "requires an approver" "$TESTDIR/err"
check "the device is still untouched" test "$(md5sum <"$L1")" = "$sum0"
tab_assert_own_loop "$L1"
"$WIPER" erase --yes --ledger "$L" "${WHO[@]}" --supervisor "张三, 技术员" \
	--classification 秘密 --destination internal-reuse "$L1" >/dev/null 2>"$TESTDIR/err"
check "three supervisors: exit 2" test $? = 2
"$WIPER" erase --yes --ledger "$L" --operator "张三, 技术员" --witness "李四, 保密员" \
	--supervisor "张三" --approver "赵六" --approval X --config "$CONF" "$L1" >/dev/null 2>"$TESTDIR/err"
check "operator as second supervisor: exit 2" test $? = 2
check "says a supervisor must be another person" grep -q "supervisor must be another person" "$TESTDIR/err"
check "the device is still untouched (2)" test "$(md5sum <"$L1")" = "$sum0"

# A 秘密 carrier erased for internal reuse.
tab_assert_own_loop "$L1"
"$WIPER" erase --yes --ledger "$L" "${WHO[@]}" --carrier-no ZT-0815 --asset INV-7 \
	--owner "信息中心 IT Dept" --classification secret --destination internal-reuse "$L1" \
	>"$TESTDIR/out" 2>&1
check "秘密 for internal reuse: exit 0" test $? = 0
check "PASSED" grep -q "PASSED" "$TESTDIR/out"
check "the device reads back as zeros" cmp -s -n $((16 << 20)) "$L1" /dev/zero
check "the ledger verifies" "$CERTS" verify "$L"
sha_l=$(sha256sum <"$L")
pdf=$(ls "$TESTDIR"/*.pdf | head -1)
pdftotext -layout "$pdf" "$TESTDIR/en.txt" 2>/dev/null
check "en: titled as an erasure" has "$TESTDIR/en.txt" "CERTIFICATE OF MEDIA SANITIZATION (ERASURE)"
for s in "Secret (秘密)" "ZT-0815" "INV-7" "保审〔2026〕12号" "赵六, 局长" "Supervisor 1: 李四, 保密员" \
	 "Supervisor 2: 王五, 处长" "机要处" "信息中心" "保密办" "010-5555 0101" "UTC+08:00" \
	 "SUPERVISION OF THE ERASURE"; do
	check "en certificate: $s" has "$TESTDIR/en.txt" "$s"
done
"$CERTS" pdf "$L" 1 --lang zh -o "$TESTDIR/zh.pdf" >/dev/null
pdftotext -layout "$TESTDIR/zh.pdf" "$TESTDIR/zh.txt" 2>/dev/null
for s in "涉密载体消除证明书" "密级" "秘密" "载体编号" "审批人" "审批单号" "监销人 1: 李四" "监销人 2: 王五" \
	 "单位盖章"; do
	check "zh certificate: $s" has "$TESTDIR/zh.txt" "$s"
done
check "the zh certificate verifies" bash -c '"$0" verify --pdf "$1" "$2" 2>&1 | grep -q "intact and signed"' \
	"$CERTS" "$TESTDIR/zh.pdf" "$L"

# The refusal leaves the ledger as it is.
tab_assert_own_loop "$L1"
sum1=$(md5sum <"$L1")
"$WIPER" erase --yes --ledger "$L" "${WHO[@]}" --classification top-secret \
	--destination external-reuse "$L1" >/dev/null 2>&1
check "绝密 refused again: exit 2" test $? = 2
check "the ledger is unchanged" test "$(sha256sum <"$L")" = "$sha_l"
check "the device is unchanged" test "$(md5sum <"$L1")" = "$sum1"

# The register of today (local days), both languages.
day=$(date +%F)
for lang in zh en; do
	"$CERTS" register "$L" --from "$day" --to "$day" --lang $lang -o "$TESTDIR/reg-$lang.pdf" \
		>/dev/null 2>&1
	pdftotext -layout "$TESTDIR/reg-$lang.pdf" "$TESTDIR/reg-$lang.txt" 2>/dev/null
	check "register $lang: verifies" bash -c '"$0" verify --pdf "$1" "$2" 2>&1 | grep -q "intact and signed"' \
		"$CERTS" "$TESTDIR/reg-$lang.pdf" "$L"
	for s in ZT-0815 秘密 王五 赵六 张三 "$day" "UTC+08:00"; do
		check "register $lang: $s" has "$TESTDIR/reg-$lang.txt" "$s"
	done
done
check "register zh: titled for the office" has "$TESTDIR/reg-zh.txt" "涉密载体销毁 / 消除登记表"
check "register en: totals by result" has "$TESTDIR/reg-en.txt" "PASSED 1"
check "register en: a station's fingerprint" has "$TESTDIR/reg-en.txt" "Key fingerprint"

# Local days: a job finished at 06:12 Beijing time on 2 December is on the 2nd.
if command -v faketime >/dev/null && faketime '2026-12-02 06:12:00' true 2>/dev/null; then
	mkdir -p "$TESTDIR/tz"	# its own folder: its PDF must not meet the first ledger's
	L2=$TESTDIR/tz/tz.db
	tab_make_loop L3 $((4 << 20)) 512
	tab_assert_own_loop "$L3"
	env ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
		faketime '2026-12-02 06:12:00' "$WIPER" erase --yes --ledger "$L2" "${WHO[@]}" \
		--carrier-no TZ-1 --classification 内部 --destination internal-reuse "$L3" \
		>"$TESTDIR/tz.out" 2>&1
	check "erase at a faked 06:12 local: exit 0" test $? = 0
	"$CERTS" show "$L2" 1 >"$TESTDIR/tz.show" 2>&1
	check "stored in UTC: the 1st, 22:12" grep -qE "Time \(UTC\) +2026-12-01T22:1[2-3]" "$TESTDIR/tz.show"
	check "shown in local time: the 2nd, 06:12" grep -qE "Time \(station\) +2026-12-02 06:1[2-3]:[0-9]{2} UTC\+08:00" "$TESTDIR/tz.show"
	"$CERTS" register "$L2" --from 2026-12-02 --to 2026-12-02 --lang en -o "$TESTDIR/tz2.pdf" >/dev/null 2>&1
	pdftotext -layout "$TESTDIR/tz2.pdf" "$TESTDIR/tz2.txt" 2>/dev/null
	check "in the register for the 2nd" has "$TESTDIR/tz2.txt" "TZ-1"
	check "dated the 2nd" has "$TESTDIR/tz2.txt" "2026-12-02"
	"$CERTS" register "$L2" --from 2026-12-01 --to 2026-12-01 --lang en -o "$TESTDIR/tz1.pdf" >/dev/null 2>&1
	pdftotext -layout "$TESTDIR/tz1.pdf" "$TESTDIR/tz1.txt" 2>/dev/null
	check "not in the register for the 1st" bash -c '! grep -q TZ-1 "$0"' "$TESTDIR/tz1.txt"
	TZ=UTC "$CERTS" register "$L2" --from 2026-12-01 --to 2026-12-01 --lang en -o "$TESTDIR/tzu.pdf" >/dev/null 2>&1
	pdftotext -layout "$TESTDIR/tzu.pdf" "$TESTDIR/tzu.txt" 2>/dev/null
	check "a UTC station files it on the 1st" has "$TESTDIR/tzu.txt" "TZ-1"
else
	echo "SKIP: the local-day check (faketime not installed)"
fi

[ "$fails" = 0 ] || { echo "$fails failures"; exit 1; }
echo "all passed"
