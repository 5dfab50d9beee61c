#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# wiper erase --ledger with the station key sealed by a TPM (swtpm, started
# here over its own loopback ports), on loop devices this test creates: the
# records medium set up as the live image does it (certs custody setup, bound
# to PCRs 0,2,4,7,8,9), the job noted and the certificate signed through the TPM;
# after PCR 8 changed (another boot) the erase is refused before the medium
# is touched and nothing is certified. Never touches a real /dev/tpm*.
set -u
. "${top_srcdir:-.}/tests/lib/safety.sh"
tab_setup_root
CERTS=${top_builddir:-.}/certs/certs
command -v swtpm >/dev/null || tab_skip "swtpm not installed (Debian: swtpm swtpm-tools)"
command -v tpm2_pcrextend >/dev/null || tab_skip "tpm2-tools not installed"
"$CERTS" custody setup /nonexistent/x.db --tpm swtpm:host=127.0.0.1,port=1 2>&1 |
	grep -q "no TPM support" && tab_skip "certs was built without tpm2-tss"

fails=0
check() {
	local what=$1; shift
	if "$@"; then echo "ok: $what"; else echo "not ok: $what"; fails=$((fails + 1)); fi
}
port_free() { ! (ss -ltnH 2>/dev/null | awk '{print $4}' | grep -q "[:.]$1\$"); }

mkdir -p "$TESTDIR/tpm" "$TESTDIR/rec"
PORT=
for try in $(seq 20); do
	p=$(( (($$ + try * 7919 + RANDOM) % 20000) + 30000 ))
	port_free "$p" && port_free $((p + 1)) || continue
	if swtpm socket --tpm2 --tpmstate dir="$TESTDIR/tpm" --server type=tcp,port="$p",bindaddr=127.0.0.1 \
		--ctrl type=tcp,port=$((p + 1)),bindaddr=127.0.0.1 --flags not-need-init,startup-clear \
		--daemon --pid file="$TESTDIR/swtpm.pid" 2>"$TESTDIR/swtpm.log"; then
		PORT=$p
		break
	fi
done
[ -n "$PORT" ] || tab_skip "swtpm would not start: $(cat "$TESTDIR/swtpm.log")"
stop_swtpm() { [ -s "$TESTDIR/swtpm.pid" ] && kill "$(cat "$TESTDIR/swtpm.pid")" 2>/dev/null; }
trap 'stop_swtpm; tab_cleanup' EXIT
for _ in $(seq 50); do [ -s "$TESTDIR/swtpm.pid" ] && break; sleep 0.1; done
export TABULA_TPM_TCTI="swtpm:host=127.0.0.1,port=$PORT"
LEDGER=$TESTDIR/rec/ledger.db

check "the records medium is set up with TPM custody (PCRs 0,2,4,7,8,9)" \
	bash -c '"$1" custody setup "$2" | grep -q "bound to the boot (PCRs 0,2,4,7,8,9)"' _ "$CERTS" "$LEDGER"
check "no key file on the records medium" test ! -e "$LEDGER.key"

size=$((8 << 20))
tab_make_loop L1 $size 512
tab_make_loop L2 $size 512
for L in "$L1" "$L2"; do
	tab_assert_own_loop "$L"
	dd if=/dev/urandom of="$L" bs=1M iflag=fullblock oflag=direct status=none 2>/dev/null || true
done

tab_assert_own_loop "$L1"
"$WIPER" erase --yes --json --method clear --ledger "$LEDGER" --operator "Li Wei" \
	--witness "Anna Berg" "$L1" >"$TESTDIR/erase1.json" 2>"$TESTDIR/erase1.err"
rc=$?
check "erase with TPM custody: exit 0 (got $rc: $(tail -n 2 "$TESTDIR/erase1.err" | tr '\n' ' '))" test "$rc" = 0
check "the medium reads back as zeros" cmp -n "$size" "$L1" /dev/zero
check "one record, signed through the TPM" \
	bash -c '"$1" show "$2" 1 | grep -q "TPM 2.0 of the station PC"' _ "$CERTS" "$LEDGER"
check "the ledger verifies" bash -c '"$1" verify "$2" >/dev/null' _ "$CERTS" "$LEDGER"
check "no open job is left" bash -c '! "$1" recover "$2" 2>&1 | grep -q INCOMPLETE' _ "$CERTS" "$LEDGER"

# another boot: PCR 8 (GRUB's commands and the kernel command line) changes
tpm2_pcrextend -T "$TABULA_TPM_TCTI" \
	8:sha256=00000000000000000000000000000000000000000000000000000000000000ff 2>"$TESTDIR/ext.err" ||
	echo "not ok: tpm2_pcrextend: $(cat "$TESTDIR/ext.err")"
sum=$(sha256sum "$L2" | cut -d' ' -f1)
tab_assert_own_loop "$L2"
"$WIPER" erase --yes --json --method clear --ledger "$LEDGER" --operator "Li Wei" \
	--witness "Anna Berg" "$L2" >"$TESTDIR/erase2.json" 2>"$TESTDIR/erase2.err"
rc=$?
check "a changed boot: the erase is refused with exit 2 (got $rc)" test "$rc" = 2
check "the refusal says the PCRs changed: $(head -c 200 "$TESTDIR/erase2.err")" \
	grep -q "bound to PCRs sha256:0,2,4,7,8,9 and they changed since enrolment (what changed: PCR 8, GRUB's commands and the kernel command line)" "$TESTDIR/erase2.err"
check "the medium is untouched" test "$(sha256sum "$L2" | cut -d' ' -f1)" = "$sum"
check "nothing certified (still one record)" \
	test "$("$CERTS" list "$LEDGER" | grep -c PASSED)" = 1
check "no key file was made instead" test ! -e "$LEDGER.key"

[ "$fails" = 0 ]
