#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The same medium as confirmed, at the station: the technician selects this
# test's loop device and reaches the confirmation; meanwhile the medium is
# swapped (the loop device detached and attached again, same name, same
# size, another file: a new disk sequence number, as a stick pulled and
# another pushed in). Confirming must erase nothing and say why.
set -u
. "${top_srcdir:-.}/tests/lib/safety.sh"
. "${top_srcdir:-.}/tests/integration/ui-lib.sh"
tab_setup_root
ui_require
[ -r /sys/block/loop0/diskseq ] || [ -n "$(ls /sys/block/*/diskseq 2>/dev/null)" ] ||
	tab_skip "this kernel has no disk sequence numbers (diskseq)"

fails=0
check() { # check DESCRIPTION COMMAND...
	local what=$1; shift
	if "$@"; then echo "ok: $what"; else echo "not ok: $what"; fails=$((fails + 1)); fi
}

SIZE=$((16 << 20))
first=$TESTDIR/first.img
second=$TESTDIR/second.img
truncate -s $SIZE "$first" "$second"
tab_make_loop A "$SIZE" 512 "$first"
a=${A#/dev/}
tab_assert_own_loop "$A"
dd if=/dev/urandom of="$A" bs=1M count=16 oflag=direct status=none || tab_fail "cannot fill $A"
dd if=/dev/urandom of="$second" bs=1M count=16 conv=notrunc status=none || tab_fail "cannot fill $second"
sum1=$(md5sum <"$first")
sum2=$(md5sum <"$second")

ui_start 100 30 --demo --config "$(ui_config)" --ledger "$TESTDIR/ledger.db"
check "login" ui_login
check "$a listed" ui_wait_re 10 "$a +loop"
check "cursor reaches $a" ui_cursor_to "$a"
ui_keys Space
check "$a selected" ui_wait_re 5 "^\[x\].$a "
ui_keys e
check "method screen" ui_wait 5 "choose the method"
ui_keys Enter
check "destination" ui_dest 0
check "details" ui_details "" "" ""
check "the confirmation names $a" ui_wait 5 "Type the number of media"
seq_before=$(cat "/sys/block/$a/diskseq")
# The swap: same name, same size, another medium.
tab_detach_loop "$A"
losetup "$A" "$second" || tab_fail "cannot attach $second to $A"
TAB_LOOPS+=("$A")
TAB_FILES+=("$(realpath "$second")")
tab_assert_own_loop "$A"
seq_after=$(cat "/sys/block/$a/diskseq")
echo "diskseq $seq_before -> $seq_after"
check "the kernel gave the new medium another disk sequence number" test "$seq_before" != "$seq_after"
ui_keys 1 Enter
check "the station refuses: a different medium" ui_wait 10 "a different medium is there now"
sleep 2
check "no job was started" ui_wait_gone 2 "PASSED"
check "the medium now in $A is untouched" test "$(md5sum <"$second")" = "$sum2"
check "the medium confirmed (now away) is untouched" test "$(md5sum <"$first")" = "$sum1"
ui_keys q
check "q exits" ui_wait 15 "TABULA-EXIT="
[ "$fails" = 0 ] || { echo "$fails failures"; exit 1; }
