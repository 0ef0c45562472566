#!/bin/bash
# `make test`: the host-side checks (tests/host/*.sh), then every guest test
# under vmtest.sh (tests/run-guest.sh) on the default and on the debug
# kernel, all reported as TAP; ends with the closing line
# "N passed, N failed, N skipped" and a non-zero exit status on any failure.
# Arguments are passed to vmtest.sh.
#   TESTS=GLOB              run only the guest tests whose names match GLOB
#   HOST_TESTS=0            skip the host-side checks
#   TEST_FLAVORS="default"  the kernels to run the guest tests on
#                           (default: "default debug")
#   SWIOTLB_TESTS=0         skip the guest booted with swiotlb=force (the
#                           *-swiotlb tests, on the default kernel)
#   NODES3_TESTS=0          skip the guest of three NUMA nodes (the
#                           *-3nodes tests, on the default kernel)
#   TIERS_TESTS=0           skip the tiered guest (vmtest.sh --tiers 1: the
#                           *-tiers tests, on both kernels)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
mkdir -p build
flags=("$@")
pass=0 fail=0 skip=0

# Count a TAP stream's results; a stream that planned more tests than it
# reported counts the missing ones as failures.
tally() {
	local f=$1 rc=$2 what=$3 p s n plan
	p=$(grep -cE '^ok [0-9]+' "$f" | head -n 1)
	s=$(grep -cE '^ok [0-9]+ .*# SKIP' "$f")
	n=$(grep -cE '^not ok [0-9]+' "$f")
	plan=$(sed -n 's/^1\.\.\([0-9]\+\).*/\1/p' "$f" | head -n 1)
	pass=$((pass + p - s)); skip=$((skip + s)); fail=$((fail + n))
	if [ -n "$plan" ] && [ $((p + n)) -lt "$plan" ]; then
		echo "# $what: $((plan - p - n)) planned tests did not report"
		fail=$((fail + plan - p - n))
	elif [ "$rc" != 0 ] && [ "$n" = 0 ]; then
		echo "# $what: exited with status $rc although no test failed"
		fail=$((fail + 1))
	fi
}

if [ "${HOST_TESTS:-1}" = 1 ]; then
	for t in tests/host/*.sh; do
		out=build/test-$(basename "$t" .sh).tap
		bash "$t" "${flags[@]}" | tee "$out"
		tally "$out" "${PIPESTATUS[0]}" "$t"
	done
fi

for flavor in ${TEST_FLAVORS:-default debug}; do
	out=build/test-guest-$flavor.tap
	vflags=()
	[ "$flavor" = debug ] && vflags=(--debug)
	echo "# guest tests on the $flavor kernel"
	./vmtest.sh "${vflags[@]}" "${flags[@]}" -- tests/run-guest.sh "${TESTS:-*}" | tee "$out"
	tally "$out" "${PIPESTATUS[0]}" "guest tests ($flavor kernel)"
done

# Tests that need a guest of another shape run in one of their own, on the
# kernels of KERNELS that TEST_FLAVORS asks for:
# special_guest ENABLED TEST WHAT KERNELS VMTEST_ARGS...
special_guest() {
	local enabled=$1 test=$2 what=$3 kernels=$4 out flavor vflags
	shift 4
	# shellcheck disable=SC2053 # TESTS is a glob
	[ "$enabled" = 1 ] && [[ $test == ${TESTS:-*} ]] || return 0
	for flavor in $kernels; do
		[[ " ${TEST_FLAVORS:-default debug} " == *" $flavor "* ]] || continue
		out=build/test-guest-${test##*-}.tap
		vflags=()
		[ "$flavor" = debug ] && { out=build/test-guest-${test##*-}-debug.tap; vflags=(--debug); }
		echo "# guest tests on the $flavor kernel, $what"
		./vmtest.sh "${vflags[@]}" "$@" "${flags[@]}" -- tests/run-guest.sh "*-${test##*-}" | tee "$out"
		tally "$out" "${PIPESTATUS[0]}" "guest tests ($flavor kernel, $what)"
	done
}

# The DMA backend behind swiotlb; channels nearest to the folios.
special_guest "${SWIOTLB_TESTS:-1}" 87-dma-swiotlb "booted with swiotlb=force" default \
	--append swiotlb=force
special_guest "${NODES3_TESTS:-1}" 85-dma-nearest-3nodes "with three NUMA nodes" default \
	--nodes 3 --cpus 3
# Tiered memory: a CPU-less node in a lower memory tier.
special_guest "${TIERS_TESTS:-1}" 46-tier-shape-tiers "with a lower memory tier" "default debug" \
	--tiers 1

echo
echo "$pass passed, $fail failed, $skip skipped"
[ $fail = 0 ]
