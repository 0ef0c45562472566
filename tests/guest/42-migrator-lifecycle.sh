# One migrator at a time (-EBUSY for a second), migrator_stop_offloading() only for
# the active one (-EINVAL), and rmmod of the migrator while migrations run:
# the unload waits for the batches using it, no byte is lost, and migration
# goes on with the CPU.
. "$TOP/tests/lib.sh"
need_migrate_dma
load_migrator
msg=$(echo 1 2>&1 > /sys/kernel/debug/test_migrator/start_again) && fail "second migrator_start_offloading() succeeded"
case "$msg" in *"busy"*) echo "second migrator_start_offloading(): EBUSY" ;; *) fail "second migrator_start_offloading(): $msg" ;; esac
msg=$(echo 1 2>&1 > /sys/kernel/debug/test_migrator/stop_other) && fail "migrator_stop_offloading() of an inactive migrator succeeded"
case "$msg" in *"Invalid argument"*) echo "migrator_stop_offloading(other): EINVAL" ;; *) fail "migrator_stop_offloading(other): $msg" ;; esac
expect_eq "migrator still active" "$(cat $MD/migrator)" test_migrator

# Migration loop in the background; unload and reload the migrator under it.
"$BIN/migrate_verify" --size 8 --rounds 40 anon thp shmem > /tmp/loop.out 2>&1 &
loop=$!
for i in 1 2 3 4 5; do
	sleep 0.5
	rmmod test_migrator || fail "rmmod $i failed while migrating"
	[ "$(cat $MD/migrator)" = kernel ] || fail "migrator not back to kernel after rmmod $i"
	sleep 0.3
	insmod "$KMOD/test_migrator.ko" delay_us=2000 || fail "insmod $i failed"
done
rmmod test_migrator || fail "final rmmod"
wait $loop
rc=$?
cat /tmp/loop.out
[ $rc = 0 ] || fail "the migration loop lost or misplaced data (exit $rc)"
expect_eq "migrator after the loop" "$(cat $MD/migrator)" kernel
