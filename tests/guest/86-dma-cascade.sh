# What one slow engine may cost others. A round that times out terminates
# its channel, which also ends the descriptors other migrations queued
# behind it: they must fall back at once, not wait out a timeout of their
# own (no cascade), so there is at most one timeout per stalled descriptor.
# And the backend allocates nothing while it migrates: with every
# preallocated round busy, the CPU copies the batch, counted.
. "$TOP/tests/lib.sh"
need_dma_backend
quiet_mm

# loop N ARGS...: N migrate_verify runs at once; fails if one fails
loop() {
	local n=$1 i pids=() rc=0
	shift
	for i in $(seq "$n"); do
		"$BIN/migrate_verify" "$@" > /tmp/loop.$i 2>&1 &
		pids+=($!)
	done
	for i in $(seq "$n"); do
		wait "${pids[$((i - 1))]}" || { cat /tmp/loop.$i; rc=1; }
	done
	[ $rc = 0 ] || fail "a migration lost or misplaced data"
}

echo "== one channel, two migrations, a descriptor now and then 3 s late"
load_dma "nr_chans=1" "timeout_ms=1000 breaker=0"
swset delay_us 3000000
swset delay_every 300
dsnap s
loop 2 --size 2 --rounds 2 anon
stalls=$(swdelta s delayed)
timeouts=$(ddelta s timeouts)
echo "$stalls descriptors stalled, $timeouts rounds timed out," \
	"$(ddelta s descriptors_timed_out) descriptors terminated by their round," \
	"$(ddelta s descriptors_cancelled) ended by another's"
[ "$stalls" -gt 0 ] || fail "no descriptor stalled"
[ "$timeouts" -gt 0 ] || fail "no round timed out"
[ "$timeouts" -le "$stalls" ] ||
	fail "$timeouts rounds timed out for $stalls stalled descriptors: timeouts cascade"
expect_eq "fallback_timeout = fallback_copy_failed" "$(ddelta s fallback_timeout)" \
	"$(delta s fallback_copy_failed)"
unload_dma

echo "== one preallocated round, three migrations at once"
load_dma "nr_chans=2 delay_us=500" "rounds=1"
dsnap s
loop 3 --size 4 --rounds 2 anon
busy=$(ddelta s fallback_busy)
echo "$(ddelta s folios) folios offloaded, $busy copied by the CPU for want of a round"
[ "$busy" -gt 0 ] || fail "no batch found the only round busy"
[ "$(ddelta s folios)" -gt 0 ] || fail "nothing offloaded"
expect_eq "fallback_busy = fallback_copy_failed" "$busy" "$(delta s fallback_copy_failed)"
unload_dma
