#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Request size and depth against the ceiling (not part of make check): on a
# loop device over a file in DIR (default /dev/shm; /var/tmp for a
# disk-backed one) it runs, RUNS times in turn, fio's read and write ceiling
# (O_DIRECT, io_uring, QD 4, the better of 1 MiB and 4 MiB) and `wiper erase --method random
# --verify all` with each CONFIG (DEPTH,BYTES, or "default": the engine's own
# per-phase shape, see WIPER_WRITE_REQUEST in wiper/job.h), and prints the medians and
# their ratios: which request size and depth binds the random pass and its
# verification on that kind of device.
# Usage: tests/bench/request-matrix.sh [DIR] [RUNS] [CONFIG...]   (root)
#        default CONFIGs: default 8,1048576 8,4194304 4,4194304 16,1048576 8,262144
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
WIPER=${WIPER:-$top/build-werror/wiper/wiper}
. "$top/tests/lib/safety.sh"
dir=${1:-/dev/shm} runs=${2:-5}
shift $(($# < 2 ? $# : 2))
configs=("$@")
[ ${#configs[@]} -gt 0 ] || configs=(default 8,1048576 8,4194304 4,4194304 16,1048576 8,262144)
[ -x "$WIPER" ] || { echo "build first: bash scripts/build.sh build-werror" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 2; }
command -v fio >/dev/null || apt-get install -y -q --no-install-recommends fio >/dev/null
TESTDIR=$(mktemp -d /tmp/tabula-test-XXXXXX)
trap 'tab_cleanup; rm -f "${f:-}"' EXIT
f=$(mktemp "$dir/tabula-bench-XXXXXX.img")
truncate -s 1G "$f"
L=$(losetup -f --show --direct-io=on "$f" 2>/dev/null || losetup -f --show "$f")
TAB_LOOPS+=("$L")
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
fio_mbs() { # fio_mbs read|write [BS]
	fio --name=c --filename="$L" --rw="$1" --bs="${2:-1M}" --size=1G --direct=1 --ioengine=io_uring --iodepth=4 \
		--output-format=json 2>/dev/null | jq -r ".jobs[0].$1.bw_bytes / 1e6"
}
fio_mbs write >/dev/null	# the file's pages exist before anything is timed
declare -A wr vr
cr='' cw='' cr4='' cw4=''
echo "load: $(uptime)"
for _ in $(seq "$runs"); do
	cr+=" $(fio_mbs read)" cw+=" $(fio_mbs write)" cr4+=" $(fio_mbs read 4M)" cw4+=" $(fio_mbs write 4M)"
	for c in "${configs[@]}"; do
		opts=()
		[ "$c" = default ] || opts=(--queue-depth "${c%,*}" --request-size "${c#*,}")
		out=$({ "$WIPER" erase --yes --json --method random --verify all "${opts[@]}" \
			"$L" 2>/dev/null || true; } |
			jq -r 'select(.event == "result") | "\(.passes[0].mb_per_s) \(.passes[0].verify_mb_per_s)"')
		wr[$c]+=" ${out% *}" vr[$c]+=" ${out#* }"
	done
done
# The ceiling: the better of fio's 1 MiB and 4 MiB medians, as in throughput.sh.
better() { awk '{print ($1 > $2) ? $1 : $2}'; }
R=$(echo "$(printf '%s\n' $cr | median) $(printf '%s\n' $cr4 | median)" | better)
W=$(echo "$(printf '%s\n' $cw | median) $(printf '%s\n' $cw4 | median)" | better)
printf '%s: %s over %s, medians of %s: fio read %.0f, write %.0f MB/s (QD 4, better of 1 and 4 MiB)\n' \
	"$dir" "$L" "$f" "$runs" "$R" "$W"
for c in "${configs[@]}"; do
	w=$(printf '%s\n' ${wr[$c]} | median) v=$(printf '%s\n' ${vr[$c]} | median)
	[ "$c" = default ] && c="w4x4M,r8x1M"
	printf '  depth %-3s request %-8s random %7.0f MB/s %5.2fx   verify %7.0f MB/s %5.2fx\n' "${c%,*}" "${c#*,}" \
		"$w" "$(echo "$w $W" | awk '{print $1 / $2}')" "$v" "$(echo "$v $R" | awk '{print $1 / $2}')"
done
losetup -d "$L"
rm -f "$f"
echo "load: $(uptime)"
