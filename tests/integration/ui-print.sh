#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Printing certificates through a real CUPS daemon with a PDF printer
# (cups-pdf), both started by this test on a private socket: erase this
# test's loop device through the menus, open the certificates screen, first
# with no printer (the station says so and saves the PDF), then with the
# cups-pdf queue: the printed PDF lands in cups-pdf's output folder and
# carries the certificate number, result and asset number (loop devices have
# no serial; the number names the record). lp is held back while it prints:
# the station says "printing…" and answers keys meanwhile. The period
# register prints for this month, a month typed at the prompt, and a range.
set -u
. "${top_srcdir:-.}/tests/lib/safety.sh"
. "${top_srcdir:-.}/tests/integration/ui-lib.sh"
tab_setup_root
ui_require
command -v pdftotext >/dev/null || tab_skip "pdftotext (poppler-utils) not installed"

# cups and cups-pdf: install them if missing (Debian), else skip with the reason.
if ! command -v cupsd >/dev/null || [ ! -e /usr/lib/cups/backend/cups-pdf ]; then
	command -v apt-get >/dev/null || tab_skip "cups/printer-driver-cups-pdf missing and no apt-get"
	DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -q --no-install-recommends \
		cups printer-driver-cups-pdf >"$TESTDIR/apt.log" 2>&1 ||
		tab_skip "cannot install cups printer-driver-cups-pdf: $(tail -n 1 "$TESTDIR/apt.log")"
fi
PPD=$(ls /usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd /usr/share/ppd/cups-pdf/*.ppd 2>/dev/null | head -n 1)
[ -n "$PPD" ] || tab_skip "no cups-pdf PPD under /usr/share/ppd/cups-pdf"

fails=0
check() { # check DESCRIPTION COMMAND...
	local what=$1; shift
	if "$@"; then echo "ok: $what"; else echo "not ok: $what"; fails=$((fails + 1)); fi
}

# A private cupsd: its own configuration, spool and socket; the host's CUPS is not touched.
C=$TESTDIR/cups
mkdir -p "$C/root" "$C/spool" "$C/cache" "$C/state" "$C/log"
chmod 755 "$TESTDIR" "$C"
cp -r /etc/cups/cups-pdf.conf /etc/cups/raw.types /etc/cups/raw.convs "$C/root/" 2>/dev/null
cat >"$C/root/cups-files.conf" <<EOC
SystemGroup root
ServerRoot $C/root
RequestRoot $C/spool
CacheDir $C/cache
StateDir $C/state
TempDir $C/spool
AccessLog $C/log/access_log
ErrorLog $C/log/error_log
PageLog $C/log/page_log
EOC
cat >"$C/root/cupsd.conf" <<EOC
LogLevel warn
Listen $C/cups.sock
WebInterface No
<Location />
  Order allow,deny
  Allow all
</Location>
EOC
export CUPS_SERVER=$C/cups.sock
cupsd -f -c "$C/root/cupsd.conf" -s "$C/root/cups-files.conf" >"$C/log/cupsd.out" 2>&1 &
CUPSD=$!
stop_cupsd() { kill "$CUPSD" 2>/dev/null && wait "$CUPSD" 2>/dev/null; }
OUT=
new_pdfs() { [ -n "$OUT" ] && find "$OUT" -maxdepth 1 -name '*.pdf' -newer "$TESTDIR/start" 2>/dev/null; }
# Whatever happens: the station, cupsd, and the PDFs this test printed go away.
cleanup_all() { ui_tmux kill-server 2>/dev/null; stop_cupsd; new_pdfs | xargs -r rm -f --; tab_cleanup; }
trap cleanup_all EXIT
for i in $(seq 1 50); do lpstat -r >/dev/null 2>&1 && break; sleep 0.2; done
lpstat -r >/dev/null 2>&1 || { stop_cupsd; tab_skip "cupsd did not start: $(tail -n 2 "$C/log/error_log" "$C/log/cupsd.out" 2>/dev/null | tr '\n' ' ')"; }

touch "$TESTDIR/start"
# cups-pdf writes to Out in /etc/cups/cups-pdf.conf, ${HOME}/PDF of the job's user (root here).
OUT=$(sed -n 's/^Out[[:space:]]\+//p' /etc/cups/cups-pdf.conf | tail -n 1)
OUT=${OUT:-'${HOME}/PDF'}
OUT=${OUT//'${HOME}'/$(getent passwd root | cut -d: -f6)}
mkdir -p "$OUT"

# lp as the station finds it on PATH: the real one, held back while
# $TESTDIR/slow-lp exists (a printer server that takes its time).
REAL_LP=$(command -v lp) || tab_skip "lp (cups-client) not installed"
mkdir -p "$TESTDIR/bin"
cat >"$TESTDIR/bin/lp" <<EOS
#!/bin/sh
while [ -e "$TESTDIR/slow-lp" ]; do sleep 0.1; done
exec "$REAL_LP" "\$@"
EOS
chmod 755 "$TESTDIR/bin/lp"
export PATH="$TESTDIR/bin:$PATH"

SIZE=$((16 << 20))
mkdir -p "$TESTDIR/demo" "$TESTDIR/records"
tab_make_loop A "$SIZE" 512 "$(truncate -s "$SIZE" "$TESTDIR/demo/a.img" && echo "$TESTDIR/demo/a.img")"
a=${A#/dev/}
tab_assert_own_loop "$A"
cat >"$TESTDIR/station.conf" <<EOC
station = PRINT-TEST
operator = Ann Example, Technician
witness = Bob Example, Supervisor
records = $TESTDIR/records
EOC

ui_start 100 30 --demo-dir "$TESTDIR/demo" --config "$TESTDIR/station.conf" --ledger "$TESTDIR/ledger.db"
trap cleanup_all EXIT
check "login" ui_login
check "cursor reaches $a" ui_cursor_to "$a"
tab_assert_own_loop "$A"
ui_keys Space e
check "method screen" ui_wait 5 "choose the method"
ui_keys Enter
check "destination screen" ui_dest 0
check "details screen" ui_details "PRN-7" "" ""
check "confirmation" ui_wait 5 "Type the number"
ui_keys 1 Enter
check "dashboard shows PASSED" ui_wait 120 "PASSED"
check "certificate issued" ui_wait_re 10 "certificate PRINT-TEST-[0-9]+"
ui_capture
cert=$(grep -oE "certificate PRINT-TEST-[0-9]+" <<<"$UI_SCREEN" | head -n 1 | cut -d' ' -f2)

ui_keys c
check "certificates screen lists $cert" ui_wait_re 10 "^> $cert .*PASSED"
ui_keys Enter
check "summary shows the asset number" ui_wait 5 "PRN-7"
check "summary shows the operator" ui_wait 5 "Ann Example"
ui_capture; echo "$UI_SCREEN"
ui_keys Escape
check "back on the list" ui_wait 5 "NUMBER"

# No queue yet: the station says so in one line and saves the PDF instead.
rm -f "$TESTDIR/records/$cert.pdf"
ui_keys p
check "no printer: says so" ui_wait 10 "no printer configured"
check "no printer: PDF saved to the records folder" test -s "$TESTDIR/records/$cert.pdf"
ui_capture; grep -F "no printer" <<<"$UI_SCREEN"

# Now a cups-pdf queue, the system default.
lpadmin -p TabulaPDF -v cups-pdf:/ -P "$PPD" -E 2>"$C/log/lpadmin" || tab_fail "lpadmin: $(cat "$C/log/lpadmin")"
lpadmin -d TabulaPDF
ui_keys o
check "printer chosen: TabulaPDF" ui_wait 10 "Printer: TabulaPDF"
touch "$TESTDIR/slow-lp"
ui_keys p
check "printing… shows while lp works" ui_wait 5 "$cert: printing…"
ui_keys Enter
check "the summary opens while lp works" ui_wait 5 "Ann Example"
ui_capture
check "... and the print is still under way" grep -qF "printing…" <<<"$UI_SCREEN"
ui_keys p
check "a second print waits for the first" ui_wait 5 "still printing"
rm -f "$TESTDIR/slow-lp"
check "sent to the printer" ui_wait 15 "sent to printer TabulaPDF"
ui_keys Escape
check "back on the list (2)" ui_wait 5 "NUMBER"
ui_capture; grep -F "sent to printer" <<<"$UI_SCREEN"
pdf=
for i in $(seq 1 150); do
	pdf=$(new_pdfs | head -n 1)
	[ -n "$pdf" ] && [ -s "$pdf" ] && ! fuser "$pdf" >/dev/null 2>&1 && break
	sleep 0.2
done
check "a PDF landed in cups-pdf's folder $OUT" test -n "$pdf"
if [ -n "$pdf" ]; then
	sleep 1
	txt=$(pdftotext "$pdf" - 2>/dev/null)
	check "the printed PDF carries the certificate number" grep -qF "$cert" <<<"$txt"
	check "the printed PDF carries the result" grep -qE "PASSED|Passed" <<<"$txt"
	check "the printed PDF carries the asset number" grep -qF "PRN-7" <<<"$txt"
	echo "$txt" | head -n 8
fi

# The period register, printed to the same queue: this month as offered.
month=$(date -u +%Y-%m)
before=$(new_pdfs | wc -l)
ui_keys g
check "the period prompt offers this month" ui_wait 5 "Register for the period: $month"
check "while it is open, the key bar shows the prompt's keys" ui_wait 5 "Enter OK  Esc Back  F1 Help  F10 Quit"
check "... and not the certificates screen's" ui_wait_gone 2 "p Print"
ui_keys Enter
check "register sent to the printer" ui_wait 15 "register-$month sent to printer TabulaPDF"
check "register saved to the records folder" test -s "$TESTDIR/records/register-$month.pdf"
check "this month's register lists $cert" bash -c 'pdftotext "$0" - | grep -qF "$1"' "$TESTDIR/records/register-$month.pdf" "$cert"
for i in $(seq 1 150); do [ "$(new_pdfs | wc -l)" -gt "$before" ] && break; sleep 0.2; done
check "the register PDF landed in cups-pdf's folder" test "$(new_pdfs | wc -l)" -gt "$before"

# A month typed at the prompt; a month before by the arrow key; a range; nonsense.
ui_keys g
check "prompt (2)" ui_wait 5 "Register for the period:"
ui_keys C-u
ui_keys -l "2025-13"
ui_keys Enter
check "a month that does not exist is refused" ui_wait 5 "Not a period"
ui_keys C-u
ui_keys -l "2025-03"
ui_keys Enter
check "register for 2025-03 sent" ui_wait 15 "register-2025-03 sent to printer"
check "register-2025-03 saved" test -s "$TESTDIR/records/register-2025-03.pdf"
check "the 2025-03 register does not list $cert" bash -c '! pdftotext "$0" - | grep -qF "$1"' "$TESTDIR/records/register-2025-03.pdf" "$cert"
ui_keys g
check "prompt (3)" ui_wait 5 "Register for the period: $month"
ui_keys Up
prev=$(date -u -d "$(date -u +%Y-%m-01) -1 day" +%Y-%m)
check "Up: the month before ($prev)" ui_wait 5 "Register for the period: $prev"
ui_keys Escape
check "Esc closes the prompt" ui_wait_gone 5 "Register for the period"
today=$(date -u +%Y-%m-%d)
ui_keys g
check "prompt (4)" ui_wait 5 "Register for the period:"
ui_keys C-u
ui_keys -l "2025-03-01..$today"
ui_keys Enter
check "register for a range sent" ui_wait 15 "register-2025-03-01_$today sent to printer"
check "the range's register lists $cert" bash -c 'pdftotext "$0" - | grep -qF "$1"' "$TESTDIR/records/register-2025-03-01_$today.pdf" "$cert"

ui_keys q
check "q exits with status 0" ui_wait 15 "TABULA-EXIT=0"
lpadmin -x TabulaPDF 2>/dev/null
[ "$fails" = 0 ] || { echo "$fails failures"; exit 1; }
