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
# The UEFI loader measures the boot because tpm is in its core image, not
# because grub.cfg (a file on the stick nobody checks) loads it.
grep -q 'insmod tpm' "$T/grub.cfg" && bad "grub.cfg loads tpm: its measurements must not depend on grub.cfg"
if [ ! -r /usr/lib/grub/x86_64-efi/tpm.mod ]; then
	bad "no /usr/lib/grub/x86_64-efi/tpm.mod (Debian: grub-efi-amd64-bin, scripts/deps.sh)"
elif ! bash "$top/iso-build/efi-core.sh" make "$T/bootx64.efi" > "$T/err" 2>&1; then
	bad "efi-core.sh make: $(cat "$T/err")"
elif ! command -v python3 >/dev/null; then
	bad "python3 is needed to read the loader's modules (scripts/deps.sh)"
else
	# the modules, config and prefix in the PE image's "mods" section
	mods=$(python3 - "$T/bootx64.efi" <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read()
pe = struct.unpack_from("<I", d, 0x3C)[0]
nsec, optlen = struct.unpack_from("<H", d, pe + 6)[0], struct.unpack_from("<H", d, pe + 20)[0]
base = None
for i in range(nsec):
    name, vsz, va, rsz, roff = struct.unpack_from("<8sIIII", d, pe + 24 + optlen + 40 * i)
    if name.rstrip(b"\0") == b"mods":
        base = roff
magic, _, off, size = struct.unpack_from("<IIQQ", d, base)
assert magic == 0x676D696D, hex(magic)  # "mimg"
p, end = base + off, base + size
while p < end:
    typ, sz = struct.unpack_from("<II", d, p)
    body = d[p + 8:p + sz]
    if typ == 0:  # an ELF module: its .modname section
        shoff = struct.unpack_from("<Q", body, 0x28)[0]
        shentsize, shnum, shstrndx = struct.unpack_from("<HHH", body, 0x3A)
        secs = [struct.unpack_from("<IIQQQQ", body, shoff + i * shentsize) for i in range(shnum)]
        strs = secs[shstrndx][4]
        for nm, _, _, _, o, s in secs:
            if body[strs + nm:body.index(b"\0", strs + nm)] == b".modname":
                print("module", body[o:o + s].rstrip(b"\0").decode())
    elif typ == 3:
        print("prefix", body.rstrip(b"\0").decode())
    p += sz
PY
	) || mods=
	echo "$mods" | grep -qx 'module tpm' && ok "the UEFI loader has GRUB's tpm module built in" ||
		bad "no tpm module in the UEFI loader's core image: $(echo $mods)"
	echo "$mods" | grep -qx 'module iso9660' && echo "$mods" | grep -qx 'prefix ()/boot/grub' &&
		ok "the loader reads /boot/grub on the device it started from" || bad "loader modules/prefix: $(echo $mods)"
fi
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
