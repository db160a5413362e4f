#!/usr/bin/env bash
# Write TREE's commits base..HEAD as patch files, one directory per series:
# OUTDIR/NN-name/ gets the series' NNNN-*.patch files, numbered within the
# series, and its 'series' file.  Each marker commit ('series: NN-name')
# starts a series; the commits up to the next marker are its patches.
#
# The hashes on the diffs' index lines are abbreviated to a fixed length:
# git's default grows with the number of objects in the repository, so a
# freshly expanded tree and a long-used one would write different patches.
#
# usage: format-series.sh TREE OUTDIR
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=/dev/null
. "$top/scripts/lib.sh"
tree=$1
out=$2
fail() { echo "format-series: $*" >&2; exit 1; }

mapfile -t commits < <(git -C "$tree" rev-list --reverse base..HEAD)
mapfile -t markers < <(series_markers "$tree")
[ ${#commits[@]} -gt 0 ] || exit 0
if [ ${#markers[@]} -eq 0 ] || [ "${commits[0]}" != "${markers[0]%% *}" ]; then
	fail "$tree has commits before the first 'series: NN-name' marker;" \
		"every patch belongs to the series of the marker before it"
fi

names=()
for m in "${markers[@]}"; do
	name=${m#* }
	[[ $name =~ ^[0-9][0-9]-[^[:space:]/]+$ ]] ||
		fail "marker ${m:0:12} 'series: $name' does not name a series (NN-name)"
	git -C "$tree" diff-tree --quiet "${m%% *}^" "${m%% *}" ||
		fail "marker ${m:0:12} 'series: $name' changes files; a marker must stay empty"
	names+=("$name")
done
# expand.sh applies the series in the lexical order of their names.
if ! printf '%s\n' "${names[@]}" | LC_ALL=C sort -c -u 2>/dev/null; then
	fail "markers out of order or repeated in $tree: ${names[*]};" \
		"the series apply in the lexical order of their names"
fi

for i in "${!markers[@]}"; do
	m=${markers[i]%% *}
	if [ $((i + 1)) -lt ${#markers[@]} ]; then
		end=${markers[i + 1]%% *}^
	else
		end=HEAD
	fi
	mkdir -p "$out/${names[i]}"
	git -C "$tree" format-patch -q --zero-commit --no-signature --abbrev=12 \
		-o "$out/${names[i]}" "$m..$end"
	patch_files "$out/${names[i]}" >"$out/${names[i]}/series"
done
