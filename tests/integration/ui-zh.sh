#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The Chinese station, every screen, at 100x30 over the slow simulated drive
# (tests/station/tabula-sim, TABULA_SIM=slow): session, media list, method,
# verification, destination, details and confirmation steps, the dashboard
# with a finished and a running job, the job's details, the stop question,
# the destruction technique step, the certificates screen, the records
# screen and the help overlay on each.
# Every screen is read back and fails on an ASCII word that is not a device
# name, serial, model, unit, path, key cap, standard or command/option name
# (the allowed list below); the offending words are printed.
set -u
. "${top_srcdir:-.}/tests/lib/safety.sh"
TABULA=${TABULA_SIM:-${top_builddir:-.}/tests/station/tabula-sim}
. "${top_srcdir:-.}/tests/integration/ui-lib.sh"
tab_setup_root
ui_require

fails=0
check() { # check DESCRIPTION COMMAND...
	local what=$1; shift
	if "$@"; then echo "ok: $what"; else echo "not ok: $what"; fails=$((fails + 1)); fi
}

export TABULA_SIM=slow TABULA_SIM_DELAY_MS=${TABULA_SIM_DELAY_MS:-200}

# Words a Chinese screen may show in Latin letters: the simulated drive's
# name, model and serial, the station's name, units, key caps, transports,
# standards and the names of methods' authors, commands and options.
ALLOWED=" sim0 SIM SLOW DISK TEST STATION ZH MiB GiB KiB TiB B s ms
 Enter Esc Space Tab PgUp PgDn Home End F1 F5 F10 Ctrl Del
 a b c d e f g h i j k l m n o p q r s t u v w x y z U
 sata ata usb nvme loop mmc scsi sas NVMe ATA SATA SCSI SAS USB SSD HDD HPA DCO AMAC
 NIST SP Rev IEEE GB DoD ECE HMG IS5 Gutmann Schneier RCMP TSSIT OPS II BMB
 Tabula tabula certs wiper lpadmin lpstat cups CUPS TPM Ed25519 PDF QR UTC ID
 TABULA RECORDS dev ledger db conf etc udev virtio "
ALLOWED+=" U zero one random dod522022m ece gutmann hmg is5 baseline enhanced schneier rcmp tssit ops ii "
# The host's own disks and loop devices are listed too (greyed): their names,
# models, serials and backing files are theirs, not the station's words.
ALLOWED+=" $( (lsblk -dnro NAME,MODEL,SERIAL,TRAN 2>/dev/null; cat /sys/block/*/serial /sys/block/*/device/serial 2>/dev/null; losetup -lnO BACK-FILE 2>/dev/null) |
	grep -oE '[A-Za-z][A-Za-z0-9]*' | sort -u | tr '\n' ' ') "
# Method keys are --method values: "清除: 全零 (1 遍) (zero)".
METHOD_KEYS='zero|one|random|dod522022m|dod522022m-ece|gutmann|hmg-is5-baseline|hmg-is5-enhanced|schneier|rcmp-tssit-ops-ii'

# english_words: the current screen's Latin words that are not allowed, into BAD_WORDS.
english_words() {
	local w
	BAD_WORDS=
	ui_capture
	# Paths and file names are the machine's, method keys option values.
	for w in $(sed -E "s#[^ ]*/[^ ]*##g; s#[^ ]*\.(img|db|pdf|conf)##g; s#\(($METHOD_KEYS)\)##g" \
		<<<"$UI_SCREEN" | grep -oE '[A-Za-z][A-Za-z0-9]*' | sort -u); do
		# Whole, or cut by a column or the help overlay (a prefix or suffix).
		case "$ALLOWED" in *" $w "* | *" $w"* | *"$w "*) continue ;; esac
		# Hex digits of a seed or hash, and option names after "--".
		[[ $w =~ ^[0-9a-f]+$ ]] && continue
		# Kernel device names (another test's loop device may appear while this one runs).
		[[ $w =~ ^(loop|sd|vd|hd|nvme|mmcblk|sr|nbd)[0-9a-z]*$ ]] && continue
		grep -qE -- "--$w|/$w|$w/|[0-9a-f]{4}$w|${w}[0-9a-f]{6}" <<<"$UI_SCREEN" && continue
		BAD_WORDS+=" $w"
	done
}

# zh_check WHAT: the screen has no English word; the screen goes to the log either way.
zh_check() {
	english_words
	if [ -n "$BAD_WORDS" ]; then
		echo "not ok: $1: English on the Chinese screen:$BAD_WORDS"
		fails=$((fails + 1))
	else
		echo "ok: $1: no English word"
	fi
	sed 's/^/    | /' <<<"$UI_SCREEN" | grep -v '^    | *$'
}

# help WHAT: the help overlay on this screen, in Chinese, and back.
help_zh() {
	ui_keys '?'
	sleep 0.5
	zh_check "help overlay on $1"
	ui_keys Escape
	sleep 0.3
}

cat >"$TESTDIR/station.conf" <<EOC
station = ZH-STATION
require_witness = yes
operator = 李伟, 技术员
witness = 王芳, 保密员
EOC

ui_start 100 30 --demo --lang zh --config "$TESTDIR/station.conf" --ledger "$TESTDIR/ledger.db"
check "session: operator step" ui_wait 20 "谁在值班"
zh_check "session: operator"
help_zh "the session"
ui_keys Enter
check "session: witness step" ui_wait 5 "谁来见证"
zh_check "session: witness"
ui_keys Enter
check "media list" ui_wait_re 10 "sim0 +sata"
sleep 1
zh_check "media list"
help_zh "the media list"

# erase_sim DOWNS: select sim0, the method DOWNS below the recommended one, on through every step.
erase_sim() {
	local i
	ui_keys m
	ui_cursor_to sim0 || return 1
	ui_keys Space
	ui_wait_re 5 "^\[x\].sim0 " || return 1
	ui_keys e
	ui_wait 5 "选择方法" || return 1
	zh_check "method step"
	[ "$1" = 2 ] && help_zh "the method step"
	for ((i = 0; i < $1; i++)); do ui_keys Down; done
	ui_keys Enter
	if [ "$1" -gt 1 ]; then
		ui_wait 5 "选择校验" || return 1
		zh_check "verification step"
		ui_keys Enter
	fi
	ui_wait 5 "去向" || return 1
	zh_check "destination step"
	ui_keys Enter
	ui_wait 5 "资产编号" || return 1
	zh_check "details step"
	ui_keys Enter Enter Enter Enter
	ui_wait 5 "输入" || return 1
	zh_check "confirmation step"
	ui_keys 1 Enter
}

check "a one-pass job (zeros)" erase_sim 2
check "it passes: 通过" ui_wait 60 "通过"
sleep 1
zh_check "dashboard with a finished job"
check "a 35-pass job (gutmann)" erase_sim 7
check "the running job's pass line" ui_wait_re 20 "[0-9]+/35"
sleep 1
zh_check "dashboard with a running and a finished job"
help_zh "the dashboard"
ui_keys Enter
sleep 1
zh_check "job details"
ui_keys Escape
sleep 0.5
ui_keys s
sleep 1
zh_check "the stop question"
ui_keys y
check "stopped: 未完成" ui_wait 30 "未完成"
sleep 1
zh_check "dashboard with a stopped job"
ui_keys Escape
sleep 0.5
ui_keys c
sleep 2
zh_check "certificates screen"
help_zh "the certificates screen"
ui_keys Enter
sleep 1
zh_check "a certificate's view"
ui_keys Escape
sleep 0.5
ui_keys Escape
# The destruction steps: the last entry of the method list, then how it was destroyed.
check "media list again" ui_wait 5 "设备"
check "cursor reaches sim0" ui_cursor_to sim0
ui_keys Space e
check "method step (destruction)" ui_wait 5 "选择方法"
for i in $(seq 1 12); do ui_keys Down; done
ui_keys Enter
check "destruction technique step" ui_wait 5 "如何销毁"
zh_check "destruction technique step"
ui_keys Escape
sleep 0.3
ui_keys Escape
sleep 0.3
ui_keys Escape
sleep 0.5
ui_keys Escape
check "back to the session" ui_wait 5 "谁在值班"
ui_keys i
sleep 2
zh_check "records screen"
help_zh "the records screen"
ui_keys Escape
ui_wait 5 "谁在值班" >/dev/null
ui_keys q
check "q exits with status 0" ui_wait 15 "TABULA-EXIT=0"

# The stopped job's certificate in Chinese: INCOMPLETE, the reason and the steps in Chinese too.
CERTS=${CERTS:-${top_builddir:-.}/certs/certs}
if [ -x "$CERTS" ] && command -v pdftotext >/dev/null; then
	"$CERTS" pdf "$TESTDIR/ledger.db" 2 --lang zh -o "$TESTDIR/incomplete.pdf" >/dev/null 2>&1
	pdftotext "$TESTDIR/incomplete.pdf" "$TESTDIR/incomplete.txt" 2>/dev/null
	[ -n "${UI_ZH_KEEP:-}" ] && cp "$TESTDIR/incomplete.pdf" "$UI_ZH_KEEP"
	check "the stopped job's zh certificate says 未完成 and why" \
		grep -q "操作员在.*第 [0-9]* 遍时停止" "$TESTDIR/incomplete.txt"
	found=$(grep -owE 'PASSED|FAILED|INCOMPLETE|Clear|Purge|Overwrite|Unknown|stopped|operator|pass(es)?|completed|verified|mismatches|bytes|samples' \
		"$TESTDIR/incomplete.txt" | sort -u | tr '\n' ' ')
	check "the stopped job's zh certificate has no English value: ${found:-none}" test -z "$found"
else
	echo "SKIP: the zh certificate of the stopped job ($CERTS or pdftotext missing)"
fi

# The same reading finds the English words of the English station (it can fail).
ui_tmux kill-server 2>/dev/null
ui_start 100 30 --demo --config "$TESTDIR/station.conf" --ledger "$TESTDIR/ledger.db"
ui_wait 20 "Who is on duty?" >/dev/null
english_words
check "the English session screen is found English:$BAD_WORDS" test -n "$BAD_WORDS"
ui_keys q
[ "$fails" = 0 ] || { echo "$fails failures"; exit 1; }
