# migctl's verbs on the built-in policies: attach with --set, status, tune
# (the very next migration follows the new values), replace, stats, list,
# a third-party .bpf.o, detach. The kernel's counters and the policy's own
# counters prove which folios each policy sent to the migrator; every
# migration checks every byte (migrate_verify).
. "$TOP/tests/lib.sh"
covered_by_stress "migctl attach, replace, tune and detach under migration"
. "$TOP/tests/migctl-lib.sh"
need_migctl
load_migrator

# A mixed migration: 16 MiB of 4 KiB pages (8192 folios moved there and
# back) and 16 MiB of THPs (16 folios). mixed EXPECTED-DMA EXPECTED-CPU
mixed() {
	snap s
	"$BIN/migrate_verify" --size 16 --rounds 1 anon thp > /tmp/mv.out || { cat /tmp/mv.out; fail "migration lost data"; }
	expect_eq "  policy_dma" "$(delta s policy_dma)" "$1"
	expect_eq "  policy_cpu" "$(delta s policy_cpu)" "$2"
	expect_eq "  offloaded_folios" "$(delta s offloaded_folios)" "$1"
}

echo "== list"
mc list | tee /tmp/list.out
for p in always never size reason workload adaptive tier; do
	grep -q "^$p " /tmp/list.out || fail "list lacks $p"
done
grep -q "^size .*min_order=9 min_bytes=0$" /tmp/list.out || fail "list: size's defaults"
mc list size | grep -q "min_order=9 .*0\.\.10" || fail "list size: min_order's range"

echo "== attach size --set min_order=9"
mc attach size --set min_order=9
expect_eq policy "$(cat $MD/policy)" size
for f in link tunables cgroup_tunables counters; do
	[ -e $PINS/$f ] || fail "$PINS/$f not pinned"
done
mc status
expect_eq "status: tunables" "$(status_field "d['tunables']")" "{'min_order': 9, 'min_bytes': 0}"
expect_eq "status: backend" "$(status_field "d['backend']")" test_migrator
expect_eq "status: channels" "$(status_field "d['channels']")" None
psnap p
mixed 16 8192
expect_eq "  size.dma" "$(pdelta p dma)" 16
expect_eq "  size.cpu_order" "$(pdelta p cpu_order)" 8192

echo "== tune min_order=0: everything offloaded"
mc tune min_order=0
expect_eq "status: tunables" "$(status_field "d['tunables']")" "{'min_order': 0, 'min_bytes': 0}"
mixed $((8192 + 16)) 0
echo "== tune min_bytes=64K: the 4 KiB pages back on the CPU"
psnap p
mc tune min_bytes=64K
mixed 16 8192
expect_eq "  size.cpu_bytes" "$(pdelta p cpu_bytes)" 8192

echo "== replace never"
mc replace never
expect_eq policy "$(cat $MD/policy)" never
[ -e $PINS/tunables ] && fail "never has no tunables, yet $PINS/tunables is pinned"
mixed 0 $((8192 + 16))
expect_eq "  never.cpu" "$(pc cpu)" $((8192 + 16))

echo "== replace always"
mc replace always
mixed $((8192 + 16)) 0
expect_eq "  always.dma" "$(pc dma)" $((8192 + 16))

echo "== replace reason: move_pages (MR_SYSCALL) offloaded, mbind not once tuned off"
mc replace reason --set mbind=off
snap s
out=$("$BIN/migrate_verify" --size 8 --rounds 1 --via move_pages anon) || fail "move_pages lost data"
expect_eq "  move_pages: policy_dma" "$(delta s policy_dma)" 4096
snap s
out=$("$BIN/migrate_verify" --size 8 --rounds 1 --via mbind anon) || fail "mbind lost data"
expect_eq "  mbind: policy_cpu" "$(delta s policy_cpu)" 4096
mc tune syscall=0 mbind=1
snap s
out=$("$BIN/migrate_verify" --size 8 --rounds 1 --via move_pages anon) || fail "move_pages lost data"
expect_eq "  move_pages, syscall=0: policy_cpu" "$(delta s policy_cpu)" 4096
snap s
out=$("$BIN/migrate_verify" --size 8 --rounds 1 --via mbind anon) || fail "mbind lost data"
expect_eq "  mbind, mbind=1: policy_dma" "$(delta s policy_dma)" 4096

echo "== replace adaptive: batches of 64 KiB, offloaded from min_batch_bytes=64K, not 128K"
bb=$(cat $MD/batch_bytes)
echo 65536 > $MD/batch_bytes || fail "batch_bytes 65536"
mc replace adaptive --set min_batch_bytes=128K
snap s
out=$("$BIN/migrate_verify" --size 8 --rounds 1 anon) || fail "migration lost data"
expect_eq "  128K: policy_cpu" "$(delta s policy_cpu)" 4096
expect_eq "  adaptive.cpu_small_batch" "$(pc cpu_small_batch)" 4096
mc tune min_batch_bytes=64K
snap s
out=$("$BIN/migrate_verify" --size 8 --rounds 1 anon) || fail "migration lost data"
expect_eq "  64K: policy_dma" "$(delta s policy_dma)" 4096
expect_eq "  adaptive.dma" "$(pc dma)" 4096
echo auto > $MD/batch_bytes
[ "$(cat $MD/batch_bytes)" = "$bb" ] || echo "$bb" > $MD/batch_bytes

echo "== stats --interval while migrating"
"$BIN/migrate_verify" --size 16 --rounds 8 anon thp > /tmp/mv.out 2>&1 &
loop=$!
mc stats --interval 1 --count 3 | tee /tmp/stats.out
mc stats --json --interval 0.5 --count 2 | tee /tmp/stats.json
wait $loop || { cat /tmp/mv.out; fail "the migration loop lost data"; }
expect_eq "stats lines" "$(wc -l < /tmp/stats.out)" 4
head -n 1 /tmp/stats.out | grep -q "folios/s .*dma_GB/s .*cpu_GB/s .*fallback/s .*adaptive.dma/s" ||
	fail "stats: header"
awk 'NR > 1 && $1 > 0 { n++ } END { exit !n }' /tmp/stats.out || fail "stats: no folios/s while migrating"
$PY -c "
import json, sys
for l in open('/tmp/stats.json'):
    d = json.loads(l)
    assert d['policy'] == 'adaptive' and 'folios_per_s' in d and 'dma' in d['policy_counters_per_s']
" || fail "stats --json"
mc stats | grep -q "^adaptive.dma " || fail "stats: the policy's counters"

echo "== detach"
mc detach
expect_eq policy "$(cat $MD/policy)" none
[ -e $PINS ] && fail "$PINS still there"
snap s
"$BIN/migrate_verify" --size 8 --rounds 1 anon > /dev/null || fail "migration lost data"
expect_eq "no policy: policy_dma + policy_cpu" $(( $(delta s policy_dma) + $(delta s policy_cpu) )) 0

echo "== a third-party object: example_thp.bpf.o"
mc attach "$BPFOBJ/example_thp.bpf.o"
expect_eq policy "$(cat $MD/policy)" example_thp
mixed 16 8192
mc status | grep -q "^tunables: *none" || fail "status: example_thp has no tunables"
mc detach
expect_eq policy "$(cat $MD/policy)" none
unload_migrator
