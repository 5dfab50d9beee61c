#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Records in RAM, in tmux. The station runs as the live image starts it
# (tabula --records-required DIR, no --ledger) with nothing mounted at DIR:
# every screen says the certificates would be lost at power-off, and an
# erase is refused before anything is written. A records medium (an ext4
# loop device labelled TABULA-RECORDS) mounted at DIR while the station runs
# clears the warning, and the erase's certificate lands in DIR/ledger.db on
# that medium. When that medium is pulled mid-erase, the job's certificate
# waits (the dashboard says so) instead of landing in a ledger in RAM, and is
# issued on the medium once it is back. With "allow_ram_ledger = yes" in the
# configuration and nothing mounted, the warning stays (saying it is
# allowed) and erasing works.
set -u
. "${top_srcdir:-.}/tests/lib/safety.sh"
. "${top_srcdir:-.}/tests/integration/ui-lib.sh"
tab_setup_root
ui_require
command -v mkfs.ext4 >/dev/null || tab_skip "mkfs.ext4 not installed"
grep -qw ext4 /proc/filesystems || modprobe ext4 2>/dev/null || tab_skip "no ext4 in this kernel"
CERTS=${CERTS:-${top_builddir:-.}/certs/certs}

fails=0
check() { # check DESCRIPTION COMMAND...
	local what=$1; shift
	if "$@"; then echo "ok: $what"; else echo "not ok: $what"; fails=$((fails + 1)); fi
}

SIZE=$((8 << 20))
mkdir -p "$TESTDIR/demo" "$TESTDIR/rec"
truncate -s "$SIZE" "$TESTDIR/demo/a.img"
tab_make_loop A "$SIZE" 512 "$TESTDIR/demo/a.img"
a=${A#/dev/}
tab_assert_own_loop "$A"
# big enough that a Gutmann erase is still running when its records medium is pulled
truncate -s 1G "$TESTDIR/demo/b.img"
tab_make_loop B 0 512 "$TESTDIR/demo/b.img"
b=${B#/dev/}
dd if=/dev/urandom of="$A" bs=1M count=8 oflag=direct status=none || tab_fail "cannot fill $A"
sum=$(md5sum <"$A")

# 1. Nothing mounted at the records folder: warned, refused, nothing written.
ui_start 80 24 --demo-dir "$TESTDIR/demo" --config "$(ui_config)" --records-required "$TESTDIR/rec"
check "the title says there is no records medium" ui_wait 20 "NO RECORDS MEDIUM: certificates would be lost"
check "login" ui_login
check "the media list says so too" ui_wait 5 "NO RECORDS MEDIUM"
check "cursor reaches $a" ui_cursor_to "$a"
ui_keys Space e
check "the erase is refused, saying why" ui_wait 5 "Not erased: no records medium, the certificate would be lost at power-off."
check "... and the method screen never opens" ui_wait_gone 2 "choose the method"
check "no ledger was created in RAM" test ! -e "$TESTDIR/rec/ledger.db"
check "$a was not written" test "$(md5sum <"$A")" = "$sum"

# 2. The records medium is mounted while the station runs: the warning goes, the erase is certified on it.
truncate -s 32M "$TESTDIR/records.img"
mkfs.ext4 -q -F -L TABULA-RECORDS "$TESTDIR/records.img"
tab_make_loop R 0 512 "$TESTDIR/records.img"
tab_mount "$R" "$TESTDIR/rec"
check "the warning goes once the records medium is mounted" ui_wait_gone 10 "NO RECORDS MEDIUM"
ui_keys e
check "method screen" ui_wait 5 "choose the method"
ui_keys Enter
check "destination screen" ui_dest 0
check "details screen" ui_details "REC-1" "" ""
check "confirmation" ui_wait 5 "Type the number"
tab_assert_own_loop "$A"
ui_keys 1 Enter
check "dashboard shows PASSED" ui_wait 120 "PASSED"
check "certificate issued" ui_wait_re 10 "certificate TEST-STATION-[0-9]+"
check "the ledger is DIR/ledger.db" test -s "$TESTDIR/rec/ledger.db"
check "... on the records medium" test "$(findmnt -n -o SOURCE -T "$TESTDIR/rec/ledger.db")" = "$R"
[ -x "$CERTS" ] && check "the ledger verifies" "$CERTS" verify "$TESTDIR/rec/ledger.db"
ui_keys m
check "back on the list" ui_wait_re 10 "$a +loop"
ui_keys q
check "q exits with status 0" ui_wait 15 "TABULA-EXIT=0"
ui_tmux kill-server 2>/dev/null

# 2b. The records medium is pulled mid-erase: the certificate waits for it, never lands in RAM.
ui_start 80 24 --demo-dir "$TESTDIR/demo" --config "$(ui_config)" --records-required "$TESTDIR/rec"
check "login (pull)" ui_login
check "cursor reaches $b" ui_cursor_to "$b"
tab_assert_own_loop "$B"
ui_keys Space e
check "method screen (pull)" ui_wait 5 "choose the method"
ui_keys Down Down Down Down Down Down Down Enter	# Gutmann (35 passes)
check "verification screen (pull)" ui_wait 5 "choose the verification"
ui_keys Enter
check "destination screen (pull)" ui_dest 0
check "details screen (pull)" ui_details "PULL-1" "" ""
check "confirmation (pull)" ui_wait 5 "Type the number"
tab_assert_own_loop "$B"
ui_keys 1 Enter
check "the erase is under way" ui_wait_re 60 "pass ([2-9]|[1-3][0-9])/35"
umount "$TESTDIR/rec" || tab_fail "cannot pull (unmount) the records medium"
check "the title warns at once" ui_wait 10 "NO RECORDS MEDIUM"
ui_keys s	# stop it: it ends INCOMPLETE and needs its certificate
check "s asks first, naming the medium" ui_wait 5 "Stop erasing"
ui_keys y
check "the dashboard says the certificate is held for the medium" ui_wait 30 "Certificate held until the records medium is back"
sleep 1
check "no ledger was created in RAM" test ! -e "$TESTDIR/rec/ledger.db"
tab_mount "$R" "$TESTDIR/rec"
check "once it is back, the job ends (INCOMPLETE)" ui_wait 20 "INCOMPLETE"
check "the waiting note is gone" ui_wait_gone 10 "Certificate held"
"$CERTS" list "$TESTDIR/rec/ledger.db" --json >"$TESTDIR/list.json" 2>&1
check "its certificate is on the records medium: 2 records, the last INCOMPLETE for PULL-1" \
	test "$(jq -r 'length, .[-1].result' "$TESTDIR/list.json" | tr '\n' ' ')" = "2 INCOMPLETE "
"$CERTS" show "$TESTDIR/rec/ledger.db" 2 >"$TESTDIR/show2" 2>&1
check "... naming the asset PULL-1" grep -q "PULL-1" "$TESTDIR/show2"
check "the ledger still verifies" "$CERTS" verify "$TESTDIR/rec/ledger.db"
ui_keys q
check "q exits with status 0 (pull)" ui_wait 15 "TABULA-EXIT=0"
ui_tmux kill-server 2>/dev/null
umount "$TESTDIR/rec" || tab_fail "cannot unmount the records medium"

# 3. Allowed by the configuration: warned, and the erase goes ahead.
dd if=/dev/urandom of="$A" bs=1M count=8 oflag=direct status=none || tab_fail "cannot fill $A"
conf=$(ui_config)
echo "allow_ram_ledger = yes" >>"$conf"
ui_start 80 24 --demo-dir "$TESTDIR/demo" --config "$conf" --records-required "$TESTDIR/rec"
check "allowed: still warned" ui_wait 20 "NO RECORDS MEDIUM: ledger in RAM (allowed)"
check "login (allowed)" ui_login
check "cursor reaches $a (allowed)" ui_cursor_to "$a"
tab_assert_own_loop "$A"
ui_keys Space e
check "allowed: the method screen opens" ui_wait 5 "choose the method"
ui_keys Enter
check "destination screen (allowed)" ui_dest 0
check "details screen (allowed)" ui_details "RAM-1" "" ""
ui_keys 1 Enter
check "allowed: PASSED" ui_wait 120 "PASSED"
check "allowed: the certificate went to DIR/ledger.db in RAM" test -s "$TESTDIR/rec/ledger.db"
ui_keys q
check "q exits with status 0 (allowed)" ui_wait 15 "TABULA-EXIT=0"

[ "$fails" = 0 ] || { echo "$fails failures"; exit 1; }
