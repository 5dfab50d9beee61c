#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# render-grub-cfg.sh VERSION PASSWORD-FILE < grub.cfg > OUT
#
# The boot menu as the image carries it: @VERSION@ filled in and the GRUB
# superuser's password, read from PASSWORD-FILE (at least 12 characters, one
# line), stored only as its PBKDF2-SHA512 hash (grub-mkpasswd-pbkdf2). Every
# entry boots without it (--unrestricted); editing an entry or opening
# GRUB's command line asks for it.
set -euo pipefail

die() { echo "render-grub-cfg: error: $*" >&2; exit 1; }
[ $# -eq 2 ] || die "usage: render-grub-cfg.sh VERSION PASSWORD-FILE < grub.cfg > OUT"
version=$1
pw=$(head -n 1 "$2") || die "cannot read $2"
[ ${#pw} -ge 12 ] || die "the GRUB password in $2 is shorter than 12 characters"
command -v grub-mkpasswd-pbkdf2 >/dev/null || die "grub-mkpasswd-pbkdf2 missing (Debian: grub-common)"
hash=$(printf '%s\n%s\n' "$pw" "$pw" | LC_ALL=C grub-mkpasswd-pbkdf2 2>/dev/null |
	sed -n 's/^PBKDF2 hash of your password is //p')
case "$hash" in
grub.pbkdf2.sha512.*) ;;
*) die "grub-mkpasswd-pbkdf2 gave no hash";;
esac
case "$version" in *[!A-Za-z0-9._+-]*) die "odd version string '$version'";; esac
out=$(sed -e "s/@VERSION@/$version/" -e "s/@GRUB_PASSWORD_PBKDF2@/$hash/")
case "$out" in *@*@*) die "a placeholder is left in grub.cfg";; esac
printf '%s\n' "$out"
