# The policy author's guide's second example (bpf/example_demote.bpf.c), a
# third-party FILE.bpf.o written against migrator.bpf.h and migctl.bpf.h
# alone: `migctl list` shows its summary and its tagged tunable (a size
# with a range and help), it attaches, takes K/M/G values and per-cgroup
# values, refuses a value out of its range, and its counters report every
# folio of a migration (move_pages is no demotion: all on the CPU).
. "$TOP/tests/lib.sh"
loader_only "the example policy"
. "$TOP/tests/migctl-lib.sh"
need_migctl
obj=$BPFOBJ/example_demote.bpf.o
"$MIGCTL" list "$obj" > /tmp/ex.list || fail "list $obj"
cat /tmp/ex.list
grep -q ": offload demotions in batches of at least min_batch_bytes$" /tmp/ex.list ||
	fail "list: no summary"
grep -q "min_batch_bytes=262144 *0..1073741824 bytes *smallest demotion batch" /tmp/ex.list ||
	fail "list: the tunable's default, range and help"
load_migrator
mc attach "$obj" --set min_batch_bytes=1M
expect_eq "policy" "$(cat $MD/policy)" example_demote
expect_eq "min_batch_bytes" "$(status_field "d['tunables']['min_batch_bytes']")" 1048576
refused_mc "out of its range" "min_batch_bytes: '2G' out of range (0..1073741824 bytes" \
	"$MIGCTL" tune min_batch_bytes=2G
mc tune min_batch_bytes=512K
expect_eq "min_batch_bytes after tune" "$(status_field "d['tunables']['min_batch_bytes']")" 524288
mkdir -p /sys/fs/cgroup/ex_a
mc tune --cgroup ex_a min_batch_bytes=0
expect_eq "ex_a's value" "$(status_field "d['cgroups'][0]['tunables']['min_batch_bytes']")" 0
psnap p
snap s
migrate anon thp
expect_eq "example_demote.cpu: every folio (no demotion)" "$(pdelta p cpu)" "$(delta s folios)"
expect_eq "example_demote.dma" "$(pdelta p dma)" 0
mc detach
unload_migrator
rmdir /sys/fs/cgroup/ex_a
