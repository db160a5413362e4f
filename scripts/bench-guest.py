#!/usr/bin/env python3
"""Runs inside the VM: measure what pausing costs and how fast it answers,
on whichever kernel booted (base or patched), and print one JSON object per
sample on stdout:

  {"metric": NAME, "value": NUMBER, "unit": UNIT}

The kdamond monitors the biggest System RAM range in NR_REGIONS regions.
DAMON_STAT, which runs from boot and damon_start()s exclusively, is turned
off for the measurements and turned back on at the end.

Metrics (REPS samples each):
  paused_wakeups_5000us, paused_cpu_5000us       per second, while paused
  paused_wakeups_100us, paused_cpu_100us
  running_wakeups_5000us, running_cpu_5000us     per second, while running
  commit_paused_1s_ms        a commit while paused, sampling every 1 s
  commit_running_1ms_ms      a commit while running, sampling every 1 ms
  pause_ack_ms, resume_ack_ms  (patched only: the base has no acknowledgment)

usage: bench-guest.py REPS SECONDS
"""
import json
import os
import sys
import time

ADMIN = '/sys/kernel/mm/damon/admin'
KD = ADMIN + '/kdamonds/0'
CTX = KD + '/contexts/0'
STAT_ENABLED = '/sys/module/damon_stat/parameters/enabled'
NR_REGIONS = 100


def write(path, value):
    with open(path, 'w') as f:
        f.write(str(value))


def read(path):
    with open(path) as f:
        return f.read().strip()


def emit(metric, value, unit):
    print(json.dumps({'metric': metric, 'value': value, 'unit': unit}),
          flush=True)


def patched():
    return os.path.exists(CTX + '/paused')


def system_ram():
    'The biggest System RAM range, as [start, end)'
    ranges = []
    for line in read('/proc/iomem').splitlines():
        if line.strip().endswith(': System RAM'):
            start, end = line.split(':')[0].strip().split('-')
            ranges.append((int(start, 16), int(end, 16) + 1))
    return max(ranges, key=lambda r: r[1] - r[0])


def setup(sample_us):
    """Monitor the physical memory in NR_REGIONS regions.  The number of
    regions is fixed (min == max: no splits, and merges would exceed the
    size limit) so that both kernels do the same work per sample."""
    write(ADMIN + '/kdamonds/nr_kdamonds', 1)
    write(KD + '/contexts/nr_contexts', 1)
    write(CTX + '/operations', 'paddr')
    attrs = CTX + '/monitoring_attrs'
    write(attrs + '/intervals/sample_us', sample_us)
    write(attrs + '/intervals/aggr_us', sample_us * 20)
    write(attrs + '/nr_regions/max', NR_REGIONS)
    write(attrs + '/nr_regions/min', NR_REGIONS)
    write(CTX + '/targets/nr_targets', 1)
    write(CTX + '/targets/0/regions/nr_regions', 1)
    start, end = system_ram()
    write(CTX + '/targets/0/regions/0/start', start)
    write(CTX + '/targets/0/regions/0/end', end)
    write(CTX + '/pause', 'N')
    write(KD + '/state', 'on')
    return int(read(KD + '/pid'))


def stop():
    write(KD + '/state', 'off')


def set_pause(pause):
    'Pause or resume the way each kernel offers; returns seconds taken'
    start = time.perf_counter()
    if patched():
        write(KD + '/state', 'pause' if pause else 'resume')
    else:
        write(CTX + '/pause', 'Y' if pause else 'N')
        write(KD + '/state', 'commit')
    return time.perf_counter() - start


def task_cost(pid):
    """Voluntary context switches and CPU time (s) of a task.  The CPU time is
    the scheduler's own ns-resolution sum, not the tick-sampled utime+stime,
    which is too coarse for a kdamond that runs 2% of the time."""
    wakeups = cpu = None
    for line in read('/proc/%d/status' % pid).splitlines():
        if line.startswith('voluntary_ctxt_switches:'):
            wakeups = int(line.split()[1])
    for line in read('/proc/%d/sched' % pid).splitlines():
        if line.startswith('se.sum_exec_runtime'):
            cpu = float(line.split(':')[1]) / 1000
    if wakeups is None or cpu is None:
        raise RuntimeError('no wakeups or CPU time for %d' % pid)
    return wakeups, cpu


def rates(pid, seconds):
    wakeups, cpu = task_cost(pid)
    start = time.perf_counter()
    time.sleep(seconds)
    elapsed = time.perf_counter() - start
    wakeups2, cpu2 = task_cost(pid)
    return ((wakeups2 - wakeups) / elapsed, (cpu2 - cpu) / elapsed)


def bench_idle_cost(reps, seconds):
    for sample_us in (5000, 100):
        pid = setup(sample_us)
        set_pause(True)
        time.sleep(0.5)
        for _ in range(reps):
            w, c = rates(pid, seconds)
            emit('paused_wakeups_%dus' % sample_us, w, '1/s')
            emit('paused_cpu_%dus' % sample_us, c, 's/s')
        stop()
    pid = setup(5000)
    for _ in range(reps):
        w, c = rates(pid, seconds)
        emit('running_wakeups_5000us', w, '1/s')
        emit('running_cpu_5000us', c, 's/s')
    stop()


def timed_commit():
    start = time.perf_counter()
    write(KD + '/state', 'commit')
    return (time.perf_counter() - start) * 1000


def bench_latency(reps):
    setup(1000000)
    set_pause(True)
    for _ in range(reps):
        emit('commit_paused_1s_ms', timed_commit(), 'ms')
    stop()
    setup(1000)
    for _ in range(reps):
        emit('commit_running_1ms_ms', timed_commit(), 'ms')
    if patched():
        for _ in range(reps):
            emit('pause_ack_ms', set_pause(True) * 1000, 'ms')
            emit('resume_ack_ms', set_pause(False) * 1000, 'ms')
    stop()


def main():
    reps, seconds = int(sys.argv[1]), float(sys.argv[2])
    stat = read(STAT_ENABLED) if os.path.exists(STAT_ENABLED) else None
    if stat == 'Y':
        write(STAT_ENABLED, 'N')
    try:
        bench_idle_cost(reps, seconds)
        bench_latency(reps)
    finally:
        if os.path.exists(KD) and read(KD + '/state') == 'on':
            stop()
        if stat == 'Y':
            write(STAT_ENABLED, 'Y')


if __name__ == '__main__':
    main()
