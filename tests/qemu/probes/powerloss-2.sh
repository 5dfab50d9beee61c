#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# powerloss-2.sh, after the power cut: the station starts again on the same
# records disk and erases another medium; before its own job it must
# certify the interrupted one INCOMPLETE. The ledger goes to the host.
set -u
. "$(dirname "$0")/probe-lib.sh"
REC=$(by_serial SCSI-SER-0001)
NVME=$(by_serial NVME-SER-0001)
[ -n "$REC" ] && [ -n "$NVME" ] || exit 3
mkdir -p /rec && mount -t ext4 "$REC" /rec || exit 5
ls -l /rec >"$OUT/rec-before.txt"
"$IN/wiper" erase --yes --json --ledger /rec/ledger.db --operator "Ann Example, Technician" \
	--witness "Bo Witness, Officer" --method zero --verify last "$NVME" >"$OUT/erase2.json" 2>"$OUT/erase2.err"
echo $? >"$OUT/erase2.rc"
cp /rec/ledger.db /rec/ledger.db.key "$OUT/"
cp /rec/*.pdf "$OUT/" 2>/dev/null
umount /rec
exit 0
