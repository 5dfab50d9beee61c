#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Power loss, the cheap way: SIGKILL wiper erase in the middle of a pass on a
# loop device this test creates. The job was noted in the ledger before the
# first write, so the next run (or `certs recover`) certifies it INCOMPLETE;
# the ledger verifies; a job that is still running is left alone.
set -u
. "${top_srcdir:-.}/tests/lib/safety.sh"
tab_setup_root
command -v jq >/dev/null || tab_skip "jq not installed"
CERTS=${CERTS:-$(dirname "$WIPER")/../certs/certs}

fails=0
check() {
	local what=$1; shift
	if "$@"; then echo "ok: $what"; else echo "not ok: $what"; fails=$((fails + 1)); fi
}

# Big enough that 35 Gutmann passes take seconds even on tmpfs.
tab_make_loop L1 $((1 << 30)) 512
tab_make_loop L2 $((8 << 20)) 512
LEDGER=$TESTDIR/ledger.db
who=(--ledger "$LEDGER" --operator "Ann Example, Technician" --witness "Bo Witness, Officer")

# 1. Killed in the middle of a long multi-pass erase.
tab_assert_own_loop "$L1"
"$WIPER" erase --yes --json --method gutmann --verify all "${who[@]}" "$L1" >"$TESTDIR/k.json" 2>&1 &
pid=$!
for _ in $(seq 100); do
	grep -q '"event":"progress"' "$TESTDIR/k.json" 2>/dev/null && break
	sleep 0.1
done
# A second run while the first is alive must not take its job for interrupted.
"$CERTS" recover "$LEDGER" >"$TESTDIR/alive.out" 2>&1
check "recover while the job runs: exit 0" test $? = 0
check "a running job is left alone" grep -q "no interrupted job" "$TESTDIR/alive.out"
check "the erase is still running" kill -0 $pid
kill -KILL $pid
wait $pid 2>/dev/null
check "killed before the end (no result line)" bash -c "! grep -q '\"event\":\"result\"' '$TESTDIR/k.json'"
n=$("$CERTS" list "$LEDGER" --json 2>/dev/null | jq 'length')
check "nothing certified yet" test "${n:-0}" = 0

# 2. The next run certifies the interrupted job INCOMPLETE before its own work.
tab_assert_own_loop "$L2"
"$WIPER" erase --yes --method zero "${who[@]}" "$L2" >"$TESTDIR/next.out" 2>"$TESTDIR/next.err"
check "next run exits 0" test $? = 0
cat "$TESTDIR/next.err"
check "next run reports the interrupted job" grep -q "INCOMPLETE, the job on .* was interrupted" "$TESTDIR/next.err"
"$CERTS" list "$LEDGER" --json >"$TESTDIR/list.json"
check "two records" test "$(jq 'length' "$TESTDIR/list.json")" = 2
check "the first is INCOMPLETE" test "$(jq -r '.[0].result' "$TESTDIR/list.json")" = INCOMPLETE
check "the second is PASSED" test "$(jq -r '.[1].result' "$TESTDIR/list.json")" = PASSED
"$CERTS" show "$LEDGER" 1 --json >"$TESTDIR/show1.json"
check "the INCOMPLETE record names the killed device's node" test "$(jq -r '.record.media.node // .media.node' "$TESTDIR/show1.json")" = "$L1"
check "its reason says interrupted" grep -q "Interrupted: the station stopped" "$TESTDIR/show1.json"
check "its PDF was written" test -s "$TESTDIR/$(jq -r '.[0].cert_no' "$TESTDIR/list.json").pdf"
"$CERTS" verify "$LEDGER" >"$TESTDIR/verify.out"
check "ledger verifies" test $? = 0
"$CERTS" recover "$LEDGER" >"$TESTDIR/again.out"
check "nothing left to recover" grep -q "no interrupted job" "$TESTDIR/again.out"

echo "$fails failure(s)"
test $fails = 0
