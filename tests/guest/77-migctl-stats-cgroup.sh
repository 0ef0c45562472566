# `migctl stats --by-cgroup [PATH]`: each memory cgroup's offloaded and
# CPU-copied folios and bytes, from memory.stat. A parent counts its
# children (sc_a = sc_b + sc_c: cgroup v2 keeps processes out of a cgroup
# that enables a controller below it), the numbers are the
# folios migrate_verify moved there (every byte checked), and they add up
# with the kernel's totals: the root's memory.stat plus what is outside
# the cgroups is /proc/vmstat's.
. "$TOP/tests/lib.sh"
loader_only "migctl stats --by-cgroup"
. "$TOP/tests/migctl-lib.sh"
need_migctl
cg=/sys/fs/cgroup
rmdir $cg/sc_a/sc_b $cg/sc_a/sc_c $cg/sc_a 2>/dev/null
memcg sc_a/sc_b sc_a/sc_c
load_migrator
mc attach size --set min_order=0	# every folio offloaded
d=/tmp/sc
mkdir -p $d

# One migration round in CGROUP: 8 MiB of 4 KiB pages and 4 THPs, there
# and back (4096 pages and 8 THPs: 4104 folios, 33554432 bytes).
in_cgroup sc_a/sc_b "$BIN/migrate_verify" --size 8 --rounds 1 anon thp > $d/b.out 2>&1 ||
	{ cat $d/b.out; fail "migrate_verify in sc_b"; }
in_cgroup sc_a/sc_c "$BIN/migrate_verify" --size 8 --rounds 1 anon thp > $d/c.out 2>&1 ||
	{ cat $d/c.out; fail "migrate_verify in sc_c"; }
b=$(moved $d/b.out) c=$(moved $d/c.out)
echo "moved: sc_b $b folios, sc_c $c folios"
if [ "$b" = 0 ] || [ "$c" = 0 ]; then fail "nothing moved"; fi

# field PATH ITEM: from `stats --by-cgroup --json`
field() {
	"$MIGCTL" stats --by-cgroup --json | $PY -c "
import json, sys
d = json.load(sys.stdin)
if '$1' in ('total', 'outside_cgroups'):
    print(d['$1']['$2'])
else:
    print([c['$2'] for c in d['cgroups'] if c['path'] == '$cg$1'][0])"
}
# memory.stat folds the counts in lazily: wait for them, up to 10 s
for _ in $(seq 50); do
	[ "$(field /sc_a/sc_b offloaded_folios)" = "$b" ] &&
		[ "$(field /sc_a/sc_c offloaded_folios)" = "$c" ] &&
		[ "$(field /sc_a offloaded_folios)" = $((b + c)) ] && break
	sleep 0.2
done
"$MIGCTL" stats --by-cgroup | tee $d/plain
expect_eq "sc_b offloaded_folios" "$(field /sc_a/sc_b offloaded_folios)" "$b"
expect_eq "sc_b cpu_folios" "$(field /sc_a/sc_b cpu_folios)" 0
expect_eq "sc_c offloaded_folios" "$(field /sc_a/sc_c offloaded_folios)" "$c"
expect_eq "sc_a offloaded_folios (sc_b's and sc_c's)" "$(field /sc_a offloaded_folios)" $((b + c))
bytes_b=$(field /sc_a/sc_b offloaded_bytes)
[ "$bytes_b" -ge $((b * 4096)) ] || fail "sc_b offloaded_bytes $bytes_b < $b pages"
grep -q "^  sc_a " $d/plain || fail "plain output: no sc_a row"
grep -q "^    sc_a/sc_b " $d/plain || fail "plain output: no sc_a/sc_b row below sc_a"
grep -q "^    sc_a/sc_c " $d/plain || fail "plain output: no sc_a/sc_c row below sc_a"

# The root and what is outside the cgroups add up to the kernel's totals.
"$MIGCTL" stats --by-cgroup --json > $d/all.json
$PY - $d/all.json <<'EOF' || fail "the counts do not add up"
import json, sys
d = json.load(open(sys.argv[1]))
root = [c for c in d['cgroups'] if c['path'] == '/sys/fs/cgroup'][0]
for k in ('offloaded_folios', 'offloaded_bytes', 'cpu_folios', 'cpu_bytes'):
    vm = int(open('/proc/vmstat').read().split('pgmigrate_dma_' + k + ' ')[1].split()[0])
    assert d['total'][k] == vm, (k, d['total'][k], vm)
    assert root[k] + d['outside_cgroups'][k] == d['total'][k], k
    kids = sum(c[k] for c in d['cgroups'] if c['path'].count('/') == 4)
    assert kids <= root[k], (k, kids, root[k])
    print(k, 'root', root[k], 'outside', d['outside_cgroups'][k], 'total', d['total'][k])
EOF

# Under PATH: that subtree only.
"$MIGCTL" stats --by-cgroup sc_a > $d/sub
expect_eq "rows under sc_a" "$(grep -c 'sc_a' $d/sub)" 3
refused_mc "no such cgroup" "cgroup 'nosuch' does not exist" "$MIGCTL" stats --by-cgroup nosuch
refused_mc "not a cgroup" "'/proc' is not a cgroup v2 directory" "$MIGCTL" stats --by-cgroup /proc
mc detach
unload_migrator
rmdir $cg/sc_a/sc_b $cg/sc_a/sc_c $cg/sc_a
