# Policies the verifier must refuse, from a table: `bpftool struct_ops
# register` fails, the verifier's log gives the reason, nothing is attached.
#   object (tests/progs/)  why it must be refused
#   reject_write           writes to a folio it is given
#   reject_sleepable       sleepable: can_migrate_dma() runs in the middle
#                          of a batch
#   reject_migrator        a struct_ops of type struct migrator, the drivers'
#                          interface: not a BPF type, the copy stays with
#                          the kernel
#   reject_empty_name      a policy named "" (sysfs would show an empty line)
#   reject_kfunc           calls a kfunc that is not for migration policies
#                          (a networking one)
#   reject_signature       reads a fourth argument can_migrate_dma() does
#                          not have
. "$TOP/tests/lib.sh"
need_bpf_policy
while IFS='|' read -r obj msg; do
	refused "$obj" "$msg" < /dev/null
done <<'TABLE'
reject_write|only read is supported
reject_sleepable|attach to unsupported member can_migrate_dma of struct migrate_dma_policy_ops
reject_migrator|struct bpf_struct_ops_migrator is not found in kernel BTF
reject_empty_name|Invalid argument
reject_kfunc|calling kernel function bpf_dynptr_from_skb is not allowed
reject_signature|doesn't have 4-th argument
TABLE
