#!/usr/bin/env bash
# Run the DAMON kselftests in the VARIANT guest kernel (built by vm-build.sh)
# and collect three result files in build/results/, each of
# 'STATUS<TAB>name<TAB>detail' lines:
#   selftest-VARIANT.tsv  kselftests; configs/vm-skips entries become SKIP;
#                         damon_stat_restored: they left DAMON_STAT as found
#   kunit-vm-VARIANT.tsv  the built-in DAMON KUnit suites, from the boot log
#   dmesg-VARIANT.tsv     one FAIL per kernel report (WARNING, BUG, lockdep,
#                         KCSAN, hung task...) in the guest kernel log
# Exits non-zero when any line is FAIL.
#
# usage: selftest.sh TREE VARIANT
# env:   KSFT_TIMEOUT=SECS per-test timeout in the guest (default 900: sysfs.sh
#                         takes ~250 s under TCG, with room for a busy host)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=/dev/null
. "$top/scripts/lib.sh"
tree=$(cd "$1" && pwd)
variant=$2
kdir=$top/build/vm-$variant
res=$top/build/results
ksft=$top/build/kselftest
skips=$top/configs/vm-skips
if [ ! -e "$kdir/arch/x86/boot/bzImage" ]; then
	echo "selftest: no kernel in $kdir; run 'make vm-kernel VARIANT=$variant'" >&2
	exit 1
fi
mkdir -p "$res"

echo "selftest: building the DAMON kselftests into $ksft" >&2
make -s -C "$tree/tools/testing/selftests" TARGETS=damon \
	O="$top/build/kselftest-build" INSTALL_PATH="$ksft" install >/dev/null
gcc -O2 -Wall -o "$ksft/vm-cswitch" "$top/scripts/vm-cswitch.c"

mapfile -t skipped < <(config_names "$skips")
log=$res/selftest-$variant.log
dmesg=$res/dmesg-$variant.log
rm -f "$dmesg"
start=$(date +%s)
vmrc=0
VM_DMESG=$dmesg VM_CONSOLE=$res/console-$variant.log \
	"$top/scripts/vm-run.sh" "$kdir" --rwdir "$ksft" -- \
	"$top/scripts/selftest-guest.sh" "$ksft" "${KSFT_TIMEOUT:-900}" \
	"$top/configs/vm-cswitch" "$top/configs/vm-flaky" "${skipped[@]}" |
	tee "$log" || vmrc=$?
elapsed=$(($(date +%s) - start))

st=$res/selftest-$variant.tsv
python3 "$top/scripts/tap2tsv.py" ksft "$log" "$skips" >"$st"
# run_kselftest.sh exits 1 when a test failed; anything else means the run
# itself broke (guest crash, VM timeout...).
if [ "$vmrc" -ne 0 ] && [ "$vmrc" -ne 1 ]; then
	printf 'FAIL\tvm-run\tthe VM run ended with status %s\n' "$vmrc" >>"$st"
fi

ku=$res/kunit-vm-$variant.tsv
if [ -s "$dmesg" ]; then
	PYTHONDONTWRITEBYTECODE=1 python3 "$tree/tools/testing/kunit/kunit.py" parse \
		--json="$res/kunit-vm-$variant.json" "$dmesg" >/dev/null || true
fi
if [ -s "$res/kunit-vm-$variant.json" ]; then
	python3 "$top/scripts/tap2tsv.py" kunit "$res/kunit-vm-$variant.json" >"$ku"
else
	printf 'FAIL\tkunit\tno KUnit results (no guest kernel log)\n' >"$ku"
fi
rm -f "$res/kunit-vm-$variant.json"

dm=$res/dmesg-$variant.tsv
"$top/scripts/scan-dmesg.sh" "$dmesg" dmesg >"$dm"

echo
echo "=== $variant: DAMON kselftests ($elapsed s in the VM), KUnit, kernel log"
for f in "$st" "$ku" "$dm"; do
	echo "--- $(basename "$f")"
	awk -F'\t' '{ printf "%-4s  %-55s %s\n", $1, $2, $3 }' "$f"
done
echo "---"
cat "$st" "$ku" "$dm" | cut -f1 | sort | uniq -c | awk '{ printf "%s %s  ", $2, $1 } END { print "" }'
! cut -f1 "$st" "$ku" "$dm" | grep -qx FAIL
