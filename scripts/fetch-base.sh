#!/usr/bin/env bash
# Download a package of the base named in BASE into build/cache and print the
# path of the .deb: the base kernel source package, or PACKAGE from the same
# suite and of the same version (e.g. linux-config-7.3, Debian's kernel
# configurations).  A cached .deb is reused.
#
# usage: fetch-base.sh [PACKAGE]
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=/dev/null
. "$top/BASE"
: "${PACKAGE:?}" "${VERSION:?}" "${SUITE:?}"
package=${1:-$PACKAGE}
cache=$top/build/cache
apt=$top/scripts/apt-private.sh
mkdir -p "$cache"

# The cached .deb of a version, whatever its architecture (all or amd64).
deb_of() {
	local f
	for f in "$cache/${package}_${1/:/%3a}"_*.deb; do
		[ -s "$f" ] && echo "$f" && return 0
	done
	return 1
}

if deb_of "$VERSION"; then
	exit 0
fi

if ! "$apt" "$SUITE" apt-get -qq update >&2; then
	echo "fetch-base: cannot read the package lists of '$SUITE' to fetch $package" >&2
	exit 1
fi

version=$VERSION
avail=$("$apt" "$SUITE" apt-cache madison "$package" | awk '$1 == p { print $3 }' p="$package")
if ! grep -qxF "$VERSION" <<<"$avail"; then
	version=$(grep -E '^7\.3\.' <<<"$avail" | sort -V | tail -n 1 || true)
	if [ -z "$version" ]; then
		echo "fetch-base: no 7.3.x version of $package in '$SUITE'" >&2
		exit 1
	fi
	echo "fetch-base: WARNING: $package $VERSION is gone; using $version (untested)" >&2
fi

if ! (cd "$cache" && "$apt" "$SUITE" apt-get -qq download "$package=$version" >&2) ||
	! deb_of "$version"; then
	echo "fetch-base: could not download $package=$version from '$SUITE'" >&2
	exit 1
fi
