# Shell helpers for guest tests (sourced).  Each test is a bash script run
# by tests/run-guest.sh: exit 0 passes, 77 skips (last line says why), any
# other status fails.
MD=/sys/kernel/mm/migrate_dma
BIN=${TESTS_BIN:-$TOP/build/obj/tests}
# Test modules built against the kernel the guest runs (the debug flavour
# has "-debug" in its release). Read with a builtin: a fork and exec costs
# a third of a second on the debug kernel under TCG.
read -r KREL < /proc/sys/kernel/osrelease
case "$KREL" in
*-debug) KMOD=$TOP/build/kernel-debug/kmod ;;
*) KMOD=$TOP/build/kernel/kmod ;;
esac

fail() { echo "FAIL: $*"; exit 1; }

# The debug kernel (KASAN, lockdep, DEBUG_VM) runs 2-4 times slower: tests
# leave out there what only costs time and that the kernel's checks do not
# add to.
debug_kernel() { case "$KREL" in *-debug) return 0 ;; esac; return 1; }
skip() { echo "SKIP: $*"; exit 77; }
# covered_by_stress WHAT: on the debug kernel, leave WHAT to 90-stress, which
# does it under more load (the CI time budget pays for one of the two)
covered_by_stress() {
	debug_kernel && skip "on the debug kernel 90-stress covers this ($*)"
	return 0
}
# loader_only WHAT: on the debug kernel, skip a test of migctl's or the
# tests' own behaviour: the kernel paths it reaches (struct_ops attach,
# replace and detach, the policies' maps, the memcg counters) the debug
# kernel runs in 44, 60-64, 73 and 90-stress
loader_only() {
	debug_kernel && skip "$*, not the kernel: the default kernel runs it"
	return 0
}

# memcg CGROUP...: each CGROUP (a path below /sys/fs/cgroup), made with
# the cgroups above it where missing, the memory controller enabled in
# each of those; fail if that cannot be done.
memcg() {
	local path part d
	for path in "$@"; do
		d=/sys/fs/cgroup
		for part in ${path//\// }; do
			grep -qw memory "$d/cgroup.subtree_control" ||
				echo +memory > "$d/cgroup.subtree_control" ||
				fail "cannot enable the memory controller in $d"
			d=$d/$part
			[ -d "$d" ] || mkdir "$d" || fail "cannot make the cgroup $d"
		done
	done
}

# in_cgroup CGROUP CMD...: CMD (a command or a shell function) run in a
# subshell that has moved itself into /sys/fs/cgroup/CGROUP
in_cgroup() {
	local g=$1
	shift
	(echo "$BASHPID" > "/sys/fs/cgroup/$g/cgroup.procs" || exit 1; "$@")
}

need_migrate_dma() {
	[ -d $MD ] || skip "kernel without CONFIG_DMA_MIGRATION ($MD missing)"
}

# Keep background migrations (NUMA balancing, proactive compaction) from
# moving pages while a test compares counters with what it migrated.
quiet_mm() {
	echo 0 > /proc/sys/kernel/numa_balancing 2>/dev/null
	echo 0 > /proc/sys/vm/compaction_proactiveness 2>/dev/null
}

# The framework's counters are /proc/vmstat's pgmigrate_dma_* events; tests
# name them without the prefix (offloaded_folios). They are read with
# builtins: a fork and exec costs tens of milliseconds under TCG, and tests
# read hundreds of them. /proc/vmstat is read to its end with mapfile, never
# with a `read` loop: bash seeks back after each `read` on a seekable file,
# the seq_file then makes the text anew, and once a counter before the
# wanted one has gained a digit the next line starts mid-line (01-lib-vmstat).
mdstat() {
	local l lines
	mapfile -t lines < /proc/vmstat
	for l in "${lines[@]}"; do
		[ "${l% *}" = "pgmigrate_dma_$1" ] && { echo "${l#* }"; return 0; }
	done
	fail "no pgmigrate_dma_$1 in /proc/vmstat"
}

# mdstats: "NAME VALUE" for every counter
mdstats() {
	local l lines
	mapfile -t lines < /proc/vmstat
	for l in "${lines[@]}"; do
		[ "${l#pgmigrate_dma_}" != "$l" ] && echo "${l#pgmigrate_dma_}"
	done
	return 0
}

# snap NAME: remember all counters as NAME_<counter>
snap() {
	local k v
	while read -r k v; do
		printf -v "${1}_$k" '%s' "$v"
	done < <(mdstats)
}

# snap_still NAME: snap NAME once the counters stay still for a second:
# background migrations (kcompactd, NUMA balancing faults still queued) may
# be counting, and a batch adds to its counters one after the other
snap_still() {
	local i f x y moving
	for i in $(seq 30); do
		snap "$1"; sleep 1; snap "${1}_next"
		moving=
		for f in $(mdstats | cut -d' ' -f1); do
			x=${1}_$f y=${1}_next_$f
			[ "${!x}" = "${!y}" ] || moving+=" $f"
		done
		[ -z "$moving" ] && return 0
		echo "# counters still moving:$moving"
	done
	fail "the counters did not stay still for a second in 60 s"
}

# vmstat ITEM: an item of /proc/vmstat
vmstat() { awk -v k="$1" '$1 == k { print $2 }' /proc/vmstat; }

# delta SNAP COUNTER: counter now minus its value in SNAP
delta() {
	local v="${1}_$2"
	echo $(( $(mdstat "$2") - ${!v} ))
}

expect_eq() {	# expect_eq WHAT GOT WANT
	if [ "$2" != "$3" ]; then
		fail "$1: got $2, expected $3"
	fi
	echo "$1 = $2"
}

load_migrator() {
	rmmod test_migrator 2>/dev/null
	insmod "$KMOD/test_migrator.ko" "$@" || fail "insmod test_migrator $*"
	[ "$(cat $MD/migrator)" = test_migrator ] || fail "migrator is '$(cat $MD/migrator)' after insmod"
}

unload_migrator() {
	rmmod test_migrator || fail "rmmod test_migrator"
	[ "$(cat $MD/migrator)" = kernel ] || fail "migrator is '$(cat $MD/migrator)' after rmmod"
}

tm() { cat /sys/kernel/debug/test_migrator/"$1"; }

BPFTOOL=$TOP/build/tools/bpftool/bpftool
BPFOBJ=$TOP/build/obj/bpf

need_bpf_policy() {
	need_migrate_dma
	[ -r $MD/policy ] || skip "kernel without the BPF migration policy ($MD/policy missing)"
}

# refused OBJECT EXPECTED-MESSAGE: `bpftool struct_ops register` of the BPF
# object must fail, and the verifier's log must give the reason.
refused() {
	local msg
	need_bpf_policy
	if msg=$("$BPFTOOL" struct_ops register "$BPFOBJ/$1.bpf.o" /sys/fs/bpf 2>&1); then
		rm -f "/sys/fs/bpf/$1"
		fail "$1 was loaded"
	fi
	if ! printf '%s\n' "$msg" | grep -q -- "$2"; then
		printf '%s\n' "$msg" | tail -n 15
		fail "$1: refused, but without '$2'"
	fi
	echo "$1: refused: $(printf '%s\n' "$msg" | grep -m1 -- "$2")"
	expect_eq "policy" "$(cat $MD/policy)" none
}

# The DMA backend (dma_migrator) over the software DMA engine (sw_dma).
DM=$MD/dma_migrator
SWSTATS=/sys/kernel/debug/sw_dma/stats

need_dma_backend() {
	need_migrate_dma
	modprobe -n -q sw_dma || skip "kernel without CONFIG_SW_DMA (no sw_dma module)"
	modprobe -n -q dma_migrator || skip "kernel without CONFIG_DMA_MIGRATOR (no dma_migrator module)"
}

# load_dma "SW_DMA PARAMS" "DMA_MIGRATOR PARAMS": both modules, fresh
load_dma() {
	unload_dma
	# shellcheck disable=SC2086 # parameters are words
	modprobe sw_dma $1 || fail "modprobe sw_dma $1"
	# shellcheck disable=SC2086
	modprobe dma_migrator ${2:-} || fail "modprobe dma_migrator ${2:-}"
	[ "$(cat $MD/migrator)" = dma_migrator ] || fail "migrator is '$(cat $MD/migrator)' after modprobe dma_migrator"
}

unload_dma() {
	rmmod test_migrator 2>/dev/null
	if [ -d /sys/module/dma_migrator ]; then
		rmmod dma_migrator || fail "rmmod dma_migrator"
	fi
	if [ -d /sys/module/sw_dma ]; then
		rmmod sw_dma || fail "rmmod sw_dma"
	fi
	[ "$(cat $MD/migrator)" = kernel ] || fail "migrator is '$(cat $MD/migrator)' after unloading"
}

# sw_dma knob NAME VALUE, dma_migrator knob: module parameters
swset() { echo "$2" > /sys/module/sw_dma/parameters/"$1" || fail "sw_dma $1=$2"; }
dmset() { echo "$2" > /sys/module/dma_migrator/parameters/"$1" || fail "dma_migrator $1=$2"; }

dmstat() { local v; read -r v < "$DM/stats/$1"; echo "$v"; }
swstat() {
	local k v
	while read -r k v; do
		[ "$k" = "$1" ] && echo "$v"
	done < "$SWSTATS"
}

# dsnap NAME: remember the counters of the framework (NAME_x), of the
# backend (NAME_dm_x) and of the engine (NAME_sw_x)
dsnap() {
	local f k v
	snap "$1"
	for f in "$DM"/stats/*; do
		read -r v < "$f"
		printf -v "${1}_dm_${f##*/}" '%s' "$v"
	done
	while read -r k v; do
		printf -v "${1}_sw_$k" '%s' "$v"
	done < "$SWSTATS"
}

ddelta() { local v="${1}_dm_$2"; echo $(( $(dmstat "$2") - ${!v} )); }
swdelta() { local v="${1}_sw_$2"; echo $(( $(swstat "$2") - ${!v} )); }

# dma_faults LABEL ARGS...: migrate ARGS, then every descriptor sw_dma
# failed must be one folio the backend gave back and the CPU copied (one
# descriptor per folio); the count is left in $injected, the snapshot in s
dma_faults() {
	local label=$1
	shift
	dsnap s
	migrate "$@"
	injected=$(swdelta s failed)
	echo "$label: moved $folios folios, $injected descriptors failed"
	expect_eq "$label: dma_migrator descriptors_failed" "$(ddelta s descriptors_failed)" "$injected"
	expect_eq "$label: dma_migrator fallback_status" "$(ddelta s fallback_status)" "$injected"
	expect_eq "$label: fallback_copy_failed" "$(delta s fallback_copy_failed)" "$injected"
	expect_eq "$label: dma_migrator folios" "$(ddelta s folios)" $((folios - injected))
}

# wait_migrator NAME: the active migrator becomes NAME within 5 s (work
# items, such as the DMA backend's breaker, change it asynchronously)
wait_migrator() {
	local _
	for _ in $(seq 50); do
		[ "$(cat $MD/migrator)" = "$1" ] && return
		sleep 0.1
	done
}

# migrate ARGS...: migrate_verify, which checks every page's node and every
# byte; its summary is left in $folios and $bytes
migrate() {
	local out
	out=$("$BIN/migrate_verify" "$@") ||
		{ echo "$out"; fail "migrate_verify $*: migration lost or misplaced data"; }
	echo "$out" | grep -v '^moved'
	folios=$(echo "$out" | sed -n 's/^moved folios=\([0-9]*\) .*/\1/p')
	bytes=$(echo "$out" | sed -n 's/^moved .* bytes=\([0-9]*\)/\1/p')
	[ -n "$folios" ] && [ "$folios" -gt 0 ] || fail "migrate_verify $*: nothing moved"
}

# --- Tiered memory: a guest booted with vmtest.sh --tiers (tests *-tiers) ---
MT=/sys/devices/virtual/memory_tiering

# memory_tiers: the guest's memory tier directories, fastest first (in
# memory_tierN, the larger N, the slower the tier)
memory_tiers() {
	local t
	for t in "$MT"/memory_tier*; do
		[ -d "$t" ] && echo "${t##*memory_tier} $t"
	done | sort -n | cut -d' ' -f2
}

# slow_node: the first node of the lowest memory tier, if there are two
# tiers or more; nothing otherwise
slow_node() {
	local tiers nl
	mapfile -t tiers < <(memory_tiers)
	[ ${#tiers[@]} -ge 2 ] || return 0
	read -r nl < "${tiers[-1]}/nodelist"
	echo "${nl%%[,-]*}"
}

# need_tiers: the guest has a lower memory tier; sets FAST, a node of the
# top tier with CPUs (0), and SLOW, the first node of the lowest tier
need_tiers() {
	SLOW=$(slow_node)
	[ -n "$SLOW" ] ||
		skip "$(memory_tiers | wc -l) memory tier(s); make test boots a tiered guest (vmtest.sh --tiers 1) for this test"
	FAST=0
	[ "$(cat /sys/kernel/mm/numa/demotion_enabled)" = true ] ||
		fail "demotion is not enabled in a tiered guest"
}

# tier_test: the start of a tiered-memory test with the DMA backend and a
# BPF policy: skips without a lower tier, the backend or BPF policies; on
# exit the policy is detached and the backend unloaded
tier_test() {
	need_tiers
	need_dma_backend
	need_bpf_policy
	quiet_mm
	trap '"$TOP/build/obj/loader/migctl" detach >/dev/null 2>&1; unload_dma 2>/dev/null' EXIT
}

# promotion_on: NUMA balancing in tiering mode (kernel.numa_balancing=2),
# scanning every 100 ms from the start rather than every second, so that
# hot folios on the lower tier are promoted within seconds under TCG
# (tests/guest-reset.sh sets all three back after the test)
promotion_on() {
	local nb=/sys/kernel/debug/sched/numa_balancing
	[ -d $nb ] || skip "no $nb (CONFIG_SCHED_DEBUG)"
	echo 100 > $nb/scan_delay_ms
	echo 100 > $nb/scan_period_min_ms
	echo 2 > /proc/sys/kernel/numa_balancing || fail "numa_balancing=2"
}

# The batch copies by migration reason: pgmigrate_dma_REASON_ITEM in
# /proc/vmstat for REASON demotion, numa, damon and syscall (the others are
# counted in the totals only). ITEM folios and bytes are offloaded + cpu.
RSTAT_ITEMS="offloaded_folios offloaded_bytes cpu_folios cpu_bytes fallback_folios fallback_bytes"

# rstat REASON ITEM: one of them
rstat() {
	local a b
	case $2 in
	folios|bytes)
		a=$(vmstat "pgmigrate_dma_$1_offloaded_$2")
		b=$(vmstat "pgmigrate_dma_$1_cpu_$2")
		[ -n "$a" ] && [ -n "$b" ] || fail "no pgmigrate_dma_$1_*_$2 in /proc/vmstat"
		echo $((a + b)) ;;
	*)
		a=$(vmstat "pgmigrate_dma_$1_$2")
		[ -n "$a" ] || fail "no pgmigrate_dma_$1_$2 in /proc/vmstat"
		echo "$a" ;;
	esac
}

# rsnap NAME REASON: remember REASON's counters as NAME_r_ITEM
rsnap() {
	local i
	for i in $RSTAT_ITEMS folios bytes; do
		printf -v "${1}_r_$i" '%s' "$(rstat "$2" "$i")"
	done
}

# rdelta SNAP REASON ITEM: the counter now minus its value in SNAP
rdelta() { local v="${1}_r_$3"; echo $(( $(rstat "$2" "$3") - ${!v} )); }

# tier CGROUP ARGS...: tier_verify in CGROUP ("" for the test's own), which
# checks where the pages went and every byte; the closing line's on_expect
# (the pages that reached the node expected) is left in $on_expect. When it
# fails, tier_diag, if the test defines it, prints what may explain why.
tier() {
	local g=$1 out rc
	shift
	if [ -n "$g" ]; then
		out=$(in_cgroup "$g" "$BIN/tier_verify" "$@")
	else
		out=$("$BIN/tier_verify" "$@")
	fi
	rc=$?
	echo "$out" | grep -v '^tier_verify:'
	if [ $rc != 0 ]; then
		echo "$out" | grep '^tier_verify:'
		# A test may say more about why the pages did not arrive.
		declare -F tier_diag > /dev/null && tier_diag
		fail "tier_verify $*"
	fi
	on_expect=$(echo "$out" | sed -n 's/^tier_verify: .* on_expect=\([0-9]*\) .*/\1/p')
}

# reason_policy TUNABLE: attach the built-in policy "reason" offloading only
# the migrations of TUNABLE (demotion, numa_balancing, damon, syscall, ...):
# then every folio the policy hands to the migrator is one of that reason
reason_policy() {
	local sets=() t
	for t in syscall mbind numa_balancing demotion damon compaction hotplug contig_range longterm_pin; do
		sets+=(--set "$t=$([ "$t" = "$1" ] && echo 1 || echo 0)")
	done
	"$TOP/build/obj/loader/migctl" attach reason "${sets[@]}" > /dev/null ||
		fail "migctl attach reason ${sets[*]}"
}

# check_reason SNAP REASON WHAT: after a migration of REASON (the folios
# the kernel counted for it since SNAP), with the DMA backend and
# reason_policy: folios of that reason were batched and offloaded, the
# policy handed over exactly those, and the engine copied them
check_reason() {
	local s=$1 reason=$2 what=$3 f off pdma
	f=$(rdelta "$s" "$reason" folios)
	off=$(rdelta "$s" "$reason" offloaded_folios)
	pdma=$(delta "$s" policy_dma)
	echo "$what: $reason: $f folios ($(rdelta "$s" "$reason" bytes) bytes), $off offloaded, $(rdelta "$s" "$reason" cpu_folios) by the CPU, $(rdelta "$s" "$reason" fallback_folios) fell back"
	[ "$f" -gt 0 ] || fail "$what: no batch copy counted for $reason"
	[ "$off" -gt 0 ] || fail "$what: nothing offloaded for $reason"
	expect_eq "$what: folios the policy offloaded" "$pdma" "$off"
	expect_eq "$what: $reason folios = offloaded + cpu" "$f" \
		$((off + $(rdelta "$s" "$reason" cpu_folios)))
	[ "$(ddelta "$s" folios)" -ge $((off - $(rdelta "$s" "$reason" fallback_folios))) ] ||
		fail "$what: dma_migrator copied $(ddelta "$s" folios) folios, fewer than the $off offloaded"
}
