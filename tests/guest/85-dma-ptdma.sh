# sw_dma's ptdma model reports a failed transfer as a success, as PTDMA
# does (its callback gets a NULL result, which dmaengine passes on as
# DMA_TRANS_NOERROR), and so does not claim DMA_COMPLETION_RESULT. The
# backend cannot tell a failed copy from a good one there: it must refuse
# the engine and say so in one log line (it loads, and waits for an engine
# it can use). Before it did, every second copy migrated half a folio.
. "$TOP/tests/lib.sh"
need_dma_backend
quiet_mm
unload_dma

echo "== model=ptdma: failures reported as success"
modprobe sw_dma model=ptdma nr_chans=2 fail_every=2 || fail "modprobe sw_dma model=ptdma"
modprobe dma_migrator || fail "modprobe dma_migrator"
dmesg | tail -n 20 | grep -q 'dma0chan0: DMA_MEMCPY without DMA_COMPLETION_RESULT' ||
	fail "no kernel log line says why the backend refused the engine"
echo "dma_migrator refused: $(dmesg | grep 'without DMA_COMPLETION_RESULT' | tail -n 1)"
expect_eq "ptdma: channels" "$(cat $DM/channels)" ""
expect_eq "ptdma: state" "$(cat $DM/state)" "stopped: no channel"
if [ "$(cat $MD/migrator)" != kernel ]; then
	echo "the backend took the ptdma engine; migrating with every 2nd copy failing unreported:"
	"$BIN/migrate_verify" --size 4 --rounds 1 anon thp 2>&1 | tail -n 3
	unload_dma
	fail "dma_migrator offloads to an engine that reports failures as success"
fi
snap s
migrate --size 4 --rounds 1 anon thp
expect_eq "ptdma: offloaded_folios" "$(delta s offloaded_folios)" 0
unload_dma
