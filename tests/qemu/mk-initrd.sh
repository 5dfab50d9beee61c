#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# mk-initrd.sh WORKDIR
#
# Builds the guest kernel + a small "tools" initramfs for QEMU guest tests:
#   WORKDIR/vmlinuz     Debian 12 linux-image-6.1.*-amd64 kernel (downloaded
#                       with `apt-get download`, never installed on the host)
#   WORKDIR/initrd.img  busybox-static + hdparm, nvme-cli, sg3-utils, smartctl,
#                       udevd/udevadm + rules, util-linux tools, and the kernel
#                       modules for the emulated disk controllers and 9p.
#   WORKDIR/kernel.version
#
# /init (written below) mounts proc/sys/dev/run, loads the drivers, starts
# udevd, triggers and settles, then runs the probe named by `probe=NAME` on
# the kernel command line: /mnt/in/NAME from the 9p share tagged `in` when
# there is one, else the copy baked into the initramfs (/probes/NAME). Output
# goes to the 9p share tagged `out`, mounted at /mnt/out. The probe's exit
# status is written to /mnt/out/probe.rc and printed as "PROBE-RC=N", then the
# guest powers off. Without probe= it gives a shell on the console.
#
# Everything is cached in WORKDIR: the kernel is downloaded and extracted
# once, and the initramfs is rebuilt only when this script, the probes or the
# kernel version changed. FORCE=1 rebuilds the initramfs anyway.
#
# Environment: KVER=6.1.0-NN-amd64 pins a kernel (default: the one Debian's
# linux-image-amd64 depends on, else the newest 6.1.0-*-amd64 apt offers).
# NO_APT=1 skips installing host packages.

set -euo pipefail

die() { echo "mk-initrd: error: $*" >&2; exit 1; }
log() { echo "mk-initrd: $*" >&2; }

[ $# -eq 1 ] || die "usage: $0 WORKDIR"
[ "$(id -u)" -eq 0 ] || die "must run as root (apt-get, cpio with device nodes)"

HERE=$(cd "$(dirname "$0")" && pwd)
W=$(mkdir -p "$1" && cd "$1" && pwd)
# One build at a time per work directory: make -j runs both guest tests at once,
# and every checkout on the machine shares the default /var/tmp/tabula-qemu.
exec 9>"$W.lock"
flock 9
T0=$(date +%s.%N)
elapsed() { awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}'; }

# ---------------------------------------------------------------- host packages
HOST_PKGS="qemu-system-x86 qemu-utils busybox-static nvme-cli hdparm smartmontools
sg3-utils cpio zstd kmod udev util-linux fdisk dosfstools e2fsprogs dmsetup fonts-liberation2"
need_install=0
for p in $HOST_PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need_install=1
done
if [ "$need_install" = 1 ] && [ "${NO_APT:-0}" != 1 ]; then
	log "installing host packages: ${HOST_PKGS//$'\n'/ }"
	apt-get update -qq
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $HOST_PKGS >/dev/null
fi

# ---------------------------------------------------------------- kernel
if [ -z "${KVER:-}" ]; then
	if [ -s "$W/kernel.version" ]; then
		KVER=$(cat "$W/kernel.version")
	else
		KVER=$(apt-cache depends linux-image-amd64 2>/dev/null |
			sed -n 's/^ *Depends: linux-image-\(6\.1\.0-[0-9]*-amd64\)$/\1/p' | head -n1)
		if [ -z "$KVER" ]; then
			KVER=$(apt-cache search --names-only '^linux-image-6\.1\.0-[0-9]+-amd64$' |
				awk '{print $1}' | sed 's/^linux-image-//' | sort -V | tail -n1)
		fi
	fi
fi
[ -n "$KVER" ] || die "apt offers no linux-image-6.1.0-*-amd64 (run apt-get update?)"
case "$KVER" in 6.1.*-amd64) ;; *) die "unexpected kernel version '$KVER'";; esac

KDIR=$W/kernel
if [ ! -e "$KDIR/.extracted-$KVER" ] || [ ! -f "$KDIR/boot/vmlinuz-$KVER" ]; then
	log "downloading linux-image-$KVER"
	rm -rf "$W/deb" "$KDIR"
	mkdir -p "$W/deb" "$KDIR"
	# let apt's sandbox user write there (avoids the "unsandboxed" warning)
	if id _apt >/dev/null 2>&1; then chown _apt "$W/deb"; fi
	(cd "$W/deb" && apt-get download -q "linux-image-$KVER" >/dev/null) ||
		die "apt-get download linux-image-$KVER failed"
	dpkg-deb -x "$W"/deb/linux-image-"$KVER"_*.deb "$KDIR"
	# Debian 12 ships modules under /lib; keep one canonical path
	if [ -d "$KDIR/usr/lib/modules/$KVER" ]; then MODROOT=$KDIR/usr/lib; else MODROOT=$KDIR/lib; fi
	[ "$MODROOT" = "$KDIR/lib" ] || { mkdir -p "$KDIR/lib"; ln -sfn ../usr/lib/modules "$KDIR/lib/modules"; }
	depmod -b "$KDIR" "$KVER"
	touch "$KDIR/.extracted-$KVER"
fi
[ -f "$KDIR/boot/vmlinuz-$KVER" ] || die "no vmlinuz in $KDIR/boot"
cp -u "$KDIR/boot/vmlinuz-$KVER" "$W/vmlinuz"
echo "$KVER" > "$W/kernel.version"

# ---------------------------------------------------------------- cache check
STAMP=$( { echo "$KVER"; cat "$0"; for f in "$HERE"/probes/*; do if [ -f "$f" ]; then echo "$f"; cat "$f"; fi; done; } | sha256sum | cut -c1-16)
if [ "${FORCE:-0}" != 1 ] && [ -s "$W/initrd.img" ] && [ "$(cat "$W/initrd.stamp" 2>/dev/null)" = "$STAMP" ]; then
	log "initramfs up to date ($W/initrd.img, kernel $KVER) [$(elapsed) s]"
	exit 0
fi

# ---------------------------------------------------------------- initramfs tree
R=$W/initrd-root
rm -rf "$R"
mkdir -p "$R"/usr/bin "$R"/usr/sbin "$R"/usr/lib/x86_64-linux-gnu "$R"/usr/lib64
ln -s usr/bin "$R/bin"; ln -s usr/sbin "$R/sbin"; ln -s usr/lib "$R/lib"; ln -s usr/lib64 "$R/lib64"
mkdir -p "$R"/{dev,proc,sys,run,tmp,etc,root,mnt/in,mnt/out,mnt/t,probes,var}
chmod 1777 "$R/tmp"

# copy a host file to the same path in the tree (resolving /lib -> /usr/lib)
copy_file() {
	local src=$1 real dst
	real=$(readlink -f "$src")
	case "$real" in /usr/*) dst=$real;; /*) dst=/usr$real;; esac
	[ -e "$R$dst" ] || { mkdir -p "$R$(dirname "$dst")"; cp -a "$real" "$R$dst"; }
	# keep the name the program was asked for (e.g. libfoo.so.1 -> libfoo.so.1.2.3)
	local want=$src
	case "$want" in /usr/*) ;; /*) want=/usr$want;; esac
	if [ "$want" != "$dst" ] && [ ! -e "$R$want" ]; then
		mkdir -p "$R$(dirname "$want")"; ln -s "$dst" "$R$want"
	fi
}
# copy a program and the libraries ldd says it needs
copy_prog() {
	local p=$1 path lib
	path=$(command -v "$p" 2>/dev/null || true)
	[ -n "$path" ] || { [ -x "$p" ] && path=$p; }
	[ -n "$path" ] || die "host program '$p' not found"
	copy_file "$path"
	for lib in $(ldd "$path" 2>/dev/null | awk '/=> \//{print $3} /^\t\/.*ld-linux/{print $1}'); do
		copy_file "$lib"
	done
}

log "copying tools"
cp /bin/busybox "$R/usr/bin/busybox"
TOOLS="hdparm nvme sg_inq sg_vpd sg_raw sg_sat_identify sg_readcap sg_turs sg_decode_sense
smartctl udevadm /lib/systemd/systemd-udevd lsblk losetup blkid blkdiscard sfdisk wipefs
mkfs.vfat mke2fs dmsetup"
for t in $TOOLS; do copy_prog "$t"; done
ln -sf mke2fs "$R/usr/sbin/mkfs.ext2"
ln -sf ../lib/systemd/systemd-udevd "$R/usr/sbin/udevd"
# udev: rules, helpers (ata_id, scsi_id, ...) and hwdb
mkdir -p "$R/usr/lib/udev" "$R/etc/udev"
for f in /lib/udev/*; do
	case "$(basename "$f")" in hwdb.d) continue;; esac
	cp -a "$f" "$R/usr/lib/udev/"
done
for h in /lib/udev/ata_id /lib/udev/scsi_id /lib/udev/cdrom_id; do
	if [ -x "$h" ]; then copy_prog "$h"; fi
done
if [ -f /etc/udev/udev.conf ]; then cp /etc/udev/udev.conf "$R/etc/udev/"; fi
# smartctl's drive database, if the host has it
if [ -d /usr/share/smartmontools ]; then mkdir -p "$R/usr/share"; cp -a /usr/share/smartmontools "$R/usr/share/"; fi
# busybox applets for everything not provided by a real tool
for a in $(busybox --list-full); do
	case "$a" in bin/*) dst=usr/bin/${a#bin/};; sbin/*) dst=usr/sbin/${a#sbin/};; *) dst=$a;; esac
	name=$(basename "$a")
	if [ -e "$R/usr/bin/$name" ] || [ -e "$R/usr/sbin/$name" ] || [ -e "$R/$dst" ]; then continue; fi
	mkdir -p "$R/$(dirname "$dst")"
	ln -s /usr/bin/busybox "$R/$dst"
done
# Debian's busybox sh runs its applets before PATH: list the real tools that
# probes must call by absolute path
for f in "$R"/usr/bin/* "$R"/usr/sbin/*; do
	n=${f##*/}
	if [ ! -L "$f" ] && [ "$n" != busybox ] && busybox --list | grep -qx "$n"; then echo "${f#"$R"}"; fi
done > "$R/etc/busybox-shadowed"
echo 'root:x:0:0:root:/root:/bin/sh' > "$R/etc/passwd"
echo 'root:x:0:' > "$R/etc/group"
# udev rules refer to these groups; without them udevd logs warnings
for g in disk cdrom tape dialout floppy kvm video audio input render sgx lp kmem tty; do
	echo "$g:x:$((100 + $(wc -l < "$R/etc/group"))):" >> "$R/etc/group"
done
mkdir -p "$R/etc/nvme"
echo "nqn.2014-08.org.nvmexpress:uuid:00000000-0000-0000-0000-000000000001" > "$R/etc/nvme/hostnqn"
echo "00000000-0000-0000-0000-000000000001" > "$R/etc/nvme/hostid"
: > "$R/etc/fstab"
: > "$R/etc/mtab"

# ---------------------------------------------------------------- kernel modules
log "selecting kernel modules"
MODS="nvme ahci ata_piix libata sd_mod sr_mod sg floppy usb_storage uas xhci_pci xhci_hcd
ehci_pci uhci_hcd usbhid virtio_pci virtio_blk virtio_scsi 9p 9pnet_virtio loop dm_mod
dm_flakey dm_delay vfat ext4 nls_cp437 nls_ascii nls_utf8 nls_iso8859_1 crc32c_generic msdos efivarfs"
MODLIST=$W/modules.list
: > "$MODLIST"
for m in $MODS; do
	if ! modprobe -d "$KDIR" -S "$KVER" --show-depends "$m" >> "$MODLIST" 2>/dev/null; then
		log "note: module '$m' not found (built in or absent), skipped"
	fi
done
awk '$1 == "insmod" {print $2}' "$MODLIST" | sort -u | while read -r ko; do
	rel=${ko#"$KDIR"}
	rel=/usr${rel#/usr}
	mkdir -p "$R$(dirname "$rel")"
	cp "$ko" "$R$rel"
done
MD=$(readlink -f "$KDIR/lib/modules/$KVER")
for f in modules.order modules.builtin modules.builtin.modinfo; do
	[ -f "$MD/$f" ] && cp "$MD/$f" "$R/usr/lib/modules/$KVER/"
done
depmod -b "$R/usr" "$KVER" 2>/dev/null || depmod -b "$R" "$KVER"
NKO=$(find "$R/usr/lib/modules" -name '*.ko*' | wc -l)

# ---------------------------------------------------------------- certificate fonts
# wiper erase --ledger embeds these in every certificate and refuses to start
# without them (English certificates need only the Latin faces).
for f in LiberationSans-Regular.ttf LiberationSans-Bold.ttf LiberationMono-Regular.ttf; do
	[ -f "/usr/share/fonts/truetype/liberation2/$f" ] ||
		die "/usr/share/fonts/truetype/liberation2/$f missing (apt-get install fonts-liberation2)"
	copy_file "/usr/share/fonts/truetype/liberation2/$f"
done

# ---------------------------------------------------------------- probes + /init
cp "$HERE"/probes/* "$R/probes/" 2>/dev/null || true
chmod +x "$R"/probes/* 2>/dev/null || true

cat > "$R/init" <<'INIT'
#!/bin/sh
# /init of the Tabula QEMU tools initramfs (generated by tests/qemu/mk-initrd.sh)
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /run
mkdir -p /run/udev
up() { cut -d' ' -f1 /proc/uptime; }
echo "INITRD-UP uptime=$(up)"
probe=
for a in $(cat /proc/cmdline); do
	case "$a" in probe=*) probe=${a#probe=};; esac
done
# drivers that udev might not pick by modalias (and 9p for the shares)
for m in virtio_pci 9pnet_virtio 9p nvme ahci ata_piix sd_mod sr_mod sg xhci_pci usb_storage uas \
	 virtio_blk virtio_scsi loop dm_mod vfat ext4 nls_cp437 nls_ascii nls_utf8 nls_iso8859_1; do
	modprobe "$m" 2>/dev/null
done
/usr/lib/systemd/systemd-udevd --daemon --resolve-names=never 2>/dev/null
udevadm trigger --type=subsystems --action=add
udevadm trigger --type=devices --action=add
udevadm settle --timeout=60
echo "MODULES-LOADED uptime=$(up)"
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 out /mnt/out 2>/dev/null && echo "9P-OUT mounted"
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144,ro in /mnt/in 2>/dev/null && echo "9P-IN mounted"
if [ -z "$probe" ]; then
	echo "no probe= given: shell on the console (exit to power off)"
	setsid cttyhack sh
else
	if [ -f "/mnt/in/$probe" ]; then p=/mnt/in/$probe; else p=/probes/$probe; fi
	if [ -f "$p" ]; then
		echo "PROBE-START $probe ($p) uptime=$(up)"
		sh "$p"
		rc=$?
	else
		echo "probe '$probe' not found in /mnt/in or /probes"
		rc=127
	fi
	echo "PROBE-END uptime=$(up)"
	echo "$rc" > /mnt/out/probe.rc 2>/dev/null
	echo "PROBE-RC=$rc"
fi
sync
umount /mnt/out 2>/dev/null
poweroff -f
INIT
chmod 755 "$R/init"

# ---------------------------------------------------------------- cpio
log "packing initramfs ($NKO modules)"
(cd "$R" && find . -print0 | sort -z | cpio --null -o -H newc --quiet -R 0:0) |
	zstd -q -T0 -3 > "$W/initrd.img.tmp"
mv "$W/initrd.img.tmp" "$W/initrd.img"
echo "$STAMP" > "$W/initrd.stamp"
log "done: $W/vmlinuz ($KVER), $W/initrd.img ($(du -h "$W/initrd.img" | cut -f1)) [$(elapsed) s]"
