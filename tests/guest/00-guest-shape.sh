# The guest has the shape the other tests rely on: two NUMA nodes with CPUs
# and memory on each, vmlinux BTF, bpffs, and THP enabled.
set -e
nodes=$(ls -d /sys/devices/system/node/node[0-9]* | wc -l)
echo "nodes: $nodes"
[ "$nodes" -ge 2 ] || { echo "FAIL: expected at least 2 NUMA nodes, got $nodes"; exit 1; }
for n in 0 1; do
	cpus=$(cat /sys/devices/system/node/node$n/cpulist)
	mem=$(awk '/MemTotal/ { print $4 }' /sys/devices/system/node/node$n/meminfo)
	echo "node$n: cpus $cpus, $mem kB"
	[ -n "$cpus" ] && [ "$mem" -gt 0 ] || { echo "FAIL: node$n has no CPUs or no memory"; exit 1; }
done
[ -s /sys/kernel/btf/vmlinux ] || { echo "FAIL: /sys/kernel/btf/vmlinux missing"; exit 1; }
echo "vmlinux BTF: $(stat -c %s /sys/kernel/btf/vmlinux) bytes"
mountpoint -q /sys/fs/bpf || { echo "FAIL: bpffs not mounted"; exit 1; }
grep -q '\[always\]' /sys/kernel/mm/transparent_hugepage/enabled ||
	{ echo "FAIL: THP not enabled: $(cat /sys/kernel/mm/transparent_hugepage/enabled)"; exit 1; }
echo "kernel: $(uname -r)"
