#!/bin/bash
# Does this QEMU's multi-threaded TCG run Linux's live code patching
# correctly? Boots the guest and patches kernel text over and over while
# every vCPU runs the patched code:
#   (default)    switches the sched_switch tracepoint on and off (a static
#                key patched with text_poke_bp()'s int3 protocol) while every
#                vCPU switches tasks; upstream code, no module loaded;
#   --migrator   loads and unloads the test migrator (migrator_start_offloading(),
#                migrator_stop_offloading()) while every vCPU migrates pages: does
#                the series patch text when a migrator comes and goes?
#
# On this project's machine, QEMU 7.2 (Debian bookworm) and 10.0
# (bookworm-backports) with -accel tcg,thread=multi, the default mode kills
# the guest within seconds to a minute with "Oops: int3" at a tracepoint
# site such as ttwu_do_activate, with any -cpu model: a vCPU executes the
# int3 after the patching CPU has removed it and synchronised every CPU,
# which hardware cannot do. scripts/tcg-int3-fault.py recognises that oops,
# and vmtest.sh boots a guest it kills once more; this script asks vmtest.sh
# not to, and says whether the recogniser took the oops for the fault.
#
# Usage: scripts/tcg-int3-check.sh [--migrator] [SECONDS] [vmtest.sh options]
# Exit 0 when the guest survives SECONDS (default 60) of patching, 1 when
# it does not, 2 on bad usage.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
mode=tracepoint
if [ "${1:-}" = --migrator ]; then
	mode=migrator
	shift
fi
secs=${1:-60}
case $secs in
'' | *[!0-9]*) echo "tcg-int3-check.sh: SECONDS must be a number, not '$secs'" >&2; exit 2 ;;
esac
shift $(( $# > 0 ? 1 : 0 ))
if [ $mode = tracepoint ]; then
	guest=$(cat << 'EOF'
ev=/sys/kernel/tracing/events/sched/sched_switch/enable
for i in 1 2 3 4; do (yes | dd of=/dev/null bs=1 status=none) & done
end=$(( $(date +%s) + SECS ))
n=0
while [ "$(date +%s)" -lt $end ]; do
	echo 1 > $ev && echo 0 > $ev || exit 1
	n=$((n + 1))
done
pkill yes
echo "tcg-int3-check: $n switches of sched_switch in SECS s, guest alive"
EOF
)
else
	guest=$(cat << 'EOF'
TOP=$(pwd) . tests/lib.sh
need_migrate_dma
stop=/tmp/stop
for i in 1 2 3 4; do
	(while [ ! -e $stop ]; do "$BIN/migrate_verify" --size 4 --rounds 4 anon thp > /dev/null || exit 1; done) &
done
end=$(( $(date +%s) + SECS ))
n=0
while [ "$(date +%s)" -lt $end ]; do
	insmod "$KMOD/test_migrator.ko" && rmmod test_migrator || exit 1
	n=$((n + 1))
done
touch $stop
wait || exit 1
echo "tcg-int3-check: $n loads and unloads of the test migrator in SECS s, guest alive"
EOF
)
fi
VMTEST_TCG_RERUN=0 "$top/vmtest.sh" "$@" --timeout $((secs * 3 + 120)) -- \
	bash -c "${guest//SECS/$secs}" && exit 0
console=$(ls -t "$top"/build/vmtest-console*.log | head -n 1)
grep -m1 -A2 'Oops: int3' "$console" >&2 || exit 1
flavor=kernel
case $console in *-debug.log) flavor=kernel-debug ;; esac
sites=$top/build/$flavor/live-patch-sites
[ -s "$sites" ] || "$top/scripts/tcg-int3-fault.py" sites "$top/build/$flavor/vmlinux" \
	"$top/build/$flavor/System.map" > "$sites"
echo "tcg-int3-check: recogniser: $("$top/scripts/tcg-int3-fault.py" check "$console" "$sites")" >&2
exit 1
