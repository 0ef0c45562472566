# memory.stat counts the migration copies of each cgroup's folios. With
# the test migrator taking THPs only (min_order=9), a workload in cgroup
# ms_a that moves 8 MiB of 4 KiB pages and 4 THPs there and back finds
# 8 THPs (16 MiB) handed to the migrator and 4096 pages (16 MiB) copied
# by the CPU in its memory.stat; ms_b, which moved nothing, finds
# nothing; /proc/vmstat moved by as much. Without a migrator there is no
# batch copy, and memory.stat counts nothing. A batch that mixes two
# cgroups' folios counts each in its own.
. "$TOP/tests/lib.sh"
need_migrate_dma
quiet_mm
cg=/sys/fs/cgroup
memcg ms_a ms_b
grep -q '^pgmigrate_dma_offloaded_folios ' $cg/ms_a/memory.stat ||
	fail "memory.stat has no pgmigrate_dma_offloaded_folios"

items="offloaded_folios offloaded_bytes cpu_folios cpu_bytes"
# mst CGROUP ITEM: pgmigrate_dma_ITEM of CGROUP's memory.stat
mst() { awk -v k="pgmigrate_dma_$2" '$1 == k { print $2 }' $cg/$1/memory.stat; }
# msnap NAME: remember both cgroups' items as NAME_<cgroup>_<item>
msnap() {
	local g i
	for g in ms_a ms_b; do
		for i in $items; do
			printf -v "${1}_${g}_$i" '%s' "$(mst $g $i)"
		done
	done
}
mdelta() { local v="${1}_${2}_$3"; echo $(( $(mst "$2" "$3") - ${!v} )); }
# settled WANT...: memory.stat's deltas of ms_a match WANT (one per item):
# memcg statistics are flushed lazily, so look again for up to 10 s
settled() {
	local n i got
	for n in $(seq 50); do
		got=
		for i in $items; do got+="$(mdelta m ms_a "$i") "; done
		[ "$got" = "$* " ] && return 0
		sleep 0.2
	done
	echo "# ms_a: $got"
	return 1
}

load_migrator min_order=9
msnap m
snap s
in_cgroup ms_a "$BIN/migrate_verify" --size 8 --rounds 1 anon thp > /tmp/ms.out 2>&1 ||
	{ cat /tmp/ms.out; fail "migration lost data"; }
grep -v '^moved' /tmp/ms.out
# 4 THPs and 2048 base pages (8 MiB each), each moved there and back.
settled 8 $((16 << 20)) 4096 $((16 << 20)) ||
	fail "ms_a's memory.stat does not show 8 THPs offloaded and 4096 pages on the CPU"
for i in $items; do
	expect_eq "ms_a $i" "$(mdelta m ms_a $i)" "$(delta s $i)"
	expect_eq "ms_b $i" "$(mdelta m ms_b $i)" 0
done
unload_migrator

echo "== no migrator"
msnap m
in_cgroup ms_a "$BIN/migrate_verify" --size 8 --rounds 1 anon thp > /tmp/ms.out 2>&1 ||
	{ cat /tmp/ms.out; fail "migration lost data"; }
sleep 2
for i in $items; do
	expect_eq "ms_a $i (no migrator)" "$(mdelta m ms_a $i)" 0
done

echo "== one batch, two cgroups' folios: each counted in its own"
# A process bound to node 0 touches 8 MiB in ms_a, moves to ms_b and
# touches 8 MiB more; migratepages(8) then moves both in one call, whose
# batches mix the two cgroups' folios.
thp=/sys/kernel/mm/transparent_hugepage/enabled
thp0=$(sed -n 's/.*\[\(.*\)\].*/\1/p' $thp)
echo never > $thp
st=/tmp/ms.stage
rm -f $st.*
in_cgroup ms_a numactl --membind=0 python3 -c '
import mmap, os, sys, time
st = sys.argv[1]
def stage(n):
    open(st + "." + n, "w").write(str(os.getpid()))
def wait(n):
    while not os.path.exists(st + "." + n):
        time.sleep(0.05)
a = mmap.mmap(-1, 8 << 20); a.write(b"a" * (8 << 20))
stage("a"); wait("moved")
b = mmap.mmap(-1, 8 << 20); b.write(b"b" * (8 << 20))
stage("b"); wait("done")
' $st &
job=$!
wait_stage() {
	local _
	for _ in $(seq 300); do [ -e "$st.$1" ] && return 0; sleep 0.1; done
	fail "the workload did not reach stage $1"
}
wait_stage a
pid=$(cat $st.a)
echo "$pid" > $cg/ms_b/cgroup.procs || fail "cannot move $pid to ms_b"
touch $st.moved
wait_stage b
load_migrator min_order=0
msnap m
snap s
migratepages "$pid" 0 1 || fail "migratepages $pid 0 1"
touch $st.done
wait $job || fail "the workload failed"
echo $thp0 > $thp
sleep 2
a=$(mdelta m ms_a offloaded_folios) b=$(mdelta m ms_b offloaded_folios)
echo "ms_a: $a folios offloaded, ms_b: $b, all: $(delta s offloaded_folios) in $(delta s batches) batches"
[ "$a" -ge 2048 ] || fail "ms_a: $a folios counted, not the 2048 of its 8 MiB"
[ "$b" -ge 2048 ] || fail "ms_b: $b folios counted, not the 2048 of its 8 MiB"
[ $((a + b)) -le "$(delta s offloaded_folios)" ] || fail "the cgroups counted more than was offloaded"
expect_eq "ms_a offloaded_bytes" "$(mdelta m ms_a offloaded_bytes)" $((a * 4096))
expect_eq "ms_b offloaded_bytes" "$(mdelta m ms_b offloaded_bytes)" $((b * 4096))
unload_migrator
rmdir $cg/ms_a $cg/ms_b 2>/dev/null || true
