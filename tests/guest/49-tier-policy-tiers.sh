# The built-in "tier" policy with the DMA backend, on a tiered guest:
# demotions (memory.reclaim) are offloaded, promotions (numa_balancing=2)
# of base pages stay on the CPU and those of THPs (2 MiB batches, at
# promote_min_bytes) are offloaded, move_pages(2) is "other" and stays on
# the CPU, and a cgroup's own values (tune --cgroup demote=0) keep its
# demotions on the CPU while another cgroup's are offloaded. Every byte
# checked; the policy's counters per direction equal what the kernel
# counted per reason.
. "$TOP/tests/lib.sh"
. "$TOP/tests/migctl-lib.sh"
need_tiers
need_dma_backend
need_migctl
[ -d /sys/kernel/debug/sched/numa_balancing ] ||
	skip "no /sys/kernel/debug/sched/numa_balancing (CONFIG_SCHED_DEBUG)"
cleanup() {
	rmdir /sys/fs/cgroup/tier-a /sys/fs/cgroup/tier-b 2>/dev/null
	"$MIGCTL" detach >/dev/null 2>&1
	unload_dma 2>/dev/null
}
trap cleanup EXIT
echo +memory > /sys/fs/cgroup/cgroup.subtree_control
mkdir -p /sys/fs/cgroup/tier-a /sys/fs/cgroup/tier-b
load_dma "" ""
mc attach tier
mc list tier | grep -q "promote_min_bytes=2097152" || fail "list tier: promote_min_bytes default"

# demote CGROUP: 16 MiB written on node 0 in CGROUP, reclaimed from it
demote() {
	tier "$1" --size 16 --place 0 --expect "$SLOW" --percent 90 --timeout 120 \
		--exec "echo 16M > /sys/fs/cgroup/$1/memory.reclaim"
}

echo "== demotion: offloaded"
dsnap s; rsnap s demotion; psnap s
demote tier-a
check_reason s demotion "tier, demotion"
expect_eq "tier.dma_demote" "$(pdelta s dma_demote)" "$(rdelta s demotion offloaded_folios)"
expect_eq "tier.cpu_demote" "$(pdelta s cpu_demote)" 0

echo "== demotion of a cgroup with demote=0: on the CPU; the other cgroup's still offloaded"
mc tune --cgroup tier-b demote=0
rsnap s demotion; psnap s
demote tier-b
expect_eq "tier-b: demotion offloaded_folios" "$(rdelta s demotion offloaded_folios)" 0
[ "$(pdelta s cpu_demote)" -gt 0 ] || fail "tier-b: cpu_demote did not grow"
expect_eq "tier.cpu_demote" "$(pdelta s cpu_demote)" "$(rdelta s demotion cpu_folios)"
rsnap s demotion; psnap s
demote tier-a
[ "$(pdelta s dma_demote)" -gt 0 ] || fail "tier-a: dma_demote did not grow"
expect_eq "tier-a: demotion cpu_folios" "$(rdelta s demotion cpu_folios)" 0

echo "== move_pages(2): other, on the CPU"
rsnap s syscall; psnap s
migrate --from 0 --to "$SLOW" --size 8 --rounds 1 anon thp
expect_eq "syscall offloaded" "$(rdelta s syscall offloaded_folios)" 0
expect_eq "tier.cpu_other" "$(pdelta s cpu_other)" "$(rdelta s syscall cpu_folios)"

echo "== promotion (numa_balancing=2): base pages on the CPU, THPs offloaded"
promotion_on
rsnap s numa; psnap s
tier "" --size 8 --kind anon --place "$SLOW" --cpu-node 0 --expect 0 --hot --percent 50 --timeout 240
expect_eq "base pages: numa offloaded" "$(rdelta s numa offloaded_folios)" 0
[ "$(pdelta s cpu_promote)" -gt 0 ] || fail "base pages: cpu_promote did not grow"
expect_eq "tier.cpu_promote" "$(pdelta s cpu_promote)" "$(rdelta s numa cpu_folios)"
rsnap s numa; psnap s
tier "" --size 8 --kind thp --place "$SLOW" --cpu-node 0 --expect 0 --hot --percent 50 --timeout 240
[ "$(pdelta s dma_promote)" -gt 0 ] || fail "THPs: dma_promote did not grow"
expect_eq "tier.dma_promote" "$(pdelta s dma_promote)" "$(rdelta s numa offloaded_folios)"
mc detach
unload_dma
