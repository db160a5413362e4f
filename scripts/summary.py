#!/usr/bin/env python3
"""Sum up result files ('STATUS<TAB>name<TAB>detail' lines) into one report
ending with the line 'N passed, N failed[, N skipped]'.  Exit 1 if anything
failed or if no test ran at all.

  summary.py RESULT.tsv...
"""
import sys


def main(paths):
    counts = {'PASS': 0, 'FAIL': 0, 'SKIP': 0}
    for path in paths:
        try:
            lines = open(path).read().splitlines()
        except OSError:
            print(f'FAIL  {path}: missing result file')
            counts['FAIL'] += 1
            continue
        for line in lines:
            status, _, rest = line.partition('\t')
            name, _, detail = rest.partition('\t')
            if status not in counts:
                continue
            counts[status] += 1
            # a pass on a second run is shown with its first failure
            if status != 'PASS' or 'when run again' in detail:
                print(f'{status:5} {name}' + (f': {detail}' if detail else ''))
    line = f"{counts['PASS']} passed, {counts['FAIL']} failed"
    if counts['SKIP']:
        line += f", {counts['SKIP']} skipped"
    print(line)
    return 1 if counts['FAIL'] or not counts['PASS'] else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
