#!/usr/bin/env bash
# Print where a result comes from: the command, the date, the project commit
# and the series in patches/ (its git tree hash, and whether patches/ had
# uncommitted changes), the base that TREE was expanded from, and the CPU.
# The lines of the files given after TREE follow, e.g. the accelerator that
# vm-run.sh reported.
#
# usage: provenance.sh COMMAND TREE [FILE...]
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cmd=$1 tree=$2
shift 2
dirty=
[ -z "$(git -C "$top" status --porcelain -- patches)" ] ||
	dirty=' (plus uncommitted changes)'
echo "command: $cmd"
echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "project commit: $(git -C "$top" rev-parse --short HEAD)"
echo "series: patches/ tree $(git -C "$top" rev-parse --short HEAD:patches)$dirty"
echo "base: $(git -C "$tree" tag -n1 --format='%(contents:subject)' base | sed 's/^base: //')"
echo "cpu: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), $(nproc) CPUs"
cat "$@"
