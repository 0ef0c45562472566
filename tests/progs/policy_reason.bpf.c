// SPDX-License-Identifier: GPL-2.0
/* Test policy: offload the folios migrated for one reason only (MR_SYSCALL). */
#include "migrator.bpf.h"

const volatile int offload_reason = MR_SYSCALL;

SEC("struct_ops/can_migrate_dma")
bool BPF_PROG(reason_can_migrate_dma, struct folio *dst, struct folio *src,
	      const struct migrate_dma_batch *batch)
{
	return batch->reason == offload_reason;
}

MIGRATOR_POLICY(test_reason, reason_can_migrate_dma);

char LICENSE[] SEC("license") = "GPL";
