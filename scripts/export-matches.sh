#!/usr/bin/env bash
# Succeed when exporting TREE would leave patches/ byte-identical.
#
# usage: export-matches.sh TREE
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tree=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$top/scripts/format-series.sh" "$tree" "$tmp"
(cd "$tmp" && find . -maxdepth 1 -name '*.patch' -printf '%f\n' | sort) >"$tmp/series.new"
sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$top/patches/series" >"$tmp/series.old"
cmp -s "$tmp/series.new" "$tmp/series.old" || exit 1
while read -r p; do
	cmp -s "$tmp/$p" "$top/patches/$p" || exit 1
done <"$tmp/series.old"
