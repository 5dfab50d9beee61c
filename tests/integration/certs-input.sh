#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Bad input, output paths and paper, end to end with the certs program:
#  - invalid UTF-8, control, bidi and invisible characters, empty and
#    overlong values, the same person twice, absurd dates, in every field of
#    certs destroy: exit 2, one line, nothing written, the ledger unchanged
#    and still verifying;
#  - ledgers that are no file (symlink, :memory:, "", a directory, a device);
#  - -o over the ledger, its WAL/SHM, its key, a hard link or another
#    spelling of it, a device: refused even with --force;
#  - stored text (a ledger altered with sqlite3) shown escaped, JSON valid;
#  - the certificate's QR code scanned with zbarimg from a 150 dpi rendering
#    and checked with certs verify --qr; the register signed and verified, a
#    tampered one and a cut ledger refused.
set -u
# The bad values below are written as \u escapes, which bash encodes in the locale's charset
# when it reads them: run in a UTF-8 locale from the start (a fresh machine may have none set).
[ "${LC_ALL:-}" = C.UTF-8 ] || exec env LC_ALL=C.UTF-8 bash "$0" "$@"

CERTS="${top_builddir:-.}/certs/certs"
[ -x "$CERTS" ] || { echo "SKIP: $CERTS not built"; exit 77; }
T=$(mktemp -d /tmp/tabula-certs-input.XXXXXX)
LOOP=""
cleanup() {
	# Only the loop device this test attached, over its own file.
	if [ -n "$LOOP" ] && [ "$(cat "/sys/block/${LOOP#/dev/}/loop/backing_file" 2>/dev/null)" = "$T/blk.img" ]; then
		losetup -d "$LOOP"
	fi
	rm -rf "$T"
}
trap cleanup EXIT
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

# refused DESCRIPTION CMD...: exit 2 with exactly one line on stderr.
refused() {
	what=$1; shift
	"$@" >"$T/out" 2>"$T/err"
	got=$?
	if [ "$got" = 2 ] && [ "$(wc -l <"$T/err")" = 1 ]; then
		ok "refused: $what: $(cat "$T/err")"
	else
		bad "$what (exit $got, wanted 2 with one line)"; cat "$T/out" "$T/err"
	fi
}

L="$T/ledger.db"
D=(--station ST01 --technique Shred --operator "Li Wei" --witness "Anna Berg" -o "$T/pdf")
mkdir "$T/pdf"
expect 0 "first record" "$CERTS" destroy "$L" "${D[@]}" --serial SN-1 --model "Kingston DT" \
	--time 2026-11-01T10:00:00Z
state() { sha256sum "$L" "$L.key" 2>/dev/null; ls "$T/pdf"; "$CERTS" list "$L" --json; }
state >"$T/before"

# Every field, every kind of bad value.
long=$(printf 'x%.0s' $(seq 130))
longer=$(printf 'y%.0s' $(seq 600))
for opt in serial model make media-type property owner classification technique details \
	   operator operator-role witness witness-role organization station; do
	for kind in utf8 control escape bidi isolate mark separator bom overlong; do
		case $kind in
		utf8) v=$'Bad\xff\xfeValue' ;;
		control) v=$'Bad\x01Value' ;;
		escape) v=$'Bad\x1b[2JValue' ;;
		bidi) v=$'Bad\u202eValue' ;;
		isolate) v=$'Bad\u2066Value' ;;
		mark) v=$'Bad\u200fValue' ;;
		separator) v=$'Bad\u2028Value' ;;
		bom) v=$'Bad\ufeffValue' ;;
		overlong) v=$long; [ "$opt" = details ] && v=$longer ;;
		esac
		refused "--$opt $kind" "$CERTS" destroy "$L" "${D[@]}" --serial SN-2 "--$opt" "$v"
	done
done
refused "empty operator" "$CERTS" destroy "$L" "${D[@]}" --serial SN-2 --operator ""
refused "blank witness" "$CERTS" destroy "$L" "${D[@]}" --serial SN-2 --witness "   "
refused "empty serial" "$CERTS" destroy "$L" "${D[@]}" --serial ""
refused "the witness is the operator" "$CERTS" destroy "$L" "${D[@]}" --serial SN-2 --witness " li  WEI "
refused "newline in details" "$CERTS" destroy "$L" "${D[@]}" --serial SN-2 --details $'two\nlines'
refused "1970" "$CERTS" destroy "$L" "${D[@]}" --serial SN-2 --time 1970-01-01T00:00:00Z
refused "2999" "$CERTS" destroy "$L" "${D[@]}" --serial SN-2 --time 2999-01-01T00:00:00Z
refused "station id with a slash" "$CERTS" destroy "$L" "${D[@]}" --serial SN-2 --station "../ST"
if command -v faketime >/dev/null && faketime '2019-06-01 08:00:00' true 2>/dev/null; then
	# faketime preloads itself: under ASan the runtime must be told not to insist on coming first.
	refused "a station clock in 2019" env ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
		faketime '2019-06-01 08:00:00' "$CERTS" destroy "$L" "${D[@]}" --serial SN-2
	grep -q "station's clock says 2019-06-01" "$T/err" && ok "the clock is named" || bad "clock: $(cat "$T/err")"
else
	echo "SKIP: the station clock check (faketime not installed)"
fi
state >"$T/after"
cmp -s "$T/before" "$T/after" && ok "ledger, key and PDFs unchanged by every refusal" ||
	{ bad "a refusal changed something"; diff "$T/before" "$T/after"; }
expect 0 "ledger still verifies (deep)" "$CERTS" verify --deep "$L"

# Ledgers that are no file: refused before anything is made.
ln -s "$L" "$T/link.db"
mkdir "$T/dir.db"
for l in "$T/link.db" ":memory:" "" "$T/dir.db" /dev/null "$T/no/such/dir/l.db" "file:x.db"; do
	refused "ledger '$l'" "$CERTS" destroy "$l" "${D[@]}" --serial SN-3
done
[ ! -e "$T/no" ] && [ ! -e "file:x.db" ] && [ ! -e ":memory:" ] && ok "no ledger was created" || bad "a ledger file appeared"
rm -f "$L.key.bak"; cp -p "$L.key" "$T/key.bak"; mv "$L.key" "$T/moved.key"
refused "ledger whose key is missing" "$CERTS" destroy "$L" "${D[@]}" --serial SN-3
mv "$T/moved.key" "$L.key"
ln -s "$L" "$T/rl.db"
refused "recover on a symlinked ledger" "$CERTS" recover "$T/rl.db"

# Outputs never overwrite records.
mkdir "$T/x"
ln "$L" "$T/hard.db"
for o in "$L" "$L-wal" "$L-shm" "$L.key" "$T/x/../ledger.db" "$T/hard.db" /dev/null "$T/x"; do
	refused "pdf -o $o --force" "$CERTS" pdf "$L" 1 -o "$o" --force
done
refused "register -o LEDGER.key --force" "$CERTS" register "$L" --from 2026-11-01 --to 2026-11-30 -o "$L.key" --force
refused "export -o LEDGER" "$CERTS" export "$L" -o "$L"
refused "export -o LEDGER-wal" "$CERTS" export "$L" -o "$L-wal"
expect 0 "pdf -o new file" "$CERTS" pdf "$L" 1 -o "$T/copy.pdf"
refused "pdf -o existing file without --force" "$CERTS" pdf "$L" 1 -o "$T/copy.pdf"
expect 0 "pdf -o existing file with --force" "$CERTS" pdf "$L" 1 -o "$T/copy.pdf" --force
cmp -s "$L.key" "$T/key.bak" && ok "key unchanged" || bad "key changed"
expect 0 "ledger still verifies after the -o attempts" "$CERTS" verify "$L"
if [ "$(id -u)" = 0 ] && [ -e /dev/loop-control ] && command -v losetup >/dev/null; then
	truncate -s 1M "$T/blk.img"
	LOOP=$(losetup -f --show "$T/blk.img") || LOOP=""
fi
if [ -n "$LOOP" ] && [ -b "$LOOP" ]; then
	refused "pdf -o BLOCKDEV --force" "$CERTS" pdf "$L" 1 -o "$LOOP" --force
	refused "destroy into a block device ledger" "$CERTS" destroy "$LOOP" "${D[@]}" --serial SN-4
	cmp -s "$LOOP" <(head -c 1M /dev/zero) && ok "the loop device is untouched" || bad "the loop device was written"
	[ -b "$LOOP" ] && ok "the loop device is still a block device" || bad "loop device node replaced"
	# wiper erase notes its job (certs_job_begin, which runs the preflight) before the first
	# write: with a ledger or people that cannot take the certificate, the medium is not touched.
	WIPER="${top_builddir:-.}/wiper/wiper"
	if [ -x "$WIPER" ] && [ "$(cat "/sys/block/${LOOP#/dev/}/loop/backing_file")" = "$T/blk.img" ]; then
		head -c 1M /dev/zero | tr '\0' '\253' >"$T/pattern"
		dd if="$T/pattern" of="$LOOP" bs=1M oflag=direct 2>/dev/null
		E=(erase --yes --method zero --verify none)
		for l in "$T/link.db" "" ":memory:" /dev/null "$T/dir.db" "$LOOP"; do
			"$WIPER" "${E[@]}" --ledger "$l" --operator "Li Wei" --witness "Anna Berg" "$LOOP" >"$T/out" 2>"$T/err"
			st=$?
			cmp -s "$LOOP" "$T/pattern" && [ "$st" != 0 ] && ok "wiper erase --ledger '$l' refused, medium untouched: $(tail -1 "$T/err")" ||
				bad "wiper erase --ledger '$l' (exit $st) touched the medium"
		done
		for who in "--witness li\ wei" "--witness Anna$'\x1b'Berg" "--operator Li$'\xff'Wei"; do
			eval "set -- $who"
			"$WIPER" "${E[@]}" --ledger "$T/w.db" --operator "Li Wei" --witness "Anna Berg" "$@" "$LOOP" >"$T/out" 2>"$T/err"
			st=$?
			cmp -s "$LOOP" "$T/pattern" && [ "$st" != 0 ] && ok "wiper erase $who refused, medium untouched: $(tail -1 "$T/err")" ||
				bad "wiper erase $who (exit $st) touched the medium"
		done
		[ ! -e "$T/w.db" ] && ok "no ledger was made for the refused erases" || bad "a refused erase made $T/w.db"
	fi
else
	echo "SKIP: block device refusals (needs root and loop devices)"
fi

# Stored text from a ledger altered behind Tabula's back: shown escaped.
if command -v sqlite3 >/dev/null; then
	cp "$L" "$T/poison.db"
	sqlite3 "$T/poison.db" "INSERT INTO records SELECT fp, 2, 'ST01-000002', 'SNX', ended, issued,
		replace(CAST(record AS TEXT), '\"SN-1\"', '\"SN\\u001b[2J' || char(8238) || '\"'),
		prev_hash, hash, sig FROM records WHERE seq = 1;
		INSERT INTO records SELECT fp, 3, 'ST01-000003' || CAST(X'FF' AS TEXT), 'SNY', ended, issued,
		record, prev_hash, hash, sig FROM records WHERE seq = 1;"
	# Every reader checks each row against its signed record: the altered rows are refused, and
	# what is said of them is escaped.
	expect 1 "list refuses the altered ledger" "$CERTS" list "$T/poison.db"
	if cat "$T/out" "$T/err" | grep -q $'\x1b' || cat "$T/out" "$T/err" | grep -q $'\u202e'; then
		bad "list printed a raw control or bidi character"
	else
		ok "list shows no raw control or bidi character"
	fi
	grep -q "record 2" "$T/err" && ok "list names the altered record" || bad "list: $(cat "$T/out" "$T/err")"
	expect 1 "show refuses the altered record" "$CERTS" show "$T/poison.db" 2
	cat "$T/out" "$T/err" | grep -q $'\x1b' && bad "show printed a raw escape" || ok "show escapes it"
	expect 1 "list --json refuses it too" "$CERTS" list "$T/poison.db" --json
	iconv -f UTF-8 -t UTF-8 "$T/out" >/dev/null 2>&1 && ok "list --json output is valid UTF-8" || bad "list --json is not UTF-8"
	expect 1 "verify reports the altered ledger" "$CERTS" verify "$T/poison.db"
	grep -q "FAILED at record 2" "$T/out" && ok "verify names record 2" || bad "verify: $(cat "$T/out")"
	cp "$L" "$T/poison2.db"
	sqlite3 "$T/poison2.db" "INSERT INTO records SELECT fp, 2, 'ST01-000002', 'SNZ', ended, issued,
		CAST(replace(CAST(record AS TEXT), '\"SN-1\"', '\"SN' || CAST(X'FF' AS TEXT) || '\"') AS BLOB),
		prev_hash, hash, sig FROM records WHERE seq = 1;"
	expect 1 "show --json of a record that is not UTF-8" "$CERTS" show "$T/poison2.db" 2 --json
	[ ! -s "$T/out" ] && ok "nothing invalid went to stdout" || bad "show --json printed: $(od -c "$T/out" | head -3)"
else
	echo "SKIP: stored-text escaping (sqlite3 not installed)"
fi

# Paper that verifies: the QR code scans and verifies; the register is signed.
if command -v pdftoppm >/dev/null && command -v zbarimg >/dev/null; then
	pdftoppm -r 150 -png "$T/pdf/ST01-000001.pdf" "$T/scan" 2>/dev/null
	zbarimg -q --raw "$T/scan-1.png" >"$T/qr.txt" 2>/dev/null
	head -1 "$T/qr.txt" | grep -qx TABULA1 && ok "zbarimg reads the QR code at 150 dpi" || bad "QR: $(cat "$T/qr.txt")"
	grep -q "^NO=ST01-000001$" "$T/qr.txt" && grep -q "^SEQ=1$" "$T/qr.txt" && grep -q "^SIG=" "$T/qr.txt" &&
		ok "the QR code carries number, position and signature" || bad "QR content"
	# Only an enrolled station's QR code is genuine: the officer enrols ST01 in the registry.
	expect 1 "verify --qr against a registry that enrolled nobody" "$CERTS" verify --qr - --trust "$L" <"$T/qr.txt"
	"$CERTS" merge --into "$T/registry.db" "$L" >/dev/null 2>&1
	"$CERTS" trust add "$T/registry.db" "$("$CERTS" trust fingerprint "$L" | cut -d" " -f1)" --name "ST01 desk" >/dev/null ||
		bad "trust add"
	"$CERTS" merge --into "$T/registry.db" "$L" >/dev/null 2>&1 || bad "merge into the registry"
	REG=$T/registry.db
	expect 0 "verify --qr TEXT --trust REGISTRY" "$CERTS" verify --qr "$(cat "$T/qr.txt")" --trust "$REG"
	grep -q "GENUINE" "$T/out" && ok "the scanned QR code is GENUINE" || bad "qr: $(cat "$T/out")"
	expect 0 "verify --qr - (stdin)" "$CERTS" verify --qr - --trust "$REG" <"$T/qr.txt"
	expect 1 "verify --qr without a trust store" "$CERTS" verify --qr - <"$T/qr.txt"
	grep -q "SIGNATURE VALID, STATION NOT CHECKED" "$T/out" && ok "says the station was not checked" || bad "qr: $(cat "$T/out")"
	sed 's/^NO=ST01-000001$/NO=ST01-000007/' "$T/qr.txt" >"$T/qr2.txt"
	expect 1 "a QR code with another number" "$CERTS" verify --qr - --trust "$REG" <"$T/qr2.txt"
	# one character of the signature changed (t: once, not back again when it began with A)
	sed 's/^SIG=A/SIG=B/;t;s/^SIG=./SIG=A/' "$T/qr.txt" >"$T/qr3.txt"
	cmp -s "$T/qr.txt" "$T/qr3.txt" && bad "the signature was not changed"
	expect 1 "a QR code with another signature" "$CERTS" verify --qr - --trust "$REG" <"$T/qr3.txt"
	grep -q "NOT GENUINE" "$T/out" && ok "named NOT GENUINE" || bad "qr: $(cat "$T/out")"
	"$CERTS" destroy "$T/other.db" --station ST09 --technique Shred --operator "A B" --witness "C D" \
		--serial O-1 -o "$T/pdf" >/dev/null
	expect 1 "a QR code against another station's ledger" "$CERTS" verify --qr - --trust "$T/other.db" <"$T/qr.txt"
	refused "verify --qr with garbage" "$CERTS" verify --qr "hello"
else
	echo "SKIP: QR scanning (pdftoppm or zbarimg missing: apt-get install zbar-tools poppler-utils)"
fi

expect 0 "second record" "$CERTS" destroy "$L" "${D[@]}" --serial SN-2 --time 2026-11-02T10:00:00Z
expect 0 "register" "$CERTS" register "$L" --from 2026-11-01 --to 2026-11-30 -o "$T/reg.pdf"
[ ! -s "$T/err" ] && ok "register signed (no warning)" || bad "register: $(cat "$T/err")"
expect 1 "verify --pdf REGISTER without --trust" "$CERTS" verify --pdf "$T/reg.pdf"
grep -q "STATION NOT CHECKED" "$T/out" && ok "a register is not genuine without the registry" || bad "register: $(cat "$T/out")"
[ -f "$T/registry.db" ] || { "$CERTS" merge --into "$T/registry.db" "$L" >/dev/null 2>&1
	"$CERTS" trust add "$T/registry.db" "$("$CERTS" trust fingerprint "$L" | cut -d" " -f1)" --name "ST01 desk" >/dev/null; }
expect 0 "verify --pdf REGISTER --trust REGISTRY" "$CERTS" verify --pdf "$T/reg.pdf" --trust "$T/registry.db"
grep -q "GENUINE REGISTER" "$T/out" && ok "named GENUINE REGISTER" || bad "register: $(cat "$T/out")"
expect 0 "verify --pdf REGISTER --trust REGISTRY LEDGER" "$CERTS" verify --pdf "$T/reg.pdf" --trust "$T/registry.db" "$L"
cp "$T/reg.pdf" "$T/reg-t.pdf"
off=$(grep -abo '"serial":"SN-2"' "$T/reg-t.pdf" | head -1 | cut -d: -f1)
printf '9' | dd of="$T/reg-t.pdf" bs=1 seek=$((off + 14)) conv=notrunc 2>/dev/null
expect 1 "a register with a changed serial" "$CERTS" verify --pdf "$T/reg-t.pdf"
grep -q "NOT GENUINE" "$T/out" && ok "tampered register NOT GENUINE" || bad "register: $(cat "$T/out")"
expect 0 "export the first record only" "$CERTS" export "$L" -o "$T/cut.db" --upto 1
expect 1 "the register against a cut ledger" "$CERTS" verify --pdf "$T/reg.pdf" "$T/cut.db"
grep -q "cut or rolled back" "$T/out" && ok "the cut is named" || bad "register: $(cat "$T/out")"
expect 1 "the register against another station's ledger" "$CERTS" verify --pdf "$T/reg.pdf" "$T/other.db"
if command -v pdftotext >/dev/null; then
	pdftotext -layout "$T/reg.pdf" - 2>/dev/null | grep -q "Chain head and key fingerprint of each station" &&
		pdftotext -layout "$T/reg.pdf" - 2>/dev/null | grep -q "Register signed" &&
		ok "the register prints the chain heads and its signature" || bad "register text"
fi

[ "$fails" = 0 ] || { echo "$fails failure(s)"; exit 1; }
exit 0
