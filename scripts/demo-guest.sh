#!/usr/bin/env bash
# Runs inside the VM: a transcript of DAMON pausing and resuming: DAMON_STAT,
# which runs from boot as on Debian's kernels, through its 'pause'
# parameter; a kdamond of its own through the sysfs 'state' file, whose
# frozen monitoring results are read while it is paused, and which answers
# requests at once also with a long sampling interval; and DAMON_RECLAIM
# through its 'pause' parameter.  DAMON_STAT is turned off for the latter
# two (it runs exclusively) and back on at the end.
#
# The workload's hot buffer is seen as hot only with CSWITCH, the
# context-switch forcer (scripts/vm-cswitch.c), running on every CPU: under
# TCG, accesses are seen only when something forces TLB refills.  The
# monitoring results sampled for the heatmap go to HEAT: a first line
# '# buffer START END', one line per region and snapshot: seconds, phase
# (running, paused, resumed), start, end, nr_accesses, and a line
# '# paused FROM TO' with the seconds of the pause and of the resume.
#
# usage: demo-guest.sh ACCESS_MEMORY CSWITCH HEAT
set -euo pipefail

access_memory=$1
cswitch=$2
heat=$3
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
# Read the scheme's tried regions, after update_schemes_tried_regions was
# written: all of them go to $listing, one 'start end nr_accesses age' line
# each in address order, to compare walks, and their number to $nregions.
listing='' nregions=0
read_tried() {
	local dir=$scheme/tried_regions i=0 start end nr age
	listing=
	# the region directories are numbered from 0 in address order
	while [ -d "$dir/$i" ]; do
		read -r start <"$dir/$i/start"
		read -r end <"$dir/$i/end"
		read -r nr <"$dir/$i/nr_accesses"
		read -r age <"$dir/$i/age"
		listing+="$start $end $nr $age"$'\n'
		i=$((i + 1))
	done
	nregions=$i
}

# The workload's hot buffer, [$buf_start, $buf_end): its 4 MiB anonymous
# mapping in /proc/PID/maps.
buf_start=0 buf_end=0
find_buffer() {
	local range perms inode path start end
	while read -r range perms _ _ inode path; do
		start=$((16#${range%-*})) end=$((16#${range#*-}))
		if [ "$perms" = rw-p ] && [ "$inode" = 0 ] && [ -z "$path" ] &&
			[ $((end - start)) -ge 4194304 ] &&
			[ $((end - start)) -le 4259840 ]; then
			buf_start=$start buf_end=$end
		fi
	done <"/proc/$1/maps"
	[ "$buf_end" -gt 0 ]
}

# Walk the scheme's tried regions (update_schemes_tried_regions, timed), and
# show the regions of the hot buffer, and the highest access frequency of
# the other regions.
tried() {
	local start end nr age cold=0
	timed update_schemes_tried_regions "$kd/state"
	read_tried
	printf '  %-14s %-14s %11s %5s\n' start end nr_accesses age
	while read -r start end nr age; do
		[ -n "$age" ] || continue
		if [ "$end" -gt "$buf_start" ] && [ "$start" -lt "$buf_end" ]; then
			printf '  %#-14x %#-14x %11d %5d   hot buffer\n' \
				"$start" "$end" "$nr" "$age"
		elif [ "$nr" -gt "$cold" ]; then
			cold=$nr
		fi
	done <<<"$listing"
	echo "  $nregions regions; the highest nr_accesses outside the buffer: $cold"
	echo "  (nr_accesses: of the 20 samples of an aggregation interval; ages in"
	echo "  aggregation intervals)"
}

# record PHASE SECONDS: walk the tried regions every 200 ms for SECONDS, and
# append the snapshots to $heat.
record() {
	local phase=$1 n=$(($2 * 5)) t start end nr age
	while [ "$n" -gt 0 ]; do
		echo update_schemes_tried_regions >"$kd/state"
		read_tried
		t=$EPOCHREALTIME
		while read -r start end nr age; do
			[ -z "$age" ] || echo "$t $phase $start $end $nr" >>"$heat"
		done <<<"$listing"
		sleep 0.2
		n=$((n - 1))
	done
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
workload='' forcers=()
restore() {
	[ -z "$workload" ] || kill "$workload" 2>/dev/null || true
	[ ${#forcers[@]} -eq 0 ] || kill "${forcers[@]}" 2>/dev/null || true
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

say "A workload: one 4 MiB buffer, written over and over"
"$access_memory" 1 4194304 1000 repeat >/dev/null &
workload=$!
for _ in $(seq 50); do
	! find_buffer "$workload" || break
	sleep 0.1
done
printf 'workload pid %d, hot buffer [%#x, %#x)\n' "$workload" "$buf_start" "$buf_end"
echo "A context-switch forcer on every CPU, so that the emulated CPU refills its"
echo "TLB and DAMON sees the accesses (scripts/vm-cswitch.c)."
for cpu in $(seq 0 $(($(nproc) - 1))); do
	"$cswitch" "$cpu" &
	forcers+=($!)
done
echo "# buffer $buf_start $buf_end" >"$heat"

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
echo "kdamond pid $pid; let it monitor for 3 s, walking its regions every 200 ms"
echo "for the heatmap"
record running 3
tried

say "Pause: the write returns once the kdamond acknowledged it"
run "echo pause > $kd/state"
paused_at=$EPOCHREALTIME
record paused 2
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
echo "# paused $paused_at $resumed_at" >>"$heat"
paused_ms=$(((${resumed_at//[.,]/} - ${paused_at//[.,]/}) / 1000))
run "cat $ctx/paused"
echo "kdamond pid $(kpid); let it monitor for 3 s, walking its regions every 200 ms"
record resumed 3
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
echo "Sample every 5 s and aggregate every 100 s, without intervals tuning.  The"
echo "kdamond sleeps through each 5 s sample, and a request wakes it up; the"
echo "unpatched kernel serves requests only between samples, so each would wait"
echo "for the rest of the sample, 2.5 s on average, and walks of the tried regions"
echo "only when it applies the scheme, after each aggregation: 50 s on average."
echo "The times below are measured"
echo "in the guest around each write: an illustration, not a test (the guest is"
echo "emulated, and another may share the host)."
run "echo 5000000 > $intervals/sample_us"
run "echo 100000000 > $intervals/aggr_us"
run "cat $intervals/intervals_goal/access_bp   # 0: intervals tuning off"
echo "Commit them; they apply from the next sample, as the commit replaces no target:"
timed commit "$kd/state"
echo "(1 s later: mid-sample)"
sleep 1
timed update_schemes_stats "$kd/state"
timed update_schemes_tried_regions "$kd/state"
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
kill "$workload" "${forcers[@]}"
workload='' forcers=()

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
