#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# smoke.sh: guest probe that checks the five test disks are visible (by serial)
# and the 9p output share is writable. Exits 0 when all are found.
set -u
lsblk -P -o NAME,TYPE,TRAN,RM,ROTA,SIZE,VENDOR,MODEL,SERIAL,WWN | tee /mnt/out/lsblk.txt
rc=0
for s in NVME-SER-0001 SATA-SER-0001 VBLK-SER-0001 USB-SER-0001 SCSI-SER-0001; do
	if lsblk -dno SERIAL | grep -qx "$s"; then echo "FOUND $s"; else echo "MISSING $s"; rc=1; fi
done
exit $rc
