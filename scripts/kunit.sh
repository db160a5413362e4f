#!/usr/bin/env bash
# Run the DAMON KUnit suites under UML with kunit.py, and turn its JSON
# result into build/results/kunit-uml.tsv: on the whole tree, and on the
# tip of every series but the last (the commit before the next marker), so
# that each series is known to pass without the ones stacked on it.  The
# tips are checked out one after the other in one worktree
# (build/kunit-tips), so that each builds incrementally on the one before;
# the result of a tip is build/results/kunit-uml-NN-name.tsv.
#
# Every build directory is .kunit inside its source tree, kunit.py's
# default: kbuild then names the sources by relative paths, and ccache
# serves the tips from the objects of the whole tree and the other way round
# (with debug info, too: the build directory is left out of the hash).
#
# The kernels run with lockdep and the atomic-sleep checks, and their logs
# are scanned for kernel reports (scan-dmesg.sh): the tests that start a
# kdamond cannot run in the VM, where DAMON_STAT holds DAMON from boot, so
# this is where their locking is checked.
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

# kunit SRC RESULT NAME: run the suites of SRC, record them and the kernel
# log's reports as build/results/RESULT.tsv with names prefixed 'NAME: '.
kunit() {
	local src=$1 json=$res/$2.json tsv=$res/$2.tsv name=$3 rc=0
	(cd "$src" && CCACHE_NOHASHDIR=true python3 tools/testing/kunit/kunit.py run \
		--kunitconfig mm/damon/tests \
		--kconfig_add CONFIG_DEBUG_KERNEL=y \
		--kconfig_add CONFIG_PROVE_LOCKING=y \
		--kconfig_add CONFIG_DEBUG_ATOMIC_SLEEP=y \
		--build_dir .kunit \
		--jobs "$(nproc)" \
		--make_options "CC=ccache gcc" \
		--timeout 900 \
		--json="$json") || rc=$?
	if [ -s "$json" ]; then
		# called from an || list, where set -e does not hold: check each
		if ! python3 "$top/scripts/tap2tsv.py" kunit "$json" >"$tsv.raw"; then
			printf 'FAIL\ttap2tsv.py\tcould not read %s\n' "$json" >>"$tsv.raw"
		fi
		sed "s/^\([A-Z]*\)\t/\1\t$name: /" "$tsv.raw" >"$tsv"
		rm -f "$tsv.raw"
		if ! "$top/scripts/scan-dmesg.sh" "$src/.kunit/test.log" "$name: kernel log" >>"$tsv"; then
			printf 'FAIL\t%s: kernel log\tnot scanned\n' "$name" >>"$tsv"
		fi
		! grep -q '^FAIL' "$tsv" || rc=1
	else
		printf 'FAIL\t%s: kunit.py\tno result (exit %s)\n' "$name" "$rc" >"$tsv"
	fi
	return "$rc"
}

rc=0
kunit "$tree" kunit-uml uml || rc=$?

mapfile -t markers < <(series_markers "$tree")
for ((i = 0; i + 1 < ${#markers[@]}; i++)); do
	s=${markers[i]#* }
	echo "kunit: the tip of $s" >&2
	worktree_at "$tree" "$top/build/kunit-tips" "${markers[i + 1]%% *}^"
	kunit "$top/build/kunit-tips" "kunit-uml-$s" "uml $s" || rc=$?
done
exit "$rc"
