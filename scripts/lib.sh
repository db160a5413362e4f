# shellcheck shell=bash
# Sourced by the scripts that read patches/ or the expanded tree.
#
# patches/ holds a stack of series, one directory each, applied in the
# lexical order of their names (patches/NN-name/).  Each has its quilt
# 'series' file, its hand-written 0000-cover-letter.patch and its
# NNNN-*.patch files, numbered from 0001 within the series.  In the
# expanded tree an empty marker commit, subject 'series: NN-name', comes
# before the patches of each series.

# The series directories of PATCHDIR, in the order they apply.
series_dirs() {
	[ ! -d "$1" ] || find "$1" -mindepth 1 -maxdepth 1 -type d -name '[0-9][0-9]-*' \
		-printf '%f\n' | LC_ALL=C sort
}

# The patches of the series in DIR, in quilt order.
series_patches() {
	[ ! -e "$1/series" ] ||
		sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$1/series"
}

# The patch files in DIR that export writes: every NNNN-*.patch but the
# cover letter.
patch_files() {
	[ ! -d "$1" ] || find "$1" -maxdepth 1 -type f -name '[0-9][0-9][0-9][0-9]-*.patch' \
		! -name '0000-cover-letter.patch' -printf '%f\n' | LC_ALL=C sort
}

# The marker commits of TREE's base..HEAD, oldest first, as 'COMMIT NAME'.
series_markers() {
	git -C "$1" log --reverse --format='%H %s' base..HEAD |
		sed -n 's/^\([0-9a-f]*\) series: /\1 /p'
}

# Check out COMMIT, detached, in DIR, a worktree of TREE that is reused
# when it exists, so that builds in it stay incremental.
worktree_at() {
	local tree=$1 dir=$2 commit common
	# HEAD and the like name the tree's commits, not the worktree's.
	commit=$(git -C "$tree" rev-parse --verify "$3^{commit}")
	common=$(git -C "$tree" rev-parse --path-format=absolute --git-common-dir)
	if [ -e "$dir/.git" ] && [ "$(git -C "$dir" rev-parse \
		--path-format=absolute --git-common-dir 2>/dev/null)" = "$common" ]; then
		git -C "$dir" -c advice.detachedHead=false checkout -q -f --detach "$commit"
		return
	fi
	rm -rf "$dir"
	# A worktree whose directory was deleted stays registered until pruned,
	# and blocks adding one at the same path.
	git -C "$tree" worktree prune
	git -C "$tree" worktree add -q --detach "$dir" "$commit"
}

# tree_state TREE: the file in which the harness marks a tree as its own and
# records the HEAD that patches/ last matched, at expansion and at export.
tree_state() {
	echo "$(git -C "$1" rev-parse --absolute-git-dir)/damon-pause-head"
}

# tree_is_ours TREE: whether the harness made TREE.  Trees made before the
# mark existed are known by the subject of their base commit.
tree_is_ours() {
	[ -e "$(tree_state "$1" 2>/dev/null)" ] && return 0
	git -C "$1" log -1 --format=%s base 2>/dev/null | grep -q '^base: linux-source-'
}

# config_names FILE: the first field of each line of a configs/ list, without
# its comments and blank lines.
config_names() {
	sed -e '/^#/d' -e '/^[[:space:]]*$/d' "$1" | cut -f1
}
