# The kernel's own tools/testing/selftests/mm/migration.c (threads racing
# with move_pages() on private/shared anon, THP and hugetlb memory), built
# from the same tree: all 6 cases pass and none is skipped, with the test
# migrator copying the batches.
. "$TOP/tests/lib.sh"
covered_by_stress "threads racing with move_pages() on private and shared anon and THP"
need_migrate_dma
[ "$(nproc)" -ge 3 ] || fail "the selftest needs at least 3 CPUs, the guest has $(nproc)"
echo 64 > /proc/sys/vm/nr_hugepages
[ "$(cat /proc/sys/vm/nr_hugepages)" -ge 8 ] || fail "cannot reserve hugetlb pages"
load_migrator
cases=6
out=$("$BIN/migration_selftest" 2>&1)
rc=$?
echo "$out"
copied=$(tm folios)
rmmod test_migrator || fail "rmmod test_migrator"
[ $rc = 0 ] || fail "migration selftest failed (exit $rc)"
echo "$out" | grep -q "Totals: pass:$cases fail:0 xfail:0 xpass:0 skip:0 error:0" ||
	fail "expected $cases passed and none skipped"
[ "$copied" -gt 0 ] || fail "the test migrator copied nothing"
echo "the test migrator copied $copied folios during the selftest"
