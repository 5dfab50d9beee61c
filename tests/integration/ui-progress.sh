#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The dashboard at 80x24 over a slow simulated drive (tests/station/tabula-sim,
# TABULA_SIM=slow): a one-pass job first, then a 35-pass Gutmann. The
# running job is listed above the finished one with the cursor on it; its
# first line is the whole job (every pass and the read-back) with its own
# percentage, rate and ETA, the current pass beneath, and the whole job's
# share stays below the passes begun. s asks before it stops the job,
# naming the medium; n leaves it running; y stops it and it ends INCOMPLETE
# with its certificate number shown like a PASSED one. Enter opens the job's
# details (passes, commands), Esc goes back.
set -u
. "${top_srcdir:-.}/tests/lib/safety.sh"
TABULA=${TABULA_SIM:-${top_builddir:-.}/tests/station/tabula-sim}
. "${top_srcdir:-.}/tests/integration/ui-lib.sh"
tab_setup_root
ui_require
CERTS=${CERTS:-${top_builddir:-.}/certs/certs}

fails=0
check() { # check DESCRIPTION COMMAND...
	local what=$1; shift
	if "$@"; then echo "ok: $what"; else echo "not ok: $what"; fails=$((fails + 1)); fi
}

export TABULA_SIM=slow TABULA_SIM_DELAY_MS=${TABULA_SIM_DELAY_MS:-200}

# erase_sim DOWNS: on the media list, select sim0, take the method DOWNS
# entries below the recommended one, the default verification, destination
# and details, and confirm.
erase_sim() {
	local i
	ui_keys m
	ui_cursor_to sim0 || return 1
	# The job before shows PASSED while its certificate is still being issued: sim0 is
	# busy until then (Space says "running"), so ask again for a while.
	for ((i = 0; i < 10; i++)); do
		ui_keys Space
		ui_wait_re 2 "^\[x\].sim0 " >/dev/null && break
	done
	ui_wait_re 1 "^\[x\].sim0 " || return 1
	ui_keys e
	ui_wait 5 "choose the method" || return 1
	for ((i = 0; i < $1; i++)); do ui_keys Down; done
	ui_keys Enter
	if [ "$1" -gt 1 ]; then
		ui_wait 5 "choose the verification" || return 1
		ui_keys Enter
	fi
	ui_dest 0 || return 1
	ui_details "ASSET-$1" "" "" || return 1
	ui_wait 5 "Type the number of media" || return 1
	ui_keys 1 Enter
}

ui_start 80 24 --demo --config "$(ui_config)" --ledger "$TESTDIR/ledger.db"
check "login" ui_login
check "sim0 listed" ui_wait_re 10 "sim0 +sata"
check "a one-pass job (zeros)" erase_sim 2
check "it passes" ui_wait 60 "PASSED"
# Gutmann: the seventh entry below the recommended one.
check "a 35-pass job (gutmann)" erase_sim 7
check "the whole job's line shows" ui_wait_re 20 "^  job [0-9.]+% · [0-9.]+ [KMG]iB/s · ETA [0-9]+:[0-9]{2}:[0-9]{2} · errors 0"
check "the current pass beneath it" ui_wait_re 20 "^  pass [2-9]/35 (writing|verifying) [0-9.]+%"
ui_capture
echo "$UI_SCREEN" | sed -n 3,10p
# Listed first, cursor on it: line 4 is the running job, the PASSED one below.
check "the running job is first, under the cursor" grep -qE "^>sim0 .*\[[#.]+\] +[0-9.]+%$" <<<"$(sed -n 4p <<<"$UI_SCREEN")"
check "the finished job is listed below" grep -qE "^ sim0 .*PASSED" <<<"$(sed -n 7p <<<"$UI_SCREEN")"
job=$(grep -oE "^  job [0-9.]+" <<<"$UI_SCREEN" | grep -oE "[0-9.]+$")
pass=$(grep -oE "^  pass [0-9]+/35" <<<"$UI_SCREEN" | grep -oE " [0-9]+" | tr -d ' ')
echo "whole job ${job}% in pass $pass of 35"
# Pass N of 35 (plus one read-back) begun: the whole job is below N/36, and above (N-1)/36.
check "the whole job's share fits the pass ($job% in pass $pass)" \
	awk -v j="$job" -v p="$pass" 'BEGIN { exit !(j <= p * 100 / 36 + 0.1 && j >= (p - 1) * 100 / 36 - 0.1) }'

ui_keys s
check "s asks first, naming the medium" ui_wait_re 5 "Stop erasing sim0 \(SIM SLOW DISK, SIM-SLOW-0001\)\?"
check "the question says how it ends (wrapped, never cut)" ui_wait 5 "It ends INCOMPLETE"
check "... and ends in y/n" ui_wait 5 "y/n"
ui_keys n
check "n leaves it running" ui_wait 5 "Not stopped: the erase goes on."
check "still running" ui_wait_re 5 "^  pass [0-9]+/35"
ui_keys Enter
check "Enter opens the job's details" ui_wait 5 "Job details: sim0"
ui_keys Escape
check "Esc goes back to the dashboard" ui_wait 5 "Erasing: 1 running"
ui_keys s
check "asked again" ui_wait 5 "Stop erasing sim0"
ui_keys y
check "y stops it: INCOMPLETE" ui_wait 30 "INCOMPLETE"
check "its certificate number is shown" ui_wait_re 10 "^  certificate TEST-STATION-0+2 · stopped by the operator"
check "the PASSED one keeps its number" ui_wait_re 5 "^  certificate TEST-STATION-0+1$"
ui_keys Enter
check "details of the stopped job" ui_wait 5 "Job details: sim0"
check "details: the method and the seed in hex" ui_wait_re 5 "Gutmann \(35 passes\) · verify last · seed 0x[0-9a-f]{16}"
check "details: the passes that never ran" ui_wait_re 5 "[0-9]+-35 not run"
check "details: the commands section" ui_wait 5 "Commands sent and what the medium answered"
ui_keys Escape
ui_keys q
check "q exits with status 0" ui_wait 15 "TABULA-EXIT=0"
if [ -x "$CERTS" ]; then
	"$CERTS" show "$TESTDIR/ledger.db" 2 >"$TESTDIR/show" 2>&1
	check "the ledger's record 2 is INCOMPLETE" grep -qE "^ *Result +INCOMPLETE" "$TESTDIR/show"
fi

[ "$fails" = 0 ] || { echo "$fails failures"; exit 1; }
