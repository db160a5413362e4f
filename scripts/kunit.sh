#!/usr/bin/env bash
# Run the DAMON KUnit suites under UML with kunit.py and leave its JSON
# result in build/results/kunit-uml.json.
#
# usage: kunit.sh TREE
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tree=$(cd "$1" && pwd)
out=$top/build/kunit
res=$top/build/results
mkdir -p "$out" "$res"
export CCACHE_DIR=${CCACHE_DIR:-$top/build/ccache}

cd "$tree"
rc=0
python3 tools/testing/kunit/kunit.py run \
	--kunitconfig mm/damon/tests \
	--build_dir "$out" \
	--jobs "$(nproc)" \
	--make_options "CC=ccache gcc" \
	--timeout 600 \
	--json "$res/kunit-uml.json" || rc=$?
exit $rc
