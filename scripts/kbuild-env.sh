# Sourced by build-kernel.sh and kernel-deb.sh, with $src (the source
# tree) and $out (the build directory, O=) set: the compiler, ccache when
# there is one, reproducible build metadata, and kmake, make in $src for
# $out on every CPU.
# shellcheck shell=bash

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
