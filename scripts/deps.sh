#!/usr/bin/env bash
# Install the Debian packages given as arguments that are not installed yet.
# 'vng' stands for virtme-ng, which comes from the sid suite as an
# architecture-independent .deb installed with the local apt so its
# dependencies resolve from the machine's own release.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
missing=()
want_vng=0
for p in "$@"; do
	if [ "$p" = vng ]; then
		command -v vng >/dev/null || want_vng=1
		continue
	fi
	dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && [ $want_vng -eq 0 ] && exit 0

export DEBIAN_FRONTEND=noninteractive
stamp=$top/build/.apt-updated
if [ ! -e "$stamp" ]; then
	apt-get -qq update >&2
	mkdir -p "$top/build" && touch "$stamp"
fi
if [ ${#missing[@]} -gt 0 ]; then
	echo "deps: installing ${missing[*]}" >&2
	if ! apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2; then
		echo "deps: could not install: ${missing[*]}" >&2
		exit 1
	fi
fi
if [ $want_vng -eq 1 ]; then
	cache=$top/build/cache
	mkdir -p "$cache"
	"$top/scripts/apt-private.sh" sid apt-get -qq update >&2
	rm -f "$cache"/virtme-ng_*.deb
	if ! (cd "$cache" && "$top/scripts/apt-private.sh" sid apt-get -qq download virtme-ng >&2); then
		echo "deps: could not download virtme-ng from sid" >&2
		exit 1
	fi
	echo "deps: installing $(basename "$cache"/virtme-ng_*.deb)" >&2
	apt-get install -y -qq --no-install-recommends "$cache"/virtme-ng_*.deb >&2
fi
