#!/usr/bin/env bash
# Run every test: the harness self-test, lint, KUnit under UML, and the VM
# run (kselftests, KUnit on SMP, kernel log scan).  Each stage leaves a
# result file in build/results/; the summary ends with 'N passed, N failed'.
#
# usage: check.sh TREE
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tree=$1
res=$top/build/results
rm -rf "$res"
mkdir -p "$res"
: >"$res/stages.tsv"
start=$(date +%s)

nfail() { cat "$res"/*.tsv | grep -c '^FAIL' || true; }

stage() {
	local name=$1
	shift
	echo "=== $name" >&2
	local t0
	t0=$(date +%s)
	local fails
	fails=$(nfail)
	# A stage that dies without recording a failure still counts as one.
	if ! "$@"; then
		echo "check: stage '$name' failed" >&2
		if [ "$(nfail)" -eq "$fails" ]; then
			printf 'FAIL\tstage %s\texited without recording why\n' \
				"$name" >>"$res/stages.tsv"
		fi
	fi
	echo "=== $name: $(($(date +%s) - t0)) s" >&2
}

stage harness "$top/scripts/test-harness.sh" "$tree"
stage lint "$top/scripts/lint.sh" "$tree"
stage kunit "$top/scripts/kunit.sh" "$tree"
stage vm-kernel "$top/scripts/vm-build.sh" "$tree" vm
stage selftest "$top/scripts/selftest.sh" "$tree" vm

echo "check: $(($(date +%s) - start)) s in all" >&2
# KUnit on the tips of the lower series: as many files as series less one.
shopt -s nullglob
python3 "$top/scripts/summary.py" "$res/stages.tsv" "$res/harness.tsv" \
	"$res/lint.tsv" "$res/kunit-uml.tsv" "$res"/kunit-uml-*.tsv \
	"$res/kunit-vm-vm.tsv" "$res/selftest-vm.tsv" "$res/dmesg-vm.tsv"
