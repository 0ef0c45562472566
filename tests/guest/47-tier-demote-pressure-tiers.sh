# Demotion when a node runs short: a cold region written on node 0, then
# more memory than node 0 has free, bound to node 0. Reclaim on node 0
# (kswapd, and the allocating task itself when kswapd falls behind) makes
# room by demoting to the lower tier, the cold region first; every byte of
# both regions survives. With the DMA backend and the "reason" policy
# offloading demotions only, the demoted folios are batch-copied under
# MR_DEMOTION and the engine copies what the policy handed it.
. "$TOP/tests/lib.sh"
tier_test

node_free_mb() { awk '/MemFree/ { print int($4 / 1024) }' "/sys/devices/system/node/node$1/meminfo"; }
free0=$(node_free_mb 0)
pressure=$((free0 + 32))
# Reclaim demotes about what it must free: the cold region and the 32 MiB
# beyond node 0's free memory, plus its watermarks.
[ "$(node_free_mb "$SLOW")" -gt 192 ] ||
	skip "node $SLOW has $(node_free_mb "$SLOW") MiB free, too little to take what node 0 demotes"
echo "node 0: $free0 MiB free; writing a cold 32 MiB, then $pressure MiB"

load_dma "" ""
reason_policy demotion
dsnap s
rsnap s demotion
k0=$(vmstat pgdemote_kswapd) d0=$(vmstat pgdemote_direct)
tier "" --size 32 --place 0 --expect "$SLOW" --percent 50 --timeout 180 --pressure $pressure
k=$(( $(vmstat pgdemote_kswapd) - k0 )) d=$(( $(vmstat pgdemote_direct) - d0 ))
echo "demoted: $k pages by kswapd, $d by direct reclaim"
[ "$k" -gt 0 ] || fail "kswapd demoted nothing"
[ $((k + d)) -ge "$on_expect" ] || fail "$((k + d)) pages demoted, fewer than the $on_expect of the cold region"
check_reason s demotion "node pressure"
"$TOP/build/obj/loader/migctl" detach > /dev/null || fail "migctl detach"
unload_dma
