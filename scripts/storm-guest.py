#!/usr/bin/env python3
"""Runs inside the VM: THREADS threads hammer two kdamonds for SECONDS with
pause, resume, commit, update_schemes_tried_regions, update_schemes_stats,
off and on, and write the DAMON modules' pause parameters.  At the end both
kdamonds are brought to a known state and checked.

DAMON_STAT runs from boot and damon_start()s exclusively, so sysfs 'on'
fails while it runs: it is turned off for the storm, and afterwards turned
back on and checked to run (kdamond_pid > 0, not paused).

Every write is bounded.  The storm's writers are watched: one that takes
longer than BOUND seconds is a stuck writer.  The set-up and clean-up writes
are each made in a thread joined with a BOUND timeout; the clean-up stops at
the first stuck one.  A writer stuck in the kernel cannot be killed and
keeps its process from exiting, so the storm runs in a child process, which
this one waits for within a bound: this program always exits.

Every write must return 0 or an expected errno: EBUSY (the sysfs lock's
trylock, 'on' of a running kdamond), EINVAL (a command to a kdamond that is
off), ECANCELED (a request the kdamond canceled, e.g. a DAMOS walk while it
is paused).  Pausing a paused kdamond and resuming a running one succeed and
change nothing, which the end-state check tries too.

Prints a per-operation table of outcomes (errno counts) and ends with a JSON
summary line; exits 1 if a writer got stuck, a write returned an unexpected
errno or the end state is wrong.

usage: storm-guest.py SECONDS THREADS [BOUND]
"""
import json
import os
import random
import select
import subprocess
import sys
import threading
import time

from damon_guest import (ADMIN, add_stat_context, kd_dir, patched, read,
                         stat_off, stat_restore, try_write)

MODULES = ['damon_reclaim', 'damon_lru_sort', 'damon_stat']
# Outcomes a storm write may have; anything else is a failure.
EXPECTED_STATE = {'ok', 'EBUSY', 'EINVAL', 'ECANCELED'}
EXPECTED_PARAM = {'ok', 'absent'}     # 'absent': the base has no parameter


def state_op(kd, keyword):
    return lambda: try_write(kd_dir(kd) + '/state', keyword)


def pause_op(kd, pause):
    'The patched kernel has keywords; the base has the pause file + commit'
    if patched():
        return state_op(kd, 'pause' if pause else 'resume')
    ctx = kd_dir(kd) + '/contexts/0/pause'

    def op():
        res = try_write(ctx, 'Y' if pause else 'N')
        return res if res != 'ok' else try_write(kd_dir(kd) + '/state',
                                                   'commit')
    return op


def module_op(module, value):
    path = '/sys/module/%s/parameters/pause' % module
    return lambda: try_write(path, value) if os.path.exists(path) \
        else 'absent'


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


def expected(name):
    return EXPECTED_PARAM if '.pause=' in name else EXPECTED_STATE


class Stuck(Exception):
    pass


class Bounded:
    """Reads and writes of the set-up and clean-up, each in a daemon thread
    joined with a timeout; one that does not return in time raises Stuck
    and is counted."""

    def __init__(self, bound):
        self.bound = bound
        self.stuck = []

    def call(self, what, fn, *args):
        result = {}

        def run():
            try:
                result['value'] = fn(*args)
            except Exception as e:      # handed to the caller below
                result['error'] = e
        t = threading.Thread(target=run, daemon=True)
        t.start()
        t.join(self.bound)
        if t.is_alive():
            self.stuck.append(what)
            print('STUCK: %s for over %.0f s' % (what, self.bound),
                  flush=True)
            raise Stuck(what)
        if 'error' in result:
            raise result['error']
        return result['value']

    def write(self, path, value):
        return self.call('write %s to %s' % (value, path), try_write, path,
                         value)

    def read(self, path):
        return self.call('read %s' % path, read, path)


def setup(b):
    'Two paddr kdamonds with one stat scheme each, on; returns problems'
    b.write(ADMIN + '/kdamonds/nr_kdamonds', '2')
    for kd in (0, 1):
        add_stat_context(kd, 1, write=b.write)
        res = b.write(kd_dir(kd) + '/state', 'on')
        if res != 'ok':
            return ['setup: kdamond %d on: %s' % (kd, res)]
    return []


class Storm:
    def __init__(self, seconds, nr_threads, bound):
        self.seconds = seconds
        self.bound = bound
        self.deadline = None
        self.ops = {}         # made by run(), once the kdamonds exist
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.done = threading.Event()
        self.running = 0
        self.counts = {}      # (op, outcome) -> count
        self.max_ms = {}      # op -> longest write
        self.busy = {}        # thread index -> (op, start)
        self.stuck = set()
        self.errors = []
        self.threads = [threading.Thread(target=self.worker, args=(i,),
                                         daemon=True)
                        for i in range(nr_threads)]

    def worker(self, idx):
        rnd = random.Random(idx)
        names = sorted(self.ops)
        try:
            while not self.stop.is_set() and \
                    time.monotonic() < self.deadline:
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
        except Exception as e:          # reported, not lost with the thread
            with self.lock:
                self.errors.append('thread %d: %r' % (idx, e))
        finally:
            with self.lock:
                self.running -= 1
                if not self.running:
                    self.done.set()

    def report_stuck(self):
        'Note every write in progress for longer than the bound'
        now = time.monotonic()
        with self.lock:
            for idx, (name, start) in self.busy.items():
                if now - start > self.bound and idx not in self.stuck:
                    self.stuck.add(idx)
                    print('STUCK: thread %d in %s for %.0f s' %
                          (idx, name, now - start), flush=True)

    def watch(self):
        'Until the workers are done, or the deadline passed by the bound'
        while not self.done.wait(1):
            self.report_stuck()
            if time.monotonic() > self.deadline + self.bound:
                break

    def stop_and_join(self):
        """Stop the workers and join each one that started, all within the
        bound; a worker still in a write then is stuck."""
        self.stop.set()
        end = time.monotonic() + self.bound
        for t in self.threads:
            if t.ident is not None:
                t.join(max(0.0, end - time.monotonic()))
        self.report_stuck()
        with self.lock:
            for idx, t in enumerate(self.threads):
                if t.is_alive() and idx not in self.stuck:
                    self.stuck.add(idx)
                    print('STUCK: thread %d does not end' % idx, flush=True)

    def run(self):
        # after setup(): which pause interface exists is read off kdamond 0
        self.ops = operations()
        self.deadline = time.monotonic() + self.seconds
        try:
            for t in self.threads:
                with self.lock:
                    self.running += 1
                t.start()
            self.watch()
        finally:
            self.stop_and_join()

    def unexpected(self):
        return ['%s returned %s %d times' % (name, outcome, n)
                for (name, outcome), n in sorted(self.counts.items())
                if outcome not in expected(name)]


def check_pause(b, kd, problems):
    """On a running kdamond: pause and resume are acknowledged, and a second
    pause or resume succeeds and changes nothing."""
    paused = kd_dir(kd) + '/contexts/0/paused'
    for pause, want in ((True, 'Y'), (True, 'Y'), (False, 'N'), (False, 'N')):
        res = b.call('%s kdamond %d' % ('pause' if pause else 'resume', kd),
                     pause_op(kd, pause))
        got = b.read(paused)
        if res != 'ok' or got != want:
            problems.append('kdamond %d: %s returned %s, paused reads %s' %
                            (kd, 'pause' if pause else 'resume', res, got))
        if b.read(kd_dir(kd) + '/state') != 'on':
            problems.append('kdamond %d: state does not read on' % kd)


def end_state(b, problems):
    """Bring both kdamonds to a known state and check it, adding to
    problems.  Raises Stuck at the first write that does not return."""
    for kd in (0, 1):
        state = kd_dir(kd) + '/state'
        for _ in range(100):
            if b.write(state, 'off') in ('ok', 'EINVAL'):
                break
        # the storm may have left the pause input set: start running
        b.write(kd_dir(kd) + '/contexts/0/pause', 'N')
        if b.write(state, 'on') != 'ok':
            problems.append('kdamond %d does not turn on' % kd)
            continue
        if patched():
            check_pause(b, kd, problems)
        if b.write(state, 'off') != 'ok' or b.read(state) != 'off':
            problems.append('kdamond %d does not turn off' % kd)
        if patched():
            res = b.call('pause kdamond %d' % kd, pause_op(kd, True))
            if res != 'EINVAL':
                problems.append('kdamond %d: pause while off returned %s'
                                % (kd, res))
    for m in MODULES:
        b.call('%s.pause=N' % m, module_op(m, 'N'))


def stat_stop(b):
    "Turn DAMON_STAT off; returns its 'enabled' value, None without it"
    was = stat_off(b.read, b.write)
    if was is not None:
        print('DAMON_STAT: enabled=%s; turned off for the storm' % was,
              flush=True)
    return was


def stat_back(b, was, problems):
    'Give DAMON_STAT its state back and check it, adding to problems'
    found = stat_restore(was, b.read, b.write)
    if was is not None:
        print('DAMON_STAT: enabled=%s restored: %s' %
              (was, '; '.join(found) or 'running as before'), flush=True)
    problems += found


def storm_process(seconds, nr_threads, bound):
    'The storm itself; returns the exit status'
    b = Bounded(bound)
    storm = Storm(seconds, nr_threads, bound)
    problems = []
    stat = None
    try:
        stat = stat_stop(b)
        problems += setup(b)
        if not problems:
            storm.run()
    except Stuck:
        problems.append('the storm stopped at a stuck write')
    except Exception as e:
        problems.append('the storm failed: %r' % e)
    for step in (lambda: end_state(b, problems),
                 lambda: stat_back(b, stat, problems)):
        try:
            step()
        except Stuck:
            problems.append('the clean-up stopped at a stuck write')
        except Exception as e:
            problems.append('the clean-up failed: %r' % e)
    unexpected = storm.unexpected()
    problems += storm.errors

    print('%-40s %8s  %s' % ('operation', 'max ms', 'outcomes'))
    for name in sorted(storm.ops):
        outcomes = ', '.join('%s %d' % (o, c) for (n, o), c in
                             sorted(storm.counts.items()) if n == name)
        print('%-40s %8.0f  %s' % (name, storm.max_ms.get(name, 0), outcomes))
    for u in unexpected:
        print('UNEXPECTED: %s' % u)
    for p in problems:
        print('END STATE: %s' % p)
    stuck = len(storm.stuck) + len(b.stuck)
    summary = {
        'kernel': 'patched' if patched() else 'base',
        'seconds': seconds, 'threads': nr_threads,
        'writes': sum(storm.counts.values()), 'stuck': stuck,
        'unexpected': len(unexpected), 'end_state_problems': len(problems),
        'outcomes': {'%s %s' % k: v for k, v in sorted(storm.counts.items())},
        'max_ms': storm.max_ms,
    }
    print(json.dumps(summary), flush=True)
    return 1 if stuck or unexpected or problems else 0


def supervise(seconds, nr_threads, bound):
    """Run the storm in a child process and wait for its status, within a
    bound; returns the exit status.  A child that reported its status but
    cannot exit (a writer stuck in the kernel) is left behind."""
    rfd, wfd = os.pipe()
    child = subprocess.Popen([sys.executable, os.path.abspath(__file__),
                              '--storm', str(wfd), str(seconds),
                              str(nr_threads), str(bound)], pass_fds=(wfd,))
    os.close(wfd)
    # The storm takes SECONDS, plus at most a bound each for its watch, its
    # join, a stuck clean-up write and a stuck DAMON_STAT write.
    limit = seconds + 5 * bound
    ready, _, _ = select.select([rfd], [], [], limit)
    status = os.read(rfd, 16).decode() if ready else ''
    if not ready:
        print('STUCK: the storm process gave no status in %.0f s; left '
              'behind' % limit, flush=True)
        return 1
    try:
        rc = child.wait(bound)
    except subprocess.TimeoutExpired:
        print('STUCK: the storm process cannot exit (a writer is stuck in '
              'the kernel); left behind', flush=True)
        return 1
    return int(status) if status else (rc or 1)


def main():
    if len(sys.argv) == 6 and sys.argv[1] == '--storm':
        rc = storm_process(float(sys.argv[3]), int(sys.argv[4]),
                           float(sys.argv[5]))
        sys.stdout.flush()
        os.write(int(sys.argv[2]), b'%d' % rc)
        # no interpreter shutdown: it must not wait on anything
        os._exit(rc)
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    bound = float(sys.argv[3]) if len(sys.argv) > 3 else 60
    sys.exit(supervise(float(sys.argv[1]), int(sys.argv[2]), bound))


if __name__ == '__main__':
    main()
