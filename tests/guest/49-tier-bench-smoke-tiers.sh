# The benchmark's demotion samples (kinds d4k and d2m, which
# tests/bench-guest.sh adds in a guest with a lower memory tier) in the
# tiered test guest: every mode, one repetition of 4 MiB, and the report,
# which fails unless every mode and kind gave positive numbers. So that the
# demotion half of `make bench` cannot rot.
. "$TOP/tests/lib.sh"
debug_kernel && skip "timings only: the default kernel runs it"
need_tiers
need_dma_backend
need_bpf_policy
out=$TOP/build/bench-smoke-tiers
rm -rf "$out"
mkdir -p "$out"
"$TOP/tests/bench-guest.sh" "$out/raw-ours.txt" 1 4 nomig tm always dma1 dma2 ||
	fail "tests/bench-guest.sh"
grep -q 'kind=d4k' "$out/raw-ours.txt" && grep -q 'kind=d2m' "$out/raw-ours.txt" ||
	fail "no demotion samples"
python3 "$TOP/scripts/bench-report.py" "$out" unknown unknown --smoke || fail "bench report"
