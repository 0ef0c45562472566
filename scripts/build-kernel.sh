#!/usr/bin/env bash
# Configure and build the kernel out of tree.
#
# Usage: scripts/build-kernel.sh SRC OUT FRAGMENT...
#   SRC       the patched source tree (scripts/prepare-src.sh)
#   OUT       the build directory (O=)
#   FRAGMENT  config fragments merged, in order, on top of `make tinyconfig`
#
# The .config is regenerated only when a fragment changed; every symbol a
# fragment asks for is checked in the final .config, so a dependency that
# silently dropped a symbol fails the build instead of producing a kernel
# that lacks it.  Builds bzImage, modules (installed under OUT/modroot) and
# vmlinux with BTF.
set -euo pipefail

src=${1:?usage: build-kernel.sh SRC OUT FRAGMENT...}
out=${2:?usage: build-kernel.sh SRC OUT FRAGMENT...}
shift 2
frags=()
for f in "$@"; do frags+=("$(cd "$(dirname "$f")" && pwd)/${f##*/}"); done

mkdir -p "$out"
out=$(cd "$out" && pwd)
src=$(cd "$src" && pwd)

cc=gcc
if command -v ccache >/dev/null 2>&1; then
	cc="ccache gcc"
	# ccache's default directory, so that another clone of the repository
	# (CI) reuses it; paths are made relative to build/ and the working
	# directory is left out of the hash for the same reason.
	CCACHE_BASEDIR=$(dirname "$out")
	export CCACHE_BASEDIR CCACHE_NOHASHDIR=true
	export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-8G}
	export CCACHE_SLOPPINESS=time_macros,include_file_mtime,include_file_ctime
fi
# Reproducible build metadata: keeps ccache hits and needless relinks away.
export KBUILD_BUILD_TIMESTAMP="2024-01-01"
export KBUILD_BUILD_USER=migrate-dma KBUILD_BUILD_HOST=vmtest

kmake() {
	make -s -C "$src" O="$out" CC="$cc" HOSTCC=gcc -j"$(nproc)" "$@"
}

cfgkey=$(cat "${frags[@]}" "$src/.kp-stamp" 2>/dev/null | sha256sum | cut -c1-64)
if [ ! -f "$out/.config" ] || [ "$(cat "$out/.config-key" 2>/dev/null)" != "$cfgkey" ]; then
	echo "  CONFIG  tinyconfig + ${frags[*]##*/}"
	kmake tinyconfig >/dev/null
	(cd "$out" && KCONFIG_CONFIG=.config "$src/scripts/kconfig/merge_config.sh" \
		-m -O "$out" .config "${frags[@]}" >/dev/null)
	kmake olddefconfig >/dev/null
	bad=0
	while IFS= read -r line; do
		case "$line" in
		CONFIG_*=*)
			sym=${line%%=*}
			want=$line ;;
		"# CONFIG_"*" is not set")
			sym=${line#\# }; sym=${sym%% *}
			want=$line ;;
		*) continue ;;
		esac
		# Later fragments override earlier ones: check only the last word.
		last=$(grep -hE "^(# )?$sym[= ]" "${frags[@]}" | tail -n 1)
		[ "$last" = "$want" ] || continue
		got=$(grep -E "^(# )?$sym[= ]" "$out/.config" || true)
		[ -n "$got" ] || got="# $sym is not set"
		if [ "$got" != "$want" ]; then
			echo "build-kernel: $sym: fragment wants '$want', .config has '$got'" >&2
			bad=1
		fi
	done < <(cat "${frags[@]}")
	[ $bad = 0 ] || { rm -f "$out/.config-key"; exit 1; }
	echo "$cfgkey" > "$out/.config-key"
fi

echo "  BUILD   $(kmake -s kernelrelease) in $out"
kmake bzImage modules
rm -rf "$out/modroot.new"
kmake INSTALL_MOD_PATH="$out/modroot.new" modules_install >/dev/null
rm -rf "$out/modroot"
mv "$out/modroot.new" "$out/modroot"
grep -q '^CONFIG_DEBUG_INFO_BTF=y' "$out/.config" || { echo "build-kernel: no BTF" >&2; exit 1; }
