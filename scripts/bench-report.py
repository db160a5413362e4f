#!/usr/bin/env python3
"""Put base and patched benchmark samples side by side: a table on stdout
(min/median/max of each, and the patched/base ratio of the medians), a CSV
summary and a PNG plot of the distributions in OUTDIR.

usage: bench-report.py BASE.jsonl PATCHED.jsonl OUTDIR
"""
import csv
import json
import os
import statistics
import sys

ORDER = [
    'paused_wakeups_5000us', 'paused_cpu_5000us',
    'paused_wakeups_100us', 'paused_cpu_100us',
    'commit_paused_1s_ms', 'commit_running_1ms_ms',
    'pause_ack_ms', 'resume_ack_ms',
    'running_wakeups_5000us', 'running_cpu_5000us',
]


def load(path):
    samples, units = {}, {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line.startswith('{'):
                continue
            s = json.loads(line)
            samples.setdefault(s['metric'], []).append(s['value'])
            units[s['metric']] = s['unit']
    return samples, units


def stats(values):
    if not values:
        return None
    return min(values), statistics.median(values), max(values)


def fmt(st):
    if st is None:
        return 'n/a'
    return '%.3g / %.3g / %.3g' % st


def main():
    base, units = load(sys.argv[1])
    patched, punits = load(sys.argv[2])
    units.update(punits)
    outdir = sys.argv[3]
    rows = []
    print('%-24s %-6s %-26s %-26s %s' % ('metric', 'unit',
          'base min/median/max', 'patched min/median/max', 'ratio'))
    for m in ORDER:
        b, p = stats(base.get(m, [])), stats(patched.get(m, []))
        ratio = p[1] / b[1] if b and p and b[1] else None
        note = '' if b else '  (base: no acknowledgment to wait for)'
        print('%-24s %-6s %-26s %-26s %s%s' % (
            m, units.get(m, ''), fmt(b), fmt(p),
            '%.3f' % ratio if ratio is not None else 'n/a', note))
        rows.append([m, units.get(m, ''), len(base.get(m, [])),
                     *(b or ('', '', '')), len(patched.get(m, [])),
                     *(p or ('', '', '')),
                     '' if ratio is None else ratio])
    with open(os.path.join(outdir, 'summary.csv'), 'w', newline='') as f:
        w = csv.writer(f)
        w.writerow(['metric', 'unit', 'base_n', 'base_min', 'base_median',
                    'base_max', 'patched_n', 'patched_min',
                    'patched_median', 'patched_max', 'ratio'])
        w.writerows(rows)
    plot(base, patched, units, os.path.join(outdir, 'bench.png'))


def plot(base, patched, units, path):
    try:
        import matplotlib
        matplotlib.use('Agg')
        import matplotlib.pyplot as plt
    except ImportError:
        print('no matplotlib: no plot', file=sys.stderr)
        return
    metrics = [m for m in ORDER if base.get(m) or patched.get(m)]
    fig, axes = plt.subplots(2, (len(metrics) + 1) // 2,
                             figsize=(3 * ((len(metrics) + 1) // 2), 6))
    for ax, m in zip(axes.flat, metrics):
        data = [base.get(m, []), patched.get(m, [])]
        ax.boxplot([d if d else [float('nan')] for d in data])
        ax.set_xticks([1, 2], ['base', 'patched'])
        ax.set_title(m, fontsize=8)
        ax.set_ylabel(units.get(m, ''), fontsize=8)
        ax.tick_params(labelsize=7)
    for ax in list(axes.flat)[len(metrics):]:
        ax.axis('off')
    fig.tight_layout()
    fig.savefig(path, dpi=90)


if __name__ == '__main__':
    main()
