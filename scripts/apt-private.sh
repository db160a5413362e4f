#!/usr/bin/env bash
# Run apt-get against one extra Debian suite through a private apt state, so
# the system's sources and lists are never touched.  The mirror is the one
# the machine already uses for its own release.
#
# usage: apt-private.sh SUITE apt-get|apt-cache ARGS...
set -euo pipefail

suite=$1
tool=$2
shift 2
top=$(cd "$(dirname "$0")/.." && pwd)
dir=$top/build/apt/$suite

# shellcheck disable=SC1091
codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
# shellcheck disable=SC2016 # apt's own $(FIELD) format, not shell
mirror=$(apt-get indextargets --no-release-info \
	--format '$(RELEASE) $(REPO_URI)' 2>/dev/null |
	awk -v c="$codename" '$1 == c { print $2; exit }')
if [ -z "$mirror" ]; then
	echo "apt-private: no apt source for release '$codename' on this machine" >&2
	exit 1
fi

mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial" "$dir/etc/preferences.d"
printf "deb%s [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $suite main\n" "" -src \
	>"$dir/etc/sources.list"

exec "$tool" \
	-o Dir::Etc::SourceList="$dir/etc/sources.list" \
	-o Dir::Etc::SourceParts=/dev/null \
	-o Dir::Etc::PreferencesParts="$dir/etc/preferences.d" \
	-o Dir::State::Lists="$dir/lists" \
	-o Dir::State::Status=/var/lib/dpkg/status \
	-o Dir::Cache="$dir/cache" \
	-o Debug::NoLocking=1 \
	-o APT::Sandbox::User=root \
	"$@"
