#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Install what Tabula needs to build, test and run on Debian 12 (as root).
set -euo pipefail

PKGS=(
	build-essential autoconf automake libtool pkg-config clang
	libudev-dev libblkid-dev libatasmart-dev libnvme-dev libjson-c-dev libssl-dev
	libsqlite3-dev libhpdf-dev libharfbuzz-dev libqrencode-dev libncurses-dev libcmocka-dev
	util-linux fdisk dosfstools e2fsprogs jq poppler-utils fontconfig fonts-dejavu-core tmux udev kmod fonts-wqy-microhei fonts-liberation2 sqlite3
	zbar-tools faketime
	libpq-dev postgresql
	libfuse3-dev fuse3
	cups printer-driver-cups-pdf
	valgrind
	# the QEMU guest tests and the live image's end-to-end tests: a fresh
	# machine must run them too, not skip them
	qemu-system-x86 qemu-utils ovmf busybox-static nvme-cli hdparm smartmontools sg3-utils
	cpio zstd kmod dmsetup python3 python3-cryptography socat
	debootstrap squashfs-tools cryptsetup-bin xorriso grub-pc-bin grub-efi-amd64-bin grub-common mtools
	# TPM 2.0 key custody, tested against a real TPM simulator
	libtss2-dev swtpm swtpm-tools tpm2-tools
)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "deps: missing packages: ${missing[*]}; run as root to install them" >&2
		exit 1
	fi
	echo "deps: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
