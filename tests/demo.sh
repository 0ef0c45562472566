#!/bin/bash
# `make run`: the demo, run in the guest.  Today: migrate 4 KiB pages and
# THPs between the two nodes with move_pages(2), verify every byte, and say
# what happened.  Later stages add the DMA backend and a BPF policy.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
bin=$top/build/obj/tests

echo "== guest: $(uname -r), $(nproc) vCPUs, $(ls -d /sys/devices/system/node/node[0-9]* | wc -l) NUMA nodes"
for n in /sys/devices/system/node/node[0-9]*; do
	echo "   ${n##*/}: cpus $(cat "$n/cpulist"), $(awk '/MemTotal/ { printf "%d MiB", $4 / 1024 }' "$n/meminfo")"
done
before=$(awk '/^pgmigrate_success/ { print $2 }' /proc/vmstat)
echo
echo "== migrating 64 MiB of 4 KiB pages and 64 MiB of 2 MiB THPs, node 0 -> 1 -> 0 (move_pages)"
"$bin/migrate_verify" --size 64 --rounds 2 anon thp
rc=$?
after=$(awk '/^pgmigrate_success/ { print $2 }' /proc/vmstat)
echo
echo "== summary"
echo "   pages migrated (pgmigrate_success): $((after - before))"
if [ $rc = 0 ]; then
	echo "   every page on the node asked for, every byte intact"
else
	echo "   FAILED: see the lines above"
fi
exit $rc
