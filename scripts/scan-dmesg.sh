#!/usr/bin/env bash
# Turn a guest kernel log into result lines: one FAIL per kernel report
# (WARNING, BUG, lockdep, KCSAN, hung task, ...), or one PASS.
#
# usage: scan-dmesg.sh LOG NAME >RESULT.tsv
set -euo pipefail

log=$1
name=$2
reports='WARNING:|BUG:|INFO: |Oops|Kernel panic|general protection fault|'
reports+='possible circular locking|possible recursive locking|inconsistent lock state|'
reports+='blocked for more than|UBSAN:|kernel BUG at'
if [ ! -s "$log" ]; then
	printf 'FAIL\t%s\tno guest kernel log\n' "$name"
elif grep -qE "$reports" "$log"; then
	grep -E "$reports" "$log" | sed -e 's/^\[[ 0-9.]*\] *//' -e 's/\t/ /g' |
		awk -v n="$name" '{ printf "FAIL\t%s report-%d\t%s\n", n, NR, $0 }'
else
	printf 'PASS\t%s\tno kernel reports\n' "$name"
fi
