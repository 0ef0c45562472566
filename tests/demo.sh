#!/bin/bash
# `make run`: the demo, run in the guest.  Migrates 4 KiB pages and THPs
# between the two nodes with move_pages(2), first with the kernel's CPU copy
# and then through a migrator (the test migrator: a CPU copy behind the
# migrator interface, standing in for the DMA backend to come), verifies
# every byte, and shows what /sys/kernel/mm/migrate_dma counted.
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
		printf '%s=%s ' "$f" "$(cat $MD/stats/$f)"
	done
	echo
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
	echo "== 2. the same through a migrator, failing every 50th copy on purpose"
	insmod "$KMOD/test_migrator.ko" fail_every=50 || rc=1
	run
	echo "   the migrator was given $(cat /sys/kernel/debug/test_migrator/folios) folios and failed" \
		"$(cat /sys/kernel/debug/test_migrator/failed); each failed folio was copied again by the CPU"
	rmmod test_migrator || rc=1
fi
echo
echo "== summary"
if [ $rc = 0 ]; then
	echo "   every page on the node asked for, every byte intact"
else
	echo "   FAILED: see the lines above"
fi
exit $rc
