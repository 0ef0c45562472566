# Every bad input to migctl: one line on stderr ("migctl: ..."), a non-zero
# exit, and the running state unchanged (attached policy, pins, link,
# tunables, per-cgroup tunables), with nothing attached and with a policy
# attached and tuned.
. "$TOP/tests/lib.sh"
. "$TOP/tests/migctl-lib.sh"
# Argument and state checks of migctl, ~4 minutes on the debug kernel: its
# checks add nothing that the default kernel's run does not show.
debug_kernel && skip "migctl's bad-input checks run on the default kernel only"
need_migctl
load_migrator
cg=/sys/fs/cgroup
memcg mc_bad

bad_inputs() {	# those that must fail whatever is attached
	refused_mc "no verb" "no verb given" "$MIGCTL"
	refused_mc "unknown verb" "unknown verb 'atach'" "$MIGCTL" atach size
	refused_mc "unknown option" "unknown option '--force'" "$MIGCTL" detach --force
	refused_mc "unknown policy" "unknown policy 'sizes'" "$MIGCTL" attach sizes
	refused_mc "unknown policy (replace)" "unknown policy 'sizes'" "$MIGCTL" replace sizes
	refused_mc "unknown key" "unknown tunable 'max_order' (tunables: min_order, min_bytes)" \
		"$MIGCTL" attach size --set max_order=3
	refused_mc "key of no tunables" "the policy has no tunables" "$MIGCTL" attach always --set a=1
	refused_mc "malformed value" "min_order: malformed value 'nine'" "$MIGCTL" attach size --set min_order=nine
	refused_mc "negative value" "min_order: malformed value '-1'" "$MIGCTL" attach size --set min_order=-1
	refused_mc "out-of-range value" "min_order: '11' out of range (0..10)" "$MIGCTL" attach size --set min_order=11
	refused_mc "out-of-range bytes" "min_batch_bytes: '2G' out of range" "$MIGCTL" attach adaptive --set min_batch_bytes=2G
	refused_mc "malformed bool" "offload: malformed value 'maybe'" "$MIGCTL" attach workload --set offload=maybe
	refused_mc "not KEY=VALUE" "'min_order' is not KEY=VALUE" "$MIGCTL" attach size --set min_order
	refused_mc "bad interval" "--interval '0' out of range" "$MIGCTL" stats --interval 0
	refused_mc "no such file" "no such file" "$MIGCTL" attach /tmp/none.bpf.o
	refused_mc "not a BPF object" "not a BPF object file" "$MIGCTL" attach /etc/hostname
	refused_mc "a BPF object that is not a policy" "not a migrator policy" \
		"$MIGCTL" attach "$BPFOBJ/migrate_trace.bpf.o"
	refused_mc "not root" "must be run as root" \
		setpriv --reuid=65534 --regid=65534 --clear-groups "$MIGCTL" status
	refused_mc "not root (attach)" "must be run as root" \
		setpriv --reuid=65534 --regid=65534 --clear-groups "$MIGCTL" attach size

	# An unpatched kernel, a kernel without BTF: their sysfs files hidden.
	hide=/sys/kernel/mm refused_mc "kernel without the patch" \
		"kernel without the migrate_dma patch series" "$MIGCTL" attach size
	hide=/sys/kernel/mm refused_mc "kernel without the patch (status)" \
		"kernel without the migrate_dma patch series" "$MIGCTL" status
	hide=$MD refused_mc "kernel without the BPF policy patch" \
		"kernel without BPF migration policies" "$MIGCTL" detach
	hide=/sys/kernel/btf refused_mc "kernel without BTF" "kernel without BTF" "$MIGCTL" attach size
}

echo "== nothing attached"
bad_inputs
refused_mc "a policy the verifier refuses" "loading the policy failed" \
	"$MIGCTL" attach "$BPFOBJ/reject_write.bpf.o"
# A refused policy says why in its one line, in the verifier's or libbpf's
# words (those 63-bpf-refused expects), not as "Permission denied" (which
# reads as a privilege problem) or "Unknown error 524".
while IFS='|' read -r obj msg; do
	refused_mc "attach $obj" "$msg" "$MIGCTL" attach "$BPFOBJ/$obj.bpf.o"
	if grep -q -e "Permission denied" -e "Unknown error" /tmp/mc.err; then
		fail "$obj: $(cat /tmp/mc.err)"
	fi
done <<'EOF'
reject_write|the verifier refused program 'write_can_migrate_dma': only read is supported
reject_sleepable|attach to unsupported member can_migrate_dma of struct migrate_dma_policy_ops
reject_kfunc|calling kernel function bpf_dynptr_from_skb is not allowed
reject_signature|the verifier refused program 'signature_can_migrate_dma': invalid bpf_context access off=24 size=8
EOF
refused_mc "detach with nothing attached" "no policy is attached" "$MIGCTL" detach
refused_mc "tune with nothing attached" "no policy is attached" "$MIGCTL" tune min_order=3
refused_mc "replace with nothing attached" "no policy is attached" "$MIGCTL" replace size
expect_eq policy "$(cat $MD/policy)" none

echo "== bpffs not mounted: migctl mounts it and says so"
umount /sys/fs/bpf || fail "cannot unmount bpffs"
"$MIGCTL" attach size 2> /tmp/mc.err || { cat /tmp/mc.err; fail "attach without bpffs"; }
grep -q "mounted bpffs on /sys/fs/bpf" /tmp/mc.err || fail "migctl did not say it mounted bpffs"
cat /tmp/mc.err
[ "$(stat -f -c %T /sys/fs/bpf)" = bpf_fs ] || fail "bpffs not mounted"
expect_eq policy "$(cat $MD/policy)" size
mc detach

echo "== a policy attached and tuned"
mc attach size --set min_order=4
mc tune --cgroup $cg/mc_bad min_bytes=1M
mc status
bad_inputs
refused_mc "attach while attached" "a policy is already attached (size)" "$MIGCTL" attach never
refused_mc "attach the same while attached" "a policy is already attached (size)" "$MIGCTL" attach size
refused_mc "tune: unknown key" "unknown tunable 'order'" "$MIGCTL" tune order=3
refused_mc "tune: out of range" "'99' out of range (0..10)" "$MIGCTL" tune min_bytes=4K min_order=99
refused_mc "tune: malformed" "malformed value '1.5M'" "$MIGCTL" tune --cgroup $cg/mc_bad min_bytes=1.5M
refused_mc "tune: cgroup that does not exist" "cgroup '$cg/nope' does not exist" \
	"$MIGCTL" tune --cgroup $cg/nope min_order=3
refused_mc "tune: relative cgroup that does not exist" "cgroup 'nope' does not exist" \
	"$MIGCTL" tune --cgroup nope min_order=3
refused_mc "tune: not a cgroup" "is not a cgroup v2 directory" "$MIGCTL" tune --cgroup /tmp min_order=3
mkdir -p $cg/mc_bad/child
refused_mc "tune: cgroup without the memory controller" "has no memory controller" \
	"$MIGCTL" tune --cgroup $cg/mc_bad/child min_order=3
rmdir $cg/mc_bad/child
refused_mc "tune --clear of a cgroup without values" "has no tunables of its own" \
	"$MIGCTL" tune --cgroup $cg --clear
refused_mc "replace with a bad value" "'11' out of range" "$MIGCTL" replace workload --set min_order=11
refused_mc "replace with a non-policy" "not a migrator policy" "$MIGCTL" replace "$BPFOBJ/migrate_trace.bpf.o"
refused_mc "replace with a refused policy" "loading the policy failed" "$MIGCTL" replace "$BPFOBJ/reject_write.bpf.o"
expect_eq "tunables kept" "$(status_field "d['tunables']")" "{'min_order': 4, 'min_bytes': 0}"
expect_eq "cgroup tunables kept" "$(status_field "d['cgroups'][0]['tunables']")" "{'min_order': 4, 'min_bytes': 1048576}"
mc replace always
refused_mc "tune a policy without tunables" "policy 'always' has no tunables" "$MIGCTL" tune min_order=3
mc detach

echo "== attached by something else than migctl"
"$BPFTOOL" struct_ops register "$BPFOBJ/example_thp.bpf.o" /sys/fs/bpf > /dev/null || fail "bpftool register"
refused_mc "attach while another tool's policy is attached" "already attached (example_thp)" "$MIGCTL" attach size
refused_mc "detach of another tool's policy" "not attached by migctl" "$MIGCTL" detach
refused_mc "tune of another tool's policy" "not attached by migctl" "$MIGCTL" tune min_order=1
rm /sys/fs/bpf/example_thp
expect_eq policy "$(cat $MD/policy)" none
rmdir $cg/mc_bad
unload_migrator
