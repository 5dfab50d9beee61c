#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Run every test: installs what is missing, builds with warnings as errors,
# runs `make check` (unit tests and root-only loop-device tests), then the
# same under AddressSanitizer + UBSan, then `make distcheck`.
#   --quick   skip the ASan build and distcheck
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
quick=no
for a in "$@"; do
	case "$a" in
	--quick) quick=yes ;;
	*) echo "test.sh: unknown option $a" >&2; exit 2 ;;
	esac
done

bash "$top/scripts/deps.sh"
start=$(date +%s)
status=0

run_check() { # run_check NAME BUILDDIR CONFIGURE-ARGS...
	local name=$1 dir=$2; shift 2
	echo "=== $name: build ($*)"
	bash "$top/scripts/build.sh" "$dir" "$@"
	echo "=== $name: make check"
	if ! make -C "$dir" -s check; then
		status=1
		cat "$dir/test-suite.log" || true
	fi
	# Every skipped test says why; show it so nothing passes silently.
	grep -h '^SKIP' "$dir"/tests/*/*.log 2>/dev/null | sort | uniq -c || true
}

run_check "werror" "$top/build-werror" --enable-werror
if [ "$quick" = no ]; then
	run_check "asan+ubsan" "$top/build-asan" --enable-asan --enable-werror CC=gcc
	echo "=== distcheck"
	make -C "$top/build-werror" -s distcheck DISTCHECK_CONFIGURE_FLAGS=--enable-werror || status=1
fi
echo "=== tests finished in $(( $(date +%s) - start )) s: $([ $status = 0 ] && echo PASS || echo FAIL)"
exit $status
