#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Build the libFuzzer targets with clang (ASan + UBSan) and run each for a
# bounded time with a seed corpus from tests/fixtures. Crashes are saved under
# the work directory and fail the run.
# Usage: tests/fuzz/run.sh BUILDDIR [SECONDS_PER_TARGET]   (`make fuzz`)
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:?builddir}
secs=${2:-30}
command -v clang >/dev/null || { echo "SKIP: clang not installed"; exit 77; }
W=$build/fuzz
mkdir -p "$W"
CFLAGS="-g -O1 -std=gnu11 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -I$top -I$build"
WIPER_SRC="wiper/ata-identify.c wiper/nvme-identify.c wiper/sense.c wiper/ata-sanitize.c wiper/nvme-cmd.c wiper/scsi-cmd.c wiper/scsi-inquiry.c wiper/smart.c wiper/devview.c wiper/disk.c wiper/exclude.c"
declare -A SRC=(
	[identify]="tests/fuzz/fuzz-identify.c wiper/ata-identify.c wiper/nvme-identify.c"
	[sense]="tests/fuzz/fuzz-sense.c wiper/sense.c wiper/ata-sanitize.c wiper/nvme-cmd.c wiper/scsi-cmd.c wiper/scsi-inquiry.c wiper/smart.c"
	[sysview]="tests/fuzz/fuzz-sysview.c wiper/devview.c wiper/disk.c wiper/exclude.c"
	[record]="tests/fuzz/fuzz-record.c certs/record.c certs/canon.c"
)
declare -A LIBS=([identify]="" [sense]="-latasmart" [sysview]="" [record]="")
declare -A SEEDS=(
	[identify]="tests/fixtures/ata tests/fixtures/nvme"
	[sense]="tests/fixtures/scsi"
	[sysview]="tests/fixtures/devviews"
	[record]=""
)
: "$WIPER_SRC"
fail=0
for t in identify sense sysview record; do
	src=()
	for f in ${SRC[$t]}; do src+=("$top/$f"); done
	# shellcheck disable=SC2086
	if ! clang $CFLAGS -o "$W/fuzz-$t" "${src[@]}" ${LIBS[$t]} 2>"$W/fuzz-$t.build.log"; then
		echo "FAIL: building fuzz-$t (see $W/fuzz-$t.build.log)"; tail -5 "$W/fuzz-$t.build.log"; fail=1; continue
	fi
	corpus=$W/corpus-$t
	mkdir -p "$corpus"
	for d in ${SEEDS[$t]}; do cp -n "$top/$d"/* "$corpus/" 2>/dev/null || true; done
	if "$W/fuzz-$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 \
		-artifact_prefix="$W/crash-$t-" "$corpus" >"$W/fuzz-$t.log" 2>&1; then
		echo "PASS: fuzz-$t: $(grep -o 'Done [0-9]* runs' "$W/fuzz-$t.log" | tail -1) in ${secs}s"
	else
		echo "FAIL: fuzz-$t found a problem:"; grep -E "ERROR|SUMMARY|artifact" "$W/fuzz-$t.log" | head -5; fail=1
	fi
done
exit $fail
