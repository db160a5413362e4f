#!/usr/bin/env bash
# Boot the patched VM kernel and show DAMON pausing and resuming: DAMON_STAT,
# which runs from boot, then a kdamond monitoring a small workload and
# DAMON_RECLAIM (scripts/demo-guest.sh runs in the guest).  The transcript,
# the heatmap of the workload's monitoring results and the provenance of the
# run go to results/demo/.
#
# usage: demo.sh TREE VARIANT
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tree=$(cd "$1" && pwd)
variant=$2
out=$top/build/demo
res=$top/results/demo
mkdir -p "$out" "$res"

# The workload is the DAMON kselftests' access_memory program.
gcc -O2 -o "$out/access_memory" \
	"$tree/tools/testing/selftests/damon/access_memory.c"
gcc -O2 -Wall -o "$out/vm-cswitch" "$top/scripts/vm-cswitch.c"

cd "$top"
rc=0
VM_DMESG=$out/dmesg.txt "$top/scripts/vm-run.sh" "$top/build/vm-$variant" \
	--rwdir "$out" -- bash scripts/demo-guest.sh build/demo/access_memory \
	build/demo/vm-cswitch build/demo/heat.tsv 2>"$out/vm.txt" |
	tee "$res/transcript.txt" || rc=$?
if [ "$rc" -ne 0 ]; then
	cat "$out/vm.txt" >&2
	exit "$rc"
fi
"$top/scripts/provenance.sh" "make demo VARIANT=$variant" "$tree" \
	<(grep -h '^vm-run:' "$out/vm.txt") >"$res/provenance.txt"
/usr/bin/python3 "$top/scripts/demo-plot.py" "$out/heat.tsv" "$res/heatmap.png"
