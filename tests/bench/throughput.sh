#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Throughput benchmark (not part of make check). On a loop device over a file
# in /dev/shm and one over a file on disk it measures, in the same run:
#   - the raw ceiling: fio O_DIRECT sequential write and read, io_uring, QD 4,
#     the better of 1 MiB and 4 MiB requests;
#   - wiper erase: zero pass, random pass, and the full verification of each;
#   - fio with a fresh random buffer for every request (--refill_buffers), the
#     ceiling for a pass whose data must be generated as it goes, and fio
#     writing zeros (--zero_buffers): what the device makes of the content;
#   - Debian's nwipe on the same device (zero and PRNG passes);
#   - fio's 1 MiB write and read again at the end of each round: how far the
#     device's own rate drifts within one round (a disk-backed loop on a
#     shared VM moves with the host's cache); each wiper cell is also given
#     "paired": the median over rounds of its rate over that round's ceiling;
#   - read against read, back to back: `wiper verify` of a random pass (exec
#     to exit) right after fio's 1 MiB read, the median of the pairs' ratios;
#   - the whole process: `wiper erase` on a loop over a PROC_MIB file in
#     /dev/shm, wall time from exec to exit (bytes / wall time), zero and
#     random, against the fio write ceiling of that device in the same run;
# and prints MB/s and the ratio to the ceiling, medians of RUNS runs.
# Usage: tests/bench/throughput.sh [SIZE_MiB] [RUNS]   (root; installs fio and nwipe)
#        NWIPE=0 skips the (slow) nwipe runs; PROC_MIB (default 4096, 0 skips)
#        is the size of the whole-process device; ONLY=tmpfs|disk|process
#        runs one section.
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

# fio_mbs DEV rw bs [FIO_OPTION...] -> MB/s (over ${size_mib} MiB)
fio_mbs() {
	local dev=$1 rw=$2 bs=$3
	shift 3
	fio --name=ceil --filename="$dev" --rw="$rw" --bs="$bs" --size="${size_mib}M" --direct=1 \
		--ioengine=io_uring --iodepth=4 --numjobs=1 --output-format=json "$@" 2>/dev/null |
		jq -r "(.jobs[0].$( [ "$rw" = write ] && echo write || echo read ).bw_bytes / 1e6)"
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
	local w1 w4 r1 r4 cw cr z rnd rv zv nz nr fr fz ra wa
	for i in $(seq "$runs"); do
		w1+=" $(fio_mbs "$L" write 1M)"; w4+=" $(fio_mbs "$L" write 4M)"
		fr+=" $(fio_mbs "$L" write 1M --refill_buffers --iodepth=8)"
		fz+=" $(fio_mbs "$L" write 1M --zero_buffers --iodepth=8)"
		r1+=" $(fio_mbs "$L" read 1M)"; r4+=" $(fio_mbs "$L" read 4M)"
		z+=" $(wiper_mbs "$L" zero none | cut -d' ' -f1)"
		rnd+=" $(wiper_mbs "$L" random none | cut -d' ' -f1)"
		rv+=" $(wiper_mbs "$L" random all | cut -d' ' -f2)"
		zv+=" $(wiper_mbs "$L" zero all | cut -d' ' -f2)"
		nz+=" $(nwipe_mbs "$L" zero)"
		nr+=" $(nwipe_mbs "$L" random)"
		# the ceiling again at the end of the round: how far the device itself drifts
		ra+=" $(fio_mbs "$L" read 1M)"; wa+=" $(fio_mbs "$L" write 1M)"
	done
	cw=$(printf '%s\n' $w1 | median); x=$(printf '%s\n' $w4 | median)
	cw=$(echo "$cw $x" | awk '{print ($1 > $2) ? $1 : $2}')
	cr=$(printf '%s\n' $r1 | median); x=$(printf '%s\n' $r4 | median)
	cr=$(echo "$cr $x" | awk '{print ($1 > $2) ? $1 : $2}')
	row() { printf '  %-34s %9.1f MB/s  %5.2fx %s\n' "$1" "$2" "$(echo "$2 $3" | awk '{print $1 / $2}')" "$4"; }
	spread() { printf '%s\n' "$@" | sort -n | awk 'NR == 1 {a = $1} {b = $1} END {printf "runs %.0f-%.0f", a, b}'; }
	# paired "A" "B" "C": the median over rounds of A / max(B, C), each round's own ceiling
	paired() {
		paste <(printf '%s\n' $1) <(printf '%s\n' $2) <(printf '%s\n' $3) |
			awk '{c = ($2 > $3) ? $2 : $3; print $1 / c}' | median | awk '{printf "paired %.2fx", $1}'
	}
	row "fio write ceiling (QD4, best bs)" "$cw" "$cw" "of write ceiling  ($(spread $w1 $w4))"
	row "fio read ceiling (QD4, best bs)" "$cr" "$cr" "of read ceiling  ($(spread $r1 $r4))"
	row "wiper zero pass" "$(printf '%s\n' $z | median)" "$cw" "of write ceiling  ($(paired "$z" "$w1" "$w4"))"
	row "fio zero buffers (1M, QD8)" "$(printf '%s\n' $fz | median)" "$cw" "of write ceiling"
	row "wiper random pass" "$(printf '%s\n' $rnd | median)" "$cw" "of write ceiling  ($(paired "$rnd" "$w1" "$w4"))"
	row "fio random refill (1M, QD8)" "$(printf '%s\n' $fr | median)" "$cw" "of write ceiling"
	row "wiper random verify" "$(printf '%s\n' $rv | median)" "$cr" "of read ceiling  ($(paired "$rv" "$r1" "$r4"))"
	row "wiper zero verify" "$(printf '%s\n' $zv | median)" "$cr" "of read ceiling  ($(paired "$zv" "$r1" "$r4"))"
	row "fio write 1M again, round's end" "$(printf '%s\n' $wa | median)" "$cw" "of write ceiling  ($(paired "$wa" "$w1" "$w4"); the device's own drift)"
	row "fio read 1M again, round's end" "$(printf '%s\n' $ra | median)" "$cr" "of read ceiling  ($(paired "$ra" "$r1" "$r4"); the device's own drift)"
	# Read against read, back to back: fio's 1 MiB read, then `wiper verify`
	# of a random pass (exec to exit), RUNS times; the median of the pairs'
	# ratios. Where the device's rate moves with the host's cache, this is
	# the comparison the drift disturbs least.
	local seed=0x0123456789abcdef pr='' fa wv t0 t1
	{ "$WIPER" erase --yes --method random --seed "$seed" --verify none "$L" >/dev/null 2>&1 || true; }
	for i in $(seq "$runs"); do
		fa=$(fio_mbs "$L" read 1M)
		t0=$(date +%s.%N)
		"$WIPER" verify --method random --seed "$seed" "$L" >/dev/null
		t1=$(date +%s.%N)
		wv=$(echo "$size_mib $t0 $t1" | awk '{printf "%.1f", $1 * 1048576 / 1e6 / ($3 - $2)}')
		pr+=" $(echo "$wv $fa" | awk '{print $1 / $2}')"
	done
	printf '  %-34s %9s       %5.2fx %s\n' "wiper verify right after fio read" "" \
		"$(printf '%s\n' $pr | median)" "of that fio read, median of $runs pairs  [$pr ]"
	row "nwipe $(nwipe --version 2>/dev/null | head -1 | awk '{print $2}') zero" "$(printf '%s\n' $nz | median)" "$cw" "of write ceiling"
	row "nwipe random (PRNG)" "$(printf '%s\n' $nr | median)" "$cw" "of write ceiling"
	losetup -d "$L"; rm -f "$f"
}

# wall_mbs DEV MiB METHOD -> "wall_MBps pass_MBps": bytes over the time from
# exec to exit of one `wiper erase`, and the pass's own rate from its result
wall_mbs() {
	local t0 t1 pass
	t0=$(date +%s.%N)
	# --verify none: the pass alone (ends INCOMPLETE, exit 1, by design)
	pass=$({ "$WIPER" erase --yes --json --method "$3" --verify none "$1" 2>/dev/null || true; } |
		jq -r 'select(.event == "result") | .passes[0].mb_per_s')
	t1=$(date +%s.%N)
	echo "$2 $t0 $t1 $pass" | awk '{printf "%.1f %.1f\n", $1 * 1048576 / 1e6 / ($3 - $2), $4}'
}

# bench_process MiB: the whole process on a tmpfs loop, ceiling in the same run
bench_process() {
	local mib=$1 f L cw z rnd zp rp x
	f=$(mktemp /dev/shm/tabula-bench-XXXXXX.img)
	truncate -s "${mib}M" "$f"
	L=$(losetup -f --show --direct-io=on "$f" 2>/dev/null || losetup -f --show "$f")
	TAB_LOOPS+=("$L")
	echo "== whole process, exec to exit: $L over $f (${mib} MiB), $runs runs"
	for i in $(seq "$runs"); do
		cw+=" $(size_mib=$mib fio_mbs "$L" write 1M) $(size_mib=$mib fio_mbs "$L" write 4M)"
		x=$(wall_mbs "$L" "$mib" zero); z+=" ${x% *}"; zp+=" $(echo "$x" | awk '{print $1 / $2}')"
		x=$(wall_mbs "$L" "$mib" random); rnd+=" ${x% *}"; rp+=" $(echo "$x" | awk '{print $1 / $2}')"
	done
	# the ceiling: the median of the better block size
	cw=$(printf '%s\n' $cw | awk 'NR % 2 {a = $1; next} {print (a > $1) ? a : $1}' | median)
	row() { printf '  %-34s %9.1f MB/s  %5.2fx %s\n' "$1" "$2" "$(echo "$2 $3" | awk '{print $1 / $2}')" "$4"; }
	row "fio write ceiling (QD4, best bs)" "$cw" "$cw" "of write ceiling"
	row "wiper erase zero, exec to exit" "$(printf '%s\n' $z | median)" "$cw" "of write ceiling  [$z ]"
	row "wiper erase random, exec to exit" "$(printf '%s\n' $rnd | median)" "$cw" "of write ceiling  [$rnd ]"
	printf '  %-34s %5.3f / %5.3f  (1.000 = nothing outside the pass)\n' "exec-to-exit / pass time, zero / random" \
		"$(printf '%s\n' $zp | median | awk '{print 1 / $1}')" "$(printf '%s\n' $rp | median | awk '{print 1 / $1}')"
	losetup -d "$L"; rm -f "$f"
}

TESTDIR=$(mktemp -d /tmp/tabula-test-XXXXXX)
trap tab_cleanup EXIT
echo "load: $(uptime)"
case ${ONLY:-all} in all|tmpfs) bench_dev "tmpfs (/dev/shm)" /dev/shm;; esac
case ${ONLY:-all} in all|disk) bench_dev "disk (/var/tmp)" /var/tmp;; esac
case ${ONLY:-all} in all|process) [ "${PROC_MIB:-4096}" = 0 ] || bench_process "${PROC_MIB:-4096}";; esac
echo "load: $(uptime)"
