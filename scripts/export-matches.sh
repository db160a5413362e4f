#!/usr/bin/env bash
# Succeed when exporting TREE would leave patches/ byte-identical: the same
# series directories, each with the same 'series' file and patch files.
#
# usage: export-matches.sh TREE
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=/dev/null
. "$top/scripts/lib.sh"
tree=$1
dir=$top/patches
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$top/scripts/format-series.sh" "$tree" "$tmp/new"
mkdir -p "$tmp/new"
while read -r s; do
	if [ ! -d "$tmp/new/$s" ]; then
		# export leaves a series without marker alone if it has no patches
		[ -z "$(series_patches "$dir/$s")$(patch_files "$dir/$s")" ] || exit 1
		continue
	fi
	[ -d "$dir/$s" ] || exit 1
	cmp -s "$tmp/new/$s/series" "$dir/$s/series" || exit 1
	cmp -s <(patch_files "$tmp/new/$s") <(patch_files "$dir/$s") || exit 1
	while read -r p; do
		cmp -s "$tmp/new/$s/$p" "$dir/$s/$p" || exit 1
	done <"$tmp/new/$s/series"
done < <({ series_dirs "$dir"; series_dirs "$tmp/new"; } | LC_ALL=C sort -u)
