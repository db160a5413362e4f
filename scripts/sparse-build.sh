#!/usr/bin/env bash
# Print the path of a sparse that the kernel accepts (scripts/checker-valid.sh).
# Debian's installed sparse is used when it is new enough; otherwise the
# sparse source package of Debian's sid suite is built into build/tools/.
#
# usage: sparse-build.sh TREE
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tree=$(cd "$1" && pwd)
valid() {
	[ "$(sh "$tree/scripts/checker-valid.sh" "$1" --arch=x86 -m64 2>/dev/null)" = 1 ]
}

if command -v sparse >/dev/null && valid sparse; then
	command -v sparse
	exit 0
fi
dir=$top/build/tools
built=$(find "$dir" -maxdepth 2 -path '*/sparse-*/sparse' -type f 2>/dev/null | head -n 1 || true)
if [ -n "$built" ] && valid "$built"; then
	echo "$built"
	exit 0
fi

echo "sparse-build: the installed sparse is too old for this kernel; building sid's" >&2
mkdir -p "$dir"
rm -rf "$dir"/sparse[-_]*
"$top/scripts/apt-private.sh" sid apt-get -qq update >&2
if ! (cd "$dir" && "$top/scripts/apt-private.sh" sid apt-get -qq source --download-only sparse >&2); then
	echo "sparse-build: could not download the sparse source package from sid" >&2
	exit 1
fi
tar -xzf "$dir"/sparse_*.orig.tar.gz -C "$dir"
src=$(find "$dir" -maxdepth 1 -type d -name 'sparse-*' | head -n 1)
make -s -C "$src" -j"$(nproc)" sparse HAVE_LLVM=no HAVE_SQLITE=no HAVE_GTK=no >&2
valid "$src/sparse" || { echo "sparse-build: $src/sparse is not accepted either" >&2; exit 1; }
echo "$src/sparse"
