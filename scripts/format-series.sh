#!/usr/bin/env bash
# Write TREE's commits base..HEAD as patch files into OUTDIR.
#
# The hashes on the diffs' index lines are abbreviated to a fixed length:
# git's default grows with the number of objects in the repository, so a
# freshly expanded tree and a long-used one would write different patches.
#
# usage: format-series.sh TREE OUTDIR
set -euo pipefail

git -C "$1" format-patch -q --zero-commit --no-signature --abbrev=12 \
	-o "$2" base..HEAD
