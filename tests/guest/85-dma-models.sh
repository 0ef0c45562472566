# The DMA backend on each contract sw_dma models (model=): full (terminate
# and synchronize, errors reported), ioat (I/OAT and DSA: no terminate, no
# synchronize, an issued descriptor completes however late) and ptdma
# (failures reported as success; 85-dma-ptdma). No fault, failing
# descriptors, out-of-order completion and completions later than
# timeout_ms, every byte checked, and memory written right after
# move_pages() returns keeps what was written (a copy the backend gave up on
# must not land later).
. "$TOP/tests/lib.sh"
need_dma_backend
quiet_mm

nofault() {	# nofault MODEL: everything offloaded, nothing falls back
	dsnap s
	migrate --size 8 --rounds 1 anon thp
	expect_eq "$1: offloaded_folios" "$(delta s offloaded_folios)" "$folios"
	expect_eq "$1: dma_migrator folios" "$(ddelta s folios)" "$folios"
	expect_eq "$1: fallback_copy_failed" "$(delta s fallback_copy_failed)" 0
}

failing() {	# failing LABEL: every injected fault is one folio the CPU copies
	dma_faults "$1" --size 8 --rounds 1 anon thp
	[ "$injected" -gt 0 ] || fail "$1: no fault injected"
}

for model in ioat full; do
	echo "== model=$model"
	load_dma "model=$model nr_chans=2" "desc_bytes=2097152 breaker=0"
	expect_eq "$model: model" "$(cat /sys/module/sw_dma/parameters/model)" "$model"
	nofault "$model"
	swset fail_every 4
	failing "$model: every 4th fails"
	swset out_of_order 1
	swset fail_every 5
	failing "$model: every 5th fails, out of order"
	swset fail_every 0
	nofault "$model: out of order"
	swset out_of_order 0

	# Descriptors 300 ms late, the backend's timeout 30 ms; 800 ms after
	# each move the memory must still hold what was written after it.
	swset delay_us 300000
	dmset timeout_ms 30
	dsnap s
	migrate --size 4 --rounds 1 --rewrite 800 thp
	swset delay_every 64
	migrate --size 2 --rounds 1 --rewrite 800 anon
	late=$(ddelta s descriptors_late)
	timedout=$(ddelta s descriptors_timed_out)
	echo "$model late: $(ddelta s timeouts) rounds timed out, $timedout descriptors terminated, $(ddelta s descriptors_cancelled) cancelled, $late waited for"
	[ "$(ddelta s timeouts)" -gt 0 ] || fail "$model late: no round timed out"
	if [ $model = ioat ]; then
		# Nothing can be stopped: wait, and take the copies as they come.
		[ "$late" -gt 0 ] || fail "ioat late: no descriptor waited for"
		expect_eq "ioat late: descriptors terminated" "$timedout" 0
		expect_eq "ioat late: sw_dma terminated" "$(swdelta s terminated)" 0
		expect_eq "ioat late: fallback_copy_failed" "$(delta s fallback_copy_failed)" 0
	else
		expect_eq "full late: descriptors waited for" "$late" 0
		[ "$timedout" -gt 0 ] || fail "full late: no descriptor terminated"
		expect_eq "full late: sw_dma terminated" "$(swdelta s terminated)" \
			$((timedout + $(ddelta s descriptors_cancelled)))
		expect_eq "full late: fallback_timeout = fallback_copy_failed" \
			"$(ddelta s fallback_timeout)" "$(delta s fallback_copy_failed)"
	fi
	swset delay_us 0
	swset delay_every 0
	dmset timeout_ms 10000
	nofault "$model: after the timeouts"
	unload_dma
done
