#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# wiper decode on identify blocks captured from QEMU's emulated drives.
set -u
. "${top_srcdir:-.}/tests/lib/safety.sh"
command -v jq >/dev/null || tab_skip "jq not installed"
fx=${top_srcdir:-.}/tests/fixtures
for f in ata/qemu-ahci.identify.bin ata/qemu-ahci.hdparm.txt nvme/qemu-id-ctrl.bin; do
	[ -f "$fx/$f" ] || tab_skip "fixture $f missing (tests/qemu/capture-fixtures.sh makes it)"
done

fails=0
check() {
	local what=$1; shift
	if "$@"; then echo "ok: $what"; else echo "not ok: $what"; fails=$((fails + 1)); fi
}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT

for src in qemu-ahci.identify.bin qemu-ahci.hdparm.txt; do
	"$WIPER" decode ata-identify --json "$fx/ata/$src" >"$T/a.json"
	check "$src decodes" test $? = 0
	check "$src model" test "$(jq -r .model "$T/a.json")" = QEMU-SATA-TEST
	check "$src serial" test "$(jq -r .serial "$T/a.json")" = SATA-SER-0001
	check "$src firmware" test "$(jq -r .firmware "$T/a.json")" = 2.5+
	check "$src sectors" test "$(jq -r .sectors "$T/a.json")" = 131072
	check "$src wwn" test "$(jq -r .wwn "$T/a.json")" = 0x5000c500deadbeef
	check "$src no security feature set" test "$(jq -r .security.supported "$T/a.json")" = false
	check "$src non-rotating" test "$(jq -r .rotation_rate "$T/a.json")" = 1
done
# Both forms of the same block decode identically.
"$WIPER" decode ata-identify --json "$fx/ata/qemu-ahci.identify.bin" >"$T/1.json"
"$WIPER" decode ata-identify --json "$fx/ata/qemu-ahci.hdparm.txt" >"$T/2.json"
check "raw and hdparm text decode the same" cmp -s "$T/1.json" "$T/2.json"

"$WIPER" decode nvme-id-ctrl --json "$fx/nvme/qemu-id-ctrl.bin" >"$T/n.json"
check "nvme decodes" test $? = 0
check "nvme model" test "$(jq -r .model "$T/n.json")" = "QEMU NVMe Ctrl"
check "nvme serial" test "$(jq -r .serial "$T/n.json")" = NVME-SER-0001
check "nvme firmware" test "$(jq -r .firmware "$T/n.json")" = 7.2.22
check "nvme format supported, no sanitize" test "$(jq -r '"\(.format_supported) \(.sanicap) \(.fna)"' "$T/n.json")" = "true 0 0"

# A truncated copy of a real block is refused.
head -c 511 "$fx/ata/qemu-ahci.identify.bin" >"$T/cut.bin"
"$WIPER" decode ata-identify "$T/cut.bin" 2>"$T/cut.err"
check "truncated real block refused" test $? = 2
cat "$T/cut.err"
[ "$fails" = 0 ] || { echo "$fails failures"; exit 1; }
