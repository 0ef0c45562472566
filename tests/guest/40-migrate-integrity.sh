# Integrity: 4 KiB anon, THP, shared anon and shmem pages moved between the
# nodes with move_pages(2), every page's node and every byte checked, with
# no migrator (stock's per-folio copy: the batch pass must not run), with
# the test migrator, and with the test migrator failing every 7th copy. The
# counters must account for exactly the folios moved.
. "$TOP/tests/lib.sh"
covered_by_stress "anon, THP, shared and shmem moved with every byte checked"
need_migrate_dma
quiet_mm
rmmod test_migrator 2>/dev/null

run() {	# run LABEL: migrate, then leave moved folios/bytes in $folios/$bytes
	migrate --size 32 --rounds 2 anon thp shared shmem
	echo "$1: moved $folios folios, $bytes bytes"
	[ "$bytes" -ge $((256 << 20)) ] || fail "$1: only $bytes bytes moved"
}

echo "== no migrator: each folio copied in its move, as in stock 6.12"
snap s
pg0=$(vmstat pgmigrate_success)
run cpu
# No batch pass at all: not one counter of the framework moves.
for c in batches folios bytes cpu_folios offloaded_folios fallback_copy_failed \
	 fallback_unsupported fallback_busy fallback_retry; do
	expect_eq "no migrator: $c" "$(delta s $c)" 0
done
# Two rounds there and back: every base page moved four times.
[ $(( $(vmstat pgmigrate_success) - pg0 )) -ge $(( bytes / 4096 )) ] ||
	fail "no migrator: pgmigrate_success grew by $(( $(vmstat pgmigrate_success) - pg0 )), less than the $(( bytes / 4096 )) pages moved"

echo "== test migrator"
load_migrator
snap s
run migrator
expect_eq "migrator: folios" "$(delta s folios)" "$folios"
expect_eq "migrator: offloaded_folios" "$(delta s offloaded_folios)" "$folios"
expect_eq "migrator: offloaded_bytes" "$(delta s offloaded_bytes)" "$bytes"
expect_eq "migrator: cpu_folios" "$(delta s cpu_folios)" 0
expect_eq "migrator: declined" "$(delta s declined)" 0
expect_eq "migrator: fallback_copy_failed" "$(delta s fallback_copy_failed)" 0
expect_eq "test_migrator: folios" "$(tm folios)" "$folios"
expect_eq "test_migrator: bytes" "$(tm bytes)" "$bytes"
unload_migrator

echo "== test migrator failing every 7th copy"
load_migrator fail_every=7
snap s
run failing
expect_eq "failing: offloaded_folios" "$(delta s offloaded_folios)" "$folios"
expect_eq "failing: test_migrator failed" "$(tm failed)" $((folios / 7))
expect_eq "failing: fallback_copy_failed" "$(delta s fallback_copy_failed)" $((folios / 7))
unload_migrator
