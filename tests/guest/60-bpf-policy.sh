# The example policy (bpf/example_thp.bpf.c), attached with plain
# `bpftool struct_ops register`, sends exactly the THPs of a mixed
# 4 KiB/THP migration to the migrator and leaves the 4 KiB pages to the
# CPU; a second attach gets EBUSY; without a migrator the policy is not
# asked; removing the pin detaches it. A policy answering 2 (neither 1 nor
# 0) has each such verdict counted as invalid and the CPU copy.
. "$TOP/tests/lib.sh"
need_bpf_policy
quiet_mm
rm -f /sys/fs/bpf/example_thp
expect_eq "policy before" "$(cat $MD/policy)" none
load_migrator
"$BPFTOOL" struct_ops register "$BPFOBJ/example_thp.bpf.o" /sys/fs/bpf ||
	fail "bpftool struct_ops register example_thp"
expect_eq "policy" "$(cat $MD/policy)" example_thp

snap s
out=$("$BIN/migrate_verify" --size 16 --rounds 1 anon thp) || { echo "$out"; fail "migration lost data"; }
echo "$out"
# 16 MiB of 4 KiB pages and 8 THPs, each moved there and back.
expect_eq "policy_dma (THPs)" "$(delta s policy_dma)" 16
expect_eq "policy_cpu (4 KiB pages)" "$(delta s policy_cpu)" 8192
expect_eq "offloaded_folios" "$(delta s offloaded_folios)" 16
expect_eq "offloaded_bytes" "$(delta s offloaded_bytes)" $((32 << 20))
expect_eq "declined" "$(delta s declined)" 8192
expect_eq "test_migrator folios" "$(tm folios)" 16

mkdir -p /sys/fs/bpf/second
if msg=$("$BPFTOOL" struct_ops register "$BPFOBJ/example_thp.bpf.o" /sys/fs/bpf/second 2>&1); then
	fail "a second policy attached"
fi
rmdir /sys/fs/bpf/second
echo "$msg" | tail -n 2
case "$msg" in *"busy"*|*EBUSY*) echo "second attach: EBUSY" ;; *) fail "second attach: expected EBUSY" ;; esac
expect_eq "policy still" "$(cat $MD/policy)" example_thp

unload_migrator
snap s
"$BIN/migrate_verify" --size 8 --rounds 1 anon thp > /dev/null || fail "migration lost data"
expect_eq "policy_dma (no migrator)" "$(delta s policy_dma)" 0
expect_eq "policy_cpu (no migrator)" "$(delta s policy_cpu)" 0
expect_eq "batched folios (no migrator)" "$(delta s folios)" 0

rm /sys/fs/bpf/example_thp
expect_eq "policy after unpin" "$(cat $MD/policy)" none

echo "== a policy that answers 2"
load_migrator min_order=0
"$BPFTOOL" struct_ops register "$BPFOBJ/policy_invalid.bpf.o" /sys/fs/bpf ||
	fail "bpftool struct_ops register policy_invalid"
expect_eq "policy" "$(cat $MD/policy)" policy_invalid
snap s
migrate --size 8 --rounds 1 anon thp
expect_eq "policy_invalid" "$(delta s policy_invalid)" "$folios"
expect_eq "policy_dma" "$(delta s policy_dma)" 0
expect_eq "policy_cpu" "$(delta s policy_cpu)" "$folios"
expect_eq "offloaded_folios" "$(delta s offloaded_folios)" 0
expect_eq "test_migrator folios" "$(tm folios)" 0
rm /sys/fs/bpf/policy_invalid
unload_migrator
