#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The insider who can run code on the station PC and forges its station key:
# a seed of their choosing sealed by the station's own TPM (swtpm here) under
# the owner primary certs uses, with the policy of the genuine boot computed,
# not measured, written into a .sealed file signed with that key as certs
# would write it (tests/integration/tpm-forge-sealed.c). The TPM really would
# hand that seed to whoever asks in the genuine boot (checked: the tool's own
# unseal gets it back), so only the proof of creation keeps certs from
# signing with a key its forger knows. Also: the same forgery without the
# creation lines (as a file from before them), with its creation data edited
# to claim the genuine PCRs, an unbound key on the live
# image (TABULA_BOOT_CUSTODY=1), keys bound to any other PCRs than the
# image's (resettable, subsets, supersets, SHA-1) on the image, a creation
# ticket moved from another file;
# and certs' own enrolment still opens. Never touches a real /dev/tpm*.
set -u

CERTS="${top_builddir:-.}/certs/certs"
FORGE="${top_builddir:-.}/tests/integration/tpm-forge-sealed"
[ -x "$CERTS" ] || { echo "SKIP: $CERTS not built"; exit 77; }
command -v swtpm >/dev/null || { echo "SKIP: swtpm not installed (Debian: swtpm swtpm-tools)"; exit 77; }
command -v tpm2_pcrextend >/dev/null || { echo "SKIP: tpm2_pcrextend not installed (Debian: tpm2-tools)"; exit 77; }
if "$CERTS" custody init /nonexistent/x.db --tpm swtpm:host=127.0.0.1,port=1 2>&1 | grep -q "no TPM support"; then
	echo "SKIP: certs was built without tpm2-tss (TPM custody absent)"; exit 77
fi
[ -x "$FORGE" ] || { echo "SKIP: $FORGE not built (make check builds it)"; exit 77; }
T=$(mktemp -d /tmp/tabula-certs-forge.XXXXXX)
SWTPM_DIR=$T
. "${top_srcdir:-.}/tests/lib/swtpm.sh"
trap 'swtpm_stop_all; rm -rf "$T"' EXIT
trap 'exit 1' INT TERM
fails=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }
has() { if grep -qF -- "$2" "$1"; then ok "$3"; else bad "$3: no \"$2\" in"; cat "$1"; fi; }
start() { swtpm_start "$1" >"$T/why" || { echo "SKIP: $(cat "$T/why")"; exit 77; }; }
# restart NAME: power the PC off and on: the same TPM, its PCRs reset (the genuine boot)
restart() { swtpm_stop_all; sleep 0.3; start "$1"; export TABULA_TPM_TCTI; TABULA_TPM_TCTI=$(tcti "$1"); }
tcti() { eval "echo \$TCTI_$1"; }
SEED=4242424242424242424242424242424242424242424242424242424242424242

start pc
export TABULA_TPM_TCTI; TABULA_TPM_TCTI=$(tcti pc)
mkdir -p "$T/a" "$T/b" "$T/c" "$T/d"
# The insider's boot: PCR 8 is not what the genuine boot leaves there.
tpm2_pcrextend -T "$(tcti pc)" 8:sha256=$(printf '%064d' 1) >/dev/null 2>&1 ||
	{ bad "cannot extend PCR 8 in the simulator"; }
got=$("$FORGE" "$(tcti pc)" "$T/a/ledger.db" forge 2>"$T/err") && [ "$got" = "$SEED" ] &&
	ok "the forger sealed their own seed with the genuine boot's policy" || { bad "forge: $(cat "$T/err")"; }
"$FORGE" "$(tcti pc)" "$T/b/ledger.db" noproof >/dev/null 2>"$T/err" || bad "noproof: $(cat "$T/err")"
"$FORGE" "$(tcti pc)" "$T/c/ledger.db" unbound >/dev/null 2>"$T/err" || bad "unbound: $(cat "$T/err")"
mkdir -p "$T/f"
"$FORGE" "$(tcti pc)" "$T/f/ledger.db" digest >/dev/null 2>"$T/err" || bad "digest: $(cat "$T/err")"

restart pc	# the genuine boot: every PCR as the policy wants
got=$("$FORGE" "$(tcti pc)" "$T/a/ledger.db" unseal 2>"$T/err")
[ "$got" = "$SEED" ] && ok "in the genuine boot the TPM unseals the forger's seed for anyone (the attack is real)" ||
	bad "the forged object does not unseal in the genuine boot ($got $(cat "$T/err")): the test proves nothing"
"$CERTS" custody status "$T/a/ledger.db" >"$T/out" 2>&1 && bad "certs took the forged key" ||
	has "$T/out" "was not sealed in the boot it is bound to" "certs refuses the forged key: its creation PCRs are not the policy's"
"$CERTS" custody status "$T/b/ledger.db" >"$T/out" 2>&1 && bad "certs took a key without a creation proof" ||
	has "$T/out" "carries no proof of the boot it was sealed in" "certs refuses a sealed key without a proof of creation"
"$CERTS" custody status "$T/f/ledger.db" >"$T/out" 2>&1 && bad "certs took creation data edited to the genuine PCRs" ||
	has "$T/out" "does not confirm that it sealed the station key" "creation data edited to claim the genuine PCRs is refused by the TPM (its ticket covers other data)"
# The control: the forger's file, NV counter and signature are complete. The
# same forgery unbound (no PCR policy, so there is nothing to prove) opens
# where unbound keys are allowed; only the live image's rule stops it.
"$CERTS" destroy "$T/c/ledger.db" --station ST01 --serial SN-1 --model "Stick 1" --technique Shred \
	--operator "Li Wei" --witness "Anna Berg" >"$T/out" 2>&1 &&
	"$CERTS" custody status "$T/c/ledger.db" >>"$T/out" 2>&1 &&
	ok "control: an unbound forged key signs a record off the image (the forgery is otherwise complete)" ||
	{ bad "control: the unbound forgery does not open, so the refusals above prove less"; cat "$T/out"; }
TABULA_BOOT_CUSTODY=1 "$CERTS" custody status "$T/c/ledger.db" >"$T/out" 2>&1 &&
	bad "the live image took an unbound key" ||
	has "$T/out" "not bound to PCRs, not to this station's boot" "on the live image an unbound key is refused"

# certs' own enrolment in this boot (custody setup: the live image's, bound to
# CERT_CUSTODY_BOOT_PCRS) still opens, and its ticket cannot be moved
"$CERTS" custody setup "$T/d/ledger.db" --tpm "$(tcti pc)" >"$T/out" 2>&1 || { bad "enrol: $(cat "$T/out")"; }
grep -q '^creation-data ' "$T/d/ledger.db.sealed" && grep -q '^creation-ticket ' "$T/d/ledger.db.sealed" &&
	ok "an enrolment keeps the creation data and ticket" || bad "no creation lines in $(cat "$T/d/ledger.db.sealed")"
TABULA_BOOT_CUSTODY=1 "$CERTS" custody status "$T/d/ledger.db" >"$T/out" 2>&1 &&
	ok "a genuine enrolment opens (on the live image's rule too)" || { bad "genuine enrolment refused"; cat "$T/out"; }
# the forger's file with the genuine file's creation lines: the ticket names another object
python3 - "$T/a/ledger.db.sealed" "$T/d/ledger.db.sealed" "$T/e.sealed" <<'PY' || bad "splice"
import sys
forged = open(sys.argv[1]).read().splitlines()
genuine = dict(l.split(" ", 1) for l in open(sys.argv[2]).read().splitlines() if " " in l)
out = [(k + " " + genuine[k]) if (k := l.split(" ", 1)[0]) in ("creation-data", "creation-ticket") else l for l in forged]
open(sys.argv[3], "w").write("\n".join(out) + "\n")
PY
mkdir -p "$T/e" && cp "$T/e.sealed" "$T/e/ledger.db.sealed" && cp "$T/a/ledger.db.pub" "$T/e/ledger.db.pub"
"$CERTS" custody status "$T/e/ledger.db" >"$T/out" 2>&1 && bad "certs took a moved ticket" ||
	has "$T/out" "does not confirm that it sealed the station key" "a creation proof moved from a genuine file is refused by the TPM"

# The live image's rule takes CERT_CUSTODY_BOOT_PCRS exactly. Genuine
# enrolments with any other binding (a resettable PCR anyone can set, a subset
# that leaves out the loader or the firmware, a superset, the same PCRs in the
# SHA-1 bank) open off the image, and on it are refused before the TPM is asked.
i=0
for b in 16 16,23 0,2,4,7 0,2,4,7,8 4,7,8,9 0,2,4,7,8,9,16 sha1:0,2,4,7,8,9 sha256:0,2,4,7,8,10; do
	i=$((i + 1))
	mkdir -p "$T/g$i"
	if ! "$CERTS" custody init "$T/g$i/ledger.db" --tpm "$(tcti pc)" --pcrs "$b" >"$T/out" 2>&1; then
		# a bank the simulator does not keep cannot be sealed to at all
		if [ "${b%%:*}" = sha1 ] && grep -qi "pcr\|bank\|select" "$T/out"; then
			ok "PCRs $b: the simulator has no such bank ($(head -c 120 "$T/out"))"; continue
		fi
		bad "enrol bound to $b: $(cat "$T/out")"; continue
	fi
	"$CERTS" custody status "$T/g$i/ledger.db" >"$T/out" 2>&1 ||
		{ bad "control: a genuine key bound to $b does not open off the image"; cat "$T/out"; continue; }
	TABULA_BOOT_CUSTODY=1 "$CERTS" custody status "$T/g$i/ledger.db" >"$T/out" 2>&1 &&
		bad "the live image took a key bound to $b" ||
		has "$T/out" "not to this station's boot (PCRs sha256:0,2,4,7,8,9)" "on the live image a key bound to $b is refused (it opens off the image)"
done

[ "$fails" = 0 ] && echo "every forged station key is refused" || echo "$fails check(s) FAILED"
[ "$fails" = 0 ]
