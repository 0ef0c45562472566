# Per-workload tuning: the workload policy, two cgroups running migration
# workloads at once, and `migctl tune --cgroup` turning offload off for
# one of them mid-run. Every folio of the two cgroups is decided by its
# cgroup's rule (the policy's counters add up to what the workloads
# moved), the rule change takes effect while they run, --clear returns a
# cgroup to the default, and every byte is intact.
. "$TOP/tests/lib.sh"
. "$TOP/tests/migctl-lib.sh"
need_migctl
cg=/sys/fs/cgroup
grep -qw memory $cg/cgroup.subtree_control || echo +memory > $cg/cgroup.subtree_control ||
	fail "cannot enable the memory controller"
mkdir -p $cg/mc_a $cg/mc_b
load_migrator

mc attach workload --set offload=0
mc tune --cgroup $cg/mc_a offload=1 min_order=0
mc tune --cgroup mc_b offload=on min_order=0
mc status

run_in() {	# run_in CGROUP ROUNDS OUTFILE
	sh -c "echo \$\$ > $cg/$1/cgroup.procs && exec '$BIN/migrate_verify' --size 8 --rounds $2 anon thp" > "$3" 2>&1
}
psnap p
snap s
run_in mc_a 20 /tmp/mc_a.out & a=$!
run_in mc_b 20 /tmp/mc_b.out & b=$!
# Let both run with offload on for an eighth of their work or so (2 x 20
# rounds of 4104 folios), then turn it off for B.
for i in $(seq 300); do
	[ "$(pdelta p dma_rule)" -gt 20000 ] && break
	sleep 0.2
done
kill -0 $a && kill -0 $b || fail "the workloads ended before the rule change (make them longer)"
expect_eq "cpu_rule before the change" "$(pdelta p cpu_rule)" 0
mc tune --cgroup $cg/mc_b offload=0
echo "offload off for mc_b after $(pdelta p dma_rule) folios offloaded"
psnap q
sleep 1
kill -0 $a && kill -0 $b || fail "a workload ended right after the rule change (make them longer)"
wait $a || { cat /tmp/mc_a.out; fail "workload A lost data"; }
wait $b || { cat /tmp/mc_b.out; fail "workload B lost data"; }
fa=$(moved /tmp/mc_a.out)
fb=$(moved /tmp/mc_b.out)
echo "mc_a moved $fa folios, mc_b moved $fb"
echo "policy counters: dma_rule +$(pdelta p dma_rule), cpu_rule +$(pdelta p cpu_rule), after the change: dma_rule +$(pdelta q dma_rule), cpu_rule +$(pdelta q cpu_rule)"
expect_eq "every folio decided by its cgroup's rule" $(( $(pdelta p dma_rule) + $(pdelta p cpu_rule) )) $((fa + fb))
expect_eq "policy_dma + policy_cpu" $(( $(delta s policy_dma) + $(delta s policy_cpu) )) $((fa + fb))
expect_eq "no folio under the default" $(( $(pdelta p dma_default) + $(pdelta p cpu_default) )) 0
[ "$(pdelta q cpu_rule)" -gt 0 ] || fail "mc_b's folios still offloaded after offload=0"
[ "$(pdelta p cpu_rule)" -lt "$fb" ] || fail "mc_b's folios were on the CPU before the change"
[ "$(pdelta q dma_rule)" -gt 0 ] || fail "mc_a's folios no longer offloaded after mc_b's change"
[ "$(pdelta p dma_rule)" -ge "$fa" ] || fail "fewer folios offloaded than mc_a moved"

echo "== --clear: mc_b back to the default (offload=1 min_order=9: THPs only)"
mc tune offload=1 min_order=9
mc tune --cgroup mc_b --clear
expect_eq "rules left" "$(status_field "len(d['cgroups'])")" 1
psnap p
run_in mc_b 1 /tmp/mc_b.out || { cat /tmp/mc_b.out; fail "workload B lost data"; }
expect_eq "mc_b: dma_default (THPs)" "$(pdelta p dma_default)" 8
expect_eq "mc_b: cpu_default (4 KiB pages)" "$(pdelta p cpu_default)" 4096
expect_eq "mc_b: rules" $(( $(pdelta p dma_rule) + $(pdelta p cpu_rule) )) 0
mc detach
rmdir $cg/mc_a $cg/mc_b
unload_migrator
