# DAMON moves folios between tiers (MR_DAMON): a migrate_cold scheme over
# node 0's memory demotes a region no one touches to the lower tier, and a
# migrate_hot scheme over the lower tier's memory promotes a region read
# over and over back to node 0, both set up through DAMON's sysfs and
# limited by a memcg filter to the test's cgroup. Every byte survives;
# with the DMA backend and the "reason" policy offloading only DAMON's
# migrations, the folios are batch-copied under "damon" and copied by the
# engine.
. "$TOP/tests/lib.sh"
need_tiers
need_dma_backend
need_bpf_policy
quiet_mm
K=/sys/kernel/mm/damon/admin/kdamonds
[ -d $K ] || skip "kernel without DAMON's sysfs (CONFIG_DAMON_SYSFS)"
CGD=/sys/fs/cgroup/tier-damon
cleanup() {
	damon_off
	rmdir $CGD 2>/dev/null
	"$TOP/build/obj/loader/migctl" detach >/dev/null 2>&1
	unload_dma 2>/dev/null
}
trap cleanup EXIT
echo +memory > /sys/fs/cgroup/cgroup.subtree_control
mkdir -p $CGD

# node_range N: the physical address range of node N's memory blocks
node_range() {
	local bs first last
	bs=$((0x$(cat /sys/devices/system/memory/block_size_bytes)))
	first=$(ls -d /sys/devices/system/node/node$1/memory[0-9]* | sed 's/.*memory//' | sort -n | head -n 1)
	last=$(ls -d /sys/devices/system/node/node$1/memory[0-9]* | sed 's/.*memory//' | sort -n | tail -n 1)
	echo $((first * bs)) $(((last + 1) * bs))
}

# damon_set ACTION TARGET_NID NODE: one kdamond (off) over NODE's physical
# memory with one scheme: ACTION to TARGET_NID for the test cgroup's folios
damon_set() {
	local c=$K/0/contexts/0 s range
	range=$(node_range "$3")
	echo 1 > $K/nr_kdamonds
	echo 1 > $K/0/contexts/nr_contexts
	echo paddr > $c/operations
	# DAMON's default of 10 regions makes each a tenth of the node, in which
	# the test's 16 MiB are found hot only by the samples that land on them;
	# with 100 the hot pages fill whole regions from the start.
	echo 100 > $c/monitoring_attrs/nr_regions/min
	echo 1 > $c/targets/nr_targets
	echo 1 > $c/targets/0/regions/nr_regions
	echo "${range% *}" > $c/targets/0/regions/0/start
	echo "${range#* }" > $c/targets/0/regions/0/end
	echo 1 > $c/schemes/nr_schemes
	s=$c/schemes/0
	echo "$1" > $s/action
	echo "$2" > $s/target_nid
	# Every range's maximum starts at 0 in sysfs: open them all first.
	echo $((1 << 40)) > $s/access_pattern/sz/max
	echo 4294967295 > $s/access_pattern/nr_accesses/max
	echo 4294967295 > $s/access_pattern/age/max
	if [ "$1" = migrate_cold ]; then
		echo 0 > $s/access_pattern/nr_accesses/max
		echo 10 > $s/access_pattern/age/min
	else
		echo 1 > $s/access_pattern/nr_accesses/min
	fi
	echo 1 > $s/filters/nr_filters
	echo memcg > $s/filters/0/type
	echo /tier-damon > $s/filters/0/memcg_path
	echo N > $s/filters/0/matching
}
damon_off() {
	[ -d $K/0 ] && [ "$(cat $K/0/state)" = on ] && echo off > $K/0/state
	[ -e $K/nr_kdamonds ] && echo 0 > $K/nr_kdamonds
}

# What DAMON did when the pages did not all arrive: what the scheme tried
# and applied, and whether the target node had memory free above its low
# watermark (DAMON allocates without reclaim).
tier_diag() {
	local st=$K/0/contexts/0/schemes/0/stats f
	if [ -d $st ] && echo update_schemes_stats > $K/0/state 2>/dev/null; then
		for f in nr_tried sz_tried nr_applied sz_applied qt_exceeds; do
			echo "damon scheme: $f $(cat $st/$f)"
		done
	fi
	grep -E '^pgmigrate_(success|fail)|^pgpromote|^pgdemote' /proc/vmstat
	awk '/^Node/ { node = $2 + 0; zone = $4 }
		node == 0 && $1 == "pages" && $2 == "free" { printf "node 0 %s: free %s", zone, $3 }
		node == 0 && $1 ~ /^(min|low|high)$/ && NF == 2 { printf " %s %s", $1, $2 }
		node == 0 && $1 == "high" && NF == 2 { print "" }' /proc/zoneinfo
}

# damon LABEL: demote a cold region and promote a hot one, by DAMON
damon() {
	damon_set migrate_cold "$SLOW" 0
	tier tier-damon --size 16 --place 0 --expect "$SLOW" --percent 90 --timeout 240 \
		--exec "echo on > $K/0/state"
	echo "$1: migrate_cold: $on_expect pages demoted"
	damon_off
	damon_set migrate_hot 0 "$SLOW"
	tier tier-damon --size 16 --place "$SLOW" --cpu-node 0 --expect 0 --hot --percent 90 \
		--timeout 240 --exec "echo on > $K/0/state"
	echo "$1: migrate_hot: $on_expect pages promoted"
	damon_off
}

rsnap s damon
damon "no migrator"
expect_eq "no migrator: damon batch folios" "$(rdelta s damon folios)" 0

load_dma "" ""
reason_policy damon
dsnap s
rsnap s damon
damon "dma_migrator"
check_reason s damon "dma_migrator"
