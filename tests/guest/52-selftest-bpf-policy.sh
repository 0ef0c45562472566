# The series' BPF selftest, tools/testing/selftests/bpf/prog_tests/
# migrate_dma_policy.c, in the kernel's test_progs runner built from the
# patched tree: attach/detach through a struct_ops link, the refusal of an
# empty name, the verifier's refusals (__failure __msg) and, while a
# migrator is active, what the policy is asked. Without a migrator the
# "decide" subtest is skipped and all others pass; with dma_migrator over
# sw_dma every subtest passes, and the policy's per-folio verdicts show in
# /proc/vmstat.
. "$TOP/tests/lib.sh"
need_bpf_policy
need_dma_backend
quiet_mm
# run WANT-SKIPPED: run test_progs, check each subtest and the summary
run() {
	local out=/tmp/test_progs.out rc sub
	(cd /tmp && "$BIN/test_progs" -t migrate_dma_policy) > $out 2>&1
	rc=$?
	grep -E '^#[0-9/]+ |^Summary' $out
	for sub in attach empty_name decide write_folio sleepable foreign_kfunc extra_argument; do
		grep -qE "^#[0-9]+/[0-9]+ +migrate_dma_policy/$sub:(OK|SKIP)$" $out || {
			cat $out
			fail "test_progs: subtest $sub did not pass (exit $rc)"
		}
	done
	grep -q "^Summary: 1/$((7 - $1)) PASSED, $1 SKIPPED, 0 FAILED$" $out || {
		cat $out
		fail "test_progs (exit $rc): expected $((7 - $1)) subtests passed, $1 skipped, none failed"
	}
	[ $rc = 0 ] || fail "test_progs exit status $rc"
}
echo "== without a migrator"
run 1
grep -qE "migrate_dma_policy/decide:SKIP$" /tmp/test_progs.out ||
	fail "decide ran without a migrator"
echo "== with dma_migrator over sw_dma"
load_dma "nr_chans=2"
snap v
run 0
asked=$(( $(delta v policy_dma) + $(delta v policy_cpu) ))
[ "$asked" -gt 0 ] || fail "no policy verdict counted in /proc/vmstat during the selftest"
echo "policy verdicts counted in /proc/vmstat: $asked"
unload_dma
