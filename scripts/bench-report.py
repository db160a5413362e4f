#!/usr/bin/env python3
"""Put base and patched benchmark samples side by side: a table (min/median/
max of each, the patched/base ratio of the medians and, for requests to a
running kdamond at long sampling intervals, the patched median over the same
request's at 5 ms) and the acceptance checks on stdout and in
OUTDIR/table.txt, a CSV summary, and OUTDIR/latency.png: request latency
against the sampling interval, base and patched.

usage: bench-report.py BASE.jsonl PATCHED.jsonl OUTDIR
"""
import csv
import json
import os
import statistics
import sys

REQUESTS = ('pause', 'commit', 'stats', 'tried_regions', 'tried_bytes')
INTERVALS = ('5ms', '1s', '10s')
LONG_INTERVALS = ('1s', '10s')
ORDER = [
    'paused_wakeups_5000us', 'paused_cpu_5000us',
    'paused_wakeups_100us', 'paused_cpu_100us',
    'commit_paused_1s_ms', 'commit_running_1ms_ms',
    'pause_ack_ms', 'resume_ack_ms',
    'running_wakeups_5000us', 'running_cpu_5000us',
] + ['%s_running_%s_ms' % (r, i) for r in REQUESTS for i in INTERVALS] + [
    'damon_stat_sample_ms', 'damon_stat_pause_ms',
    'param_read_in_stat_pause_ms',
]
NO_ACK = 'base: no acknowledgment to wait for'
NO_STAT_PAUSE = 'base: DAMON_STAT has no pause parameter'
# Why a metric has no base samples.
BASE_MISSING = {
    'pause_ack_ms': NO_ACK, 'resume_ack_ms': NO_ACK,
    'damon_stat_sample_ms': NO_STAT_PAUSE,
    'damon_stat_pause_ms': NO_STAT_PAUSE,
    'param_read_in_stat_pause_ms': NO_STAT_PAUSE,
}
# Acceptance: requests at long intervals at least this many times faster
# than the base, and at most this many times the same request at 5 ms.
MIN_SPEEDUP = 100
MAX_VS_5MS = 2
RUNNING_RATIO = (0.98, 1.02)
# "a few milliseconds" at most for a DAMON_STAT pause write and the lock
STAT_PAUSE_MAX_MS = 5


def load(path):
    samples, units, notes = {}, {}, {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line.startswith('{'):
                continue
            s = json.loads(line)
            samples.setdefault(s['metric'], []).append(s['value'])
            units[s['metric']] = s['unit']
            if 'note' in s:
                notes[s['metric']] = s['note']
    return samples, units, notes


def stats(values):
    if not values:
        return None
    return min(values), statistics.median(values), max(values)


def fmt(st):
    if st is None:
        return 'n/a'
    return '%.3g / %.3g / %.3g' % st


def fmt_ratio(r):
    if r is None:
        return 'n/a'
    if r == 0 or r >= 0.1:
        return '%.3f' % r
    return '%.3g' % r


def median(samples, metric):
    values = samples.get(metric)
    return statistics.median(values) if values else None


def vs_5ms(patched, metric):
    'Patched median of a request at 1 s or 10 s over the same at 5 ms'
    for i in LONG_INTERVALS:
        suffix = '_running_%s_ms' % i
        if metric.endswith(suffix):
            m, m5 = median(patched, metric), median(
                patched, metric[:-len(suffix)] + '_running_5ms_ms')
            return m / m5 if m is not None and m5 else None
    return None


def acceptance(base, patched):
    'Lines checking the numbers against the acceptance criteria'
    lines = ['acceptance: requests at 1 s and 10 s sampling at least %dx '
             'below base, at most %dx the same at 5 ms' %
             (MIN_SPEEDUP, MAX_VS_5MS)]
    for r in REQUESTS:
        for i in LONG_INTERVALS:
            m = '%s_running_%s_ms' % (r, i)
            b, p, v = median(base, m), median(patched, m), vs_5ms(patched, m)
            if b is None or p is None or v is None:
                lines.append('  %-30s n/a' % m)
                continue
            lines.append('  %-30s base/patched %8.0fx %-4s patched/5ms %5.2f '
                         '%s' % (m, b / p, ok(b / p >= MIN_SPEEDUP), v,
                                 ok(v <= MAX_VS_5MS)))
    lines.append('acceptance: running kdamond, patched/base within %g-%g' %
                 RUNNING_RATIO)
    for m in ('running_wakeups_5000us', 'running_cpu_5000us'):
        b, p = median(base, m), median(patched, m)
        if not b or p is None:
            lines.append('  %-24s n/a' % m)
            continue
        lines.append('  %-24s %.3f %s' % (
            m, p / b, ok(RUNNING_RATIO[0] <= p / b <= RUNNING_RATIO[1])))
    lines.append('acceptance: DAMON_STAT pause write holds the parameter lock '
                 'for %d ms at most' % STAT_PAUSE_MAX_MS)
    for m in ('damon_stat_pause_ms', 'param_read_in_stat_pause_ms'):
        values = patched.get(m)
        if not values:
            lines.append('  %-28s n/a' % m)
            continue
        lines.append('  %-28s max %.3g ms %s' % (
            m, max(values), ok(max(values) <= STAT_PAUSE_MAX_MS)))
    interval = patched.get('damon_stat_sample_ms')
    if interval:
        lines.append('  %-28s %.3g-%.3g s' % ('at DAMON_STAT sampling',
                     min(interval) / 1000, max(interval) / 1000))
    return lines


def ok(cond):
    return 'yes' if cond else 'NO'


def main():
    base, units, notes = load(sys.argv[1])
    patched, punits, pnotes = load(sys.argv[2])
    units.update(punits)
    notes.update(pnotes)
    outdir = sys.argv[3]
    rows = []
    lines = ['%-28s %-6s %-30s %-30s %-9s %s' % (
        'metric', 'unit', 'base min/median/max', 'patched min/median/max',
        'ratio', 'vs 5ms')]
    for m in ORDER:
        b, p = stats(base.get(m, [])), stats(patched.get(m, []))
        ratio = p[1] / b[1] if b and p and b[1] else None
        v = vs_5ms(patched, m)
        note = [n for n in (notes.get(m), None if b else BASE_MISSING.get(m))
                if n]
        lines.append(('%-28s %-6s %-30s %-30s %-9s %-6s' % (
            m, units.get(m, ''), fmt(b), fmt(p), fmt_ratio(ratio),
            '' if v is None else '%.2f' % v) +
            ('  (%s)' % '; '.join(note) if note else '')).rstrip())
        rows.append([m, units.get(m, ''), len(base.get(m, [])),
                     *(b or ('', '', '')), len(patched.get(m, [])),
                     *(p or ('', '', '')),
                     '' if ratio is None else ratio,
                     '' if v is None else v, '; '.join(note)])
    checks = acceptance(base, patched)
    lines += [''] + checks
    print('\n'.join(lines))
    with open(os.path.join(outdir, 'table.txt'), 'w') as f:
        f.write('\n'.join(lines) + '\n')
    with open(os.path.join(outdir, 'summary.csv'), 'w', newline='') as f:
        w = csv.writer(f)
        w.writerow(['metric', 'unit', 'base_n', 'base_min', 'base_median',
                    'base_max', 'patched_n', 'patched_min',
                    'patched_median', 'patched_max', 'ratio',
                    'patched_vs_5ms', 'note'])
        w.writerows(rows)
    plot(base, patched, os.path.join(outdir, 'latency.png'))
    # a criterion that does not hold, or could not be measured, fails the run
    if any(line.endswith((' NO', ' n/a')) for line in checks):
        print('bench: an acceptance check failed', file=sys.stderr)
        sys.exit(1)


def plot(base, patched, path):
    """Request latency against the sampling interval, log-log: the median of
    each request on each kernel, with its min-max range, and the waits for
    half a sampling interval and half an aggregation interval (20 samples),
    which is what a request arriving at a random point waits when it is
    served at the end of a sample, or at the schemes' apply."""
    try:
        import matplotlib
        matplotlib.use('Agg')
        import matplotlib.pyplot as plt
    except ImportError:
        print('no matplotlib: no plot', file=sys.stderr)
        return
    seconds = {'5ms': 0.005, '1s': 1, '10s': 10}
    xs = [seconds[i] for i in INTERVALS]
    fig, ax = plt.subplots(figsize=(7, 5))
    for i, r in enumerate(REQUESTS):
        color = 'C%d' % i
        for kernel, samples, style in (('base', base, '-o'),
                                       ('patched', patched, '--s')):
            points = [(x, stats(samples.get('%s_running_%s_ms' % (r, n), [])))
                      for x, n in zip(xs, INTERVALS)]
            points = [(x, st) for x, st in points if st]
            if not points:
                continue
            med = [st[1] for _, st in points]
            err = [[st[1] - st[0] for _, st in points],
                   [st[2] - st[1] for _, st in points]]
            ax.errorbar([x for x, _ in points], med, yerr=err, fmt=style,
                        color=color, capsize=3, label='%s, %s' % (r, kernel),
                        mfc='none' if kernel == 'patched' else color)
    ax.plot(xs, [x * 1000 / 2 for x in xs], ':', color='gray',
            label='half the sampling interval')
    ax.plot(xs, [x * 20 * 1000 / 2 for x in xs], '-.', color='gray',
            label='half the aggregation interval')
    ax.set_xscale('log')
    ax.set_yscale('log')
    ax.set_xlabel('sampling interval (s); aggregation = 20 samples')
    ax.set_ylabel('request latency (ms)')
    ax.set_title('Requests to a running kdamond: base vs patched')
    ax.legend(fontsize=7, ncol=2)
    fig.tight_layout()
    fig.savefig(path, dpi=100)


if __name__ == '__main__':
    main()
