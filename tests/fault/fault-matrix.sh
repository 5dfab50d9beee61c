#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The fault matrix: the real `wiper erase` against a loop device over
# faultfs (a FUSE medium that fails on command), one row per fault. Every
# row checks the exit status, the JSON result and the certificate the ledger
# recorded, and the backing file itself: no row may leave a PASSED
# certificate for a medium that is not fully erased and verified.
set -u
. "${top_srcdir:-.}/tests/lib/safety.sh"

: "${FAULTFS:=${top_builddir:-.}/tests/fault/faultfs}"
: "${CERTS:=${top_builddir:-.}/certs/certs}"
SIZE=$((32 << 20))
SECTOR=${FAULT_SECTOR:-512}	# logical sector size of the loop device (512 or 4096)

[ "$(id -u)" = 0 ] || tab_skip "needs root to mount FUSE and create loop devices"
[ -c /dev/fuse ] || tab_skip "no /dev/fuse on this machine"
[ -x "$FAULTFS" ] || tab_skip "faultfs not built (configure found no libfuse3)"
[ -x "$WIPER" ] && [ -x "$CERTS" ] || tab_skip "wiper or certs not built"
command -v jq >/dev/null || tab_skip "jq not installed"
tab_setup_root

MNT=$TESTDIR/mnt
CTL=$MNT/ctl
LEDGER=$TESTDIR/ledger.db
FS_PID=
WIPER_PID=

# Every exit path: release held writes, stop wiper, detach the loop device,
# unmount, stop the daemon; then the shared cleanup removes $TESTDIR.
fm_cleanup() {
	local d
	[ -e "$CTL" ] && echo clear >"$CTL" 2>/dev/null
	if [ -n "$WIPER_PID" ]; then
		kill -KILL "$WIPER_PID" 2>/dev/null
		wait "$WIPER_PID" 2>/dev/null
	fi
	for d in "${!TAB_LOOPS[@]}"; do tab_owns_loop "$d" && losetup -d "${TAB_LOOPS[$d]}" 2>/dev/null; done
	TAB_LOOPS=()
	if mountpoint -q "$MNT" 2>/dev/null; then
		umount "$MNT" 2>/dev/null || umount -l "$MNT" 2>/dev/null
	fi
	if [ -n "$FS_PID" ]; then
		kill "$FS_PID" 2>/dev/null
		wait "$FS_PID" 2>/dev/null
	fi
	tab_cleanup
}
trap fm_cleanup EXIT
trap 'exit 1' INT TERM HUP

# Mount faultfs in the foreground (so its pid is ours) and wait for it.
mkdir -p "$MNT"
"$FAULTFS" --backing "$TESTDIR/backing.img" --size "$SIZE" "$MNT" -f \
	-o fsname=tabula-faultfs,subtype=faultfs 2>"$TESTDIR/faultfs.log" &
FS_PID=$!
for _ in $(seq 100); do
	[ -e "$CTL" ] && break
	kill -0 "$FS_PID" 2>/dev/null || break
	sleep 0.1
done
[ -e "$CTL" ] || tab_skip "cannot mount faultfs: $(head -c 300 "$TESTDIR/faultfs.log")"

# A loop device over FUSE works in either mode (losetup's default, buffered,
# is used); faultfs opens its files direct_io, so no page cache between the
# loop driver and the daemon hides a fault.
tab_make_loop DEV "$SIZE" "$SECTOR" "$MNT/disk"

ctl() { printf '%s\n' "$@" >"$CTL"; }
ctl_get() { awk -v k="$1" '$1 == k { print $2 }' "$CTL"; }
ledger_count() {
	[ -e "$LEDGER" ] || { echo 0; return; }
	"$CERTS" list "$LEDGER" --json | jq length
}

# Fresh data on the medium before each row, so that anything not erased shows.
prefill() {
	ctl clear
	tab_assert_own_loop "$DEV"
	dd if=/dev/urandom of="$DEV" bs=1M count=$((SIZE >> 20)) iflag=fullblock oflag=direct \
		status=none || tab_fail "cannot prefill $DEV"
}

# Wait until faultfs holds a request (wiper is stuck mid-pass), at most 30 s.
wait_held() {
	local i
	for i in $(seq 300); do
		[ "$(ctl_get held)" -gt 0 ] 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

ROWS=()
FAILS=0
ROWN=0

# row FAULT STAGE EXPECT MODE HIT [CTL COMMAND...]
#   EXPECT: PASSED | FAILED | INCOMPLETE: the JSON result and the certificate
#   MODE:   run | stall (a request is held for 1 s, then released) |
#           sigint | sigterm | sighup | sigkill (the signal arrives while a
#           request is held). SIGINT, SIGTERM and SIGHUP stop the jobs: wiper
#           prints the result and issues the INCOMPLETE certificate itself. A
#           killed wiper (SIGKILL) prints no result and issues no certificate;
#           its job stays open in the ledger until `certs recover` certifies it.
#   HIT:    the faultfs counter that must grow, proving the fault fired ("-": none)
row() {
	local fault=$1 stage=$2 expect=$3 mode=$4 hit=$5
	shift 5
	local out err witness before after rc json=- rec=- oracle=ok why= verdict=PASS seq show hit0=0 t0
	local dies=

	case "$mode" in sigkill) dies=$((128 + $(kill -l "${mode#sig}"))) ;; esac

	ROWN=$((ROWN + 1))
	out="$TESTDIR/row$ROWN.json" err="$TESTDIR/row$ROWN.err" witness="Row $ROWN, Witness"
	prefill
	before=$(ledger_count)
	[ "$hit" = - ] || hit0=$(ctl_get "$hit")
	[ $# -gt 0 ] && ctl "$@"
	tab_assert_own_loop "$DEV"
	t0=$(date +%s%N)
	"$WIPER" erase --yes --json --method zero --verify last --ledger "$LEDGER" \
		--operator "Fault Matrix, Technician" --witness "$witness" --asset "fault-row-$ROWN" \
		"$DEV" >"$out" 2>"$err" &
	WIPER_PID=$!
	if [ "$mode" != run ]; then
		if wait_held; then
			if [ "$mode" = stall ]; then sleep 1; else kill -"${mode#sig}" "$WIPER_PID"; fi
			ctl resume
		else
			why="wiper never reached the held request; "
		fi
	fi
	{ wait "$WIPER_PID"; } 2>/dev/null
	rc=$?
	WIPER_PID=
	t0=$(( ($(date +%s%N) - t0) / 1000000 ))
	if [ "$hit" != - ] && [ "$(ctl_get "$hit")" -le "$hit0" ]; then
		why+="the fault never fired ($hit did not grow); "
	fi
	ctl clear
	json=$(jq -r 'select(.event == "result") | .result' "$out" 2>/dev/null)
	[ -n "$json" ] || json=none
	after=$(ledger_count)
	if [ -n "$dies" ]; then
		[ "$after" = "$before" ] || why+="the killed run left $((after - before)) records; "
		"$CERTS" recover "$LEDGER" >"$TESTDIR/recover$ROWN.out" 2>&1 ||
			why+="certs recover failed: $(head -c 200 "$TESTDIR/recover$ROWN.out"); "
		before=$after
		after=$(ledger_count)
	fi
	if [ "$after" = "$before" ]; then
		rec=none
	elif [ "$after" = $((before + 1)) ]; then
		read -r seq rec < <("$CERTS" list "$LEDGER" --json | jq -r --arg w "${witness%%,*}" \
			'[.[] | select(.witness == $w)] | last | "\(.seq) \(.result)"')
		# The record itself, as certs show prints it, must say the same.
		show=$("$CERTS" show "$LEDGER" "$seq" | awk '$1 == "Result" { print $2 }')
		[ "$show" = "$rec" ] || why+="certs show says '$show', certs list '$rec'; "
	else
		rec="$((after - before)) records"
	fi

	# The oracle: a PASSED anywhere demands a medium that is zero end to end.
	if [ "$json" = PASSED ] || [ "$rec" = PASSED ]; then
		cmp -s -n "$SIZE" "$TESTDIR/backing.img" /dev/zero || oracle="NOT ERASED"
	fi

	if [ -n "$dies" ]; then
		[ "$rc" = "$dies" ] || why+="exit $rc, expected $dies (killed); "
		[ "$json" = none ] || why+="JSON result $json from a killed process; "
	else
		case "$expect" in
		PASSED) [ "$rc" = 0 ] || why+="exit $rc, expected 0; " ;;
		*) [ "$rc" = 1 ] || why+="exit $rc, expected 1; " ;;
		esac
		[ "$json" = "$expect" ] || why+="JSON result $json; "
	fi
	[ "$rec" = "$expect" ] || why+="ledger record $rec; "
	[ "$oracle" = ok ] || why+="PASSED but the medium is not erased; "
	# The ledger stays genuine whatever happened to the erase.
	if [ -e "$LEDGER" ] && ! "$CERTS" verify "$LEDGER" >"$TESTDIR/verify.out" 2>&1; then
		why+="certs verify failed: $(head -c 200 "$TESTDIR/verify.out"); "
	fi
	if [ -n "$why" ]; then
		verdict=FAIL
		FAILS=$((FAILS + 1))
		echo "row $ROWN ($fault): $why" >&2
		sed 's/^/  wiper: /' "$err" >&2
		jq -c 'select(.event == "result") | {result, reason}' "$out" 2>/dev/null | sed 's/^/  /' >&2
	fi
	ROWS+=("$(printf '%-30s %-26s %-10s %-4s %-10s %-10s %5d.%02d %s' "$fault" "$stage" "$expect" \
		"$rc" "$json" "$rec" $((t0 / 1000)) $((t0 % 1000 / 10)) "$verdict")")
}

row "none"                         "-"                         PASSED     run     -
row "write EIO (4 KiB at 4 MiB)"   "pass 1 write"              FAILED     run     write-errors "write-eio 4M+4K"
row "read EIO (512 B at 8 MiB)"    "verification"              FAILED     run     read-errors "read-eio 8M+512"
row "read EIO (sector 0)"          "probe and verification"    FAILED     run     read-errors "read-eio 0+$SECTOR"
row "dropped writes (1 MiB)"       "pass 1 write"              FAILED     run     dropped "drop-writes 12M+1M"
row "dropped write (last sector)"  "pass 1 write"              FAILED     run     dropped "drop-writes $((SIZE - SECTOR))+$SECTOR"
row "slow: 10 ms per request"      "every request"             PASSED     run     delayed "delay-ms 10"
row "stall: one request held 1 s"  "pass 1 write at 8 MiB"     PASSED     stall   - "pause-after 8M"
row "stall: one request held 1 s"  "verification at 8 MiB"     PASSED     stall   - "pause-after-read 8M"
row "flush EIO"                    "cache flush after pass 1"  FAILED     run     flush-errors "flush-eio on"
row "vanish (ENODEV)"              "pass 1 write at 10 MiB"    INCOMPLETE run     vanish-errors "vanish-after 10M"
row "vanish at flush (loop: EIO)"  "cache flush after pass 1"  FAILED     run     vanish-errors "vanish-after $SIZE"
row "vanish (ENODEV)"              "verification at 8 MiB"     INCOMPLETE run     vanish-errors "vanish-after-read 8M"
row "vanish (EIO, stick pulled)"   "pass 1 write at 28 MiB"    FAILED     run     vanish-errors "vanish-errno EIO" "vanish-after 28M"
row "SIGINT (Ctrl-C)"              "pass 1 write at 8 MiB"     INCOMPLETE sigint  - "pause-after 8M"
row "SIGINT (Ctrl-C)"              "verification at 8 MiB"     INCOMPLETE sigint  - "pause-after-read 8M"
row "SIGTERM (shutdown)"           "pass 1 write at 8 MiB"     INCOMPLETE sigterm - "pause-after 8M"
row "SIGHUP (terminal dropped)"    "pass 1 write at 8 MiB"     INCOMPLETE sighup  - "pause-after 8M"
row "SIGKILL, then certs recover"  "pass 1 write at 8 MiB"     INCOMPLETE sigkill - "pause-after 8M"
row "SIGKILL, then certs recover"  "verification at 8 MiB"     INCOMPLETE sigkill - "pause-after-read 8M"
echo
printf '%-30s %-26s %-10s %-4s %-10s %-10s %8s %s\n' FAULT STAGE EXPECTED EXIT JSON LEDGER SECONDS VERDICT
printf '%s\n' "${ROWS[@]}"
echo
if "$CERTS" verify "$LEDGER" >"$TESTDIR/verify.out" 2>&1; then
	echo "ledger: $(ledger_count) records, certs verify: genuine"
else
	echo "ledger: certs verify FAILED: $(cat "$TESTDIR/verify.out")"
	FAILS=$((FAILS + 1))
fi
echo "$((ROWN - FAILS < 0 ? 0 : ROWN - FAILS)) of $ROWN rows PASS"
[ "$FAILS" = 0 ]
