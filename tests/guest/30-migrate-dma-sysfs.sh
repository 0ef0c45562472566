# /sys/kernel/mm/migrate_dma: what is there with no migrator, and
# batch_bytes refusing every bad value with EINVAL.
. "$TOP/tests/lib.sh"
need_migrate_dma
for f in migrator batch_bytes stats/batches stats/folios stats/bytes \
	 stats/offloaded_folios stats/offloaded_bytes stats/cpu_folios stats/declined \
	 stats/fallback_copy_failed stats/fallback_busy stats/fallback_retry \
	 stats/fallback_unsupported; do
	[ -r "$MD/$f" ] || fail "$MD/$f missing"
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
