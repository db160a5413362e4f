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

cd "$tree"
rc=0
python3 tools/testing/kunit/kunit.py run \
	--kunitconfig mm/damon/tests \
	--build_dir "$out" \
	--jobs "$(nproc)" \
	--make_options "CC=ccache gcc" \
	--timeout 600 \
	--json "$res/kunit-uml.json" || rc=$?
if [ -s "$res/kunit-uml.json" ]; then
	python3 "$top/scripts/tap2tsv.py" kunit "$res/kunit-uml.json" >"$res/kunit-uml.tsv"
else
	printf 'FAIL\tkunit-uml\tkunit.py produced no result (exit %s)\n' "$rc" >"$res/kunit-uml.tsv"
fi
exit $rc
