#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Regenerate the README's command reference (between <!-- commands:begin -->
# and <!-- commands:end -->) from the built programs' --help, the same text
# the man pages are made of. tests/integration/cli-help.sh fails when it is stale.
#   bash scripts/readme-commands.sh [BUILDDIR]     (default: build)
set -eu
HERE=$(cd "$(dirname "$0")/.." && pwd)
B=$(cd "${1:-$HERE/build}" && pwd)
README=$HERE/README.md
ref=$(mktemp)
trap 'rm -f "$ref" "$ref.new"' EXIT
sh "$HERE/doc/man-gen.sh" readme "$B/wiper/wiper" "$B/certs/certs" "$B/ui-ncurses/tabula" >"$ref"
awk -v ref="$ref" '
	/<!-- commands:begin/ { print; while ((getline l < ref) > 0) print l; skip = 1; next }
	/<!-- commands:end/ { skip = 0 }
	!skip' "$README" >"$ref.new"
grep -q '<!-- commands:begin' "$ref.new" || { echo "readme-commands.sh: no <!-- commands:begin --> in $README" >&2; exit 1; }
cat "$ref.new" >"$README"
echo "README.md: command reference regenerated from $B"
