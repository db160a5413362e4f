#!/usr/bin/env python3
"""Runs inside the VM: THREADS threads hammer two kdamonds for SECONDS with
pause, resume, commit, update_schemes_tried_regions, update_schemes_stats,
off and on, and write the DAMON modules' pause parameters.  Every write is
timed; one that takes longer than BOUND seconds is a stuck writer.  At the
end both kdamonds are brought to a known state and checked.

Prints a per-operation table of outcomes (errno counts) and ends with a
JSON summary line; exits 1 if a writer got stuck or the end state is wrong.

usage: storm-guest.py SECONDS THREADS [BOUND]
"""
import errno
import json
import os
import random
import sys
import threading
import time

ADMIN = '/sys/kernel/mm/damon/admin'
MODULES = ['damon_reclaim', 'damon_lru_sort', 'damon_stat']


def kd_dir(i):
    return '%s/kdamonds/%d' % (ADMIN, i)


def write(path, value):
    'Returns the errno name of the write, or "ok"'
    try:
        with open(path, 'w') as f:
            f.write(value)
    except OSError as e:
        return errno.errorcode.get(e.errno, str(e.errno))
    return 'ok'


def read(path):
    with open(path) as f:
        return f.read().strip()


def patched():
    return os.path.exists(kd_dir(0) + '/contexts/0/paused')


def state_op(kd, keyword):
    return lambda: write(kd_dir(kd) + '/state', keyword)


def pause_op(kd, pause):
    'The patched kernel has keywords; the base has the pause file + commit'
    if patched():
        return state_op(kd, 'pause' if pause else 'resume')
    ctx = kd_dir(kd) + '/contexts/0/pause'

    def op():
        res = write(ctx, 'Y' if pause else 'N')
        return res if res != 'ok' else write(kd_dir(kd) + '/state', 'commit')
    return op


def module_op(module, value):
    path = '/sys/module/%s/parameters/pause' % module
    return lambda: write(path, value) if os.path.exists(path) else 'absent'


def operations():
    ops = {}
    for kd in (0, 1):
        for kw in ('commit', 'update_schemes_tried_regions',
                   'update_schemes_stats', 'off', 'on'):
            ops['%s/%d' % (kw, kd)] = state_op(kd, kw)
        ops['pause/%d' % kd] = pause_op(kd, True)
        ops['resume/%d' % kd] = pause_op(kd, False)
    for m in MODULES:
        ops['%s.pause=Y' % m] = module_op(m, 'Y')
        ops['%s.pause=N' % m] = module_op(m, 'N')
    return ops


def setup():
    write(ADMIN + '/kdamonds/nr_kdamonds', '2')
    for kd in (0, 1):
        ctx = kd_dir(kd) + '/contexts'
        write(ctx + '/nr_contexts', '1')
        write(ctx + '/0/operations', 'paddr')
        write(ctx + '/0/schemes/nr_schemes', '1')
        write(ctx + '/0/schemes/0/action', 'stat')
        res = write(kd_dir(kd) + '/state', 'on')
        if res != 'ok':
            print('setup: kdamond %d on: %s' % (kd, res))
            sys.exit(1)


class Storm:
    def __init__(self, seconds, nr_threads, bound):
        self.deadline = time.monotonic() + seconds
        self.bound = bound
        self.ops = operations()
        self.lock = threading.Lock()
        self.counts = {}      # (op, outcome) -> count
        self.max_ms = {}      # op -> longest write
        self.busy = {}        # thread index -> (op, start)
        self.stuck = set()
        self.threads = [threading.Thread(target=self.worker, args=(i,),
                                         daemon=True)
                        for i in range(nr_threads)]

    def worker(self, idx):
        rnd = random.Random(idx)
        names = sorted(self.ops)
        while time.monotonic() < self.deadline:
            name = rnd.choice(names)
            start = time.monotonic()
            with self.lock:
                self.busy[idx] = (name, start)
            outcome = self.ops[name]()
            took = (time.monotonic() - start) * 1000
            with self.lock:
                del self.busy[idx]
                key = (name, outcome)
                self.counts[key] = self.counts.get(key, 0) + 1
                self.max_ms[name] = max(self.max_ms.get(name, 0), took)

    def watch(self):
        'Until the workers are done, look for writes over the bound'
        while any(t.is_alive() for t in self.threads):
            now = time.monotonic()
            with self.lock:
                for idx, (name, start) in self.busy.items():
                    if now - start > self.bound and idx not in self.stuck:
                        self.stuck.add(idx)
                        print('STUCK: thread %d in %s for %.0f s' %
                              (idx, name, now - start), flush=True)
            if now > self.deadline + self.bound:
                break
            time.sleep(1)

    def run(self):
        for t in self.threads:
            t.start()
        self.watch()


def end_state():
    'Bring both kdamonds to a known state and check it'
    problems = []
    for kd in (0, 1):
        for _ in range(100):
            if write(kd_dir(kd) + '/state', 'off') in ('ok', 'EINVAL'):
                break
        # the storm may have left the pause input set: start running
        write(kd_dir(kd) + '/contexts/0/pause', 'N')
        if write(kd_dir(kd) + '/state', 'on') != 'ok':
            problems.append('kdamond %d does not turn on' % kd)
            continue
        if patched():
            if pause_op(kd, True)() != 'ok' or \
                    read(kd_dir(kd) + '/contexts/0/paused') != 'Y':
                problems.append('kdamond %d does not pause' % kd)
            if read(kd_dir(kd) + '/state') != 'on':
                problems.append('kdamond %d paused reads not on' % kd)
            if pause_op(kd, False)() != 'ok' or \
                    read(kd_dir(kd) + '/contexts/0/paused') != 'N':
                problems.append('kdamond %d does not resume' % kd)
        if write(kd_dir(kd) + '/state', 'off') != 'ok' or \
                read(kd_dir(kd) + '/state') != 'off':
            problems.append('kdamond %d does not turn off' % kd)
    for m in MODULES:
        module_op(m, 'N')()
    return problems


def main():
    seconds, nr_threads = float(sys.argv[1]), int(sys.argv[2])
    bound = float(sys.argv[3]) if len(sys.argv) > 3 else 60
    setup()
    storm = Storm(seconds, nr_threads, bound)
    storm.run()
    problems = [] if storm.stuck else end_state()
    total = sum(storm.counts.values())
    print('%-40s %8s  %s' % ('operation', 'max ms', 'outcomes'))
    for name in sorted(storm.ops):
        outcomes = ', '.join('%s %d' % (o, c) for (n, o), c in
                             sorted(storm.counts.items()) if n == name)
        print('%-40s %8.0f  %s' % (name, storm.max_ms.get(name, 0), outcomes))
    for p in problems:
        print('END STATE: %s' % p)
    summary = {
        'kernel': 'patched' if patched() else 'base',
        'seconds': seconds, 'threads': nr_threads, 'writes': total,
        'stuck': len(storm.stuck), 'end_state_problems': len(problems),
        'outcomes': {'%s %s' % k: v for k, v in sorted(storm.counts.items())},
        'max_ms': storm.max_ms,
    }
    print(json.dumps(summary), flush=True)
    sys.exit(1 if storm.stuck or problems else 0)


if __name__ == '__main__':
    main()
