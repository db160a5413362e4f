#!/usr/bin/env bash
# Guest side of selftest.sh: run the installed DAMON kselftests with a
# per-test timeout, leaving out the tests named as SKIP arguments.  The tests
# listed in CSWITCH_LIST run last, with a context-switch forcer on every CPU
# (see vm-cswitch.c); a failed test listed in FLAKY_LIST is run once more.
#
# DAMON_STAT runs from boot (Debian's configuration); the tests that need
# DAMON for themselves stop it and restore it.  Its state is recorded before
# the tests and checked after all of them, as one more result line: a test
# that left it stopped, paused or without its kdamond makes that line
# 'not ok'.
#
# usage: selftest-guest.sh KSFT_DIR TIMEOUT CSWITCH_LIST FLAKY_LIST [SKIP_TEST...]
set -euo pipefail
shopt -s lastpipe

ksft=$1
timeout=$2
# shellcheck source=/dev/null
. "$(dirname "$0")/lib.sh"
mapfile -t cswitch < <(config_names "$3")
flaky=" $(config_names "$4" | tr '\n' ' ') "
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

# DAMON_STAT's state: enabled, and paused (when it has a pause parameter)
stat=/sys/module/damon_stat/parameters
stat_state() {
	printf 'enabled=%s' "$(cat "$stat/enabled")"
	[ ! -e "$stat/pause" ] || printf ' pause=%s' "$(cat "$stat/pause")"
}
stat_start=
if [ -e "$stat/enabled" ]; then
	stat_start=$(stat_state)
	echo "# DAMON_STAT before the tests: $stat_start kdamond_pid=$(cat "$stat/kdamond_pid")"
fi

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

# The state DAMON_STAT was found in must be the state the tests leave, with
# its kdamond running when it is enabled.
if [ -n "$stat_start" ]; then
	stat_end=$(stat_state)
	pid=$(cat "$stat/kdamond_pid")
	if [ "$stat_end" != "$stat_start" ] ||
		{ [ "$(cat "$stat/enabled")" = Y ] && [ "$pid" -le 0 ]; }; then
		echo "# left $stat_end kdamond_pid=$pid; found $stat_start"
		echo "not ok 1 selftests: damon: damon_stat_restored # DAMON_STAT not restored"
		[ "$rc" -ne 0 ] || rc=1
	else
		echo "# DAMON_STAT after the tests: $stat_end kdamond_pid=$pid"
		echo "ok 1 selftests: damon: damon_stat_restored"
	fi
fi
exit "$rc"
