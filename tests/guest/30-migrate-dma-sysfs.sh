# /sys/kernel/mm/migrate_dma: what is there with no migrator, and
# batch_bytes refusing every bad value with EINVAL. The counters are
# /proc/vmstat events, and memory.stat has the per-cgroup ones.
. "$TOP/tests/lib.sh"
need_migrate_dma
for f in migrator batch_bytes; do
	[ -r "$MD/$f" ] || fail "$MD/$f missing"
done
[ -e "$MD/stats" ] && fail "$MD/stats exists: the counters belong in /proc/vmstat"
for c in batches folios bytes offloaded_folios offloaded_bytes cpu_folios cpu_bytes \
	 declined fallback_copy_failed fallback_busy fallback_retry fallback_unsupported \
	 policy_dma policy_cpu policy_invalid; do
	grep -q "^pgmigrate_dma_$c [0-9]*$" /proc/vmstat || fail "/proc/vmstat: no pgmigrate_dma_$c"
done
echo "/proc/vmstat: $(grep -c '^pgmigrate_dma_' /proc/vmstat) pgmigrate_dma_ events"
for c in offloaded_folios offloaded_bytes cpu_folios cpu_bytes; do
	grep -q "^pgmigrate_dma_$c [0-9]*$" /sys/fs/cgroup/memory.stat ||
		fail "memory.stat: no pgmigrate_dma_$c"
done
expect_eq migrator "$(cat $MD/migrator)" kernel
expect_eq "batch_bytes (auto: what a migrator's batches will use)" "$(cat $MD/batch_bytes)" 33554432

for bad in 0 -1 abc 4095 12345 "" 1073745920 $((1 << 31)) 99999999999999999999999 "4096 4096"; do
	if msg=$(echo "$bad" 2>&1 > $MD/batch_bytes); then
		fail "batch_bytes accepted '$bad'"
	fi
	case "$msg" in
	*"Invalid argument"*) echo "batch_bytes '$bad': EINVAL" ;;
	*) fail "batch_bytes '$bad': expected EINVAL, got: $msg" ;;
	esac
done
expect_eq "batch_bytes unchanged" "$(cat $MD/batch_bytes)" 33554432
echo 4096 > $MD/batch_bytes || fail "batch_bytes refused 4096"
expect_eq "batch_bytes set" "$(cat $MD/batch_bytes)" 4096
echo $((1 << 30)) > $MD/batch_bytes || fail "batch_bytes refused 1 GiB"
echo 0x2000000 > $MD/batch_bytes || fail "batch_bytes refused 0x2000000"
expect_eq "batch_bytes set (hex)" "$(cat $MD/batch_bytes)" 33554432
echo auto > $MD/batch_bytes || fail "batch_bytes refused auto"
expect_eq "batch_bytes back to auto" "$(cat $MD/batch_bytes)" 33554432
