#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# e2e-tpm.sh [-B] [-i ISO] [-b BUILDDIR] [-w WORKDIR] [-t SECONDS]
#
# End-to-end test of the station key's boot custody (issue 14): the live
# image booted through OVMF (UEFI, q35) and the image's own GRUB from a CD,
# with a TPM 2.0 emulated by swtpm (-tpmdev emulator, -device tpm-tis), QEMU
# with -accel tcg only. GRUB's tpm module, built into the loader, measures
# its commands, the kernel command line included, into PCR 8 and the files
# it reads (grub.cfg, modules, kernel, initrd) into PCR 9; OVMF measures the
# loader into PCR 4, the Secure Boot state into PCR 7, its own code into
# PCR 0 and option ROMs and drivers into PCR 2. Three boots pick
# the menu entry "Unattended CLEAR" over the serial console (tmux; Ctrl-N
# moves, each highlight seen before Enter), with one NVMe target (16 MiB random) and a records
# disk (ext4 TABULA-RECORDS, a tabula.conf naming the operator and witness,
# no ledger yet):
#
#   1. enrol   PC "A" (fresh swtpm state): tabula-auto sets the records
#              medium up (certs custody setup: sealed by the TPM, bound to
#              PCRs 0,2,4,7,8,9), erases the target and issues its certificate.
#              Host: the target reads back as zeros; the records disk holds
#              ledger.db.sealed and ledger.db.pub but no ledger.db.key; the
#              ledger verifies, its record says TPM custody; the PDF
#              verifies against the enrolled fingerprint; the PCR extends
#              of this boot, read from swtpm's log as a sniffer on the TPM's
#              bus reads them (tpm-sniff.py), add up to the PCR values the
#              sealed object's policy was made from.
#   2. edited  the same PC (same swtpm state), the same image, the same
#              entry edited at the GRUB menu ('e', the superuser's password
#              from ISO.grub-password, " tabula.edited=1" appended to the
#              linux line, Ctrl-X): PCR 8 differs, so the key stays sealed.
#              The guest must report TABULA-AUTO-FAIL naming the changed
#              PCRs; the (refilled) target is untouched; still one record.
#   3. other   another PC (fresh swtpm state) with a copy of the records
#              disk as boot 1 left it, booted exactly as boot 1: the sealed
#              key belongs to another TPM, TABULA-AUTO-FAIL, target untouched,
#              nothing certified.
#   4. replay  PC A again, booted as an insider with the boot stick would:
#              the same kernel, initrd and squashfs on a stick of their own
#              whose GRUB (grub-mkrescue's, no tpm built in) measures
#              nothing, and an initramfs appended to the genuine one whose
#              rdinit (pcr-replay.c) extends PCRs 8 and 9 with every digest
#              boot 1 extended them with (sniffed) before the genuine /init
#              runs. Checks: PCRs 8 and 9 then hold exactly the genuine
#              boot's values and PCRs 0, 2 and 7 do too, only PCR 4 (the
#              loader) differs; the key stays sealed
#              (TABULA-AUTO-FAIL), the target is untouched, nothing
#              certified. With the seal bound to 8,9 only, as it was, this
#              boot would have signed.
#   5. bios    PC C (a fresh TPM) boots the image through SeaBIOS with a
#              new records disk: GRUB measures nothing on BIOS, so the
#              image refuses to enrol (TABULA-AUTO-FAIL key custody: ...
#              BIOS (legacy) mode); no sealed key, key file or ledger is
#              made; the target is untouched.
#   6. biosuse PC A's enrolled records disk, the image through SeaBIOS: the
#              key is not used in a BIOS boot (the same message), nothing
#              erased or certified.
#
# The records disk is read on the host with debugfs (never mounted).
#
#   -B           (re)build the image first with iso-build/build-iso.sh
#   -i ISO       image (default BUILDDIR/tabula.iso; built when missing)
#   -b BUILDDIR  where certs/certs is (default $top_builddir or ./)
#   -w WORKDIR   scratch (default $TABULA_E2E_WORK/tpm or /var/tmp/tabula-e2e-tpm)
#   -t SECONDS   limit per boot (default 600)
#
# Exit: 0 all checks passed, 1 a check failed, 77 skipped, 2 usage.

set -euo pipefail

E2E_NAME=e2e-tpm
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
# shellcheck source=tests/e2e/e2e-lib.sh
. "$HERE/e2e-lib.sh"

BUILDDIR=${top_builddir:-.}
ISO=
E2E_WORK=${TABULA_E2E_WORK:+$TABULA_E2E_WORK/tpm}
E2E_WORK=${E2E_WORK:-/var/tmp/tabula-e2e-tpm}
LIMIT=600
BUILD=0
while getopts "Bi:b:w:t:h" opt; do
	case "$opt" in
	B) BUILD=1;;
	i) ISO=$OPTARG;;
	b) BUILDDIR=$OPTARG;;
	w) E2E_WORK=$OPTARG;;
	t) LIMIT=$OPTARG;;
	h) sed -n '3,/^$/p' "$0" | sed 's/^# \{0,1\}//'; exit 0;;
	*) echo "see $0 -h" >&2; exit 2;;
	esac
done
BUILDDIR=$(cd "$BUILDDIR" && pwd)
[ -n "$ISO" ] || ISO=$BUILDDIR/tabula.iso
CERTS=$BUILDDIR/certs/certs
OVMF_CODE=/usr/share/OVMF/OVMF_CODE_4M.fd
OVMF_VARS=/usr/share/OVMF/OVMF_VARS_4M.fd

# ---------------------------------------------------------------- can it run here?
[ "$(id -u)" -eq 0 ] || e2e_skip "needs root (the image build, debugfs on the records image)"
e2e_need_qemu
for t in tmux swtpm xorriso grub-mkrescue mkfs.ext4 debugfs e2fsck cmp sha256sum cc cpio python3; do
	command -v "$t" >/dev/null || e2e_skip "$t is not installed (scripts/deps.sh)"
done
[ -r "$OVMF_CODE" ] && [ -r "$OVMF_VARS" ] || e2e_skip "OVMF is not installed ($OVMF_CODE)"
[ -x "$CERTS" ] || e2e_skip "$CERTS not built"
"$CERTS" custody setup /nonexistent/x.db --tpm swtpm:host=127.0.0.1,port=1 2>&1 |
	grep -q "no TPM support" && e2e_skip "certs was built without tpm2-tss"
e2e_build_image
PWFILE=${TABULA_GRUB_PASSWORD_FILE:-$ISO.grub-password}
[ -s "$PWFILE" ] || e2e_skip "no GRUB superuser password beside the image ($PWFILE): rebuild it with -B"
GRUB_PW=$(head -n 1 "$PWFILE")
e2e_fresh_workdir
W=$E2E_WORK

SWTPM_PID=
stop_swtpm() {
	if [ -n "$SWTPM_PID" ] && kill -0 "$SWTPM_PID" 2>/dev/null; then
		kill "$SWTPM_PID" 2>/dev/null || true
		wait "$SWTPM_PID" 2>/dev/null || true
	fi
	SWTPM_PID=
}
cleanup() { e2e_tmux_stop; stop_swtpm; }
trap cleanup EXIT
trap 'exit 143' TERM INT HUP

# ---------------------------------------------------------------- media (image files only)
t=$(e2e_now)
SIZE=$((16 << 20))
mkdir -p "$W/records-seed"
head -c 4096 /dev/urandom | base64 > "$W/records-seed/SENTINEL.txt"
cat > "$W/records-seed/tabula.conf" <<EOF
# written by $E2E_NAME
station = E2E-TPM
operator = E2E Operator, Technician
witness = E2E Witness, Records officer
EOF
truncate -s $((64 << 20)) "$W/records.img"
mkfs.ext4 -q -F -L TABULA-RECORDS -d "$W/records-seed" "$W/records.img"
head -c "$SIZE" /dev/urandom > "$W/nvme.img"
T_MEDIA=$(e2e_since "$t")

# ---------------------------------------------------------------- one boot
# boot NAME TPMSTATE RECORDS EDIT: start swtpm on TPMSTATE (a directory kept
# between boots: the same PC), boot the CD through OVMF and GRUB, pick
# "Unattended CLEAR" (EDIT=1: edit it first, with the password, adding an
# option), wait for the marker on ttyS1 and for the guest to power off.
# Sets MARK (the marker line) and T_<NAME>.
boot() {
	local rc=0
	MARK=
	boot_run "$@" || rc=$?
	MARK=$(tr -d '\r' < "$W/$1/events.log" 2>/dev/null | grep -aE 'TABULA-AUTO-(DONE|FAIL)' | tail -n1 || true)
	e2e_log "$1: marker: ${MARK:-<none>}"
	E2E_WORK=$W/$1
	e2e_tmux_stop
	E2E_WORK=$W
	stop_swtpm
	return "$rc"
}
boot_run() {
	local name=$1 state=$2 records=$3 edit=$4 d=$W/$1 t0 rc iso=${BOOT_ISO:-$ISO}
	mkdir -p "$d" "$state"
	cp "$OVMF_VARS" "$d/vars.fd"
	swtpm socket --tpm2 --tpmstate "dir=$state" --ctrl "type=unixio,path=$d/swtpm.sock" \
		--terminate --log "file=$d/swtpm.log,level=20" &	# level 20: every command, as a bus sniffer sees it
	SWTPM_PID=$!
	for _ in $(seq 50); do [ -S "$d/swtpm.sock" ] && break; sleep 0.1; done
	[ -S "$d/swtpm.sock" ] || { e2e_log "swtpm did not start: $(cat "$d/swtpm.log" 2>/dev/null)"; return 1; }
	E2E_WORK=$d
	# shellcheck disable=SC2054 # commas belong to QEMU option values
	local fw=(-drive "if=pflash,format=raw,readonly=on,file=$OVMF_CODE" -drive "if=pflash,format=raw,file=$d/vars.fd")
	[ "${BOOT_FIRMWARE:-uefi}" = uefi ] || fw=()	# bios: QEMU's SeaBIOS (it measures, GRUB does not)
	e2e_tmux_qemu "$LIMIT" 100 30 -machine q35 -m 2048 -smp 2 -no-reboot -display none -vga std -nic none \
		"${fw[@]}" \
		-chardev "socket,id=chrtpm,path=$d/swtpm.sock" -tpmdev emulator,id=tpm0,chardev=chrtpm \
		-device tpm-tis,tpmdev=tpm0 \
		-serial stdio -serial "file:$d/events.log" \
		-drive "file=$iso,if=none,id=cd0,format=raw,readonly=on,media=cdrom" \
		-device ide-cd,drive=cd0,bootindex=0 \
		-drive "file=$W/nvme.img,id=nv0,if=none,format=raw,cache=unsafe" \
		-device nvme,serial=E2E-NVME-0001,drive=nv0 \
		-drive "file=$records,id=rec0,if=none,format=raw,cache=unsafe" \
		-device virtio-blk-pci,drive=rec0,serial=E2E-REC-0001
	t0=$(e2e_now)
	# EDIT=2: the insider's menu of one entry, which boots by itself
	if [ "$edit" != 2 ]; then
		pick_entry "$name" "$d" "$edit" || { E2E_WORK=$W; return 1; }
	fi
	e2e_wait_tmux_file "$d/events.log" 'TABULA-AUTO-(DONE|FAIL)' "$LIMIT" || true
	set +e
	e2e_tmux_qemu_wait 120
	rc=$?
	set -e
	eval "T_$name=$(e2e_since "$t0")"
	eval "QRC_$name=$rc"
	e2e_log "$name: QEMU rc $rc after $(e2e_since "$t0") s"
}

# pick_entry NAME DIR EDIT: in the image's GRUB menu, the submenu, then
# "Unattended CLEAR" in it, each seen highlighted before Enter (EDIT=1: the
# entry edited first); 0 or 1
pick_entry() {
	local name=$1 d=$2 edit=$3
	if ! e2e_screen_wait "$LIMIT" "Unattended erasure"; then
		e2e_screen > "$d/screen-nomenu.txt"
		e2e_log "$name: no GRUB menu (screen: $d/screen-nomenu.txt)"
		return 1
	fi
	e2e_screen > "$d/screen-menu.txt"
	e2e_log "$name: GRUB menu after $(e2e_since "$t0") s"
	grub_select "Unattended erasure" ||
		{ e2e_screen > "$d/screen-nosub.txt"; e2e_log "$name: cannot highlight the submenu"; return 1; }
	e2e_keys Enter
	e2e_screen_wait 20 "Unattended CLEAR" || true
	grub_select "Unattended CLEAR" ||
		{ e2e_screen > "$d/screen-noclear.txt"; e2e_log "$name: cannot highlight CLEAR"; return 1; }
	if [ "$edit" = 1 ]; then
		edit_entry "$d" || return 1
	else
		e2e_keys Enter
	fi
}

# grub_select TEXT: press Ctrl-N (GRUB's "next entry") until GRUB
# highlights (marks with '*') the entry holding TEXT; 0 or 1. Every step is
# checked on the screen. Not the arrow keys: their escape sequences, split
# on a loaded machine, sometimes reach GRUB's serial terminal as other keys
# (seen: "Enter username:" in the submenu after a Down). BIOS GRUB draws
# the menu's frame with '|', UEFI GRUB with blanks.
grub_select() {
	local i
	for ((i = 0; i < 10; i++)); do
		e2e_screen | grep -qE "^[[:space:]|]*\\*.*$1" && return 0
		e2e_keys C-n
		sleep 0.7
	done
	e2e_screen | grep -qE "^[[:space:]|]*\\*.*$1"
}

# wait until FILE matches REGEX while the tmux QEMU runs; 0 or 1
e2e_wait_tmux_file() {
	local file=$1 re=$2 end=$((SECONDS + $3))
	while [ "$SECONDS" -lt "$end" ]; do
		if [ -f "$file" ] && tr -d '\r' < "$file" | grep -Eq -- "$re"; then return 0; fi
		[ ! -f "$E2E_WORK/qemu.rc" ] || break
		sleep 1
	done
	[ -f "$file" ] && tr -d '\r' < "$file" | grep -Eq -- "$re"
}

# The GRUB editor's line under the cursor.
cursor_line() {
	local y
	y=$(e2e_tm display -p -t e2e '#{cursor_y}' 2>/dev/null || echo 0)
	e2e_screen | sed -n "$((y + 1))p"
}

# slow_type TEXT: one character at a time (GRUB reads the serial port slowly
# under TCG; a burst can lose characters)
slow_type() {
	local i
	for ((i = 0; i < ${#1}; i++)); do
		e2e_keys -l "${1:i:1}"
		sleep 0.15
	done
}

# edit_entry DIR: 'e' on the highlighted entry, log in as the superuser,
# append an option to its linux line, boot it (Ctrl-X).
edit_entry() {
	local d=$1 i
	for try in 1 2; do
		e2e_keys e
		e2e_screen_wait 20 "Enter username:" || { e2e_screen > "$d/screen-nouser.txt"; e2e_log "editing asked for no user name"; return 1; }
		EDIT_LOCKED=1
		slow_type tabula; e2e_keys Enter
		e2e_screen_wait 20 "Enter password:" || { e2e_screen > "$d/screen-nopw.txt"; return 1; }
		slow_type "$GRUB_PW"; e2e_keys Enter
		# PBKDF2-SHA512 (10000 rounds) runs in emulated GRUB: allow for it
		e2e_screen_wait 120 "linux /live/vmlinuz" && break
		e2e_screen > "$d/screen-noedit-$try.txt"
		e2e_log "no editor after the password (try $try)"
		[ "$try" = 1 ] || return 1
		sleep 2
	done
	sleep 1
	for ((i = 0; i < 6; i++)); do
		cursor_line | grep -q "linux /live/vmlinuz" && break
		e2e_keys C-n; sleep 0.5
	done
	cursor_line | grep -q "linux /live/vmlinuz" || { e2e_screen > "$d/screen-noline.txt"; e2e_log "cursor never on the linux line"; return 1; }
	e2e_keys C-e; sleep 0.3
	slow_type " tabula.edited=1"
	# GRUB redraws the (wrapped) line after every character: slow under TCG.
	# The option may be split where GRUB wraps the line ("\" at the end of a
	# row), so it is looked for with rows joined and blanks dropped.
	for ((i = 0; i < 120; i++)); do
		e2e_screen | tr -d '\n\\ ' | grep -q "tabula.edited=1" && break
		sleep 0.5
	done
	sleep 1
	e2e_screen > "$d/screen-edited.txt"
	tr -d '\n\\ ' < "$d/screen-edited.txt" | grep -q "tabula.edited=1" ||
		{ e2e_log "the option does not show in the editor"; return 1; }
	EDITED=1
	e2e_keys C-x
}

# the records disk, read without mounting: into DIR
read_records() {
	rm -rf "$2"
	mkdir -p "$2"
	debugfs -R "rdump / $2" "$1" >/dev/null 2>"$W/debugfs.err" || true
}
zeros() { cmp -n "$SIZE" "$1" /dev/zero; }
npdf() { find "$1" -maxdepth 1 -name '*.pdf' | wc -l; }
nrec() { "$CERTS" list "$1/ledger.db" 2>/dev/null | grep -c PASSED || true; }
has() { grep -qF -- "$2" <<<"$1" || { echo "want '$2' in: $1"; return 1; }; }
custody_of_record() {
	"$CERTS" show "$1/ledger.db" 1 > "$W/show1.txt" 2>&1 || { cat "$W/show1.txt"; return 1; }
	grep -q "TPM 2.0 of the station PC" "$W/show1.txt" || { cat "$W/show1.txt"; return 1; }
}
pdf_genuine() {
	local fp p
	rm -f "$W/registry.db"
	fp=$("$CERTS" trust fingerprint "$1/ledger.db" | cut -d' ' -f1) &&
		"$CERTS" trust add "$W/registry.db" "$fp" --name "e2e tpm station" >/dev/null || return 1
	for p in "$1"/*.pdf; do
		"$CERTS" verify --pdf "$p" --trust "$W/registry.db" "$1/ledger.db" || return 1
	done
}

echo "---- boot 1: PC A, the image as built: enrol, erase, certify"
boot enrol "$W/tpm-a" "$W/records.img" 0 || true
M1=$MARK
R1=$W/records-1
read_records "$W/records.img" "$R1"
cp "$W/records.img" "$W/records-copy.img"	# the records medium carried to another PC
e2e_check "boot 1: the run finished (${M1:-no marker})" has "$M1" "TABULA-AUTO-DONE rc=0 devices=1 passed=1 failed=0 certs=1 verify=ok custody=tpm"
e2e_check "boot 1: guest powered off by itself" test "${QRC_enrol:-1}" = 0
e2e_check "boot 1: the target reads back as zeros" zeros "$W/nvme.img"
e2e_check "boot 1: records hold the sealed key and the public key" test -s "$R1/ledger.db.sealed" -a -s "$R1/ledger.db.pub"
e2e_check "boot 1: no usable key on the records medium (no ledger.db.key)" test ! -e "$R1/ledger.db.key"
e2e_check "boot 1: the seal is bound to PCRs 0, 2, 4, 7, 8 and 9" grep -q "^pcrs sha256:0,2,4,7,8,9$" "$R1/ledger.db.sealed"
# what a sniffer on the TPM's bus saw in boot 1: the PCR values of the boot
sniffed_is_sealed_boot() {
	python3 "$HERE/tpm-sniff.py" "$W/enrol/swtpm.log" --policy "$R1/ledger.db.sealed" > "$W/sniff-1.txt" 2>&1
	local rc=$?
	cat "$W/sniff-1.txt"
	return $rc
}
e2e_check "boot 1: the PCR extends sniffed in this boot add up to the policy the key is sealed to" sniffed_is_sealed_boot
e2e_check "boot 1: certs verify accepts the ledger" "$CERTS" verify "$R1/ledger.db"
e2e_check "boot 1: one PASSED record, one PDF" test "$(nrec "$R1")" = 1 -a "$(npdf "$R1")" = 1
e2e_check "boot 1: the record says TPM custody" custody_of_record "$R1"
e2e_check "boot 1: the PDF is genuine for the enrolled fingerprint" pdf_genuine "$R1"

echo "---- boot 2: PC A, the same entry edited at the GRUB menu (password), one option added"
head -c "$SIZE" /dev/urandom > "$W/nvme.img"
sha256sum "$W/nvme.img" | cut -d' ' -f1 > "$W/nvme.sha256"
EDIT_LOCKED=0 EDITED=0
boot edited "$W/tpm-a" "$W/records.img" 1 || true
M2=$MARK
R2=$W/records-2
read_records "$W/records.img" "$R2"
same() { [ "$(sha256sum "$W/nvme.img" | cut -d' ' -f1)" = "$(cat "$W/nvme.sha256")" ]; }
e2e_check "boot 2: editing the entry asked for the superuser and password" test "$EDIT_LOCKED" = 1
e2e_check "boot 2: the option was added and the edited entry booted" test "$EDITED" = 1
e2e_check "boot 2: the run refused: the key stays sealed (${M2:-no marker})" has "$M2" "TABULA-AUTO-FAIL key custody:"
e2e_check "boot 2: the refusal names the changed PCRs" has "$M2" "bound to PCRs sha256:0,2,4,7,8,9 and they changed since enrolment"
e2e_check "boot 2: the refusal says the command line's PCR changed" has "$M2" "what changed: PCR 8, GRUB's commands and the kernel command line"
e2e_check "boot 2: the target is untouched" same
e2e_check "boot 2: nothing certified (still one record, one PDF)" test "$(nrec "$R2")" = 1 -a "$(npdf "$R2")" = 1
e2e_check "boot 2: the ledger still verifies" "$CERTS" verify "$R2/ledger.db"

echo "---- boot 3: PC B (another TPM) with a copy of the records medium, booted as boot 1"
boot other "$W/tpm-b" "$W/records-copy.img" 0 || true
M3=$MARK
R3=$W/records-3
read_records "$W/records-copy.img" "$R3"
e2e_check "boot 3: the run refused: another PC's sealed key (${M3:-no marker})" has "$M3" "TABULA-AUTO-FAIL key custody:"
e2e_check "boot 3: the refusal says the key was sealed by another TPM" has "$M3" "sealed by another TPM"
e2e_check "boot 3: the target is untouched" same
e2e_check "boot 3: nothing certified (still one record, one PDF)" test "$(nrec "$R3")" = 1 -a "$(npdf "$R3")" = 1
e2e_check "boot 3: no key file was made instead" test ! -e "$R3/ledger.db.key"

echo "---- boot 4: PC A, an insider's stick: GRUB that measures nothing, PCRs 8 and 9 replayed from the log"
# The insider's stick: the genuine image's files (kernel, initrd, squashfs
# and its verity tree) with grub-mkrescue's own GRUB and a menu of one entry
# that appends their initramfs: rdinit=/attack (pcr-replay) and the genuine
# extends sniffed in boot 1.
attack_iso() {
	local a=$W/attack
	rm -rf "$a"
	mkdir -p "$a/tree" "$a/cpio"
	xorriso -osirrox on -indev "$ISO" -extract /live "$a/tree/live" >/dev/null 2>&1 || return 1
	cc -static -O2 -o "$a/cpio/attack" "$HERE/pcr-replay.c" || return 1
	python3 "$HERE/tpm-sniff.py" "$W/enrol/swtpm.log" --replay 8,9 > "$a/cpio/replay.list" || return 1
	[ -s "$a/cpio/replay.list" ] || { echo "no extends of PCRs 8 and 9 sniffed in boot 1"; return 1; }
	(cd "$a/cpio" && printf '%s\n' attack replay.list | cpio -o -H newc --quiet > "$a/tree/attack.cpio") || return 1
	mkdir -p "$a/tree/boot/grub"
	cat > "$a/tree/boot/grub/grub.cfg" <<'CFG'
serial --unit=0 --speed=115200
terminal_input console serial
terminal_output console serial
set timeout=1
menuentry "insider" {
	linux /live/vmlinuz quiet rdinit=/attack replay.pcrs=8,9 tabula.auto=clear
	initrd /live/initrd.img /attack.cpio
}
CFG
	grub-mkrescue -o "$W/attack.iso" "$a/tree" -- -volid TABULA > "$a/grub-mkrescue.log" 2>&1 ||
		{ tail -n 5 "$a/grub-mkrescue.log"; return 1; }
}
e2e_check "boot 4: the insider's stick is made (stock GRUB, genuine kernel, initrd, squashfs)" attack_iso
head -c "$SIZE" /dev/urandom > "$W/nvme.img"
sha256sum "$W/nvme.img" | cut -d' ' -f1 > "$W/nvme.sha256"
BOOT_ISO=$W/attack.iso boot replay "$W/tpm-a" "$W/records.img" 2 || true
M4=$MARK
R4=$W/records-4
read_records "$W/records.img" "$R4"
# genuine N: PCR N of boot 1 (sniffed); now N: what the replay tool read
genuine() { sed -n "s/^pcr $1 extends [0-9]* \([0-9a-f]*\)$/\1/p" "$W/sniff-1.txt"; }
now() { tr -d '\r' < "$W/replay/events.log" | sed -n "s/^TABULA-REPLAY pcr=$1 tpm=\([0-9a-f]*\)$/\1/p" | tail -n1; }
pcr_same() {
	local g n
	g=$(genuine "$1") n=$(now "$1")
	echo "PCR $1: genuine ${g:-?}, now ${n:-?}"
	[ ${#g} = 64 ] && [ "$g" = "$n" ]
}
pcr_differs() {
	local g n
	g=$(genuine "$1") n=$(now "$1")
	echo "PCR $1: genuine ${g:-?}, now ${n:-?}"
	[ ${#g} = 64 ] && [ ${#n} = 64 ] && [ "$g" != "$n" ]
}
replayed() { tr -d '\r' < "$W/replay/events.log" | grep -a "^TABULA-REPLAY replayed=" | tail -n1; }
e2e_check "boot 4: every sniffed extend was replayed ($(replayed))" \
	bash -c '[[ "$1" =~ replayed=([0-9]+)\ failed=0$ ]] && [ "${BASH_REMATCH[1]}" = "$2" ]' _ "$(replayed)" "$(wc -l < "$W/attack/cpio/replay.list" 2>/dev/null)"
e2e_check "boot 4: the replay made PCR 8 the genuine boot's" pcr_same 8
e2e_check "boot 4: the replay made PCR 9 the genuine boot's" pcr_same 9
e2e_check "boot 4: PCR 0 (firmware) is the genuine boot's too" pcr_same 0
e2e_check "boot 4: PCR 2 (option ROMs, drivers) is the genuine boot's too" pcr_same 2
e2e_check "boot 4: PCR 7 (Secure Boot state) is the genuine boot's too" pcr_same 7
e2e_check "boot 4: only PCR 4 differs (another loader)" pcr_differs 4
e2e_check "boot 4: the run refused: the key stays sealed (${M4:-no marker})" has "$M4" "TABULA-AUTO-FAIL key custody:"
e2e_check "boot 4: the refusal names the changed PCRs" has "$M4" "bound to PCRs sha256:0,2,4,7,8,9 and they changed since enrolment"
e2e_check "boot 4: the refusal names PCR 4 and only it" has "$M4" "(what changed: PCR 4, the boot loader):"
e2e_check "boot 4: the target is untouched" same
e2e_check "boot 4: nothing certified (still one record, one PDF)" test "$(nrec "$R4")" = 1 -a "$(npdf "$R4")" = 1

echo "---- boot 5: PC C (a fresh TPM), the image booted in BIOS mode, a new records medium"
# GRUB measures nothing on BIOS: a key sealed there would unseal for the
# genuine stick's BIOS GRUB with any grub.cfg. The image refuses to enrol.
truncate -s $((64 << 20)) "$W/records-bios.img"
mkfs.ext4 -q -F -L TABULA-RECORDS -d "$W/records-seed" "$W/records-bios.img"
BOOT_FIRMWARE=bios boot bios "$W/tpm-c" "$W/records-bios.img" 0 || true
M5=$MARK
R5=$W/records-5
read_records "$W/records-bios.img" "$R5"
e2e_check "boot 5: the run refused to enrol in a BIOS boot (${M5:-no marker})" has "$M5" "TABULA-AUTO-FAIL key custody: this PC booted the image in BIOS (legacy) mode"
e2e_check "boot 5: no sealed key, no key file, no ledger was made" test ! -e "$R5/ledger.db.sealed" -a ! -e "$R5/ledger.db.key" -a ! -e "$R5/ledger.db"
e2e_check "boot 5: the target is untouched" same

echo "---- boot 6: PC A, its enrolled records medium, the image booted in BIOS mode"
# A key planted from a BIOS boot would carry a genuine creation proof for
# PCRs nothing measured; the image uses no key in a BIOS boot at all.
BOOT_FIRMWARE=bios boot biosuse "$W/tpm-a" "$W/records.img" 0 || true
M6=$MARK
R6=$W/records-6
read_records "$W/records.img" "$R6"
e2e_check "boot 6: the run refused to use the key in a BIOS boot (${M6:-no marker})" has "$M6" "TABULA-AUTO-FAIL key custody: this PC booted the image in BIOS (legacy) mode"
e2e_check "boot 6: the target is untouched" same
e2e_check "boot 6: nothing certified (still one record, one PDF)" test "$(nrec "$R6")" = 1 -a "$(npdf "$R6")" = 1
e2e_check "records filesystems are clean (e2fsck -fn)" e2fsck -fn "$W/records.img"

echo "---- timings"
echo "media ${T_MEDIA} s; boot 1 (enrol, erase 16 MiB, certify) ${T_enrol:--} s; boot 2 (edited) ${T_edited:--} s;" \
	"boot 3 (other TPM) ${T_other:--} s; boot 4 (insider's replay) ${T_replay:--} s; boot 5 (BIOS) ${T_bios:--} s; boot 6 (BIOS, enrolled) ${T_biosuse:--} s"
echo "logs: $W/{enrol,edited,other,replay,bios}/events.log (ttyS1), records-N/logs/auto-*.log (the guest's log)"
e2e_summary
