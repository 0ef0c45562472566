#!/bin/bash
# The guest half of `make bench` (scripts/bench.sh): move_pages(2)
# throughput of a working set for each folio size and each mode, and the
# memcpy() of the same working set, REPS times with the modes interleaved
# (rep 1 of every mode, then rep 2, ...), so that a slow spell of the host
# hits all modes alike. Appends "mode=M sample ..." lines (migrate_bench's)
# and "info KEY=VALUE" lines to OUT.
#
# With --icount (`make bench BENCH_CLOCK=icount`, a guest whose clock
# counts instructions), ns are instructions: no memcpy, 4 KiB and 2 MiB
# only, migrate_bench pinned to CPU 0, and each sample preceded by an
# untimed run of the same kind, so that every sample finds the page
# allocator's per-CPU lists and the LRU caches in the same state.
#
# In a guest with a lower memory tier (vmtest.sh --tiers), also demotion
# under reclaim, kinds d4k and d2m: MIB MiB of 4 KiB
# pages or of THPs written on node 0 by a task in a memory cgroup, then
# reclaimed from the cgroup with a write to its memory.reclaim; a sample is
# the bytes that reached the lower tier over the time the write took (the
# reclaiming task's time), every byte checked after (tier_verify).
#
# Usage: tests/bench-guest.sh [--icount] OUT REPS MIB MODE...
#   stock   the stock kernel (no series): the kernel's per-folio copy
#   nomig   our kernel, no migrator: the per-folio copy, as stock
#   tm      the test migrator copies every folio with the CPU, its built-in
#           can_migrate_dma() decides: the baseline of the policy's cost
#   size0   the same with the BPF policy `size` (min_order=0) deciding
#           every folio in can_migrate_dma()
#   always  the same with the BPF policy `always`, which decides once per
#           batch in decide_batch()
#   dma1    the `size` policy (THPs to DMA) and dma_migrator over sw_dma,
#           1 channel
#   dma2    the same with 2 channels
TOP=$(cd "$(dirname "$0")/.." && pwd)
. "$TOP/tests/lib.sh"
icount=0
[ "${1:-}" = --icount ] && { icount=1; shift; }
out=${1:?usage: bench-guest.sh [--icount] OUT REPS MIB MODE...}
reps=${2:?}
mib=${3:?}
shift 3
modes=("$@")
MIGCTL=$TOP/build/obj/loader/migctl
THP=/sys/kernel/mm/transparent_hugepage
quiet_mm

kinds=(4k)
[ $icount = 0 ] && [ -w $THP/hugepages-64kB/enabled ] && [ -w $THP/hugepages-2048kB/enabled ] && kinds+=(64k)
kinds+=(2m)
slow=$(slow_node)
[ -n "$slow" ] && kinds+=(d4k d2m)
CGB=/sys/fs/cgroup/bench_demote
run=("$BIN/migrate_bench")
[ $icount = 1 ] && run=(taskset -c 0 "$BIN/migrate_bench")

info() { echo "info $1=$2" >> "$out"; }
tdiff() {	# tdiff T0 T1: seconds from $EPOCHREALTIME T0 to T1
	local us=$(( ${2/./} - ${1/./} ))
	printf '%d.%02d' $((us / 1000000)) $((us % 1000000 / 10000))
}
info kernel "$(uname -r)"
info cpus "$(nproc)"
info nodes "$(ls -d /sys/devices/system/node/node[0-9]* | wc -l)"
info cpu_model "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1 | tr ' ' '_')"
info erms "$(grep -qw erms /proc/cpuinfo && echo yes || echo no)"
info fsrm "$(grep -qw fsrm /proc/cpuinfo && echo yes || echo no)"
info kinds "$(IFS=,; echo "${kinds[*]}")"
info mib "$mib"
info clock "$([ $icount = 1 ] && echo icount || echo wall)"
info reps "$reps"

setup() {	# setup MODE: make the kernel migrate the way MODE says
	case $1 in
	stock|nomig) ;;
	tm) load_migrator min_order=0 ;;
	always)
		load_migrator min_order=0
		"$MIGCTL" attach always || fail "migctl attach always" ;;
	size0)
		load_migrator min_order=0
		"$MIGCTL" attach size --set min_order=0 || fail "migctl attach size" ;;
	dma1|dma2)
		load_dma "nr_chans=${1#dma}" ""
		"$MIGCTL" attach size --set min_order=9 || fail "migctl attach size" ;;
	*) fail "unknown mode $1" ;;
	esac
}

teardown() {
	case $1 in
	always|size0|dma1|dma2) "$MIGCTL" detach || fail "migctl detach" ;;
	esac
	case $1 in
	tm|always|size0) unload_migrator ;;
	dma1|dma2) unload_dma ;;
	esac
}

# demote MODE KIND: one demotion sample (kinds d4k, d2m), its line to $out;
# with --icount after an untimed one, pinned to CPU 0 as migrate_bench
demote() {
	[ $icount = 1 ] && demote_once "$@"
	demote_once "$@"
	echo "$sample" >> "$out"
}

demote_once() {	# demote_once MODE KIND: the sample line in $sample
	local s tvk=anon on ns tv=("$BIN/tier_verify")
	[ "$2" = d2m ] && tvk=thp
	[ $icount = 1 ] && tv=(taskset -c 0 "$BIN/tier_verify")
	grep -qw memory /sys/fs/cgroup/cgroup.subtree_control ||
		echo +memory > /sys/fs/cgroup/cgroup.subtree_control
	mkdir -p $CGB
	s=$(in_cgroup bench_demote "${tv[@]}" --size "$mib" --kind $tvk --place 0 \
		--expect "$slow" --percent 50 --timeout 600 \
		--exec "echo ${mib}M > $CGB/memory.reclaim") ||
		{ echo "$s"; rmdir $CGB; fail "demotion ($1, $2)"; }
	rmdir $CGB
	on=$(echo "$s" | sed -n 's/^tier_verify: .* on_expect=\([0-9]*\) .*/\1/p')
	# the reclaiming task's time; with --icount its CPU time, in
	# instructions (its sleeps would add the clock's jumps over idle time)
	if [ $icount = 1 ]; then
		ns=$(echo "$s" | sed -n 's/^tier_verify: .* exec_cpu_ns=\([0-9]*\) .*/\1/p')
	else
		ns=$(echo "$s" | sed -n 's/^tier_verify: .* exec_ns=\([0-9]*\) .*/\1/p')
	fi
	[ -n "$on" ] && [ -n "$ns" ] && [ "$ns" -gt 0 ] || { echo "$s"; fail "demotion ($1, $2): no sample"; }
	sample="mode=$1 sample kind=$2 folio=$([ $tvk = thp ] && echo 2097152 || echo 4096) bytes=$((on * 4096)) folios=$([ $tvk = thp ] && echo $((on / 512)) || echo "$on") ns=$ns"
}

one() {	# one MODE KIND: one repetition, its sample line to $out
	local s
	case $2 in d4k|d2m) demote "$@"; return ;; esac
	if [ "$2" = 64k ]; then
		echo never > $THP/hugepages-2048kB/enabled
		echo always > $THP/hugepages-64kB/enabled
	fi
	if [ $icount = 1 ]; then
		"${run[@]}" --size "$mib" "$2" > /dev/null || fail "migrate_bench $2 ($1), untimed run"
	fi
	s=$("${run[@]}" --size "$mib" "$2") || { echo "$s"; fail "migrate_bench $2 ($1)"; }
	if [ "$2" = 64k ]; then
		echo never > $THP/hugepages-64kB/enabled
		echo inherit > $THP/hugepages-2048kB/enabled
	fi
	echo "$s" | grep '^sample ' | sed "s/^/mode=$1 /" >> "$out"
}

# The policy's own time per decision, from the kernel's BPF run-time
# statistics (kernel.bpf_stats_enabled): one extra 4 KiB run of `always`,
# after its last timed one.
bpf_stats() {
	echo 1 > /proc/sys/kernel/bpf_stats_enabled
	"$BIN/migrate_bench" --size "$mib" 4k > /dev/null || fail "migrate_bench (bpf stats)"
	echo 0 > /proc/sys/kernel/bpf_stats_enabled
	# "ID: struct_ops  name NAME  tag ...  run_time_ns N run_cnt N"
	"$BPFTOOL" prog show | sed -n \
		's/^[0-9]*: struct_ops  *name \([^ ]*\) .*run_time_ns \([0-9]*\) run_cnt \([0-9]*\).*/info bpf_prog=\1\ninfo bpf_run_time_ns=\2\ninfo bpf_run_cnt=\3/p' >> "$out"
}

for r in $(seq "$reps"); do
	echo "# rep $r of $reps"
	[ $icount = 0 ] && one memcpy memcpy
	for m in "${modes[@]}"; do
		t0=$EPOCHREALTIME
		setup "$m"
		t1=$EPOCHREALTIME
		for k in "${kinds[@]}"; do
			one "$m" "$k"
		done
		t2=$EPOCHREALTIME
		[ "$m" = always ] && [ "$r" = "$reps" ] && [ $icount = 0 ] && bpf_stats
		teardown "$m"
		echo "# $m: set-up $(tdiff "$t0" "$t1") s, runs $(tdiff "$t1" "$t2") s, tear-down $(tdiff "$t2" "$EPOCHREALTIME") s"
	done
done
exit 0
