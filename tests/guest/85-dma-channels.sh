# Where the backend's channels come from. A private engine (sw_dma's
# default, as DSA, PTDMA and most I/OAT) is taken for the backend alone. A
# public one (public=1, as I/OAT with RAID capabilities, which async_tx
# uses) is shared: another public client (tests/kmod/test_dma_client)
# copies with it while migrations run, and a timeout there never
# terminates the channel, which would end the other client's transfers:
# the round waits, and memory written right after move_pages() returns
# keeps what was written. An engine that probes after the backend loaded
# is picked up; the log gives each channel's NUMA node.
. "$TOP/tests/lib.sh"
need_dma_backend
quiet_mm
unload_dma

echo "== the backend loads before any engine"
modprobe dma_migrator || fail "modprobe dma_migrator without an engine"
expect_eq "state without an engine" "$(cat $DM/state)" "stopped: no channel"
expect_eq "migrator without an engine" "$(cat $MD/migrator)" kernel
modprobe sw_dma nr_chans=2 || fail "modprobe sw_dma"
wait_migrator dma_migrator
expect_eq "migrator once the engine probed" "$(cat $MD/migrator)" dma_migrator
expect_eq "channels of the late engine" "$(cat $DM/channels)" "dma0chan0 dma0chan1"
expect_eq "shared channels of a private engine" "$(cat $DM/shared)" ""
dmesg | grep -q "dma_migrator: copies with dma0chan1 (node -1)$" ||
	fail "no log line gives the channel and its node"
dsnap s
migrate --size 8 --rounds 1 anon thp
expect_eq "late engine: dma_migrator folios" "$(ddelta s folios)" "$folios"
if insmod "$KMOD/test_dma_client.ko" 2>/dev/null; then
	rmmod test_dma_client
	fail "a public client got a channel of a private engine"
fi
unload_dma

echo "== a public engine is shared"
load_dma "public=1 nr_chans=2" "desc_bytes=2097152 breaker=0"
expect_eq "shared channels" "$(cat $DM/shared)" "dma0chan0 dma0chan1"
expect_eq "migctl status: shared channels" \
	"$("$TOP/build/obj/loader/migctl" status --json | python3 -c 'import json, sys; print(" ".join(json.load(sys.stdin)["shared_channels"]))')" \
	"dma0chan0 dma0chan1"
dsnap s
"$BIN/migrate_verify" --size 16 --rounds 4 anon thp > /tmp/shared.out 2>&1 &
mv=$!
for i in 1 2 3 4; do
	insmod "$KMOD/test_dma_client.ko" pages=256 ||
		fail "public client $i: $(dmesg | grep test_dma_client | tail -n 1)"
	rmmod test_dma_client
done
wait $mv || { cat /tmp/shared.out; fail "migrations next to the public client lost data"; }
[ "$(ddelta s folios)" -gt 0 ] || fail "the backend copied nothing next to the public client"
echo "4 public client runs of 256 pages next to $(ddelta s folios) folios the backend copied"
dmesg | grep 'test_dma_client: .* pages copied' | tail -n 1

# Late descriptors on shared channels: waited for, never terminated.
swset delay_us 300000
dmset timeout_ms 30
dsnap s
migrate --size 4 --rounds 1 --rewrite 800 thp
echo "shared late: $(ddelta s timeouts) rounds timed out, $(ddelta s descriptors_late) descriptors waited for"
[ "$(ddelta s timeouts)" -gt 0 ] || fail "shared late: no round timed out"
[ "$(ddelta s descriptors_late)" -gt 0 ] || fail "shared late: no descriptor waited for"
expect_eq "shared late: sw_dma terminated" "$(swdelta s terminated)" 0
expect_eq "shared late: fallback_copy_failed" "$(delta s fallback_copy_failed)" 0
unload_dma
