# Per-cgroup rules follow the cgroup tree: a rule on a cgroup covers the
# cgroups below it, those created after the rule included, and the
# nearest rule up the tree wins. With the workload policy (global
# offload=0) and a rule offload=1 min_order=0 on mt_p: a child created
# after the rule and a grandchild without a rule of their own offload
# every folio under mt_p's rule; a grandchild with its own rule (THPs
# only) follows its own; once mt_p's rule is cleared the others follow
# the global default. The walk's bound: a rule 16 levels up is seen, one
# 17 levels up is not. Then the same through decide_batch(), with the
# adaptive policy. The policy's counters, /proc/vmstat and each cgroup's
# memory.stat agree with what migrate_verify moved, every byte checked.
# Every built-in policy passes the verifier first.
. "$TOP/tests/lib.sh"
loader_only "the rules' walk up the cgroup tree (BPF code)"
. "$TOP/tests/migctl-lib.sh"
need_migctl
cg=/sys/fs/cgroup
out=$TOP/build/guest-74
mkdir -p "$out"

echo "== every built-in policy loads"
for p in $("$MIGCTL" list | awk '{ print $1 }'); do
	mc attach "$p"
	expect_eq "attached" "$(cat $MD/policy)" "$p"
	mc detach
done

memcg mt_p
load_migrator

items="offloaded_folios cpu_folios"
# mst CGROUP ITEM: pgmigrate_dma_ITEM of CGROUP's memory.stat
mst() { awk -v k="pgmigrate_dma_$2" '$1 == k { print $2 }' "$cg/$1/memory.stat"; }
# msnap CGROUP: remember CGROUP's memory.stat items
msnap() {
	local i
	for i in $items; do
		printf -v "m_${1//\//_}_$i" '%s' "$(mst "$1" "$i")"
	done
}
mdelta() { local v="m_${1//\//_}_$2"; echo $(( $(mst "$1" "$2") - ${!v} )); }
# mexpect CGROUP OFFLOADED CPU: CGROUP's memory.stat moved by that much
# (memcg statistics are flushed lazily: look again for up to 10 s)
mexpect() {
	local n
	for n in $(seq 50); do
		[ "$(mdelta "$1" offloaded_folios) $(mdelta "$1" cpu_folios)" = "$2 $3" ] && break
		sleep 0.2
	done
	expect_eq "$1: memory.stat offloaded_folios" "$(mdelta "$1" offloaded_folios)" "$2"
	expect_eq "$1: memory.stat cpu_folios" "$(mdelta "$1" cpu_folios)" "$3"
}

# run CGROUP: migrate_verify in CGROUP (8 MiB of 4 KiB pages and 4 THPs,
# each moved there and back: 4096 pages and 8 THPs), every page's node
# and byte checked; snapshots of every counter before, in s, p and CGROUP's
run() {
	snap s
	psnap p
	msnap "$1"
	in_cgroup "$1" "$BIN/migrate_verify" --size 8 --rounds 1 anon thp > "$out/$2.out" 2>&1 ||
		{ cat "$out/$2.out"; fail "$1: migration lost data"; }
	folios=$(moved "$out/$2.out")
	expect_eq "$1: folios moved" "$folios" 4104
}

# expect_workload CGROUP DMA_RULE CPU_RULE DMA_DEFAULT CPU_DEFAULT: the
# workload policy's counters, the kernel's and CGROUP's memory.stat
expect_workload() {
	expect_eq "$1: dma_rule" "$(pdelta p dma_rule)" "$2"
	expect_eq "$1: cpu_rule" "$(pdelta p cpu_rule)" "$3"
	expect_eq "$1: dma_default" "$(pdelta p dma_default)" "$4"
	expect_eq "$1: cpu_default" "$(pdelta p cpu_default)" "$5"
	expect_eq "$1: policy_dma" "$(delta s policy_dma)" $(($2 + $4))
	expect_eq "$1: policy_cpu" "$(delta s policy_cpu)" $(($3 + $5))
	expect_eq "$1: offloaded_folios" "$(delta s offloaded_folios)" $(($2 + $4))
	mexpect "$1" $(($2 + $4)) $(($3 + $5))
}

echo "== workload: a rule on mt_p, then cgroups created below it"
mc attach workload --set offload=0
mc tune --cgroup mt_p offload=1 min_order=0
memcg mt_p/c mt_p/m/g mt_p/m/g2
mc tune --cgroup mt_p/m/g offload=1 min_order=9
mc status | grep '^cgroup'

echo "-- mt_p/c, created after the rule: mt_p's rule, every folio offloaded"
run mt_p/c c1
expect_workload mt_p/c 4104 0 0 0
echo "-- mt_p/m/g2, two levels below: mt_p's rule"
run mt_p/m/g2 g2-1
expect_workload mt_p/m/g2 4104 0 0 0
echo "-- mt_p/m/g, a rule of its own: THPs offloaded, 4 KiB pages on the CPU"
run mt_p/m/g g1
expect_workload mt_p/m/g 8 4096 0 0

echo "== the bound: a rule 16 levels up is seen, 17 levels up it is not"
# mt_p/d1/.../d16 is 16 levels below mt_p: mt_p is the 16th of its
# nearest ancestors, the last the policy looks at (MIGCTL_CGROUP_DEPTH);
# below it, d17's folios follow the global default.
d=mt_p
for i in $(seq 16); do
	d=$d/d$i
done
memcg $d
run $d d16
expect_workload $d 4104 0 0 0
d=$d/d17
memcg $d
run $d d17
expect_workload $d 0 0 0 4104
for i in $(seq 17 -1 1); do
	rmdir $cg/$d || fail "rmdir $d"
	d=${d%/*}
done

echo "== mt_p's rule cleared: the global default (offload=0) below it, g keeps its own"
mc tune --cgroup mt_p --clear
run mt_p/c c2
expect_workload mt_p/c 0 0 0 4104
run mt_p/m/g2 g2-2
expect_workload mt_p/m/g2 0 0 0 4104
run mt_p/m/g g2
expect_workload mt_p/m/g 8 4096 0 0

echo "== adaptive, through decide_batch(): a rule on mt_p, none below"
# run_cnt PROG: how often the struct_ops program PROG ran since stats
# began (the kernel keeps 15 characters of a name); 0 before a run
run_cnt() {
	local n
	n=$("$BPFTOOL" prog show | sed -n "s/^[0-9]*: struct_ops  *name ${1:0:15}[^ ]* .*run_cnt \([0-9]*\).*/\1/p")
	echo "${n:-0}"
}
mc replace adaptive --set min_batch_bytes=1G
mc tune --cgroup mt_p min_batch_bytes=0
echo 1 > /proc/sys/kernel/bpf_stats_enabled
trap 'echo 0 > /proc/sys/kernel/bpf_stats_enabled' EXIT
# expect_adaptive CGROUP DMA CPU: the adaptive policy's counters, the
# kernel's and CGROUP's memory.stat; every folio decided in decide_batch()
expect_adaptive() {
	expect_eq "$1: dma" "$(pdelta p dma)" "$2"
	expect_eq "$1: cpu_small_batch" "$(pdelta p cpu_small_batch)" "$3"
	expect_eq "$1: offloaded_folios" "$(delta s offloaded_folios)" "$2"
	expect_eq "$1: cpu_folios" "$(delta s cpu_folios)" "$3"
	mexpect "$1" "$2" "$3"
	[ "$(( $(run_cnt adaptive_decide_batch) - b0 ))" -gt 0 ] || fail "$1: decide_batch() did not run"
	expect_eq "$1: can_migrate_dma() runs" $(( $(run_cnt adaptive_can_migrate_dma) - f0 )) 0
}
for g in mt_p/c mt_p/m/g2; do
	b0=$(run_cnt adaptive_decide_batch)
	f0=$(run_cnt adaptive_can_migrate_dma)
	run $g "adaptive-${g##*/}"
	expect_adaptive $g 4104 0
done
mc tune --cgroup mt_p --clear
b0=$(run_cnt adaptive_decide_batch)
f0=$(run_cnt adaptive_can_migrate_dma)
run mt_p/c adaptive-c2
expect_adaptive mt_p/c 0 4104
echo 0 > /proc/sys/kernel/bpf_stats_enabled

mc detach
unload_migrator
rmdir $cg/mt_p/m/g $cg/mt_p/m/g2 $cg/mt_p/m $cg/mt_p/c $cg/mt_p
