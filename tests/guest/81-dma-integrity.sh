# The DMA backend over the software engine: 4 KiB anon, THP, shared anon
# and shmem pages moved with move_pages(2), mbind(2) and migratepages, every
# page's node and every byte checked. Every eligible folio is offloaded and
# copied by DMA (one descriptor per folio, then 64 KiB descriptors spread
# over both channels), none falls back; then the THP cases of the kernel's
# migration selftest with the backend copying.
. "$TOP/tests/lib.sh"
covered_by_stress "every kind of memory copied by the DMA backend, every byte checked"
need_dma_backend
quiet_mm
load_dma "nr_chans=2" "desc_bytes=2097152"
expect_eq "migrator" "$(cat $MD/migrator)" dma_migrator
expect_eq "channels" "$(cat $DM/channels)" "dma0chan0 dma0chan1"
expect_eq "shared channels (a private engine)" "$(cat $DM/shared)" ""
expect_eq "migctl status: backend, channels" \
	"$("$TOP/build/obj/loader/migctl" status --json | python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["backend"], d["channels"])')" \
	"dma_migrator ['dma0chan0', 'dma0chan1']"

for via in move_pages mbind migratepages; do
	dsnap s
	migrate --size 8 --rounds 1 --via $via anon thp shared shmem
	echo "$via: moved $folios folios, $bytes bytes"
	if [ $via = migratepages ]; then
		# All of the process moves, not only the test's buffers.
		[ "$(delta s offloaded_folios)" -ge "$folios" ] ||
			fail "$via: offloaded_folios $(delta s offloaded_folios) < $folios"
		folios=$(delta s offloaded_folios)
		bytes=$(delta s offloaded_bytes)
	fi
	expect_eq "$via: offloaded_folios" "$(delta s offloaded_folios)" "$folios"
	expect_eq "$via: offloaded_bytes" "$(delta s offloaded_bytes)" "$bytes"
	expect_eq "$via: cpu_folios" "$(delta s cpu_folios)" 0
	expect_eq "$via: fallback_copy_failed" "$(delta s fallback_copy_failed)" 0
	expect_eq "$via: dma_migrator folios" "$(ddelta s folios)" "$folios"
	expect_eq "$via: dma_migrator bytes" "$(ddelta s bytes)" "$bytes"
	expect_eq "$via: dma_migrator descriptors" "$(ddelta s descriptors)" "$folios"
	expect_eq "$via: sw_dma completed" "$(swdelta s completed)" "$folios"
	expect_eq "$via: sw_dma bytes" "$(swdelta s bytes)" "$bytes"
done

echo "== 64 KiB descriptors, THPs only"
dmset desc_bytes 65536
dsnap s
migrate --size 16 --rounds 1 thp
expect_eq "thp: dma_migrator folios" "$(ddelta s folios)" "$folios"
expect_eq "thp: descriptors" "$(ddelta s descriptors)" $((bytes / 65536))
expect_eq "thp: sw_dma completed" "$(swdelta s completed)" $((bytes / 65536))
expect_eq "thp: fallback_copy_failed" "$(delta s fallback_copy_failed)" 0

echo "== the kernel's migration selftest, THP cases"
# Threads touching the THPs while move_pages() moves them back and forth
# for 20 s each (50-upstream-migration-selftest runs all six cases).
[ "$(nproc)" -ge 3 ] || fail "the selftest needs at least 3 CPUs, the guest has $(nproc)"
dsnap s
out=$("$BIN/migration_selftest" -t private_anon_thp -t shared_anon_thp 2>&1)
rc=$?
echo "$out" | tail -n 3
[ $rc = 0 ] || { echo "$out"; fail "migration selftest failed (exit $rc)"; }
echo "$out" | grep -q 'Totals: pass:2 fail:0 xfail:0 xpass:0 skip:0 error:0' ||
	fail "expected 2 passed and none skipped"
[ "$(ddelta s folios)" -gt 0 ] || fail "the backend copied nothing during the selftest"
expect_eq "selftest: dma_migrator fallbacks" \
	$(( $(ddelta s fallback_map) + $(ddelta s fallback_prep) + $(ddelta s fallback_submit) + $(ddelta s fallback_status) + $(ddelta s fallback_timeout) + $(ddelta s fallback_busy) + $(ddelta s fallback_nochan) + $(ddelta s fallback_size) )) 0
echo "the backend copied $(ddelta s folios) folios during the selftest"
unload_dma
