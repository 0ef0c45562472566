#!/usr/bin/env bash
# Move the patch series between kernel-patch/ and a git tree, so that it is
# developed as git commits and kept as `git format-patch` output.
#
#   scripts/series.sh import DIR   make DIR a git tree of the pristine
#                                  linux-source-6.12 (commit tagged "base")
#                                  with kernel-patch/series applied by git am
#   scripts/series.sh export DIR   write the commits of DIR after "base" to
#                                  kernel-patch/NNNN-*.patch and series
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
pdir=$top/kernel-patch
tarball=${LINUX_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: series.sh import|export DIR" >&2; exit 2; }

case "$cmd" in
import)
	[ ! -e "$dir" ] || { echo "series.sh: $dir exists" >&2; exit 1; }
	mkdir -p "$dir"
	tar -xJf "$tarball" -C "$dir" --strip-components=1
	cd "$dir"
	git init -q
	# Debian's top-level .gitignore ignores everything: add by force.
	git add -f -A .
	git commit -q -m "Linux $(make -s kernelversion) ($(basename "$tarball"))"
	git tag base
	mapfile -t patches < <(sed -e 's/#.*//' -e 's/[[:space:]]*$//' "$pdir/series" | grep -v '^$' || true)
	for p in "${patches[@]}"; do
		git am -q "$pdir/$p"
	done
	echo "series.sh: $dir: base + ${#patches[@]} patches"
	;;
export)
	cd "$dir"
	git rev-parse -q --verify base >/dev/null || { echo "series.sh: $dir has no 'base' tag" >&2; exit 1; }
	rm -f "$pdir"/[0-9][0-9][0-9][0-9]-*.patch
	git format-patch -q --no-signature --zero-commit -o "$pdir" base..HEAD
	(cd "$pdir" && ls [0-9][0-9][0-9][0-9]-*.patch 2>/dev/null || true) > "$pdir/series"
	echo "series.sh: exported $(wc -l < "$pdir/series") patches"
	;;
*)
	echo "usage: series.sh import|export DIR" >&2
	exit 2
	;;
esac
