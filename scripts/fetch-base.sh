#!/usr/bin/env bash
# Download the base kernel source package named in BASE into build/cache and
# print the path of the .deb.  A cached .deb is reused.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=/dev/null
. "$top/BASE"
: "${PACKAGE:?}" "${VERSION:?}" "${SUITE:?}"
cache=$top/build/cache
apt=$top/scripts/apt-private.sh
mkdir -p "$cache"

deb_of() { echo "$cache/${PACKAGE}_${1/:/%3a}_all.deb"; }

if [ -s "$(deb_of "$VERSION")" ]; then
	deb_of "$VERSION"
	exit 0
fi

if ! "$apt" "$SUITE" apt-get -qq update >&2; then
	echo "fetch-base: cannot read the package lists of '$SUITE' to fetch $PACKAGE" >&2
	exit 1
fi

version=$VERSION
avail=$("$apt" "$SUITE" apt-cache madison "$PACKAGE" | awk '{ print $3 }')
if ! grep -qxF "$VERSION" <<<"$avail"; then
	version=$(grep -E '^7\.3\.' <<<"$avail" | sort -V | tail -n 1 || true)
	if [ -z "$version" ]; then
		echo "fetch-base: no 7.3.x version of $PACKAGE in '$SUITE'" >&2
		exit 1
	fi
	echo "fetch-base: WARNING: $PACKAGE $VERSION is gone; using $version (untested)" >&2
fi

if ! (cd "$cache" && "$apt" "$SUITE" apt-get -qq download "$PACKAGE=$version" >&2); then
	echo "fetch-base: could not download $PACKAGE=$version from '$SUITE'" >&2
	exit 1
fi
deb_of "$version"
