#!/usr/bin/env bash
# Lint the series and the harness: checkpatch --strict on every patch of
# every series, the harness's scripts checked by shellcheck and pyflakes3,
# kernel-doc on the touched C files, sparse on mm/damon/ without new
# warnings, and every prefix of the stack building mm/damon/ without new W=1
# warnings.  Results go to build/results/lint.tsv (STATUS<TAB>name<TAB>detail).
#
# usage: lint.sh TREE
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=/dev/null
. "$top/scripts/lib.sh"
# Debian's python3, which has the python3-* packages (ply for spdxcheck)
export PATH=/usr/bin:/bin:$PATH
tree=$(cd "$1" && pwd)
res=$top/build/results/lint.tsv
work=$top/build/lint
mkdir -p "$work" "$(dirname "$res")"
: >"$res"
record() { printf '%s\t%s\t%s\n' "$1" "$2" "${3:-}" | tee -a "$res"; }

# checkpatch: accepted check types and their reasons live in one file.
ignore=$(config_names "$top/configs/checkpatch-accepted" | paste -sd, -)
while read -r s; do
	while read -r p; do
		out=$(cd "$tree" && { scripts/checkpatch.pl --strict --terse --show-types \
			${ignore:+--ignore "$ignore"} "$top/patches/$s/$p" 2>&1 || true; })
		if grep -qE ': (ERROR|WARNING|CHECK):' <<<"$out"; then
			record FAIL "checkpatch $s/$p" "$(grep -cE ': (ERROR|WARNING|CHECK):' <<<"$out") reports"
			echo "$out" >&2
		else
			record PASS "checkpatch $s/$p"
		fi
	done < <(series_patches "$top/patches/$s")
done < <(series_dirs "$top/patches")

# The harness's own scripts.
if out=$(shellcheck "$top"/scripts/*.sh "$top"/.ci/run 2>&1); then
	record PASS "shellcheck scripts/"
else
	record FAIL "shellcheck scripts/" "$(grep -c '^In ' <<<"$out") reports"
	echo "$out" >&2
fi

# The harness's Python.
if out=$(pyflakes3 "$top"/scripts/*.py 2>&1); then
	record PASS "pyflakes3 scripts/"
else
	record FAIL "pyflakes3 scripts/" "$(wc -l <<<"$out") reports"
	echo "$out" >&2
fi

# kernel-doc on every touched C source and header: no warning that the
# base version of the file does not have already.
kdoc() {
	(cd "$tree" && { scripts/kernel-doc -none -Wall "$1" 2>&1 || true; }) |
		sed -E 's/^(Warning|warning|error): [^ ]*:[0-9]+ /\1: /' | sort -u
}
while read -r f; do
	[ -e "$tree/$f" ] || continue
	base_copy=$work/kdoc-base.${f##*.}
	: >"$base_copy"
	git -C "$tree" show "base:$f" >"$base_copy" 2>/dev/null || true
	new=$(comm -13 <(kdoc "$base_copy") <(kdoc "$f"))
	if [ -n "$new" ]; then
		record FAIL "kernel-doc $f" "$(wc -l <<<"$new") new warnings"
		echo "$new" >&2
	else
		record PASS "kernel-doc $f"
	fi
done < <(git -C "$tree" diff --name-only base HEAD -- '*.c' '*.h')

# Build the series' prefixes in a worktree of their own, so the edited tree
# is left alone, with the VM kernel's configuration.
wt=$work/tree
out=$work/out
worktree_at "$tree" "$wt" base
mkdir -p "$out"
"$top/scripts/vm-config.sh" "$tree" vm "$out"
kmake() { make -C "$wt" O="$out" CC="ccache gcc" -j"$(nproc)" "$@"; }
# Warnings without line numbers, so that moved code keeps its warnings.
warnings() { grep -E 'warning:|error:' | sed -E 's/:[0-9]+:[0-9]+:/:/' | sort -u; }

kmake -s prepare >/dev/null
kmake W=1 mm/damon/ 2>&1 | warnings >"$work/w1-base.txt" || true
sparse=$("$top/scripts/sparse-build.sh" "$tree")
kmake C=2 CHECK="$sparse" mm/damon/ 2>&1 | warnings >"$work/sparse-base.txt" || true

# The series markers change no file: their builds would repeat the previous.
markers=$(series_markers "$tree")
for c in $(git -C "$tree" rev-list --reverse base..HEAD); do
	! grep -q "^$c " <<<"$markers" || continue
	subj=$(git -C "$tree" log -1 --format=%s "$c")
	git -C "$wt" checkout -q --detach "$c"
	if ! kmake W=1 mm/damon/ >"$work/build.log" 2>&1; then
		record FAIL "build W=1: $subj" "mm/damon/ does not build"
		tail -n 20 "$work/build.log" >&2
		continue
	fi
	new=$(warnings <"$work/build.log" | comm -13 "$work/w1-base.txt" - || true)
	if [ -n "$new" ]; then
		record FAIL "build W=1: $subj" "new warnings"
		echo "$new" >&2
	else
		record PASS "build W=1: $subj"
	fi
done

kmake C=2 CHECK="$sparse" mm/damon/ 2>&1 | tee "$work/sparse.log" |
	warnings >"$work/sparse-head.txt" || true
if ! grep -q 'CHECK ' "$work/sparse.log"; then
	record FAIL "sparse mm/damon/" "sparse did not run"
fi
new=$(comm -13 "$work/sparse-base.txt" "$work/sparse-head.txt")
if [ -n "$new" ]; then
	record FAIL "sparse mm/damon/" "new warnings"
	echo "$new" >&2
else
	record PASS "sparse mm/damon/" "$(wc -l <"$work/sparse-head.txt") warnings, none new"
fi
! grep -q '^FAIL' "$res"
