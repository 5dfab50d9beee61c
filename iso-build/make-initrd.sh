#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The live image's initramfs: busybox (static, from the image's own rootfs),
# iso-build/initramfs/init, and the storage drivers of the image's kernel
# with the modules they depend on: every disk controller a PC boots from
# (ATA/AHCI, NVMe, USB host controllers and USB storage, MMC/SD, virtio and
# the SCSI disk and CD-ROM drivers, no FC/SAS/RAID HBAs), CD-ROM, and the filesystems of the medium (ISO 9660,
# squashfs, overlay), dm-verity with its one-purpose client verity-open
# (built here, static) and VERITY, the live system's verity parameters
# (one line: DATA-BLOCKS ROOT-HASH SALT) as /etc/tabula-verity. Nothing
# else: no udev, no network, no shell for a user (the init never starts one).
#
# Usage: make-initrd.sh ROOTFS KERNEL-VERSION VERITY OUTPUT
# Called by build-iso.sh; needs depmod (kmod), zstd, cpio and a C compiler
# with a static libc (build-essential) on the host.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
die() { echo "make-initrd: error: $*" >&2; exit 1; }
[ $# -eq 4 ] || die "usage: $0 ROOTFS KERNEL-VERSION VERITY OUTPUT"
R=$1 KVER=$2 VERITY=$3 OUT=$4
read -r v_blocks v_root v_salt v_extra < "$VERITY" || die "cannot read $VERITY"
[ -z "${v_extra:-}" ] && [ -n "${v_salt:-}" ] || die "$VERITY: not one line of DATA-BLOCKS ROOT-HASH SALT"
M=$R/lib/modules/$KVER
[ -f "$M/modules.dep" ] || die "no $M/modules.dep (kernel $KVER not in $R?)"
[ -x "$R/bin/busybox" ] || die "no $R/bin/busybox (busybox-static missing from packages.list?)"
bb_ldd=$(ldd "$R/bin/busybox" 2>&1 || true)
case "$bb_ldd" in *"not a dynamic executable"* | *"statically linked"*) ;; *)
	die "$R/bin/busybox is not statically linked (busybox-static, not busybox)";;
esac

D=$(mktemp -d /tmp/tabula-initrd.XXXXXX)
trap 'rm -rf "$D"' EXIT
mkdir -p "$D/bin" "$D/etc" "$D/lib/modules/$KVER" "$D/dev" "$D/proc" "$D/sys" "$D/run" "$D/tmp" "$D/root"
ln -s bin "$D/sbin" # the kernel runs /sbin/modprobe for a module it needs (crypto)
install -m 0755 "$R/bin/busybox" "$D/bin/busybox"
for a in $("$D/bin/busybox" --list); do
	[ "$a" = busybox ] || ln -s busybox "$D/bin/$a"
done
install -m 0755 "$HERE/initramfs/init" "$D/init"
cc -static -Os -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -o "$D/bin/verity-open" "$HERE/initramfs/verity-open.c" ||
	die "cannot build verity-open (a C compiler with a static libc: build-essential)"
strip "$D/bin/verity-open" 2>/dev/null || true
echo "$v_blocks $v_root $v_salt" > "$D/etc/tabula-verity"

# The drivers, by directory of the kernel tree or by file, and all they
# depend on (modules.dep lists every module's dependencies, transitively).
# arch/x86/crypto: the CPU's SHA-256 (SSSE3, AVX2, SHA-NI) for dm-verity.
# drivers/scsi: the SCSI core, disks and CD-ROMs (USB sticks and SATA CDs
# are SCSI devices) and the virtual HBAs, not the ~85 hardware HBA drivers
# (FC, SAS, RAID: 22 of the 35 MB of modules), which a live stick or CD is
# never behind; the disks to be erased get them after switch_root (udev).
# drivers/block: the loop device and virtio-blk only.
DIRS="kernel/drivers/md/dm-verity.ko kernel/arch/x86/crypto kernel/drivers/ata kernel/drivers/nvme kernel/drivers/usb/host
kernel/drivers/scsi/sd_mod.ko kernel/drivers/scsi/sr_mod.ko kernel/drivers/scsi/virtio_scsi.ko kernel/drivers/scsi/vmw_pvscsi.ko
kernel/drivers/usb/storage kernel/drivers/usb/core kernel/drivers/usb/common kernel/drivers/cdrom
kernel/drivers/mmc kernel/drivers/virtio kernel/drivers/block/loop.ko kernel/drivers/block/virtio_blk.ko
kernel/fs/isofs kernel/fs/squashfs kernel/fs/overlayfs"
awk -v dirs="$DIRS" '
	BEGIN { n = split(dirs, d, /[ \n]+/) }
	{
		sub(/:$/, "", $1)
		for (i = 1; i <= n; i++)
			if ($1 == d[i] || index($1, d[i] "/") == 1) { for (j = 1; j <= NF; j++) { sub(/:$/, "", $j); print $j }; break }
	}' "$M/modules.dep" | sort -u > "$D/modules.list"
[ -s "$D/modules.list" ] || die "no module of $KVER matched (layout of /lib/modules changed?)"
(cd "$M" && xargs -a "$D/modules.list" cp --parents -t "$D/lib/modules/$KVER")
for f in modules.order modules.builtin modules.builtin.modinfo; do
	[ ! -f "$M/$f" ] || cp "$M/$f" "$D/lib/modules/$KVER/"
done
rm -f "$D/modules.list"
depmod -b "$D" "$KVER" || die "depmod failed"
for m in dm-verity dm-mod isofs squashfs overlay loop sd_mod sr_mod usb-storage uas xhci-pci ahci nvme; do
	grep -q "/$m.ko" "$D/lib/modules/$KVER/modules.dep" ||
		grep -q "/$m.ko" "$D/lib/modules/$KVER/modules.builtin" || die "module $m is neither in the initramfs nor built in"
done

rm -f "$OUT.tmp"
(cd "$D" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) | zstd -q -15 -T0 > "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
echo "make-initrd: $OUT: $(stat -c %s "$OUT") bytes, $(find "$D/lib/modules" -name '*.ko*' | wc -l) modules" >&2
