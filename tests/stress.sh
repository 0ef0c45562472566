#!/bin/bash
# The stress run, in the guest: for SECONDS (default 120), everything that
# migrates pages or changes how they are copied, at once --
#   - migrate_stress workers moving private/shared anon, THP and shmem with
#     move_pages(2), every byte checked after every move, one of them in a
#     cgroup whose memory.max keeps it under reclaim (a page-cache reader
#     shares the cgroup);
#   - numactl's migratepages on a running process, stress-ng's --numa
#     stressor (with --verify), memory compaction, NUMA balancing with a
#     task that bounces between the nodes' CPUs;
#   - a filler that takes all but 16 MiB of node 1's free memory for ten
#     seconds at a time, so migration allocations there fail sometimes;
#   - policy churn: migctl attach / replace / tune / detach, rotating the
#     built-in policies;
#   - backend churn: the software DMA engine and the DMA backend loaded,
#     run with 0%, 1%, 50%, 100% of copies failing, completing out of
#     order, or outliving the backend's timeout, then the engine unbound
#     and both modules unloaded; again;
#   - in a guest with a lower memory tier (vmtest.sh --tiers): tier churn,
#     regions demoted by their cgroup's memory.reclaim and promoted by NUMA
#     balancing in tiering mode (numa_balancing=3), base pages and THPs,
#     every byte checked after each move (tier_verify), with the "tier"
#     policy among those the policy churn rotates.
# Then it checks: every checked byte intact, the framework's and the
# backend's counters consistent, no splat in the kernel log, the guest
# responsive, every module unloadable; and prints one summary line.
# Usage (host): ./vmtest.sh [--debug] -- tests/stress.sh [SECONDS]
TOP=$(cd "$(dirname "$0")/.." && pwd)
. "$TOP/tests/lib.sh"
. "$TOP/tests/migctl-lib.sh"
seconds=${1:-120}
[[ $seconds =~ ^[1-9][0-9]*$ ]] || { echo "stress.sh: SECONDS must be a positive number, not '$seconds'" >&2; exit 2; }
need_dma_backend
need_migctl
command -v stress-ng >/dev/null || skip "stress-ng is not installed (make deps)"
command -v migratepages >/dev/null || skip "numactl is not installed (make deps)"
unload_dma

out=/tmp/stress
rm -rf $out && mkdir -p $out
dmesg -c > /dev/null
snap_still s0
end=$((SECONDS + seconds))
running() { [ $SECONDS -lt $end ]; }
echo "# ${SECONDS}s: start"
mig0=$(vmstat pgmigrate_success) nb0=$(vmstat numa_pages_migrated)

# --- migration from every direction -----------------------------------------
pids=()
worker() {	# worker NAME ARGS...: a migrate_stress in the background
	local name=$1
	shift
	"$BIN/migrate_stress" --seconds "$seconds" "$@" > "$out/$name.log" 2>&1 &
	pids+=($!)
	echo "$name $!" >> $out/workers
}
worker anon move anon --size 8
worker thp move thp --size 16
worker shared move shared --size 8
worker shmem move shmem --size 8
worker held hold anon --size 8
held=$!
worker bouncer bounce thp --size 8

# One mover under memory pressure: memory.max a little above what it needs,
# with a reader of a large file filling the rest with page cache.
cg=/sys/fs/cgroup
grep -qw memory $cg/cgroup.subtree_control || echo +memory > $cg/cgroup.subtree_control ||
	fail "cannot enable the memory controller"
mkdir -p $cg/stress_pressure
echo 40M > $cg/stress_pressure/memory.max || fail "memory.max"
(
	echo $BASHPID > $cg/stress_pressure/cgroup.procs
	exec "$BIN/migrate_stress" --seconds "$seconds" move anon --size 8
) > $out/pressured.log 2>&1 &
pids+=($!)
vmlinux=$TOP/build/kernel/vmlinux
(
	echo $BASHPID > $cg/stress_pressure/cgroup.procs
	n=$(( $(stat -c %s "$vmlinux") >> 20 )) i=0
	while running; do
		dd if="$vmlinux" of=/dev/null bs=1M count=16 skip=$(( (i * 16) % (n - 16) )) 2> /dev/null
		i=$((i + 1))
	done
) &
bg=($!)

# stress-ng's NUMA stressor, one bogo operation at a time: one takes ~40 s
# under TCG on an idle guest, minutes under this load, and it does not stop
# early on a signal. One still running 10 s after the deadline is cut off;
# one that failed only because move_pages(2) got ENOMEM (the filler of
# node 1 is there for that) is counted apart; any other failure (a data
# mismatch of --verify) fails the run.
(
	ok=0 cut=0 nomem=0 bad=0
	while running; do
		timeout -s KILL $((end - SECONDS + 10)) stress-ng --numa 1 --numa-ops 1 --verify \
			--temp-path /tmp > $out/sng.log 2>&1
		rc=$?
		cat $out/sng.log >> $out/stress-ng.log
		if [ $rc = 137 ]; then
			cut=$((cut + 1))
		elif [ $rc = 0 ] && grep -q 'successful run completed' $out/sng.log &&
			! grep -qiE 'fail|error' $out/sng.log; then
			ok=$((ok + 1))
		elif grep -q 'fail:.*errno=12 ' $out/sng.log &&
			! grep 'fail:' $out/sng.log | grep -qv 'errno=12 '; then
			nomem=$((nomem + 1))
		else
			bad=$((bad + 1))
		fi
	done
	echo "$ok $cut $nomem $bad" > $out/stress-ng
) 2> /dev/null &
sng=$!

# A lower memory tier: demotion and promotion churn, and NUMA balancing in
# both its modes (3: between nodes, and promotion from the lower tier).
slow=$(slow_node)
if [ -n "$slow" ]; then
	echo 3 > /proc/sys/kernel/numa_balancing
	mkdir -p $cg/stress_tier
	(	# demotion and promotion rounds; a round whose pages did not all
		# get there in time (exit 3) is counted, a differing byte fails
		echo $BASHPID > $cg/stress_tier/cgroup.procs
		dem=0 pro=0 late=0 k=0
		while running; do
			kind=$([ $((k % 2)) = 0 ] && echo anon || echo thp)
			k=$((k + 1))
			"$BIN/tier_verify" --size 8 --kind $kind --place 0 --expect "$slow" --percent 50 \
				--timeout 30 --exec "echo 8M > $cg/stress_tier/memory.reclaim || true"
			case $? in 0) dem=$((dem + 1)) ;; 3) late=$((late + 1)) ;; *) echo "FAIL: demotion round" ;; esac
			running || break
			"$BIN/tier_verify" --size 8 --kind $kind --place "$slow" --expect 0 --hot \
				--percent 50 --timeout 30
			case $? in 0) pro=$((pro + 1)) ;; 3) late=$((late + 1)) ;; *) echo "FAIL: promotion round" ;; esac
		done
		echo "$dem $pro $late" > $out/tier-rounds
	) > $out/tier.log 2>&1 &
	bg+=($!)
else
	echo 1 > /proc/sys/kernel/numa_balancing
fi
echo 20 > /proc/sys/vm/compaction_proactiveness
(	# migratepages of the held process, and compaction
	n=0 c=0
	while running; do
		migratepages $held 0 1 2>/dev/null && migratepages $held 1 0 2>/dev/null && n=$((n + 2))
		echo 1 > /proc/sys/vm/compact_memory && c=$((c + 1))
		sleep 1
	done
	echo "$n $c" > $out/migratepages
) &
bg+=($!)
(	# the filler of node 1: the OOM killer's first choice
	echo 1000 > /proc/self/oom_score_adj
	f=0
	while running; do
		read -r _ _ _ free _ < <(grep MemFree /sys/devices/system/node/node1/meminfo)
		mib=$(( free / 1024 - 16 ))
		if [ $mib -gt 8 ]; then
			numactl --membind=1 "$BIN/migrate_stress" --seconds 1 --size $mib fill anon \
				> /dev/null 2>&1
			f=$((f + 1))
		else
			sleep 1
		fi
	done
	echo "$f" > $out/fills
) 2> /dev/null &
bg+=($!)

# --- policy churn ---------------------------------------------------------
(
	policies=(always size reason adaptive never workload tier)
	swaps=0 i=0
	"$MIGCTL" attach size --set min_order=0 > /dev/null || fail "migctl attach"
	while running; do
		p=${policies[i % ${#policies[@]}]}
		i=$((i + 1))
		case $((i % 8)) in
		0)	"$MIGCTL" detach > /dev/null || fail "migctl detach"
			"$MIGCTL" attach "$p" > /dev/null || fail "migctl attach $p" ;;
		*)	"$MIGCTL" replace "$p" > /dev/null || fail "migctl replace $p" ;;
		esac
		swaps=$((swaps + 1))
		case $p in
		size) "$MIGCTL" tune min_order=$(( i % 2 ? 0 : 9 )) > /dev/null || fail "migctl tune" ;;
		adaptive) "$MIGCTL" tune min_batch_bytes=$(( i % 2 ? 4096 : 65536 )) > /dev/null ||
			fail "migctl tune" ;;
		esac
	done
	"$MIGCTL" detach > /dev/null || fail "migctl detach"
	echo $swaps > $out/swaps
) > $out/policy.log 2>&1 &
policy=$!

# --- backend churn ----------------------------------------------------------
(
	# engine parameters at load|backend parameters at load|parameters set
	# once load_dma has seen the backend take over, the engine's and, as
	# dm.NAME, the backend's (a fault, or a 20 ms timeout that a busy TCG
	# guest overruns on its own, could trip the breaker before it looks):
	# the engine models (full, and ioat, which cannot terminate), faults,
	# and the breaker tripping (the heaviest first: a short run still sees
	# every kind of fault)
	modes=("|breaker=0|fail_percent=50" "model=ioat||out_of_order=1 fail_every=5"
	       "|breaker=0|dm.timeout_ms=20 delay_us=50000" "|breaker=4|fail_percent=100"
	       "model=ioat||dm.timeout_ms=20 delay_us=50000 delay_every=20" "||"
	       "||dm.timeout_ms=20 delay_us=200000 delay_every=40" "model=ioat||fail_percent=1"
	       "||out_of_order=1")
	reloads=0 i=0
	declare -A dm
	while running; do
		IFS='|' read -r eng be after <<< "${modes[i % ${#modes[@]}]}"
		i=$((i + 1))
		load_dma "nr_chans=2 $eng" "$be"
		for kv in $after; do
			case $kv in
			dm.*) kv=${kv#dm.}; dmset "${kv%%=*}" "${kv#*=}" ;;
			*) swset "${kv%%=*}" "${kv#*=}" ;;
			esac
		done
		sleep 2
		# Unbind the engine first: the backend stops offloading (waiting
		# for its batches in flight) and lets its channels go, so its
		# counters are final when they are read.
		swf=$(( $(swstat failed) + $(swstat prep_failed) ))
		echo sw_dma > /sys/bus/platform/drivers/sw_dma/unbind || fail "unbind sw_dma"
		[ "$(cat $MD/migrator)" = kernel ] || fail "migrator is $(cat $MD/migrator) after unbinding sw_dma"
		for f in "$DM"/stats/*; do
			read -r v < "$f"
			dm[${f##*/}]=$(( ${dm[${f##*/}]:-0} + v ))
		done
		dm[injected]=$(( ${dm[injected]:-0} + swf ))
		unload_dma
		reloads=$((reloads + 1))
	done
	for k in "${!dm[@]}"; do echo "$k ${dm[$k]}"; done > $out/backend
	echo $reloads > $out/reloads
) > $out/backend.log 2>&1 &
backend=$!

# --- wait, then check ---------------------------------------------------------
failed=0
for p in "${pids[@]}"; do
	wait "$p" || failed=1
done
echo "# ${SECONDS}s: migration workers done"
wait $sng
read -r sng_ok sng_cut sng_nomem sng_bad < $out/stress-ng
if [ "$sng_bad" != 0 ]; then
	echo "stress-ng --numa failed:"
	grep -iE 'fail:' $out/stress-ng.log | grep -v 'errno=12 ' | head
	failed=1
fi
wait $policy || { cat $out/policy.log; fail "policy churn failed"; }
wait $backend || { cat $out/backend.log; fail "backend churn failed"; }
echo "# ${SECONDS}s: policy and backend churn done"
for p in "${bg[@]}"; do wait "$p"; done
echo "# ${SECONDS}s: all done"
quiet_mm
rmdir $cg/stress_pressure $cg/stress_tier 2>/dev/null
if [ -s $out/tier-rounds ]; then
	read -r tier_dem tier_pro tier_late < $out/tier-rounds
	echo "tier churn: $tier_dem demotion and $tier_pro promotion rounds complete, $tier_late late; every byte checked"
	for r in demotion numa; do
		echo "  $r: $(rstat $r folios) folios batch-copied, $(rstat $r offloaded_folios) offloaded"
	done
	[ $((tier_dem + tier_pro)) -gt 0 ] || fail "tier churn: no round completed"
fi

verified=0 lost=0 nomem=0
for f in $out/*.log; do
	s=$(grep '^stress ' "$f") || continue
	echo "$s"
	for kv in $s; do
		case $kv in
		verified=*) verified=$((verified + ${kv#*=})) ;;
		differing=*) lost=$((lost + ${kv#*=})) ;;
		nomem=*) nomem=$((nomem + ${kv#*=})) ;;
		esac
	done
done
grep -h 'FAIL' $out/*.log && failed=1
[ $failed = 0 ] || fail "a worker failed (its FAIL lines are above)"

# Counters: the framework's add up, and what the backend copied or gave back
# is what the framework handed it.
declare -A dm
while read -r k v; do dm[$k]=$v; done < $out/backend
d() { local x=s0_$1 y=s1_$1; echo $(( ${!y} - ${!x} )); }
snap_still s1

expect_eq "batched folios = offloaded + CPU" "$(d folios)" \
	"$(( $(d offloaded_folios) + $(d cpu_folios) ))"
dm_fallback=$(( dm[fallback_busy] + dm[fallback_nochan] + dm[fallback_size] + dm[fallback_map] +
	dm[fallback_prep] + dm[fallback_submit] + dm[fallback_status] + dm[fallback_timeout] ))
expect_eq "offloaded folios = backend copied + backend fell back" "$(d offloaded_folios)" \
	"$(( dm[folios] + dm_fallback ))"
expect_eq "framework fallback_copy_failed = backend fallbacks" "$(d fallback_copy_failed)" "$dm_fallback"
[ "$(d offloaded_folios)" -gt 0 ] || fail "nothing was offloaded"
[ "${dm[descriptors_failed]}" -gt 0 ] || fail "no injected fault reached the backend"
[ "$(d fallback_copy_failed)" -gt 0 ] || fail "no copy fell back to the CPU"

# The guest still works, and everything unloads.
timeout 60 "$BIN/migrate_verify" --size 4 anon thp > /dev/null || fail "the guest no longer migrates"
[ -e $PINS/link ] && fail "a policy is still attached"
unload_dma
for m in sw_dma dma_migrator; do
	[ -d /sys/module/$m ] && fail "$m still loaded"
done
splats=$(dmesg | grep -cEf "$TOP/scripts/splat-patterns")
[ "$splats" = 0 ] || { dmesg | grep -Ef "$TOP/scripts/splat-patterns" | head; }

mig1=$(vmstat pgmigrate_success) nb1=$(vmstat numa_pages_migrated)
read -r mp c < $out/migratepages
echo "stress: ${seconds}s, migrations=$((mig1 - mig0)) batched_folios=$(d folios)" \
	"offloaded=$(d offloaded_folios) bytes_verified=$verified faults_injected=${dm[injected]}" \
	"policy_swaps=$(cat $out/swaps) backend_reloads=$(cat $out/reloads)" \
	"numa_balancing=$((nb1 - nb0)) migratepages=$mp compactions=$c stress_ng_ops=$sng_ok(+$sng_nomem ENOMEM,+$sng_cut cut off)" \
	"node_fills=$(cat $out/fills) nomem_pages=$nomem" \
	"splats=$splats bytes_lost=$lost"
[ "$splats" = 0 ] || fail "the kernel reported problems"
[ "$lost" = 0 ] || fail "bytes lost"
