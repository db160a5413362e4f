#!/usr/bin/env bash
# Benchmark the unpatched base against the patched kernel in one run: build
# both VM kernels from the same config fragments, boot each with the same VM
# settings, run scripts/bench-guest.py in it, and report both side by side.
# Raw samples, the table, a CSV summary and a plot go to build/bench/.
#
# Under TCG the guest counts instructions (-icount): while a task runs, its
# clock advances 1 ns per executed instruction, so the CPU time of a kdamond
# counts its work and not how busy the host was.  One guest CPU keeps the
# other CPU's instructions out of the kdamond's clock.
#
# usage: bench.sh TREE [REPS] [SECONDS]
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tree=$(cd "$1" && pwd)
reps=${2:-7}
seconds=${3:-5}
out=$top/build/bench
base_tree=$out/base-tree
mkdir -p "$out"

# The base: a worktree of the expanded tree at its 'base' tag.
if [ ! -e "$base_tree/.git" ]; then
	rm -rf "$base_tree"
	git -C "$tree" worktree prune
	git -C "$tree" worktree add -q --detach "$base_tree" base
fi

for kernel in base patched; do
	src=$tree kdir=$top/build/vm-vm
	if [ "$kernel" = base ]; then
		src=$base_tree kdir=$top/build/vm-base
	fi
	"$top/scripts/vm-build.sh" "$src" vm "$kdir" >/dev/null
	echo "bench: $kernel kernel, $reps x ${seconds} s" >&2
	VM_DMESG=$out/dmesg-$kernel.txt VM_TCG_OPTS="-icount shift=0" \
		"$top/scripts/vm-run.sh" "$kdir" --cpus 1 -- \
		/usr/bin/python3 scripts/bench-guest.py "$reps" "$seconds" \
		>"$out/$kernel.jsonl"
done

/usr/bin/python3 "$top/scripts/bench-report.py" "$out/base.jsonl" \
	"$out/patched.jsonl" "$out"
