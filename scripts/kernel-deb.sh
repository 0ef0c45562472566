#!/usr/bin/env bash
# The patched kernel as Debian packages for real hosts: Debian's own
# config for Linux 6.12 (linux-config-6.12) plus the series' symbols
# (kernel-patch/config/host.config, host-debian.config), every one checked
# in the final config, built by the kernel's bindeb-pkg.
#
# Usage: scripts/kernel-deb.sh [--config-only] [--base CONFIG] SRC OUT DEST
#   SRC            the patched source tree (scripts/prepare-src.sh)
#   OUT            the build directory (O=)
#   DEST           where the packages go
#   --config-only  write and check OUT/.config, build nothing
#   --base CONFIG  start from CONFIG instead of Debian's config (and leave
#                  out host-debian.config)
#
# A full build of Debian's config is some 4,000 modules: hours on two
# cores. `make test` checks that config (--config-only) and builds the
# packages from the guest kernel's config (--base), the same steps on a
# kernel that builds in minutes.
set -euo pipefail

usage="usage: kernel-deb.sh [--config-only] [--base CONFIG] SRC OUT DEST"
config_only=0 base=
while [ $# -gt 3 ]; do
	case $1 in
	--config-only) config_only=1; shift ;;
	--base) base=$2; shift 2 ;;
	*) echo "$usage" >&2; exit 2 ;;
	esac
done
[ $# = 3 ] || { echo "$usage" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
frags=("$here/../kernel-patch/config/host.config")
flavour=${DEBIAN_KERNEL_FLAVOUR:-amd64_none_amd64}
if [ -z "$base" ]; then
	base=/usr/src/linux-config-6.12/config.$flavour.xz
	[ -f "$base" ] || { echo "kernel-deb: $base missing (apt install linux-config-6.12)" >&2; exit 1; }
	frags+=("$here/../kernel-patch/config/host-debian.config")
fi
[ -f "$base" ] || { echo "kernel-deb: $base: no such file" >&2; exit 1; }
mkdir -p "$2" "$3"
src=$(cd "$1" && pwd) out=$(cd "$2" && pwd) dest=$(cd "$3" && pwd)
# shellcheck source=scripts/kbuild-env.sh
. "$here/kbuild-env.sh"

echo "  CONFIG  ${base##*/} + ${frags[*]##*/}"
# kconfig rewrites only the symbols that changed: a rerun rebuilds nothing.
case $base in
*.xz) xz -dc "$base" > "$out/.config" ;;
*) cp "$base" "$out/.config" ;;
esac
(cd "$out" && KCONFIG_CONFIG=.config "$src/scripts/kconfig/merge_config.sh" \
	-m -O "$out" .config "${frags[@]}" >/dev/null)
kmake olddefconfig >/dev/null
"$here/config-check.sh" "$out/.config" "${frags[@]}"
[ $config_only = 0 ] || exit 0

# Named apart from Debian's own kernels; on make's command line rather
# than in the config, so that the config, and ccache's objects, are those
# of the base.
localver=-migrate-dma
rel=$(kmake -s LOCALVERSION=$localver kernelrelease)
ver=$(kmake -s kernelversion)-1
echo "  DEB     linux-image-${rel}_$ver (bindeb-pkg)"
kmake LOCALVERSION=$localver KDEB_PKGVERSION="$ver" bindeb-pkg
# bindeb-pkg leaves its packages beside the build directory.
parent=$(dirname "$out")
mv "$parent"/linux-*_"${ver}"_*.deb "$parent"/linux-upstream_"${ver}"_*.buildinfo \
	"$parent"/linux-upstream_"${ver}"_*.changes "$dest"/
ls -1 "$dest"/*_"${ver}"_*.deb
