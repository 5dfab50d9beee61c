#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Throughput benchmark (not part of make check). On a loop device over a file
# in /dev/shm and one over a file on disk it measures, in the same run:
#   - the raw ceiling: fio O_DIRECT sequential write and read, io_uring, QD 4,
#     the better of 1 MiB and 4 MiB requests;
#   - wiper erase: zero pass, random pass, random pass with full verify;
#   - Debian's nwipe on the same device (zero and PRNG passes);
# and prints MB/s and the ratio to the ceiling, medians of RUNS runs.
# Usage: tests/bench/throughput.sh [SIZE_MiB] [RUNS]   (root; installs fio and nwipe)
#        NWIPE=0 skips the (slow) nwipe runs.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
WIPER=${WIPER:-$top/build-werror/wiper/wiper}
. "$top/tests/lib/safety.sh"
size_mib=${1:-2048}
runs=${2:-3}
[ -x "$WIPER" ] || { echo "build first: bash scripts/build.sh build-werror" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 2; }
command -v fio >/dev/null || apt-get install -y -q --no-install-recommends fio >/dev/null
command -v nwipe >/dev/null || apt-get install -y -q --no-install-recommends nwipe >/dev/null || true

median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

# fio_mbs DEV rw bs -> MB/s
fio_mbs() {
	fio --name=ceil --filename="$1" --rw="$2" --bs="$3" --size="${size_mib}M" --direct=1 \
		--ioengine=io_uring --iodepth=4 --numjobs=1 --output-format=json 2>/dev/null |
		jq -r "(.jobs[0].$( [ "$2" = write ] && echo write || echo read ).bw_bytes / 1e6)"
}

# wiper_mbs DEV METHOD VERIFY -> "write_MBps verify_MBps"
wiper_mbs() {
	# --verify none ends INCOMPLETE (exit 1) by design: only the rate matters here.
	{ "$WIPER" erase --yes --json --method "$2" --verify "$3" "$1" || true; } |
		jq -r 'select(.event == "result") | "\(.passes[0].mb_per_s) \(.passes[0].verify_mb_per_s // 0)"'
}

# nwipe_mbs DEV METHOD -> MB/s from wall time
nwipe_mbs() {
	command -v nwipe >/dev/null && [ "${NWIPE:-1}" = 1 ] || { echo 0; return; }
	local t0 t1
	t0=$(date +%s.%N)
	nwipe --autonuke --nogui --nowait --method="$2" --verify=off --rounds=1 --noblank "$1" >/dev/null 2>&1 || true
	t1=$(date +%s.%N)
	echo "$size_mib $t0 $t1" | awk '{printf "%.1f\n", $1 * 1048576 / 1e6 / ($3 - $2)}'
}

bench_dev() { # bench_dev LABEL DIR
	local label=$1 dir=$2 f L
	mkdir -p "$dir"
	f=$(mktemp "$dir/tabula-bench-XXXXXX.img")
	truncate -s "${size_mib}M" "$f"
	# Not tab_make_loop: the file lives outside TESTDIR on purpose (tmpfs vs disk).
	L=$(losetup -f --show --direct-io=on "$f" 2>/dev/null || losetup -f --show "$f")
	TAB_LOOPS+=("$L")
	echo "== $label: $L over $f (${size_mib} MiB), $runs runs"
	local w1 w4 r1 r4 cw cr z rnd rv nz nr
	for i in $(seq "$runs"); do
		w1+=" $(fio_mbs "$L" write 1M)"; w4+=" $(fio_mbs "$L" write 4M)"
		r1+=" $(fio_mbs "$L" read 1M)"; r4+=" $(fio_mbs "$L" read 4M)"
		z+=" $(wiper_mbs "$L" zero none | cut -d' ' -f1)"
		rnd+=" $(wiper_mbs "$L" random none | cut -d' ' -f1)"
		rv+=" $(wiper_mbs "$L" random all | cut -d' ' -f2)"
		nz+=" $(nwipe_mbs "$L" zero)"
		nr+=" $(nwipe_mbs "$L" random)"
	done
	cw=$(printf '%s\n' $w1 | median); x=$(printf '%s\n' $w4 | median)
	cw=$(echo "$cw $x" | awk '{print ($1 > $2) ? $1 : $2}')
	cr=$(printf '%s\n' $r1 | median); x=$(printf '%s\n' $r4 | median)
	cr=$(echo "$cr $x" | awk '{print ($1 > $2) ? $1 : $2}')
	row() { printf '  %-34s %9.1f MB/s  %5.2fx %s\n' "$1" "$2" "$(echo "$2 $3" | awk '{print $1 / $2}')" "$4"; }
	row "fio write ceiling (QD4, best bs)" "$cw" "$cw" "of write ceiling"
	row "fio read ceiling (QD4, best bs)" "$cr" "$cr" "of read ceiling"
	row "wiper zero pass" "$(printf '%s\n' $z | median)" "$cw" "of write ceiling"
	row "wiper random pass" "$(printf '%s\n' $rnd | median)" "$cw" "of write ceiling"
	row "wiper random verify" "$(printf '%s\n' $rv | median)" "$cr" "of read ceiling"
	row "nwipe $(nwipe --version 2>/dev/null | head -1 | awk '{print $2}') zero" "$(printf '%s\n' $nz | median)" "$cw" "of write ceiling"
	row "nwipe random (PRNG)" "$(printf '%s\n' $nr | median)" "$cw" "of write ceiling"
	losetup -d "$L"; rm -f "$f"
}

TESTDIR=$(mktemp -d /tmp/tabula-test-XXXXXX)
trap tab_cleanup EXIT
bench_dev "tmpfs (/dev/shm)" /dev/shm
bench_dev "disk (/var/tmp)" /var/tmp
