#!/usr/bin/env bash
# Benchmark the unpatched base against the patched kernel in one run: build
# both VM kernels from the same config fragments, boot each with the same VM
# settings, run scripts/bench-guest.py in it, and report both side by side.
# The samples, the table, a CSV summary, the plots and the provenance of the
# run go to results/bench/; the guests' kernel logs stay in build/bench/.
#
# Under TCG the guest counts instructions (-icount): while a task runs, its
# clock advances 1 ns per executed instruction, so the CPU time of a kdamond
# counts its work and not how busy the host was.  One guest CPU keeps the
# other CPU's instructions out of the kdamond's clock.
#
# usage: bench.sh TREE [REPS] [SECONDS]
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=/dev/null
. "$top/scripts/lib.sh"
tree=$(cd "$1" && pwd)
reps=${2:-7}
seconds=${3:-5}
out=$top/build/bench
res=$top/results/bench
base_tree=$out/base-tree
mkdir -p "$out" "$res"
rm -f "$out"/vm-*.txt

# The base: a worktree of the expanded tree at its 'base' tag.
worktree_at "$tree" "$base_tree" base

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
		>"$res/$kernel.jsonl" 2>"$out/vm-$kernel.txt"
	cat "$out/vm-$kernel.txt" >&2
done

"$top/scripts/provenance.sh" "make bench REPS=$reps SECONDS=$seconds" \
	"$tree" <(grep -h '^vm-run:' "$out"/vm-*.txt) >"$res/provenance.txt"
/usr/bin/python3 "$top/scripts/bench-report.py" "$res/base.jsonl" \
	"$res/patched.jsonl" "$res"
