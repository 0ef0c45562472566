// SPDX-License-Identifier: GPL-2.0
/*
 * Test policy with decide_batch() only: the batches of mbind(2) get 7, not
 * a verdict (the kernel must count it once per batch in
 * pgmigrate_dma_policy_invalid and copy the batch with the CPU); every
 * other batch is left to a per-folio decision, which, without a
 * can_migrate_dma() in the policy, the migrator's own makes.
 */
#include "migrator.bpf.h"

SEC("struct_ops/decide_batch")
int BPF_PROG(batch_decide_batch, const struct migrate_dma_batch *batch)
{
	if (batch->reason == MR_MEMPOLICY_MBIND)
		return 7;
	return MIGRATE_DMA_BATCH_PER_FOLIO;
}

MIGRATOR_BATCH_POLICY(policy_batch, batch_decide_batch, NULL);

char LICENSE[] SEC("license") = "GPL";
