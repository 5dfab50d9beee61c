#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A loop device grown (losetup -c) while `wiper erase --verify all` runs on
# it: the sectors past the old end were never written, so the job must not
# end PASSED, and its reason says what changed. Planned for internal reuse,
# the medium is certified for destruction instead, naming the plan.
set -u
. "${top_srcdir:-.}/tests/lib/safety.sh"
tab_setup_root
command -v jq >/dev/null || tab_skip "jq not installed"
: "${CERTS:=$(dirname "$WIPER")/../certs/certs}"
[ -x "$CERTS" ] || tab_skip "certs not built"

fails=0
check() {
	local what=$1; shift
	if "$@"; then echo "ok: $what"; else echo "not ok: $what"; fails=$((fails + 1)); fi
}

# Big enough that Gutmann (35 passes, each read back: 9 GB of I/O) is still running
# when the device grows, even on a loop over tmpfs at several GB/s.
size=$((128 << 20))
file=$TESTDIR/grows.img
truncate -s $size "$file"
tab_make_loop L $size 512 "$file"
tab_assert_own_loop "$L"
dd if=/dev/urandom of="$L" bs=1M count=$((size >> 20)) oflag=direct status=none
LEDGER=$TESTDIR/ledger.db

tab_assert_own_loop "$L"
"$WIPER" erase --yes --json --method gutmann --verify all --ledger "$LEDGER" \
	--operator "Ann Example, Technician" --witness "Bob Example, Officer" \
	--destination internal-reuse "$L" >"$TESTDIR/out.json" 2>"$TESTDIR/err.txt" &
pid=$!
for _ in $(seq 200); do
	grep -q '"event":"progress"' "$TESTDIR/out.json" 2>/dev/null && break
	sleep 0.05
done
check "the erase is under way when the device grows" grep -q '"event":"progress"' "$TESTDIR/out.json"
truncate -s $((size + (8 << 20))) "$file"
losetup -c "$L"
wait $pid
rc=$?
check "exit status 1 (not PASSED)" test $rc = 1
res=$(jq -c 'select(.event == "result")' "$TESTDIR/out.json")
outcome=$(echo "$res" | jq -r .result)
check "result FAILED or INCOMPLETE, not PASSED ($outcome)" test "$outcome" = FAILED -o "$outcome" = INCOMPLETE
reason=$(echo "$res" | jq -r .reason)
echo "reason: $reason"
check "the reason says the capacity changed" grep -q "capacity changed" <<<"$reason"
check "the reason names both sizes" grep -q "128 MiB.*136 MiB" <<<"$reason"
"$CERTS" show "$LEDGER" 1 >"$TESTDIR/show.txt" 2>&1
check "certificate issued" test $? = 0
check "certificate result is not PASSED" grep -Eq "^ *Result +(FAILED|INCOMPLETE)$" "$TESTDIR/show.txt"
check "certified for destruction" grep -Eq "^ *Destination +destruction$" "$TESTDIR/show.txt"
check "the planned reuse is named" grep -Eq "^ *Destination details +planned internal_reuse; not sanitized" "$TESTDIR/show.txt"
"$CERTS" show "$LEDGER" 1 --json >"$TESTDIR/show.json" 2>&1
pbs=$(jq -r '.. | objects | select(has("physical_block")) | .physical_block' "$TESTDIR/show.json" | head -1)
check "the physical block size is on the record ($pbs)" test "$pbs" = "$(cat /sys/block/${L#/dev/}/queue/physical_block_size)"
"$CERTS" verify "$LEDGER" >/dev/null 2>&1
check "the ledger verifies" test $? = 0
# On the page the whole reason is there, wrapped rather than cut at the margin, in both languages.
if command -v pdftotext >/dev/null; then
	for lang in en zh; do
		"$CERTS" pdf "$LEDGER" 1 --lang $lang -o "$TESTDIR/c-$lang.pdf" >/dev/null 2>&1
		pdftotext "$TESTDIR/c-$lang.pdf" - 2>/dev/null | tr -d '\n' >"$TESTDIR/c-$lang.txt"
	done
	check "the English page gives the whole reason" grep -q "the sectors past the old end were not erased" "$TESTDIR/c-en.txt"
	check "the Chinese page gives it in Chinese, whole" grep -q "消除期间容量改变.*原末端之后的扇区未被消除" "$TESTDIR/c-zh.txt"
fi
[ $fails = 0 ] || { cat "$TESTDIR/show.txt" "$TESTDIR/err.txt"; exit 1; }
echo "PASS: erase-resized"
