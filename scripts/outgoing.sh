#!/usr/bin/env bash
# Write a send-ready series into build/outgoing/: b4 prepares the cover
# letter from patches/0000-cover-letter.patch, collects To/Cc with the
# tree's get_maintainer.pl, and writes the messages without sending them.
#
# usage: outgoing.sh TREE [SIGNOFF]   (SIGNOFF: "Name <mail>", who becomes
# the author and signs every patch off)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tree=$(cd "$1" && pwd)
signoff=${2:-}
out=$top/build/outgoing
wt=$top/build/outgoing-tree
cover=$top/patches/0000-cover-letter.patch

rm -rf "$out"
git -C "$tree" worktree remove --force "$wt" 2>/dev/null || rm -rf "$wt"
git -C "$tree" worktree prune
git -C "$tree" branch -f outgoing HEAD
git -C "$tree" worktree add -q "$wt" outgoing

cd "$wt"
if [ -n "$signoff" ]; then
	# The shell that --exec starts expands $SIGNOFF, so that no quote
	# in the name can end the command.
	# shellcheck disable=SC2016
	SIGNOFF=$signoff git -c core.hooksPath=/dev/null rebase -q base \
		--exec 'git commit -q --amend --no-edit --author="$SIGNOFF" --trailer "Signed-off-by: $SIGNOFF"'
fi

# The cover letter: subject line, blank line, body (no patch headers).
text=$(mktemp)
trap 'rm -f "$text"' EXIT
{
	sed -n 's/^Subject: \[PATCH[^]]*\] //p' "$cover"
	echo
	sed '1,/^$/d' "$cover"
} >"$text"

b4 prep -e base >/dev/null 2>&1
EDITOR="cp $text" b4 prep --edit-cover >/dev/null 2>&1
b4 prep --auto-to-cc >/dev/null 2>&1
# Messages are only written, never sent: an SMTP setting keeps b4 from
# asking a web endpoint, and there is no key to sign with.
GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=sendemail.smtpserver \
	GIT_CONFIG_VALUE_0=/bin/false b4 send --no-sign -o "$out" >/dev/null
echo "outgoing: $(find "$out" -name '*.eml' | wc -l) messages in $out" >&2
grep -h -m1 '^To:' "$out"/*.eml | head -n 1 >&2
