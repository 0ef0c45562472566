# Poison found while the engine copies: a source page is marked
# hardware-poisoned (hwpoison injection) while its THP's descriptor waits
# in sw_dma. The engine must report the read as failed (READ_FAILED, its
# "poisoned" count), the backend must hand that folio to the CPU copy
# (folio_mc_copy(), which reports -EHWPOISON where the CPU reads real
# poison; a guest's memory reads fine, so there it copies), and nothing
# else may change: every page placed, every byte intact, no splat. On
# every model that reports errors (full, ioat).
. "$TOP/tests/lib.sh"
need_dma_backend
[ -w /sys/kernel/debug/hwpoison/corrupt-pfn ] ||
	skip "kernel without CONFIG_HWPOISON_INJECT (no /sys/kernel/debug/hwpoison)"
quiet_mm

for model in full ioat; do
	echo "== model=$model"
	# One 2 MiB descriptor per THP, each 3 s late; the page is poisoned
	# 1 s into the move, after migration took it and before the copy.
	load_dma "model=$model nr_chans=2 delay_us=3000000" \
		"desc_bytes=2097152 breaker=0 timeout_ms=60000"
	dsnap s
	migrate --size 4 --rounds 1 --poison 1000 thp
	expect_eq "$model: sw_dma poisoned" "$(swdelta s poisoned)" 1
	expect_eq "$model: dma_migrator descriptors_failed" "$(ddelta s descriptors_failed)" 1
	expect_eq "$model: dma_migrator fallback_status" "$(ddelta s fallback_status)" 1
	expect_eq "$model: fallback_copy_failed" "$(delta s fallback_copy_failed)" 1
	expect_eq "$model: dma_migrator folios" "$(ddelta s folios)" $((folios - 1))
	unload_dma
done
dmesg | grep -q "Memory failure: .*" || fail "no memory_failure() line in the kernel log"
