#!/usr/bin/env python3
"""Runs inside the VM: measure what pausing costs and how fast requests are
answered, on whichever kernel booted (base or patched), and print one JSON
object per sample on stdout:

  {"metric": NAME, "value": NUMBER, "unit": UNIT}

(and "note": TEXT where the value needs one).

The kdamond monitors the biggest System RAM range in NR_REGIONS regions.
DAMON_STAT, which runs from boot and damon_start()s exclusively, is turned
off for those measurements, so that both kernels run them in the same state;
then, on the patched kernel, it is enabled and measured, and it is left
enabled or not as it was.

Metrics (REPS samples each):
  paused_wakeups_5000us, paused_cpu_5000us       per second, while paused
  paused_wakeups_100us, paused_cpu_100us
  running_wakeups_5000us, running_cpu_5000us     per second, while running
  commit_paused_1s_ms        a commit while paused, sampling every 1 s
  commit_running_1ms_ms      a commit while running, sampling every 1 ms
  pause_ack_ms, resume_ack_ms  (patched only: the base has no acknowledgment)
  {pause,commit,stats}_running_{5ms,1s,10s}_ms
                             a request to a running kdamond sampling at that
                             fixed interval, with one DAMOS_STAT scheme: the
                             pause (base: the commit of the pause file),
                             a commit that changes nothing, and
                             update_schemes_stats; each sent at a random
                             point of the sample
  {tried_regions,tried_bytes}_running_{5ms,1s,10s}_ms
                             update_schemes_tried_regions and
                             update_schemes_tried_bytes on the same kdamond,
                             each sent at a random point of the aggregation
                             interval (the base serves them when it applies
                             the scheme, once per aggregation); at 10 s
                             sampling, 3 samples at most, as each costs a
                             200 s aggregation
  damon_stat_pause_ms        (patched only: the base has no pause parameter)
                             writing Y to DAMON_STAT's pause parameter once
                             its tuning reached a long sampling interval
                             (10 s, or what it reached in 15 minutes)
  damon_stat_sample_ms       the sampling interval DAMON_STAT had then
  param_read_in_stat_pause_ms  the longest read of an unrelated built-in
                             module parameter that overlapped such a write

usage: bench-guest.py REPS SECONDS
"""
import json
import os
import random
import sys
import threading
import time

from damon_guest import (ADMIN, STAT, add_stat_context, ctx_dir, kd_dir,
                         patched, read, stat_off, stat_restore, write)

KD = kd_dir(0)
CTX = ctx_dir(0)
STAT_ENABLED = STAT + '/enabled'
STAT_PAUSE = STAT + '/pause'
STAT_AGGR = STAT + '/aggr_interval_us'
# DAMON_STAT aggregates 20 samples (100 ms / 5 ms in stat.c); its tuning
# keeps that number.
STAT_AGGR_SAMPLES = 20
# DAMON_STAT tunes its sampling interval up to 10 s, at most doubling it every
# 3 aggregations (60 samples): reaching 10 s from 5 ms takes at least
# 60 * (5 ms + 10 ms + ... + 5.12 s), about 10 minutes.  Wait for it that
# long and some more, then measure at whatever it reached.
STAT_SAMPLE_GOAL_US = 10000000
STAT_WAIT_MAX_S = 900
# A built-in module parameter unrelated to DAMON: built-in modules' parameters
# share one lock, which a parameter write holds for its whole duration.
OTHER_PARAM = '/sys/module/printk/parameters/time'
NR_REGIONS = 100
RUNNING_INTERVALS = (('5ms', 5000), ('1s', 1000000), ('10s', 10000000))
# The same request phases on both kernels.
RANDOM_SEED = 9


def emit(metric, value, unit, note=None):
    sample = {'metric': metric, 'value': value, 'unit': unit}
    if note:
        sample['note'] = note
    print(json.dumps(sample), flush=True)


def system_ram():
    'The biggest System RAM range, as [start, end)'
    ranges = []
    for line in read('/proc/iomem').splitlines():
        if line.strip().endswith(': System RAM'):
            start, end = line.split(':')[0].strip().split('-')
            ranges.append((int(start, 16), int(end, 16) + 1))
    return max(ranges, key=lambda r: r[1] - r[0])


def setup(sample_us, nr_schemes=0):
    """Monitor the physical memory in NR_REGIONS regions, with fixed
    intervals (no auto-tuning).  The number of regions is fixed (min == max:
    no splits, and merges would exceed the size limit) so that both kernels
    do the same work per sample.  The schemes, if any, are DAMOS_STAT ones
    that apply to every region."""
    write(ADMIN + '/kdamonds/nr_kdamonds', 1)
    add_stat_context(0, nr_schemes)
    attrs = CTX + '/monitoring_attrs'
    write(attrs + '/intervals/sample_us', sample_us)
    write(attrs + '/intervals/aggr_us', sample_us * 20)
    write(attrs + '/intervals/intervals_goal/aggrs', 0)
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


def timed_write(path, value):
    'Write value to path; returns milliseconds taken'
    start = time.perf_counter()
    write(path, value)
    return (time.perf_counter() - start) * 1000


def timed_commit():
    return timed_write(KD + '/state', 'commit')


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


def timed_pause():
    """Pause a running kdamond; returns milliseconds taken.  The base has no
    pause keyword: there the pause file is set beforehand and the commit
    that applies it is timed."""
    if patched():
        return timed_write(KD + '/state', 'pause')
    write(CTX + '/pause', 'Y')
    return timed_commit()


def phases(reps, rng):
    """reps random fractions of an interval, one in each reps-th of it, in
    random order: random points that cover the interval evenly, so that a
    few samples of a wait that depends on the point have a representative
    median."""
    points = [(i + rng.random()) / reps for i in range(reps)]
    rng.shuffle(points)
    return points


# The state keyword of each request that is a plain write of it.
KEYWORDS = {'stats': 'update_schemes_stats',
            'tried_regions': 'update_schemes_tried_regions',
            'tried_bytes': 'update_schemes_tried_bytes'}
READS = ('tried_regions', 'tried_bytes')
READ_REPS_10S = 3


def request_running(request, reps, sample_us, rng):
    """Time a request to the running kdamond reps times, each after sleeping
    a random fraction of the sampling interval (of the aggregation interval
    for the reads of the tried regions), so that the requests land at random
    points of the interval they may wait for, and not always at its start.
    (A timed request returns at the end of that interval on the base, so
    without the sleep every request would wait a whole interval.)"""
    interval_us = sample_us * 20 if request in READS else sample_us
    for phase in phases(reps, rng):
        time.sleep(phase * interval_us / 1e6)
        if request == 'pause':
            ms = timed_pause()
            set_pause(False)
        elif request == 'commit':
            ms = timed_commit()
        else:
            ms = timed_write(KD + '/state', KEYWORDS[request])
        yield ms


def bench_running_requests(reps):
    rng = random.Random(RANDOM_SEED)
    for name, sample_us in RUNNING_INTERVALS:
        setup(sample_us, nr_schemes=1)
        for request in ('pause', 'commit', 'stats') + READS:
            n = reps
            if request in READS and sample_us >= 10000000:
                n = min(reps, READ_REPS_10S)
            for ms in request_running(request, n, sample_us, rng):
                emit('%s_running_%s_ms' % (request, name), ms, 'ms')
        stop()


def stat_sample_reader():
    """A function that returns DAMON_STAT's current sampling interval in
    microseconds: read with drgn from its context where drgn can read the
    running kernel, else derived from its aggr_interval_us parameter (which
    it refreshes at most every 5 s)."""
    def from_param():
        return int(read(STAT_AGGR)) // STAT_AGGR_SAMPLES
    try:
        import drgn
    except ImportError:
        return from_param, 'aggr_interval_us'
    try:
        prog = drgn.program_from_kernel()
        ctx = prog['damon_stat_context']
    except (OSError, LookupError, drgn.MissingDebugInfoError):
        return from_param, 'aggr_interval_us'
    return lambda: ctx.attrs.sample_interval.value_(), 'drgn'


def max_read_during(path, action):
    """Read path over and over in a thread while action() runs; returns the
    longest read (ms) that overlapped action(), 0 if none did."""
    reads, done = [], threading.Event()

    def reader():
        fd = os.open(path, os.O_RDONLY)
        try:
            while not done.is_set():
                start = time.perf_counter()
                os.pread(fd, 64, 0)
                reads.append((start, time.perf_counter()))
        finally:
            os.close(fd)

    thread = threading.Thread(target=reader)
    thread.start()
    time.sleep(0.05)
    start = time.perf_counter()
    action()
    end = time.perf_counter()
    done.set()
    thread.join()
    return max([(e - s) * 1000 for s, e in reads if s < end and e > start],
               default=0)


def bench_damon_stat(reps):
    """Pause DAMON_STAT once its own tuning made its sampling interval long.
    Its interval cannot be set: it is enabled (its tuning starts from 5 ms)
    and left running until the tuning reaches STAT_SAMPLE_GOAL_US, or
    STAT_WAIT_MAX_S passed."""
    rng = random.Random(RANDOM_SEED)
    if read(STAT_ENABLED) != 'Y':
        write(STAT_ENABLED, 'Y')
    sample_us, source = stat_sample_reader()
    start = time.monotonic()
    while (sample_us() < STAT_SAMPLE_GOAL_US and
           time.monotonic() < start + STAT_WAIT_MAX_S):
        time.sleep(5)
    note = 'read with %s; from %.0f s after DAMON_STAT was enabled' % (
        source, time.monotonic() - start)
    try:
        for phase in phases(reps, rng):
            time.sleep(phase * sample_us() / 1e6)
            emit('damon_stat_sample_ms', sample_us() / 1000, 'ms', note)
            emit('damon_stat_pause_ms', timed_write(STAT_PAUSE, 'Y'), 'ms')
            write(STAT_PAUSE, 'N')
        if not os.path.exists(OTHER_PARAM):
            return
        # Thread switches every 0.5 ms rather than 5 ms, so that the reader
        # waits less for the interpreter after its read returns.
        switch = sys.getswitchinterval()
        sys.setswitchinterval(0.0005)
        for phase in phases(reps, rng):
            time.sleep(phase * sample_us() / 1e6)
            emit('param_read_in_stat_pause_ms',
                 max_read_during(OTHER_PARAM,
                                 lambda: write(STAT_PAUSE, 'Y')), 'ms')
            write(STAT_PAUSE, 'N')
        sys.setswitchinterval(switch)
    finally:
        write(STAT_PAUSE, 'N')


def main():
    reps, seconds = int(sys.argv[1]), float(sys.argv[2])
    stat = stat_off()
    try:
        bench_idle_cost(reps, seconds)
        bench_latency(reps)
        bench_running_requests(reps)
        if stat is not None and os.path.exists(STAT_PAUSE):
            bench_damon_stat(reps)
    finally:
        if os.path.exists(KD) and read(KD + '/state') == 'on':
            stop()
        for problem in stat_restore(stat):
            print(problem, file=sys.stderr)


if __name__ == '__main__':
    main()
