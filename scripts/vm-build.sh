#!/usr/bin/env bash
# Build the guest kernel for virtme-ng: allnoconfig plus configs/vm.config
# (plus configs/kcsan.config for the kcsan variant), out of tree, with ccache.
# The .config is regenerated only when the fragments change, so rebuilds are
# incremental.  Prints the bzImage path.
#
# usage: vm-build.sh TREE VARIANT [OUTDIR]     (VARIANT: vm or kcsan)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tree=$(cd "$1" && pwd)
variant=$2
out=${3:-$top/build/vm-$variant}

case $variant in
vm) frags=("$top/configs/vm.config") ;;
kcsan) frags=("$top/configs/vm.config" "$top/configs/kcsan.config") ;;
*) echo "vm-build: unknown variant '$variant' (vm or kcsan)" >&2; exit 2 ;;
esac

export CCACHE_DIR=${CCACHE_DIR:-$top/build/ccache}
mkdir -p "$out"
out=$(cd "$out" && pwd)
kmake() { make -C "$tree" O="$out" CC="ccache gcc" "$@"; }

stamp=$out/.vm-fragments.sha256
want=$(cat "${frags[@]}" | sha256sum | cut -d' ' -f1)
if [ ! -s "$out/.config" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
	echo "vm-build: configuring $out from ${frags[*]##*/}" >&2
	rm -f "$stamp"
	log=$out/.vm-merge.log
	(cd "$tree" && scripts/kconfig/merge_config.sh -n -O "$out" "${frags[@]}") >"$log" 2>&1 || {
		cat "$log" >&2
		exit 1
	}
	if grep -E -A2 'Value requested for|differs:' "$log" >&2; then
		echo "vm-build: the fragments above did not survive into .config" >&2
		exit 1
	fi
	echo "$want" >"$stamp"
fi

start=$(date +%s)
kmake -s -j"${JOBS:-2}"
echo "vm-build: built in $(($(date +%s) - start)) s" >&2
echo "$out/arch/x86/boot/bzImage"
