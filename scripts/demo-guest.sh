#!/usr/bin/env bash
# Runs inside the VM: a transcript of DAMON pausing and resuming: DAMON_STAT,
# which runs from boot as on Debian's kernels, through its 'pause'
# parameter; a kdamond of its own through the sysfs 'state' file; and
# DAMON_RECLAIM through its 'pause' parameter.  DAMON_STAT is turned off
# for the latter two (it runs exclusively) and back on at the end.
#
# usage: demo-guest.sh ACCESS_MEMORY   (the kselftests' access_memory program)
set -euo pipefail

access_memory=$1
admin=/sys/kernel/mm/damon/admin
kd=$admin/kdamonds/0
ctx=$kd/contexts/0
scheme=$ctx/schemes/0
stat=/sys/module/damon_stat/parameters
reclaim=/sys/module/damon_reclaim/parameters

say() { printf '\n## %s\n' "$*"; }
run() { printf '$ %s\n' "$1"; eval "$1"; }
kpid() { cat "$kd/pid"; }
# CPU time (ticks) and voluntary context switches (wakeups) of a task
cost() {
	local pid=$1 fields
	read -r -a fields <"/proc/$pid/stat"
	printf 'cpu_ticks=%d wakeups=%d' $((fields[13] + fields[14])) \
		"$(awk '/^voluntary_ctxt_switches/ { print $2 }' "/proc/$pid/status")"
}
regions() {
	echo update_schemes_tried_regions >"$kd/state"
	local n=0 max=0 r age
	shopt -s nullglob
	for r in "$scheme"/tried_regions/[0-9]*; do
		age=$(cat "$r/age")
		n=$((n + 1))
		[ "$age" -gt "$max" ] && max=$age
	done
	echo "regions=$n oldest_age=$max (aggregation intervals)"
}

# Whatever happens, leave DAMON as the boot left it: DAMON_STAT running.
workload=
restore() {
	[ -z "$workload" ] || kill "$workload" 2>/dev/null || true
	[ ! -e "$kd/state" ] || echo off >"$kd/state" 2>/dev/null || true
	echo N >"$reclaim/enabled" 2>/dev/null || true
	echo N >"$stat/pause" 2>/dev/null || true
	echo Y >"$stat/enabled" 2>/dev/null || true
}
trap restore EXIT

say "DAMON_STAT runs from boot (CONFIG_DAMON_STAT_ENABLED_DEFAULT=y)"
run "cat $stat/enabled $stat/pause $stat/kdamond_pid"
pid=$(cat "$stat/kdamond_pid")
before=$(cost "$pid")
sleep 2
echo "running 2 s: before: $before after: $(cost "$pid")"

say "Pause DAMON_STAT: the write returns once its kdamond acknowledged it"
run "echo Y > $stat/pause"
run "cat $stat/pause $stat/kdamond_pid   # the same kdamond, paused"
before=$(cost "$pid")
sleep 2
echo "paused 2 s: before: $before after: $(cost "$pid")"
run "echo Y > $stat/pause   # again: succeeds, nothing changes"
run "cat $stat/pause $stat/kdamond_pid"

say "Resume DAMON_STAT: the same kdamond carries on"
run "echo N > $stat/pause"
run "cat $stat/pause $stat/kdamond_pid"

say "A workload: four 4 MiB buffers, each written for 500 ms in turn"
"$access_memory" 4 4194304 500 repeat >/dev/null &
workload=$!
echo "workload pid $workload"

say "Monitor it with DAMON (vaddr), sampling 5 ms, aggregating 100 ms"
echo 1 >"$admin/kdamonds/nr_kdamonds"
echo 1 >"$kd/contexts/nr_contexts"
echo vaddr >"$ctx/operations"
echo 1 >"$ctx/targets/nr_targets"
echo "$workload" >"$ctx/targets/0/pid_target"
echo 1 >"$ctx/schemes/nr_schemes"
echo stat >"$scheme/action"
# every region: the stat action only lets us list regions and their ages
echo 0 >"$scheme/access_pattern/sz/min"
echo $((1 << 40)) >"$scheme/access_pattern/sz/max"
echo 0 >"$scheme/access_pattern/nr_accesses/min"
echo 1000 >"$scheme/access_pattern/nr_accesses/max"
echo 0 >"$scheme/access_pattern/age/min"
echo $((1 << 31)) >"$scheme/access_pattern/age/max"
run "echo on > $kd/state || true   # DAMON_STAT runs DAMON exclusively: EBUSY"
run "echo N > $stat/enabled"
run "cat $stat/kdamond_pid"
run "echo on > $kd/state"
run "cat $kd/state $ctx/paused"
pid=$(kpid)
echo "kdamond pid $pid"
sleep 3
regions

say "Pause: the write returns once the kdamond acknowledged it"
run "echo pause > $kd/state"
run "cat $kd/state   # still 'on': the kdamond runs, paused"
run "cat $ctx/pause $ctx/paused"
echo "kdamond pid $(kpid)"
run "echo pause > $kd/state   # again: succeeds, nothing changes"
run "cat $ctx/paused"
say "Paused for 3 s: no wakeups, no CPU time"
before=$(cost "$pid")
sleep 3
echo "before: $before"
echo "after:  $(cost "$pid")"
say "A DAMOS walk on a paused kdamond is canceled at once"
run "echo update_schemes_tried_regions > $kd/state || true"

say "Resume: ages continue from where they were, without the paused time"
run "echo resume > $kd/state"
run "cat $ctx/paused"
echo "kdamond pid $(kpid)"
regions
run "echo resume > $kd/state   # again: succeeds, nothing changes"
run "cat $ctx/paused"

say "Bad requests change nothing"
run "echo pauze > $kd/state || true    # unknown: EINVAL"

say "For contrast, off and on starts the monitoring over"
run "echo off > $kd/state"
run "echo pause > $kd/state || true    # off: EINVAL"
run "cat $ctx/paused"
run "echo on > $kd/state"
echo "kdamond pid $(kpid)"
regions
run "echo off > $kd/state"
kill "$workload"
workload=

say "DAMON_RECLAIM: pause and resume keep its kdamond"
# watermarks that keep its scheme active, so that it works all the time
echo 1000 >"$reclaim/wmarks_high"
echo 999 >"$reclaim/wmarks_mid"
echo 0 >"$reclaim/wmarks_low"
run "echo Y > $reclaim/enabled"
pid=$(cat "$reclaim/kdamond_pid")
echo "kdamond_pid $pid"
before=$(cost "$pid")
sleep 2
echo "running 2 s: before: $before after: $(cost "$pid")"
run "echo Y > $reclaim/pause"
run "cat $reclaim/pause $reclaim/kdamond_pid"
before=$(cost "$pid")
sleep 2
echo "paused 2 s: before: $before after: $(cost "$pid")"
run "echo N > $reclaim/pause"
run "cat $reclaim/pause $reclaim/kdamond_pid"
run "echo N > $reclaim/enabled"

say "DAMON_STAT back on, as the boot left it"
run "echo Y > $stat/enabled"
run "cat $stat/enabled $stat/pause $stat/kdamond_pid"
