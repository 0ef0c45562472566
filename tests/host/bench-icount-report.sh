#!/bin/bash
# scripts/bench-icount-report.py on made-up samples: per boot the median of
# its samples, per kernel the median of the boot medians and their spread,
# the ratio of ours without a migrator to stock, the policy's instructions
# per decision and per folio of a batch decision; exit 1 when a mode has no sample. TAP on stdout.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
TAP_PREFIX=bench-icount-report
. "$top/tests/tap-check.sh"
echo "TAP version 13"
echo "1..8"
sample() {	# sample FILE MODE KIND FOLIOS NS...
	local f=$1 m=$2 k=$3 folios=$4 ns
	shift 4
	for ns; do
		echo "mode=$m sample kind=$k folio=4096 bytes=0 folios=$folios ns=$ns" >> "$f"
	done
}
# Two boots of each kernel. 4 KiB: stock 6000 and 6100 per folio (median
# 6050), ours 6060 and 6070 (median 6065): 1.0025x. The third sample of
# each boot is an outlier the median ignores.
for b in 1 2; do
	s=$(( b == 1 ? 6000 : 6100 )) o=$(( b == 1 ? 6060 : 6070 ))
	sample "$dir/raw-stock-$b.txt" stock 4k 100 $((s * 100)) $((s * 100)) $((s * 300))
	sample "$dir/raw-stock-$b.txt" stock 2m 10 $((800000 * 10)) $((800000 * 10))
	sample "$dir/raw-ours-$b.txt" nomig 4k 100 $((o * 100)) $((o * 100)) $((o * 300))
	sample "$dir/raw-ours-$b.txt" nomig 2m 10 $((804000 * 10)) $((804000 * 10))
	sample "$dir/raw-ours-$b.txt" tm 4k 100 $((6200 * 100)) $((6200 * 100))
	sample "$dir/raw-ours-$b.txt" tm 2m 10 $((805000 * 10)) $((805000 * 10))
	sample "$dir/raw-ours-$b.txt" size0 4k 100 $((6258 * 100)) $((6258 * 100))
	sample "$dir/raw-ours-$b.txt" size0 2m 10 $((805060 * 10)) $((805060 * 10))
	sample "$dir/raw-ours-$b.txt" always 4k 100 $((6203 * 100)) $((6203 * 100))
	sample "$dir/raw-ours-$b.txt" always 2m 10 $((805001 * 10)) $((805001 * 10))
	echo "info kernel=x" >> "$dir/raw-ours-$b.txt"
done
# Demotion: stock and ours without a migrator only, 4 KiB pages (the
# policy modes have none: not an error).
for b in 1 2; do
	sample "$dir/raw-stock-$b.txt" stock d4k 1000 $((20000 * 1000)) $((20000 * 1000))
	sample "$dir/raw-ours-$b.txt" nomig d4k 1000 $((20010 * 1000)) $((20010 * 1000))
done
check "runs" bash -c 'python3 "$0" "$1" > "$1/table" 2>&1' "$top/scripts/bench-icount-report.py" "$dir"
check "4 KiB ratio 1.0025, within the target" grep -q 'ours without a migrator / stock, 4 KiB: 1.0025x (within the 1.003x target)' "$dir/table"
check "2 MiB ratio 1.0050, over it" grep -q 'ours without a migrator / stock, 2 MiB: 1.0050x (OVER the 1.003x target)' "$dir/table"
check "58 instructions per decision, stock spread 1.65%" \
	bash -c "grep -q 'per decision over the migrator.s own, 4 KiB: +58 instructions' '$dir/table' &&
		 grep -q 'stock 6.12 *4 KiB *6050 *1.65%' '$dir/table'"
check "3 instructions per folio for a batch decision" \
	grep -q 'BPF policy deciding per batch, per folio, 4 KiB: +3 instructions' "$dir/table"
check "demotion: 1.0005x, within the target" grep -q 'ours without a migrator / stock, demote 4 KiB: 1.0005x (within the 1.003x target)' "$dir/table"
check "demotion: a policy mode without demotion samples is not an error" \
	bash -c "grep -q '^ours, no migrator *demote 4 KiB *20010' '$dir/table' && ! grep -q 'no samples' '$dir/table'"
rm "$dir"/raw-ours-*.txt
check "no samples of ours: exit 1" bash -c "! python3 '$top/scripts/bench-icount-report.py' '$dir'"
[ $fails = 0 ]
