#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The commands explain themselves, the same way everywhere (issue 17):
#  - every command and subcommand of wiper, certs and tabula takes --help:
#    exit 0, the usage on stdout, nothing on stderr;
#  - an unknown option is named in one line on stderr, exit 2, stdout empty;
#  - the man pages list exactly the options --help lists, command by command;
#  - tabula.conf(5) lists exactly the settings the parser reads and tabula
#    --help names, and the station accepts each of them;
#  - bash completion offers exactly the options --help lists;
#  - the README's command reference is the one --help gives (doc/man-gen.sh).
# Runs anywhere (no devices, no root).
set -u

B=${top_builddir:-.}
S=${top_srcdir:-.}
WIPER=${WIPER:-$B/wiper/wiper}
CERTS=$B/certs/certs
TABULA=$B/ui-ncurses/tabula
GEN="sh $S/doc/man-gen.sh"
T=$(mktemp -d "${TMPDIR:-/tmp}/tabula-help-XXXXXX")
trap 'rm -rf "$T"' EXIT
fails=0 checks=0

for p in "$WIPER" "$CERTS" "$TABULA"; do
	[ -x "$p" ] || { echo "SKIP: $p not built"; exit 77; }
done

ok() { checks=$((checks + 1)); }
bad() { echo "not ok: $*"; fails=$((fails + 1)); checks=$((checks + 1)); }

# The long options a --help text on stdin lists, sorted.
help_opts() { sed -n 's/^  \{1,\}\(-[A-Za-z], \)\{0,1\}\(--[a-z0-9-]*\).*/\2/p' | sort -u; }

# One man page section's options (roff on stdin: ".B \-x, \-\-name ARG" after .TP), sorted.
man_opts() {
	awk 'prev == ".TP" && /^\.B / { print } { prev = $0 }' | sed 's/\\-/-/g' |
		grep -o -- '--[a-z0-9-]*' | sort -u
}

# The section of the man page @1 for "@2 [OPTIONS]" (up to the next .SS or .SH).
man_section() {
	awk -v want="$2 [OPTIONS]" '
		/^\.S[SH] / { s = $0; sub(/^\.SS "/, "", s); gsub(/\\-/, "-", s)
			on = index(s, want) == 1 && (length(s) == length(want) || substr(s, length(want) + 1, 1) == " " || substr(s, length(want) + 1, 1) == "\"")
			next }
		on' "$1"
}

# check_cmd PROG MANPAGE WORDS...: --help, --bogus and the man page of one command.
check_cmd() {
	local prog=$1 man=$2 name
	shift 2
	name="$(basename "$prog")${*:+ $*}"
	"$prog" "$@" --help >"$T/out" 2>"$T/err"
	local rc=$?
	if [ $rc != 0 ] || ! head -n 1 "$T/out" | grep -q '^Usage: ' || [ -s "$T/err" ]; then
		bad "$name --help: exit $rc, stdout '$(head -n 1 "$T/out")', stderr '$(cat "$T/err")'"
		return
	fi
	ok
	awk 'length($0) > 80 { print; bad = 1 } END { exit bad }' "$T/out" >"$T/wide" ||
		bad "$name --help is wider than 80 columns: $(head -n 1 "$T/wide")"
	help_opts <"$T/out" >"$T/help.opts"
	grep -qx -- --help "$T/help.opts" || bad "$name --help does not list --help"
	"$prog" "$@" --bogus >"$T/bout" 2>"$T/berr"
	rc=$?
	if [ $rc != 2 ] || [ "$(wc -l <"$T/berr")" != 1 ] || ! grep -q -- "'--bogus'" "$T/berr" ||
	   [ -s "$T/bout" ]; then
		bad "$name --bogus: exit $rc (want 2), stderr $(wc -l <"$T/berr") lines: $(cat "$T/berr")"
	else
		ok
	fi
	# the man page: this command's own section lists the same options
	if [ "$name" = tabula ]; then
		awk '/^\.SH OPTIONS/ { on = 1; next } /^\.SH / { on = 0 } on' "$man" | man_opts >"$T/man.opts"
	else
		man_section "$man" "$name" | man_opts >"$T/man.opts"
	fi
	if ! diff -u "$T/help.opts" "$T/man.opts" >"$T/diff"; then
		bad "$name: $(basename "$man") and --help list different options (- help, + man):"
		sed 's/^/    /' "$T/diff"
	else
		ok
	fi
	cat "$T/help.opts" >>"$T/all-help.opts"
}

for m in wiper.8 certs.1 tabula.8; do
	[ -s "$B/doc/$m" ] || { echo "SKIP: $B/doc/$m not built"; exit 77; }
done

# Every subcommand the top-level --help lists, and the top level itself.
for prog in "$WIPER" "$CERTS"; do
	case $prog in *wiper) man=$B/doc/wiper.8 ;; *) man=$B/doc/certs.1 ;; esac
	"$prog" --help >"$T/top" 2>"$T/toperr" && [ ! -s "$T/toperr" ] || bad "$prog --help"
	$GEN commands "$prog" >"$T/cmds"
	[ "$(wc -l <"$T/cmds")" -ge 6 ] || bad "$prog --help lists only $(wc -l <"$T/cmds") commands"
	: >"$T/all-help.opts"
	while IFS= read -r c; do
		# shellcheck disable=SC2086 # "custody init" is two words
		check_cmd "$prog" "$man" $c
	done <"$T/cmds"
	"$prog" --bogus >"$T/bout" 2>"$T/berr"
	[ $? = 2 ] && [ "$(wc -l <"$T/berr")" = 1 ] && grep -q -- "--bogus" "$T/berr" ||
		bad "$prog --bogus: $(cat "$T/berr")"
	# and no option in the man page that no --help lists
	sort -u "$T/all-help.opts" >"$T/all.opts"
	man_opts <"$man" >"$T/allman.opts"
	comm -13 "$T/all.opts" "$T/allman.opts" >"$T/extra"
	[ -s "$T/extra" ] && bad "$(basename "$man") lists options no --help has: $(tr '\n' ' ' <"$T/extra")"
done
check_cmd "$TABULA" "$B/doc/tabula.8"

# A short option and a missing value are named the same way.
"$WIPER" list -x >/dev/null 2>"$T/err"
[ $? = 2 ] && grep -q "unknown option '-x'" "$T/err" || bad "wiper list -x: $(cat "$T/err")"
"$WIPER" erase --ledger >/dev/null 2>"$T/err"
[ $? = 2 ] && grep -q -- "--ledger needs a value" "$T/err" && [ "$(wc -l <"$T/err")" = 1 ] ||
	bad "wiper erase --ledger: $(cat "$T/err")"
"$CERTS" list --json --wide --nope ledger.db >/dev/null 2>"$T/err"
[ $? = 2 ] && grep -q "certs list: unknown option '--nope' (try 'certs list --help')" "$T/err" ||
	bad "certs list --nope: $(cat "$T/err")"
# Old spellings still work but are not documented.
"$CERTS" destroy --help | grep -q -- --property && bad "certs destroy --help shows the alias --property"
"$CERTS" destroy "$T/l.db" --property X --serial S --technique Shred --operator "A B" --witness "C D" \
	--station ST01 --custody "file:$T/l.key" >"$T/out" 2>"$T/err" ||
	bad "certs destroy --property (old spelling): $(cat "$T/err")"
"$CERTS" show --json "$T/l.db" 1 | grep -q '"property_number":"X"' ||
	bad "certs destroy --property did not set the asset number"

# Every --json is one valid UTF-8 JSON document on stdout, also for a ledger
# whose path is not UTF-8 and when the answer is "no".
if command -v python3 >/dev/null; then
	J=$T/$'j\xff'
	mkdir -p "$J"
	json_ok() { # json_ok WHAT CMD...: stdout parses as JSON (exit status not judged)
		local what=$1
		shift
		"$@" >"$T/json" 2>"$T/jerr"
		if python3 -c 'import json, sys; json.loads(open(sys.argv[1], "rb").read().decode("utf-8"))' \
			"$T/json" 2>"$T/jpy"; then ok; else bad "$what: not valid UTF-8 JSON: $(head -c 300 "$T/json") $(tail -n 1 "$T/jpy") $(cat "$T/jerr")"; fi
	}
	L=$J/ledger.db
	json_ok "certs destroy --json" "$CERTS" destroy "$L" --station ST01 --serial SN-1 --technique Shred \
		--operator "李伟" --witness "Anna Berg" --asset INV-1 --json
	json_ok "certs list --json" "$CERTS" list --json "$L"
	json_ok "certs find --json" "$CERTS" find --json "$L" --serial SN-1
	json_ok "certs show --json" "$CERTS" show --json "$L" 1
	json_ok "certs verify --json" "$CERTS" verify --json "$L"
	grep -q '"genuine":true' "$T/json" || bad "certs verify --json on a good ledger: $(cat "$T/json")"
	json_ok "certs verify --json --pdf" "$CERTS" verify --json --pdf "$J/ST01-000001.pdf"
	echo junk >"$J/junk.db"
	json_ok "certs verify --json (not a ledger)" "$CERTS" verify --json "$J/junk.db"
	grep -q '"genuine":false' "$T/json" && grep -q '"error"' "$T/json" ||
		bad "certs verify --json on junk: $(cat "$T/json")"
	json_ok "certs lang --json" "$CERTS" lang --json "$L"
	json_ok "certs trust fingerprint --json" "$CERTS" trust fingerprint --json "$L"
	json_ok "certs trust list --json" "$CERTS" trust list --json "$L"
	json_ok "certs custody status --json" "$CERTS" custody status --json "$L"
	json_ok "certs recover --json" "$CERTS" recover --json "$L"
	json_ok "certs merge --json" "$CERTS" merge --json "$J/reg.db" "$L"
	json_ok "wiper decode --json" "$WIPER" decode --json ata-identify "$S/tests/fixtures/ata/qemu-ahci.identify.bin"
	json_ok "wiper unfreeze --check --json" "$WIPER" unfreeze --check --json
	json_ok "wiper list --json" "$WIPER" list --json
else
	echo "note: python3 missing; JSON output not checked"
fi

# tabula.conf(5): the settings the parser reads, the ones --help names, the man page's.
CONF=$S/doc/tabula.conf.5
grep -ho 'strcmp(key, "[a-z_]*")' "$S/ui-ncurses/station/config.c" "$S/certs/conf.c" |
	sed 's/.*"\(.*\)".*/\1/' | sort -u >"$T/conf.parser"
awk '/^\.SH SETTINGS/ { on = 1; next } /^\.SH / { on = 0 } on && prev == ".TP" { print $2 } { prev = $0 }' \
	"$CONF" | sort -u >"$T/conf.man"
"$TABULA" --help | awk '/^Configuration lines/ { on = 1 } on' | grep -o "'[a-z_]* =" | tr -d "' =" |
	sort -u >"$T/conf.help"
[ "$(wc -l <"$T/conf.parser")" -ge 5 ] || bad "found only $(wc -l <"$T/conf.parser") settings in config.c"
diff -u "$T/conf.parser" "$T/conf.man" >"$T/diff" ||
	{ bad "tabula.conf(5) and the parser differ (- parser, + man):"; sed 's/^/    /' "$T/diff"; }
diff -u "$T/conf.parser" "$T/conf.help" >"$T/diff" ||
	{ bad "tabula --help and the parser differ (- parser, + help):"; sed 's/^/    /' "$T/diff"; }
# ... and the station takes each one (--boot-options parses the file and exits)
printf 'quiet\n' >"$T/cmdline"
while read -r key; do
	case $key in
	operator|witness|person) val="Ann Example, Technician" ;;
	lang) val=zh ;;
	station) val=LAB-1 ;;
	require_witness|allow_ram_ledger) val=yes ;;
	supervisor|approver) val="Dee Example, Supervisor" ;;
	supervisors) val=2 ;;
	require_approval) val=yes ;;
	classification) val="秘密, Secret, classified" ;;
	timezone) val=Asia/Shanghai ;;
	unit|department|location|phone) val="Room 1" ;;
	*) val="$T/x" ;;
	esac
	: >"$T/one.conf"
	case $key in unit|department|location|phone) echo "person = Ann Example, Technician" >"$T/one.conf" ;; esac
	printf '%s = %s\n' "$key" "$val" >>"$T/one.conf"
	"$TABULA" --config "$T/one.conf" --boot-options "$T/cmdline" >/dev/null 2>"$T/err" ||
		bad "tabula refuses the documented setting '$key = $val': $(cat "$T/err")"
done <"$T/conf.man"
printf 'statoin = X\n' >"$T/typo.conf"
"$TABULA" --config "$T/typo.conf" --boot-options "$T/cmdline" >/dev/null 2>&1 &&
	bad "tabula accepts an undocumented setting"
man -l "$CONF" >/dev/null 2>&1 || command -v man >/dev/null || true

# The man pages render without warnings (when man is installed).
if command -v man >/dev/null; then
	for m in "$B/doc/wiper.8" "$B/doc/certs.1" "$B/doc/tabula.8" "$CONF"; do
		w=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$m" 2>&1 >/dev/null)
		[ -z "$w" ] || bad "$(basename "$m") renders with warnings: $w"
	done
else
	echo "note: man not installed; rendering not checked"
fi

# Bash completion: the commands and, for each, exactly the options --help lists.
export PATH="$(cd "$(dirname "$WIPER")" && pwd):$(cd "$(dirname "$CERTS")" && pwd):$(cd "$(dirname "$TABULA")" && pwd):$PATH"
bash -c '
	. "$1/doc/completion.bash"
	comp() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=(); _tabula_complete
		printf "%s\n" "${COMPREPLY[@]}" | sort -u; }
	fails=0
	for prog in wiper certs; do
		want=$(sh "$1/doc/man-gen.sh" commands $prog | cut -d" " -f1 | sort -u)
		got=$(comp $prog "" | grep -v "^--")
		[ "$want" = "$got" ] || { echo "not ok: completion of \"$prog \": $got"; fails=$((fails + 1)); }
		for c in $want; do
			want=$($prog $c --help | sed -n "s/^  \{1,\}\(-[A-Za-z], \)\{0,1\}\(--[a-z0-9-]*\).*/\2/p" | sort -u)
			got=$(comp $prog $c --)
			[ "$want" = "$got" ] || { echo "not ok: completion of \"$prog $c --\": $got"; fails=$((fails + 1)); }
		done
	done
	[ "$(comp wiper erase --method gut)" = gutmann ] || { echo "not ok: --method values"; fails=$((fails + 1)); }
	[ "$(comp certs destroy --lang "")" = "$(printf "en\nzh")" ] || { echo "not ok: --lang values"; fails=$((fails + 1)); }
	[ "$(comp tabula --demo-d)" = --demo-dir ] || { echo "not ok: tabula options"; fails=$((fails + 1)); }
	[ "$(comp certs trust "" | tr "\n" " ")" = "add fingerprint list revoke " ] ||
		{ echo "not ok: certs trust words: $(comp certs trust "")"; fails=$((fails + 1)); }
	[ "$(comp certs custody "" | tr "\n" " ")" = "init setup status " ] ||
		{ echo "not ok: certs custody words"; fails=$((fails + 1)); }
	[ "$(comp wiper decode "" | tr "\n" " ")" = "ata-identify nvme-id-ctrl " ] ||
		{ echo "not ok: wiper decode kinds"; fails=$((fails + 1)); }
	exit $fails
' _ "$S" || fails=$((fails + $?))
checks=$((checks + 1))

# The README's command reference is what --help says today.
if ! awk '/<!-- commands:begin/ { on = 1; next } /<!-- commands:end/ { on = 0 } on' "$S/README.md" >"$T/readme.ref" ||
   [ ! -s "$T/readme.ref" ]; then
	bad "README.md has no command reference (<!-- commands:begin --> ... <!-- commands:end -->)"
else
	$GEN readme "$WIPER" "$CERTS" "$TABULA" >"$T/readme.now"
	diff -u "$T/readme.ref" "$T/readme.now" >"$T/diff" ||
		{ bad "README's command reference is stale: run scripts/readme-commands.sh (- README, + now)"
		  head -n 40 "$T/diff" | sed 's/^/    /'; }
fi
grep -n '\.\./shared/' "$S/README.md" && bad "README.md points at ../shared/ files a clone does not have"

[ "$fails" = 0 ] || { echo "$fails of $checks checks failed"; exit 1; }
echo "all $checks checks passed: --help, usage errors, man pages, completion and README agree"
