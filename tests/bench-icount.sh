#!/bin/bash
# Instructions per migrated folio. Run under vmtest.sh with VMTEST_ICOUNT=1,
# where the guest clock advances one nanosecond per executed instruction:
# migrate_bench's nanoseconds are then instructions, the same from run to
# run. For each folio size, move_pages() of MIB between the nodes and back
# REPS times, with no migrator and (on a kernel with the series) with the
# test migrator copying every folio with the CPU; prints, per mode and size,
# the median instructions per folio and the spread of the samples.
#
# Usage: VMTEST_ICOUNT=1 ./vmtest.sh [--stock] -- tests/bench-icount.sh [MIB] [REPS]
TOP=$(cd "$(dirname "$0")/.." && pwd)
. "$TOP/tests/lib.sh"
mib=${1:-16}
reps=${2:-5}
quiet_mm
modes=(nomig)
[ -d $MD ] && modes+=(tm)
printf '%-10s %-5s %14s %9s\n' mode folio "insns/folio" spread
for mode in "${modes[@]}"; do
	[ "$mode" = tm ] && load_migrator min_order=0
	for kind in 4k 2m; do
		"$BIN/migrate_bench" --size "$mib" --reps "$reps" "$kind" > /tmp/icount.out ||
			fail "migrate_bench $kind ($mode)"
		sed -n 's/.*folios=\([0-9]*\) ns=\([0-9]*\).*/\2 \1/p' /tmp/icount.out |
			awk '{ printf "%.1f\n", $1 / $2 }' | sort -n |
			awk -v m="$mode" -v k="$kind" '{ v[NR] = $1 }
			END {
				med = v[int((NR + 1) / 2)]
				printf "%-10s %-5s %14.0f %8.2f%%\n", m, k, med, 100 * (v[NR] - v[1]) / med
			}'
	done
	[ "$mode" = tm ] && unload_migrator
done
exit 0
