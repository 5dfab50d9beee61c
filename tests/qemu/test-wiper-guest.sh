#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Real kernel, real commands: boots the QEMU guest (TCG) with the wiper binary
# and checks from the host what it did to QEMU's NVMe, AHCI and USB disks.
# Usage: test-wiper-guest.sh [WIPER_BINARY]. Exit 77 (SKIP) when QEMU or the
# guest kernel cannot be had here.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
WIPER=${1:-${WIPER:-$HERE/../../build-werror/wiper/wiper}}
WORK=${TABULA_QEMU_WORK:-/var/tmp/tabula-qemu}

. "$HERE/guest-lib.sh"
guest_require

P=$(mktemp -d /tmp/tabula-guest-XXXXXX)
OUT=$(mktemp -d /tmp/tabula-guest-out-XXXXXX)
trap 'rm -rf "$P"; [ -n "${KEEP_OUT:-}" ] || rm -rf "$OUT"' EXIT
guest_probe_dir "$P" wiper-real.sh

NVME_MULTI=1 DISK_FILL=random bash "$HERE/run-guest.sh" -q -w "$WORK" -o "$OUT" -t 300 "$P/wiper-real.sh"
grc=$?
check "guest probe ran (rc $grc)" test "$grc" = 0
j() { jq -r "$2" "$OUT/$1.json" 2>/dev/null; }
r() { jq -r "select(.event == \"result\") | $2" "$OUT/$1.json" 2>/dev/null; }
rc() { cat "$OUT/$1.rc" 2>/dev/null; }

check "nvme: real Identify model" test "$(j nvme-info .model)" = "QEMU NVMe Ctrl"
check "nvme: SANICAP 0 as the device states" test "$(j nvme-info .nvme.sanicap)" = 0
check "nvme: FNA 0 as the device states" test "$(j nvme-info .nvme.fna)" = 0
check "nvme: no purge technique" test "$(j nvme-info '.purge | length')" = 0
check "nvme: clear techniques listed" test "$(j nvme-info '.clear | join(",")')" = "nvme-format-user-data,overwrite"
check "nvme: --method purge refused (exit 2)" test "$(rc nvme-purge)" = 2
check "nvme: purge refusal says why" grep -q "no Purge technique" "$OUT/nvme-purge.err"
check "nvme: sanitize sent anyway is FAILED, not a crash (exit 1)" test "$(rc nvme-sanitize)" = 1
check "nvme: sanitize answered Invalid Command Opcode" \
	grep -q "Invalid Command Opcode" "$OUT/nvme-sanitize.json"
check "nvme: crypto format not offered (exit 2)" test "$(rc nvme-format-crypto)" = 2
check "nvme: format SES=1 exits 0" test "$(rc nvme-format)" = 0
check "nvme: format PASSED" test "$(r nvme-format .result)" = PASSED
check "nvme: format recorded as SES=1, label Clear" \
	test "$(r nvme-format '([.steps[].command | select(test("SES=1"))][0]) + " / " + .label')" = "NVMe Format NVM (80h) SES=1 user data erase / Clear"
check "nvme: seeded markers written before the format" \
	test "$(r nvme-format '[.steps[].answer | select(test("seeded markers"))] | length')" = 1
check "nvme: format verified by pre/post comparison" test "$(r nvme-format '.pre_post_comparison.unchanged')" = 0
check "host: nvme.img reads back all zeros" cmp -s "$WORK/disks/nvme.img" <(head -c $((64 << 20)) /dev/zero)

check "sata: real IDENTIFY through SG_IO" test "$(j sata-info '.ata.model + " " + .ata.serial')" = "QEMU-SATA-TEST SATA-SER-0001"
check "sata: pass-through full" test "$(j sata-info .ata_passthrough)" = full
check "sata: SMART health read (libatasmart, else our SG_IO SMART)" test "$(j sata-info '.smart.available')" = true
check "nvme: SMART log read" test "$(j nvme-info '.smart.available')" = true
check "sata: sanitize object present" test "$(j sata-info '.ata.sanitize.supported')" = false
check "sata: no security feature set" test "$(j sata-info .ata.security.supported)" = false
check "sata: security erase refused (exit 2)" test "$(rc sata-secerase)" = 2
check "sata: refusal says unsupported" grep -q "does not support ATA security erase" "$OUT/sata-secerase.err"
check "sata: purge refused" test "$(rc sata-purge)" = 2

check "usb: pass-through detected as absent" test "$(j usb-info .ata_passthrough)" = none
check "usb: clear only" test "$(j usb-info .erase)" = "Clear only: USB bridge blocks pass-through"
check "usb: clear by overwrite PASSED" test "$(r usb-clear .result)" = PASSED
check "host: usb.img reads back all zeros" cmp -s "$WORK/disks/usb.img" <(head -c $((64 << 20)) /dev/zero)
sib=$(cat "$OUT/ns-sibling.name" 2>/dev/null)
check "nvme: a second controller with two namespaces seen" test -n "$sib"
check "nvme: sanitize refused while a sibling namespace is swap (exit 2)" test "$(rc ns-sibling-swap)" = 2
check "nvme: the refusal names the sibling and why" grep -q "also erases namespace $sib, which is" "$OUT/ns-sibling-swap.err"
check "nvme: with the sibling free, the sanitize is sent (QEMU refuses it: FAILED, exit 1)" test "$(rc ns-sibling-free)" = 1
check "nvme: ... and answered Invalid Command Opcode" grep -q "Invalid Command Opcode" "$OUT/ns-sibling-free.json"
[ "$fails" = 0 ] || { echo "--- guest console tail"; tail -30 "$OUT/console.log"; for f in "$OUT"/*.err; do echo "--- $f"; cat "$f"; done; echo "$fails failures"; exit 1; }
echo "all real-kernel checks passed"
