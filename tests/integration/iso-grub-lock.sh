#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The live image's boot menu as build-iso.sh renders it: every entry boots
# without a password, editing and GRUB's command line need the superuser's,
# whose PBKDF2 hash (and only that) is in the file and matches the password;
# GRUB's own parser accepts the result; a short password is refused.
set -u

top=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
command -v grub-mkpasswd-pbkdf2 >/dev/null ||
	{ echo "SKIP: grub-mkpasswd-pbkdf2 not installed (Debian: grub-common)"; exit 77; }
T=$(mktemp -d /tmp/tabula-grub-lock.XXXXXX)
trap 'rm -rf "$T"' EXIT
fails=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }

PW="correct horse battery staple"
printf '%s\n' "$PW" > "$T/pw"
if bash "$top/iso-build/render-grub-cfg.sh" 1.2.3 "$T/pw" < "$top/iso-build/grub.cfg" > "$T/grub.cfg" 2>"$T/err"; then
	ok "the boot menu renders"
else
	bad "render: $(cat "$T/err")"
fi
grep -q '^set superusers="tabula"$' "$T/grub.cfg" && ok "a superuser is set" || bad "no superuser"
# a submenu's entries see only exported variables: unexported, they are editable by anyone
grep -q '^export superusers$' "$T/grub.cfg" && ok "the superuser holds in submenus too (exported)" ||
	bad "superusers is not exported: the submenu's entries can be edited without the password"
entries=$(grep -cE '^[[:space:]]*(menuentry|submenu) ' "$T/grub.cfg")
open=$(grep -E '^[[:space:]]*(menuentry|submenu) ' "$T/grub.cfg" | grep -c -- ' --unrestricted {$')
[ "$entries" -ge 6 ] && [ "$entries" = "$open" ] && ok "all $entries entries boot without the password" ||
	bad "$open of $entries entries are --unrestricted"
grep -q "$PW" "$T/grub.cfg" && bad "the password itself is in grub.cfg" || ok "the password itself is not in grub.cfg"
grep -q '@' "$T/grub.cfg" && bad "a placeholder is left" || ok "no placeholder left"
grep -q '1.2.3' "$T/grub.cfg" && ok "version filled in" || bad "no version"
grep -q 'insmod tpm' "$T/grub.cfg" && ok "GRUB measures the boot into the TPM on UEFI" || bad "no insmod tpm"
hash=$(sed -n 's/^password_pbkdf2 tabula //p' "$T/grub.cfg")
if command -v python3 >/dev/null; then
	python3 - "$PW" "$hash" <<'PY' && ok "the hash is the password's (PBKDF2-SHA512)" || bad "the hash does not match the password"
import hashlib, sys
pw, h = sys.argv[1], sys.argv[2].split(".")
assert h[:3] == ["grub", "pbkdf2", "sha512"], h[:3]
it, salt, dk = int(h[3]), bytes.fromhex(h[4]), bytes.fromhex(h[5])
assert hashlib.pbkdf2_hmac("sha512", pw.encode(), salt, it, len(dk)) == dk
assert hashlib.pbkdf2_hmac("sha512", b"wrong", salt, it, len(dk)) != dk
PY
fi
if command -v grub-script-check >/dev/null; then
	grub-script-check "$T/grub.cfg" 2>"$T/err" && ok "grub-script-check accepts it" || bad "grub-script-check: $(cat "$T/err")"
fi
printf 'short\n' > "$T/short"
bash "$top/iso-build/render-grub-cfg.sh" 1 "$T/short" < "$top/iso-build/grub.cfg" > /dev/null 2>"$T/err" &&
	bad "a short password was taken" || ok "a short password is refused: $(cat "$T/err")"

[ "$fails" = 0 ] && echo "the boot menu is locked as it should be" || echo "$fails check(s) FAILED"
[ "$fails" = 0 ]
