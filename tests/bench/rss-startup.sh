#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Memory and start-up benchmark (not part of make check):
#   - peak RSS of one `wiper erase --method random --verify all` over 8 loop
#     devices at once (target <= 64 MiB);
#   - time from exec to the first write on one device (target < 0.2 s),
#     median of 5 runs, measured with strace timestamps.
# Usage: tests/bench/rss-startup.sh [SIZE_MiB]   (root; installs time, strace)
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
WIPER=${WIPER:-$top/build-werror/wiper/wiper}
. "$top/tests/lib/safety.sh"
size=${1:-256}
[ -x "$WIPER" ] || { echo "build first" >&2; exit 2; }
command -v strace >/dev/null || apt-get install -y -q --no-install-recommends strace >/dev/null
[ -x /usr/bin/time ] || apt-get install -y -q --no-install-recommends time >/dev/null
tab_setup_root
devs=()
for i in 1 2 3 4 5 6 7 8; do
	tab_make_loop d "${size}M" 512
	tab_assert_own_loop "$d"
	devs+=("$d")
done
/usr/bin/time -f "%M" -o "$TESTDIR/rss" "$WIPER" erase --yes --json --method random --verify all \
	"${devs[@]}" >"$TESTDIR/out.json"
rss_kib=$(cat "$TESTDIR/rss")
passed=$(jq -r 'select(.event == "result") | .result' "$TESTDIR/out.json" | grep -c PASSED)
printf 'peak RSS, 8 devices x %d MiB, random + verify all: %.1f MiB (%d of 8 PASSED)\n' \
	"$size" "$(echo "$rss_kib" | awk '{print $1 / 1024}')" "$passed"

times=()
for i in 1 2 3 4 5; do
	strace -f -ttt -e trace=execve,pwrite64 -o "$TESTDIR/trace" \
		"$WIPER" erase --yes --method zero --verify none "${devs[0]}" >/dev/null 2>&1 ||
		true # --verify none ends INCOMPLETE (exit 1) by design: only the time matters
	t=$(awk '/execve\(/ && !s {s = $2} /pwrite64\(/ && !w {w = $2} END {printf "%.3f", w - s}' "$TESTDIR/trace")
	times+=("$t")
done
printf 'exec to first write (median of 5): %s s  [%s]\n' \
	"$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)" "${times[*]}"
