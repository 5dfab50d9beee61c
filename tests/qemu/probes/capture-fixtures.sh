#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# capture-fixtures.sh: guest probe (busybox sh) run by tests/qemu/capture-fixtures.sh.
# Captures identify data, INQUIRY/VPD pages, ATA PASS-THROUGH answers (sense
# bytes) and device views of the emulated disks into /mnt/out/fixtures/, laid
# out like tests/fixtures/, plus /mnt/out/capture.log with every command, its
# exit status and its stderr. Disks are found by serial, never by sdX name.
#
# Writes only to the guest's own disks (image files on the host): it puts a
# partition table on a 8 MiB loop file in the guest's RAM, a partition table,
# ext2 and swap on the virtio disk, and a device-mapper linear map over the
# USB disk for the second ("mounted") view.
#
# Exit status: 0 if every required capture worked, 1 otherwise (details in
# capture.log; lines starting with "FAIL").
# shellcheck disable=SC2086 # $IDENT16 etc. are split into CDB bytes on purpose
set -u
# Note: Debian's busybox sh runs its own applets before anything on PATH, so the
# util-linux/e2fsprogs tools that busybox also implements (losetup, mke2fs,
# blkdiscard) are called by absolute path.
O=/mnt/out/fixtures
LOG=/mnt/out/capture.log
HERE=$(dirname "$0")
mkdir -p "$O/ata" "$O/nvme" "$O/scsi" "$O/devviews"
: > "$LOG"
fails=0
KVER=$(uname -r)
STAMP="QEMU $(cat /sys/class/dmi/id/product_version 2>/dev/null || echo '?') guest, kernel $KVER"

note() { echo "$*" | tee -a "$LOG"; }
fail() { note "FAIL $*"; fails=$((fails + 1)); }

# run CMD...; stdout -> $OUTF (default /dev/null), stderr -> log; echo rc
OUTF=/dev/null
run() {
	echo "\$ $*" >> "$LOG"
	"$@" > "$OUTF" 2>/tmp/err
	rc=$?
	sed 's/^/  stderr: /' /tmp/err >> "$LOG"
	echo "  rc=$rc" >> "$LOG"
	return $rc
}

dev_by_serial() { lsblk -dnro NAME,SERIAL | awk -v s="$1" '$2 == s {print $1; exit}'; }
SATA=$(dev_by_serial SATA-SER-0001)
USB=$(dev_by_serial USB-SER-0001)
SCSI=$(dev_by_serial SCSI-SER-0001)
VBLK=$(dev_by_serial VBLK-SER-0001)
NVME=$(dev_by_serial NVME-SER-0001)
note "# $STAMP"
note "# disks: sata=$SATA usb=$USB scsi=$SCSI vblk=$VBLK nvme=$NVME"
for v in SATA USB SCSI VBLK NVME; do
	eval "d=\$$v"
	[ -n "$d" ] || fail "no disk with the $v serial"
done

size_is() { [ -f "$1" ] && [ "$(wc -c < "$1")" -eq "$2" ]; }

# ------------------------------------------------------------------ ATA (AHCI)
if [ -n "$SATA" ]; then
	OUTF=/dev/null
	if run sg_raw -r 512 -o "$O/ata/qemu-ahci.identify.bin" "/dev/$SATA" \
		85 08 0e 00 00 00 01 00 00 00 00 00 00 40 ec 00 && size_is "$O/ata/qemu-ahci.identify.bin" 512; then
		note "ok   ata/qemu-ahci.identify.bin (sg_raw ATA PASS-THROUGH(16) IDENTIFY DEVICE)"
	else
		fail "ata/qemu-ahci.identify.bin"
	fi
	OUTF=$O/ata/qemu-ahci.hdparm.txt
	if run hdparm --Istdout "/dev/$SATA" && [ -s "$OUTF" ]; then
		note "ok   ata/qemu-ahci.hdparm.txt"
	else
		fail "ata/qemu-ahci.hdparm.txt"
	fi
	# for the host wrapper's byte-order cross-check only
	OUTF=/mnt/out/sg_sat_identify.bin
	run sg_sat_identify --raw "/dev/$SATA" || note "note sg_sat_identify --raw failed"
	OUTF=/mnt/out/hdparm-I.txt
	run hdparm -I "/dev/$SATA" || true
	OUTF=/mnt/out/smartctl-ahci.txt
	run smartctl -x "/dev/$SATA" || true
fi

# ------------------------------------------------------------------ NVMe
if [ -n "$NVME" ]; then
	ctrl=/dev/${NVME%n[0-9]*}
	OUTF=$O/nvme/qemu-id-ctrl.bin
	if run nvme id-ctrl -b "$ctrl" && size_is "$OUTF" 4096; then
		note "ok   nvme/qemu-id-ctrl.bin ($ctrl)"
	else
		fail "nvme/qemu-id-ctrl.bin"
	fi
	OUTF=$O/nvme/qemu-id-ns.bin
	if run nvme id-ns -b "/dev/$NVME" -n 1 && size_is "$OUTF" 4096; then
		note "ok   nvme/qemu-id-ns.bin (/dev/$NVME)"
	else
		fail "nvme/qemu-id-ns.bin"
	fi
	OUTF=/mnt/out/nvme-id-ctrl.txt
	run nvme id-ctrl -H "$ctrl" || true
fi

# ------------------------------------------------------------------ SCSI INQUIRY / VPD
# required: virtio-scsi and usb; ahci (libata SAT) as a bonus
scsi_capture() { # tag dev required
	tag=$1 d=$2 req=$3
	OUTF=$O/scsi/$tag.inquiry.bin
	if run sg_inq --raw "/dev/$d" && [ -s "$OUTF" ]; then
		note "ok   scsi/$tag.inquiry.bin ($(wc -c < "$OUTF") bytes)"
	else
		rm -f "$OUTF"
		if [ "$req" = 1 ]; then fail "scsi/$tag.inquiry.bin"; else note "skip scsi/$tag.inquiry.bin"; fi
	fi
	for pg in 00 80 83 $4; do
		OUTF=$O/scsi/$tag.vpd$pg.bin
		if run sg_vpd --raw -p "0x$pg" "/dev/$d" && [ -s "$OUTF" ]; then
			note "ok   scsi/$tag.vpd$pg.bin ($(wc -c < "$OUTF") bytes)"
		else
			rm -f "$OUTF"
			if [ "$req" = 1 ] && [ "$pg" != b1 ] && [ "$pg" != 89 ]; then
				fail "scsi/$tag.vpd$pg.bin (device did not answer VPD page 0x$pg)"
			else
				note "skip scsi/$tag.vpd$pg.bin (device did not answer VPD page 0x$pg)"
			fi
		fi
	done
}
[ -n "$SCSI" ] && scsi_capture virtio-scsi "$SCSI" 1 "b1"
[ -n "$USB" ] && scsi_capture usb "$USB" 1 "b1"
[ -n "$SATA" ] && scsi_capture ahci "$SATA" 0 "89 b1"

# ------------------------------------------------------------------ ATA PASS-THROUGH answers
# pt FILE TITLE DEV RLEN CDB...: run sg_raw -vvv, record status and sense bytes
pt() {
	f=$1 title=$2 d=$3 rlen=$4
	shift 4
	{
		echo
		echo "== $title"
		echo "cdb: $*"
	} >> "$f"
	if [ "$rlen" -gt 0 ]; then
		sg_raw -vvv -r "$rlen" -o /tmp/pt.data "/dev/$d" "$@" > /tmp/pt.out 2>&1
	else
		rm -f /tmp/pt.data
		sg_raw -vvv "/dev/$d" "$@" > /tmp/pt.out 2>&1
	fi
	rc=$?
	st=$(sed -n 's/^SCSI Status: *\(.*[^ ]\) *$/\1/p' /tmp/pt.out | head -n1)
	sense=$(awk '/Raw sense data \(in hex\)/ {on=1; next}
		on && /^[ \t]+[0-9a-f][0-9a-f]( |$)/ {for (i = 1; i <= NF; i++) s = s (s ? " " : "") $i; next}
		on {on=0} END {print s}' /tmp/pt.out)
	{
		echo "sg_raw exit: $rc"
		echo "status: ${st:-none (no SCSI status printed)}"
		echo "sense: ${sense:-none}"
		if [ -s /tmp/pt.data ]; then
			echo "data-in: $(wc -c < /tmp/pt.data) bytes, first 16: $(od -An -tx1 -N16 /tmp/pt.data | tr -s ' ' | sed 's/^ //')"
		fi
		echo "sg_raw -vvv output:"
		grep -v -e '^open /dev' -e 'buffer=0x' -e 'dxfer_buffer' /tmp/pt.out | sed 's/^/  | /'
	} >> "$f"
	echo "\$ sg_raw ... $* on /dev/$d: rc=$rc status=$st sense=$sense" >> "$LOG"
}
pt_header() { # file device-description
	{
		echo "# ATA PASS-THROUGH answers captured by tests/qemu/probes/capture-fixtures.sh"
		echo "# $STAMP"
		echo "# device: $2"
		echo "# Each block: == title, cdb, sg_raw exit status, SCSI status, sense bytes (hex),"
		echo "# then sg_raw's own output. 'sense: none' = the command completed without sense data."
	} > "$1"
}

IDENT16="85 08 0e 00 00 00 01 00 00 00 00 00 00 40 ec 00"
IDENT12="a1 08 0e 00 01 00 00 00 40 ec 00 00"
CHKPWR="85 06 20 00 00 00 00 00 00 00 00 00 00 40 e5 00"
if [ -n "$USB" ]; then
	F=$O/scsi/usb.ata-pt.txt
	pt_header "$F" "USB-SER-0001 (QEMU usb-storage, Bulk-Only, behind qemu-xhci) /dev/$USB"
	pt "$F" "ATA PASS-THROUGH(16) IDENTIFY DEVICE (PIO in, 1 block)" "$USB" 512 $IDENT16
	pt "$F" "ATA PASS-THROUGH(12) IDENTIFY DEVICE (PIO in, 1 block)" "$USB" 512 $IDENT12
	pt "$F" "ATA PASS-THROUGH(16) CHECK POWER MODE, CK_COND=1 (non-data)" "$USB" 0 $CHKPWR
	note "ok   scsi/usb.ata-pt.txt"
fi
if [ -n "$SATA" ]; then
	F=$O/scsi/ahci.ata-pt.txt
	pt_header "$F" "SATA-SER-0001 (QEMU ahci + ide-hd, Linux libata SAT) /dev/$SATA"
	pt "$F" "ATA PASS-THROUGH(16) CHECK POWER MODE, CK_COND=1 (non-data)" "$SATA" 0 $CHKPWR
	pt "$F" "ATA PASS-THROUGH(16) SANITIZE STATUS EXT, CK_COND=1 (non-data, 48-bit)" "$SATA" 0 \
		85 07 20 00 00 00 00 00 00 00 00 00 00 40 b4 00
	pt "$F" "ATA PASS-THROUGH(16) READ NATIVE MAX ADDRESS EXT, CK_COND=1 (non-data, 48-bit)" "$SATA" 0 \
		85 07 20 00 00 00 00 00 00 00 00 00 00 40 27 00
	pt "$F" "ATA PASS-THROUGH(16) IDENTIFY DEVICE, CK_COND=1 (PIO in, 1 block)" "$SATA" 512 \
		85 08 2e 00 00 00 01 00 00 00 00 00 00 40 ec 00
	pt "$F" "ATA PASS-THROUGH(16) SECURITY ERASE PREPARE (non-data; no Security feature set)" "$SATA" 0 \
		85 06 20 00 00 00 00 00 00 00 00 00 00 40 f3 00
	note "ok   scsi/ahci.ata-pt.txt"
fi
if [ -n "$SCSI" ]; then
	F=$O/scsi/virtio-scsi.ata-pt.txt
	pt_header "$F" "SCSI-SER-0001 (QEMU virtio-scsi + scsi-hd) /dev/$SCSI"
	pt "$F" "ATA PASS-THROUGH(16) IDENTIFY DEVICE (PIO in, 1 block)" "$SCSI" 512 $IDENT16
	note "ok   scsi/virtio-scsi.ata-pt.txt"
fi

# ------------------------------------------------------------------ device views
view_header() {
	echo "# Device view captured by tests/qemu/probes/capture-fixtures.sh (devview.sh)"
	echo "# $STAMP; $1"
}
# loop0 with a DOS partition table holding one partition
dd if=/dev/zero of=/tmp/loop.img bs=1M count=8 2>/dev/null
LOOP=$(/usr/sbin/losetup -f --show -P /tmp/loop.img 2>>"$LOG")
if [ -n "$LOOP" ] && echo 'label: dos
start=2048, size=12288, type=83' | sfdisk -q "$LOOP" >>"$LOG" 2>&1; then
	[ -e "${LOOP}p1" ] || blockdev --rereadpt "$LOOP" 2>/dev/null || true
	note "ok   $LOOP with a DOS partition table"
else
	fail "setting up the partitioned loop device ($LOOP)"
fi
udevadm settle --timeout=30
sh "$HERE/devview.sh" > /tmp/view
{ view_header "all disks, nothing mounted, $LOOP partitioned"; cat /tmp/view; } > "$O/devviews/qemu-guest.view"
if grep -q '^S loop0p1 ' "$O/devviews/qemu-guest.view"; then
	note "ok   devviews/qemu-guest.view ($(grep -c '^\[' /tmp/view) devices)"
else
	fail "devviews/qemu-guest.view has no 'S loop0p1' line"
fi

# mounted/swap/held view: vda1 ext2 mounted, vda2 active swap, dm-0 over the USB disk
if [ -n "$VBLK" ]; then
	if echo 'label: dos
start=2048, size=81920, type=83
start=83968, size=16384, type=82' | sfdisk -q "/dev/$VBLK" >>"$LOG" 2>&1; then
		udevadm settle --timeout=30
		OUTF=/dev/null
		run /usr/sbin/mke2fs -q -t ext2 -L TABTEST "/dev/${VBLK}1" || fail "mke2fs /dev/${VBLK}1"
		run mount -t ext2 "/dev/${VBLK}1" /mnt/t || fail "mount /dev/${VBLK}1"
		run mkswap -L TABSWAP "/dev/${VBLK}2" || fail "mkswap /dev/${VBLK}2"
		run swapon "/dev/${VBLK}2" || fail "swapon /dev/${VBLK}2"
	else
		fail "partitioning /dev/$VBLK"
	fi
fi
if [ -n "$USB" ]; then
	OUTF=/dev/null
	sz=$(cat "/sys/block/$USB/size")
	run dmsetup create --noudevsync tabtest --table "0 $sz linear /dev/$USB 0" || fail "dmsetup create over /dev/$USB"
fi
if [ -n "$LOOP" ]; then
	OUTF=/dev/null
	mkdir -p /mnt/lp
	if run mkfs.vfat -n TABLOOP "${LOOP}p1"; then
		run mount -t vfat "${LOOP}p1" /mnt/lp || fail "mount vfat ${LOOP}p1"
	else
		fail "mkfs.vfat ${LOOP}p1"
	fi
fi
udevadm settle --timeout=30
sh "$HERE/devview.sh" > /tmp/view2
{ view_header "/dev/${VBLK}1 ext2 mounted on /mnt/t, /dev/${VBLK}2 swap, dm-0 linear over /dev/$USB, ${LOOP}p1 vfat mounted on /mnt/lp"; cat /tmp/view2; } \
	> "$O/devviews/qemu-guest-mounted.view"
cat /proc/self/mountinfo > "$O/devviews/qemu-guest-mounted.mountinfo"
cat /proc/swaps > "$O/devviews/qemu-guest-mounted.swaps"
if grep -q "^H dm-0" "$O/devviews/qemu-guest-mounted.view" && grep -q "/dev/${VBLK}2" "$O/devviews/qemu-guest-mounted.swaps"; then
	note "ok   devviews/qemu-guest-mounted.{view,mountinfo,swaps}"
else
	fail "devviews/qemu-guest-mounted.view lacks the dm holder or the swap"
fi

# context for the report
{
	echo "######## lsblk"
	lsblk -P -o NAME,TYPE,TRAN,RM,HOTPLUG,ROTA,SIZE,VENDOR,MODEL,SERIAL,WWN,FSTYPE,MOUNTPOINT
	echo "######## dmesg (storage)"
	dmesg | grep -E 'ata[0-9]|sd [0-9]|scsi|nvme|usb-storage|uas|virtio|blk_update|I/O error|EXT|FAT|Adding'
} > /mnt/out/context.txt 2>&1

umount /mnt/t 2>/dev/null
umount /mnt/lp 2>/dev/null
swapoff -a 2>/dev/null
dmsetup remove tabtest 2>/dev/null
[ -n "$LOOP" ] && /usr/sbin/losetup -d "$LOOP"
sync
note "# failures: $fails"
[ "$fails" -eq 0 ]
