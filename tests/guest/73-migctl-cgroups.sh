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
memcg mc_a mc_b
load_migrator

mc attach workload --set offload=0
mc tune --cgroup $cg/mc_a offload=1 min_order=0
mc tune --cgroup mc_b offload=on min_order=0
mc status

# run_in CGROUP OUTFILE: migration workloads in CGROUP, one after the
# other, until $stop exists; every one checks each page's node and byte
stop=/tmp/mc.stop
workloads() {
	while [ ! -e $stop ]; do
		"$BIN/migrate_verify" --size 8 --rounds 2 anon thp || return 1
	done
}
run_in() {
	in_cgroup "$1" workloads > "$2" 2>&1
}
# wait_for WHAT CONDITION: poll CONDITION (a shell command) for up to 120 s
wait_for() {
	local _
	for _ in $(seq 600); do
		eval "$2" && return 0
		sleep 0.2
	done
	fail "$1 did not happen in 120 s"
}
rm -f $stop
trap 'touch $stop' EXIT
psnap p
snap s
run_in mc_a /tmp/mc_a.out & a=$!
run_in mc_b /tmp/mc_b.out & b=$!
# Both run with offload on for a while, then B's rule turns it off, and both
# run on until each has moved a few more workloads' worth under the new rule.
wait_for "20000 folios offloaded by rule" '[ "$(pdelta p dma_rule)" -gt 20000 ]'
expect_eq "cpu_rule before the change" "$(pdelta p cpu_rule)" 0
mc tune --cgroup $cg/mc_b offload=0
echo "offload off for mc_b after $(pdelta p dma_rule) folios offloaded"
psnap q
wait_for "mc_b's folios on the CPU and mc_a's offloaded after the change" \
	'[ "$(pdelta q cpu_rule)" -gt 8208 ] && [ "$(pdelta q dma_rule)" -gt 8208 ]'
touch $stop
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
in_cgroup mc_b "$BIN/migrate_verify" --size 8 --rounds 1 anon thp > /tmp/mc_b.out 2>&1 ||
	{ cat /tmp/mc_b.out; fail "workload B lost data"; }
expect_eq "mc_b: dma_default (THPs)" "$(pdelta p dma_default)" 8
expect_eq "mc_b: cpu_default (4 KiB pages)" "$(pdelta p cpu_default)" 4096
expect_eq "mc_b: rules" $(( $(pdelta p dma_rule) + $(pdelta p cpu_rule) )) 0
mc detach
rmdir $cg/mc_a $cg/mc_b
unload_migrator
