# Policy replacement (bpf_link__update_map) and attach/detach while
# migrations run: no oops, no lost byte, the policy file always names the
# policy in force.
. "$TOP/tests/lib.sh"
covered_by_stress "policy link updates, attach and detach under migration"
need_bpf_policy
load_migrator
"$BIN/migrate_verify" --size 8 --rounds 30 anon thp shmem > /tmp/loop.out 2>&1 &
loop=$!
"$BIN/policy_ctl" swap 4 || fail "replacing the policy under migration"
"$BIN/policy_ctl" cycle 4 || fail "attaching/detaching the policy under migration"
wait $loop
rc=$?
cat /tmp/loop.out
[ $rc = 0 ] || fail "the migration loop lost or misplaced data (exit $rc)"
expect_eq "policy at the end" "$(cat $MD/policy)" none
[ "$(mdstat policy_dma)" -gt 0 ] && [ "$(mdstat policy_cpu)" -gt 0 ] ||
	fail "the policies were never consulted"
unload_migrator
