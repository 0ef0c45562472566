#!/bin/bash
# `make bench-smoke` (scripts/bench.sh --smoke): the benchmark on our kernel,
# one repetition of a small working set, so that it cannot rot; every mode
# must report positive throughput. TAP on stdout. Arguments: vmtest.sh's
# (passed on as BENCH_VMTEST_FLAGS).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
echo "TAP version 13"
echo "1..1"
start=$(date +%s)
if out=$(BENCH_VMTEST_FLAGS="$*" "$top/scripts/bench.sh" --smoke 2>&1); then
	printf '%s\n' "$out" | sed -e 's/^/# /'
	echo "ok 1 - bench-smoke: every mode measured ($(( $(date +%s) - start ))s)"
else
	printf '%s\n' "$out" | sed -e 's/^/# /' | tail -n 40
	echo "not ok 1 - bench-smoke"
	exit 1
fi
