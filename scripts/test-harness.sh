#!/usr/bin/env bash
# Test the harness itself: exporting the expanded tree must reproduce
# patches/ byte for byte, and a broken patch must be named by the expansion.
#
# usage: test-harness.sh TREE
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tree=$1
res=$top/build/results/harness.tsv
mkdir -p "$(dirname "$res")"
: >"$res"
record() { printf '%s\t%s\t%s\n' "$1" "$2" "${3:-}" | tee -a "$res"; }

if "$top/scripts/export-matches.sh" "$tree"; then
	record PASS "expand then export leaves patches/ identical"
else
	record FAIL "expand then export leaves patches/ identical" "run make export and compare"
fi

# A copy of the project whose last patch no longer applies.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
last=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$top/patches/series" | tail -n 1)
if [ -z "$last" ]; then
	record SKIP "a broken patch is named" "the series is empty"
	exit 0
fi
cp -r "$top/scripts" "$top/patches" "$top/BASE" "$scratch/"
mkdir -p "$scratch/build"
ln -s "$top/build/cache" "$scratch/build/cache"
# break the first context line of its first hunk
awk '!done && /^@@ / { hunk = 1 } !done && hunk && /^ / { $0 = " no such line"; done = 1 } 1' \
	"$top/patches/$last" >"$scratch/patches/$last"
git clone -q --shared "$(cd "$tree" && pwd)" "$scratch/tree"
git -C "$scratch/tree" tag -f base "$(git -C "$tree" rev-parse base)" >/dev/null
if out=$(FORCE=1 "$scratch/scripts/expand.sh" "$scratch/tree" 2>&1); then
	record FAIL "a broken patch is named" "expansion succeeded"
elif grep -qF "patches/$last" <<<"$out"; then
	record PASS "a broken patch is named"
else
	record FAIL "a broken patch is named" "message does not name $last"
fi
