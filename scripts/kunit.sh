#!/usr/bin/env bash
# Run the DAMON KUnit suites under UML with kunit.py, and turn its JSON
# result into build/results/kunit-uml.tsv.
#
# usage: kunit.sh TREE
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tree=$(cd "$1" && pwd)
out=$top/build/kunit
res=$top/build/results
mkdir -p "$out" "$res"
rm -f "$res/kunit-uml.json"

rc=0
(cd "$tree" && python3 tools/testing/kunit/kunit.py run \
	--kunitconfig mm/damon/tests \
	--build_dir "$out" \
	--jobs "$(nproc)" \
	--make_options "CC=ccache gcc" \
	--timeout 900 \
	--json="$res/kunit-uml.json") || rc=$?

if [ -s "$res/kunit-uml.json" ]; then
	python3 "$top/scripts/tap2tsv.py" kunit "$res/kunit-uml.json" \
		| sed 's/^\([A-Z]*\)\t/\1\tuml: /' >"$res/kunit-uml.tsv"
else
	printf 'FAIL\tuml: kunit.py\tno result (exit %s)\n' "$rc" >"$res/kunit-uml.tsv"
fi
exit "$rc"
