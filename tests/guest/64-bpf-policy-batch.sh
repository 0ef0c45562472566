# A policy's decide_batch() is asked once per batch, not once per folio:
# `always` (decide_batch() only) offloads every folio with as many BPF
# runs as batch copies (kernel.bpf_stats_enabled's run_cnt). A policy
# whose decide_batch() asks for a per-folio decision but has no
# can_migrate_dma() leaves it to the migrator's own can_migrate_dma(),
# and a value that is not a verdict is counted once per batch as invalid
# and copies that batch with the CPU.
. "$TOP/tests/lib.sh"
need_bpf_policy
quiet_mm
rm -f /sys/fs/bpf/always /sys/fs/bpf/policy_batch

# run_cnt PROG: how often the struct_ops program PROG ran since stats began;
# the kernel keeps 15 characters of a name, bpftool shows the whole one from
# BTF; no run_cnt before a run
run_cnt() {
	local n
	n=$("$BPFTOOL" prog show | sed -n "s/^[0-9]*: struct_ops  *name ${1:0:15}[^ ]* .*run_cnt \([0-9]*\).*/\1/p")
	echo "${n:-0}"
}

echo "== always: one decision per batch"
load_migrator min_order=0
"$BPFTOOL" struct_ops register "$BPFOBJ/always.bpf.o" /sys/fs/bpf ||
	fail "bpftool struct_ops register always"
expect_eq "policy" "$(cat $MD/policy)" always
echo 1 > /proc/sys/kernel/bpf_stats_enabled
trap 'echo 0 > /proc/sys/kernel/bpf_stats_enabled' EXIT
runs0=$(run_cnt always_decide_batch)
snap s
migrate --size 8 --rounds 1 anon thp
runs=$(( $(run_cnt always_decide_batch) - runs0 ))
echo 0 > /proc/sys/kernel/bpf_stats_enabled
if [ "$runs" -le 0 ]; then
	"$BPFTOOL" prog show | grep -A1 struct_ops
	fail "no run of always_decide_batch in bpftool prog show"
fi
expect_eq "decide_batch() runs" "$runs" "$(delta s batches)"
[ "$runs" -lt "$folios" ] || fail "$runs decide_batch() runs for $folios folios: not one per batch"
expect_eq "offloaded_folios" "$(delta s offloaded_folios)" "$folios"
expect_eq "policy_dma" "$(delta s policy_dma)" "$folios"
expect_eq "test_migrator folios" "$(tm folios)" "$folios"
rm /sys/fs/bpf/always
unload_migrator

echo "== per folio without can_migrate_dma(): the migrator decides (THPs only)"
load_migrator min_order=9
"$BPFTOOL" struct_ops register "$BPFOBJ/policy_batch.bpf.o" /sys/fs/bpf ||
	fail "bpftool struct_ops register policy_batch"
expect_eq "policy" "$(cat $MD/policy)" policy_batch
snap s
migrate --size 8 --rounds 1 anon thp
# 8 MiB of 4 KiB pages and 4 THPs, each moved there and back.
expect_eq "offloaded_folios (THPs)" "$(delta s offloaded_folios)" 8
expect_eq "test_migrator folios" "$(tm folios)" 8
expect_eq "declined (4 KiB pages)" "$(delta s declined)" 4096
expect_eq "policy_dma" "$(delta s policy_dma)" 0
expect_eq "policy_cpu" "$(delta s policy_cpu)" 0
expect_eq "policy_invalid" "$(delta s policy_invalid)" 0

echo "== mbind: 7 is no verdict, the batch goes to the CPU"
snap s
migrate --via mbind --size 8 --rounds 1 anon thp
b=$(delta s batches)
[ "$b" -gt 0 ] || fail "mbind made no batch copy"
expect_eq "policy_invalid (one per batch)" "$(delta s policy_invalid)" "$b"
expect_eq "offloaded_folios" "$(delta s offloaded_folios)" 0
expect_eq "cpu_folios" "$(delta s cpu_folios)" "$(delta s folios)"
expect_eq "policy_cpu" "$(delta s policy_cpu)" "$(delta s folios)"
expect_eq "test_migrator folios" "$(tm folios)" 8
rm /sys/fs/bpf/policy_batch
expect_eq "policy after unpin" "$(cat $MD/policy)" none
unload_migrator
