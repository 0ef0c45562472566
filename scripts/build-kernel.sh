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

# shellcheck source=scripts/kbuild-env.sh
. "$(dirname "$0")/kbuild-env.sh"

cfgkey=$(cat "${frags[@]}" "$src/.kp-stamp" 2>/dev/null | sha256sum | cut -c1-64)
if [ ! -f "$out/.config" ] || [ "$(cat "$out/.config-key" 2>/dev/null)" != "$cfgkey" ]; then
	echo "  CONFIG  tinyconfig + ${frags[*]##*/}"
	kmake tinyconfig >/dev/null
	(cd "$out" && KCONFIG_CONFIG=.config "$src/scripts/kconfig/merge_config.sh" \
		-m -O "$out" .config "${frags[@]}" >/dev/null)
	kmake olddefconfig >/dev/null
	if ! "$(dirname "$0")/config-check.sh" "$out/.config" "${frags[@]}"; then
		rm -f "$out/.config-key"
		exit 1
	fi
	echo "$cfgkey" > "$out/.config-key"
fi

echo "  BUILD   $(kmake -s kernelrelease) in $out"
kmake bzImage modules
rm -rf "$out/modroot.new"
kmake INSTALL_MOD_PATH="$out/modroot.new" modules_install >/dev/null
rm -rf "$out/modroot"
mv "$out/modroot.new" "$out/modroot"
grep -q '^CONFIG_DEBUG_INFO_BTF=y' "$out/.config" || { echo "build-kernel: no BTF" >&2; exit 1; }
