#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The man pages and the README's command reference, generated from the
# programs' own --help (one table per command in the source, see
# wiper/base/cliopt.h), so they cannot drift from it.
#
#   man-gen.sh commands PROG            the subcommands PROG --help lists
#   man-gen.sh man PROG TEMPLATE        TEMPLATE with @COMMANDS@ (each
#                                       subcommand's usage) or @OPTIONS@ (PROG's
#                                       own) replaced, as roff
#   man-gen.sh readme PROG...           the commands of each PROG, as Markdown
set -eu

# The subcommands of PROG, one a line ("custody init" is one).
commands() {
	"$1" --help | awk '
		/^Commands:/ { on = 1; next }
		on && /^$/ { exit }
		on && /^  [a-z]/ { sub(/^  /, ""); split($0, f, /  +/); print f[1] }'
}

# One command's --help on stdin, as roff (section heading and options) or Markdown.
render() { # render man|readme
	awk -v mode="$1" '
	function roff(s) {
		gsub(/\\/, "\\e", s); gsub(/-/, "\\-", s)
		if (s ~ /^[.'\'']/) s = "\\&" s
		return s
	}
	function md(s) { gsub(/\|/, "\\|", s); return s }
	function flush_opt() {
		if (head == "") return
		if (mode == "man") { print ".TP"; print ".B " roff(head); print roff(text) }
		else printf "| `%s` | %s |\n", head, md(text)
		head = ""; text = ""
	}
	NR == 1 { sub(/^Usage: /, ""); synopsis = $0; next }
	state == 0 && /^$/ { next }
	state == 0 { summary = $0; state = 1
		if (mode == "man") { print ".SS \"" roff(synopsis) "\""; print roff(summary) }
		else { print "### `" synopsis "`"; print ""; print summary; print "" }
		next }
	state == 1 && /^Options:/ { state = 2
		if (mode == "man") print ".RS"
		else { print "| Option | |"; print "|---|---|" }
		next }
	state == 2 && /^  +-/ {
		flush_opt()
		line = $0; sub(/^ +/, "", line)
		# the head ends where two spaces start the help text
		i = index(line, "  ")
		if (i) { head = substr(line, 1, i - 1); text = substr(line, i); sub(/^ +/, "", text) }
		else { head = line; text = "" }
		next }
	state == 2 && /^                          / { t = $0; sub(/^ +/, "", t)
		text = text == "" ? t : text " " t; next }
	state == 2 && /^$/ { flush_opt(); state = 3
		if (mode == "man") print ".RE"; else print ""
		next }
	state == 3 {
		if (!notes_on) { notes_on = 1; if (mode == "man") print ".PP\n.nf" }
		if (mode == "man") print roff($0); else print "    " $0
		next }
	END {
		if (state == 2) { flush_opt(); if (mode == "man") print ".RE"; else print "" }
		if (notes_on) { if (mode == "man") print ".fi"; else print "" }
	}'
}

case ${1:-} in
commands)
	commands "$2" ;;
man)
	prog=$2 template=$3
	while IFS= read -r line; do
		case $line in
		@COMMANDS@)
			commands "$prog" | while IFS= read -r c; do
				# shellcheck disable=SC2086 # "custody init" is two words
				"$prog" $c --help | render man
			done ;;
		@OPTIONS@)
			"$prog" --help | render man ;;
		*)
			printf '%s\n' "$line" ;;
		esac
	done <"$template" ;;
readme)
	shift
	for prog in "$@"; do
		cmds=$(commands "$prog")
		if [ -z "$cmds" ]; then
			"$prog" --help | render readme
		else
			printf '%s\n' "$cmds" | while IFS= read -r c; do
				# shellcheck disable=SC2086
				"$prog" $c --help | render readme
			done
		fi
	done ;;
*)
	echo "usage: man-gen.sh commands PROG | man PROG TEMPLATE | readme PROG..." >&2
	exit 2 ;;
esac
