#!/usr/bin/env bash
# Export the expanded tree's commits (base..HEAD) back into patches/ and
# regenerate patches/series.  The hand-written cover letter
# (patches/0000-cover-letter.patch) is kept.
#
# usage: export.sh TREE
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tree=$1
dir=$top/patches

if [ -n "$(git -C "$tree" status --porcelain --untracked-files=no)" ]; then
	echo "export: $tree has uncommitted changes; commit them first" >&2
	exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$top/scripts/format-series.sh" "$tree" "$tmp"

mkdir -p "$dir"
find "$dir" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' \
	! -name '0000-cover-letter.patch' -delete
: >"$dir/series"
for p in "$tmp"/*.patch; do
	[ -e "$p" ] || continue
	cp "$p" "$dir/"
	basename "$p" >>"$dir/series"
done
echo "export: $(wc -l <"$dir/series") patches in patches/" >&2
