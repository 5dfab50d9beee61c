#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# wiper info on a loop device this test creates.
set -u
. "${top_srcdir:-.}/tests/lib/safety.sh"
tab_setup_root
command -v jq >/dev/null || tab_skip "jq not installed"

fails=0
check() {
	local what=$1; shift
	if "$@"; then echo "ok: $what"; else echo "not ok: $what"; fails=$((fails + 1)); fi
}

tab_make_loop L 48M 4096
"$WIPER" info --json "$L" >"$TESTDIR/info.json"
check "info exits 0" test $? = 0
j() { jq -r "$1" "$TESTDIR/info.json"; }
check "node" test "$(j .node)" = "$L"
check "size" test "$(j .size_bytes)" = $((48 << 20))
check "4096-byte sectors" test "$(j .logical_sector_size)" = 4096
check "sectors" test "$(j .sectors)" = $((48 << 20 >> 12))
check "backing file named" test "$(j .backing_file)" = "$(realpath "$TESTDIR")/$(basename "$(j .backing_file)")"
check "content probed, empty" test "$(j .content.summary)" = "no partitions or filesystems found"
check "only overwrite offered" test "$(j '[.techniques[].technique] | join(",")')" = overwrite
check "says why identity is thin" test "$(j .notes)" = "no command interface (loop): identity from the kernel only"

"$WIPER" info "$L" >"$TESTDIR/info.txt"
check "text info has the size line" grep -q "Size:  *48 MiB (50331648 bytes, 12288 sectors of 4096)" "$TESTDIR/info.txt"
cat "$TESTDIR/info.txt"

[ "$fails" = 0 ] || { echo "$fails failures"; exit 1; }
