# The series' own selftest, tools/testing/selftests/mm/migrate_dma.c (kselftest
# harness), built from the patched tree: without a migrator its no_migrator
# and batch_bytes cases pass and the migrator cases are skipped; with
# sw_dma and dma_migrator loaded the migrator cases pass and no_migrator is
# skipped. Nothing fails in either run.
. "$TOP/tests/lib.sh"
need_dma_backend
quiet_mm
# run WANT-PASS WANT-SKIP: run the selftest, check its totals
run() {
	local out=/tmp/selftest.migrate_dma rc
	"$BIN/migrate_dma_selftest" > $out 2>&1
	rc=$?
	grep -E '^(ok|not ok|# Totals)' $out
	grep -q "^# Totals: pass:$1 fail:0 xfail:0 xpass:0 skip:$2 error:0" $out || {
		cat $out
		fail "selftest (exit $rc): expected $1 passed and $2 skipped"
	}
	[ $rc = 0 ] || fail "selftest exit status $rc"
}
echo "== without a migrator"
run 3 2
echo "== with dma_migrator over sw_dma"
load_dma "nr_chans=2"
dsnap s
run 3 2
[ "$(ddelta s folios)" -gt 0 ] || fail "dma_migrator copied nothing during the selftest"
echo "dma_migrator copied $(ddelta s folios) folios during the selftest"
unload_dma
