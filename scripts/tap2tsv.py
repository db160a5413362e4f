#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn test results into 'STATUS<TAB>name<TAB>detail' lines (STATUS is PASS,
FAIL or SKIP) on stdout.

  tap2tsv.py ksft LOG [SKIPS]   kselftest TAP output of run_kselftest.sh; the
                                tests named in SKIPS ('name<TAB>reason'
                                lines) were not run and become SKIP lines
  tap2tsv.py kunit JSON         'kunit.py parse --json' output
"""
import json
import re
import sys

RESULT = re.compile(r'^(ok|not ok) \d+ selftests: (\S+): (\S+)(?:\s+#\s*(.*))?$')
PLAN = re.compile(r'^1\.\.(\d+)$')


def tsv(status, name, detail):
    detail = ' '.join(detail.split())
    print(f'{status}\t{name}\t{detail}')


def read_skips(path):
    skips = {}
    with open(path) as f:
        for line in f:
            line = line.rstrip('\n')
            if not line.strip() or line.startswith('#'):
                continue
            name, _, reason = line.partition('\t')
            skips[name.strip()] = reason.strip() or 'listed in vm-skips'
    return skips


def ksft(log, skips_path=None):
    """A test that appears twice was run again (see configs/vm-flaky): the
    second result counts, and the first failure stays in the detail.  Each
    run_kselftest.sh run announces its number of tests ('1..N'): a run that
    reports fewer, e.g. because the guest crashed, is a failure."""
    skips = read_skips(skips_path) if skips_path else {}
    results = {}
    runs = []  # [planned, reported] of each run
    last = ''
    with open(log, errors='replace') as f:
        for line in f:
            line = line.rstrip('\n')
            plan = PLAN.match(line)
            if plan:
                runs.append([int(plan.group(1)), 0])
                continue
            m = RESULT.match(line)
            if m and runs:
                runs[-1][1] += 1
            if not m:
                # Remember the test's last output line as context.
                text = line[2:].strip() if line.startswith('# ') else ''
                if text and not text.startswith(('selftests:', 'timeout set',
                                                 'overriding timeout', 'elapsed:')):
                    last = text
                continue
            ok, name, directive = m.group(1) == 'ok', m.group(3), m.group(4) or ''
            if directive.upper().startswith('SKIP'):
                result = ('SKIP', f'{directive} {last}'.strip())
            elif ok:
                result = ('PASS', directive)
            else:
                result = ('FAIL', f'{directive}: {last}' if last else directive)
            first = results.get(name)
            if first and first[0] == 'FAIL':
                word = 'passed' if result[0] == 'PASS' else 'failed'
                result = (result[0], f'{word} when run again; first run: {first[1]}')
            results[name] = result
            last = ''
    for name, (status, detail) in results.items():
        tsv(status, name, detail)
    for name, reason in skips.items():
        if name in results:
            tsv('FAIL', name, 'listed in vm-skips but it ran')
        else:
            tsv('SKIP', name, reason)
    if not results:
        tsv('FAIL', 'kselftest', 'no test results in the output')
    for i, (planned, reported) in enumerate(runs):
        if reported < planned:
            tsv('FAIL', f'kselftest-run-{i + 1}',
                f'{planned} tests planned, {reported} reported')


def walk(group, prefix):
    name = f"{prefix}.{group['name']}" if prefix else group['name']
    for case in group.get('test_cases', []):
        status = case['status']
        yield ('PASS' if status == 'PASS' else 'SKIP' if status == 'SKIP'
               else 'FAIL', f"{name}.{case['name']}", status)
    for sub in group.get('sub_groups', []):
        yield from walk(sub, name)


def kunit(path):
    with open(path) as f:
        top = json.load(f)
    rows = []
    for suite in top.get('sub_groups', []):
        rows += walk(suite, '')
    for case in top.get('test_cases', []):
        rows.append(('FAIL' if case['status'] != 'PASS' else 'PASS',
                     case['name'], case['status']))
    misc = top.get('misc', {})
    for status, name, detail in rows:
        tsv(status, name, detail)
    if misc.get('errors'):
        tsv('FAIL', 'kunit-parse', f"{misc['errors']} KTAP parse errors")
    if not rows:
        tsv('FAIL', 'kunit', 'no KUnit results in the kernel log')


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == 'ksft':
        ksft(*sys.argv[2:4])
    elif len(sys.argv) == 3 and sys.argv[1] == 'kunit':
        kunit(sys.argv[2])
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main()
