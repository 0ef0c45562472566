#!/bin/bash
# Does this QEMU's multi-threaded TCG run Linux's live code patching
# correctly? Boots the guest with no module loaded and switches the
# sched_switch tracepoint on and off (a static key patched with
# text_poke_bp()'s int3 protocol) while every vCPU switches tasks.
#
# On this project's machine, QEMU 7.2 (Debian bookworm) with
# -accel tcg,thread=multi, the guest dies within seconds with
# "Oops: int3" at a tracepoint site such as ttwu_do_activate, with any
# -cpu model (max, max,-la57, qemu64): a vCPU executes the int3 after the
# patching CPU has removed it and synchronised every CPU, which hardware
# cannot do. The same oops at our own static key, in migrate_dma_copy_batch,
# is what a rare red guest run under TCG shows; this script tells that
# emulator fault apart from a kernel bug.
#
# Usage: scripts/tcg-int3-check.sh [SECONDS] [vmtest.sh options]
# Exit 0 when the guest survives SECONDS (default 60) of switching, 1 when
# it does not, 2 on bad usage.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-60}
case $secs in
'' | *[!0-9]*) echo "tcg-int3-check.sh: SECONDS must be a number, not '$secs'" >&2; exit 2 ;;
esac
shift $(( $# > 0 ? 1 : 0 ))
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
"$top/vmtest.sh" "$@" --timeout $((secs * 3 + 120)) -- bash -c "${guest//SECS/$secs}" && exit 0
console=$(ls -t "$top"/build/vmtest-console*.log | head -n 1)
grep -m1 -A2 'Oops: int3' "$console" >&2
exit 1
