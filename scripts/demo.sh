#!/usr/bin/env bash
# Boot the patched VM kernel and show DAMON pausing and resuming: DAMON_STAT,
# which runs from boot, then a kdamond monitoring a small workload and
# DAMON_RECLAIM (scripts/demo-guest.sh runs in the guest).
#
# usage: demo.sh TREE VARIANT
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tree=$(cd "$1" && pwd)
variant=$2
out=$top/build/demo
mkdir -p "$out"

# The workload is the DAMON kselftests' access_memory program.
gcc -O2 -o "$out/access_memory" \
	"$tree/tools/testing/selftests/damon/access_memory.c"

cd "$top"
VM_DMESG=$out/dmesg.txt "$top/scripts/vm-run.sh" "$top/build/vm-$variant" -- \
	bash scripts/demo-guest.sh build/demo/access_memory | tee "$out/transcript.txt"
