#!/usr/bin/env bash
# Test the harness itself: exporting the expanded tree must reproduce
# patches/ byte for byte, outgoing must write every series from its signer
# under the prefix of the series' cover letter, a commit added to the first
# series must be exported into its directory alone, and a broken patch must
# be named by the expansion, and trees that the harness did not make, or that
# hold unexported commits, must be refused, and a kselftest run cut short
# must fail.  All but the first work on a scratch copy of the project and
# clones of the tree.
#
# usage: test-harness.sh TREE
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=/dev/null
. "$top/scripts/lib.sh"
tree=$(cd "$1" && pwd)
res=$top/build/results/harness.tsv
mkdir -p "$(dirname "$res")"
: >"$res"
record() { printf '%s\t%s\t%s\n' "$1" "$2" "${3:-}" | tee -a "$res"; }
: "${PATCH_IDENT_NAME:?}" "${PATCH_IDENT_EMAIL:?}"

if "$top/scripts/export-matches.sh" "$tree"; then
	record PASS "expand then export leaves patches/ identical"
else
	record FAIL "expand then export leaves patches/ identical" "run make export and compare"
fi

mapfile -t stack < <(series_dirs "$top/patches")
if [ ${#stack[@]} -eq 0 ]; then
	record SKIP "the harness on a scratch copy" "patches/ holds no series"
	exit 0
fi
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cp -r "$top/scripts" "$top/patches" "$top/BASE" "$scratch/"
mkdir -p "$scratch/build"
ln -s "$top/build/cache" "$scratch/build/cache"
git clone -q --shared "$tree" "$scratch/tree"
git -C "$scratch/tree" tag -f base "$(git -C "$tree" rev-parse base)" >/dev/null

# header FILE FIELD: the first FIELD header of the message in FILE, unfolded.
header() {
	awk -v field="$2: " '/^$/ { exit }
		/^[^ \t]/ { if (v != "") exit; if (index($0, field) == 1) v = substr($0, length(field) + 1); next }
		v != "" { sub(/^[ \t]+/, " "); v = v $0 }
		END { print v }' "$1"
}

# Outgoing: From: the signer on every message; every subject with the
# prefix and version of the cover letter and the set's own count.
signer="Test O'Neil <test@example.com>"
name="outgoing sends every series from the signer under its cover letter's prefix"
if ! out=$("$scratch/scripts/outgoing.sh" "$scratch/tree" "$signer" 2>&1); then
	record FAIL "$name" "outgoing.sh failed"
	echo "$out" >&2
else
	bad=()
	for s in "${stack[@]}"; do
		dir=$scratch/build/outgoing/$s
		[ -d "$dir" ] || continue
		cover=$(header "$scratch/patches/$s/0000-cover-letter.patch" Subject)
		prefix=${cover#[}
		prefix=${prefix%%]*}
		[[ ! $prefix =~ ^(.*[^ ])\ +[0-9]+/[0-9]+$ ]] || prefix=${BASH_REMATCH[1]}
		text=${cover#*] }
		total=$(($(find "$dir" -name '*.patch' | wc -l) - 1))
		for f in "$dir"/*.patch; do
			m=$s/${f##*/}
			[ "$(header "$f" From)" = "$signer" ] || bad+=("$m: From: $(header "$f" From)")
			subject=$(header "$f" Subject)
			rest=${subject#"[$prefix "}
			if [ "$rest" = "$subject" ] || ! [[ $rest =~ ^0*[0-9]+/0*$total\]\  ]]; then
				bad+=("$m: Subject: $subject")
			elif [[ $f == *0000-cover-letter.patch ]]; then
				[ "${subject#*] }" = "$text" ] || bad+=("$m: Subject: $subject")
			elif ! grep -qxF "Signed-off-by: $signer" "$f"; then
				bad+=("$m: no Signed-off-by")
			fi
		done
	done
	if [ ${#bad[@]} -eq 0 ] && [ -n "$(find "$scratch/build/outgoing" -name '*.patch')" ]; then
		record PASS "$name"
	else
		record FAIL "$name" "${bad[0]:-no message written}"
		printf '%s\n' "${bad[@]}" >&2
	fi
fi

# A commit added at the end of the first series: export writes it into that
# directory as its last patch and leaves the other series as they were.
name="a commit added to the first series is exported into its directory alone"
first=${stack[0]}
mapfile -t markers < <(series_markers "$scratch/tree")
if [ ${#markers[@]} -gt 1 ]; then
	tip=$(git -C "$scratch/tree" rev-parse "${markers[1]%% *}^")
else
	tip=$(git -C "$scratch/tree" rev-parse HEAD)
fi
export GIT_AUTHOR_NAME=$PATCH_IDENT_NAME GIT_AUTHOR_EMAIL=$PATCH_IDENT_EMAIL
export GIT_COMMITTER_NAME=$PATCH_IDENT_NAME GIT_COMMITTER_EMAIL=$PATCH_IDENT_EMAIL
if ! out=$("$scratch/scripts/export.sh" "$scratch/tree" 2>&1); then
	record FAIL "$name" "the tree does not export"
	echo "$out" >&2
else
	cp -r "$scratch/patches" "$scratch/patches.before"
	blob=$(echo "added to $first" | git -C "$scratch/tree" hash-object -w --stdin)
	export GIT_INDEX_FILE=$scratch/index
	git -C "$scratch/tree" read-tree "$tip"
	git -C "$scratch/tree" update-index --add --cacheinfo "100644,$blob,harness-test"
	added=$(git -C "$scratch/tree" commit-tree "$(git -C "$scratch/tree" write-tree)" \
		-p "$tip" -m "harness: add a commit to the first series")
	unset GIT_INDEX_FILE
	git -C "$scratch/tree" -c core.hooksPath=/dev/null rebase -q --onto "$added" "$tip" >/dev/null
	n=$(series_patches "$scratch/patches.before/$first" | wc -l)
	expect=$(printf '%04d-harness-add-a-commit-to-the-first-series.patch' $((n + 1)))
	if ! out=$("$scratch/scripts/export.sh" "$scratch/tree" 2>&1); then
		record FAIL "$name" "export failed"
		echo "$out" >&2
	elif ! diff -q <(series_patches "$scratch/patches.before/$first"; echo "$expect") \
		<(series_patches "$scratch/patches/$first") >/dev/null; then
		record FAIL "$name" "patches/$first/series does not end in $expect"
	elif ! diff -r -x "$first" "$scratch/patches.before" "$scratch/patches" >&2; then
		record FAIL "$name" "another series changed"
	else
		record PASS "$name"
	fi
fi

# A copy of the project whose last patch no longer applies.
rm -rf "$scratch/patches"
cp -r "$top/patches" "$scratch/"
last=
for s in "${stack[@]}"; do
	p=$(series_patches "$top/patches/$s" | tail -n 1)
	[ -z "$p" ] || last=$s/$p
done
if [ -z "$last" ]; then
	record SKIP "a broken patch is named" "the series are empty"
	exit 0
fi
# break the first context line of its first hunk
awk '!done && /^@@ / { hunk = 1 } !done && hunk && /^ / { $0 = " no such line"; done = 1 } 1' \
	"$top/patches/$last" >"$scratch/patches/$last"
if out=$(FORCE=1 "$scratch/scripts/expand.sh" "$scratch/tree" 2>&1); then
	record FAIL "a broken patch is named" "expansion succeeded"
elif grep -qF "patches/$last" <<<"$out"; then
	record PASS "a broken patch is named"
else
	record FAIL "a broken patch is named" "message does not name $last"
fi

# A checkout that the harness did not make is refused and left as it was.
foreign=$scratch/foreign
git init -q "$foreign"
echo data >"$foreign/file"
git -C "$foreign" add file
git -C "$foreign" -c user.name=t -c user.email=t@example.com commit -q -m foreign
digest() { (cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum); }
before=$(digest "$foreign")
name="expanding into a checkout the harness did not make refuses and changes nothing"
if "$scratch/scripts/expand.sh" "$foreign" >/dev/null 2>&1; then
	record FAIL "$name" "the expansion went ahead"
elif [ "$(digest "$foreign")" != "$before" ]; then
	record FAIL "$name" "the checkout changed"
else
	record PASS "$name"
fi

# A tree with a commit that patches/ lacks is refused, with the way out.
git clone -q --shared "$tree" "$scratch/tree2"
git -C "$scratch/tree2" tag -f base "$(git -C "$tree" rev-parse base)" >/dev/null
git -C "$scratch/tree2" rev-parse HEAD >"$(tree_state "$scratch/tree2")"
git -C "$scratch/tree2" -c user.name=t -c user.email=t@example.com \
	commit -q --allow-empty -m "work not exported"
head=$(git -C "$scratch/tree2" rev-parse HEAD)
name="a tree with unexported commits is refused, and says to run make export"
if out=$("$scratch/scripts/expand.sh" "$scratch/tree2" 2>&1); then
	record FAIL "$name" "the expansion went ahead"
elif [ "$(git -C "$scratch/tree2" rev-parse HEAD)" != "$head" ]; then
	record FAIL "$name" "the tree's HEAD changed"
elif ! grep -qF "make export" <<<"$out"; then
	record FAIL "$name" "the message does not say to run make export"
else
	record PASS "$name"
fi

# A guest that dies mid-run loses the tests after the crash: the plan counts
# them.
name="a kselftest run that reports fewer tests than it planned fails"
printf 'TAP version 13\n1..2\nok 1 selftests: damon: first.py\n' >"$scratch/crash.log"
if python3 "$top/scripts/tap2tsv.py" ksft "$scratch/crash.log" |
	grep -qP '^FAIL\tkselftest-run-1\t2 tests planned, 1 reported$'; then
	record PASS "$name"
else
	record FAIL "$name" "no failure for the missing test"
fi
