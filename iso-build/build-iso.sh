#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# build-iso.sh [-b BUILDDIR] [-w WORKDIR] [-o ISO] [-h]
#
# Builds Tabula's live image: a hybrid BIOS+UEFI ISO (also writable to a USB
# stick) from Debian 12's archive with Debian's own tools:
#
#   1. debootstrap --variant=minbase bookworm + iso-build/packages.list,
#      network drivers removed. Cached in WORKDIR,
#      keyed by the package list, the mirror and this script's base stage.
#   2. a copy of that rootfs gets the three programs (wiper, certs, tabula),
#      the files under iso-build/rootfs/ and the systemd setup: the station on
#      tty1 without login, the log on tty2, the records medium mounted at
#      /run/tabula-records, no network service, no getty.
#   3. squashfs (zstd), its dm-verity hash tree, the initramfs that checks
#      the squashfs against it (make-initrd.sh), then grub-mkrescue with
#      the boot menu.
#
#   -b DIR  build directory holding wiper/wiper, certs/certs and
#           ui-ncurses/tabula (default: $TABULA_BUILDDIR, else ./)
#   -w DIR  work directory (default: $TABULA_ISO_WORK or /var/tmp/tabula-iso)
#   -o ISO  output image (default: BUILDDIR/tabula.iso)
#
# Environment: TABULA_GRUB_PASSWORD_FILE (the boot menu's superuser password;
# default ISO.grub-password, made when missing), MIRROR (default http://deb.debian.org/debian), FORCE_BASE=1
# rebuilds the cached rootfs, NO_APT=1 skips installing the host tools,
# EXTRA_PACKAGES="printer-driver-cups-pdf" adds packages (and changes
# the cache key).
#
# Needs root (debootstrap, chroot). Never touches a block device: the result
# is a file.

set -euo pipefail

die() { echo "build-iso: error: $*" >&2; exit 1; }
log() { echo "build-iso: $*" >&2; }

HERE=$(cd "$(dirname "$0")" && pwd)
BUILDDIR=${TABULA_BUILDDIR:-.}
WORK=${TABULA_ISO_WORK:-/var/tmp/tabula-iso}
ISO=
while getopts "b:w:o:h" opt; do
	case "$opt" in
	b) BUILDDIR=$OPTARG;;
	w) WORK=$OPTARG;;
	o) ISO=$OPTARG;;
	h) sed -n '3,/^$/p' "$0" | sed 's/^# \{0,1\}//'; exit 0;;
	*) die "see $0 -h";;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 0 ] || die "unexpected argument '$1' (see $0 -h)"
[ "$(id -u)" -eq 0 ] || die "must run as root (debootstrap and chroot need it)"

BUILDDIR=$(cd "$BUILDDIR" && pwd)
[ -n "$ISO" ] || ISO=$BUILDDIR/tabula.iso
case "$ISO" in /*) ;; *) ISO=$PWD/$ISO;; esac
MIRROR=${MIRROR:-http://deb.debian.org/debian}
SUITE=bookworm
BINS="wiper/wiper certs/certs ui-ncurses/tabula"
for b in $BINS; do
	[ -x "$BUILDDIR/$b" ] || die "$BUILDDIR/$b missing: build the programs first (make)"
	file_type=$(head -c 4 "$BUILDDIR/$b" | od -An -c | tr -d ' ')
	[ "$file_type" = '177ELF' ] || die "$BUILDDIR/$b is not an ELF program (a libtool wrapper?)"
done

T0=$(date +%s.%N)
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}'; }

# ---------------------------------------------------------------- host tools
HOST_PKGS="debootstrap squashfs-tools xorriso grub-pc-bin grub-efi-amd64-bin grub-common mtools zstd kmod cpio cryptsetup-bin"
missing=
for p in $HOST_PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
	[ "${NO_APT:-0}" != 1 ] || die "host packages missing:$missing"
	log "installing host packages:$missing"
	timeout 300 apt-get update -qq
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
case "$WORK" in /|/work|/work/main|/var/tmp|/tmp|"$HOME") die "refusing work directory $WORK";; esac
# one build at a time per work directory
exec 9>"$WORK/.lock"
flock -w 1800 9 || die "another build holds $WORK/.lock"

# chroot helpers: /proc and /sys only (never the host's /dev)
MOUNTED=()
umount_all() {
	local i
	for ((i = ${#MOUNTED[@]} - 1; i >= 0; i--)); do umount -l "${MOUNTED[$i]}" 2>/dev/null || true; done
	MOUNTED=()
}
trap umount_all EXIT

# ---------------------------------------------------------------- 1. base rootfs (cached)
PKGS=$(sed 's/#.*//' "$HERE/packages.list" | tr -s ' \t\n' '\n' | sed '/^$/d' | sort -u)
# shellcheck disable=SC2086
[ -z "${EXTRA_PACKAGES:-}" ] || PKGS=$(printf '%s\n' $PKGS $EXTRA_PACKAGES | sort -u)
BASE_REV=6 # bump when the base stage below changes
KEY=$( { echo "$SUITE $MIRROR rev$BASE_REV"; echo "$PKGS"; } | sha256sum | cut -c1-16)
BASE=$WORK/base-$KEY
T_BASE=0
if [ "${FORCE_BASE:-0}" = 1 ] || [ ! -e "$BASE/.complete" ]; then
	t=$(now)
	log "base rootfs $KEY not cached: debootstrap $SUITE ($(echo "$PKGS" | wc -l) packages) from $MIRROR"
	rm -rf "$BASE"
	mkdir -p "$BASE" "$WORK/debcache"
	timeout 1200 debootstrap --variant=minbase --cache-dir="$WORK/debcache" \
		--include="$(echo "$PKGS" | paste -sd,)" "$SUITE" "$BASE/rootfs" "$MIRROR" \
		> "$BASE/debootstrap.log" 2>&1 ||
		{ tail -n 20 "$BASE/debootstrap.log" >&2; die "debootstrap failed (log: $BASE/debootstrap.log)"; }
	R=$BASE/rootfs
	KVER=$(basename "$(ls -d "$R"/lib/modules/*-amd64 | sort -V | tail -n1)")
	# Air gap by construction: no driver for any network or radio device, so
	# neither userspace nor the kernel command line can bring one up.
	for d in kernel/drivers/net kernel/drivers/bluetooth kernel/drivers/nfc kernel/drivers/infiniband \
		kernel/net/wireless kernel/net/mac80211 kernel/net/bluetooth kernel/drivers/staging; do
		rm -rf "${R:?}/lib/modules/$KVER/$d"
	done
	chroot "$R" depmod "$KVER"
	# initramfs-tools made an initrd when the kernel was installed; the image
	# has its own (make-initrd.sh, below)
	rm -f "$R"/boot/initrd.img-*
	# lean: documentation and the package cache (copyright files stay)
	find "$R/usr/share/doc" -type f ! -name copyright -delete 2>/dev/null || true
	rm -rf "$R"/usr/share/man/* "$R"/usr/share/info/* "$R"/var/cache/apt/archives/*.deb \
		"$R"/var/lib/apt/lists/*
	find "$R/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name 'en*' ! -name 'zh*' \
		! -name locale.alias -exec rm -rf {} + 2>/dev/null || true
	echo "$KVER" > "$BASE/kernel.version"
	echo "$PKGS" > "$BASE/packages"
	touch "$BASE/.complete"
	T_BASE=$(since "$t")
	log "base rootfs built in ${T_BASE}s"
else
	log "base rootfs $KEY cached ($BASE)"
fi
KVER=$(cat "$BASE/kernel.version")

# ---------------------------------------------------------------- 2. customise a copy
t=$(now)
S=$WORK/stage
R=$S/rootfs
for m in "$R/proc" "$R/sys" "$R"; do umount -l "$m" 2>/dev/null || true; done # a killed build's leftovers
rm -rf "$S"
mkdir -p "$S" "$R"
# the cached base stays untouched below an overlay (changes go to $S/upper):
# nothing is copied; a plain copy where overlayfs cannot be mounted
mkdir -p "$S/upper" "$S/ovl-work"
if mount -t overlay overlay -o "lowerdir=$BASE/rootfs,upperdir=$S/upper,workdir=$S/ovl-work" "$R" 2>/dev/null; then
	MOUNTED+=("$R")
else
	log "overlayfs not available: copying the base rootfs"
	cp -a "$BASE/rootfs/." "$R"
fi

log "installing programs from $BUILDDIR"
for b in $BINS; do
	install -m 0755 "$BUILDDIR/$b" "$R/usr/local/bin/$(basename "$b")"
	if command -v strip >/dev/null; then strip --strip-unneeded "$R/usr/local/bin/$(basename "$b")"; fi
done
# the man pages (generated by make from --help) and bash completion; the base
# rootfs dropped Debian's own pages (/usr/share/man), these live under /usr/local
for m in doc/wiper.8 doc/certs.1 doc/tabula.8 doc/tabula.conf.5; do
	src=$BUILDDIR/$m
	[ -f "$src" ] || src=$HERE/../$m	# tabula.conf.5 is in the source tree
	[ -f "$src" ] || die "$m missing: build the programs first (make)"
	install -D -m 0644 "$src" "$R/usr/local/share/man/man${m##*.}/$(basename "$m")"
done
for p in wiper certs tabula; do
	install -D -m 0644 "$HERE/../doc/completion.bash" "$R/usr/local/share/bash-completion/completions/$p"
done
# every library must come from the image's own packages
for b in $BINS; do
	nf=$(chroot "$R" ldd "/usr/local/bin/$(basename "$b")" | grep 'not found' || true)
	[ -z "$nf" ] || die "$(basename "$b") misses libraries in the image (add to packages.list): $nf"
done

# overlay files (units, scripts) from iso-build/rootfs
# (owned by root whoever checked the tree out; existing directories keep
# their owner and mode)
tar -C "$HERE/rootfs" --owner=0 --group=0 -cf - . | tar -C "$R" --no-overwrite-dir -xf -
chmod 0755 "$R"/usr/local/sbin/*

# identity
echo tabula > "$R/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\ttabula\n::1\tlocalhost ip6-localhost ip6-loopback\n' > "$R/etc/hosts"
: > "$R/etc/fstab"
# the station's name; TABULA_BOOT_CUSTODY=1 comes with iso-build/rootfs/etc/default/tabula
echo 'TABULA_STATION=tabula' >> "$R/etc/default/tabula"
# root stays locked: nobody logs in anywhere
chroot "$R" passwd -l root >/dev/null 2>&1 || true

# systemd: station on tty1, log on tty2, records medium, unattended mode
chroot "$R" systemctl enable tabula-records.service tabula-log.service \
	tabula-station@tty1.service tabula-station@ttyS0.service tabula-auto.service \
	tabula-boot-times.service >/dev/null 2>&1 ||
	die "systemctl enable failed"
chroot "$R" systemctl set-default multi-user.target >/dev/null 2>&1
# no login prompts at all; no network, no time sync, no listening sockets;
# nothing a station never uses (debug and tracing file systems, binfmt, pstore)
NOPE="getty@.service serial-getty@.service container-getty@.service console-getty.service getty-static.service
systemd-networkd.service systemd-networkd.socket systemd-networkd-wait-online.service
systemd-resolved.service systemd-timesyncd.service systemd-hostnamed.socket
apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer e2scrub_reap.service fstrim.timer
remote-fs.target network-online.target
dpkg-db-backup.timer systemd-pstore.service sys-kernel-debug.mount sys-kernel-tracing.mount
sys-fs-fuse-connections.mount proc-sys-fs-binfmt_misc.automount systemd-binfmt.service
debug-shell.service"
for u in $NOPE; do ln -sfn /dev/null "$R/etc/systemd/system/$u"; done
# No root shell and no extra unit from an option: systemd.debug_shell,
# systemd.mask= and systemd.wants= (debug generator) and systemd.run= (run
# generator). The kernel command line is measured, but a station has no
# use for them, and the initramfs keeps systemd from reading more options
# from an EFI variable (SYSTEMD_EFI_OPTIONS).
mkdir -p "$R/etc/systemd/system-generators"
for g in systemd-debug-generator systemd-run-generator; do
	ln -sfn /dev/null "$R/etc/systemd/system-generators/$g"
done
rm -f "$R/lib/systemd/systemd-networkd" "$R/lib/systemd/systemd-networkd-wait-online"
mkdir -p "$R/etc/systemd/logind.conf.d"
printf '[Login]\nNAutoVTs=0\nReserveVT=0\n' > "$R/etc/systemd/logind.conf.d/tabula.conf"
mkdir -p "$R/etc/systemd/journald.conf.d"
printf '[Journal]\nStorage=volatile\n' > "$R/etc/systemd/journald.conf.d/tabula.conf"
# printing (CUPS, driverless): cupsd on its unix socket only, no browsing,
# no web interface; no DNS-SD daemon (avahi binds UDP 5353); ipp-usb on
# loopback without DNS-SD (tabula-printer makes the queue)
if [ -f "$R/etc/cups/cupsd.conf" ]; then
	sed -i -e '/^[[:space:]]*\(Listen\|Port\|SSLListen\|SSLPort\|BrowseLocalProtocols\)[[:space:]]/d' \
		-e 's/^[[:space:]]*Browsing[[:space:]].*/Browsing No/' \
		-e 's/^[[:space:]]*WebInterface[[:space:]].*/WebInterface No/' "$R/etc/cups/cupsd.conf"
	sed -i '1i # Tabula: the unix socket only (no TCP port: the image is air-gapped)\nListen /run/cups/cups.sock' \
		"$R/etc/cups/cupsd.conf"
	grep -q '^Browsing No' "$R/etc/cups/cupsd.conf" || echo 'Browsing No' >> "$R/etc/cups/cupsd.conf"
	if grep -Eq '^[[:space:]]*(Listen|Port)[[:space:]]+[^/]' "$R/etc/cups/cupsd.conf"; then
		die "cupsd.conf still listens on a network port"
	fi
	# lean: no web interface, messages in English and Chinese only
	rm -rf "$R/usr/share/cups/doc-root" "$R/usr/share/cups/templates"
	find "$R/usr/share/cups/locale" -mindepth 1 -maxdepth 1 ! -name 'en*' ! -name 'zh*' \
		-exec rm -rf {} + 2>/dev/null || true
fi
if [ -f "$R/etc/ipp-usb/ipp-usb.conf" ]; then
	sed -i -e 's/^\([[:space:]]*dns-sd[[:space:]]*=\).*/\1 disable/' \
		-e 's/^\([[:space:]]*interface[[:space:]]*=\).*/\1 loopback/' "$R/etc/ipp-usb/ipp-usb.conf"
fi
for u in avahi-daemon.service avahi-daemon.socket cups-browsed.service; do
	ln -sfn /dev/null "$R/etc/systemd/system/$u"
done
T_CUSTOM=$(since "$t")

# ---------------------------------------------------------------- 3. squashfs + ISO
t=$(now)
I=$S/iso
mkdir -p "$I/live" "$I/boot/grub"
cp "$R/boot/vmlinuz-$KVER" "$I/live/vmlinuz"
timeout 900 mksquashfs "$R" "$I/live/filesystem.squashfs" ${SQUASHFS_COMP:--comp zstd -Xcompression-level 3} \
	-e boot -noappend -quiet -no-progress > "$S/mksquashfs.log" 2>&1 ||
	{ tail -n 20 "$S/mksquashfs.log" >&2; die "mksquashfs failed"; }
# The squashfs's dm-verity hash tree beside it on the medium; its root hash
# goes into the initramfs, which GRUB measures (PCR 9): a squashfs changed
# on the stick does not boot, and a changed initramfs unseals no TPM key.
veritysetup format --no-superblock --data-block-size=4096 --hash-block-size=4096 \
	"$I/live/filesystem.squashfs" "$I/live/filesystem.verity" > "$S/verity.log" 2>&1 ||
	{ cat "$S/verity.log" >&2; die "veritysetup format failed"; }
sq_size=$(stat -c %s "$I/live/filesystem.squashfs")
[ $((sq_size % 4096)) = 0 ] || die "the squashfs is not a whole number of 4096-byte blocks (mksquashfs -nopad?)"
v_root=$(sed -n 's/^Root hash:[[:space:]]*//p' "$S/verity.log")
v_salt=$(sed -n 's/^Salt:[[:space:]]*//p' "$S/verity.log")
[ ${#v_root} = 64 ] && [ ${#v_salt} = 64 ] || die "cannot read the root hash and salt from veritysetup ($S/verity.log)"
echo "$((sq_size / 4096)) $v_root $v_salt" > "$S/verity.params"
# The initramfs: busybox, iso-build/initramfs/init, verity-open and the
# storage drivers (make-initrd.sh); no live-boot, no udev. Made here, not in
# the cached base, so a change to the init costs seconds.
bash "$HERE/make-initrd.sh" "$R" "$KVER" "$S/verity.params" "$I/live/initrd.img" || die "cannot make the initramfs"
T_SQUASH=$(since "$t")

t=$(now)
# The boot menu's superuser password (editing an entry, GRUB's command line):
# $TABULA_GRUB_PASSWORD_FILE, else ISO.grub-password (kept from the last
# build, or made now: 24 random characters, mode 0600) for the records
# officer's safe. Only its PBKDF2 hash goes into the image.
PWFILE=${TABULA_GRUB_PASSWORD_FILE:-$ISO.grub-password}
if [ ! -s "$PWFILE" ]; then
	[ -z "${TABULA_GRUB_PASSWORD_FILE:-}" ] || die "$PWFILE is empty or missing"
	(umask 077; head -c 15 /dev/urandom | base32 | tr -d '=\n' > "$PWFILE"; echo >> "$PWFILE")
	log "new GRUB superuser password in $PWFILE: keep it with the records officer"
fi
bash "$HERE/render-grub-cfg.sh" \
	"$(cd "$HERE/.." && git describe --always --dirty 2>/dev/null || echo unknown)" "$PWFILE" \
	< "$HERE/grub.cfg" > "$I/boot/grub/grub.cfg" || die "cannot render the boot menu"
# The UEFI loader with GRUB's tpm module in its core image. Loaded by
# grub.cfg (as before), tpm measured nothing until that line ran, and
# grub.cfg is a file nobody checks: without the line a boot measured nothing
# and an initramfs of one's own could extend PCRs 8 and 9 to a genuine boot's
# values. Built in, it measures from the first file GRUB reads (grub.cfg, the
# modules, the kernel, the initrd: PCR 9; every command: PCR 8), and the
# firmware measures this loader itself into PCR 4, to which the station key
# is sealed too (CERT_CUSTODY_BOOT_PCRS). grub-mkrescue cannot add a module
# to the UEFI image alone (--modules applies to i386-pc too, which has no
# tpm), so efi-core.sh makes the loader as grub-mkrescue would, plus tpm,
# and puts it into grub-mkrescue's efi.img on its way to xorriso.
bash "$HERE/efi-core.sh" make "$S/bootx64.efi" > "$S/efi-core.log" 2>&1 ||
	{ cat "$S/efi-core.log" >&2; die "cannot make the UEFI loader"; }
rm -f "$ISO.tmp"
TABULA_EFI_CORE=$S/bootx64.efi timeout 600 grub-mkrescue --xorriso="$HERE/efi-core.sh" \
	-o "$ISO.tmp" "$I" -- -volid TABULA > "$S/grub-mkrescue.log" 2>&1 ||
	{ tail -n 20 "$S/grub-mkrescue.log" >&2; die "grub-mkrescue failed"; }
bash "$HERE/efi-core.sh" check "$ISO.tmp" "$S/bootx64.efi" >> "$S/efi-core.log" 2>&1 ||
	{ cat "$S/efi-core.log" >&2; die "the image's UEFI loader is not the one with tpm built in"; }
mv "$ISO.tmp" "$ISO"
T_ISO=$(since "$t")

size_mb() { du -m "$1" | cut -f1; }
log "done: $ISO"
log "image size: $(stat -c %s "$ISO") bytes ($(size_mb "$ISO") MiB; squashfs $(size_mb "$I/live/filesystem.squashfs") MiB," \
	"initrd $(size_mb "$I/live/initrd.img") MiB, kernel $KVER)"
log "build time: $(since "$T0")s total (base rootfs ${T_BASE}s$([ "$T_BASE" = 0 ] && echo ' (cached)'), customise ${T_CUSTOM}s," \
	"squashfs ${T_SQUASH}s, grub-mkrescue ${T_ISO}s)"
