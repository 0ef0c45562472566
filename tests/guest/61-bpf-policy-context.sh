# Decisions on the migration reason and on the memory cgroup: a policy that
# offloads only MR_SYSCALL (move_pages) and not MR_MEMPOLICY_MBIND (mbind);
# a policy that offloads only the folios of one of two cgroups while both
# cgroups migrate at once.
. "$TOP/tests/lib.sh"
need_bpf_policy
quiet_mm
rm -f /sys/fs/bpf/test_policy
load_migrator

"$BIN/policy_ctl" attach reason || fail "attach reason policy"
expect_eq policy "$(cat $MD/policy)" test_reason
snap s
out=$("$BIN/migrate_verify" --size 8 --rounds 1 --via move_pages anon thp) || fail "move_pages lost data"
folios=$(echo "$out" | sed -n 's/^moved folios=\([0-9]*\) .*/\1/p')
expect_eq "move_pages (MR_SYSCALL): policy_dma" "$(delta s policy_dma)" "$folios"
expect_eq "move_pages (MR_SYSCALL): policy_cpu" "$(delta s policy_cpu)" 0
snap s
out=$("$BIN/migrate_verify" --size 8 --rounds 1 --via mbind anon thp) || fail "mbind lost data"
folios=$(echo "$out" | sed -n 's/^moved folios=\([0-9]*\) .*/\1/p')
expect_eq "mbind (MR_MEMPOLICY_MBIND): policy_cpu" "$(delta s policy_cpu)" "$folios"
expect_eq "mbind (MR_MEMPOLICY_MBIND): policy_dma" "$(delta s policy_dma)" 0
rm /sys/fs/bpf/test_policy

cg=/sys/fs/cgroup
memcg wl_a wl_b
"$BIN/policy_ctl" attach cgroup $cg/wl_a || fail "attach cgroup policy"
expect_eq policy "$(cat $MD/policy)" test_cgroup
snap s
run_in() {	# run_in CGROUP OUTFILE: a migration workload in CGROUP
	in_cgroup "$1" "$BIN/migrate_verify" --size 8 --rounds 2 anon thp > "$2" 2>&1
}
run_in wl_a /tmp/wl_a.out & a=$!
run_in wl_b /tmp/wl_b.out & b=$!
wait $a || { cat /tmp/wl_a.out; fail "workload A lost data"; }
wait $b || { cat /tmp/wl_b.out; fail "workload B lost data"; }
fa=$(sed -n 's/^moved folios=\([0-9]*\) .*/\1/p' /tmp/wl_a.out)
fb=$(sed -n 's/^moved folios=\([0-9]*\) .*/\1/p' /tmp/wl_b.out)
echo "workload A (offloaded cgroup) moved $fa folios, workload B moved $fb"
expect_eq "policy_dma (cgroup A's folios)" "$(delta s policy_dma)" "$fa"
expect_eq "policy_cpu (cgroup B's folios)" "$(delta s policy_cpu)" "$fb"
rm /sys/fs/bpf/test_policy
rmdir $cg/wl_a $cg/wl_b
unload_migrator
