#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The outcome of every test of a scripts/test.sh run, and the skip rule.
#   test-report.sh collect RUN BUILDDIR RESULTS   every make check test of BUILDDIR
#   test-report.sh row RUN TEST OUTCOME REASON RESULTS   one more (e2e, distcheck)
#   test-report.sh summary RESULTS                print the table; under CI=true,
#       exit 1 when a test skipped (wholly or in part) without an entry in
#       tests/ci-skips.list, the one list of what may skip because it cannot
#       exist on a CI machine.
# RESULTS holds one line per test: RUN<TAB>TEST<TAB>OUTCOME<TAB>REASON, where
# OUTCOME is PASS, FAIL, SKIP or PART (passed, but some of its checks skipped,
# REASON says which).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
list="$top/tests/ci-skips.list"

# The first skip line a test printed, trimmed.
skip_reason() {
	grep -m1 -E '^(SKIP|skip)[: ]|\[  SKIPPED \]' "$1" 2>/dev/null |
		sed -E 's/^(SKIP|skip):? *//; s/\[  SKIPPED \] *//' | tr '\t' ' ' | cut -c1-160 || true
}

collect() {
	local run=$1 dir=$2 out=$3 trs t res log why
	while IFS= read -r trs; do
		t=${trs#"$dir"/}; t=${t%.trs}
		log=${trs%.trs}.log
		res=$(sed -n 's/^:test-result: *//p' "$trs" | sort -u | tr '\n' ' ')
		case $res in
		*FAIL*|*ERROR*|*XPASS*) res=FAIL ;;
		*SKIP*) res=SKIP ;;
		*PASS*|*XFAIL*) res=PASS ;;
		*) res=FAIL ;;
		esac
		why=
		if [ "$res" = SKIP ] || [ "$res" = PASS ]; then
			why=$(skip_reason "$log")
			[ "$res" = PASS ] && [ -n "$why" ] && res=PART
		fi
		printf '%s\t%s\t%s\t%s\n' "$run" "$t" "$res" "$why" >>"$out"
	done < <(find "$dir" -name '*.trs' -not -path '*/_build/*' -not -path '*/tabula-*/*' | sort)
}

# The reason tests/ci-skips.list gives for RUN's TEST skipping (the list:
# RUN-or-* TEST WHY...); exit 1 when it lists no such entry.
allowed() {
	[ -f "$list" ] || return 1
	awk -v r="$1" -v t="${2%.sh}" '!/^#/ && NF >= 3 && ($1 == r || $1 == "*") && ($2 == t || $2 == t ".sh") {
		$1 = $2 = ""; sub(/^ +/, ""); print; f = 1; exit } END { exit !f }' "$list"
}

summary() {
	local out=$1 bad=0 run t res why n
	echo "=== outcome of every test"
	printf '%-12s %-50s %-5s %s\n' RUN TEST "" "SKIPPED BECAUSE"
	while IFS=$'\t' read -r run t res why; do
		printf '%-12s %-50s %-5s %s\n' "$run" "$t" "$res" "$why"
	done <"$out"
	for res in PASS PART SKIP FAIL; do
		n=$(awk -F'\t' -v r="$res" '$3 == r' "$out" | wc -l)
		printf '%s %s  ' "$n" "$res"
	done
	echo
	if [ "${CI:-}" = true ]; then
		while IFS=$'\t' read -r run t res why; do
			case $res in SKIP|PART) ;; *) continue ;; esac
			if listed=$(allowed "$run" "$t"); then
				echo "allowed skip ($run): $t: $why [tests/ci-skips.list: $listed]"
			else
				echo "FAIL: $t skipped under CI ($run): ${why:-no reason printed} (not in tests/ci-skips.list: install what it needs in scripts/deps.sh, or list it there with the reason it cannot run here)"
				bad=1
			fi
		done <"$out"
	fi
	return $bad
}

case ${1:-} in
collect) collect "$2" "$3" "$4" ;;
row) printf '%s\t%s\t%s\t%s\n' "$2" "$3" "$4" "$5" >>"$6" ;;
summary) summary "$2" ;;
*) echo "usage: test-report.sh collect|row|summary ..." >&2; exit 2 ;;
esac
