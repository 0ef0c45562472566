#!/usr/bin/env bash
# Check the patch series the way a maintainer would:
#   - checkpatch.pl --strict --no-signoff on every patch (0/0/0 required);
#   - with --build: the kernel builds after every patch of the series, with
#     the project's config and CONFIG_DMA_MIGRATION=y, and with it unset.
#     Each setting has its own output directory, so that each build after
#     the first only compiles what the patch changed.
# Prints TAP.  Usage: scripts/check-series.sh [--build]
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
pdir=$top/kernel-patch
build=0
[ "${1:-}" = --build ] && build=1

mapfile -t patches < <(sed -e 's/#.*//' -e 's/[[:space:]]*$//' "$pdir/series" | grep -v '^$' || true)
# The cover letter is checked too (it has no diff, but its text must pass).
checked=("${patches[@]}")
[ -f "$pdir/0000-cover-letter.patch" ] && checked=(0000-cover-letter.patch "${patches[@]}")
tree=$top/build/linux
[ -x "$tree/scripts/checkpatch.pl" ] || "$top/scripts/prepare-src.sh" "$tree" >/dev/null || exit 1

n=0
fails=0
total=${#checked[@]}
[ $build = 1 ] && total=$((total + ${#patches[@]} * 2 + 1))
echo "TAP version 13"
echo "1..$total"
for p in "${checked[@]}"; do
	n=$((n + 1))
	out=$(cd "$tree" && perl scripts/checkpatch.pl --strict --no-signoff --show-types \
		"$pdir/$p" 2>&1)
	summary=$(printf '%s\n' "$out" | grep -E '^total:')
	if printf '%s\n' "$summary" | grep -q '0 errors, 0 warnings, 0 checks'; then
		echo "ok $n - checkpatch --strict: $p"
	else
		echo "not ok $n - checkpatch --strict: $p: $summary"
		printf '%s\n' "$out" | grep -vE '^$' | sed -e 's/^/# /' | head -n 60
		fails=$((fails + 1))
	fi
done

if [ $build = 1 ]; then
	src=$top/build/bisect/linux
	out=
	tarball=${LINUX_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
	# Objects left from a former run would be newer than the sources the
	# tarball restores: start both output directories afresh.
	rm -rf "$src" "$top"/build/bisect/out* && mkdir -p "$src"
	tar -xJf "$tarball" -C "$src" --strip-components=1
	export CCACHE_BASEDIR=$top/build/bisect CCACHE_NOHASHDIR=true
	kmake() {
		make -s -C "$src" O="$out" CC="ccache gcc" -j"$(nproc)" \
			KBUILD_BUILD_TIMESTAMP=2024-01-01 "$@"
	}
	configure() {	# configure DMA_MIGRATION=y|n
		kmake tinyconfig >/dev/null &&
		(cd "$out" && "$src/scripts/kconfig/merge_config.sh" -m -O "$out" .config \
			"$pdir"/config/base.config >/dev/null) &&
		"$src/scripts/config" --file "$out/.config" --set-val DMA_MIGRATION "$1" &&
		kmake olddefconfig >/dev/null
	}
	for p in "${patches[@]}"; do
		n=$((n + 1))
		if ! (cd "$src" && patch -p1 --fuzz=0 -s < "$pdir/$p"); then
			echo "not ok $n - build after $p: does not apply"
			n=$((n + 1))
			echo "not ok $n - build after $p: does not apply"
			fails=$((fails + 2))
			continue
		fi
		for dma in y n; do
			[ "$dma" = y ] || n=$((n + 1))
			out=$top/build/bisect/out-$dma
			mkdir -p "$out"
			if configure $dma && log=$(kmake bzImage modules 2>&1); then
				echo "ok $n - build after $p (DMA_MIGRATION=$dma)"
			else
				echo "not ok $n - build after $p (DMA_MIGRATION=$dma)"
				printf '%s\n' "$log" | tail -n 30 | sed -e 's/^/# /'
				fails=$((fails + 1))
			fi
		done
	done
	n=$((n + 1))
	if grep -q '^CONFIG_DMA_MIGRATION' "$out/.config"; then
		echo "not ok $n - DMA_MIGRATION=n config still has it"
		fails=$((fails + 1))
	else
		echo "ok $n - top of series builds with CONFIG_DMA_MIGRATION unset"
	fi
fi
[ $fails = 0 ]
