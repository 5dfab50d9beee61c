#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Usage errors and bad input: exit code 2, one line on stderr, nothing on stdout.
set -u
. "${top_srcdir:-.}/tests/lib/safety.sh"

T=$(mktemp -d "${TMPDIR:-/tmp}/tabula-cli-XXXXXX")
trap 'rm -rf "$T"' EXIT
fails=0

# expect CODE PATTERN -- ARGS...: run wiper, check exit code, stderr line, empty stdout.
expect() {
	local code=$1 pat=$2; shift 3
	"${PROG:-$WIPER}" "$@" >"$T/out" 2>"$T/err"
	local rc=$?
	local lines
	lines=$(wc -l <"$T/err")
	if [ "$rc" != "$code" ] || ! grep -q -- "$pat" "$T/err" || [ "$lines" != 1 ] || [ -s "$T/out" ]; then
		echo "not ok: $(basename "${PROG:-$WIPER}") $* -> rc=$rc (want $code), stderr lines=$lines:"
		sed 's/^/    /' "$T/err"
		[ -s "$T/out" ] && echo "    (stdout not empty)"
		fails=$((fails + 1))
	else
		echo "ok: $(basename "${PROG:-$WIPER}") $* -> $rc: $(cat "$T/err")"
	fi
}

expect 2 "unknown command 'frobnicate'" -- frobnicate
expect 2 "info: name exactly one device" -- info
expect 2 "/nonexistent/disk: No such file or directory" -- info /nonexistent/disk
expect 2 "/etc/passwd: not a block device" -- info /etc/passwd
expect 2 "/dev/null: not a block device" -- info --json /dev/null
expect 2 "info: unknown option" -- info --bogus /dev/null
expect 2 "list: unknown option" -- list --frob
expect 2 "/nope: no such device" -- list /nope
expect 2 "decode: unknown kind 'scsi-inq'" -- decode scsi-inq /etc/passwd
expect 2 "decode: expected a kind and a file" -- decode ata-identify

head -c 300 /dev/urandom >"$T/trunc.bin"
expect 2 "truncated" -- decode ata-identify "$T/trunc.bin"
: >"$T/empty.bin"
expect 2 "empty" -- decode ata-identify "$T/empty.bin"
printf 'this is not\nan identify dump at all\n' >"$T/garbage.txt"
expect 2 "not an ATA IDENTIFY block" -- decode ata-identify "$T/garbage.txt"
head -c 512 /dev/zero >"$T/zero.bin"
expect 2 "not an ATA IDENTIFY block" -- decode ata-identify "$T/zero.bin"
head -c 100 /dev/urandom >"$T/short.bin"
expect 2 "100 bytes, expected 4096 (truncated)" -- decode nvme-id-ctrl "$T/short.bin"
head -c 4096 /dev/zero >"$T/zero4k.bin"
expect 2 "not an NVMe Identify Controller block" -- decode nvme-id-ctrl "$T/zero4k.bin"
expect 2 "/nonexistent.bin: No such file or directory" -- decode nvme-id-ctrl /nonexistent.bin

# --help works and goes to stdout.
"$WIPER" --help | grep -q "Usage: wiper COMMAND" || { echo "not ok: --help"; fails=$((fails + 1)); }
"$WIPER" list --help | grep -q -- "--include-loop" || { echo "not ok: list --help"; fails=$((fails + 1)); }

# The station's own bad input: a broken config file is named with its line, before any screen.
TABULA=${top_builddir:-.}/ui-ncurses/tabula
if [ -x "$TABULA" ]; then
	python3 -c "print('station = ' + 'A' * 2000)" >"$T/long.conf" 2>/dev/null ||
		printf 'station = %02000d\n' 0 >"$T/long.conf"
	printf 'station = X\nthis line has no equals sign\n' >"$T/noeq.conf"
	PROG=$TABULA expect 2 "long.conf:1: line longer than" -- --config "$T/long.conf"
	PROG=$TABULA expect 2 "noeq.conf:2: expected 'key = value'" -- --config "$T/noeq.conf"
	PROG=$TABULA expect 2 "/nonexistent.conf: No such file or directory" -- --config /nonexistent.conf
	# the kernel command line as the live image reads it: refused before anything is erased
	printf 'boot=live tabula.auto=clear tabula.auto=purge\n' >"$T/twice.cmdline"
	printf 'boot=live tabula.auto=clear tabula.operator=Ann%%0aroot\n' >"$T/ctl.cmdline"
	printf 'boot=live tabula.auto=clear tabula.marker=/dev/null\n' >"$T/marker.cmdline"
	# (stdout then holds only the marker record, where the failure is to be reported)
	expect_boot() { # expect_boot PATTERN MARKER FILE
		"$TABULA" --boot-options "$3" >"$T/out" 2>"$T/err"
		local rc=$? got
		got=$(tr '\0' '\n' <"$T/out")
		if [ "$rc" = 2 ] && grep -q -- "$1" "$T/err" && [ "$(wc -l <"$T/err")" = 1 ] &&
		   [ "$got" = "marker=$2"$'\n'"after=poweroff" ]; then
			echo "ok: tabula --boot-options $(basename "$3") -> 2: $(cat "$T/err") [$got]"
		else
			echo "not ok: tabula --boot-options $3 -> rc=$rc, stdout '$got':"; sed 's/^/    /' "$T/err"
			fails=$((fails + 1))
		fi
	}
	printf 'tabula.auto=clear tabula.auto.dealy=5 tabula.marker=/dev/ttyUSB0\n' >"$T/typo.cmdline"
	expect_boot "tabula.auto is given twice, with different values" /dev/ttyS1 "$T/twice.cmdline"
	expect_boot "tabula.operator: the name holds a control character" /dev/ttyS1 "$T/ctl.cmdline"
	expect_boot "tabula.marker=/dev/null: want a serial port" /dev/ttyS1 "$T/marker.cmdline"
	expect_boot "tabula.auto.dealy: no such option" /dev/ttyUSB0 "$T/typo.cmdline"
	printf 'boot=live tabula.auto=clear tabula.custody=none\n' >"$T/custody.cmdline"
	expect_boot "tabula.custody=none: want file (demo key-file custody on a PC without a TPM) or tpm" /dev/ttyS1 "$T/custody.cmdline"
	PROG=$TABULA expect 2 "/nonexistent.cmdline: No such file or directory" -- --boot-options /nonexistent.cmdline
	# accepted: NUL-ended KEY=VALUE records, a missing witness from the config
	printf 'quiet tabula.auto=purge "tabula.operator=Ann Example" tabula.auto.delay=015 tabula.atuo=x tabula.custody=file\n' >"$T/ok.cmdline"
	printf 'operator = Ann Example, Technician\nwitness = Bob Example, Records officer\n' >"$T/people.conf"
	if "$TABULA" --boot-options "$T/ok.cmdline" --config "$T/people.conf" >"$T/out" 2>"$T/err" &&
	   [ "$(tr '\0' '\n' <"$T/out" | grep -c .)" = 9 ] &&
	   tr '\0' '\n' <"$T/out" | grep -qx 'custody=file' &&
	   tr '\0' '\n' <"$T/out" | grep -qx 'auto=purge' &&
	   tr '\0' '\n' <"$T/out" | grep -qx 'operator=Ann Example' &&
	   tr '\0' '\n' <"$T/out" | grep -qx 'witness=Bob Example, Records officer' &&
	   tr '\0' '\n' <"$T/out" | grep -qx 'delay=15' &&
	   grep -q 'unknown boot option tabula.atuo ignored' "$T/err"; then
		echo "ok: tabula --boot-options: $(tr '\0' ' ' <"$T/out")"
	else
		echo "not ok: tabula --boot-options on a good line:"; tr '\0' '\n' <"$T/out" | sed 's/^/    /'; sed 's/^/    /' "$T/err"
		fails=$((fails + 1))
	fi
else
	echo "note: $TABULA not built; station config errors not checked"
fi

[ "$fails" = 0 ] || { echo "$fails failures"; exit 1; }
echo "all CLI error cases behave"
