#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# TPM 2.0 key custody against a real TPM 2.0 simulator (swtpm, one fresh state
# directory and free ports per simulated PC, killed at exit): enrolment, signing
# and verifying through the TPM, the NV counter catching a rolled-back or cut
# ledger, a copy of the records medium on another PC (another swtpm state),
# a PCR-bound seal after a PCR changed, no TPM at all, and demo file custody
# labelled as such. Never touches a real /dev/tpm*.
set -u

CERTS="${top_builddir:-.}/certs/certs"
[ -x "$CERTS" ] || { echo "SKIP: $CERTS not built"; exit 77; }
command -v swtpm >/dev/null || { echo "SKIP: swtpm not installed (Debian: swtpm swtpm-tools)"; exit 77; }
if "$CERTS" custody init /nonexistent/x.db --tpm swtpm:host=127.0.0.1,port=1 2>&1 |
	grep -q "no TPM support"; then
	echo "SKIP: certs was built without tpm2-tss (TPM custody absent)"; exit 77
fi
T=$(mktemp -d /tmp/tabula-certs-tpm.XXXXXX)
SWTPM_DIR=$T
. "${top_srcdir:-.}/tests/lib/swtpm.sh"
cleanup() {
	swtpm_stop_all
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
fails=0

ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }

# expect STATUS DESCRIPTION CMD...: run, compare the exit status.
expect() {
	want=$1; what=$2; shift 2
	"$@" >"$T/out" 2>"$T/err"
	got=$?
	if [ "$got" = "$want" ]; then ok "$what"; else bad "$what (exit $got, wanted $want)"; cat "$T/out" "$T/err"; fi
}
# has FILE TEXT DESCRIPTION: FILE contains TEXT.
has() {
	if grep -qF -- "$2" "$1"; then ok "$3"; else bad "$3: no \"$2\" in"; cat "$1"; fi
}

# start_tpm NAME: a fresh swtpm with its own state; sets TCTI_<NAME>.
start_tpm() {
	swtpm_start "$1" >"$T/swtpm-why" || { echo "SKIP: $(cat "$T/swtpm-why")"; exit 77; }
}

start_tpm pc1
start_tpm pc2
# shellcheck disable=SC2154
P1=$TCTI_pc1
# shellcheck disable=SC2154
P2=$TCTI_pc2
L="$T/rec/ledger.db"
mkdir -p "$T/rec"

destroy() {	# destroy LEDGER N [ARGS...]
	l=$1; n=$2; shift 2
	"$CERTS" destroy "$l" --station ST01 --serial "SN-$n" --model "Stick $n" --technique Shred \
		--operator "Li Wei" --witness "Anna Berg" "$@"
}

# --- enrolment ---
expect 0 "enrol the station's TPM" "$CERTS" custody init "$L" --tpm "$P1"
has "$T/out" "fingerprint: " "enrolment prints the station fingerprint"
FP=$(sed -n 's/^fingerprint: //p' "$T/out")
[ ${#FP} = 64 ] && ok "fingerprint is 64 hex digits" || bad "fingerprint '$FP'"
[ -s "$L.sealed" ] && [ -s "$L.pub" ] && ok "sealed blob and public key next to the ledger" ||
	bad "no $L.sealed / $L.pub"
[ ! -e "$L.key" ] && ok "no usable key on the records medium" || bad "$L.key exists"
grep -q "$(sed -n 's/^ed25519 //p' "$L.pub")" "$L.sealed" && ok "public key file matches the sealed one" ||
	bad "public key mismatch"
expect 1 "a second enrolment is refused" "$CERTS" custody init "$L" --tpm "$P1"
has "$T/err" "already enrolled" "and says so"

# --- signing through the TPM ---
export TABULA_TPM_TCTI="$P1"
for i in 1 2 3; do
	expect 0 "record $i signed through TPM custody" destroy "$L" "$i"
done
expect 0 "the ledger verifies" "$CERTS" verify --every-signature "$L"
expect 0 "show" "$CERTS" show "$L" 3
has "$T/out" "TPM 2.0 of the station PC (sealed key, counter 4)" "certs show names TPM custody and the counter"
has "$T/out" "$FP" "signed by the enrolled key"
# The records officer enrols the station's fingerprint; only then is its certificate genuine.
"$CERTS" trust add "$T/registry.db" "$FP" --name "ST01" >/dev/null 2>&1 || bad "trust add"
expect 0 "the PDF verifies" "$CERTS" verify --pdf "$T/rec/ST01-000003.pdf" --trust "$T/registry.db" "$L"
if command -v pdftotext >/dev/null; then
	pdftotext "$T/rec/ST01-000003.pdf" "$T/pdf.txt" 2>/dev/null
	has "$T/pdf.txt" "TPM 2.0 of the station PC" "the certificate names TPM custody"
fi
expect 0 "custody status: consistent" "$CERTS" custody status "$L"
has "$T/out" "ok: the ledger ends at record 3, which carries the station's TPM counter 4" \
	"status names head and counter"
[ ! -e "$L.key" ] && ok "still no key file after signing" || bad "$L.key appeared"

# --- rolled back to an older copy ---
# Yesterday's copy of the records medium: the ledger as it was after record 1.
expect 0 "yesterday's copy (record 1)" "$CERTS" export "$L" -o "$T/day1.db" --upto 1
expect 0 "today's copy" "$CERTS" export "$L" -o "$T/full-copy.db"
rm -f "$L" "$L-wal" "$L-shm"
cp "$T/day1.db" "$L"
expect 1 "a ledger rolled back to yesterday's copy is reported" "$CERTS" custody status "$L"
has "$T/out" "records 2 to 3 are missing" "naming the gap"
expect 2 "the station refuses to append onto it, before anything is written" destroy "$L" 9
has "$T/err" "behind the station's TPM counter" "with one line saying why"
[ "$(wc -l <"$T/err")" = 1 ] && ok "one line" || bad "not one line: $(cat "$T/err")"
n=$("$CERTS" list "$L" | grep -c ST01-)
[ "$n" = 1 ] && ok "nothing was appended" || bad "$n records after a refused append"

# --- the tail cut ---
rm -f "$L" "$L-wal" "$L-shm"
cp "$T/full-copy.db" "$L"
expect 0 "the whole ledger is consistent again" "$CERTS" custody status "$L"
# Record and its PDF hash both, so the ledger alone no longer shows the cut.
# (The trigger put back as it was, so the schema check has nothing to see either.)
sqlite3 "$L" "DROP TRIGGER records_no_delete; DROP TRIGGER IF EXISTS pdfs_no_delete; DELETE FROM records WHERE seq = 3;
	DELETE FROM pdfs WHERE seq = 3;
	CREATE TRIGGER records_no_delete BEFORE DELETE ON records BEGIN SELECT RAISE(ABORT, 'ledger records are append-only'); END;
	CREATE TRIGGER pdfs_no_delete BEFORE DELETE ON pdfs BEGIN SELECT RAISE(ABORT, 'pdf hashes are append-only'); END;" 2>"$T/err" &&
	ok "tail cut with sqlite3" || bad "sqlite3: $(cat "$T/err")"
expect 0 "the cut ledger still verifies on its own" "$CERTS" verify "$L"
expect 1 "the cut tail is reported at the station" "$CERTS" custody status "$L"
has "$T/out" "record 3 is missing" "naming the record"
rm -f "$L" "$L-wal" "$L-shm"
cp "$T/full-copy.db" "$L"
expect 0 "appending to the whole ledger works" destroy "$L" 4
expect 0 "and it verifies" "$CERTS" verify "$L"

# --- the records medium on another PC ---
cp -r "$T/rec" "$T/copy"
expect 2 "a copy of the records medium cannot sign with another TPM" \
	env TABULA_TPM_TCTI="$P2" "$CERTS" destroy "$T/copy/ledger.db" --serial X --model X \
	--technique Shred --operator "Li Wei" --witness "Anna Berg"
has "$T/err" "sealed by another TPM" "the error says so"
[ "$(wc -l <"$T/err")" = 1 ] && ok "one line" || bad "not one line: $(cat "$T/err")"
expect 1 "status there says the same" env TABULA_TPM_TCTI="$P2" "$CERTS" custody status "$T/copy/ledger.db"
n=$("$CERTS" list "$T/copy/ledger.db" | grep -c ST01-)
[ "$n" = 4 ] && ok "the copy is unchanged" || bad "$n records in the copy"

# --- no TPM ---
PORT_DEAD=1
while ! swtpm_port_free "$PORT_DEAD" || [ "$PORT_DEAD" = 1 ]; do PORT_DEAD=$(( ($$ % 1000) + 61000 + PORT_DEAD )); done
expect 1 "TPM custody asked, no TPM answers" env TABULA_TPM_TCTI="swtpm:host=127.0.0.1,port=$PORT_DEAD" \
	"$CERTS" custody status "$L"
has "$T/err" "no TPM answers at swtpm:host=127.0.0.1,port=$PORT_DEAD" "the error says so"
has "$T/err" "--custody file" "and how to proceed"
[ "$(wc -l <"$T/err")" = 1 ] && ok "one line" || bad "not one line: $(cat "$T/err")"
expect 1 "enrolment with no TPM" "$CERTS" custody init "$T/none.db" \
	--tpm "swtpm:host=127.0.0.1,port=$PORT_DEAD"
has "$T/err" "no TPM answers" "the error says so"
expect 2 "a TPM-enrolled ledger never falls back to a key file" destroy "$L" 5 --custody file
has "$T/err" "sealed by a TPM" "the error says so"
[ ! -e "$L.key" ] && ok "no key file was made" || bad "$L.key appeared"

# --- PCR binding ---
LP="$T/pcr/ledger.db"
mkdir -p "$T/pcr"
expect 0 "enrol bound to PCRs 16 and 23" "$CERTS" custody init "$LP" --tpm "$P1" --pcrs 16,23
has "$T/out" "bound to PCRs sha256:16,23" "the binding is shown"
grep -Eq "^pcr-values [0-9a-f]{128}$" "$LP.sealed" && ok "the sealed file keeps the two PCRs' values at the seal" ||
	bad "pcr-values: $(grep pcr-values "$LP.sealed")"
expect 0 "signs while the PCRs hold" destroy "$LP" 1
if command -v tpm2_pcrextend >/dev/null; then
	tpm2_pcrextend -T "$P1" 16:sha256=0000000000000000000000000000000000000000000000000000000000000001 \
		2>"$T/err" && ok "PCR 16 extended (a different boot)" || bad "tpm2_pcrextend: $(cat "$T/err")"
	expect 2 "a changed PCR: the key stays sealed" destroy "$LP" 2
	has "$T/err" "bound to PCRs sha256:16,23 and they changed since enrolment" "the error says so"
	has "$T/err" "(what changed: PCR 16, the debug PCR)" "the error names the PCR that changed, and only it"
	[ "$(wc -l <"$T/err")" = 1 ] && ok "one line" || bad "not one line: $(cat "$T/err")"
	expect 0 "the unbound station key still signs" destroy "$L" 6
else
	echo "SKIP (part): tpm2_pcrextend not installed (Debian: tpm2-tools); PCR change not tested"
fi

# --- demo mode: file custody, labelled ---
LD="$T/demo/ledger.db"
mkdir -p "$T/demo"
expect 0 "demo mode signs with a key file" destroy "$LD" 1 --custody file
expect 0 "show" "$CERTS" show "$LD" 1
has "$T/out" "key file on the records medium (demo, not evidence)" "its certificate says so"
expect 0 "status of a demo ledger" "$CERTS" custody status "$LD"
has "$T/out" "keeps no counter" "status says a rollback cannot be seen"
expect 2 "unknown custody" "$CERTS" custody status "$LD" --custody hsm
expect 1 "an unknown custody spec is refused" destroy "$LD" 2 --custody hsm

# --- the counter and the flushes: 40 appends, the TPM holds no transient object after ---
i=10
while [ $i -lt 40 ]; do destroy "$L" $i >/dev/null 2>&1 || bad "append $i"; i=$((i + 1)); done
expect 0 "30 more appends keep the counter in step" "$CERTS" custody status "$L"
if command -v tpm2_getcap >/dev/null; then
	tpm2_getcap -T "$P1" handles-transient >"$T/h" 2>&1
	[ ! -s "$T/h" ] && ok "no transient object left in the TPM" || bad "transient objects left: $(cat "$T/h")"
	tpm2_getcap -T "$P1" handles-loaded-session >"$T/h" 2>&1
	[ ! -s "$T/h" ] && ok "no session left in the TPM" || bad "sessions left: $(cat "$T/h")"
fi

# --- the seed never crosses the bus in clear (enrolment and unseal, captured) ---
# tpm2-tss's pcap TCTI records every command and answer; any 32 bytes after a
# 32-byte length that are the Ed25519 seed of the public key would show the
# seed went in clear (a build without parameter encryption finds it).
if [ -e /usr/lib/x86_64-linux-gnu/libtss2-tcti-pcap.so.0 ] || ldconfig -p 2>/dev/null | grep -q libtss2-tcti-pcap; then
	if command -v python3 >/dev/null && command -v openssl >/dev/null; then
		LC="$T/cap/ledger.db"
		mkdir -p "$T/cap"
		TCTI_PCAP_FILE="$T/enrol.pcap" expect 0 "enrolment through a capturing TCTI" \
			"$CERTS" custody init "$LC" --tpm "pcap:$P1"
		TCTI_PCAP_FILE="$T/unseal.pcap" expect 0 "an unseal through a capturing TCTI" \
			"$CERTS" custody status "$LC" --custody "tpm:pcap:$P1"
		for cap in enrol unseal; do
			python3 - "$T/$cap.pcap" "$LC.pub" >"$T/scan" 2>&1 <<'PY'
import subprocess, sys
data = open(sys.argv[1], "rb").read()
pub = open(sys.argv[2]).read().split()[1]
pkcs8 = bytes.fromhex("302e020100300506032b657004220420")
i, tried, found = 0, 0, 0
while True:
    i = data.find(b"\x00\x20", i)
    if i < 0:
        break
    cand, i = data[i + 2:i + 34], i + 1
    if len(cand) < 32:
        continue
    tried += 1
    der = subprocess.run(["openssl", "pkey", "-inform", "DER", "-pubout", "-outform", "DER"],
                         input=pkcs8 + cand, capture_output=True).stdout
    found += der[-32:].hex() == pub
print(f"{tried} candidates, seed in clear {found} times")
sys.exit(1 if found or not tried else 0)
PY
			[ $? = 0 ] && ok "$cap: the seed is not in the TPM traffic ($(cat "$T/scan"))" ||
				bad "$cap: $(cat "$T/scan")"
		done
	fi
else
	echo "SKIP (part): tpm2-tss's pcap TCTI not installed; the bus traffic is not checked"
fi

# --- setting up a new records medium (certs custody setup, as the live image does) ---
LS="$T/setup/ledger.db"
mkdir -p "$T/setup"
expect 0 "setup with a TPM enrols it" env TABULA_TPM_TCTI="$P1" "$CERTS" custody setup "$LS"
has "$T/out" "tpm: station key sealed by this PC's TPM 2.0" "setup says the key is sealed"
has "$T/out" "bound to the boot (PCRs 0,2,4,7,8,9)" "bound to the firmware's, option ROMs', loader's, Secure Boot's and GRUB's PCRs 0,2,4,7,8,9 by default"
grep -q "^pcrs sha256:0,2,4,7,8,9" "$LS.sealed" && ok "the sealed file names PCRs 0,2,4,7,8,9" || bad "$(grep pcrs "$LS.sealed")"
[ ! -e "$LS.key" ] && ok "no key file on the records medium" || bad "$LS.key exists"
expect 0 "setup again keeps the enrolment" env TABULA_TPM_TCTI="$P1" "$CERTS" custody setup "$LS"
has "$T/out" "tpm: the station key of $LS is sealed by a TPM" "and says so"
expect 0 "it signs" env TABULA_TPM_TCTI="$P1" "$CERTS" destroy "$LS" --station ST09 --serial S1 \
	--model M --technique Shred --operator "Li Wei" --witness "Anna Berg"
LN="$T/notpm/ledger.db"
mkdir -p "$T/notpm"
expect 3 "no TPM device: setup refuses (exit 3), a choice for the technician" \
	env TABULA_TPM_TCTI=device:/dev/tabula-no-such-tpm "$CERTS" custody setup "$LN"
has "$T/err" "this PC has no TPM 2.0 (/dev/tabula-no-such-tpm not found)" "the message names the missing TPM"
has "$T/err" "choose demo key-file custody explicitly" "and the choice"
[ "$(wc -l <"$T/err")" = 1 ] && ok "one line" || bad "not one line: $(cat "$T/err")"
[ ! -e "$LN" ] && [ ! -e "$LN.key" ] && ok "nothing was made" || bad "files appeared: $(ls "$T/notpm")"
expect 0 "no TPM, demo key file chosen" env TABULA_TPM_TCTI=device:/dev/tabula-no-such-tpm \
	"$CERTS" custody setup "$LN" --demo-key-file
has "$T/out" "file: DEMO key-file custody, as chosen" "setup says it is demo custody"
has "$T/out" "fingerprint: " "and prints the fingerprint"
[ -s "$LN.key" ] && ok "the demo key file exists" || bad "no $LN.key"
expect 0 "a setup medium keeps its demo key (no TPM asked for)" env TABULA_TPM_TCTI="$P1" \
	"$CERTS" custody setup "$LN"
has "$T/out" "file: DEMO key-file custody" "and says it is demo custody"
[ ! -e "$LN.sealed" ] && ok "no enrolment over a demo ledger" || bad "$LN.sealed appeared"
expect 1 "a TPM that does not answer: an error, never a key file" \
	env TABULA_TPM_TCTI="swtpm:host=127.0.0.1,port=$PORT_DEAD" "$CERTS" custody setup "$T/dead.db"
has "$T/err" "no key file is made instead" "the error says so"
[ ! -e "$T/dead.db.key" ] && ok "no key file" || bad "$T/dead.db.key appeared"

[ "$fails" = 0 ] && echo "all TPM custody checks passed" || echo "$fails TPM custody check(s) FAILED"
[ "$fails" = 0 ]
