# rmmod of the backend, and removal of the engine, while a migration loop
# runs: no oops, no byte lost, offloading stops and migration goes on with
# the CPU. dmaengine holds the engine's module while the backend uses its
# channels, so `rmmod sw_dma` is refused then (and changes nothing); the
# engine goes away by unbinding its device, as hardware does, after which
# the backend has let go of it and the module unloads. When the engine
# probes again, the backend picks it up.
. "$TOP/tests/lib.sh"
covered_by_stress "backend and engine unbound and unloaded under migration"
need_dma_backend
quiet_mm
load_dma "nr_chans=2 delay_us=200"

# Migrations until /tmp/loop.stop appears; the first failure ends the loop.
rm -f /tmp/loop.stop
(
	n=0
	while [ ! -e /tmp/loop.stop ]; do
		"$BIN/migrate_verify" --size 8 --rounds 1 anon thp shmem > /tmp/loop.out 2>&1 ||
			exit 1
		n=$((n + 1))
	done
	echo "$n migration runs"
) &
loop=$!
for i in 1 2 3; do
	sleep 0.5
	rmmod dma_migrator || fail "rmmod dma_migrator $i failed while migrating"
	expect_eq "migrator after rmmod $i" "$(cat $MD/migrator)" kernel
	sleep 0.3
	modprobe dma_migrator || fail "modprobe dma_migrator $i"
	expect_eq "migrator after modprobe $i" "$(cat $MD/migrator)" dma_migrator
done
# The backend's counters start at 0 with each load: wait for the loop to
# reach a migration (a run spends much of its time writing and checking
# bytes, the more so on a loaded host), up to 60 s.
for _ in $(seq 600); do
	[ "$(dmstat folios)" -gt 0 ] && break
	kill -0 $loop 2>/dev/null || break
	sleep 0.1
done
[ "$(dmstat folios)" -gt 0 ] || fail "the backend copied nothing in the loop"

if rmmod sw_dma 2>/dev/null; then
	fail "rmmod sw_dma succeeded while its channels are in use"
fi
echo "rmmod sw_dma while its channels are in use: refused"
expect_eq "migrator after the refused rmmod" "$(cat $MD/migrator)" dma_migrator

echo sw_dma > /sys/bus/platform/drivers/sw_dma/unbind || fail "unbind sw_dma"
expect_eq "migrator after unbind" "$(cat $MD/migrator)" kernel
expect_eq "channels after unbind" "$(cat $DM/channels)" ""
rmmod sw_dma || fail "rmmod sw_dma after unbind"
sleep 0.5
snap u
pg_u=$(vmstat pgmigrate_success)
after=$(dmstat folios)
sleep 1
expect_eq "backend folios while gone" "$(dmstat folios)" "$after"
kill -0 $loop 2>/dev/null || { cat /tmp/loop.out; fail "the migration loop ended early"; }
[ "$(( $(vmstat pgmigrate_success) - pg_u ))" -gt 0 ] || fail "nothing migrated since the engine went away"
expect_eq "batched since the engine went away (no migrator: stock's per-folio copy)" "$(delta u folios)" 0
echo "since the engine went away: $(( $(vmstat pgmigrate_success) - pg_u )) pages migrated by stock's per-folio copy"

# The engine probes again: the backend picks it up and offloads again.
modprobe sw_dma nr_chans=2 || fail "modprobe sw_dma after unbind"
wait_migrator dma_migrator
expect_eq "migrator once the engine is back" "$(cat $MD/migrator)" dma_migrator
[ -n "$(cat $DM/channels)" ] || fail "no channel once the engine is back"
back=$(dmstat folios)
sleep 1.5
[ "$(dmstat folios)" -gt "$back" ] || fail "the backend copied nothing once the engine was back"
echo "engine back: the backend copies again ($(( $(dmstat folios) - back )) folios in 1.5 s)"
touch /tmp/loop.stop
wait $loop
rc=$?
tail -n 4 /tmp/loop.out
[ $rc = 0 ] || { cat /tmp/loop.out; fail "the migration loop lost or misplaced data (exit $rc)"; }
dmesg | grep -E 'dma_migrator|sw_dma' | tail -n 6
unload_dma
