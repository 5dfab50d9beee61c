#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# wiper erase / verify on loop devices this test creates: 512- and 4096-byte
# sectors, sizes that are not a multiple of the request size, the recorded
# seed re-verifying, one changed byte caught, refusals, Ctrl-C.
set -u
. "${top_srcdir:-.}/tests/lib/safety.sh"
tab_setup_root
command -v jq >/dev/null || tab_skip "jq not installed"

fails=0
check() {
	local what=$1; shift
	if "$@"; then echo "ok: $what"; else echo "not ok: $what"; fails=$((fails + 1)); fi
}

size1=$(( (33 << 20) + 3 * 512 ))
size2=$(( (21 << 20) + 4096 ))
tab_make_loop L1 $size1 512
tab_make_loop L2 $size2 4096
for L in "$L1" "$L2"; do
	tab_assert_own_loop "$L"
	dd if=/dev/urandom of="$L" bs=1M iflag=fullblock oflag=direct status=none 2>/dev/null || true
done

tab_assert_own_loop "$L1"
"$WIPER" erase --yes --method zero "$L1" >"$TESTDIR/zero.out" 2>&1
check "zero erase exits 0" test $? = 0
check "zero erase says PASSED" grep -q "^$L1: PASSED" "$TESTDIR/zero.out"
check "$L1 reads back all zeros" cmp -s -n $size1 "$L1" /dev/zero

tab_assert_own_loop "$L2"
"$WIPER" erase --yes --json --method random --verify all "$L2" >"$TESTDIR/random.json"
check "random erase exits 0" test $? = 0
res=$(jq -c 'select(.event == "result")' "$TESTDIR/random.json")
check "result PASSED" test "$(echo "$res" | jq -r .result)" = PASSED
check "result carries the seed" test "$(echo "$res" | jq -r '.seed | type')" = number
check "result size and sectors" test "$(echo "$res" | jq -r '"\(.size_bytes) \(.sectors) \(.logical_sector_size)"')" = "$size2 $((size2 / 4096)) 4096"
check "pass verified, full coverage" test "$(echo "$res" | jq -r '"\(.passes[0].verified) \(.verify_coverage)"')" = "true 1"
seed=$(echo "$res" | jq -r .seed)
"$WIPER" verify --method random --seed "$seed" "$L2" >"$TESTDIR/verify.out"
check "separate verify with the recorded seed matches" test $? = 0
"$WIPER" verify --method random --seed "$((seed + 1))" "$L2" >/dev/null
check "verify with another seed fails" test $? = 1
# The seed as the reports write it (0x and 16 hex digits) is the same seed.
"$WIPER" verify --method random --seed "$(printf '0x%016x' "$seed")" "$L2" >/dev/null
check "verify with the seed in hex, as reported, matches" test $? = 0

# Change one byte in the middle of the device: verify must fail and name it.
tab_assert_own_loop "$L2"
off=$(( size2 / 2 + 123 ))
cur=$(dd if="$L2" bs=1 skip=$off count=1 status=none | od -An -tu1 | tr -d ' ')
printf "\\x$(printf %02x $((255 - cur)))" | dd of="$L2" bs=1 seek=$off conv=notrunc status=none
sync; echo 3 >/proc/sys/vm/drop_caches 2>/dev/null || true
"$WIPER" verify --method random --seed "$seed" "$L2" >"$TESTDIR/verify2.out"
check "verify fails after one byte changed" test $? = 1
check "verify names the block" grep -q "first LBA $(( off / 4096 ))" "$TESTDIR/verify2.out"
cat "$TESTDIR/verify2.out"

# Two devices at once, a multi-pass method, sampling verification.
tab_assert_own_loop "$L1"; tab_assert_own_loop "$L2"
"$WIPER" erase --yes --json --method dod522022m --verify sample "$L1" "$L2" >"$TESTDIR/two.json"
check "two devices at once exit 0" test $? = 0
check "two PASSED results" test "$(jq -r 'select(.event == "result") | .result' "$TESTDIR/two.json" | sort | uniq -c | tr -s ' ')" = " 2 PASSED"
check "sampling coverage >= 10%" test "$(jq -r 'select(.event == "result") | .verify_coverage >= 0.1' "$TESTDIR/two.json" | sort -u)" = true

# Refusals: a mounted device, no confirmation, an unknown method.
tab_make_loop L3 8M 512
tab_assert_own_loop "$L3"
mkfs.ext4 -q "$L3"
tab_mount "$L3" "$TESTDIR/mnt"
"$WIPER" erase --yes "$L3" 2>"$TESTDIR/refuse.err"
check "mounted device refused with exit 2" test $? = 2
check "refusal names the mount" grep -q "refusing to erase: mounted at $TESTDIR/mnt" "$TESTDIR/refuse.err"
setsid "$WIPER" erase "$L1" </dev/null >/dev/null 2>"$TESTDIR/noconfirm.err"
check "no terminal and no --yes: exit 2" test $? = 2
check "says how to proceed" grep -q "pass --yes" "$TESTDIR/noconfirm.err"
"$WIPER" erase --yes --method nosuch "$L1" 2>/dev/null
check "unknown method exit 2" test $? = 2

# Ctrl-C: the job stops and reports INCOMPLETE, exit 1.
tab_make_loop L4 1G 512
tab_assert_own_loop "$L4"
"$WIPER" erase --yes --json --method gutmann --verify none "$L4" >"$TESTDIR/int.json" &
pid=$!
sleep 1
kill -INT $pid
wait $pid
check "interrupted erase exits 1" test $? = 1
check "interrupted erase is INCOMPLETE" test "$(jq -r 'select(.event == "result") | .result' "$TESTDIR/int.json")" = INCOMPLETE
check "reason names the operator" grep -q "stopped by the operator" "$TESTDIR/int.json"

# A shared lock held briefly (as udev does while it probes a new device) is waited for;
# one held on is reported as "locked by another program" and nothing is written.
if command -v flock >/dev/null; then
	tab_assert_own_loop "$L1"
	flock -s "$L1" sleep 1 &
	sleep 0.2
	"$WIPER" erase --yes --method zero "$L1" >"$TESTDIR/lock1.out" 2>&1
	check "a lock held for 1 s is waited for" test $? = 0
	wait
	dd if=/dev/urandom of="$L1" bs=4096 count=1 oflag=direct status=none
	flock -s "$L1" sleep 6 &
	sleep 0.2
	"$WIPER" erase --yes --method zero "$L1" >"$TESTDIR/lock2.out" 2>&1
	check "a lock held on is refused (exit 2)" test $? = 2
	check "... saying so" grep -q "locked by another program" "$TESTDIR/lock2.out"
	check "... and nothing was written" bash -c "! cmp -s -n 4096 '$L1' /dev/zero"
	wait
fi

[ "$fails" = 0 ] || { echo "$fails failures"; exit 1; }
