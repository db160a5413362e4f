#!/usr/bin/env bash
# Runs inside the VM: a transcript of DAMON pausing and resuming: DAMON_STAT,
# which runs from boot as on Debian's kernels, through its 'pause'
# parameter; a kdamond of its own through the sysfs 'state' file, whose
# frozen monitoring results are read while it is paused, and which answers
# requests at once also with a long sampling interval; and DAMON_RECLAIM
# through its 'pause' parameter.  DAMON_STAT is turned off for the latter
# two (it runs exclusively) and back on at the end.
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
# The value of FIELD (cpu_ticks or wakeups) in cost's output COST
field() { local c=$2; c=${c#*"$1="}; echo "${c%% *}"; }
# Walk the scheme's tried regions (update_schemes_tried_regions, timed) and
# list them: the first 8, the count and the total size.  All of them are left
# in $listing, to compare walks, and their number in $nregions.
listing='' nregions=0
tried() {
	timed update_schemes_tried_regions "$kd/state"
	local dir=$scheme/tried_regions i=0 start end nr age total
	listing=
	printf '  %-6s %-14s %-14s %11s %5s\n' \
		region start end nr_accesses age
	# the region directories are numbered from 0 in address order
	while [ -d "$dir/$i" ]; do
		read -r start <"$dir/$i/start"
		read -r end <"$dir/$i/end"
		read -r nr <"$dir/$i/nr_accesses"
		read -r age <"$dir/$i/age"
		listing+="$start $end $nr $age"$'\n'
		[ "$i" -ge 8 ] || printf '  %-6d %#-14x %#-14x %11d %5d\n' \
			"$i" "$start" "$end" "$nr" "$age"
		i=$((i + 1))
	done
	nregions=$i
	[ "$i" -le 8 ] || echo "  ... ($((i - 8)) more)"
	read -r total <"$dir/total_bytes"
	echo "  regions=$i total_bytes=$total (ages in aggregation intervals)"
}

# The oldest age in $listing
oldest() {
	local start end nr age max=0
	while read -r start end nr age; do
		[ -z "$age" ] || [ "$age" -le "$max" ] || max=$age
	done <<<"$listing"
	echo "$max"
}

# Write WORD to FILE and print how long the write took.  The clock is read
# by this shell ($EPOCHREALTIME) right before and after the write, which the
# shell does itself: no process is started for the measurement.
timed() {
	local t0 t1 us
	printf '$ echo %s > %s' "$1" "$2"
	t0=$EPOCHREALTIME
	echo "$1" >"$2"
	t1=$EPOCHREALTIME
	us=$((${t1//[.,]/} - ${t0//[.,]/}))
	printf '   # took %d.%03d ms\n' $((us / 1000)) $((us % 1000))
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
intervals=$ctx/monitoring_attrs/intervals
echo 1 >"$admin/kdamonds/nr_kdamonds"
echo 1 >"$kd/contexts/nr_contexts"
echo vaddr >"$ctx/operations"
echo 5000 >"$intervals/sample_us"
echo 100000 >"$intervals/aggr_us"
echo 1 >"$ctx/targets/nr_targets"
echo "$workload" >"$ctx/targets/0/pid_target"
echo "A DAMOS_STAT scheme whose access pattern selects every region: it changes"
echo "nothing, and its tried regions list the monitoring results."
echo 1 >"$ctx/schemes/nr_schemes"
echo stat >"$scheme/action"
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
echo "kdamond pid $pid; let it monitor for 3 s"
sleep 3

say "Pause: the write returns once the kdamond acknowledged it"
run "echo pause > $kd/state"
paused_at=$EPOCHREALTIME
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

say "Read the frozen monitoring results: the paused kdamond serves the walk at once"
cost0=$(cost "$pid")
tried
cost1=$(cost "$pid")
frozen=$listing
oldest_frozen=$(oldest)
echo "3 s later, again:"
sleep 3
cost2=$(cost "$pid")
tried
cost3=$(cost "$pid")
if [ "$listing" = "$frozen" ]; then
	echo "all $nregions regions: identical to the first walk"
else
	echo "the regions differ from the first walk"
fi
echo "kdamond before the first walk: $cost0"
echo "        after it:              $cost1"
echo "        3 s later:             $cost2"
echo "        after the second walk: $cost3"
if [ $(($(field wakeups "$cost1") - $(field wakeups "$cost0"))) = 1 ] &&
	[ "$cost2" = "$cost1" ] &&
	[ $(($(field wakeups "$cost3") - $(field wakeups "$cost2"))) = 1 ]; then
	echo "One wakeup per walk, and nothing in between.  The CPU time is the"
	echo "walks' own: each fills $nregions region directories in sysfs."
fi
run "cat $kd/state $ctx/paused   # still on, still paused"

say "Resume: ages continue from where they were, without the paused time"
run "echo resume > $kd/state"
resumed_at=$EPOCHREALTIME
paused_ms=$(((${resumed_at//[.,]/} - ${paused_at//[.,]/}) / 1000))
run "cat $ctx/paused"
echo "kdamond pid $(kpid); let it monitor for 1 s"
sleep 1
tried
ran_ms=$(((${EPOCHREALTIME//[.,]/} - ${resumed_at//[.,]/}) / 1000))
echo "The oldest age was $oldest_frozen while paused, and is $(oldest) after $ran_ms ms ($((ran_ms / 100)) aggregation"
echo "intervals) of running: the $((paused_ms / 1000)) s paused ($((paused_ms / 100)) intervals) did not count.  (A"
echo "merged region takes the size-weighted average of the ages it merges.)"
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
tried

say "A long sampling interval: requests are still answered at once"
echo "Sample every 5 s and aggregate every 10 s, without intervals tuning.  The"
echo "kdamond sleeps through each 5 s sample, and a request wakes it up; the"
echo "unpatched kernel serves requests only between samples, so each would wait"
echo "for the rest of the sample, 2.5 s on average.  The times below are measured"
echo "in the guest around each write: an illustration, not a test (the guest is"
echo "emulated, and another may share the host)."
run "echo 5000000 > $intervals/sample_us"
run "echo 10000000 > $intervals/aggr_us"
run "cat $intervals/intervals_goal/access_bp   # 0: intervals tuning off"
echo "Commit them; they apply from the next sample, as the commit replaces no target:"
timed commit "$kd/state"
echo "(1 s later: mid-sample)"
sleep 1
timed update_schemes_stats "$kd/state"
echo "(1 s later: mid-sample)"
sleep 1
timed commit "$kd/state"
echo "(2 s later: mid-sample)"
sleep 2
timed pause "$kd/state"
timed commit "$kd/state"
timed resume "$kd/state"
echo "(2 s later: mid-sample)"
sleep 2
timed off "$kd/state"
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
