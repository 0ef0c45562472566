# Batches grow while a migrator is active: one move_pages() call for 16
# THPs (one address each) gives one batch of 16 folios with the automatic
# 32 MiB limit, and 16 batches of one folio with a 2 MiB limit. Without a
# migrator there is no batch pass at all (not one event), and a batch_bytes
# written then waits for the next migrator. The events name the migration
# reason.
. "$TOP/tests/lib.sh"
need_migrate_dma
quiet_mm
ev=/sys/kernel/tracing/events/migrate_dma/migrate_dma_batch
[ -d $ev ] || fail "tracepoint migrate_dma:migrate_dma_batch missing"
load_migrator
expect_eq "batch_bytes (auto, migrator active)" "$(cat $MD/batch_bytes)" $((32 << 20))

trace_run() {	# trace_run: one move of 16 THPs to node 1, print the batch events
	echo > /sys/kernel/tracing/trace
	echo 1 > $ev/enable
	"$BIN/migrate_verify" --size 32 --rounds 1 --heads thp > /tmp/bs.out || { cat /tmp/bs.out; fail "migration failed"; }
	echo 0 > $ev/enable
	grep -o 'migrate_dma_batch: .*' /sys/kernel/tracing/trace
}

events=$(trace_run)
echo "$events"
# Two moves (there and back) of 16 THPs: two batches of 16.
expect_eq "batches of 16 THPs (32 MiB limit)" "$(echo "$events" | grep -c 'folios=16 bytes=33554432 offloaded=16')" 2
expect_eq "batches in all" "$(echo "$events" | grep -c .)" 2
# move_pages(2) migrates for MR_SYSCALL, which the event names.
expect_eq "events with reason=syscall_or_cpuset" "$(echo "$events" | grep -c 'reason=syscall_or_cpuset$')" 2
# Tools decode the names from the format: values there, not enum names.
grep -q '"syscall_or_cpuset"' $ev/format || fail "format: no reason names"
if grep -q 'MR_' $ev/format; then grep -o '{ *MR_[^}]*}' $ev/format | head -3; fail "format: enum names, not values"; fi

echo $((2 << 20)) > $MD/batch_bytes
events=$(trace_run)
expect_eq "batches of 1 THP (2 MiB limit)" "$(echo "$events" | grep -c 'folios=1 bytes=2097152 offloaded=1')" 32
expect_eq "batches in all" "$(echo "$events" | grep -c .)" 32
echo auto > $MD/batch_bytes
unload_migrator
expect_eq "batch_bytes (auto, no migrator)" "$(cat $MD/batch_bytes)" $((32 << 20))

# No migrator: stock's per-folio copy, whatever batch_bytes says.
echo $((2 << 20)) > $MD/batch_bytes
events=$(trace_run)
expect_eq "batch events without a migrator" "$(echo "$events" | grep -c .)" 0
# Set without a migrator, it applies to the next one.
load_migrator
events=$(trace_run)
expect_eq "batches of 1 THP (2 MiB set before the migrator)" "$(echo "$events" | grep -c 'folios=1 bytes=2097152 offloaded=1')" 32
unload_migrator
echo auto > $MD/batch_bytes
