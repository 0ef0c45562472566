# The tiered guest (vmtest.sh --tiers): the CPU-less nodes QEMU's ACPI HMAT
# describes as slower and narrower are in a memory tier of their own, below
# the nodes with CPUs, and each node with CPUs demotes to one of them. The
# batch copies of demotion, NUMA balancing, DAMON and the migration system
# calls are counted by reason in /proc/vmstat (pgmigrate_dma_REASON_ITEM).
. "$TOP/tests/lib.sh"
need_migrate_dma
need_tiers

mapfile -t tiers < <(memory_tiers)
expect_eq "memory tiers" ${#tiers[@]} 2
# expand LIST: the numbers of a kernel list ("0-1,3" -> " 0 1 3 ")
expand() {
	local r out=" "
	for r in ${1//,/ }; do
		out+="$(seq "${r%-*}" "${r#*-}" | tr '\n' ' ')"
	done
	echo "$out"
}
read -r top < "${tiers[0]}/nodelist"
read -r low < "${tiers[1]}/nodelist"
echo "top tier ${tiers[0]##*/}: nodes $top; lower tier ${tiers[1]##*/}: nodes $low"
top=$(expand "$top") low=$(expand "$low")
for n in /sys/devices/system/node/node[0-9]*; do
	id=${n##*node}
	read -r cpus < "$n/cpulist"
	if [ -n "$cpus" ]; then
		# A node with CPUs is in the top tier...
		[[ $top == *" $id "* ]] || fail "node $id (CPUs $cpus) is not in the top tier ($top)"
	else
		# ...and a CPU-less one below it.
		[[ $low == *" $id "* ]] || fail "CPU-less node $id is not in the lower tier ($low)"
	fi
done
[ -r /sys/devices/system/node/node$SLOW/access0/initiators/read_latency ] &&
	echo "node $SLOW: read latency $(cat /sys/devices/system/node/node$SLOW/access0/initiators/read_latency) ns, bandwidth $(cat /sys/devices/system/node/node$SLOW/access0/initiators/read_bandwidth) MB/s (ACPI HMAT)"
expect_eq "demotion_enabled" "$(cat /sys/kernel/mm/numa/demotion_enabled)" true
# The kernel logs the demotion targets it established at boot.
dmesg | grep -q "Demotion targets for Node 0: preferred: $SLOW" ||
	{ dmesg | grep -i demotion; fail "node 0 does not demote to node $SLOW"; }

reasons="demotion numa damon syscall"
want=$(for r in $reasons; do for i in $RSTAT_ITEMS; do echo "pgmigrate_dma_${r}_$i"; done; done | sort | tr '\n' ' ')
got=$(awk '$1 ~ /^pgmigrate_dma_(demotion|numa|damon|syscall)_/ { print $1 }' /proc/vmstat | sort | tr '\n' ' ')
expect_eq "per-reason events in /proc/vmstat" "$got" "$want"
# Without a migrator there is no batch copy: nothing is counted for a move.
[ "$(cat $MD/migrator)" = kernel ] || fail "a migrator is active at the start"
rsnap s syscall
migrate --from 0 --to "$SLOW" --size 8 --rounds 1 anon
expect_eq "syscall folios without a migrator" "$(rdelta s syscall folios)" 0
