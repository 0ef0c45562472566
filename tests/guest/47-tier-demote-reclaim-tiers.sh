# Demotion by memory cgroup reclaim (memory.reclaim): a workload's cold
# memory, written on node 0, moves to the lower tier when its cgroup is
# asked to reclaim it, and every byte survives. Without a migrator the
# kernel demotes with its own copy and nothing is batch-counted; with the
# DMA backend and the "reason" policy offloading demotions only, the
# folios are batch-copied under MR_DEMOTION (pgmigrate_dma_demotion_*), the
# policy hands exactly those to the engine, and the engine copies them. Base
# pages and THPs. Then with an engine failing every 4th descriptor: every
# failed folio is copied again by the CPU, and counted as a demotion that
# fell back, folio for folio and byte for byte.
. "$TOP/tests/lib.sh"
need_tiers
need_dma_backend
need_bpf_policy
quiet_mm
CGD=/sys/fs/cgroup/tier-reclaim
trap 'rmdir $CGD 2>/dev/null; "$TOP/build/obj/loader/migctl" detach >/dev/null 2>&1; unload_dma 2>/dev/null' EXIT
echo +memory > /sys/fs/cgroup/cgroup.subtree_control
mkdir -p $CGD
size=32
reclaim="echo ${size}M > $CGD/memory.reclaim"

# demote LABEL KIND: the cold region is reclaimed from its cgroup
demote() {
	local d0
	d0=$(vmstat pgdemote_direct)
	tier tier-reclaim --size $size --kind "$2" --place 0 --expect "$SLOW" \
		--percent 90 --timeout 120 --exec "$reclaim"
	echo "$1: pgdemote_direct +$(( $(vmstat pgdemote_direct) - d0 )) pages"
	[ $(( $(vmstat pgdemote_direct) - d0 )) -ge "$on_expect" ] ||
		fail "$1: pgdemote_direct grew by less than the $on_expect pages demoted"
}

for kind in anon thp; do
	rsnap s demotion
	demote "no migrator, $kind" $kind
	expect_eq "no migrator, $kind: demotion batch folios" "$(rdelta s demotion folios)" 0
done

load_dma "" ""
reason_policy demotion
for kind in anon thp; do
	dsnap s
	rsnap s demotion
	demote "dma_migrator, $kind" $kind
	check_reason s demotion "dma_migrator, $kind"
done
"$TOP/build/obj/loader/migctl" detach > /dev/null || fail "migctl detach"

load_dma "fail_every=4" "breaker=0"
reason_policy demotion
dsnap s
rsnap s demotion
demote "dma_migrator, every 4th descriptor failing" anon
check_reason s demotion "dma_migrator, every 4th descriptor failing"
injected=$(swdelta s failed)
[ "$injected" -gt 0 ] || fail "every 4th descriptor failing: none failed"
expect_eq "failing: demotion fallback_folios" "$(rdelta s demotion fallback_folios)" "$injected"
expect_eq "failing: demotion fallback_bytes" "$(rdelta s demotion fallback_bytes)" $((injected * 4096))
expect_eq "failing: fallback_copy_failed" "$(delta s fallback_copy_failed)" "$injected"
"$TOP/build/obj/loader/migctl" detach > /dev/null || fail "migctl detach"
unload_dma
