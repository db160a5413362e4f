#!/usr/bin/env bash
# Guest side of selftest.sh: run the installed DAMON kselftests with a
# per-test timeout, leaving out the tests named as SKIP arguments.  The tests
# listed in CSWITCH_LIST run last, with a context-switch forcer on every CPU
# (see vm-cswitch.c).
#
# usage: selftest-guest.sh KSFT_DIR TIMEOUT CSWITCH_LIST [SKIP_TEST...]
set -euo pipefail

ksft=$1
timeout=$2
mapfile -t cswitch < <(sed -e '/^#/d' -e '/^[[:space:]]*$/d' "$3")
shift 3
skipped=" $* "

# Note when each test ended (bash's SECONDS: no process per line), so the
# log tells where the time goes.
ksft_run() {
	"$ksft/run_kselftest.sh" -o "$timeout" "$@" |
		while IFS= read -r line; do
			printf '%s\n' "$line"
			case $line in
			"ok "* | "not ok "*) echo "# elapsed: ${SECONDS} s" ;;
			esac
		done
}

export KSFT_MACHINE_SLOW=yes
echo "# guest: $(uname -r), $(nproc) CPUs, timeout ${timeout}s per test"

others=(-c damon)
for t in "$@" "${cswitch[@]}"; do
	others+=(-S "damon:$t")
done
rc=0
ksft_run "${others[@]}" || rc=$?

selected=()
for t in "${cswitch[@]}"; do
	[[ $skipped == *" $t "* ]] || selected+=(-t "damon:$t")
done
[ ${#selected[@]} -gt 0 ] || exit "$rc"
pids=()
for cpu in $(seq 0 $(($(nproc) - 1))); do
	"$ksft/vm-cswitch" "$cpu" &
	pids+=($!)
done
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
echo "# with a context-switch forcer on every CPU:"
r=0
ksft_run "${selected[@]}" || r=$?
# the first failure's status: 1 for a failed test, anything else for a run
# that broke
[ "$rc" -ne 0 ] || rc=$r
exit "$rc"
