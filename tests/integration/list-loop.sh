#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# wiper list on loop devices this test creates: sizes, sector sizes, contents,
# and the exclusions a technician must see (mounted, records medium).
set -u
. "${top_srcdir:-.}/tests/lib/safety.sh"
tab_setup_root
command -v jq >/dev/null || tab_skip "jq not installed"
command -v mkfs.vfat >/dev/null || tab_skip "mkfs.vfat (dosfstools) not installed"
command -v mkfs.ext4 >/dev/null || tab_skip "mkfs.ext4 (e2fsprogs) not installed"
grep -qw ext4 /proc/filesystems || tab_skip "this kernel cannot mount ext4"
command -v sfdisk >/dev/null || tab_skip "sfdisk not installed"

fails=0
check() { # check DESCRIPTION COMMAND...
	local what=$1; shift
	if "$@"; then echo "ok: $what"; else echo "not ok: $what"; fails=$((fails + 1)); fi
}

# A: 64 MiB, 512-byte sectors, GPT with a FAT partition labelled WINDOWS.
fa=$TESTDIR/a.img
truncate -s 64M "$fa"
printf 'label: gpt\nstart=2048, size=65536, type=EBD0A0A2-B9E5-4433-87C0-68B6B72699C7\n' | sfdisk -q "$fa"
mkfs.vfat -F 16 -n WINDOWS --offset 2048 "$fa" 32768 >/dev/null
tab_make_loop A 0 512 "$fa"
# B: 32 MiB, 4096-byte sectors, mounted (ext4: this kernel may have no vfat).
fb=$TESTDIR/b.img
truncate -s 32M "$fb"
mkfs.ext4 -q -b 4096 -L DATA "$fb"
tab_make_loop B 0 4096 "$fb"
tab_mount "$B" "$TESTDIR/mnt"
# C: 16 MiB records medium.
fc=$TESTDIR/c.img
truncate -s 16M "$fc"
mkfs.ext4 -q -L TABULA-RECORDS "$fc"
tab_make_loop C 0 512 "$fc"

"$WIPER" list --include-loop --json >"$TESTDIR/list.json" 2>"$TESTDIR/list.err"
check "list --json exits 0" test $? = 0
check "list --json is valid JSON" jq -e .devices "$TESTDIR/list.json" >/dev/null
dev() { jq -c --arg n "$1" '.devices[] | select(.node == $n)' "$TESTDIR/list.json"; }

check "A listed" test -n "$(dev "$A")"
check "A size_bytes = 64 MiB" test "$(dev "$A" | jq .size_bytes)" = 67108864
check "A sectors = 131072" test "$(dev "$A" | jq .sectors)" = 131072
check "A logical sector 512" test "$(dev "$A" | jq .logical_sector_size)" = 512
check "A transport loop" test "$(dev "$A" | jq -r .transport)" = loop
check "A not excluded" test "$(dev "$A" | jq .excluded)" = false
check "A partition table gpt" test "$(dev "$A" | jq -r .content.partition_table)" = gpt
check "A vfat 'WINDOWS' found" test "$(dev "$A" | jq -r '.content.filesystems[0].type + " " + .content.filesystems[0].label')" = "vfat WINDOWS"
check "A erase summary is Clear only" test "$(dev "$A" | jq -r .erase)" = "Clear only: loop device"

check "B logical sector 4096" test "$(dev "$B" | jq .logical_sector_size)" = 4096
check "B sectors = 8192" test "$(dev "$B" | jq .sectors)" = 8192
check "B excluded" test "$(dev "$B" | jq .excluded)" = true
reason=$(dev "$B" | jq -r .excluded_reason)
check "B reason 'mounted at $TESTDIR/mnt ($(basename "$B"))' (got '$reason')" \
	test "$reason" = "mounted at $TESTDIR/mnt ($(basename "$B"))"

reason=$(dev "$C" | jq -r .excluded_reason)
check "C excluded as records medium (got '$reason')" \
	test "$reason" = "records medium ($(basename "$C") labelled TABULA-RECORDS)"

# Without --include-loop, loop devices stay out of the list.
"$WIPER" list --json >"$TESTDIR/noloop.json"
check "no loop devices without --include-loop" \
	test "$(jq '[.devices[] | select(.transport == "loop")] | length' "$TESTDIR/noloop.json")" = 0

# Naming devices restricts the list; the default table fits 80 columns under
# its header, --wide shows every column whole (the mount, the contents).
"$WIPER" list "$A" "$B" >"$TESTDIR/list.txt"
check "text list shows exactly two devices" test "$(tail -n +2 "$TESTDIR/list.txt" | wc -l)" = 2
check "text list has its header" grep -q "^DEVICE .* SIZE .* MODEL .* ERASE / EXCLUDED$" "$TESTDIR/list.txt"
check "text list fits 80 columns" test "$(wc -L <"$TESTDIR/list.txt")" -le 80
check "text list says which is excluded" grep -q "$(basename "$B") .* EXCLUDED: mounted" "$TESTDIR/list.txt"
cat "$TESTDIR/list.txt"
"$WIPER" list --wide "$A" "$B" >"$TESTDIR/wide.txt"
check "wide list shows the mount" grep -q "EXCLUDED: mounted at $TESTDIR/mnt" "$TESTDIR/wide.txt"
check "wide list shows contents" grep -q "gpt: vfat 'WINDOWS' 32 MiB" "$TESTDIR/wide.txt"
cat "$TESTDIR/wide.txt"

[ "$fails" = 0 ] || { echo "$fails failures"; exit 1; }
