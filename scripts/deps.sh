#!/usr/bin/env bash
# Install, non-interactively and only when absent, the Debian packages this
# project needs. Usage: scripts/deps.sh [--check] [--bench]
#   --check   only report; exit 1 if something is missing.
#   --bench   also what only `make bench` needs (gnuplot, for the plot).
set -euo pipefail

check=0 bench=0
for a in "$@"; do
	case $a in
	--check) check=1 ;;
	--bench) bench=1 ;;
	*) echo "usage: scripts/deps.sh [--check] [--bench]" >&2; exit 2 ;;
	esac
done

KVER_PIN=6.12.117-1~deb12u1

pkgs=(
	linux-source-6.12
	bc bison flex libelf-dev libssl-dev dwarves cpio xz-utils
	make gcc libc6-dev perl python3 rsync kmod
	qemu-system-x86
	clang-19 llvm-19 lld-19
	zlib1g-dev libcap-dev libzstd-dev pkg-config
	ccache numactl stress-ng libnuma-dev
	debhelper lintian help2man bash-completion systemd man-db bsdextrautils
	linux-config-6.12
)
[ $bench = 0 ] || pkgs+=(gnuplot-nox)

missing=()
for p in "${pkgs[@]}"; do
	if ! dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null | grep -qx installed; then
		missing+=("$p")
	fi
done

if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi

if [ $check = 1 ]; then
	echo "deps: missing packages: ${missing[*]}" >&2
	exit 1
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages: ${missing[*]}; install them with: sudo apt-get install --no-install-recommends ${missing[*]}" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
echo "deps: installing: ${missing[*]}"
apt-get update -q >/dev/null

# Pin the kernel source when the archive still has that version.
inst=()
for p in "${missing[@]}"; do
	if [ "$p" = linux-source-6.12 ]; then
		if apt-cache madison linux-source-6.12 | awk '{print $3}' | grep -qx "$KVER_PIN"; then
			inst+=("linux-source-6.12=$KVER_PIN")
		else
			v=$(apt-cache policy linux-source-6.12 | awk '/Candidate:/ {print $2}')
			echo "deps: linux-source-6.12 $KVER_PIN is not in the archive; using $v" >&2
			inst+=(linux-source-6.12)
		fi
	else
		inst+=("$p")
	fi
done

apt-get install -y -q --no-install-recommends "${inst[@]}" >/dev/null
echo "deps: done"
