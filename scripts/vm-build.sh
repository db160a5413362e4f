#!/usr/bin/env bash
# Build the guest kernel for virtme-ng, out of tree, with ccache: allnoconfig
# plus configs/vm.config, Debian's DAMON options, configs/kcsan.config for the
# kcsan variant and configs/vm-test.config (see vm-config.sh).  The .config is
# regenerated only when the fragments change, so rebuilds are incremental.
# Prints the bzImage path.
#
# usage: vm-build.sh TREE VARIANT [OUTDIR]     (VARIANT: vm or kcsan)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tree=$(cd "$1" && pwd)
variant=$2
out=${3:-$top/build/vm-$variant}

"$top/scripts/vm-config.sh" "$tree" "$variant" "$out"
mkdir -p "$out"
out=$(cd "$out" && pwd)
kmake() { make -C "$tree" O="$out" CC="ccache gcc" "$@"; }

start=$(date +%s)
kmake -s -j"${JOBS:-2}"
echo "vm-build: built in $(($(date +%s) - start)) s" >&2
echo "$out/arch/x86/boot/bzImage"
