#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# efi-core.sh: the image's UEFI loader, GRUB with its tpm module in the core
# image, so the boot is measured from the first file GRUB reads, whatever
# grub.cfg says (build-iso.sh explains why).
#
#   efi-core.sh make OUT         make the loader (OUT: an EFI executable)
#   efi-core.sh check ISO EFI    the image's efi.img holds EFI as its loader
#   efi-core.sh -as mkisofs ...  (grub-mkrescue --xorriso=efi-core.sh) put
#                                $TABULA_EFI_CORE into the efi.img that
#                                grub-mkrescue made, then run xorriso
#
# The loader is what grub-mkrescue 2.06 makes for x86_64-efi (its modules
# part_gpt part_msdos fat part_apple iso9660, prefix "()/boot/grub": the
# device it was started from, an embedded config loading every partition
# map), plus tpm, and a config that reboots where GRUB would fall back to
# its rescue prompt (normal.mod missing or broken).
set -euo pipefail
GRUB_EFI=/usr/lib/grub/x86_64-efi
EFI_PATH=::/efi/boot/bootx64.efi
die() { echo "efi-core: $*" >&2; exit 1; }

case ${1:-} in
make)
	out=${2:?usage: efi-core.sh make OUT}
	[ -r "$GRUB_EFI/tpm.mod" ] || die "$GRUB_EFI/tpm.mod is missing (grub-efi-amd64-bin)"
	cfg=$(mktemp)
	trap 'rm -f "$cfg"' EXIT
	{
		sed 's/^/insmod /' "$GRUB_EFI/partmap.lst"
		# Normal mode by hand, then reboot: when normal.mod is missing or will
		# not load, GRUB would otherwise drop to its rescue prompt, which has
		# no password (the embedded config runs in the rescue parser, so a
		# failed command just moves on to the next one).
		printf 'insmod normal\nnormal\nreboot\n'
	} > "$cfg"
	grub-mkimage -d "$GRUB_EFI" -O x86_64-efi -p '()/boot/grub' -c "$cfg" -o "$out" \
		tpm part_gpt part_msdos fat part_apple iso9660 reboot
	echo "efi-core: $out ($(stat -c %s "$out") bytes, tpm built in)"
	;;
check)
	iso=${2:?usage: efi-core.sh check ISO EFI}
	want=${3:?usage: efi-core.sh check ISO EFI}
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	xorriso -osirrox on -indev "$iso" -extract /efi.img "$tmp/efi.img" >/dev/null 2>&1 ||
		die "$iso has no /efi.img"
	mcopy -n -i "$tmp/efi.img" "$EFI_PATH" "$tmp/bootx64.efi" || die "$iso: efi.img has no ${EFI_PATH#::}"
	cmp -s "$tmp/bootx64.efi" "$want" || die "$iso: ${EFI_PATH#::} in efi.img is not $want"
	# the El Torito UEFI boot image and the appended EFI partition are that file
	xorriso -indev "$iso" -report_el_torito plain 2>/dev/null | grep -q "UEFI" ||
		die "$iso has no UEFI El Torito boot image"
	# every other EFI executable in the image's file tree is that loader too
	xorriso -indev "$iso" -find / -type f -name '*.efi' 2>/dev/null | tr -d "'" > "$tmp/efis"
	while IFS= read -r f; do
		xorriso -osirrox on -indev "$iso" -extract "$f" "$tmp/x.efi" >/dev/null 2>&1 || die "$iso: cannot read $f"
		cmp -s "$tmp/x.efi" "$want" || die "$iso: $f is not $want (a loader without tpm)"
		rm -f "$tmp/x.efi"
	done < "$tmp/efis"
	echo "efi-core: $iso boots UEFI through $want"
	;;
-as)
	core=${TABULA_EFI_CORE:?efi-core.sh as xorriso needs TABULA_EFI_CORE}
	[ -s "$core" ] || die "$core is missing"
	n=0
	for a in "$@"; do
		[ -d "$a" ] && [ -f "$a/efi.img" ] || continue
		mcopy -o -i "$a/efi.img" "$core" "$EFI_PATH" || die "cannot put $core into $a/efi.img"
		# the copy for Macs (HFS+ blessed boot.efi): the same loader, not a stock one
		mac=$a/System/Library/CoreServices/boot.efi
		[ ! -f "$mac" ] || cp "$core" "$mac" || die "cannot replace $mac"
		n=$((n + 1))
	done
	# (grub-mkrescue first asks `xorriso -as mkisofs -help` what it can do)
	case " $* " in *" -help "*) [ "$n" = 0 ] && exec xorriso "$@";; esac
	[ "$n" = 1 ] || die "expected one efi.img among grub-mkrescue's directories, found $n"
	exec xorriso "$@"
	;;
*)
	sed -n '3,/^set/p' "$0" | sed 's/^# \{0,1\}//;/^set/d' >&2
	exit 2
	;;
esac
