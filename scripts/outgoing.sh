#!/usr/bin/env bash
# Write every series as a send-ready set of messages into
# build/outgoing/NN-name/, without sending anything.  git format-patch
# numbers the patches under the prefix and version of the Subject of the
# series' cover letter (patches/NN-name/0000-cover-letter.patch), whose
# subject and text replace the placeholders of the generated cover letter,
# above its shortlog and diffstat.  To is the first maintainer that the
# tree's get_maintainer.pl names for the series' patches, Cc the others.
#
# usage: outgoing.sh TREE [SIGNOFF]   (SIGNOFF: "Name <mail>", who becomes
# the author and sender and signs every patch off; without it the messages
# are from the project's identity)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=/dev/null
. "$top/scripts/lib.sh"
tree=$(cd "$1" && pwd)
signoff=${2:-}
out=$top/build/outgoing
wt=$top/build/outgoing-tree
: "${PATCH_IDENT_NAME:?}" "${PATCH_IDENT_EMAIL:?}"
fail() { echo "outgoing: $*" >&2; exit 1; }

from=${signoff:-$PATCH_IDENT_NAME <$PATCH_IDENT_EMAIL>}
[[ $from =~ ^([^\<\>]+)\ \<([^\<\>[:space:]]+@[^\<\>[:space:]]+)\>$ ]] ||
	fail "the sender (SIGNOFF, or PATCH_IDENT_*) must read 'Name <mail>', not '$from'"
# The sender is the committer: of the commits that a sign-off rebases, and
# of the cover letter, whose From: is the committer's whatever --from says.
export GIT_COMMITTER_NAME=${BASH_REMATCH[1]} GIT_COMMITTER_EMAIL=${BASH_REMATCH[2]}

# The series as export would write them, which also checks the markers;
# get_maintainer.pl reads these.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$top/scripts/format-series.sh" "$tree" "$tmp/series"
mapfile -t markers < <(series_markers "$tree")
[ ${#markers[@]} -gt 0 ] || fail "$tree has no series"

# maintainers NN-name [OPTION...]: get_maintainer.pl on the series' patches.
# --no-fixes: the tree has no history in which to find the authors of the
# commits that Fixes: tags name.
maintainers() {
	local s=$1
	shift
	(cd "$tree" && perl scripts/get_maintainer.pl --no-rolestats --no-git \
		--no-git-fallback --no-fixes "$@" "$tmp/series/$s"/[0-9]*.patch)
}

rm -rf "$out"
mkdir -p "$out"
for i in "${!markers[@]}"; do
	m=${markers[i]%% *}
	s=${markers[i]#* }
	if [ $((i + 1)) -lt ${#markers[@]} ]; then
		tip=$(git -C "$tree" rev-parse "${markers[i + 1]%% *}^")
	else
		tip=$(git -C "$tree" rev-parse HEAD)
	fi
	n=$(git -C "$tree" rev-list --count "$m..$tip")
	if [ "$n" -eq 0 ]; then
		echo "outgoing: $s: no patches, nothing written" >&2
		continue
	fi

	# The cover letter's Subject, unfolded: '[PREFIX NN/NN] text'.
	cover=$top/patches/$s/0000-cover-letter.patch
	[ -e "$cover" ] || fail "patches/$s/0000-cover-letter.patch is missing"
	subject=$(awk '/^$/ { exit }
		/^Subject: / { s = substr($0, 10); in_subject = 1; next }
		in_subject && /^[ \t]/ { sub(/^[ \t]+/, " "); s = s $0; next }
		{ in_subject = 0 }
		END { print s }' "$cover")
	[[ $subject =~ ^\[([^]]+)\]\ (.*)$ ]] ||
		fail "patches/$s/0000-cover-letter.patch: no '[PATCH ...] ' in its Subject"
	prefix=${BASH_REMATCH[1]}
	text=${BASH_REMATCH[2]}
	# format-patch numbers the messages itself.
	if [[ $prefix =~ ^(.*[^ ])\ +[0-9]+/0*([0-9]+)$ ]]; then
		prefix=${BASH_REMATCH[1]}
		[ "${BASH_REMATCH[2]}" = "$n" ] || echo "outgoing: $s: the cover letter" \
			"counts ${BASH_REMATCH[2]} patches, the series has $n" >&2
	fi

	if [ -n "$signoff" ]; then
		# A rebase in a worktree of its own leaves the tree's commits alone.
		[ ! -e "$wt/.git" ] || git -C "$wt" rebase --quit 2>/dev/null || true
		worktree_at "$tree" "$wt" "$tip"
		# The shell that --exec starts expands $SIGNOFF, so that no quote
		# in the name can end the command.
		# shellcheck disable=SC2016
		if ! (cd "$wt" && SIGNOFF=$signoff git -c core.hooksPath=/dev/null rebase -q "$m" \
			--exec 'git commit -q --amend --no-edit --author="$SIGNOFF" --trailer "Signed-off-by: $SIGNOFF"') \
			>"$tmp/rebase.log" 2>&1; then
			cat "$tmp/rebase.log" >&2
			fail "$s: signing off in $wt failed"
		fi
		tip=$(git -C "$wt" rev-parse HEAD)
	fi

	# To: the first maintainer (no reviewer, no list); Cc: everyone else.
	mapfile -t to < <(maintainers "$s" --no-r --no-l)
	args=()
	[ ${#to[@]} -eq 0 ] || args+=(--to="${to[0]}")
	while read -r c; do
		[ "$c" = "${to[0]:-}" ] || args+=(--cc="$c")
	done < <(maintainers "$s")
	git -C "$tree" format-patch -q --cover-letter --thread=shallow \
		--subject-prefix="$prefix" --from="$from" "${args[@]}" \
		-o "$out/$s" "$m..$tip"

	# The hand-written subject and text in place of the placeholders; the
	# MIME headers that a non-ASCII text needs, unless git wrote them.
	mime=
	! grep -qP '[^\x00-\x7F]' "$cover" || mime=1
	sed '1,/^$/d' "$cover" >"$tmp/text"
	c=$out/$s/0000-cover-letter.patch
	TEXT=$text TEXTFILE=$tmp/text MIME=$mime awk '
		!body && /^Content-Type:/ { typed = 1 }
		!body && /^$/ {
			body = 1
			if (ENVIRON["MIME"] && !typed)
				print "MIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit"
		}
		!body && (i = index($0, "*** SUBJECT HERE ***")) {
			$0 = substr($0, 1, i - 1) ENVIRON["TEXT"] substr($0, i + 20)
		}
		body && $0 == "*** BLURB HERE ***" {
			while ((getline line < ENVIRON["TEXTFILE"]) > 0)
				print line
			next
		}
		{ print }' "$c" >"$tmp/cover"
	! grep -q '\*\*\* \(SUBJECT\|BLURB\) HERE \*\*\*' "$tmp/cover" ||
		fail "$s: the cover letter still has a placeholder"
	cp "$tmp/cover" "$c"
	echo "outgoing: $s: $(find "$out/$s" -name '*.patch' | wc -l) messages in $out/$s/" \
		"(To: ${to[0]:-nobody})" >&2
done
