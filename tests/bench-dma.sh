#!/bin/bash
# move_pages() throughput of 2 MiB folios (THPs) in one guest, side by side:
# the CPU copy (no migrator), and the DMA backend over the software DMA
# engine with 1 and with 2 channels, in alternation, ROUNDS times each;
# prints the medians and their ratios to the CPU copy. The software engine
# copies with the CPU too (from a worker per channel), so under TCG the
# ratios measure the offload path and its parallelism, not a DMA engine.
# Usage (host): ./vmtest.sh -- tests/bench-dma.sh [ROUNDS] [MIB]
TOP=$(cd "$(dirname "$0")/.." && pwd)
. "$TOP/tests/lib.sh"
need_dma_backend
quiet_mm
rounds=${1:-5}
mib=${2:-128}
unload_dma
one() {	# one: move_pages() MiB/s of $mib MiB of THPs, there and back
	"$BIN/migrate_verify" --size "$mib" --rounds 2 thp |
		sed -n 's/.*(\([0-9.]*\) MiB\/s).*/\1/p'
}
c=() d1=() d2=()
for i in $(seq "$rounds"); do
	c+=("$(one)")
	load_dma "nr_chans=1" ""
	d1+=("$(one)")
	unload_dma
	load_dma "nr_chans=2" ""
	d2+=("$(one)")
	unload_dma
done
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
mc=$(median "${c[@]}") m1=$(median "${d1[@]}") m2=$(median "${d2[@]}")
echo "CPU copy,             MiB/s: ${c[*]}"
echo "sw_dma, 1 channel,    MiB/s: ${d1[*]}"
echo "sw_dma, 2 channels,   MiB/s: ${d2[*]}"
awk -v c="$mc" -v a="$m1" -v b="$m2" 'BEGIN {
	printf "median: CPU %.1f, 1 channel %.1f (x%.2f), 2 channels %.1f (x%.2f) MiB/s\n", c, a, a / c, b, b / c }'
