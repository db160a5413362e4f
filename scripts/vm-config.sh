#!/usr/bin/env bash
# Write the VM kernel's .config into OUTDIR: allnoconfig plus configs/vm.config
# (plus configs/kcsan.config for the kcsan variant).  The .config is left
# alone when the fragments did not change, so rebuilds stay incremental.
#
# usage: vm-config.sh TREE VARIANT OUTDIR     (VARIANT: vm or kcsan)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tree=$(cd "$1" && pwd)
variant=$2
mkdir -p "$3"
out=$(cd "$3" && pwd)

case $variant in
vm) frags=("$top/configs/vm.config") ;;
kcsan) frags=("$top/configs/vm.config" "$top/configs/kcsan.config") ;;
*) echo "vm-config: unknown variant '$variant' (vm or kcsan)" >&2; exit 2 ;;
esac

stamp=$out/.vm-fragments.sha256
want=$(cat "${frags[@]}" | sha256sum | cut -d' ' -f1)
if [ -s "$out/.config" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
	exit 0
fi
echo "vm-config: configuring $out from ${frags[*]##*/}" >&2
rm -f "$stamp"
log=$out/.vm-merge.log
(cd "$tree" && scripts/kconfig/merge_config.sh -n -O "$out" "${frags[@]}") >"$log" 2>&1 || {
	cat "$log" >&2
	exit 1
}
if grep -E -A2 'Value requested for|differs:' "$log" >&2; then
	echo "vm-config: the fragments above did not survive into .config" >&2
	exit 1
fi
echo "$want" >"$stamp"
