#!/usr/bin/env bash
# `make bench` and `make bench-smoke`: boot the stock 6.12 kernel and ours
# in turn (same guest shape), run tests/bench-guest.sh in each, and report:
# the table on stdout, DIR/results.json and, with gnuplot, DIR/throughput.png.
#
# Usage: scripts/bench.sh [--smoke]
#   full:    BENCH_BOOTS (default 5) boots of each kernel, alternating
#            stock/ours, BENCH_REPS (default 3) repetitions per boot, a
#            working set of BENCH_MIB (default 64) MiB, in a guest with a
#            lower memory tier (vmtest.sh --tiers 1) for the demotion
#            samples; output in build/bench
#   --smoke: our kernel only, one boot, one repetition, 4 MiB, no plot;
#            fails unless every mode gives positive numbers; build/bench-smoke
#   BENCH_CLOCK=icount: instructions, not seconds. Each guest runs on one
#            host thread with QEMU's -icount shift=0,sleep=off (its clock
#            counts executed instructions), 2 vCPUs, migrate_bench pinned
#            to one of them; BENCH_BOOTS (default 5) boots of each kernel,
#            alternating, BENCH_REPS (default 5) samples per boot of
#            BENCH_MIB (default 16) MiB, modes stock, nomig, tm, size0, always,
#            demotion samples too (a lower memory tier: --tiers 1);
#            scripts/bench-icount-report.py gives instructions per folio,
#            ours without a migrator against stock, and the policy's
#            instructions per decision and per folio of a batch decision;
#            output in build/bench-icount
# Extra arguments for vmtest.sh: BENCH_VMTEST_FLAGS.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
smoke=0
[ "${1:-}" = --smoke ] && smoke=1

ours_modes=(nomig tm always dma1 dma2)
clock=${BENCH_CLOCK:-wall}
gflags=() vflags=()
case $clock in
icount)
	[ $smoke = 0 ] || { echo "bench: BENCH_CLOCK=icount has no smoke form" >&2; exit 2; }
	export VMTEST_ICOUNT=1 VMTEST_ACCEL=tcg
	out=build/bench-icount boots=${BENCH_BOOTS:-5} reps=${BENCH_REPS:-5} mib=${BENCH_MIB:-16}
	kernels=(stock ours) ours_modes=(nomig tm size0 always) gflags=(--icount) vflags=(--cpus 2 --tiers 1) ;;
wall)
	# A lower memory tier, for the demotion samples (d4k, d2m).
	vflags=(--tiers 1)
	if [ $smoke = 1 ]; then
		out=build/bench-smoke boots=1 reps=1 mib=4 kernels=(ours)
	else
		out=build/bench boots=${BENCH_BOOTS:-5} reps=${BENCH_REPS:-3} mib=${BENCH_MIB:-64}
		kernels=(stock ours)
		command -v gnuplot >/dev/null ||
			{ echo "bench: gnuplot not found; run 'scripts/deps.sh --bench'" >&2; exit 1; }
	fi ;;
*) echo "bench: BENCH_CLOCK must be wall or icount, not '$clock'" >&2; exit 2 ;;
esac
rm -rf "$out"
mkdir -p "$out"
read -r -a extra <<< "${BENCH_VMTEST_FLAGS:-}"
vflags+=("${extra[@]}")

accel= cpu_model=
boot() {	# boot KERNEL B: guest B of that kernel, its samples to $out/raw-KERNEL.txt
	local k=$1 flags=() modes=("${ours_modes[@]}") rc=0 raw=$out/raw-$1.txt
	if [ "$k" = stock ]; then
		flags=(--stock) modes=(stock)
	fi
	# icount: one file per boot, since boots differ more than samples
	[ $clock = icount ] && raw=$out/raw-$k-$2.txt
	echo "bench: booting $k (${modes[*]}; $reps repetition(s) of $mib MiB)" >&2
	./vmtest.sh "${flags[@]}" "${vflags[@]}" -- \
		tests/bench-guest.sh "${gflags[@]}" "$raw" "$reps" "$mib" "${modes[@]}" \
		> "$out/guest-$k.log" 2> "$out/vmtest-$k.log" || rc=$?
	if [ $rc != 0 ]; then
		cat "$out/guest-$k.log" "$out/vmtest-$k.log" >&2
		echo "bench: the $k guest failed (exit $rc)" >&2
		exit 1
	fi
	# "vmtest: bzImage (default), accel tcg (-cpu max,-erms), ..."
	accel=$(sed -n 's/^vmtest: .*, accel \([a-z]*\) (-cpu \([^)]*\)).*/\1/p' "$out/vmtest-$k.log")
	cpu_model=$(sed -n 's/^vmtest: .*, accel \([a-z]*\) (-cpu \([^)]*\)).*/\2/p' "$out/vmtest-$k.log")
}

start=$(date +%s)
for b in $(seq "$boots"); do
	for k in "${kernels[@]}"; do
		boot "$k" "$b"
	done
done
if [ $clock = icount ]; then
	python3 scripts/bench-icount-report.py "$out" | tee "$out/table.txt"
	echo "bench: $out/results.json; $(( $(date +%s) - start )) s" >&2
	exit 0
fi
echo "info boots=$boots" >> "$out/raw-ours.txt"

report=(python3 scripts/bench-report.py "$out" "${accel:-unknown}" "${cpu_model:-unknown}")
[ $smoke = 1 ] && report+=(--smoke)
rc=0
"${report[@]}" | tee "$out/table.txt" || rc=$?
[ $rc = 0 ] || exit $rc

if [ $smoke = 0 ]; then
	ceil=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["memcpy_ceiling"]["gbps"]["median"])' "$out/results.json")
	sub="$(date +%F), accelerator ${accel^^} (-cpu $cpu_model), $mib MiB working set"
	gnuplot -e "dat='$out/throughput.dat'; png='$out/throughput.png'; ceil=$ceil; sub='$sub'" \
		scripts/bench-plot.gp
	echo "bench: $out/results.json, $out/throughput.png"
fi
echo "bench: $(( $(date +%s) - start )) s" >&2
