#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Build the libFuzzer targets with clang (ASan + UBSan, leak detection on),
# replay every input in tests/fuzz/regressions, then run each target for a
# bounded time from its seed corpus (tests/fixtures and tests/fuzz/seeds).
# Any crash, leak, UB report, timeout or build warning fails the run; what
# the fuzzer found is saved under BUILDDIR/fuzz as crash-TARGET-*.
#
# Usage: tests/fuzz/run.sh BUILDDIR [SECONDS_PER_TARGET]   (`make fuzz`)
# Environment:
#   FUZZ_TARGETS="a b"   only these targets (names as in the list below)
#   FUZZ_RUNS=N          also stop each target after N executions
#   FUZZ_REPLAY_ONLY=1   build and replay the regression inputs, no fuzzing
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:?builddir}
secs=${2:-30}
command -v clang >/dev/null || { echo "SKIP: clang not installed"; exit 77; }
W=$build/fuzz
mkdir -p "$W"
WARN="-Wall -Wextra -Wformat=2 -Wshadow -Wpointer-arith -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter -Wvla -Werror"
CFLAGS="-g -O1 -std=gnu11 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined $WARN -I$top -I$build"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# One parser (or one family of pages read the same way) per target.
ALL="ata-identify ata-smart nvme-identify nvme-log sense scsi-vpd devview mountinfo swaps record config bootopts key ledger pdf-verify"
CERTS_CORE="wiper/base/base.c certs/canon.c certs/record.c certs/record-job.c certs/record-codec.c certs/policy.c certs/validate.c certs/chain.c certs/ledger.c certs/ledger-append.c certs/ledger-read.c certs/ledger-verify.c certs/ledger-verify-file.c certs/ledger-wal.c certs/ledger-jobs.c certs/ledger-trust.c certs/custody.c"
CERTS_LIBS=""
# The ledger signs through the key custody; with tpm2-tss configured, that includes the TPM backend.
if grep -q "define HAVE_TPM 1" "$build/config.h" 2>/dev/null; then
	CERTS_CORE="$CERTS_CORE certs/custody-tpm.c certs/custody-tpm-enrol.c"
	CERTS_LIBS=$(pkg-config --libs tss2-esys tss2-tctildr tss2-rc tss2-mu)
fi
declare -A SRC=(
	[ata-identify]="wiper/base/base.c wiper/ata-identify.c"
	[ata-smart]="wiper/smart.c"
	[nvme-identify]="wiper/base/base.c wiper/nvme-identify.c"
	[nvme-log]="wiper/nvme-cmd.c wiper/smart.c"
	[sense]="wiper/sense.c wiper/ata-sanitize.c"
	[scsi-vpd]="wiper/base/base.c wiper/scsi-inquiry.c wiper/scsi-cmd.c"
	[devview]="wiper/base/base.c wiper/devview.c wiper/disk.c wiper/exclude.c"
	[mountinfo]="wiper/base/base.c wiper/exclude.c wiper/disk.c wiper/devview.c"
	[swaps]="wiper/base/base.c wiper/exclude.c wiper/disk.c wiper/devview.c"
	[record]="wiper/base/base.c certs/record.c certs/record-job.c certs/record-codec.c certs/canon.c"
	[config]="ui-ncurses/station/config.c"
	[bootopts]="ui-ncurses/station/bootopts.c"
	[key]="certs/chain.c"
	[ledger]="$CERTS_CORE"
	[pdf-verify]="$CERTS_CORE certs/pdf/labels.c certs/pdf/draw.c certs/pdf/font.c certs/pdf/cert.c certs/pdf/verify.c certs/pdf/register.c certs/fileio.c certs/qrcode.c certs/trust.c"
)
declare -A LIBS=(
	[ata-smart]="-latasmart"
	[nvme-log]="-latasmart"
	[key]="-lcrypto"
	[ledger]="-lsqlite3 -lcrypto -pthread $CERTS_LIBS"
	[pdf-verify]="-lsqlite3 -lcrypto -lhpdf $(pkg-config --cflags --libs harfbuzz-subset) -lqrencode -lm -pthread $CERTS_LIBS"
)
declare -A SEEDS=(
	[ata-identify]="tests/fixtures/ata"
	[nvme-identify]="tests/fixtures/nvme"
	[scsi-vpd]="tests/fixtures/scsi/*.bin"
	[devview]="tests/fixtures/devviews/*.view"
	[mountinfo]="tests/fixtures/devviews/*.mountinfo"
	[swaps]="tests/fixtures/devviews/*.swaps"
)
targets=${FUZZ_TARGETS:-$ALL}
runs=()
[ -n "${FUZZ_RUNS:-}" ] && runs=(-runs="$FUZZ_RUNS")
fail=0
for t in $targets; do
	[ -n "${SRC[$t]:-}" ] || { echo "FAIL: no fuzz target '$t' (have: $ALL)"; fail=1; continue; }
	src=("$top/tests/fuzz/fuzz-$t.c")
	for f in ${SRC[$t]}; do src+=("$top/$f"); done
	# shellcheck disable=SC2086
	if ! clang $CFLAGS -o "$W/fuzz-$t" "${src[@]}" ${LIBS[$t]:-} >"$W/fuzz-$t.build.log" 2>&1; then
		echo "FAIL: building fuzz-$t (see $W/fuzz-$t.build.log)"; tail -5 "$W/fuzz-$t.build.log"; fail=1; continue
	fi

	# Inputs that once failed must keep passing.
	reg=()
	for f in "$top/tests/fuzz/regressions/$t"-*; do [ -f "$f" ] && reg+=("$f"); done
	if [ ${#reg[@]} -gt 0 ]; then
		if "$W/fuzz-$t" -timeout=10 -rss_limit_mb=2048 "${reg[@]}" >"$W/fuzz-$t.replay.log" 2>&1; then
			echo "PASS: fuzz-$t replays ${#reg[@]} regression input(s)"
		else
			echo "FAIL: fuzz-$t on a regression input:"; grep -E "ERROR|SUMMARY|Running" "$W/fuzz-$t.replay.log" | tail -5; fail=1; continue
		fi
	fi
	[ -n "${FUZZ_REPLAY_ONLY:-}" ] && continue

	corpus=$W/corpus-$t
	mkdir -p "$corpus"
	for d in ${SEEDS[$t]:-} "tests/fuzz/seeds/$t"; do
		for f in "$top"/$d; do
			if [ -d "$f" ]; then cp -n "$f"/* "$corpus/" 2>/dev/null || true
			elif [ -f "$f" ]; then cp -n "$f" "$corpus/"; fi
		done
	done
	if "$W/fuzz-$t" -max_total_time="$secs" "${runs[@]}" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$W/crash-$t-" "$corpus" >"$W/fuzz-$t.log" 2>&1; then
		echo "PASS: fuzz-$t: $(grep -o 'Done [0-9]* runs in [0-9]* second(s)' "$W/fuzz-$t.log" | tail -1)," \
		     "$(sed -n 's/^stat::average_exec_per_sec: *\([0-9]*\)/\1 exec\/s/p' "$W/fuzz-$t.log")"
	else
		echo "FAIL: fuzz-$t found a problem:"; grep -E "ERROR|SUMMARY|artifact" "$W/fuzz-$t.log" | head -5; fail=1
	fi
done
exit $fail
