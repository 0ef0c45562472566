# `migctl replace` under a migration loop: every folio of every batch copy
# is decided by a policy (policy_dma + policy_cpu = folios: no window
# without one), the bytes are intact, and `migctl detach` under the loop
# leaves the kernel consulting no policy.
. "$TOP/tests/lib.sh"
covered_by_stress "policy replace and detach under migration"
. "$TOP/tests/migctl-lib.sh"
need_migctl
load_migrator
mc attach always
snap s
"$BIN/migrate_verify" --size 8 --rounds 20 anon thp > /tmp/loop.out 2>&1 &
loop=$!
n=0
while kill -0 $loop 2>/dev/null && [ $n -lt 40 ]; do
	if [ $((n % 2)) = 0 ]; then p=never; else p=always; fi
	mc replace $p
	[ "$(cat $MD/policy)" = $p ] || fail "policy is '$(cat $MD/policy)' after replace $p"
	n=$((n + 1))
done
wait $loop || { cat /tmp/loop.out; fail "the migration loop lost data"; }
echo "$n replacements during the loop"
[ $n -ge 4 ] || fail "only $n replacements during the loop"
folios=$(delta s folios)
decided=$(( $(delta s policy_dma) + $(delta s policy_cpu) ))
echo "folios batch-copied: $folios, decided by a policy: $decided (dma $(delta s policy_dma), cpu $(delta s policy_cpu))"
expect_eq "folios decided by a policy" "$decided" "$folios"
[ "$(delta s policy_dma)" -gt 0 ] && [ "$(delta s policy_cpu)" -gt 0 ] || fail "both policies should have decided folios"

"$BIN/migrate_verify" --size 8 --rounds 10 anon thp > /tmp/loop.out 2>&1 &
loop=$!
sleep 1
mc detach
expect_eq "policy after detach" "$(cat $MD/policy)" none
snap s
wait $loop || { cat /tmp/loop.out; fail "the migration loop lost data"; }
expect_eq "policy_dma + policy_cpu after detach" $(( $(delta s policy_dma) + $(delta s policy_cpu) )) 0
unload_migrator
