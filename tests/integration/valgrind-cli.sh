#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# valgrind memcheck over the command-line paths a station and a records
# officer use: wiper list/info/decode/erase/verify on loop devices this test
# creates, and certs verify/list/show/pdf/register/destroy/recover/verify --pdf.
# Any memory error or definite/indirect leak fails the test.
set -u
. "${top_srcdir:-.}/tests/lib/safety.sh"
tab_setup_root
command -v valgrind >/dev/null || tab_skip "valgrind not installed"
ldd "$WIPER" 2>/dev/null | grep -q libasan && tab_skip "sanitizer build (ASan and valgrind exclude each other); memcheck runs in the plain build"
CERTS=${CERTS:-$(dirname "$WIPER")/../certs/certs}
top=${top_srcdir:-.}

fails=0
VG=(valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect
    --show-leak-kinds=definite,indirect --track-origins=yes)
# vg NAME WANT CMD...: run under memcheck; want the exit status, and no memcheck finding.
vg() {
	local name=$1 want=$2; shift 2
	"${VG[@]}" "$@" >"$TESTDIR/$name.out" 2>"$TESTDIR/$name.err"
	local got=$?
	# Exit 99 is memcheck's: an error or a definite/indirect leak. (Its warnings about
	# ioctls it does not model, such as libblkid's CD-ROM probe, are not findings.)
	if [ $got = 99 ]; then
		echo "not ok: $name: memcheck finding"; sed -n 1,40p "$TESTDIR/$name.err"
		fails=$((fails + 1))
	elif [ "$got" != "$want" ]; then
		echo "not ok: $name: exit $got, wanted $want"; tail -5 "$TESTDIR/$name.err"
		fails=$((fails + 1))
	else
		echo "ok: $name"
	fi
}

tab_make_loop L1 $((8 << 20)) 512
tab_make_loop L2 $((4 << 20)) 4096
LEDGER=$TESTDIR/ledger.db
who=(--ledger "$LEDGER" --operator "Ann Example, Technician" --witness "Bo Witness, Officer")

vg wiper-list 0 "$WIPER" list --include-loop --json
vg wiper-info 0 "$WIPER" info "$L1"
vg wiper-decode 0 "$WIPER" decode ata-identify --json "$top/tests/fixtures/ata/qemu-ahci.identify.bin"
vg wiper-bad-flag 2 "$WIPER" erase --frobnicate "$L1"
tab_assert_own_loop "$L1"; tab_assert_own_loop "$L2"
vg wiper-erase 0 "$WIPER" erase --yes --method random --verify all "${who[@]}" "$L1" "$L2"
vg wiper-verify-mismatch 1 "$WIPER" verify --method zero "$L1"
vg certs-verify 0 "$CERTS" verify "$LEDGER"
vg certs-verify-every 0 "$CERTS" verify --every-signature --deep "$LEDGER"
vg certs-list 0 "$CERTS" list "$LEDGER" --json
vg certs-show 0 "$CERTS" show "$LEDGER" 1
vg certs-find-none 1 "$CERTS" find "$LEDGER" --serial nothing-like-this
vg certs-pdf 0 "$CERTS" pdf "$LEDGER" 1 -o "$TESTDIR/c1.pdf"
vg certs-verify-pdf 1 "$CERTS" verify --pdf "$TESTDIR/c1.pdf" "$LEDGER"
vg certs-register 0 "$CERTS" register "$LEDGER" --from 2000-01-01 --to 2100-01-01 -o "$TESTDIR/reg.pdf"
vg certs-destroy 0 "$CERTS" destroy "$LEDGER" --serial WX1 --model "Old Disk" --technique Shred \
	--operator Ann --witness Bo -o "$TESTDIR"
vg certs-recover 0 "$CERTS" recover "$LEDGER"
vg certs-export 0 "$CERTS" export "$LEDGER" -o "$TESTDIR/copy.db"
printf 'garbage' >"$TESTDIR/bad.db"
vg certs-verify-garbage 1 "$CERTS" verify "$TESTDIR/bad.db"

echo "$fails failure(s)"
test $fails = 0
