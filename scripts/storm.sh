#!/usr/bin/env bash
# Run the pause/resume storm (scripts/storm-guest.py) in a VM and check the
# guest kernel log for lockdep, KCSAN, WARN, BUG and hung-task reports.
# KERNEL is a VM kernel build dir (build/vm-vm, build/vm-kcsan, build/vm-base).
#
# usage: storm.sh KERNEL NAME SECONDS THREADS
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
kdir=$1
name=$2
seconds=$3
threads=$4
out=$top/build/storm
mkdir -p "$out"

rc=0
VM_DMESG=$out/dmesg-$name.txt VM_TIMEOUT=$((seconds + 900)) \
	"$top/scripts/vm-run.sh" "$kdir" --cpus 2 -- \
	/usr/bin/python3 scripts/storm-guest.py "$seconds" "$threads" 120 \
	| tee "$out/$name.txt" || rc=$?

res=$out/$name.tsv
if [ "$rc" -eq 0 ]; then
	printf 'PASS\tstorm %s\t%s threads x %s s\n' "$name" "$threads" "$seconds" >"$res"
else
	printf 'FAIL\tstorm %s\tstuck writer, unexpected errno or wrong end state (exit %s)\n' \
		"$name" "$rc" >"$res"
fi
"$top/scripts/scan-dmesg.sh" "$out/dmesg-$name.txt" "storm $name" >>"$res"
cat "$res"
! cut -f1 "$res" | grep -qx FAIL
