#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The certs program end to end on real files: issue (destroy records), verify,
# list, show, find, pdf, register, export, merge, tampering, usage errors.
set -u

CERTS="${top_builddir:-.}/certs/certs"
[ -x "$CERTS" ] || { echo "SKIP: $CERTS not built"; exit 77; }
T=$(mktemp -d /tmp/tabula-certs-cli.XXXXXX)
trap 'rm -rf "$T"' EXIT
fails=0

ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }

# expect STATUS DESCRIPTION CMD...: run, compare the exit status.
expect() {
	want=$1; what=$2; shift 2
	"$@" >"$T/out" 2>"$T/err"
	got=$?
	if [ "$got" = "$want" ]; then ok "$what"; else bad "$what (exit $got, wanted $want)"; cat "$T/out" "$T/err"; fi
}

L="$T/station.db"
for i in 1 2 3; do
	expect 0 "destroy record $i" "$CERTS" destroy "$L" --station ST01 --serial "SN-$i" \
		--model "Kingston DT $i" --technique Shred --operator "Li Wei" --witness "Anna Berg" \
		--property "INV-$i" --details "HSM shredder, 2 mm" --time "2026-11-0${i}T10:00:00Z"
done
[ -f "$T/ST01-000002.pdf" ] && ok "PDF written next to the ledger" || bad "PDF missing"
[ "$(stat -c %a "$L.key")" = 600 ] && ok "key file mode 0600" || bad "key file mode"

expect 0 "verify untouched ledger" "$CERTS" verify "$L"
grep -q "OK: 3 records" "$T/out" && ok "verify counts 3 records" || bad "verify output: $(cat "$T/out")"
expect 0 "verify --every-signature" "$CERTS" verify --every-signature "$L"
expect 0 "verify --quick (old option, same check)" "$CERTS" verify --quick "$L"
expect 0 "verify --deep" "$CERTS" verify "$L" --deep

expect 0 "list" "$CERTS" list "$L"
grep -q "SN-2" "$T/out" && ok "list shows serial" || bad "list output"
expect 0 "list --json" "$CERTS" list "$L" --json
if command -v jq >/dev/null; then
	[ "$(jq length "$T/out")" = 3 ] && ok "list --json parses, 3 entries" || bad "list --json"
fi
expect 0 "show 2" "$CERTS" show "$L" 2
grep -q "Shred" "$T/out" && ok "show names the technique" || bad "show output"
expect 0 "show by number" "$CERTS" show "$L" ST01-000003
expect 0 "find --serial" "$CERTS" find "$L" --serial SN-3
grep -q "ST01-000003" "$T/out" && ok "find finds it" || bad "find output"
expect 1 "find unknown serial" "$CERTS" find "$L" --serial NOPE

expect 0 "pdf re-render" "$CERTS" pdf "$L" 2 -o "$T/again.pdf"
cmp -s "$T/again.pdf" "$T/ST01-000002.pdf" && ok "re-rendered PDF equals the issued one" || bad "re-render differs"
# Trust: only a station the records office enrolled is genuine.
expect 0 "trust fingerprint" "$CERTS" trust fingerprint "$L"
FP=$(cut -d' ' -f1 "$T/out")
[ ${#FP} = 64 ] && ok "fingerprint is 64 hex digits" || bad "fingerprint: $(cat "$T/out")"
R="$T/registry.db"
expect 0 "trust add" "$CERTS" trust add "$R" "$FP" --name "Desk 1, disposal room"
expect 1 "trust add twice refused" "$CERTS" trust add "$R" "$FP" --name "again"
expect 0 "trust list" "$CERTS" trust list "$R"
grep -q "^$FP  enrolled  Desk 1" "$T/out" && grep -q "trust log of 1 entry, head" "$T/out" &&
	ok "trust list shows the station and the log head" || bad "trust list: $(cat "$T/out")"
expect 2 "trust add without --name" "$CERTS" trust add "$R" "$FP"
expect 2 "trust add with a short fingerprint" "$CERTS" trust add "$R" abc123 --name X
expect 0 "verify --pdf --trust with ledger" "$CERTS" verify --pdf "$T/ST01-000002.pdf" --trust "$R" "$L"
grep -q "GENUINE: certificate ST01-000002" "$T/out" && ok "enrolled station: GENUINE" || bad "verify: $(cat "$T/out")"
expect 0 "verify --pdf --trust alone" "$CERTS" verify --pdf "$T/ST01-000002.pdf" --trust "$R"
expect 1 "verify --pdf without --trust is not genuine" "$CERTS" verify --pdf "$T/ST01-000002.pdf" "$L"
grep -q "STATION NOT CHECKED" "$T/out" && ! grep -q GENUINE "$T/out" && ok "no registry: station not checked" || bad "verify: $(cat "$T/out")"
expect 0 "verify LEDGER --trust" "$CERTS" verify "$L" --trust "$R"
grep -q "TRUSTED" "$T/out" && ok "ledger stations all enrolled" || bad "verify: $(cat "$T/out")"
expect 0 "verify LEDGER --pdfs" "$CERTS" verify "$L" --pdfs "$T"
grep -q "4 certificate PDFs" "$T/out" && ok "--pdfs checks the 3 PDFs and the re-rendered copy" || bad "--pdfs: $(cat "$T/out")"
cp "$T/ST01-000002.pdf" "$T/tampered.pdf"
# Invert one byte (whatever it was, it changes).
b=$(od -An -tu1 -j2000 -N1 "$T/tampered.pdf" | tr -d ' ')
printf "\\$(printf %03o $((255 - b)))" | dd of="$T/tampered.pdf" bs=1 seek=2000 conv=notrunc 2>/dev/null
cmp -s "$T/tampered.pdf" "$T/ST01-000002.pdf" && bad "the tampered copy is unchanged"
expect 1 "tampered PDF fails verify" "$CERTS" verify --pdf "$T/tampered.pdf" "$L"
grep -q "NOT GENUINE" "$T/out" && ok "tampered PDF named NOT GENUINE" || bad "tampered output"

if command -v pdftotext >/dev/null; then
	pdftotext "$T/ST01-000001.pdf" "$T/c.txt"
	for w in ST01-000001 SN-1 Shred DESTROYED "Li Wei" "Anna Berg"; do
		grep -q "$w" "$T/c.txt" && ok "pdftotext finds $w" || bad "pdftotext lacks $w"
	done
fi

expect 0 "register" "$CERTS" register "$L" --from 2026-11-01 --to 2026-11-02 -o "$T/reg.pdf"
if command -v pdftotext >/dev/null; then
	pdftotext -layout "$T/reg.pdf" "$T/reg.txt"
	grep -q "SN-2" "$T/reg.txt" && ! grep -q "SN-3" "$T/reg.txt" && ok "register holds the period only" || bad "register content"
fi

# Several stations into one registry.
L2="$T/station2.db"
expect 0 "second station" "$CERTS" destroy "$L2" --station ST02 --serial "SN-B" --technique Disintegrate \
	--operator "Wang Fang" --witness "Anna Berg" -o "$T"
expect 0 "export" "$CERTS" export "$L" -o "$T/export.db"
expect 0 "export --upto" "$CERTS" export "$L" -o "$T/prefix.db" --upto 2
expect 0 "verify export prefix" "$CERTS" verify "$T/prefix.db"
grep -q "EXPORT: a copy cut at record 2" "$T/out" && ok "the prefix says it is an export cut at 2" || bad "export: $(cat "$T/out")"
expect 1 "merge refuses an unenrolled station" "$CERTS" merge "$T/registry.db" "$L2"
grep -q "ST02.*not enrolled" "$T/err" && ok "merge names the unenrolled station" || bad "merge: $(cat "$T/err")"
expect 0 "trust fingerprint of station 2" "$CERTS" trust fingerprint "$L2"
FP2=$(cut -d' ' -f1 "$T/out")
expect 0 "enrol station 2" "$CERTS" trust add "$R" "$FP2" --name "Desk 2"
expect 0 "merge" "$CERTS" merge "$T/registry.db" "$T/prefix.db" "$T/export.db" "$L2"
expect 1 "merge refuses the export cut at 2 once the registry holds 3" "$CERTS" merge --into "$R" "$T/prefix.db"
grep -q "ends at record 2 (ST01-000002) but the registry already holds up to record 3 (ST01-000003).*export cut at record 2" "$T/err" &&
	ok "merge names the cut" || bad "merge: $(cat "$T/err")"
expect 0 "revoke station 2" "$CERTS" trust revoke "$R" "$FP2" --reason "stolen"
expect 1 "verify --trust of station 2 after revocation" "$CERTS" verify "$L2" --trust "$R"
grep -q "revoked on .*: stolen" "$T/out" && ok "revoked station named" || bad "revoked: $(cat "$T/out")"
expect 0 "verify registry" "$CERTS" verify "$T/registry.db"
grep -q "4 records, 2 stations" "$T/out" && ok "registry holds both chains" || bad "registry: $(cat "$T/out")"
expect 0 "show in registry by number" "$CERTS" show "$T/registry.db" ST02-000001
grep -q "Operator  *Wang Fang$" "$T/out" && ! grep -q "()\|(, \|, )" "$T/out" &&
	ok "show leaves out empty role and organisation" || bad "show: $(cat "$T/out")"

# Tampering with the station ledger.
if command -v sqlite3 >/dev/null; then
	cp "$L" "$T/t.db"; cp "$L.key" "$T/t.db.key"
	sqlite3 "$T/t.db" "DROP TRIGGER records_no_update; UPDATE records SET record = replace(record, 'SN-2', 'SN-9') WHERE seq = 2;"
	expect 1 "altered record fails verify" "$CERTS" verify "$T/t.db"
	grep -q "record 2" "$T/out" && ok "verify names record 2" || bad "verify output: $(cat "$T/out")"
	expect 1 "merge refuses a ledger that does not verify" "$CERTS" merge "$T/registry.db" "$T/t.db"
fi

# Usage errors: exit 2, one line on stderr.
for args in "" "frobnicate" "verify" "verify a b" "pdf x" "register x --from 2026-01-01" \
	    "show" "list --bogus x" "destroy x --serial s" "merge x" "register x --from bad --to bad -o f"; do
	# shellcheck disable=SC2086
	"$CERTS" $args >/dev/null 2>"$T/err"
	st=$?
	if [ "$st" = 2 ] && [ "$(wc -l <"$T/err")" = 1 ]; then ok "usage error: certs $args"; else bad "usage error: certs $args (exit $st)"; cat "$T/err"; fi
done

[ "$fails" = 0 ] || { echo "$fails failure(s)"; exit 1; }
exit 0
