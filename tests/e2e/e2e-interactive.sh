#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# e2e-interactive.sh [-B] [-i ISO] [-b BUILDDIR] [-w WORKDIR] [-t SECONDS] [-T nvme|sata|usb] [-R]
#
# End-to-end test of the live image's interactive station (issue 7): boots
# the ISO under QEMU (TCG, never KVM) with
#   NVMe        -device nvme          serial E2E-NVME-0001   64 MiB random
#   AHCI SATA   ahci + ide-hd         serial E2E-SATA-0001   64 MiB random
#   USB stick   qemu-xhci+usb-storage serial E2E-USB-0001    64 MiB random
#   records     virtio-blk            serial E2E-REC-0001    64 MiB ext4 TABULA-RECORDS
#                                     holding tabula.conf (station, operator, witness)
#   boot stick  usb-storage           serial E2E-BOOT-0001   a writable copy of the ISO
# and the kernel command line
#   quiet tabula.boottimes console=ttyS1,115200 tabula.serial
# (kernel and initrd extracted from the ISO; tabula.serial starts the
# station on ttyS0 as well as tty1; the kernel console goes to ttyS1, a log
# file, so nothing else writes on the station's screen). QEMU's ttyS0 is the
# terminal of a detached tmux session; the test reads the screen and types
# like a technician:
#   session start: operator, then witness (from tabula.conf)
#   media list: moves the cursor to the target's SERIAL (never its name),
#     selects it (exactly one [x]), e
#   erase flow: recommended method; on the certificate details the asset
#     number E2E-ASSET-0007 and owner "E2E Records Unit" (found by the
#     focused field's cursor); any other step keeps its default; then the
#     typed confirmation, which must name the target's serial and no other
#   dashboard: waits for PASSED and the certificate number; then on the
#     certificates screen p (print) must say "no printer configured": CUPS
#     is in the image, with no queue until a printer is plugged in
#   power off: the ACPI power button (QEMU monitor system_powerdown); logind
#     shuts down cleanly, which unmounts the records medium
# Then it checks from the host, matching media by serial:
#   - the target image reads back as zeros; the other targets and the boot
#     stick are byte-for-byte untouched
#   - the records image is clean (e2fsck -fn), its sentinel file intact, and
#     holds exactly one certificate PDF and a ledger that `certs verify`
#     accepts, with one PASSED record for the target's serial (operator,
#     witness, asset number and owner on it), none for any other serial; the PDF
#     verifies against the ledger
#
#   -B           (re)build the image first with iso-build/build-iso.sh
#   -i ISO       image to test (default BUILDDIR/tabula.iso; built when missing)
#   -b BUILDDIR  where certs/certs is (default $top_builddir or ./)
#   -w WORKDIR   scratch directory (default $TABULA_E2E_WORK/interactive or
#                /var/tmp/tabula-e2e-interactive)
#   -t SECONDS   limit for the guest run (default 900)
#   -T TARGET    which disk to erase: nvme, sata (default) or usb
#   -R           the records disk starts blank (64 MiB of zeros): the test
#                first initialises it through the station (session screen,
#                key i, the line with its serial, the serial typed), then
#                erases as above with no people configured (a fresh medium
#                has no tabula.conf); the host checks it is now ext4
#                labelled TABULA-RECORDS holding the ledger and the PDF
#
# E2E_DEBUG=1 boots without `quiet` (kernel and systemd messages in
# WORKDIR/console.log).
#
# Exit: 0 all checks passed, 1 a check failed, 77 skipped, 2 usage.

set -euo pipefail

E2E_NAME=e2e-interactive
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
# shellcheck source=tests/e2e/e2e-lib.sh
. "$HERE/e2e-lib.sh"

BUILDDIR=${top_builddir:-.}
ISO=
E2E_WORK=${TABULA_E2E_WORK:+$TABULA_E2E_WORK/interactive}
E2E_WORK=${E2E_WORK:-/var/tmp/tabula-e2e-interactive}
LIMIT=900
BUILD=0
TARGET=sata
RECINIT=0
while getopts "Bi:b:w:t:T:Rh" opt; do
	case "$opt" in
	B) BUILD=1;;
	i) ISO=$OPTARG;;
	b) BUILDDIR=$OPTARG;;
	w) E2E_WORK=$OPTARG;;
	t) LIMIT=$OPTARG;;
	T) TARGET=$OPTARG;;
	R) RECINIT=1;;
	h) sed -n '3,/^$/p' "$0" | sed 's/^# \{0,1\}//'; exit 0;;
	*) echo "see $0 -h" >&2; exit 2;;
	esac
done
serial_of() { case "$1" in nvme) echo E2E-NVME-0001;; sata) echo E2E-SATA-0001;; usb) echo E2E-USB-0001;; esac; }
case "$TARGET" in nvme|sata|usb) ;; *) echo "$E2E_NAME: -T nvme, sata or usb" >&2; exit 2;; esac
TSERIAL=$(serial_of "$TARGET")
OTHERS=$(for n in nvme sata usb; do [ "$n" = "$TARGET" ] || echo "$n"; done)
BUILDDIR=$(cd "$BUILDDIR" && pwd)
[ -n "$ISO" ] || ISO=$BUILDDIR/tabula.iso
CERTS=$BUILDDIR/certs/certs
ASSET=E2E-ASSET-0007
OWNER="E2E Records Unit"
OPERATOR="Olga Operator"
WITNESS="Walt Witness"

# ---------------------------------------------------------------- can it run here?
[ "$(id -u)" -eq 0 ] || e2e_skip "needs root (debootstrap for the image build)"
e2e_need_qemu
for t in tmux xorriso mkfs.ext4 debugfs e2fsck blkid sha256sum cmp; do
	command -v "$t" >/dev/null || e2e_skip "$t is not installed"
done
command -v socat >/dev/null || command -v python3 >/dev/null ||
	e2e_skip "neither socat nor python3 (to press the power button through QEMU's monitor)"
[ -x "$CERTS" ] || e2e_skip "$CERTS not built"
e2e_build_image
e2e_fresh_workdir
trap e2e_tmux_stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- media (image files only)
t=$(e2e_now)
SIZE=$((64 << 20))
e2e_target_media "$SIZE"
mkdir -p "$E2E_WORK/records-seed"
head -c 4096 /dev/urandom | base64 > "$E2E_WORK/records-seed/SENTINEL.txt"
cat > "$E2E_WORK/records-seed/tabula.conf" <<EOF
# written by $E2E_NAME
station = E2E-STATION
operator = $OPERATOR, Technician
witness = $WITNESS, Records officer
require_witness = yes
EOF
truncate -s "$SIZE" "$E2E_WORK/records.img"
if [ "$RECINIT" = 0 ]; then
	mkfs.ext4 -q -F -L TABULA-RECORDS -d "$E2E_WORK/records-seed" "$E2E_WORK/records.img"
fi
for f in nvme sata usb boot-stick; do
	sha256sum "$E2E_WORK/$f.img" | cut -d' ' -f1 > "$E2E_WORK/$f.sha256.before"
done
T_MEDIA=$(e2e_since "$t")

# ---------------------------------------------------------------- boot
DRV="if=none,format=raw,cache=unsafe"
# no TPM in this QEMU PC: demo key-file custody, chosen on the command line
APPEND="quiet tabula.boottimes console=ttyS1,115200 tabula.serial tabula.custody=file"
if [ "${E2E_DEBUG:-0}" = 1 ]; then APPEND="${APPEND/ quiet/} systemd.show_status=1 printk.time=1"; fi
# shellcheck disable=SC2054 # commas belong to QEMU option values
ARGS=(-m 2048 -smp 2 -no-reboot -display none -nodefaults -vga std
	-kernel "$E2E_WORK/vmlinuz" -initrd "$E2E_WORK/initrd.img" -append "$APPEND"
	-serial stdio -serial "file:$E2E_WORK/console.log"
	-drive "file=$E2E_WORK/nvme.img,id=nv0,$DRV" -device nvme,serial=E2E-NVME-0001,drive=nv0
	-device ahci,id=ahci0 -drive "file=$E2E_WORK/sata.img,id=sata0,$DRV"
	-device ide-hd,drive=sata0,bus=ahci0.0,serial=E2E-SATA-0001,model=E2E-SATA-DISK
	-device qemu-xhci,id=xhci
	-drive "file=$E2E_WORK/usb.img,id=us0,$DRV" -device usb-storage,bus=xhci.0,drive=us0,serial=E2E-USB-0001,removable=on
	-drive "file=$E2E_WORK/records.img,id=rec0,$DRV" -device virtio-blk-pci,drive=rec0,serial=E2E-REC-0001
	-drive "file=$E2E_WORK/boot-stick.img,id=boot0,$DRV"
	-device usb-storage,bus=xhci.0,drive=boot0,serial=E2E-BOOT-0001,removable=on)
e2e_log "booting $(basename "$ISO") under QEMU TCG: $APPEND"
T0=$(e2e_now)
e2e_tmux_qemu "$LIMIT" 100 30 "${ARGS[@]}"

# ---------------------------------------------------------------- drive the station
step_ok=0	# how far the drive got
T_MENU=- T_ERASE=- T_PASSED=- T_OFF=-
shot() { e2e_screen > "$E2E_WORK/screen-$1.txt"; }
fail_at() { e2e_log "stuck at: $1 (screen: $E2E_WORK/screen-$2.txt)"; shot "$2"; sed 's/^/      /' "$E2E_WORK/screen-$2.txt" | grep -v '^ *$' >&2 || true; }

# the cursor line ('>' in column 4) holds SERIAL?
on_serial() { e2e_screen | grep -qE "^.{3}>.*[[:space:]]$1[[:space:]]"; }
cursor_to_serial() {
	local i
	e2e_keys PPage PPage
	for ((i = 0; i < 40; i++)); do
		sleep 0.5
		on_serial "$1" && return 0
		e2e_keys Down
	done
	return 1
}

# -R: the session screen offers to initialise a blank stick (no records
# medium); pick the records disk by its serial, type the serial
RECINIT_OK=0
NOTPM_ASKED=0
PRINT_OK=0
init_records() {
	local i
	e2e_screen_wait "$LIMIT" "Session start" || { fail_at "session start" session; return 1; }
	T_MENU=$(e2e_since "$T0")
	e2e_log "station up after $T_MENU s"
	e2e_screen_wait 30 "press i to initialise a blank stick" || { fail_at "records offer" session; return 1; }
	shot session
	step_ok=1
	e2e_keys i
	e2e_screen_wait 20 "Records medium: initialise a blank stick" || { fail_at "records screen" records; return 1; }
	e2e_screen_wait 60 "serial E2E-REC-0001 " || { fail_at "records disk listed" records; return 1; }
	for ((i = 0; i < 12; i++)); do e2e_keys Up; done
	for ((i = 0; i < 20; i++)); do
		sleep 0.5
		e2e_screen | grep -qE "^  > .*serial E2E-REC-0001 " && break
		e2e_keys Down
	done
	shot records
	e2e_screen | grep -qE "^  > .*serial E2E-REC-0001 " || { fail_at "cursor on E2E-REC-0001" records; return 1; }
	e2e_keys Enter
	e2e_screen_wait 10 "Type its serial to confirm and press Enter: (E2E-REC-0001)" || { fail_at "records confirmation" records; return 1; }
	e2e_keys -l E2E-REC-0001
	e2e_keys Enter
	e2e_screen_wait_re 120 "is now the records medium|failed|nothing was written|has no TPM 2.0" || true
	# QEMU's PC here has no TPM: the station asks before it writes; the
	# technician chooses demo key-file custody (d)
	if e2e_screen | grep -qF "has no TPM 2.0"; then
		shot records-notpm
		e2e_keys d
		e2e_screen_wait_re 120 "is now the records medium|failed|nothing was written" || true
		NOTPM_ASKED=1
	fi
	shot records-done
	grep -qF "is now the records medium" "$E2E_WORK/screen-records-done.txt" || { fail_at "records initialised" records-done; return 1; }
	RECINIT_OK=1
	e2e_keys Enter
	e2e_screen_wait 10 "Session start" || { fail_at "back to the session" session2; return 1; }
	sleep 1
	shot session2
	if grep -qF "press i to initialise" "$E2E_WORK/screen-session2.txt"; then fail_at "offer gone" session2; return 1; fi
}

drive() {
	local i s prev='' same=0 end focus
	if [ "$RECINIT" = 1 ]; then
		init_records || return 1
		# a fresh records medium has no tabula.conf: the people are added at the station
		e2e_screen_wait 30 "press a to add one" || { fail_at "no people offer" people; return 1; }
		e2e_keys a
		e2e_screen_wait 10 "New person (Name, Role):" || { fail_at "person prompt" people; return 1; }
		e2e_keys "$OPERATOR, Technician" Enter
		e2e_screen_wait 10 "Added, and kept in /run/tabula-records/tabula.conf" || { fail_at "person kept" people; return 1; }
		e2e_keys a
		e2e_screen_wait 10 "New person (Name, Role):" || { fail_at "person prompt 2" people; return 1; }
		e2e_keys "$WITNESS, Records officer" Enter
		e2e_screen_wait 10 "Who is on duty?" || { fail_at "session start" session; return 1; }
		e2e_keys Enter
		e2e_screen_wait 30 "Who witnesses?" || { fail_at "witness" witness; return 1; }
		e2e_keys Enter
		e2e_screen_wait_re 30 "Operator: $OPERATOR .*Witness: $WITNESS" || { fail_at "media list" list; return 1; }
	else
		# session start: the operator, then the witness (first person each)
		e2e_screen_wait "$LIMIT" "Who is on duty?" || { fail_at "session start" session; return 1; }
		T_MENU=$(e2e_since "$T0")
		e2e_log "station up after $T_MENU s"
		shot session
		step_ok=1
		e2e_keys Enter
		e2e_screen_wait 30 "Who witnesses?" || { fail_at "witness" witness; return 1; }
		e2e_keys Enter
		# the media list, once udev has shown every disk
		e2e_screen_wait_re 30 "Operator: $OPERATOR .*Witness: $WITNESS" || { fail_at "media list" list; return 1; }
	fi
	for n in nvme sata usb; do
		e2e_screen_wait 60 "$(serial_of "$n")" || { fail_at "disk $(serial_of "$n") listed" list; return 1; }
	done
	sleep 2
	shot list
	step_ok=2
	cursor_to_serial "$TSERIAL" || { fail_at "cursor on $TSERIAL" list; return 1; }
	e2e_keys Space
	e2e_screen_wait_re 10 "^\[x\].*[[:space:]]${TSERIAL}[[:space:]]" || { fail_at "$TSERIAL selected" list; return 1; }
	s=$(e2e_screen)
	[ "$(grep -c '^\[x\]' <<<"$s")" = 1 ] || { fail_at "exactly one medium selected" list; return 1; }
	shot selected
	e2e_keys e
	e2e_screen_wait 20 "choose the method" || { fail_at "method screen" method; return 1; }
	shot method
	e2e_keys Enter
	# asset numbers; any further step keeps its default; until the typed confirmation
	end=$((SECONDS + 120))
	while [ "$SECONDS" -lt "$end" ]; do
		sleep 1
		s=$(e2e_screen)
		if grep -qF "Type the number of media to erase" <<<"$s"; then break; fi
		if [ "$s" != "$prev" ]; then prev=$s same=0; continue; fi
		same=$((same + 1))
		[ "$same" -ge 2 ] || continue
		# a text field has the focus: its line ends in the cursor '_'
		focus=$(grep -E '_[[:space:]]*$' <<<"$s" | tail -n1 || true)
		case "$focus" in
		*asset*_*) [[ $focus == *"$ASSET"* ]] || e2e_keys -l "$ASSET";;
		*"Owner"*_*) [[ $focus == *"$OWNER"* ]] || e2e_keys -l "$OWNER";;
		esac
		sleep 0.5
		e2e_keys Enter
		same=0
	done
	shot confirm
	grep -qF "Type the number of media to erase" "$E2E_WORK/screen-confirm.txt" || { fail_at "typed confirmation" confirm; return 1; }
	grep -qF "$TSERIAL" "$E2E_WORK/screen-confirm.txt" || { fail_at "confirmation names $TSERIAL" confirm; return 1; }
	for n in $OTHERS; do
		if grep -qF "$(serial_of "$n")" "$E2E_WORK/screen-confirm.txt"; then fail_at "confirmation names only $TSERIAL" confirm; return 1; fi
	done
	step_ok=3
	e2e_keys -l 1
	e2e_keys Enter
	T_ERASE=$(e2e_since "$T0")
	e2e_screen_wait_re 600 "PASSED|FAILED|INCOMPLETE" || { fail_at "erase result" dash; return 1; }
	e2e_screen_wait_re 60 "certificate [A-Za-z0-9-]+" || true
	sleep 1
	shot dash
	grep -qF PASSED "$E2E_WORK/screen-dash.txt" || { fail_at "PASSED" dash; return 1; }
	T_PASSED=$(e2e_since "$T0")
	step_ok=4
	# printing with CUPS but no printer: the station says so (the PDF is on
	# the records medium anyway, checked from the host)
	e2e_keys c
	if e2e_screen_wait 20 "-000001 "; then
		e2e_keys p
		e2e_screen_wait 60 "no printer configured" && PRINT_OK=1
		shot print
		if grep -qF "lp is not installed" "$E2E_WORK/screen-print.txt"; then PRINT_OK=0; fi
	fi
}
set +e
drive
set -e
e2e_log "drive reached step $step_ok (1 station, 2 list, 3 confirmed, 4 PASSED)"

# power off: the ACPI power button, as a technician would
QRC=-
if [ -f "$E2E_WORK/qemu.rc" ]; then
	QRC=$(cat "$E2E_WORK/qemu.rc")
else
	t=$(e2e_now)
	e2e_monitor system_powerdown || true
	set +e
	e2e_tmux_qemu_wait 120
	QRC=$?
	set -e
	T_OFF=$(e2e_since "$t")
fi
T_QEMU=$(e2e_since "$T0")
e2e_tmux_stop
e2e_log "QEMU exited (rc $QRC) after $T_QEMU s; power off took $T_OFF s"

# ---------------------------------------------------------------- host oracle
t=$(e2e_now)
echo "---- checks"
if [ "$RECINIT" = 1 ]; then
	e2e_check "station on the serial console offers to initialise a records medium" test "$step_ok" -ge 1
	e2e_check "records disk E2E-REC-0001 initialised through the station (serial typed)" test "$RECINIT_OK" = 1
	e2e_check "no TPM: the station asked before writing, demo key-file custody chosen (d)" test "$NOTPM_ASKED" = 1
	e2e_check "records image is now ext4 labelled TABULA-RECORDS" \
		test "$(blkid -p -o value -s TYPE "$E2E_WORK/records.img")/$(blkid -p -o value -s LABEL "$E2E_WORK/records.img")" = ext4/TABULA-RECORDS
else
	e2e_check "station on the serial console, session start (operator, witness)" test "$step_ok" -ge 2
fi
e2e_check "target $TSERIAL picked by serial and confirmed by typing" test "$step_ok" -ge 3
e2e_check "dashboard shows PASSED" test "$step_ok" -ge 4
e2e_check "printing without a printer: 'no printer configured' (CUPS installed, no queue)" test "$PRINT_OK" = 1
e2e_check "guest powered off cleanly on the power button (QEMU rc 0)" test "$QRC" = 0
zeros() { cmp -n "$SIZE" "$1" /dev/zero; }
same() { [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$(cat "${1%.img}.sha256.before")" ]; }
e2e_check "$TARGET target ($TSERIAL) reads back as zeros" zeros "$E2E_WORK/$TARGET.img"
for n in $OTHERS; do
	e2e_check "$n ($(serial_of "$n")) is untouched" same "$E2E_WORK/$n.img"
done
e2e_check "boot stick is byte-for-byte untouched" same "$E2E_WORK/boot-stick.img"
e2e_check "records filesystem is clean (e2fsck -fn)" e2fsck -fn "$E2E_WORK/records.img"

R=$E2E_WORK/records-out
mkdir -p "$R"
debugfs -R "rdump / $R" "$E2E_WORK/records.img" >/dev/null 2>"$E2E_WORK/debugfs.err" || true
[ "$RECINIT" = 1 ] || e2e_check "records: sentinel file intact" cmp "$E2E_WORK/records-seed/SENTINEL.txt" "$R/SENTINEL.txt"
e2e_check "records: ledger present" test -s "$R/ledger.db"
e2e_check "records: certs verify accepts the ledger" "$CERTS" verify "$R/ledger.db"
npdf=$(find "$R" -maxdepth 1 -name '*.pdf' | wc -l)
e2e_check "records: one certificate PDF (found $npdf)" test "$npdf" -eq 1
pdfs_verify() {
	local p fp
	# The records office enrols the station first: only then is a certificate genuine.
	rm -f "$E2E_WORK/registry.db"
	fp=$("$CERTS" trust fingerprint "$R/ledger.db" | cut -d' ' -f1) &&
		"$CERTS" trust add "$E2E_WORK/registry.db" "$fp" --name "e2e station" >/dev/null || return 1
	for p in "$R"/*.pdf; do
		"$CERTS" verify --pdf "$p" --trust "$E2E_WORK/registry.db" "$R/ledger.db" || return 1
	done
}
e2e_check "records: the PDF verifies against the ledger" pdfs_verify
one_record() {
	"$CERTS" list "$R/ledger.db" > "$E2E_WORK/ledger-list.txt"
	cat "$E2E_WORK/ledger-list.txt"
	[ "$(grep -c PASSED "$E2E_WORK/ledger-list.txt")" -eq 1 ] || { echo "want exactly 1 PASSED record"; return 1; }
	"$CERTS" find "$R/ledger.db" --serial "$TSERIAL" | grep -q "$TSERIAL" || { echo "no certificate for $TSERIAL"; return 1; }
	local s
	for s in E2E-BOOT-0001 E2E-REC-0001 $(for n in $OTHERS; do serial_of "$n"; done); do
		if "$CERTS" find "$R/ledger.db" --serial "$s" 2>/dev/null | grep -q "$s"; then
			echo "a certificate names $s, which must not have been erased"; return 1
		fi
	done
}
e2e_check "records: one PASSED record, for $TSERIAL only" one_record
who_on_record() {

	"$CERTS" show "$R/ledger.db" 1 > "$E2E_WORK/record.txt" 2>&1 || { cat "$E2E_WORK/record.txt"; return 1; }
	grep -qF "$OPERATOR" "$E2E_WORK/record.txt" && grep -qF "$WITNESS" "$E2E_WORK/record.txt" ||
		{ cat "$E2E_WORK/record.txt"; return 1; }
	# -R: the people typed at the station were kept on the new records medium
	if [ "$RECINIT" = 1 ]; then
		grep -qx "person = $OPERATOR, Technician" "$R/tabula.conf" &&
			grep -qx "person = $WITNESS, Records officer" "$R/tabula.conf" ||
			{ echo "tabula.conf on the records medium:"; cat "$R/tabula.conf"; return 1; }
	fi
	grep -qF "$ASSET" "$E2E_WORK/record.txt" && grep -qF "$OWNER" "$E2E_WORK/record.txt" ||
		{ cat "$E2E_WORK/record.txt"; return 1; }
}
e2e_check "records: the record names the operator, the witness, $ASSET and '$OWNER'$([ "$RECINIT" = 0 ] || echo "; tabula.conf keeps both")" who_on_record
unexpected() {
	local bad
	bad=$(cd "$R" && find . -mindepth 1 ! -path ./lost+found ! -path ./SENTINEL.txt ! -path ./tabula.conf \
		! -path './ledger.db*' ! -path './*.pdf' -print)
	[ -z "$bad" ] || { echo "unexpected files: $bad"; return 1; }
}
e2e_check "records: no unexpected files" unexpected
T_CHECK=$(e2e_since "$t")

# the same kernel and QEMU with a trivial initramfs: what the image adds
e2e_bare_boot "${ARGS[@]}"
echo "---- timings"
e2e_boot_report "$T_MENU"
echo "image build ${T_BUILD} s; media ${T_MEDIA} s; boot to station (session screen on ttyS0) ${T_MENU} s;" \
	"confirmed at ${T_ERASE} s; PASSED at ${T_PASSED} s; power off ${T_OFF} s; QEMU total ${T_QEMU} s; host checks ${T_CHECK} s"
echo "logs: $E2E_WORK/console.log (ttyS1: kernel and systemd), $E2E_WORK/screen-*.txt (ttyS0 screens)"
e2e_summary
