#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Static analysis: cppcheck and the clang static analyzer (scan-build) over
# the whole tree. Every finding must be listed below with a one-line reason:
#   FP    a false positive, and why;
#   OPEN  a real finding in a file someone else owns, not fixed yet (reported,
#         does not fail the run unless --strict).
# Anything not listed fails the run. Entries match on file, checker and a
# piece of the message, not on line numbers, so they survive edits nearby.
#
# Usage: [JOBS=N] scripts/analyze.sh [--strict] [BUILDDIR]   (default BUILDDIR: build-scan)
# Needs cppcheck and clang-tools (scan-build); says SKIP (exit 77) without them.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
strict=0
if [ "${1:-}" = "--strict" ]; then strict=1; shift; fi
build=${1:-$top/build-scan}
for t in cppcheck scan-build clang; do
	command -v $t >/dev/null || { echo "SKIP: $t not installed (apt-get install cppcheck clang-tools)"; exit 77; }
done

# file|checker|message piece|kind|reason
known() {
	cat <<'EOF'
wiper/cli/cmd-erase.c|negativeIndex|passes[256]|FP|build_passes() returns n >= 1 or an error that is checked first; cppcheck does not look into it
wiper/disk.c|core.uninitialized.ArraySubscript|Array subscript is undefined|FP|copy_trim() after copy_udev_enc(): the analyzer does not know isspace('\0') is false, so it walks past the terminator it wrote
wiper/io-phase.c|core.DivideZero|Division by zero|FP|io_thread() is analysed alone; lbs is never 0: wiper_geom_from_fd() refuses it, overwrite and verify check it
certs/ledger.c|core.NullDereference|Access to field 'db'|FP|lerr() is variadic so the analyzer cannot see it returns its nonzero errno; cert_ledger_open() never succeeds without a ledger
ui-ncurses/station/spawn.c|core.CallAndMessage|uninitialized value|FP|start_child() returns -errno after a failed pipe2(); the analyzer assumes errno may be 0 and so a "success" without pid and fd
EOF
}

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
findings=$out/findings

# cppcheck: file:line: id: message
(cd "$top" && cppcheck --enable=warning,performance,portability --inline-suppr -I. \
	--quiet --template='{file}:{line}: {id}: {message}' wiper certs ui-ncurses tests/fuzz) \
	2>"$out/cppcheck.txt" >/dev/null || true
sed -n 's/^\([^:]*\):\([0-9]*\): \([A-Za-z0-9_]*\): \(.*\)$/cppcheck|\1|\2|\3|\4/p' "$out/cppcheck.txt" >"$findings"

# scan-build: a full rebuild in its own build directory.
mkdir -p "$build"
(
	cd "$build"
	if [ ! -f Makefile ]; then
		scan-build -o "$out/scan" "$top/configure" >"$out/configure.log" 2>&1
	fi
	make clean >/dev/null 2>&1 || true
	scan-build -o "$out/scan" make -j"${JOBS:-$(nproc)}" >"$out/make.log" 2>&1
) || { echo "FAIL: the scan-build build failed:"; tail -20 "$out/make.log"; exit 1; }
# "../wiper/disk.c:48:9: warning: Array subscript is undefined [core....]"; compiler warnings count too.
sed -n 's/^\([^: ]*\.[ch]\):\([0-9]*\):[0-9]*: warning: \(.*\) \[\([^]]*\)\]$/scan|\1|\2|\4|\3/p' \
	"$out/make.log" | sed -e 's/^scan|\(\.\.\/\)*/scan|/' -e "s#^scan|$top/#scan|#" | sort -u >>"$findings"

# The fuzz targets are not part of the automake build: analyse them on their own.
for f in "$top"/tests/fuzz/*.c; do
	clang --analyze -I"$top" -I"$build" -o /dev/null "$f" 2>&1 |
		sed -n 's/^\([^: ]*\.[ch]\):\([0-9]*\):[0-9]*: warning: \(.*\) \[\([^]]*\)\]$/scan|\1|\2|\4|\3/p' |
		sed "s#^scan|$top/#scan|#" >>"$findings" || true
done

fail=0 open=0 fp=0
while IFS='|' read -r tool file line id msg; do
	file=${file#"$top"/}
	kind='' why=''
	while IFS='|' read -r kf kid kmsg kkind kwhy; do
		if [ "$kf" = "$file" ] && [ "$kid" = "$id" ] && [[ "${msg,,}" == *"${kmsg,,}"* ]]; then
			kind=$kkind why=$kwhy
			break
		fi
	done < <(known)
	case "$kind" in
	FP)   fp=$((fp + 1)); echo "fp:   $file:$line [$id] $msg -- $why";;
	OPEN) open=$((open + 1)); echo "open: $file:$line [$id] $msg -- $why";;
	*)    fail=$((fail + 1)); echo "NEW:  $file:$line [$id] $msg ($tool)";;
	esac
done <"$findings"
echo "analyze: $(wc -l <"$findings") finding(s): $fp explained false positive(s), $open open, $fail unexplained"
if [ $fail -ne 0 ]; then
	echo "FAIL: unexplained findings (fix them, or explain them in scripts/analyze.sh)"
	exit 1
fi
if [ $strict -eq 1 ] && [ $open -ne 0 ]; then
	echo "FAIL (--strict): open findings"
	exit 1
fi
echo "PASS"
