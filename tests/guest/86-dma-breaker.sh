# The breaker. A channel that fails or times out round after round is
# retired; with none left, offloading stops by itself, with one kernel log
# line, and sysfs and `migctl status` say why; writing 1 to resume brings it
# back. On an engine that cannot terminate, rounds that outlive the timeout
# strike too.
. "$TOP/tests/lib.sh"
need_dma_backend
quiet_mm

echo "== the breaker: every descriptor failing"
load_dma "nr_chans=2" "breaker=3"
expect_eq "state" "$(cat $DM/state)" offloading
swset fail_percent 100
dsnap s
migrate --size 4 --rounds 1 anon
# The work that stops offloading runs after the batch that tripped it.
wait_migrator kernel
expect_eq "migrator after the trip" "$(cat $MD/migrator)" kernel
expect_eq "state after the trip" "$(cat $DM/state)" "stopped: every channel failed or timed out"
expect_eq "retired" "$(cat $DM/retired)" "dma0chan0 dma0chan1"
expect_eq "channels_retired" "$(ddelta s channels_retired)" 2
expect_eq "log lines" "$(dmesg | grep -c 'every channel failed or timed out 3 rounds in a row: offloading stopped')" 1
expect_eq "migctl status: backend state" \
	"$("$TOP/build/obj/loader/migctl" status --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["backend_state"])')" \
	"stopped: every channel failed or timed out"
dsnap t
migrate --size 4 --rounds 1 anon
expect_eq "tripped: dma_migrator folios" "$(ddelta t folios)" 0
expect_eq "tripped: batched folios (no migrator: stock's per-folio copy)" "$(delta t folios)" 0
swset fail_percent 0
echo 1 > "$DM/resume" || fail "resume"
expect_eq "migrator after resume" "$(cat $MD/migrator)" dma_migrator
expect_eq "state after resume" "$(cat $DM/state)" offloading
expect_eq "retired after resume" "$(cat $DM/retired)" ""
dsnap t
migrate --size 4 --rounds 1 anon
expect_eq "resumed: dma_migrator folios" "$(ddelta t folios)" "$folios"
if (echo 0 > "$DM/resume") 2> /dev/null; then fail "resume accepted 0"; fi
unload_dma

echo "== the breaker on an engine that cannot terminate: late rounds strike"
load_dma "model=ioat nr_chans=1" "breaker=2 timeout_ms=20"
swset delay_us 100000
migrate --size 4 --rounds 1 thp
wait_migrator kernel
expect_eq "ioat: migrator after late rounds" "$(cat $MD/migrator)" kernel
expect_eq "ioat: retired" "$(cat $DM/retired)" dma0chan0
unload_dma

