#!/usr/bin/env bash
# Run the pause/resume storm (scripts/storm-guest.py) in a VM and check the
# guest kernel log for lockdep, KCSAN, WARN, BUG and hung-task reports.
# KERNEL is a VM kernel build dir (build/vm-vm, build/vm-kcsan, build/vm-base).
# The transcript, the result lines and the provenance of the run go to
# results/storm/NAME.*; the guest kernel log stays in build/storm/.
#
# usage: storm.sh TREE KERNEL NAME SECONDS THREADS
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tree=$1
kdir=$2
name=$3
seconds=$4
threads=$5
out=$top/build/storm
results=$top/results/storm
mkdir -p "$out" "$results"

rc=0
VM_DMESG=$out/dmesg-$name.txt VM_TIMEOUT=$((seconds + 900)) \
	"$top/scripts/vm-run.sh" "$kdir" --cpus 2 -- \
	/usr/bin/python3 scripts/storm-guest.py "$seconds" "$threads" 120 \
	2>"$out/vm-$name.txt" | tee "$results/$name.txt" || rc=$?
"$top/scripts/provenance.sh" \
	"make storm DURATION=$seconds THREADS=$threads KERNEL=$kdir" "$tree" \
	<(grep -h '^vm-run:' "$out/vm-$name.txt") >"$results/provenance-$name.txt"

res=$results/$name.tsv
if [ "$rc" -eq 0 ]; then
	printf 'PASS\tstorm %s\t%s threads x %s s\n' "$name" "$threads" "$seconds" >"$res"
else
	printf 'FAIL\tstorm %s\tstuck writer, unexpected errno or wrong end state (exit %s)\n' \
		"$name" "$rc" >"$res"
fi
"$top/scripts/scan-dmesg.sh" "$out/dmesg-$name.txt" "storm $name" >>"$res"
cat "$res"
! cut -f1 "$res" | grep -qx FAIL
