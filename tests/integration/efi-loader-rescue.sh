#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The image's UEFI loader (iso-build/efi-core.sh) under OVMF, QEMU TCG, from
# an EFI system partition in a file this test makes (never a host disk):
#   - without normal.mod (a stick whose /boot/grub was removed or broken) it
#     reboots, where stock GRUB stops at its rescue prompt, which asks no
#     password and whose commands nothing measures;
#   - the stock loader, as a control, does stop there (so the first check
#     proves something);
#   - with GRUB's modules and a grub.cfg it runs normal mode as before.
set -u
top=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
GRUB_EFI=/usr/lib/grub/x86_64-efi
CODE=/usr/share/OVMF/OVMF_CODE_4M.fd VARS=/usr/share/OVMF/OVMF_VARS_4M.fd
for c in qemu-system-x86_64 grub-mkimage mkfs.vfat mcopy; do
	command -v "$c" >/dev/null || { echo "SKIP: $c not installed (scripts/deps.sh)"; exit 77; }
done
[ -r "$CODE" ] && [ -r "$VARS" ] || { echo "SKIP: no OVMF firmware (Debian: ovmf)"; exit 77; }
[ -r "$GRUB_EFI/tpm.mod" ] || { echo "SKIP: no $GRUB_EFI (Debian: grub-efi-amd64-bin)"; exit 77; }
T=$(mktemp -d /tmp/tabula-efi-rescue.XXXXXX)
trap 'rm -rf "$T"' EXIT
fails=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }

# esp NAME LOADER [full]: a FAT image holding LOADER as the removable-media
# loader; with "full", GRUB's modules and a grub.cfg that says so and halts
esp() {
	truncate -s 32M "$T/$1.img" && mkfs.vfat "$T/$1.img" >/dev/null &&
		mmd -i "$T/$1.img" ::/efi ::/efi/boot && mcopy -i "$T/$1.img" "$2" ::/efi/boot/bootx64.efi || return 1
	[ "${3:-}" = full ] || return 0
	printf 'serial --unit=0\nterminal_output serial console\necho TABULA-NORMAL-MODE\nhalt\n' >"$T/grub.cfg"
	mmd -i "$T/$1.img" ::/boot ::/boot/grub ::/boot/grub/x86_64-efi &&
		mcopy -i "$T/$1.img" "$GRUB_EFI"/*.mod "$GRUB_EFI"/*.lst ::/boot/grub/x86_64-efi/ &&
		mcopy -i "$T/$1.img" "$T/grub.cfg" ::/boot/grub/grub.cfg
}
# boot NAME SECONDS: QEMU ends when the guest reboots or halts (-no-reboot);
# prints how: "exit" or "timeout"; the serial console goes to NAME.log
boot() {
	cp "$VARS" "$T/$1.vars"
	timeout "$2" qemu-system-x86_64 -accel tcg -m 256 -machine q35 -display none -net none \
		-drive if=pflash,format=raw,readonly=on,file="$CODE" -drive if=pflash,format=raw,file="$T/$1.vars" \
		-drive file="$T/$1.img",format=raw,if=virtio -serial file:"$T/$1.log" -no-reboot >/dev/null 2>&1
	[ $? = 124 ] && echo timeout || echo exit
}

bash "$top/iso-build/efi-core.sh" make "$T/tabula.efi" >"$T/err" 2>&1 || { bad "efi-core.sh make: $(cat "$T/err")"; exit 1; }
grub-mkimage -d "$GRUB_EFI" -O x86_64-efi -p '()/boot/grub' -o "$T/stock.efi" \
	part_gpt part_msdos fat part_apple iso9660 2>"$T/err" || { bad "grub-mkimage: $(cat "$T/err")"; exit 1; }

esp bare "$T/tabula.efi" || { bad "cannot make the EFI partition"; exit 1; }
how=$(boot bare 90)
if [ "$how" = exit ] && ! grep -qa "grub rescue>" "$T/bare.log"; then
	ok "without normal.mod the loader reboots, no rescue prompt"
else
	bad "without normal.mod: $how; console:"; strings "$T/bare.log" | tail -5
fi
grep -qa "normal.mod' not found" "$T/bare.log" && ok "it did look for normal.mod first" ||
	bad "the console does not show the loader looking for normal.mod"

esp stock "$T/stock.efi" || { bad "cannot make the control's EFI partition"; exit 1; }
how=$(boot stock 15)
[ "$how" = timeout ] && grep -qa "grub rescue>" "$T/stock.log" &&
	ok "control: stock GRUB's loader stops at the password-less rescue prompt" ||
	{ bad "control: stock GRUB did not stop at its rescue prompt ($how)"; strings "$T/stock.log" | tail -5; }

esp full "$T/tabula.efi" full || { bad "cannot make the full EFI partition"; exit 1; }
how=$(boot full 90)
[ "$how" = exit ] && grep -qa "TABULA-NORMAL-MODE" "$T/full.log" &&
	ok "with its modules and grub.cfg the loader runs normal mode (grub.cfg ran, halted)" ||
	{ bad "normal mode did not run grub.cfg ($how)"; strings "$T/full.log" | tail -5; }

[ "$fails" = 0 ] && echo "the loader never leaves a rescue prompt" || echo "$fails check(s) FAILED"
[ "$fails" = 0 ]
