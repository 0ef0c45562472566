# Demotion under a tight memory.max. Demotion moves a folio without
# uncharging it, so reclaim brings a cgroup under its limit by swapping
# (here to zram); it demotes first what it finds on the top tier. A cold
# region and then a second one, 64 MiB in all, in a cgroup limited to
# 48 MiB: the cold pages are demoted (some then swapped), every byte of
# both regions survives, and with the DMA backend and the "reason" policy
# offloading demotions only the demoted folios are batch-copied under
# MR_DEMOTION and copied by the engine.
. "$TOP/tests/lib.sh"
need_tiers
need_dma_backend
need_bpf_policy
quiet_mm
command -v mkswap > /dev/null && command -v swapon > /dev/null || skip "no mkswap or swapon (util-linux)"
[ -e /sys/block/zram0/disksize ] || skip "kernel without zram (CONFIG_ZRAM)"
CGD=/sys/fs/cgroup/tier-max
cleanup() {
	rmdir $CGD 2>/dev/null
	"$TOP/build/obj/loader/migctl" detach >/dev/null 2>&1
	unload_dma 2>/dev/null
	swapoff /dev/zram0 2>/dev/null
	echo 1 > /sys/block/zram0/reset
}
trap cleanup EXIT
echo 256M > /sys/block/zram0/disksize || fail "zram0 disksize"
mkswap /dev/zram0 > /dev/null || fail "mkswap /dev/zram0"
swapon /dev/zram0 || fail "swapon /dev/zram0"
echo +memory > /sys/fs/cgroup/cgroup.subtree_control
mkdir -p $CGD
echo 48M > $CGD/memory.max

load_dma "" ""
reason_policy demotion
dsnap s
rsnap s demotion
d0=$(vmstat pgdemote_direct) w0=$(vmstat pswpout)
tier tier-max --size 32 --place 0 --expect "$SLOW" --percent 10 --timeout 120 --pressure 32
d=$(( $(vmstat pgdemote_direct) - d0 )) w=$(( $(vmstat pswpout) - w0 ))
echo "memory.max 48M: $d pages demoted, $w swapped out; the cgroup's peak $(cat $CGD/memory.peak 2>/dev/null || echo ?)"
[ "$d" -gt 0 ] || fail "nothing demoted under memory.max"
expect_eq "OOM kills in the cgroup" "$(awk '$1 == "oom_kill" { print $2 }' $CGD/memory.events)" 0
check_reason s demotion "memory.max"
