# SPDX-License-Identifier: GPL-3.0-or-later
# Sourced by the guest probes: where the host's files are (/mnt/in, with
# wiper and its libraries) and where results go (/mnt/out), and how a disk
# is found (by serial, never by sdX name). Not a probe itself.
IN=/mnt/in
OUT=/mnt/out
export LD_LIBRARY_PATH=$IN/lib
by_serial() { lsblk -dnpo NAME,SERIAL | awk -v s="$1" '$2 == s {print $1}'; }
