#!/usr/bin/env bash
# Guest side of selftest.sh: keep a context-switch forcer on every CPU (see
# vm-cswitch.c), then run the installed DAMON kselftests with a per-test
# timeout, leaving out the tests named as SKIP arguments.
#
# usage: selftest-guest.sh KSFT_DIR TIMEOUT [SKIP_TEST...]
set -euo pipefail

ksft=$1
timeout=$2
shift 2

pids=()
for cpu in $(seq 0 $(($(nproc) - 1))); do
	"$ksft/vm-cswitch" "$cpu" &
	pids+=($!)
done
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT

skips=()
for t in "$@"; do
	skips+=(-S "damon:$t")
done
export KSFT_MACHINE_SLOW=yes
echo "# guest: $(uname -r), $(nproc) CPUs, timeout ${timeout}s per test"
# Note when each test ended (bash's SECONDS: no process per line), so the
# log tells where the time goes.
"$ksft/run_kselftest.sh" -c damon -o "$timeout" "${skips[@]}" |
	while IFS= read -r line; do
		printf '%s\n' "$line"
		case $line in
		"ok "* | "not ok "*) echo "# elapsed: ${SECONDS} s" ;;
		esac
	done
