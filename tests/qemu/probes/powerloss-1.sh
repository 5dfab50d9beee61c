#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# powerloss-1.sh, first boot: the ledger on an ext4 records disk (the SCSI
# disk), a long erase of the USB stick; once it is under way the host pulls
# the plug (kills QEMU). Nothing after that point runs.
set -u
. "$(dirname "$0")/probe-lib.sh"
REC=$(by_serial SCSI-SER-0001)
USB=$(by_serial USB-SER-0001)
[ -n "$REC" ] && [ -n "$USB" ] || exit 3
/sbin/mke2fs -q -t ext4 -L TABULA-RECORDS "$REC" || /usr/sbin/mke2fs -q -t ext4 -L TABULA-RECORDS "$REC" || exit 4
mkdir -p /rec && mount -t ext4 "$REC" /rec || exit 5
"$IN/wiper" erase --yes --json --ledger /rec/ledger.db --operator "Ann Example, Technician" \
	--witness "Bo Witness, Officer" --method gutmann --verify last "$USB" >"$OUT/erase.json" 2>"$OUT/erase.err" &
i=0
while [ $i -lt 600 ] && ! grep -q '"pass":2' "$OUT/erase.json" 2>/dev/null; do
	sleep 0.1
	i=$((i + 1))
done
echo "under way: $(tail -c 200 "$OUT/erase.json")"
: >"$OUT/pull-the-plug"
sleep 600
exit 6
