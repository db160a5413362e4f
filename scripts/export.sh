#!/usr/bin/env bash
# Export the expanded tree's commits (base..HEAD) back into patches/, one
# directory per series as its markers divide them, and regenerate each
# directory's 'series' file.  The hand-written cover letters
# (0000-cover-letter.patch) are kept.
#
# usage: export.sh TREE
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=/dev/null
. "$top/scripts/lib.sh"
tree=$1
dir=$top/patches

if [ -n "$(git -C "$tree" status --porcelain --untracked-files=no)" ]; then
	echo "export: $tree has uncommitted changes; commit them first" >&2
	exit 1
fi
# Half a rebase would export as a series that lost its later patches.
for state in rebase-merge rebase-apply; do
	if [ -e "$(git -C "$tree" rev-parse --path-format=absolute --git-path "$state")" ]; then
		echo "export: $tree is in the middle of a rebase or git am; finish it first" >&2
		exit 1
	fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$top/scripts/format-series.sh" "$tree" "$tmp"

# Exporting would drop the patches of a series that the tree lacks.
mkdir -p "$dir"
lost=()
while read -r s; do
	[ ! -d "$tmp/$s" ] || continue
	[ -z "$(series_patches "$dir/$s")$(patch_files "$dir/$s")" ] || lost+=("$s")
done < <(series_dirs "$dir")
if [ ${#lost[@]} -gt 0 ]; then
	for s in "${lost[@]}"; do
		echo "export: patches/$s/ holds patches, but $tree has no 'series: $s' marker" >&2
	done
	echo "export: nothing written; re-expand, or add the marker with git rebase -i" >&2
	exit 1
fi

while read -r s; do
	mkdir -p "$dir/$s"
	while read -r p; do rm -f "$dir/$s/$p"; done < <(patch_files "$dir/$s")
	while read -r p; do cp "$tmp/$s/$p" "$dir/$s/"; done <"$tmp/$s/series"
	cp "$tmp/$s/series" "$dir/$s/series"
	echo "export: $(wc -l <"$dir/$s/series") patches in patches/$s/" >&2
	[ -e "$dir/$s/0000-cover-letter.patch" ] ||
		echo "export: patches/$s/ has no 0000-cover-letter.patch yet; write one" >&2
done < <(series_dirs "$tmp")
git -C "$tree" rev-parse HEAD >"$(tree_state "$tree")"
