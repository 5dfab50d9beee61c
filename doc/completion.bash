# SPDX-License-Identifier: GPL-3.0-or-later
# Bash completion for wiper, certs and tabula. Commands and options are read
# from the programs' own --help when completing, so they cannot drift from it.

# The subcommands PROG --help lists (first words: "custody init" gives custody).
_tabula_cmds() {
	"$1" --help 2>/dev/null | awk '
		/^Commands:/ { on = 1; next }
		on && /^$/ { exit }
		on && /^  [a-z]/ { print $1 }' | sort -u
}

# The long options of PROG [SUB...] --help.
_tabula_opts() {
	"$@" --help 2>/dev/null |
		sed -n 's/^  \{1,\}\(-[A-Za-z], \)\{0,1\}\(--[a-z0-9-]*\).*/\2/p'| sort -u
}

# The words that follow PROG SUB in its own usage lines ("certs trust add ...").
_tabula_subwords() {
	"$1" "$2" --help 2>/dev/null |
		sed -n "s/^\(Usage: \|  \)${1##*/} $2 \([a-z][a-z-]*\) .*/\2/p" | sort -u
}

# Does option OPT of PROG [SUB...] take a value? Its placeholder, or nothing.
_tabula_optarg() {
	local opt=$1
	shift
	"$@" --help 2>/dev/null |
		sed -n "s/^  \{1,\}\(-[A-Za-z], \)\{0,1\}$opt \([^ ]\{1,\}\).*/\2/p" | head -n 1
}

_tabula_complete() {
	local cur=${COMP_WORDS[COMP_CWORD]} prog=${COMP_WORDS[0]} prev="" arg i
	local -a sub=()

	[ "$COMP_CWORD" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD - 1]}
	# the subcommand words typed so far (not options, not their values)
	if [ "${prog##*/}" != tabula ]; then
		for ((i = 1; i < COMP_CWORD; i++)); do
			case ${COMP_WORDS[i]} in
			-*) ;;
			*) sub+=("${COMP_WORDS[i]}"); break ;;
			esac
		done
	fi
	if [ "${prog##*/}" != tabula ] && [ ${#sub[@]} -eq 0 ]; then
		mapfile -t COMPREPLY < <(compgen -W "$(_tabula_cmds "$prog") --help --version" -- "$cur")
		return
	fi
	# the value of an option that takes one
	if [[ $prev == --* ]]; then
		arg=$(_tabula_optarg "$prev" "$prog" "${sub[@]}")
		if [ -n "$arg" ]; then
			case $prev in
			--method)
				mapfile -t COMPREPLY < <(compgen -W "purge clear $("$prog" erase --help 2>/dev/null |
					awk '/^Overwrite methods/ { on = 1; next } on && /^  [a-z]/ { print $1 }')" -- "$cur") ;;
			--verify) mapfile -t COMPREPLY < <(compgen -W "none last all sample" -- "$cur") ;;
			--lang) mapfile -t COMPREPLY < <(compgen -W "en zh" -- "$cur") ;;
			--prng) mapfile -t COMPREPLY < <(compgen -W "portable avx2 avx512" -- "$cur") ;;
			--destination)
				mapfile -t COMPREPLY < <(compgen -W "internal-reuse external-reuse recycling destruction manufacturer other" -- "$cur") ;;
			*)
				compopt -o filenames 2>/dev/null
				mapfile -t COMPREPLY < <(compgen -f -- "$cur") ;;
			esac
			return
		fi
	fi
	if [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$(_tabula_opts "$prog" "${sub[@]}")" -- "$cur")
		return
	fi
	# the second word of "certs trust add", "certs custody init": from the usage lines
	if [ ${#sub[@]} -eq 1 ] && [ "$COMP_CWORD" -eq 2 ]; then
		arg=$(_tabula_subwords "$prog" "${sub[0]}")
		if [ -n "$arg" ]; then
			mapfile -t COMPREPLY < <(compgen -W "$arg" -- "$cur")
			return
		fi
	fi
	compopt -o filenames 2>/dev/null
	if [ "${prog##*/}" = wiper ] && [[ -z $cur || $cur == /dev/* ]]; then
		# wiper's operands are block devices (decode's FILE is the exception)
		if [ "${sub[0]}" = decode ]; then
			mapfile -t COMPREPLY < <(compgen -f -- "$cur")
			[ "$COMP_CWORD" -eq 2 ] &&
				mapfile -t COMPREPLY < <(compgen -W "ata-identify nvme-id-ctrl" -- "$cur")
			return
		fi
		COMPREPLY=()
		for arg in $(compgen -f -- "${cur:-/dev/}"); do
			[ -b "$arg" ] && COMPREPLY+=("$arg")
		done
	else
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
	fi
}

complete -F _tabula_complete wiper certs tabula
