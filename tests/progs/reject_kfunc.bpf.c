// SPDX-License-Identifier: GPL-2.0
/* Must be refused at load: calls a kfunc that is not for migration policies. */
#include "migrator.bpf.h"

extern int bpf_dynptr_from_skb(struct __sk_buff *skb, __u64 flags,
			       struct bpf_dynptr *ptr__uninit) __ksym;

SEC("struct_ops/can_migrate_dma")
bool BPF_PROG(kfunc_can_migrate_dma, struct folio *dst, struct folio *src,
	      const struct migrate_dma_batch *batch)
{
	struct bpf_dynptr ptr;

	return bpf_dynptr_from_skb(NULL, 0, &ptr) == 0;
}

MIGRATOR_POLICY(reject_kfunc, kfunc_can_migrate_dma);

char LICENSE[] SEC("license") = "GPL";
