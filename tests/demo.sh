#!/bin/bash
# `make run`: the demo, run in the guest.  Migrates 4 KiB pages and THPs
# between the two nodes with move_pages(2), first with the kernel's CPU copy
# and then through a migrator (the DMA backend on the software DMA engine
# when they are built, the test migrator otherwise) with the `size` policy
# attached by migctl (THPs offloaded, 4 KiB pages copied by the CPU),
# verifies every byte, and shows what migctl and
# /sys/kernel/mm/migrate_dma counted.
#
# Then the tiering story, in a guest with a lower memory tier (make run
# boots one, vmtest.sh --tiers 1): a workload in a memory cgroup whose
# cold half is demoted when a reclaim agent asks the cgroup for memory
# (memory.reclaim), and whose hot set, written on the slow tier, NUMA
# balancing promotes back (numa_balancing=2), with the built-in "tier"
# policy deciding for the DMA backend: demotions offloaded, small
# promotions on the CPU, THP promotions offloaded. Every byte checked;
# the counters by migration reason and the policy's per direction at the
# end.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
. "$TOP/tests/lib.sh"

echo "== guest: $(uname -r), $(nproc) vCPUs, $(ls -d /sys/devices/system/node/node[0-9]* | wc -l) NUMA nodes"
for n in /sys/devices/system/node/node[0-9]*; do
	echo "   ${n##*/}: cpus $(cat "$n/cpulist"), $(awk '/MemTotal/ { printf "%d MiB", $4 / 1024 }' "$n/meminfo")"
done
echo 0 > /proc/sys/kernel/numa_balancing

counters() {
	local f
	for f in batches folios bytes offloaded_folios cpu_folios fallback_copy_failed; do
		printf '%s=%s ' "$f" "$(mdstat "$f")"
	done
	echo
}

MIGCTL=$TOP/build/obj/loader/migctl

# The migrator: the DMA backend (dma_migrator) on the software DMA engine
# (sw_dma) when their modules are built (or built in), otherwise the test
# migrator. Sets BACKEND (what was loaded) and UNLOAD (how to unload it).
load_backend() {
	if modprobe -q sw_dma nr_chans=2 && modprobe -q dma_migrator; then
		BACKEND="the DMA backend (dma_migrator) on 2 channels of the software DMA engine (sw_dma)"
		UNLOAD="rmmod dma_migrator sw_dma"
	else
		insmod "$KMOD/test_migrator.ko" fail_every=50 || return 1
		BACKEND="the test migrator (a CPU copy behind the migrator interface, failing every 50th copy on purpose; sw_dma/dma_migrator not built)"
		UNLOAD="rmmod test_migrator"
	fi
}

# pstat NAME: a line of `migctl stats` ("NAME VALUE")
pstat() {
	"$MIGCTL" stats | awk -v k="$1" '$1 == k { print $2 }'
}

rc=0
run() {
	local before after
	before=$(awk '/^pgmigrate_success/ { print $2 }' /proc/vmstat)
	echo "   migrator: $(cat $MD/migrator), batch_bytes: $(cat $MD/batch_bytes)"
	echo "   before: $(counters)"
	"$BIN/migrate_verify" --size 64 --rounds 2 anon thp | sed -e 's/^# /   /' -e 's/^/   /'
	[ "${PIPESTATUS[0]}" = 0 ] || rc=1
	after=$(awk '/^pgmigrate_success/ { print $2 }' /proc/vmstat)
	echo "   after:  $(counters)"
	echo "   pages migrated (pgmigrate_success): $((after - before))"
}

if [ ! -d $MD ]; then
	echo "== kernel without CONFIG_DMA_MIGRATION: plain migration only"
	run
else
	echo
	echo "== 1. the kernel's CPU copy, batched (64 MiB of 4 KiB pages and of THPs, node 0 -> 1 -> 0, twice)"
	run
	echo
	echo "== 2. the same through a migrator, with migctl's size policy (min_order=9: THPs offloaded)"
	load_backend || rc=1
	echo "   migrator: $BACKEND"
	echo "   \$ migctl attach size --set min_order=9"
	"$MIGCTL" attach size --set min_order=9 || rc=1
	"$MIGCTL" status | grep -v -e '^counters:' | sed -e 's/^/   /'
	echo "   \$ migctl stats   (before)"
	"$MIGCTL" stats | sed -e 's/^/   /'
	s0=$(mdstat offloaded_folios) b0=$(mdstat offloaded_bytes)
	f0=$(( $(mdstat fallback_copy_failed) + $(mdstat fallback_busy) + $(mdstat fallback_retry) ))
	run
	echo "   \$ migctl stats   (after)"
	"$MIGCTL" stats | sed -e 's/^/   /'
	thp=$(pstat size.dma) small=$(pstat size.cpu_order)
	off=$(( $(mdstat offloaded_folios) - s0 )) offb=$(( $(mdstat offloaded_bytes) - b0 ))
	fb=$(( $(mdstat fallback_copy_failed) + $(mdstat fallback_busy) + $(mdstat fallback_retry) - f0 ))
	"$MIGCTL" detach || rc=1
	$UNLOAD || rc=1
	[ "$thp" = "$off" ] || { echo "   the policy offloaded $thp folios but the migrator got $off"; rc=1; }
	[ "$thp" -gt 0 ] && [ "$small" -gt 0 ] || { echo "   the policy was not consulted"; rc=1; }
fi

# The tiering story (a lower memory tier: vmtest.sh --tiers)
slow=$(slow_node)
if [ -n "$(vmstat pgmigrate_dma_demotion_cpu_folios)" ] && [ -n "$slow" ]; then
	echo
	echo "== 3. tiered memory: demotion and promotion, decided by the tier policy"
	for t in $(memory_tiers); do
		echo "   ${t##*/}: nodes $(cat "$t/nodelist")"
	done
	echo "   demotion_enabled: $(cat /sys/kernel/mm/numa/demotion_enabled); node 0 demotes to node $slow"
	load_backend || rc=1
	echo "   migrator: $BACKEND"
	echo "   \$ migctl attach tier"
	"$MIGCTL" attach tier || rc=1
	"$MIGCTL" list tier | sed -e 's/^/   /'
	echo +memory > /sys/fs/cgroup/cgroup.subtree_control
	mkdir -p /sys/fs/cgroup/demo
	tv() {	# tv ARGS: tier_verify in the demo cgroup
		(echo $BASHPID > /sys/fs/cgroup/demo/cgroup.procs && exec "$BIN/tier_verify" "$@") |
			sed -e 's/^# /   /' -e 's/^tier_verify: /   /' -e 's/^FAIL/   FAIL/'
		[ "${PIPESTATUS[0]}" = 0 ] || rc=1
	}
	echo
	echo "   -- the cold half: 64 MiB written on node 0, then a reclaim agent asks the cgroup for it"
	echo "   \$ echo 64M > /sys/fs/cgroup/demo/memory.reclaim"
	tv --size 64 --place 0 --expect "$slow" --percent 90 --timeout 180 \
		--exec "echo 64M > /sys/fs/cgroup/demo/memory.reclaim"
	echo
	echo "   -- the hot set: 8 MiB of 4 KiB pages and 16 MiB of THPs on node $slow, read over and over from node 0"
	echo "   \$ sysctl kernel.numa_balancing=2"
	promotion_on
	tv --size 8 --kind anon --place "$slow" --cpu-node 0 --expect 0 --hot --percent 50 --timeout 240
	tv --size 16 --kind thp --place "$slow" --cpu-node 0 --expect 0 --hot --percent 50 --timeout 240
	echo 0 > /proc/sys/kernel/numa_balancing
	echo
	echo "   \$ migctl stats"
	"$MIGCTL" stats | sed -e 's/^/   /'
	tierp=$("$MIGCTL" stats | awk '$1 ~ /^tier\./ { sub("tier.", "", $1); printf "%s=%s ", $1, $2 }')
	"$MIGCTL" detach || rc=1
	$UNLOAD || rc=1
	rmdir /sys/fs/cgroup/demo
fi

echo
echo "== summary"
if [ $rc = 0 ]; then
	echo "   every page on the node asked for, every byte intact"
	if [ -n "${thp:-}" ]; then
		echo "   policy size (min_order=9): $thp THPs ($((offb >> 20)) MiB) offloaded to $(echo "$BACKEND" | sed 's/ (.*//'),"
		echo "   $small 4 KiB pages copied by the CPU, $fb folios copied again by the CPU after a failed or busy offload"
	fi
	if [ -n "${tierp:-}" ]; then
		echo "   policy tier, folios per direction: $tierp"
		for r in demotion numa; do
			echo "   $r: $(rstat $r folios) folios batch-copied, $(rstat $r offloaded_folios) offloaded, $(rstat $r cpu_folios) by the CPU"
		done
	fi
else
	echo "   FAILED: see the lines above"
fi
exit $rc
