#!/usr/bin/env python3
"""Draw the heatmap of the demo (scripts/demo-guest.sh): the access frequency
that DAMON reported for the addresses around the workload's hot buffer, over
time, with the pause marked.

usage: demo-plot.py HEAT.tsv OUT.png
"""
import sys

ROWS = 96


def load(path):
    buffer, pause, snapshots = None, None, {}
    with open(path) as f:
        for line in f:
            fields = line.split()
            if fields[:2] == ['#', 'buffer']:
                buffer = (int(fields[2]), int(fields[3]))
                continue
            if fields[:2] == ['#', 'paused']:
                pause = (float(fields[2]), float(fields[3]))
                continue
            t, phase, start, end, nr = fields
            snapshots.setdefault((float(t), phase), []).append(
                (int(start), int(end), int(nr)))
    return buffer, pause, sorted(snapshots.items())


def column(regions, edges):
    'The highest nr_accesses of the regions that overlap each address row'
    col = []
    for lo, hi in zip(edges, edges[1:]):
        col.append(max([nr for start, end, nr in regions
                        if start < hi and end > lo], default=float('nan')))
    return col


def main():
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    import numpy as np

    (bstart, bend), pause, snapshots = load(sys.argv[1])
    size = bend - bstart
    lo, hi = bstart - size, bend + size
    edges = [lo + (hi - lo) * i // ROWS for i in range(ROWS + 1)]
    t0 = snapshots[0][0][0]
    times = [t - t0 for (t, _), _ in snapshots]
    data = np.array([column(regions, edges) for _, regions in snapshots]).T
    # each snapshot holds until the next one, or for 200 ms if it is the last
    # of its phase; the time between phases stays blank
    fig, ax = plt.subplots(figsize=(9, 4.5))
    for i, ((t, phase), _) in enumerate(snapshots):
        nxt = snapshots[i + 1] if i + 1 < len(snapshots) else None
        right = nxt[0][0] - t0 if nxt and nxt[0][1] == phase else \
            times[i] + 0.2
        mesh = ax.pcolormesh([times[i], right],
                             [(e - bstart) / 2**20 for e in edges],
                             data[:, i:i + 1], vmin=0, vmax=20,
                             cmap='inferno', shading='flat')
    if pause:
        ax.axvspan(pause[0] - t0, pause[1] - t0, fill=False, hatch='//',
                   edgecolor='cyan', label='paused')
    ax.axhline(0, color='white', lw=0.5, ls=':')
    ax.axhline(size / 2**20, color='white', lw=0.5, ls=':')
    ax.set_xlabel('seconds since the first snapshot (blank: not sampled)')
    ax.set_ylabel('MiB from the hot buffer start')
    ax.set_title('DAMON nr_accesses (of 20 samples per aggregation) around '
                 'the hot buffer')
    fig.colorbar(mesh, ax=ax, label='nr_accesses')
    ax.legend(loc='upper right', fontsize=8)
    fig.tight_layout()
    fig.savefig(sys.argv[2], dpi=100)


if __name__ == '__main__':
    main()
