#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# build.sh BUILDDIR [CONFIGURE-ARGS...]: configure and build out of tree.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
builddir=$1; shift
cd "$top"
[ -x configure ] && [ configure -nt configure.ac ] || autoreconf -fi
mkdir -p "$builddir"
cd "$builddir"
if [ ! -f Makefile ] || [ "$(cat .tabula-configure-args 2>/dev/null)" != "$*" ]; then
	"$top/configure" -q "$@"
	echo "$*" >.tabula-configure-args
fi
make -s -j"$(nproc)"
