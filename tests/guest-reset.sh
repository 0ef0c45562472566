#!/bin/bash
# Keeps one guest test from failing the next: tests/run-guest.sh records the
# guest's state before the first test ("save DIR") and puts it back after
# each test ("restore DIR"). What a test left behind is printed, one line
# each, and removed:
#   - processes it started that still run (killed);
#   - modules it loaded (unloaded, newest first);
#   - a migration policy still attached, and bpffs pins (detached, unpinned);
#   - cgroups it made (removed);
#   - DAMON contexts (kdamonds stopped and removed);
#   - vm.nr_hugepages, kernel.numa_balancing, vm.compaction_proactiveness,
#     /sys/kernel/mm/numa/demotion_enabled and NUMA balancing's scan delay
#     and period in debugfs (set back; tests change these on purpose, so
#     they are not reported).
# Exit status 1 when something was left behind, 2 when it could not be
# removed, 0 otherwise.
#
# It runs after every test, so it reads the guest's state with bash's
# builtins alone: on the debug kernel under TCG each fork and exec costs
# about 0.4 s, and the ps/find/awk/comm version of this script spent 6 s
# per test there, a tenth of the CI's time on that kernel.
set -u
shopt -s nullglob dotglob
case $0 in */*) top=${0%/*}/.. ;; *) top=.. ;; esac
MD=/sys/kernel/mm/migrate_dma
CG=/sys/fs/cgroup
BPFFS=/sys/fs/bpf
DAMON=/sys/kernel/mm/damon/admin/kdamonds
knobs="/proc/sys/vm/nr_hugepages /proc/sys/kernel/numa_balancing
	/proc/sys/vm/compaction_proactiveness /sys/kernel/mm/numa/demotion_enabled
	/sys/kernel/debug/sched/numa_balancing/scan_delay_ms
	/sys/kernel/debug/sched/numa_balancing/scan_period_min_ms"

usage() { echo "usage: guest-reset.sh save|restore DIR" >&2; exit 2; }
[ $# = 2 ] || usage
dir=$2

# PROCS: the user processes, without this script, its ancestors (the
# runner and its subshells) and what it runs: every process but those
# descending from this script or from kthreadd (pid 2), or on the way up
# from this script. From /proc/PID/stat: "PID (COMM) STATE PPID ...", where
# COMM may hold spaces and parentheses.
procs() {
	local -A parent=() up=()
	local d line p
	PROCS=()
	for d in /proc/[0-9]*; do
		read -r line < "$d/stat" 2>/dev/null || continue
		line=${line##*) }
		line=${line#* }
		parent[${d#/proc/}]=${line%% *}
	done
	for ((p = $$; p > 1; p = ${parent[$p]:-0})); do
		up[$p]=1
	done
	for d in "${!parent[@]}"; do
		[ -z "${up[$d]:-}" ] || continue
		for ((p = d; p > 1; p = parent[$p])); do
			if [ "$p" = $$ ] || [ "$p" = 2 ] || [ -z "${parent[$p]:-}" ]; then
				break
			fi
		done
		if [ "$p" != $$ ] && [ "$p" != 2 ]; then
			PROCS+=("$d")
		fi
	done
	return 0
}
# MODULES: the loaded modules, newest first (as /proc/modules lists them)
modules() {
	local l
	MODULES=()
	while read -r l _; do MODULES+=("$l"); done < /proc/modules
}
# TREE: DIR's directories (DIRS_ONLY=1) or entries below it, each before
# what is below it; symbolic links are not followed
tree() {
	local e
	for e in "$1"/*; do
		[ -L "$e" ] && continue
		if [ -d "$e" ]; then
			TREE+=("$e")
			tree "$e"
		elif [ "$DIRS_ONLY" = 0 ]; then
			TREE+=("$e")
		fi
	done
}
cgroups() { TREE=(); DIRS_ONLY=1 tree $CG; }
pins() { TREE=(); DIRS_ONLY=0 tree $BPFFS; }
# save_list FILE ITEM...: the ITEMs in FILE, one per line
save_list() {
	local f=$1
	shift
	: > "$f"
	[ $# = 0 ] || printf '%s\n' "$@" > "$f"
}
# load_old FILE: the associative array OLD holds FILE's lines
declare -A OLD
load_old() {
	local l
	OLD=()
	while IFS= read -r l; do OLD["$l"]=1; done < "$1"
}
# new_items ITEM...: NEW holds the ITEMs not in OLD
new_items() {
	local i
	NEW=()
	for i in "$@"; do [ -n "${OLD["$i"]:-}" ] || NEW+=("$i"); done
}

if [ "$1" = save ]; then
	mkdir -p "$dir" || exit 2
	procs
	save_list "$dir/pids" "${PROCS[@]}"
	modules
	save_list "$dir/modules" "${MODULES[@]}"
	cgroups
	save_list "$dir/cgroups" "${TREE[@]}"
	pins
	save_list "$dir/pins" "${TREE[@]}"
	for k in $knobs; do
		[ -r "$k" ] && read -r v < "$k" && echo "$k $v"
	done > "$dir/knobs"
	exit 0
fi
[ "$1" = restore ] || usage
[ -r "$dir/pids" ] || { echo "guest-reset.sh: no saved state in $dir" >&2; exit 2; }

left=0
stuck=0
said() { echo "left behind: $*"; left=1; }
unsolved() { echo "cannot remove: $*"; stuck=1; }
read_policy() { policy=; [ -r $MD/policy ] && read -r policy < $MD/policy; }

# Processes first: they hold cgroups, policies and modules.
load_old "$dir/pids"
procs
new_items "${PROCS[@]}"
if [ ${#NEW[@]} -gt 0 ]; then
	pids=("${NEW[@]}")
	for p in "${pids[@]}"; do
		args=()
		[ -r "/proc/$p/cmdline" ] && mapfile -d '' -t args < "/proc/$p/cmdline"
		said "process $p ${args[*]}"
	done
	kill -KILL "${pids[@]}" 2>/dev/null
	for _ in {1..50}; do
		kill -0 "${pids[@]}" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "${pids[@]}" 2>/dev/null && unsolved "processes ${pids[*]} outlive SIGKILL"
fi

# An attached policy: through migctl when it attached it, else by unpinning.
read_policy
if [ -n "$policy" ] && [ "$policy" != none ]; then
	said "policy $policy attached"
	[ -e $BPFFS/migrator/link ] && "$top/build/obj/loader/migctl" detach > /dev/null
fi
load_old "$dir/pins"
pins
new_items "${TREE[@]}"
for p in "${NEW[@]}"; do
	[ -e "$p" ] || continue		# under a directory removed before it
	said "bpffs entry $p"
	rm -rf "$p" || unsolved "bpffs entry $p"
done
read_policy
if [ -n "$policy" ]; then
	for _ in {1..50}; do
		[ "$policy" = none ] && break
		sleep 0.1
		read_policy
	done
	[ "$policy" = none ] || unsolved "policy $policy, with no pin left"
fi

# Modules, newest first.
load_old "$dir/modules"
modules
new_items "${MODULES[@]}"
for m in "${NEW[@]}"; do
	said "module $m"
	rmmod "$m" || unsolved "module $m"
done

# Cgroups, children before parents.
load_old "$dir/cgroups"
cgroups
new_items "${TREE[@]}"
for ((i = ${#NEW[@]} - 1; i >= 0; i--)); do
	said "cgroup ${NEW[i]}"
	rmdir "${NEW[i]}" || unsolved "cgroup ${NEW[i]}"
done

# DAMON: none runs when the tests start.
n=0
[ -r $DAMON/nr_kdamonds ] && read -r n < $DAMON/nr_kdamonds
if [ "$n" != 0 ]; then
	said "$n DAMON kdamond(s)"
	for k in "$DAMON"/[0-9]*; do
		read -r st < "$k/state"
		[ "$st" = off ] || echo off > "$k/state" || unsolved "DAMON kdamond $k"
	done
	echo 0 > $DAMON/nr_kdamonds || unsolved "DAMON kdamonds"
fi

while read -r k v; do
	read -r now < "$k"
	[ "$now" = "$v" ] || echo "$v" > "$k"
done < "$dir/knobs"

[ $stuck = 1 ] && exit 2
exit $left
