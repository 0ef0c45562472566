# Faults injected by the software engine: 1%, 50% and 100% of descriptors
# failing, every 5th failing with out-of-order completion, every 3rd refused
# at prep, and descriptors outliving the backend's timeout. Every byte must
# be intact, and every injected fault must be one folio copied again by the
# CPU: sw_dma's failures = the backend's failed descriptors = its
# fallback_status (or fallback_prep, fallback_timeout) = the framework's
# fallback_copy_failed (one descriptor per folio).
. "$TOP/tests/lib.sh"
covered_by_stress "injected DMA faults, byte checks and fallback counters"
need_dma_backend
quiet_mm
load_dma "nr_chans=2" "desc_bytes=2097152 breaker=0"

faults() {	# faults LABEL: migrate, then check the fault accounting
	dma_faults "$1" --size 8 --rounds 1 anon thp shmem
	expect_eq "$1: offloaded_folios" "$(delta s offloaded_folios)" "$folios"
	expect_eq "$1: sw_dma completed + failed" $(( $(swdelta s completed) + injected )) "$folios"
}

swset fail_percent 1
faults "1%"
[ "$(swdelta s failed)" -gt 0 ] || fail "1%: no fault injected in $folios descriptors"
swset fail_percent 50
faults "50%"
[ "$(swdelta s failed)" -gt $((folios / 4)) ] || fail "50%: only $(swdelta s failed) of $folios failed"
swset fail_percent 100
faults "100%"
expect_eq "100%: failed" "$(swdelta s failed)" "$folios"
swset fail_percent 0

swset out_of_order 1
swset fail_every 5
faults "every 5th, out of order"
expect_eq "every 5th: failed" "$(swdelta s failed)" $((folios / 5))
swset fail_every 0
faults "out of order"
expect_eq "out of order: failed" "$(swdelta s failed)" 0
swset out_of_order 0

echo "== every 3rd descriptor refused at prep"
swset fail_prep_every 3
dsnap s
migrate --size 8 --rounds 1 anon thp
refused=$(swdelta s prep_failed)
echo "prep: moved $folios folios, $refused descriptors refused"
expect_eq "prep: refused" "$refused" $((folios / 3))
expect_eq "prep: dma_migrator fallback_prep" "$(ddelta s fallback_prep)" "$refused"
expect_eq "prep: fallback_copy_failed" "$(delta s fallback_copy_failed)" "$refused"
expect_eq "prep: dma_migrator folios" "$(ddelta s folios)" $((folios - refused))
swset fail_prep_every 0

echo "== descriptors outliving timeout_ms"
swset delay_us 200000
dmset timeout_ms 20
dsnap s
migrate --size 8 --rounds 1 thp
timedout=$(ddelta s descriptors_timed_out)
echo "timeout: $folios folios, $(ddelta s timeouts) rounds timed out, $timedout descriptors"
[ "$(ddelta s timeouts)" -gt 0 ] || fail "timeout: no round timed out"
expect_eq "timeout: fallback_timeout" "$(ddelta s fallback_timeout)" "$timedout"
expect_eq "timeout: fallback_copy_failed" "$(delta s fallback_copy_failed)" "$timedout"
expect_eq "timeout: sw_dma terminated" "$(swdelta s terminated)" "$timedout"
swset delay_us 0
dmset timeout_ms 10000
dsnap s
migrate --size 8 --rounds 1 thp
expect_eq "after the timeouts: dma_migrator folios" "$(ddelta s folios)" "$folios"
unload_dma
