# `make bench-smoke` inside the test guest (no boot of its own): the
# benchmark's guest half on our kernel, every mode, one repetition of
# 4 MiB, and its report, which fails unless every mode and folio size gave
# positive numbers. So that `make bench` cannot rot.
. "$TOP/tests/lib.sh"
debug_kernel && skip "timings only: the default kernel runs it"
need_dma_backend
need_bpf_policy
out=$TOP/build/bench-smoke
rm -rf "$out"
mkdir -p "$out"
"$TOP/tests/bench-guest.sh" "$out/raw-ours.txt" 1 4 nomig tm always dma1 dma2 ||
	fail "tests/bench-guest.sh"
python3 "$TOP/scripts/bench-report.py" "$out" unknown unknown --smoke || fail "bench report"
