#!/bin/bash
# The kernel packages (scripts/kernel-deb.sh). make kernel-deb-config has
# written the real hosts' config (Debian's + host.config + host-debian.config):
# every symbol the fragments ask for is there, on Debian's full config. make
# kernel-deb-test has built the packages the same way from the guest
# kernel's config: the image holds the kernel, its config and the series'
# modules. TAP on stdout.
# shellcheck disable=SC2016 # the checks' bash -c scripts expand their own $1...
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
TAP_PREFIX=kernel-deb
. "$top/tests/tap-check.sh"
echo "TAP version 13"
echo "1..5"
cfg=$top/build/kernel-deb-obj/.config
frags=("$top/kernel-patch/config/host.config" "$top/kernel-patch/config/host-debian.config")
check "the real hosts' config has every symbol of host.config and host-debian.config" \
	"$top/scripts/config-check.sh" "$cfg" "${frags[@]}"
check "the real hosts' config is Debian's (modules as Debian builds them)" bash -c '
	n=$(grep -c "=m$" "$1"); echo "$n modules"; [ "$n" -gt 3000 ] &&
	grep -qx "CONFIG_DMA_MIGRATION_BPF=y" "$1"' _ "$cfg"

image=
for f in "$top"/build/kernel-deb-test/linux-image-*-migrate-dma_*.deb; do
	case $f in *-dbg_*) ;; *) [ -f "$f" ] && image=$f ;; esac
done
rel=$(basename "${image:-none}" | sed -n 's/^linux-image-\([^_]*\)_.*/\1/p')
check "the test build made the image package, named after its release" \
	bash -c '[ -n "$1" ] && [ "$(dpkg-deb -f "$1" Package)" = "linux-image-$2" ]' _ "$image" "$rel"
check "the image holds the kernel, its config and the series' modules" bash -c '
	c=$(dpkg-deb -c "$1" | awk "{ print \$6 }")
	for f in ./boot/vmlinuz-$2 ./boot/config-$2 ./boot/System.map-$2 \
		./lib/modules/$2/kernel/drivers/dma/dma-migrator.ko \
		./lib/modules/$2/kernel/drivers/dma/sw_dma.ko; do
		grep -qx -- "$f" <<< "$c" || { echo "no $f"; exit 1; }
	done' _ "$image" "$rel"
check "the packaged config is host.config on the base" bash -c '
	d=$(mktemp -d); trap "rm -rf $d" EXIT
	dpkg-deb -x "$1" "$d" && "$3" "$d/boot/config-$2" "$4"' _ "$image" "$rel" \
	"$top/scripts/config-check.sh" "$top/kernel-patch/config/host.config"
[ $fails = 0 ]
