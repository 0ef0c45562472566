# The DMA backend behind swiotlb (a guest booted with swiotlb=force, as
# confidential-computing guests are): every mapping bounces, and swiotlb
# maps at most 256 KiB at once, so a 2 MiB THP is copied as 8 descriptors
# of 256 KiB, each mapped on its own. Every byte intact, and the counters
# say what was bounced, split or fell back. `make test` boots a guest of
# its own for this test.
. "$TOP/tests/lib.sh"
need_dma_backend
grep -qw swiotlb=force /proc/cmdline ||
	skip "guest not booted with swiotlb=force (make test boots one for this test)"
quiet_mm
load_dma "nr_chans=2" ""
echo "sw_dma: $(dmesg | grep 'sw_dma.*channels' | tail -n 1)"

dsnap s
migrate --size 8 --rounds 1 thp
echo "thp: $folios folios, $(ddelta s descriptors) descriptors, $(ddelta s descriptors_bounced) bounced, $(ddelta s fallback_map) mappings failed"
expect_eq "thp: fallback_copy_failed" "$(delta s fallback_copy_failed)" 0
expect_eq "thp: dma_migrator folios" "$(ddelta s folios)" "$folios"
expect_eq "thp: descriptors (256 KiB each)" "$(ddelta s descriptors)" $((bytes / 262144))
expect_eq "thp: descriptors_bounced" "$(ddelta s descriptors_bounced)" $((bytes / 262144))
expect_eq "thp: sw_dma bytes" "$(swdelta s bytes)" "$bytes"

dsnap s
migrate --size 8 --rounds 1 anon shmem
echo "anon, shmem: $folios folios, $(ddelta s descriptors_bounced) descriptors bounced"
expect_eq "4 KiB: dma_migrator folios" "$(ddelta s folios)" "$folios"
expect_eq "4 KiB: descriptors_bounced" "$(ddelta s descriptors_bounced)" "$folios"
expect_eq "4 KiB: fallback_copy_failed" "$(delta s fallback_copy_failed)" 0

# 64 MiB of THPs: each folio is copied by DMA or, when swiotlb has no room
# left for its mappings, by the CPU (fallback_map); nothing else happens.
dsnap s
migrate --size 64 --rounds 1 thp
echo "64 MiB thp: $(ddelta s folios) folios by DMA, $(ddelta s fallback_map) fell back for want of bounce buffers"
expect_eq "64 MiB: folios = dma + fallback_map" $(( $(ddelta s folios) + $(ddelta s fallback_map) )) "$folios"
expect_eq "64 MiB: fallback_copy_failed = fallback_map" "$(delta s fallback_copy_failed)" "$(ddelta s fallback_map)"
unload_dma
