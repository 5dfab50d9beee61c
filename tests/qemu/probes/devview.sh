#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# devview.sh [SYSBLOCK]: print the "device view" text of every block device
# under /sys/block (busybox sh; runs in the QEMU guest). Format, one section
# per device (blank line between sections), as parsed by wiper/devview.c:
#   [NAME]
#   node /dev/NAME
#   syspath /sys/devices/...
#   devnum MAJ:MIN
#   P KEY=VALUE        udevadm info --query=property, minus DEVPATH, DEVNAME,
#                      MAJOR, MINOR, SUBSYSTEM, USEC_INITIALIZED, TAGS,
#                      CURRENT_TAGS, DEVLINKS
#   A ATTR=VALUE       sysfs attributes below the syspath, the ones
#                      wiper/enum.c reads (trailing whitespace trimmed;
#                      unreadable ones skipped)
#   A host/proc_name=  SCSI disks: proc_name of the scsi_host above them
#   H HOLDER           one per entry in holders/
#   S PART MAJ:MIN     one per partition, then "SA PART ATTR=VALUE" and
#                      "SH PART HOLDER" lines for it
set -u
SB=${1:-/sys/block}

ATTRS="size ro removable queue/logical_block_size queue/physical_block_size queue/rotational
device/vendor device/model device/rev device/serial device/firmware_rev device/transport device/wwid
serial loop/backing_file"
PATTRS="partition start size ro"

# value of a sysfs attribute with trailing whitespace trimmed; fails when unreadable
rd() {
	[ -f "$1" ] && [ -r "$1" ] || return 1
	v=$(cat "$1" 2>/dev/null) || return 1
	printf '%s' "$v" | sed -e 's/[[:space:]]*$//'
}

first=1
for b in "$SB"/*; do
	[ -e "$b" ] || continue
	name=${b##*/}
	sp=$(readlink -f "$b")
	[ "$first" = 1 ] || echo
	first=0
	echo "[$name]"
	echo "node /dev/$name"
	echo "syspath $sp"
	echo "devnum $(cat "$sp/dev")"
	udevadm info --query=property --path="$sp" 2>/dev/null | while IFS= read -r l; do
		case "${l%%=*}" in
		DEVPATH|DEVNAME|MAJOR|MINOR|SUBSYSTEM|USEC_INITIALIZED|TAGS|CURRENT_TAGS|DEVLINKS) ;;
		'') ;;
		*) echo "P $l";;
		esac
	done
	for a in $ATTRS; do
		if v=$(rd "$sp/$a"); then echo "A $a=$v"; fi
	done
	# SCSI disks: walk up to the hostN directory
	case "$sp" in
	*/host[0-9]*/target*)
		d=$sp
		while [ "$d" != / ] && [ -n "$d" ]; do
			h=${d##*/}
			case "$h" in
			host[0-9]*)
				if v=$(rd "$d/scsi_host/$h/proc_name"); then echo "A host/proc_name=$v"; fi
				break;;
			esac
			d=${d%/*}
		done;;
	esac
	for h in "$sp"/holders/*; do
		[ -e "$h" ] || [ -L "$h" ] || continue
		echo "H ${h##*/}"
	done
	for p in "$sp"/*; do
		[ -f "$p/partition" ] || continue
		pn=${p##*/}
		echo "S $pn $(cat "$p/dev")"
		for a in $PATTRS; do
			if v=$(rd "$p/$a"); then echo "SA $pn $a=$v"; fi
		done
		for h in "$p"/holders/*; do
			[ -e "$h" ] || [ -L "$h" ] || continue
			echo "SH $pn ${h##*/}"
		done
	done
done
