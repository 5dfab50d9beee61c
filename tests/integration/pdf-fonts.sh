#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Certificates and registers are self-contained: a Chinese erasure certificate
# (on a loop device, as root), a Chinese destruction certificate, the English
# layout of a record with Chinese names, and a Chinese register. Each PDF
# embeds every font as a subset with a ToUnicode map (pdffonts), gives back
# its Chinese labels and names (pdftotext), stays small, still verifies, and
# renders the same with the machine's fonts as under a fontconfig that has no
# CJK font at all (pdftoppm -r 100), so a reader without WenQuanYi sees it too.
set -u
. "${top_srcdir:-.}/tests/lib/safety.sh"

CERTS="${top_builddir:-.}/certs/certs"
[ -x "$CERTS" ] || tab_skip "$CERTS not built"
for t in pdffonts pdftotext pdftoppm fc-list; do
	command -v "$t" >/dev/null || tab_skip "$t not installed (poppler-utils, fontconfig)"
done
[ -r /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || tab_skip "fonts-wqy-microhei not installed"
# The private fontconfig's only font: a Latin face that is none of the embedded ones.
LATIN=
for f in /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf /usr/share/fonts/truetype/freefont/FreeSans.ttf \
	 /usr/share/fonts/truetype/noto/NotoSans-Regular.ttf; do
	[ -r "$f" ] && { LATIN=$f; break; }
done
[ -n "$LATIN" ] || tab_skip "no Latin TrueType font for the CJK-less fontconfig (fonts-dejavu-core)"

TESTDIR=$(mktemp -d "${TMPDIR:-/tmp}/tabula-pdf-fonts-XXXXXX")
trap tab_cleanup EXIT
T=$TESTDIR
fails=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }

# A certificate of typical length: ~52 KB in zh, ~49 KB in en with Chinese
# names, ~40 KB for a short register (2026-12). The bound leaves room for
# longer names and more rows, and fails any whole-font embedding: one whole
# Liberation Sans is 410 KB, WenQuanYi Micro Hei 5 MB.
MAX_BYTES=150000

mkdir -p "$T/nocjk/fonts" "$T/nocjk/cache"
cp "$LATIN" "$T/nocjk/fonts/"
cat >"$T/nocjk/fonts.conf" <<EOF
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>$T/nocjk/fonts</dir>
  <cachedir>$T/nocjk/cache</cachedir>
</fontconfig>
EOF
NOCJK="$T/nocjk/fonts.conf"
[ -n "$(FONTCONFIG_FILE=$NOCJK fc-list)" ] && [ -z "$(FONTCONFIG_FILE=$NOCJK fc-list :lang=zh)" ] &&
	ok "the private fontconfig has a Latin font and no CJK font" ||
	bad "private fontconfig: $(FONTCONFIG_FILE=$NOCJK fc-list)"

L="$T/station.db"
"$CERTS" lang "$L" zh >/dev/null || bad "certs lang zh"
"$CERTS" destroy "$L" --station ST01 --serial SN-ZH-1 --model "金士顿 DataTraveler" \
	--technique Shred --details "碎纸机粉碎，颗粒 2 毫米" --property ZC-0001 --owner "保密办公室" \
	--operator "李伟" --operator-role "保密员" --witness "王芳" --witness-role "信息中心主任" \
	--organization "信息中心" --lang zh --time 2026-11-01T10:00:00Z >"$T/out" 2>&1 ||
	bad "destroy: $(cat "$T/out")"
DESTROY="$T/ST01-000001.pdf"
[ -f "$DESTROY" ] && ok "Chinese destruction certificate issued" || bad "no destruction certificate"

ERASE=
if [ "$(id -u)" = 0 ] && [ -e /dev/loop-control ] && command -v losetup >/dev/null &&
   [ -x "${WIPER:-}" ]; then
	tab_make_loop DEV $((4 << 20)) 512
	tab_assert_own_loop "$DEV"
	"$WIPER" erase --yes --method zero "$DEV" --ledger "$L" --operator "李伟" --witness "王芳" \
		--asset ZC-0002 --owner "信息中心 IT Dept" >"$T/out" 2>&1 || bad "erase: $(cat "$T/out")"
	ERASE=$(ls "$T"/ST01-000002.pdf 2>/dev/null | head -n1)	# the chain's station name
	[ -n "$ERASE" ] && ok "Chinese erasure certificate issued" || bad "no erasure certificate: $(cat "$T/out")"
else
	echo "SKIP: the erasure certificate (needs root and loop devices); destruction and register still run"
fi
EN="$T/en.pdf"
seq=1
[ -n "$ERASE" ] && seq=2
"$CERTS" pdf "$L" "$seq" --lang en -o "$EN" >"$T/out" 2>&1 || bad "pdf --lang en: $(cat "$T/out")"
REG="$T/register.pdf"
"$CERTS" register "$L" --from 2026-11-01 --to "$(date -u -d tomorrow +%F)" --lang zh -o "$REG" \
	>"$T/out" 2>&1 || bad "register: $(cat "$T/out")"

# check PDF KIND WORDS...: the fonts, the text, the size, the rendering.
check() {
	local pdf=$1 kind=$2 name w size p n=0
	shift 2
	name=$(basename "$pdf" .pdf)
	[ -f "$pdf" ] || { bad "$kind: no file"; return; }
	if ! pdffonts "$pdf" >"$T/fonts" 2>"$T/fonts.err" || [ -s "$T/fonts.err" ]; then
		bad "$kind: pdffonts: $(cat "$T/fonts.err")"
	fi
	# Columns from the end: emb sub uni object ID (the type has spaces).
	tail -n +3 "$T/fonts" | awk '{ if ($(NF-4) != "yes" || $(NF-3) != "yes" || $(NF-2) != "yes") bad++; n++ }
		END { exit !(n > 0 && bad == 0) }' &&
		ok "$kind: all $(($(wc -l <"$T/fonts") - 2)) fonts embedded, subset, with ToUnicode" ||
		{ bad "$kind: fonts"; cat "$T/fonts"; }
	grep -q "WenQuanYi" "$T/fonts" && ok "$kind: the CJK face is one of them" || bad "$kind: no CJK face"
	size=$(stat -c %s "$pdf")
	[ "$size" -lt "$MAX_BYTES" ] && ok "$kind: $size bytes (< $MAX_BYTES)" || bad "$kind: $size bytes"
	for cfg in "" "$NOCJK"; do
		env ${cfg:+FONTCONFIG_FILE=$cfg} pdftotext "$pdf" "$T/text" 2>"$T/text.err"
		[ -s "$T/text.err" ] && bad "$kind: pdftotext complains: $(cat "$T/text.err")"
		for w in "$@"; do
			grep -qF -- "$w" "$T/text" || { bad "$kind: text lacks \"$w\"${cfg:+ (no CJK fonts)}"; n=1; }
		done
	done
	[ $n = 0 ] && ok "$kind: pdftotext gives back $*, with and without CJK fonts"
	rm -f "$T/$name"-with-*.ppm "$T/$name"-without-*.ppm
	pdftoppm -r 100 "$pdf" "$T/$name-with" 2>/dev/null
	FONTCONFIG_FILE=$NOCJK pdftoppm -r 100 "$pdf" "$T/$name-without" 2>/dev/null
	n=0
	for p in "$T/$name"-with-*.ppm; do
		n=$((n + 1))
		cmp -s "$p" "${p/-with-/-without-}" || { bad "$kind: page $n renders differently without CJK fonts"; n=-99; }
	done
	[ $n -gt 0 ] && ok "$kind: $n page(s) render pixel for pixel the same without CJK fonts"
	"$CERTS" verify --pdf "$pdf" "$L" >"$T/out" 2>&1
	grep -q "STATION NOT CHECKED\|GENUINE" "$T/out" && ok "$kind: re-renders to the same bytes and verifies" ||
		bad "$kind: verify: $(cat "$T/out")"
}

check "$DESTROY" "zh destruction certificate" 姓名 签名 李伟 王芳 信息中心 保密办公室 碎纸机粉碎 金士顿
[ -n "$ERASE" ] && check "$ERASE" "zh erasure certificate" 姓名 签名 李伟 王芳 "信息中心 IT Dept" ZC-0002
check "$EN" "en certificate with Chinese names" Name Signature 李伟 王芳 信息中心
check "$REG" "zh register" 登记 签名 李伟 王芳 SN-ZH-1

# english PDF KIND: a Chinese page shows no stored English value (results,
# methods, techniques, media types, verification, steps): certs/glossary.c.
english() {
	local pdf=$1 kind=$2 found
	[ -f "$pdf" ] || return
	pdftotext "$pdf" "$T/text" 2>/dev/null
	found=$(grep -owE 'PASSED|FAILED|INCOMPLETE|DESTROYED|Clear|Purge|Destroy|Destruct|Overwrite|Unknown|File or loop device|Zeros|pass(es)?|rounds?|verification|completed|verified|mismatches|host overwrite|flush|Full|last|samples|bytes|Other|Shred|master seed|PRNG|native sectors' \
		"$T/text" | sort -u | tr '\n' ' ')
	[ -z "$found" ] && ok "$kind: no English value on the Chinese page" ||
		bad "$kind: English on the Chinese page: $found"
}
english "$DESTROY" "zh destruction certificate"
[ -n "$ERASE" ] && english "$ERASE" "zh erasure certificate"
english "$REG" "zh register"
grep -qF "GB 46864-2025" <(pdftotext "$DESTROY" - 2>/dev/null) &&
	grep -qF "IEEE 2883" <(pdftotext "$DESTROY" - 2>/dev/null) &&
	ok "zh certificate names IEEE 2883 and GB 46864-2025" || bad "zh certificate lacks its standards"
# The same check finds the English values on the English page (it can fail).
pdftotext "$EN" "$T/text" 2>/dev/null
grep -qwE 'PASSED|DESTROYED' "$T/text" && grep -qw 'Clear\|Destruct' "$T/text" &&
	ok "the English page does show PASSED/DESTROYED and Clear/Destruct" || bad "en page: no English values"
"$CERTS" pdf "$L" 1 --lang en -o "$T/en-destroy.pdf" >/dev/null 2>&1 || bad "pdf 1 --lang en"
pdftotext "$T/en-destroy.pdf" "$T/text" 2>/dev/null
grep -qw "Destruct" "$T/text" && grep -qF "Rev. 2" "$T/text" &&
	ok "en destruction certificate: IEEE 2883 Destruct, SP 800-88 Rev. 2" ||
	bad "en destruction certificate lacks Destruct / Rev. 2"

# Without the record's Chinese text an English certificate needs no CJK face, and has none.
L2="$T/latin.db"
"$CERTS" destroy "$L2" --station ST02 --serial SN-EN-1 --technique Shred --operator "Li Wei" \
	--witness "Anna Berg" --time 2026-11-01T10:00:00Z >/dev/null 2>&1 || bad "destroy (en)"
pdffonts "$T/ST02-000001.pdf" >"$T/fonts" 2>&1
if grep -q WenQuanYi "$T/fonts" || [ "$(tail -n +3 "$T/fonts" | awk '$(NF-4) == "yes" && $(NF-3) == "yes"' | wc -l)" != \
	"$(($(wc -l <"$T/fonts") - 2))" ]; then
	bad "Latin-only certificate fonts"; cat "$T/fonts"
else
	ok "Latin-only certificate: $(($(wc -l <"$T/fonts") - 2)) Liberation subsets, no CJK face, $(stat -c %s "$T/ST02-000001.pdf") bytes"
fi

# A missing font is refused before anything is erased or recorded (certs_preflight): the
# font directory is hidden by an empty one in a private mount namespace.
if [ -n "$ERASE" ] && command -v unshare >/dev/null && unshare -m true 2>/dev/null; then
	mkdir -p "$T/empty"
	hidden() { # hidden DIR CMD...: run CMD with DIR empty
		local dir=$1
		shift
		unshare -m sh -c 'mount --bind "$0" "$1" && shift && exec "$@"' "$T/empty" "$dir" "$@"
	}
	records() { "$CERTS" verify "$L" 2>&1 | sed -n 's/.*: OK: \([0-9]*\) records.*/\1/p'; }
	before=$(records)
	tab_make_loop DEV2 $((4 << 20)) 512
	tab_assert_own_loop "$DEV2"
	dd if=/dev/urandom of="$DEV2" bs=1M count=4 oflag=direct status=none
	sum=$(sha256sum <"$DEV2")
	hidden /usr/share/fonts/truetype/liberation2 "$WIPER" erase --yes --method zero "$DEV2" \
		--ledger "$L" --operator "李伟" --witness "王芳" >"$T/out" 2>&1
	rc=$?
	[ $rc != 0 ] && grep -q "install fonts-liberation2" "$T/out" &&
		ok "erase without Liberation refused: $(head -n1 "$T/out")" || bad "erase without fonts: exit $rc, $(cat "$T/out")"
	[ "$(sha256sum <"$DEV2")" = "$sum" ] && ok "the medium is untouched" || bad "the medium was written"
	hidden /usr/share/fonts/truetype/wqy "$CERTS" destroy "$L" --station ST01 --serial SN-ZH-2 \
		--technique Shred --operator "李伟" --witness "王芳" >"$T/out" 2>&1
	rc=$?
	[ $rc != 0 ] && grep -q "install fonts-wqy-microhei" "$T/out" &&
		ok "zh destroy without WenQuanYi refused: $(head -n1 "$T/out")" || bad "destroy without CJK font: exit $rc, $(cat "$T/out")"
	[ -n "$before" ] && [ "$(records)" = "$before" ] && ok "nothing recorded ($before records)" ||
		bad "records: $before before, $(records) after"
else
	echo "SKIP: missing-font refusals (need root, loop devices and unshare -m)"
fi

[ "$fails" = 0 ] && echo "all PDF font checks passed" || echo "$fails failure(s)"
[ "$fails" = 0 ]
