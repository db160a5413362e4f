#!/usr/bin/env bash
# Guest side of selftest.sh: run the installed DAMON kselftests with a
# per-test timeout, leaving out the tests named as SKIP arguments.  The tests
# listed in CSWITCH_LIST run last, with a context-switch forcer on every CPU
# (see vm-cswitch.c); a failed test listed in FLAKY_LIST is run once more.
#
# usage: selftest-guest.sh KSFT_DIR TIMEOUT CSWITCH_LIST FLAKY_LIST [SKIP_TEST...]
set -euo pipefail
shopt -s lastpipe

ksft=$1
timeout=$2
names() { sed -e '/^#/d' -e '/^[[:space:]]*$/d' "$1" | cut -f1; }
mapfile -t cswitch < <(names "$3")
flaky=" $(names "$4" | tr '\n' ' ') "
shift 4
skipped=" $* "

# Run tests, noting when each ended (bash's SECONDS: no process per line)
# and which failed.  The first broken run's status is kept in rc.
rc=0
failed=()
ksft_run() {
	local r=0
	"$ksft/run_kselftest.sh" -o "$timeout" "$@" |
		while IFS= read -r line; do
			printf '%s\n' "$line"
			[[ $line =~ ^(not )?ok\ [0-9]+\ selftests:\ [^:]+:\ ([^ ]+) ]] ||
				continue
			echo "# elapsed: ${SECONDS} s"
			[ -z "${BASH_REMATCH[1]}" ] || failed+=("${BASH_REMATCH[2]}")
		done || r=$?
	[ "$rc" -ne 0 ] || rc=$r
}

export KSFT_MACHINE_SLOW=yes
echo "# guest: $(uname -r), $(nproc) CPUs, timeout ${timeout}s per test"

others=(-c damon)
for t in "$@" "${cswitch[@]}"; do
	others+=(-S "damon:$t")
done
ksft_run "${others[@]}"

selected=()
for t in "${cswitch[@]}"; do
	[[ $skipped == *" $t "* ]] || selected+=(-t "damon:$t")
done
if [ ${#selected[@]} -gt 0 ]; then
	pids=()
	for cpu in $(seq 0 $(($(nproc) - 1))); do
		"$ksft/vm-cswitch" "$cpu" &
		pids+=($!)
	done
	trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
	echo "# with a context-switch forcer on every CPU:"
	ksft_run "${selected[@]}"
fi

again=()
for t in "${failed[@]}"; do
	if [[ $flaky == *" $t "* && " ${again[*]} " != *" damon:$t "* ]]; then
		again+=(-t "damon:$t")
	fi
done
if [ ${#again[@]} -gt 0 ]; then
	echo "# running again, as configs/vm-flaky allows:"
	ksft_run "${again[@]}"
fi
exit "$rc"
