#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# e2e-verity.sh [-i ISO] [-w WORKDIR] [-t SECONDS]
#
# The live system on the stick cannot be changed without the boot seeing it
# (iso-build/make-initrd.sh, initramfs/verity-open.c). An insider with the
# boot stick who rebuilds its squashfs (a certs that signs anything) keeps
# the kernel, the initrd and the command line, so GRUB's PCRs 8 and 9 stay
# the same and a TPM would unseal the station key for that system: the
# initramfs reads the squashfs through dm-verity with the root hash it
# carries, so such a system never runs.
#
# The test, as the attacker would do it: the image copied to a USB stick,
# one byte of the squashfs changed in place on the stick, in a field
# squashfs itself never checks (its superblock's creation time), so only
# dm-verity can notice. The image's kernel and initrd boot from the stick
# under QEMU TCG (with panic=1, so a kernel panic ends QEMU). Checks: the
# kernel reports the corrupted block and panics; systemd never starts;
# nothing of the station runs. Then the whole job: the changed squashfs
# with a hash tree made for it over the stick's: the init must refuse the
# medium (its tree's top is not the root hash in the initramfs). Then the untouched stick boots to systemd on
# the real root through dm-verity, without a verity error.
#
# Exit: 0 all checks passed, 1 a check failed, 77 skipped, 2 usage.
set -euo pipefail
E2E_NAME=e2e-verity
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
# shellcheck source=tests/e2e/e2e-lib.sh
. "$HERE/e2e-lib.sh"
ISO=${top_builddir:-$TOP/build-werror}/tabula.iso
E2E_WORK=${TABULA_E2E_WORK:+$TABULA_E2E_WORK/verity}
E2E_WORK=${E2E_WORK:-/var/tmp/tabula-e2e-verity}
LIMIT=300
while getopts "i:w:t:h" opt; do
	case "$opt" in
	i) ISO=$OPTARG;;
	w) E2E_WORK=$OPTARG;;
	t) LIMIT=$OPTARG;;
	h) sed -n '3,/^$/p' "$0" | sed 's/^# \{0,1\}//'; exit 0;;
	*) echo "see $0 -h" >&2; exit 2;;
	esac
done
[ "$(id -u)" -eq 0 ] || e2e_skip "needs root (QEMU and the image's files)"
e2e_need_qemu
command -v xorriso >/dev/null || e2e_skip "xorriso is not installed"
[ -f "$ISO" ] || e2e_skip "no image at $ISO (make iso)"
e2e_fresh_workdir
trap e2e_cleanup_qemu EXIT
e2e_extract_kernel "$ISO" "$E2E_WORK" || { echo "FAIL: extract the kernel"; exit 1; }

# Where a file of the image lies on the stick: "LBA BYTES" (2048-byte blocks)
file_at() {
	xorriso -indev "$ISO" -find "$1" -exec report_lba -- 2>/dev/null |
		sed -n "s|^File data lba: *[0-9]* *, *\([0-9]*\) *, *[0-9]* *, *\([0-9]*\) *, *'$1'\$|\1 \2|p"
}
read -r lba sq_bytes <<<"$(file_at /live/filesystem.squashfs)" || true
read -r vlba v_bytes <<<"$(file_at /live/filesystem.verity)" || true
[ -n "${lba:-}" ] && [ -n "${vlba:-}" ] || { echo "FAIL: cannot find the squashfs and its hash tree in $ISO"; exit 1; }
off=$((lba * 2048))
[ "$(dd if="$ISO" bs=1 skip="$off" count=4 status=none)" = hsqs ] ||
	{ echo "FAIL: no squashfs magic at byte $off of $ISO"; exit 1; }
command -v veritysetup >/dev/null || e2e_skip "veritysetup is not installed (apt-get install cryptsetup-bin)"

# boot_stick NAME STICK [REGEX]: boot the image's kernel from STICK until
# the kernel panics, systemd greets or the console matches REGEX, then stop
# QEMU; the console is kept as NAME.log
boot_stick() {
	local name=$1 stick=$2 re=${3:-} t0
	rm -f "$E2E_WORK/console.log"
	t0=$(e2e_now)
	# shellcheck disable=SC2054 # commas belong to QEMU option values
	e2e_qemu_start "$LIMIT" -m 1024 -smp 2 -no-reboot -display none -nodefaults \
		-kernel "$E2E_WORK/vmlinuz" -initrd "$E2E_WORK/initrd.img" \
		-append "console=ttyS0,115200 panic=1" \
		-serial "file:$E2E_WORK/console.log" \
		-device qemu-xhci,id=xhci \
		-drive "file=$stick,id=boot0,if=none,format=raw,cache=unsafe" \
		-device usb-storage,bus=xhci.0,drive=boot0,removable=on
	e2e_wait_for "$E2E_WORK/console.log" "Kernel panic|Welcome to${re:+|$re}" "$LIMIT" || true
	sleep 2 # the rest of the panic's trace
	kill "$QEMU_PID" 2>/dev/null || true
	wait "$QEMU_PID" 2>/dev/null || true
	QEMU_PID=
	cp "$E2E_WORK/console.log" "$E2E_WORK/$name.log"
	e2e_log "$name stick: $(e2e_since "$t0") s"
}

# 1. the changed stick: the squashfs superblock's mkfs_time (bytes 8-11)
cp "$ISO" "$E2E_WORK/stick-changed.img"
printf '\x5a' | dd of="$E2E_WORK/stick-changed.img" bs=1 seek=$((off + 8)) conv=notrunc status=none
cmp -s "$ISO" "$E2E_WORK/stick-changed.img" && { echo "FAIL: the byte was not changed"; exit 1; }
boot_stick changed "$E2E_WORK/stick-changed.img"
e2e_check "changed squashfs: dm-verity reports a corrupted data block" \
	grep -Eq 'verity: .*data block [0-9]+ is corrupted' "$E2E_WORK/changed.log"
e2e_check "changed squashfs: the kernel stops (panic)" \
	grep -q 'Kernel panic - not syncing' "$E2E_WORK/changed.log"
e2e_check "changed squashfs: systemd never started" \
	bash -c "! grep -Eq 'Welcome to' '$E2E_WORK/changed.log'"

# 2. the attacker's whole job: the changed squashfs with a hash tree made
# for it (veritysetup format, as build-iso.sh does), written over the
# stick's. The tree agrees with the data, but not with the root hash in
# the initramfs: the init must not take this medium for its own.
dd if="$E2E_WORK/stick-changed.img" of="$E2E_WORK/changed.squashfs" bs=2048 skip="$lba" \
	count=$(((sq_bytes + 2047) / 2048)) status=none
truncate -s "$sq_bytes" "$E2E_WORK/changed.squashfs"
veritysetup format --no-superblock --data-block-size=4096 --hash-block-size=4096 \
	"$E2E_WORK/changed.squashfs" "$E2E_WORK/changed.verity" >/dev/null ||
	{ echo "FAIL: veritysetup format"; exit 1; }
[ "$(stat -c %s "$E2E_WORK/changed.verity")" = "$v_bytes" ] ||
	{ echo "FAIL: the new hash tree is not the old one's size"; exit 1; }
cp "$E2E_WORK/stick-changed.img" "$E2E_WORK/stick-rehashed.img"
dd if="$E2E_WORK/changed.verity" of="$E2E_WORK/stick-rehashed.img" bs=2048 seek="$vlba" conv=notrunc status=none
rm -f "$E2E_WORK/changed.squashfs" "$E2E_WORK/changed.verity"
boot_stick rehashed "$E2E_WORK/stick-rehashed.img" 'another Tabula image'
e2e_check "changed squashfs + its own hash tree: the init refuses the medium (not this boot's image)" \
	grep -q 'holds another Tabula image (not this boot.s): ignored' "$E2E_WORK/rehashed.log"
e2e_check "changed squashfs + its own hash tree: systemd never started" \
	bash -c "! grep -Eq 'Welcome to' '$E2E_WORK/rehashed.log'"

# 3. the same stick untouched: the boot reaches systemd on the real root
cp "$ISO" "$E2E_WORK/stick.img"
boot_stick intact "$E2E_WORK/stick.img"
e2e_check "intact squashfs: systemd runs from it ('Welcome to Debian')" \
	grep -q 'Welcome to' "$E2E_WORK/intact.log"
e2e_check "intact squashfs: no verity error, no panic" \
	bash -c "! grep -Eq 'verity.*corrupted|Kernel panic' '$E2E_WORK/intact.log'"
e2e_summary
