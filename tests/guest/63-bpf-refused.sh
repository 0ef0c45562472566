# Policies the verifier must refuse, from a table: `bpftool struct_ops
# register` fails, the verifier's log gives the reason, nothing is attached.
#   object (tests/progs/)  why it must be refused
#   reject_write           writes to a folio it is given
#   reject_sleepable       sleepable: can_migrate_dma() runs in the middle
#                          of a batch
#   reject_migrate_dma     a program for migrate_dma(): the copy stays with
#                          the kernel
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
reject_sleepable|attach to unsupported member can_migrate_dma of struct migrator
reject_migrate_dma|attach to unsupported member migrate_dma of struct migrator
reject_kfunc|calling kernel function bpf_dynptr_from_skb is not allowed
reject_signature|doesn't have 4-th argument
TABLE
