#!/usr/bin/env bash
# Expand the base and the patch queue into a git tree: unpack the base
# source, commit it reproducibly, tag it 'base', then, on a branch 'series',
# for each series of patches/ in order, an empty marker commit
# 'series: NN-name' followed by its patches ('git am').  An existing tree is
# reused only if the harness made it, and only if it holds no commit that
# patches/ lacks: otherwise the expansion refuses and changes nothing.
#
# usage: expand.sh TREE
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=/dev/null
. "$top/scripts/lib.sh"
tree=$1
deb=$("$top/scripts/fetch-base.sh")
: "${PATCH_IDENT_NAME:?}" "${PATCH_IDENT_EMAIL:?}"

export GIT_AUTHOR_NAME=$PATCH_IDENT_NAME GIT_AUTHOR_EMAIL=$PATCH_IDENT_EMAIL
export GIT_COMMITTER_NAME=$PATCH_IDENT_NAME GIT_COMMITTER_EMAIL=$PATCH_IDENT_EMAIL
git_t() { git -C "$tree" -c core.autocrlf=false -c advice.detachedHead=false "$@"; }

if [ -e "$tree" ] && [ -n "$(ls -A "$tree")" ] && ! tree_is_ours "$tree"; then
	echo "expand: $tree exists and was not made by this harness; refusing to touch it" >&2
	echo "expand: give another TREE, or remove it yourself" >&2
	exit 1
fi
if ! git_t rev-parse -q --verify refs/tags/base >/dev/null 2>&1; then
	echo "expand: unpacking $(basename "$deb")" >&2
	rm -rf "$tree" "$tree.tmp" "$tree.deb"
	mkdir -p "$tree.tmp" "$tree.deb"
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tree.deb" --wildcards './usr/src/linux-source-*.tar.xz'
	tar -xJf "$tree.deb"/usr/src/linux-source-*.tar.xz -C "$tree.tmp" --strip-components=1
	rm -rf "$tree.deb"
	mv "$tree.tmp" "$tree"
	git_t init -q -b series
	git_t add -A -f
	GIT_AUTHOR_DATE='2000-01-01T00:00:00Z' GIT_COMMITTER_DATE='2000-01-01T00:00:00Z' \
		git_t commit -q --no-verify -m "base: $(basename "$deb" .deb)"
	git_t tag base
	git_t config user.name "$PATCH_IDENT_NAME"
	git_t config user.email "$PATCH_IDENT_EMAIL"
fi

# Leave a tree alone that already holds exactly the series.  A tree that
# cannot be exported (no markers, say) does not, whatever the reason.
if [ -z "${FORCE:-}" ] && "$top/scripts/export-matches.sh" "$tree" 2>/dev/null; then
	git_t rev-parse HEAD >"$(tree_state "$tree")"
	echo "expand: $tree already holds patches/" >&2
	exit 0
fi
# A HEAD other than the one recorded at the last expansion or export holds
# work that patches/ lacks.
recorded=$(cat "$(tree_state "$tree")" 2>/dev/null || true)
if [ -z "${FORCE:-}" ] && [ "$(git_t rev-parse HEAD)" != "$recorded" ] &&
	[ "$(git_t rev-parse HEAD)" != "$(git_t rev-parse base)" ]; then
	echo "expand: $tree holds commits that patches/ does not; run 'make export'" >&2
	echo "expand: first, or re-expand with FORCE=1 to discard them" >&2
	exit 1
fi
if [ -z "${FORCE:-}" ] && [ -n "$(git_t status --porcelain --untracked-files=no)" ]; then
	echo "expand: $tree has uncommitted changes and differs from patches/;" >&2
	echo "expand: commit and 'make export', or re-expand with FORCE=1" >&2
	exit 1
fi

git_t am --abort >/dev/null 2>&1 || true
git_t checkout -q -f -B series base

mapfile -t stack < <(series_dirs "$top/patches")
n=0
for s in "${stack[@]}"; do
	# The marker is dated like the base, so that expansion is reproducible,
	# and empty, so that 'git rebase -i' keeps it.
	GIT_AUTHOR_DATE='2000-01-01T00:00:00Z' GIT_COMMITTER_DATE='2000-01-01T00:00:00Z' \
		git_t commit -q --no-verify --allow-empty -m "series: $s"
	mapfile -t patches < <(series_patches "$top/patches/$s")
	for p in "${patches[@]}"; do
		if ! git_t am -q --keep-cr --committer-date-is-author-date "$top/patches/$s/$p" >/tmp/expand-am.$$ 2>&1; then
			echo "expand: patch does not apply: patches/$s/$p" >&2
			cat /tmp/expand-am.$$ >&2
			git_t am --show-current-patch=diff 2>/dev/null | head -n 40 >&2 || true
			git_t am --abort >/dev/null 2>&1 || true
			rm -f /tmp/expand-am.$$
			# leave nothing half-expanded that a later run would guard
			git_t checkout -q -f -B series base
			git_t rev-parse HEAD >"$(tree_state "$tree")"
			exit 1
		fi
		n=$((n + 1))
	done
done
rm -f /tmp/expand-am.$$

git_t rev-parse HEAD >"$(tree_state "$tree")"
echo "expand: $tree at base + ${#stack[@]} series, $n patches" >&2
