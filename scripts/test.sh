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
results=$(mktemp /tmp/tabula-test-results.XXXXXX)
report() { bash "$top/scripts/test-report.sh" "$@"; }

run_check() { # run_check NAME BUILDDIR CONFIGURE-ARGS...
	local name=$1 dir=$2; shift 2
	echo "=== $name: build ($*)"
	bash "$top/scripts/build.sh" "$dir" "$@"
	echo "=== $name: make check"
	if ! make -C "$dir" -s check; then
		status=1
		cat "$dir/test-suite.log" || true
	fi
	report collect "$name" "$dir" "$results"
}
# e2e_run NAME SCRIPT ARGS...: one live-image test; exit 77 is a skip that says why.
e2e_run() {
	local name=$1 rc; shift
	set +e
	bash "$@" 2>&1 | tee "$results.$name.log"
	rc=${PIPESTATUS[0]}
	set -e
	case $rc in
	0) report row e2e "$name" PASS "" "$results" ;;
	77) echo "SKIP: $name (see the reason above)"
	    report row e2e "$name" SKIP "$(grep -m1 '^SKIP' "$results.$name.log" | cut -c1-160)" "$results" ;;
	*) echo "FAIL: $name"; status=1; report row e2e "$name" FAIL "exit $rc" "$results" ;;
	esac
}

run_check "werror" "$top/build-werror" --enable-werror
# The live image, booted unattended under QEMU (TCG) with NVMe, SATA, USB and
# records disks; exit 77 means it could not run here and says why.
echo "=== e2e: live image, unattended erase, checks from the host"
# (the scripts themselves, not `make e2e`: make turns exit 77 into 2)
e2e_run e2e-unattended "$top/tests/e2e/e2e-unattended.sh" -B -i "$top/build-werror/tabula.iso" -b "$top/build-werror"
echo "=== e2e: live image under UEFI with a TPM (swtpm): enrol, a changed boot, another PC"
e2e_run e2e-tpm "$top/tests/e2e/e2e-tpm.sh" -i "$top/build-werror/tabula.iso" -b "$top/build-werror"
echo "=== e2e: live image, a squashfs changed on the stick does not boot (dm-verity)"
e2e_run e2e-verity "$top/tests/e2e/e2e-verity.sh" -i "$top/build-werror/tabula.iso"
echo "=== e2e: live image, the station driven over the serial console through one erase"
e2e_run e2e-interactive "$top/tests/e2e/e2e-interactive.sh" -i "$top/build-werror/tabula.iso" -b "$top/build-werror"
if [ "$quick" = no ]; then
	run_check "asan+ubsan" "$top/build-asan" --enable-asan --enable-werror CC=gcc
	echo "=== distcheck"
	# The QEMU guest tests ran above on this very tree; the distribution check skips them.
	if TABULA_SKIP_QEMU=1 make -C "$top/build-werror" -s distcheck \
		DISTCHECK_CONFIGURE_FLAGS=--enable-werror; then
		report row distcheck "make distcheck" PASS "" "$results"
	else
		status=1
		report row distcheck "make distcheck" FAIL "" "$results"
	fi
fi
report summary "$results" || status=1
rm -f "$results" "$results".*.log
echo "=== tests finished in $(( $(date +%s) - start )) s: $([ $status = 0 ] && echo PASS || echo FAIL)"
exit $status
