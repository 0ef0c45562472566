# Promotion by NUMA balancing in tiering mode (kernel.numa_balancing=2): a
# region written on the lower tier and then read over and over by a task
# on node 0 is promoted to node 0 (MR_NUMA_MISPLACED; 6.12 has no reason of
# its own for promotion), and every byte survives. Without a migrator the
# kernel promotes with its own copy; with the DMA backend and the "reason"
# policy offloading only NUMA balancing's migrations, the promoted folios
# are counted in pgmigrate_dma_numa_* and copied by the engine.
. "$TOP/tests/lib.sh"
tier_test
promotion_on

# promote LABEL KIND
promote() {
	local p0
	p0=$(vmstat pgpromote_success)
	tier "" --size 16 --kind "$2" --place "$SLOW" --cpu-node 0 --expect 0 --hot \
		--percent 50 --timeout 240
	echo "$1: pgpromote_success +$(( $(vmstat pgpromote_success) - p0 ))"
	[ $(( $(vmstat pgpromote_success) - p0 )) -gt 0 ] || fail "$1: pgpromote_success did not grow"
}

rsnap s numa
promote "no migrator, anon" anon
expect_eq "no migrator: numa batch folios" "$(rdelta s numa folios)" 0

load_dma "" ""
reason_policy numa_balancing
for kind in anon thp; do
	dsnap s
	rsnap s numa
	promote "dma_migrator, $kind" $kind
	check_reason s numa "dma_migrator, $kind"
done
