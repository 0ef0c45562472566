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
# The six cases migrate for a fixed 20 seconds each: they run at once, each
# in its own process, with its own result.
cases="private_anon shared_anon private_anon_thp shared_anon_thp private_anon_htlb shared_anon_htlb"
declare -A pid
for c in $cases; do
	"$BIN/migration_selftest" -t "$c" > "/tmp/selftest.$c" 2>&1 &
	pid[$c]=$!
done
failed=
for c in $cases; do
	wait "${pid[$c]}"
	rc=$?
	grep -E '^(ok|not ok|# Totals)' "/tmp/selftest.$c"
	if [ $rc != 0 ] || ! grep -q "Totals: pass:1 fail:0 xfail:0 xpass:0 skip:0 error:0" "/tmp/selftest.$c"; then
		cat "/tmp/selftest.$c"
		failed+=" $c(exit $rc)"
	fi
done
copied=$(tm folios)
rmmod test_migrator || fail "rmmod test_migrator"
echo 0 > /proc/sys/vm/nr_hugepages
[ -z "$failed" ] || fail "migration selftest cases failed or skipped:$failed"
[ "$copied" -gt 0 ] || fail "the test migrator copied nothing"
echo "the test migrator copied $copied folios during the selftest"
