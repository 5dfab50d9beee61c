#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# capture-fixtures.sh [-w WORKDIR] [-n]
#
# Boots the QEMU test guest (run-guest.sh) with probes/capture-fixtures.sh,
# checks what came back and copies it into tests/fixtures/:
#   ata/qemu-ahci.identify.bin  ata/qemu-ahci.hdparm.txt
#   nvme/qemu-id-ctrl.bin  nvme/qemu-id-ns.bin
#   scsi/{virtio-scsi,usb,ahci}.{inquiry,vpd00,vpd80,vpd83,...}.bin
#   scsi/{usb,ahci,virtio-scsi}.ata-pt.txt
#   devviews/qemu-guest.view  devviews/qemu-guest-mounted.{view,mountinfo,swaps}
#   qemu-capture.txt (what was run, exit codes, failures; the guest's capture.log)
# -n  dry run: capture and check, but don't copy into the repository.
#
# Checks on the host: identify.bin is 512 bytes in the drive's byte order
# (word i little-endian at bytes 2i..2i+1, identical to the words hdparm
# --Istdout printed; model string "QEMU-SATA-TEST"), the NVMe blocks are 4096
# bytes with the expected serial, and the views name every test disk.
# Exit status: 0 when everything required was captured and checked.

set -euo pipefail

die() { echo "capture-fixtures: error: $*" >&2; exit 2; }
log() { echo "capture-fixtures: $*" >&2; }

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
WORK=${TABULA_QEMU_WORK:-/var/tmp/tabula-qemu}
DRY=0
while getopts "w:nh" opt; do
	case "$opt" in
	w) WORK=$OPTARG;;
	n) DRY=1;;
	h) sed -n '3,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0;;
	*) die "usage: $0 [-w WORKDIR] [-n]";;
	esac
done
[ -d "$REPO/tests/fixtures" ] || die "run from the repository ($REPO/tests/fixtures missing)"

T0=$(date +%s)
OUT=$WORK/out/capture
mkdir -p "$OUT"
set +e
"$HERE/run-guest.sh" -q -w "$WORK" -o "$OUT" -t 300 capture-fixtures.sh
grc=$?
set -e
G=$OUT/fixtures
[ -d "$G" ] || die "the guest produced no fixtures (run-guest exit $grc; console: $OUT/console.log)"
grep -E '^(ok|skip|FAIL|note) ' "$OUT/capture.log" | sed 's/^/  guest: /' >&2 || true

problems=0
bad() { log "CHECK FAILED: $*"; problems=$((problems + 1)); }

# ---- ATA IDENTIFY: byte order against hdparm's words
ID=$G/ata/qemu-ahci.identify.bin
HT=$G/ata/qemu-ahci.hdparm.txt
if [ -f "$ID" ] && [ -f "$HT" ]; then
	[ "$(stat -c %s "$ID")" -eq 512 ] || bad "identify.bin is $(stat -c %s "$ID") bytes, not 512"
	words=$(grep -oE '\b[0-9a-fA-F]{4}\b' "$HT" | tr -d '\n' | tr 'A-F' 'a-f')
	# hdparm prints word values; the drive sends word i as low byte, high byte
	fromtxt=$(printf '%s' "$words" | sed -E 's/(..)(..)/\2\1/g')
	frombin=$(od -An -v -tx1 "$ID" | tr -d ' \n')
	if [ "${#words}" -ne 1024 ]; then
		bad "hdparm --Istdout gave ${#words} hex digits, not 256 words"
	elif [ "$fromtxt" != "$frombin" ]; then
		bad "identify.bin differs from hdparm --Istdout words (byte order?)"
	else
		log "identify.bin matches hdparm --Istdout word for word (little-endian words)"
	fi
	model=$(dd if="$ID" bs=1 skip=54 count=40 2>/dev/null | od -An -v -tx1 | tr -d ' \n' |
		sed -E 's/(..)(..)/\2\1/g' | xxd -r -p 2>/dev/null | sed 's/ *$//' || true)
	[ "$model" = QEMU-SATA-TEST ] || bad "model in words 27-46 reads '$model'"
	if [ -f "$OUT/sg_sat_identify.bin" ]; then
		if cmp -s "$OUT/sg_sat_identify.bin" "$ID"; then
			log "sg_sat_identify --raw gives the same 512 bytes"
		else
			log "note: sg_sat_identify --raw differs from the sg_raw capture: $(cmp "$OUT/sg_sat_identify.bin" "$ID" 2>&1 | head -n1)" \
				"(its --raw output is $(stat -c %s "$OUT/sg_sat_identify.bin") bytes; see README)"
		fi
	fi
else
	bad "ATA identify/hdparm capture missing"
fi

# ---- NVMe
for f in qemu-id-ctrl.bin qemu-id-ns.bin; do
	if [ -f "$G/nvme/$f" ]; then
		[ "$(stat -c %s "$G/nvme/$f")" -eq 4096 ] || bad "nvme/$f is not 4096 bytes"
	else
		bad "nvme/$f missing"
	fi
done
if [ -f "$G/nvme/qemu-id-ctrl.bin" ]; then
	sn=$(dd if="$G/nvme/qemu-id-ctrl.bin" bs=1 skip=4 count=20 2>/dev/null | tr -d ' ')
	[ "$sn" = NVME-SER-0001 ] || bad "id-ctrl serial reads '$sn'"
fi

# ---- SCSI
for t in virtio-scsi usb; do
	for k in inquiry vpd00 vpd80 vpd83; do
		[ -s "$G/scsi/$t.$k.bin" ] || bad "scsi/$t.$k.bin missing (see capture.log)"
	done
done
[ -s "$G/scsi/usb.ata-pt.txt" ] || bad "scsi/usb.ata-pt.txt missing"

# ---- views
V=$G/devviews/qemu-guest.view
if [ -f "$V" ]; then
	for s in NVME-SER-0001 SATA-SER-0001 VBLK-SER-0001 USB-SER-0001 SCSI-SER-0001; do
		grep -q "$s" "$V" || bad "qemu-guest.view does not mention $s"
	done
	grep -q '^S loop0p1 ' "$V" || bad "qemu-guest.view has no 'S loop0p1' line"
else
	bad "devviews/qemu-guest.view missing"
fi
for f in qemu-guest-mounted.view qemu-guest-mounted.mountinfo qemu-guest-mounted.swaps; do
	[ -s "$G/devviews/$f" ] || bad "devviews/$f missing"
done

if [ "$DRY" = 0 ]; then
	F=$REPO/tests/fixtures
	mkdir -p "$F/ata" "$F/nvme" "$F/scsi" "$F/devviews"
	n=0
	for d in ata nvme scsi devviews; do
		for f in "$G/$d"/*; do
			[ -f "$f" ] || continue
			cp "$f" "$F/$d/"
			n=$((n + 1))
		done
	done
	cp "$OUT/capture.log" "$F/qemu-capture.txt"
	log "copied $n fixture files and qemu-capture.txt into $F"
fi

log "guest exit $grc, $problems host-side check(s) failed, $(($(date +%s) - T0)) s in total"
[ "$grc" -eq 0 ] && [ "$problems" -eq 0 ]
