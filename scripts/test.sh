#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Run every test: installs what is missing, builds with warnings as errors,
# runs `make check` (unit tests, root-only loop-device tests, the QEMU guest
# test) and `make e2e` (the live image booted unattended, then driven
# interactively over its serial console), then `make check`
# under AddressSanitizer + UBSan, then `make distcheck`.
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
# The live image, booted unattended under QEMU (TCG) with NVMe, SATA, USB and
# records disks; exit 77 means it could not run here and says why.
echo "=== e2e: live image, unattended erase, checks from the host"
set +e
# (the script itself, not `make e2e`: make turns exit 77 into 2)
bash "$top/tests/e2e/e2e-unattended.sh" -B -i "$top/build-werror/tabula.iso" -b "$top/build-werror"
e2e=$?
set -e
case $e2e in
0) ;;
77) echo "SKIP: e2e (see the reason above)" ;;
*) echo "FAIL: e2e"; status=1 ;;
esac
echo "=== e2e: live image under UEFI with a TPM (swtpm): enrol, a changed boot, another PC"
set +e
bash "$top/tests/e2e/e2e-tpm.sh" -i "$top/build-werror/tabula.iso" -b "$top/build-werror"
e2e=$?
set -e
case $e2e in
0) ;;
77) echo "SKIP: e2e-tpm (see the reason above)" ;;
*) echo "FAIL: e2e-tpm"; status=1 ;;
esac
echo "=== e2e: live image, the station driven over the serial console through one erase"
set +e
bash "$top/tests/e2e/e2e-interactive.sh" -i "$top/build-werror/tabula.iso" -b "$top/build-werror"
e2e=$?
set -e
case $e2e in
0) ;;
77) echo "SKIP: e2e-interactive (see the reason above)" ;;
*) echo "FAIL: e2e-interactive"; status=1 ;;
esac
if [ "$quick" = no ]; then
	run_check "asan+ubsan" "$top/build-asan" --enable-asan --enable-werror CC=gcc
	echo "=== distcheck"
	# The QEMU guest tests ran above on this very tree; the distribution check skips them.
	TABULA_SKIP_QEMU=1 make -C "$top/build-werror" -s distcheck \
		DISTCHECK_CONFIGURE_FLAGS=--enable-werror || status=1
fi
echo "=== tests finished in $(( $(date +%s) - start )) s: $([ $status = 0 ] && echo PASS || echo FAIL)"
exit $status
