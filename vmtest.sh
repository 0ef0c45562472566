#!/usr/bin/env bash
# Boot the kernel built by `make kernel` in QEMU and run a command in it.
#
# The guest's root is the host's / over virtio-9p, read-only; the repository
# (and every --share DIR) is mounted read-write at its own absolute path, so
# every host tool and every build output works in the guest unchanged.  The
# command's exit status comes back over a second serial port.  A kernel oops,
# panic, WARNING, BUG, lockdep or KASAN report, or a hung guest, fails the run
# even when the command succeeded. One exception, exactly recognised
# (scripts/tcg-int3-fault.py): QEMU TCG's live-patching fault, an "Oops:
# int3" at a static key or static call site that the kernel had already
# patched, boots the guest once more (the command sees VMTEST_ATTEMPT=2 and
# what it kept in VMTEST_STATE); a second one fails the run.
#
# Exit status: the command's; 124 when the guest timed out; 125 when the
# guest died before reporting a status; 1 when the command succeeded but the
# kernel printed a splat; 2 for a usage error.
set -euo pipefail

top=$(cd "$(dirname "$0")" && pwd)

usage() {
	cat <<EOF
usage: ${0##*/} [--debug|--stock] [--cpus N] [--mem SIZE] [--nodes N] [--tiers N]
       [--timeout S] [--share DIR]... [--append ARGS] [--shell] [-- CMD [ARGS...]]

  --debug        boot the debug kernel (make KERNEL_FLAVOR=debug)
  --stock        boot stock Linux 6.12 without the series (make kernel-stock)
  --cpus N       vCPUs (default 4)
  --mem SIZE     guest memory, e.g. 2G or 1536M (default 2G)
  --nodes N      NUMA nodes; vCPUs and memory are split evenly (default 2)
  --tiers N      also N CPU-less memory nodes, slower and narrower in the ACPI
                 HMAT, which the kernel puts in a lower memory tier (default 0);
                 memory is split evenly over all nodes, and demotion is enabled
  --timeout S    kill the guest after S seconds (default 1800)
  --share DIR    also mount DIR read-write at the same path (repeatable)
  --append ARGS  add ARGS to the kernel command line (e.g. swiotlb=force)
  --shell        interactive shell in the guest (after CMD, if one is given)
  -- CMD ARGS    command run as root in the repository's directory

environment: VMTEST_ACCEL=auto|kvm|tcg (default auto), VMTEST_KERNEL=bzImage,
  VMTEST_CPU=MODEL (QEMU -cpu; default host with KVM, max,-erms with TCG),
  VMTEST_TCG_RERUN=0 (do not boot again after QEMU TCG's live-patching fault),
  VMTEST_ICOUNT=1 (single-threaded TCG whose guest clock counts instructions)
EOF
}

die_usage() {
	echo "vmtest.sh: $*" >&2
	usage >&2
	exit 2
}

flavor=default
cpus=4
mem=2G
nodes=2
tiers=0
timeout_s=1800
shell=0
shares=()
extra_append=
cmd=()

need_arg() {
	[ $# -ge 2 ] && [ -n "$2" ] || die_usage "$1 needs a value"
}

while [ $# -gt 0 ]; do
	case "$1" in
	--debug) flavor=debug ;;
	--stock) flavor=stock ;;
	--cpus) need_arg "$@"; cpus=$2; shift ;;
	--mem) need_arg "$@"; mem=$2; shift ;;
	--nodes) need_arg "$@"; nodes=$2; shift ;;
	--tiers) need_arg "$@"; tiers=$2; shift ;;
	--timeout) need_arg "$@"; timeout_s=$2; shift ;;
	--share) need_arg "$@"; shares+=("$2"); shift ;;
	--append) need_arg "$@"; extra_append=$2; shift ;;
	--shell) shell=1 ;;
	-h|--help) usage; exit 0 ;;
	--) shift; cmd=("$@"); break ;;
	*) die_usage "unknown option '$1'" ;;
	esac
	shift
done

is_uint() { [[ $1 =~ ^[1-9][0-9]*$ ]]; }
is_uint "$cpus" && [ "$cpus" -le 64 ] || die_usage "--cpus: '$cpus' is not a number from 1 to 64"
is_uint "$nodes" && [ "$nodes" -le 8 ] || die_usage "--nodes: '$nodes' is not a number from 1 to 8"
is_uint "$timeout_s" || die_usage "--timeout: '$timeout_s' is not a positive number of seconds"
[[ $tiers =~ ^[0-9]+$ ]] && [ $((nodes + tiers)) -le 8 ] ||
	die_usage "--tiers: '$tiers' is not a number from 0 to $((8 - nodes)) (8 nodes at most in all)"
[ "$nodes" -le "$cpus" ] || die_usage "--nodes: $nodes nodes need at least $nodes vCPUs"
case "$mem" in
*[Gg]) mem_mb=${mem%[Gg]}; is_uint "$mem_mb" || die_usage "--mem: bad size '$mem'"; mem_mb=$((mem_mb * 1024)) ;;
*[Mm]) mem_mb=${mem%[Mm]}; is_uint "$mem_mb" || die_usage "--mem: bad size '$mem'" ;;
*) die_usage "--mem: bad size '$mem' (use e.g. 2G or 1536M)" ;;
esac
all_nodes=$((nodes + tiers))
[ "$mem_mb" -ge $((256 * all_nodes)) ] || die_usage "--mem: $mem is too small for $all_nodes nodes (256M each at least)"
for d in "${shares[@]}"; do
	[ -d "$d" ] || die_usage "--share: '$d' is not a directory"
done
[ ${#cmd[@]} -gt 0 ] || shell=1

case $flavor in
debug) kdir=$top/build/kernel-debug; ktarget=(kernel KERNEL_FLAVOR=debug) ;;
stock) kdir=$top/build/kernel-stock; ktarget=(kernel-stock) ;;
*) kdir=$top/build/kernel; ktarget=(kernel) ;;
esac
kernel=${VMTEST_KERNEL:-$kdir/arch/x86/boot/bzImage}
if [ ! -f "$kernel" ]; then
	echo "vmtest.sh: $kernel is not built; building it (make ${ktarget[*]})" >&2
	make -C "$top" "${ktarget[@]}" >&2
fi
command -v qemu-system-x86_64 >/dev/null ||
	{ echo "vmtest.sh: qemu-system-x86_64 not found; run 'make deps'" >&2; exit 1; }

mkdir -p "$top/build"
run=$(mktemp -d "$top/build/vmtest.XXXXXX")
console=$top/build/vmtest-console.log
[ "$flavor" = default ] || console=$top/build/vmtest-console-$flavor.log
qpid=
cleanup() {
	[ -z "$qpid" ] || kill "$qpid" 2>/dev/null || true
	rm -rf "$run"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Pick the accelerator.  /dev/kvm may exist while nested guests hang at the
# kernel's entry point, so KVM is used only if a probe boot prints the
# kernel's banner within a few seconds.
probe_kvm() {
	[ -w /dev/kvm ] || return 1
	local log=$run/probe.log
	(exec timeout 8 qemu-system-x86_64 -accel kvm -cpu host -m 256 -display none \
		-no-reboot -serial "file:$log" -kernel "$kernel" \
		-append "console=ttyS0 earlyprintk=serial panic=-1 root=/dev/null" \
		>/dev/null 2>&1) 2>/dev/null &
	local pid=$! i
	for i in $(seq 1 20); do
		if grep -q 'Linux version' "$log" 2>/dev/null; then
			kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
			return 0
		fi
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.25
	done
	kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
	return 1
}

case "${VMTEST_ACCEL:-auto}" in
kvm) accel=kvm ;;
tcg) accel=tcg ;;
auto) if probe_kvm 2>/dev/null; then accel=kvm; else accel=tcg; fi ;;
*) die_usage "VMTEST_ACCEL must be auto, kvm or tcg, not '${VMTEST_ACCEL}'" ;;
esac
if [ "$accel" = kvm ]; then
	cpu_model=${VMTEST_CPU:-host}
else
	# No ERMS: with it the kernel copies pages (migration, copy_mc, clear_page)
	# with `rep movsb`, which TCG runs one byte per step, 10-20 times slower
	# than the 8-byte loops the kernel uses without it.
	cpu_model=${VMTEST_CPU:-max,-erms}
fi
accel_args=(-accel "$accel" -cpu "$cpu_model")
[ "$accel" = kvm ] || accel_args[1]=tcg,thread=multi
# Counting instructions: one vCPU thread, and a guest clock that advances
# one nanosecond per instruction executed (idle time skipped), so that a
# time measured in the guest is an instruction count that repeats.
if [ "${VMTEST_ICOUNT:-0}" = 1 ]; then
	[ "$accel" = tcg ] || die_usage "VMTEST_ICOUNT=1 needs TCG (VMTEST_ACCEL=tcg)"
	accel_args=(-accel tcg,thread=single -cpu "$cpu_model" -icount shift=0,sleep=off)
	cpu_model+=", single-threaded, icount: 1 ns = 1 instruction"
fi

# NUMA: each node gets an equal share of vCPUs and memory (the first nodes
# take the remainders).  The CPU topology must agree with the nodes (a
# cache shared across nodes makes the scheduler WARN at boot): one socket
# per node when the vCPUs divide evenly, else one socket per vCPU.
if [ $((cpus % nodes)) = 0 ]; then
	smp="$cpus,sockets=$nodes,cores=$((cpus / nodes)),threads=1"
else
	smp="$cpus,sockets=$cpus,cores=1,threads=1"
fi
numa_args=()
cpu=0
for ((n = 0; n < all_nodes; n++)); do
	nm=$((mem_mb / all_nodes + (n == 0 ? mem_mb % all_nodes : 0)))
	numa_args+=(-object "memory-backend-ram,id=mem$n,size=${nm}M")
	if [ $n -lt "$nodes" ]; then
		nc=$((cpus / nodes + (n < cpus % nodes ? 1 : 0)))
		numa_args+=(-numa "node,nodeid=$n,cpus=$cpu-$((cpu + nc - 1)),memdev=mem$n")
		cpu=$((cpu + nc))
	else
		# A memory-only node: its initiator is a node with CPUs.
		numa_args+=(-numa "node,nodeid=$n,memdev=mem$n,initiator=$(((n - nodes) % nodes))")
	fi
done
# Memory tiers: 6.12 places a CPU-less node by its "abstract distance",
# which it computes from the HMAT's latency and bandwidth relative to the
# nodes with CPUs (memory_tier_late_init(), hmat_calculate_adistance()).
# DRAM: 80 ns and 20 GB/s local, 130 ns and 10 GB/s remote; the tier nodes,
# as CXL memory behind a switch: 250 ns and 5 GB/s from every CPU node.
# Only the local figures of the DRAM nodes and the best of the tier nodes
# count, which puts the tier nodes at about 12 times the distance of DRAM.
if [ "$tiers" -gt 0 ]; then
	numa_args+=(-machine hmat=on)
	for ((i = 0; i < nodes; i++)); do
		for ((t = 0; t < all_nodes; t++)); do
			if [ $t = $i ]; then lat=80 bw=20G
			elif [ $t -lt "$nodes" ]; then lat=130 bw=10G
			else lat=250 bw=5G
			fi
			numa_args+=(-numa "hmat-lb,initiator=$i,target=$t,hierarchy=memory,data-type=access-latency,latency=$lat"
				-numa "hmat-lb,initiator=$i,target=$t,hierarchy=memory,data-type=access-bandwidth,bandwidth=$bw")
		done
	done
fi

# Shared folders: the repository first, then --share DIRs.
fs_args=(-fsdev "local,id=root,path=/,security_model=none,readonly=on,multidevs=remap"
	-device "virtio-9p-pci,fsdev=root,mount_tag=/dev/root")
: > "$run/mounts"
i=0
for d in "$top" "${shares[@]}"; do
	d=$(cd "$d" && pwd)
	fs_args+=(-fsdev "local,id=share$i,path=$d,security_model=none,multidevs=remap"
		-device "virtio-9p-pci,fsdev=share$i,mount_tag=share$i")
	printf 'share%d %s\n' "$i" "$d" >> "$run/mounts"
	i=$((i + 1))
done

# $run/state outlives a reboot of the guest (below): a command can record
# its progress there (VMTEST_STATE) and resume from it (VMTEST_ATTEMPT=2).
mkdir "$run/state"
{
	printf 'cd %q\n' "$top"
	printf 'export VMTEST_STATE=%q VMTEST_ATTEMPT=$(cat %q)\n' "$run/state" "$run/attempt"
	if [ ${#cmd[@]} -gt 0 ]; then
		printf '%q ' "${cmd[@]}"
		printf '\n'
	fi
} > "$run/cmd"
echo "$shell" > "$run/shell"
printf '%s\n' "$kdir/modroot" > "$run/modroot"

append="console=ttyS0,115200 root=/dev/root rootfstype=9p"
append+=" rootflags=trans=virtio,version=9p2000.L,msize=512000,cache=loose ro"
append+=" init=$top/scripts/vm-init.sh vmtest.run=$run"
append+=" panic=-1 panic_on_warn=1 oops=panic"
# A soft lockup after 60 s (2 * watchdog_thresh) and a task blocked for
# 120 s (the config's) panic: under TCG a vCPU can lose its host thread for
# seconds, so the thresholds are wider than on hardware.
append+=" softlockup_panic=1 watchdog_thresh=30 sysctl.kernel.hung_task_panic=1"
append+=" transparent_hugepage=always hugepages=64 no_hash_pointers"
# vm-init.sh enables demotion to the lower tier.
[ "$tiers" = 0 ] || append+=" vmtest.tiers=$tiers"
[ -z "$extra_append" ] || append+=" $extra_append"

echo "vmtest: $(basename "$kernel") ($flavor), accel $accel (-cpu $cpu_model), $cpus vCPUs, ${mem_mb}M, $nodes nodes$([ "$tiers" = 0 ] || echo " + $tiers CPU-less in a lower tier")" >&2
qemu=(qemu-system-x86_64
	"${accel_args[@]}" -smp "$smp" -m "${mem_mb}M" "${numa_args[@]}"
	-display none -no-reboot -nodefaults -vga none
	-kernel "$kernel" -append "$append"
	-serial "file:$console" -serial "file:$run/status"
	-device virtio-serial-pci -device virtconsole,chardev=out
	"${fs_args[@]}")

# QEMU's multi-threaded TCG can run an int3 that the kernel's live patching
# already removed (scripts/tcg-int3-check.sh): the kernel dies of "Oops:
# int3" at a static key, static call or ftrace site. scripts/tcg-int3-fault.py
# recognises exactly that against the sites of the vmlinux that booted;
# such a run boots the guest once more, and only once. The command sees
# VMTEST_ATTEMPT=2 and what it left in VMTEST_STATE.
fault_sites() {
	local vmlinux=$kdir/vmlinux map=$kdir/System.map sites=$kdir/live-patch-sites
	[ -z "${VMTEST_KERNEL:-}" ] && [ -f "$vmlinux" ] && [ -f "$map" ] || return 1
	if [ ! -s "$sites" ] || [ "$sites" -ot "$vmlinux" ] ||
		[ "$sites" -ot "$top/scripts/tcg-int3-fault.py" ]; then
		"$top/scripts/tcg-int3-fault.py" sites "$vmlinux" "$map" > "$sites.tmp" &&
			mv "$sites.tmp" "$sites" || return 1
	fi
	echo "$sites"
}

# Splats: anything that means the kernel went wrong (one extended regular
# expression per line; the stress run counts them with the same list). A
# user program's fault, which the kernel only logs ("traps: PROG[PID]
# general protection fault ..."), is the program's to report in its exit
# status; the kernel's own is an "Oops: general protection fault".
splats=$top/scripts/splat-patterns

boot() {	# boot ATTEMPT: run the guest; sets qrc, rc and elapsed
	echo "$1" > "$run/attempt"
	: > "$console"
	: > "$run/status"
	local start
	start=$(date +%s.%N)
	set +e
	if [ "$shell" = 1 ] && [ -t 0 ]; then
		timeout --foreground -k 5 "$timeout_s" "${qemu[@]}" -chardev stdio,id=out,signal=off
	else
		timeout -k 5 "$timeout_s" "${qemu[@]}" -chardev stdio,id=out </dev/null
	fi
	qrc=$?
	set -e
	elapsed=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
	rc=$(sed -n 's/.*VMTEST_EXIT=\([0-9]\+\).*/\1/p' "$run/status" | tail -n 1)
}

boot 1
if [ "$accel" = tcg ] && [ "$shell" = 0 ] && [ "${VMTEST_TCG_RERUN:-1}" = 1 ] &&
	[ $qrc != 124 ] && [ $qrc != 137 ] &&
	grep -qEf "$splats" "$console" && sites=$(fault_sites) &&
	why=$("$top/scripts/tcg-int3-fault.py" check "$console" "$sites"); then
	cp "$console" "$console.tcg-fault"
	echo "vmtest: $why; console kept in $console.tcg-fault; booting the guest again, once" >&2
	boot 2
fi

if [ $qrc = 124 ] || [ $qrc = 137 ]; then
	echo "vmtest: guest timed out after ${timeout_s}s; console log: $console" >&2
	tail -n 40 "$console" >&2
	exit 124
fi
if grep -qEf "$splats" "$console"; then
	echo "vmtest: the kernel reported a problem; console log: $console" >&2
	line=$(grep -nEf "$splats" "$console" | head -n 1 | cut -d: -f1)
	sed -n "$((line > 10 ? line - 10 : 1)),$((line + 50))p" "$console" >&2
	if [ -z "$rc" ] || [ "$rc" = 0 ]; then
		exit 1
	fi
	exit "$rc"
fi
if [ -z "$rc" ]; then
	echo "vmtest: the guest stopped without reporting an exit status (qemu exit $qrc); console log: $console" >&2
	tail -n 40 "$console" >&2
	exit 125
fi
echo "vmtest: guest exit status $rc after ${elapsed}s" >&2
exit "$rc"
