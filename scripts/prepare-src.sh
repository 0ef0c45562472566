#!/usr/bin/env bash
# Unpack Debian's linux-source-6.12 into DIR and apply kernel-patch/series
# with `patch -p1 --fuzz=0`.  The tree is keyed by the content of the series:
# when it is unchanged this does nothing; when it changed, the tree is made
# afresh.  Files touched by the old or the new series get a new mtime so that
# an existing out-of-tree build rebuilds exactly what may differ (files that
# are not patched keep the tarball's mtimes and stay up to date).
#
# With --stock, no patch is applied: the same tarball as stock Linux 6.12,
# the baseline of `make bench`.
#
# Usage: scripts/prepare-src.sh [--stock] DIR
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
stock=0
if [ "${1:-}" = --stock ]; then stock=1; shift; fi
dst=${1:?usage: prepare-src.sh [--stock] DIR}
tarball=${LINUX_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
pdir=$top/kernel-patch

[ -f "$tarball" ] || { echo "prepare-src: $tarball not found; run 'make deps'" >&2; exit 1; }

# The patches listed in the series, in order (comments and blank lines skipped).
patches=()
series=$pdir/series
[ $stock = 0 ] || series=/dev/null
mapfile -t patches < <(sed -e 's/#.*//' -e 's/[[:space:]]*$//' "$series" | grep -v '^$' || true)
for p in "${patches[@]}"; do
	[ -f "$pdir/$p" ] || { echo "prepare-src: series names $p, which does not exist" >&2; exit 1; }
done

key=$( { sha256sum "$tarball" | cut -c1-64; cat "$series";
	 for p in "${patches[@]}"; do cat "$pdir/$p"; done; } | sha256sum | cut -c1-64)

if [ -f "$dst/.kp-stamp" ] && [ "$(cat "$dst/.kp-stamp")" = "$key" ]; then
	exit 0
fi

# Files the previous series touched: they must be rebuilt even if they now
# come back from the tarball with an old mtime.
old_files=()
if [ -f "$dst/.kp-files" ]; then
	mapfile -t old_files < "$dst/.kp-files"
fi

tmp=$dst.new
rm -rf "$tmp"
mkdir -p "$tmp"
echo "  UNPACK  $tarball"
tar -xJf "$tarball" -C "$tmp" --strip-components=1

new_files=()
for p in "${patches[@]}"; do
	echo "  PATCH   $p"
	if ! out=$(cd "$tmp" && patch -p1 --fuzz=0 --no-backup-if-mismatch -s < "$pdir/$p" 2>&1); then
		echo "$out" >&2
		echo "prepare-src: $p does not apply (see the rejected hunks above)" >&2
		exit 1
	fi
	# Collect the paths this patch touches (b/ side; a/ side for deletions).
	mapfile -t -O "${#new_files[@]}" new_files < <(
		sed -n -e 's|^+++ b/\([^[:space:]]*\).*|\1|p' -e 's|^--- a/\([^[:space:]]*\).*|\1|p' "$pdir/$p" | sort -u)
done

now=$(date +%s)
for f in "${old_files[@]}" "${new_files[@]}"; do
	[ -e "$tmp/$f" ] && touch -d "@$now" "$tmp/$f"
done
printf '%s\n' "${new_files[@]}" | sort -u > "$tmp/.kp-files"
echo "$key" > "$tmp/.kp-stamp"

rm -rf "$dst"
mv "$tmp" "$dst"
