# move_pages(2) and migrate_pages(2) between the tiers (MR_SYSCALL):
# memory moved from node 0 to the lower tier and back, every page's node
# and every byte checked after each move (migrate_verify). With the DMA
# backend and the "reason" policy offloading only those, the folios are
# counted in pgmigrate_dma_syscall_* and copied by the engine.
. "$TOP/tests/lib.sh"
tier_test
load_dma "" ""
reason_policy syscall
for via in move_pages migratepages; do
	dsnap s
	rsnap s syscall
	migrate --from 0 --to "$SLOW" --via $via --size 16 --rounds 2 anon thp
	check_reason s syscall "$via"
	[ "$(rdelta s syscall folios)" -ge "$folios" ] ||
		fail "$via: $(rdelta s syscall folios) folios counted, $folios moved"
done
# migctl stats shows the same counts, by reason.
M=$TOP/build/obj/loader/migctl
"$M" stats | tee /tmp/stats.out | sed -n '/^by reason/,$p'
awk -v want="$(rstat syscall folios)" '$1 == "syscall" && $2 == want { ok = 1 } END { exit !ok }' /tmp/stats.out ||
	fail "migctl stats: no syscall line with $(rstat syscall folios) folios"
expect_eq "migctl stats --json: by_reason.syscall.offloaded_folios" \
	"$("$M" stats --json | /usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)["by_reason"]["syscall"]["offloaded_folios"])')" \
	"$(rstat syscall offloaded_folios)"
