#!/usr/bin/env bash
# Run the DAMON KUnit suites under UML with kunit.py, and turn its JSON
# result into build/results/kunit-uml.tsv: on the whole tree, and on the
# tip of every series but the last (the commit before the next marker), so
# that each series is known to pass without the ones stacked on it.  A
# series tip is built in a worktree of its own (build/kunit-NN-name-tree,
# build dir build/kunit-NN-name), kept between runs for incremental builds;
# its result is build/results/kunit-uml-NN-name.tsv.
#
# usage: kunit.sh TREE
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=/dev/null
. "$top/scripts/lib.sh"
tree=$(cd "$1" && pwd)
res=$top/build/results
mkdir -p "$res"
rm -f "$res"/kunit-uml.json "$res"/kunit-uml-*.json "$res"/kunit-uml-*.tsv

# kunit SRC BUILD_DIR RESULT NAME: run the suites of SRC, record them as
# build/results/RESULT.tsv with test names prefixed 'NAME: '.
kunit() {
	local src=$1 out=$2 json=$res/$3.json tsv=$res/$3.tsv name=$4 rc=0
	mkdir -p "$out"
	(cd "$src" && python3 tools/testing/kunit/kunit.py run \
		--kunitconfig mm/damon/tests \
		--build_dir "$out" \
		--jobs "$(nproc)" \
		--make_options "CC=ccache gcc" \
		--timeout 900 \
		--json="$json") || rc=$?
	if [ -s "$json" ]; then
		python3 "$top/scripts/tap2tsv.py" kunit "$json" \
			| sed "s/^\([A-Z]*\)\t/\1\t$name: /" >"$tsv"
	else
		printf 'FAIL\t%s: kunit.py\tno result (exit %s)\n' "$name" "$rc" >"$tsv"
	fi
	return "$rc"
}

rc=0
kunit "$tree" "$top/build/kunit" kunit-uml uml || rc=$?

mapfile -t markers < <(series_markers "$tree")
for ((i = 0; i + 1 < ${#markers[@]}; i++)); do
	s=${markers[i]#* }
	echo "kunit: the tip of $s" >&2
	worktree_at "$tree" "$top/build/kunit-$s-tree" "${markers[i + 1]%% *}^"
	kunit "$top/build/kunit-$s-tree" "$top/build/kunit-$s" "kunit-uml-$s" "uml $s" || rc=$?
done
exit "$rc"
