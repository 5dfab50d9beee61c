#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The station with its key sealed by the PC's TPM (swtpm, a real TPM 2.0
# simulator): the records medium rolled back to yesterday's copy is reported
# on the session screen at the next start, naming the records; the medium
# as it really is shows a verifying chain; a copy of the medium started on
# another PC (another swtpm state) says the key cannot be used there.
set -u
. "${top_srcdir:-.}/tests/lib/safety.sh"
. "${top_srcdir:-.}/tests/integration/ui-lib.sh"
tab_setup_root
ui_require
command -v swtpm >/dev/null || tab_skip "swtpm not installed (Debian: swtpm swtpm-tools)"
CERTS=${CERTS:-${top_builddir:-.}/certs/certs}
[ -x "$CERTS" ] || tab_skip "$CERTS not built"
if "$CERTS" custody init /nonexistent/x.db --tpm swtpm:host=127.0.0.1,port=1 2>&1 |
	grep -q "no TPM support"; then
	tab_skip "certs was built without tpm2-tss (TPM custody absent)"
fi
SWTPM_DIR=$TESTDIR/tpm
mkdir -p "$SWTPM_DIR"
. "${top_srcdir:-.}/tests/lib/swtpm.sh"
trap 'ui_tmux kill-server 2>/dev/null; swtpm_stop_all; tab_cleanup' EXIT
swtpm_start pc1 >"$TESTDIR/why" || tab_skip "$(cat "$TESTDIR/why")"
swtpm_start pc2 >"$TESTDIR/why" || tab_skip "$(cat "$TESTDIR/why")"
# shellcheck disable=SC2154
P1=$TCTI_pc1 P2=$TCTI_pc2

fails=0
check() { # check DESCRIPTION COMMAND...
	local what=$1; shift
	if "$@"; then echo "ok: $what"; else echo "not ok: $what"; fails=$((fails + 1)); fi
}

tab_make_loop A 16M 512	# something for the media list
L=$TESTDIR/rec/ledger.db
mkdir -p "$TESTDIR/rec"
"$CERTS" custody init "$L" --tpm "$P1" >"$TESTDIR/init.out" 2>&1 || { cat "$TESTDIR/init.out"; tab_fail "custody init"; }
export TABULA_TPM_TCTI=$P1
for i in 1 2 3; do
	"$CERTS" destroy "$L" --station TEST-STATION --serial "SN-$i" --model "Stick $i" --technique Shred \
		--operator "Ann Example" --witness "Bob Example" >/dev/null 2>&1 || tab_fail "record $i"
done
"$CERTS" export "$L" -o "$TESTDIR/day1.db" --upto 1 >/dev/null || tab_fail "export day 1"
"$CERTS" export "$L" -o "$TESTDIR/today.db" >/dev/null || tab_fail "export today"

# station CONF: start it on the ledger at $L and stop at the session screen.
station() {
	ui_start 100 30 --demo-dir "$TESTDIR" --config "$(ui_config)" --ledger "$L"
	trap 'ui_tmux kill-server 2>/dev/null; swtpm_stop_all; tab_cleanup' EXIT
	ui_wait 20 "Who is on duty?"
}
stop_station() { ui_keys C-c; sleep 0.5; ui_keys y; ui_tmux kill-server 2>/dev/null; sleep 0.3; }

# Yesterday's copy put back on the records medium.
rm -f "$L" "$L-wal" "$L-shm"
cp "$TESTDIR/day1.db" "$L"
station
check "rolled-back ledger reported at start" ui_wait 10 "LEDGER ROLLED BACK OR CUT"
ui_capture
check "the message names the records missing" grep -q "records 2 to 3 are missing" <<<"$UI_SCREEN"
stop_station

# The medium as it really is.
rm -f "$L" "$L-wal" "$L-shm"
cp "$TESTDIR/today.db" "$L"
station
check "today's ledger verifies at start" ui_wait 10 "3 records, head"
ui_capture
check "and is not reported as rolled back" bash -c '! grep -q "ROLLED BACK" <<<"$0"' "$UI_SCREEN"
stop_station

# The same medium on another PC: its TPM never sealed this key.
export TABULA_TPM_TCTI=$P2
station
check "another PC's TPM: key custody reported" ui_wait 10 "KEY CUSTODY"
ui_capture
check "it says another TPM sealed the key" grep -A2 "KEY CUSTODY" <<<"$UI_SCREEN"
stop_station

# A key bound to a PCR, and the PC booted otherwise (PCR 16 extended): on an 80x24
# terminal the station says which PCR changed and what it measures.
export TABULA_TPM_TCTI=$P1
L=$TESTDIR/rec-pcr/ledger.db
mkdir -p "$TESTDIR/rec-pcr"
"$CERTS" custody init "$L" --tpm "$P1" --pcrs 16 >"$TESTDIR/init2.out" 2>&1 || { cat "$TESTDIR/init2.out"; tab_fail "custody init --pcrs 16"; }
"$CERTS" destroy "$L" --station TEST-STATION --serial SN-P1 --model "Stick P" --technique Shred \
	--operator "Ann Example" --witness "Bob Example" >/dev/null 2>&1 || tab_fail "record under PCR 16"
if command -v tpm2_pcrextend >/dev/null; then
	tpm2_pcrextend -T "$P1" 16:sha256=00000000000000000000000000000000000000000000000000000000000000aa ||
		tab_fail "tpm2_pcrextend"
	ui_start 80 24 --demo-dir "$TESTDIR" --config "$(ui_config)" --ledger "$L"
	ui_wait 20 "Who is on duty?"
	check "a changed PCR: key custody reported" ui_wait 10 "KEY CUSTODY"
	ui_capture
	check "the PCR that changed is named on the screen" grep -q "PCR 16, the debug PCR" <<<"$UI_SCREEN"
	printf '%s\n' "$UI_SCREEN"
	stop_station
else
	echo "SKIP (part): tpm2_pcrextend not installed (Debian: tpm2-tools)"
fi

[ "$fails" = 0 ] || tab_fail "$fails check(s) failed"
echo "PASS: ui-tpm-rollback"
