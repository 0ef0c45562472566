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
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
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

# The user processes, without this script, its ancestors (the runner and
# its subshells) and what it runs: every process but those descending from
# this script or from kthreadd (pid 2), or on the way up from this script.
procs() {
	ps -e -o pid=,ppid=,args= | awk -v me=$$ '
		{ pid[NR] = $1; parent[$1] = $2; line[NR] = $0 }
		END {
			for (p = me; p > 1 && (p in parent); p = parent[p])
				up[p]
			for (i = 1; i <= NR; i++) {
				if (pid[i] in up)
					continue
				for (p = pid[i]; p > 1; p = parent[p])
					if (p == me || p == 2 || !(p in parent))
						break
				if (p != me && p != 2)
					print line[i]
			}
		}'
}
modules() { awk '{ print $1 }' /proc/modules; }
cgroups() { find $CG -mindepth 1 -type d | sort; }
pins() { find $BPFFS -mindepth 1 | sort; }

if [ "$1" = save ]; then
	mkdir -p "$dir" || exit 2
	procs | awk '{ print $1 }' > "$dir/pids"
	modules > "$dir/modules"
	cgroups > "$dir/cgroups"
	pins > "$dir/pins"
	for k in $knobs; do
		[ -r "$k" ] && echo "$k $(cat "$k")"
	done > "$dir/knobs"
	exit 0
fi
[ "$1" = restore ] || usage
[ -r "$dir/pids" ] || { echo "guest-reset.sh: no saved state in $dir" >&2; exit 2; }

left=0
stuck=0
said() { echo "left behind: $*"; left=1; }
unsolved() { echo "cannot remove: $*"; stuck=1; }

# Processes first: they hold cgroups, policies and modules.
new_pids() { procs | awk 'NR == FNR { old[$1]; next } !($1 in old)' "$dir/pids" -; }
mapfile -t extra < <(new_pids)
if [ ${#extra[@]} -gt 0 ]; then
	for p in "${extra[@]}"; do
		said "process $p"
	done
	mapfile -t pids < <(printf '%s\n' "${extra[@]}" | awk '{ print $1 }')
	kill -KILL "${pids[@]}" 2>/dev/null
	for _ in $(seq 50); do
		kill -0 "${pids[@]}" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "${pids[@]}" 2>/dev/null && unsolved "processes ${pids[*]} outlive SIGKILL"
fi

# An attached policy: through migctl when it attached it, else by unpinning.
if [ -r $MD/policy ] && [ "$(cat $MD/policy)" != none ]; then
	said "policy $(cat $MD/policy) attached"
	[ -e $BPFFS/migrator/link ] && "$top/build/obj/loader/migctl" detach > /dev/null
fi
while read -r p; do
	[ -n "$p" ] || continue
	said "bpffs entry $p"
	rm -rf "$p" || unsolved "bpffs entry $p"
done < <(pins | comm -13 "$dir/pins" -)
if [ -r $MD/policy ]; then
	for _ in $(seq 50); do
		[ "$(cat $MD/policy)" = none ] && break
		sleep 0.1
	done
	[ "$(cat $MD/policy)" = none ] || unsolved "policy $(cat $MD/policy), with no pin left"
fi

# Modules, newest first (/proc/modules lists them so).
while read -r m; do
	[ -n "$m" ] || continue
	said "module $m"
	rmmod "$m" || unsolved "module $m"
done < <(modules | grep -vxFf "$dir/modules")

# Cgroups, children before parents.
while read -r c; do
	[ -n "$c" ] || continue
	said "cgroup $c"
	rmdir "$c" || unsolved "cgroup $c"
done < <(cgroups | comm -13 "$dir/cgroups" - | sort -r)

# DAMON: none runs when the tests start.
if [ -r $DAMON/nr_kdamonds ] && [ "$(cat $DAMON/nr_kdamonds)" != 0 ]; then
	said "$(cat $DAMON/nr_kdamonds) DAMON kdamond(s)"
	for k in $DAMON/[0-9]*; do
		[ "$(cat "$k/state")" = off ] || echo off > "$k/state" ||
			unsolved "DAMON kdamond $k"
	done
	echo 0 > $DAMON/nr_kdamonds || unsolved "DAMON kdamonds"
fi

while read -r k v; do
	[ "$(cat "$k")" = "$v" ] || echo "$v" > "$k"
done < "$dir/knobs"

[ $stuck = 1 ] && exit 2
exit $left
