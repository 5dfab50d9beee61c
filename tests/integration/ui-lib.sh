# SPDX-License-Identifier: GPL-3.0-or-later
# Driving the station program in tmux: start it, read the screen, send keys.
# Sourced by tests/integration/ui-*.sh after tests/lib/safety.sh.

: "${TABULA:=${top_builddir:-.}/ui-ncurses/tabula}"
UI_SOCK="tabula-test-$$"
UI_SCREEN=

ui_tmux() { timeout 10 tmux -L "$UI_SOCK" "$@"; }

ui_require() {
	command -v tmux >/dev/null || tab_skip "tmux not installed"
	command -v timeout >/dev/null || tab_skip "timeout not installed"
	[ -x "$TABULA" ] || tab_skip "$TABULA not built"
}

# ui_start COLS ROWS ARGS...: run tabula in a detached tmux session "ui".
ui_start() {
	local cols=$1 rows=$2; shift 2
	printf '%q ' "$TABULA" "$@" >"$TESTDIR/cmd"
	ui_tmux new-session -d -s ui -x "$cols" -y "$rows" \
		"TERM=xterm-256color timeout --foreground 300 $(cat "$TESTDIR/cmd") 2>$TESTDIR/stderr; echo TABULA-EXIT=\$?; sleep 120" ||
		tab_fail "cannot start tmux"
	trap 'ui_tmux kill-server 2>/dev/null; tab_cleanup' EXIT
}

ui_capture() { UI_SCREEN=$(ui_tmux capture-pane -p -t ui 2>/dev/null); }

# ui_wait SECONDS TEXT: poll the screen until TEXT shows (fixed string).
ui_wait() {
	local deadline=$((SECONDS + $1))
	while :; do
		ui_capture
		grep -qF -- "$2" <<<"$UI_SCREEN" && return 0
		[ "$SECONDS" -ge "$deadline" ] && break
		sleep 0.2
	done
	echo "--- waited ${1}s for '$2'; the screen was:"
	echo "$UI_SCREEN"
	echo "---"
	return 1
}

# ui_wait_re SECONDS REGEX: as ui_wait with an extended regular expression.
ui_wait_re() {
	local deadline=$((SECONDS + $1))
	while :; do
		ui_capture
		grep -qE -- "$2" <<<"$UI_SCREEN" && return 0
		[ "$SECONDS" -ge "$deadline" ] && break
		sleep 0.2
	done
	echo "--- waited ${1}s for /$2/; the screen was:"
	echo "$UI_SCREEN"
	echo "---"
	return 1
}

# ui_wait_gone SECONDS TEXT: poll the screen until TEXT no longer shows.
ui_wait_gone() {
	local deadline=$((SECONDS + $1))
	while :; do
		ui_capture
		grep -qF -- "$2" <<<"$UI_SCREEN" || return 0
		[ "$SECONDS" -ge "$deadline" ] && break
		sleep 0.2
	done
	echo "--- waited ${1}s for '$2' to go; the screen was:"
	echo "$UI_SCREEN"
	echo "---"
	return 1
}

ui_keys() { ui_tmux send-keys -t ui "$@"; }

# ui_cursor_to NAME: move the list cursor (the '>' glyph) onto NAME.
ui_cursor_to() {
	local i
	ui_keys PPage PPage PPage
	for i in $(seq 1 80); do
		ui_capture
		grep -qE "^.{3}>$1 " <<<"$UI_SCREEN" && return 0
		ui_keys Down
		sleep 0.1
	done
	return 1
}

# A station configuration with a required witness.
ui_config() {
	cat >"$TESTDIR/station.conf" <<EOC
station = TEST-STATION
operator = Ann Example, Technician
witness = Bob Example, Supervisor
require_witness = yes
EOC
	echo "$TESTDIR/station.conf"
}

# Through the session screen: operator Ann, witness Bob.
ui_login() {
	ui_wait 20 "Who is on duty?" || return 1
	ui_keys Enter
	ui_wait 5 "Who witnesses?" || return 1
	ui_keys Enter
	ui_wait 10 "Witness: Bob Example"
}

# ui_details ASSET OWNER CLASSIFICATION [CARRIER]: fill the certificate details
# step of one medium in its order (carrier number, asset number, then the
# owner unit and the classification; "" leaves a field empty) and go on.
ui_details() {
	local f
	ui_wait 5 "asset numbers" || return 1
	# One medium: its carrier number ($4, may be empty), then its asset number,
	# then the batch's owner and classification.
	for f in "${4:-}" "$1" "$2" "$3"; do
		[ -n "$f" ] && ui_keys -l "$f"
		ui_keys Enter
	done
	return 0
}

# ui_dest N: on the destination step, move N entries down and go on.
ui_dest() {
	local i
	ui_wait 5 "where do the media go next?" || return 1
	for ((i = 0; i < $1; i++)); do ui_keys Down; done
	ui_keys Enter
}
