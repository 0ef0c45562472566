// SPDX-License-Identifier: GPL-2.0
/*
 * A policy that answers 2, neither 1 (the migrator) nor 0 (the CPU): the
 * kernel must count every such verdict in pgmigrate_dma_policy_invalid and
 * leave the folio to the CPU.
 */
#include "migrator.bpf.h"

SEC("struct_ops/can_migrate_dma")
int BPF_PROG(invalid_can_migrate_dma, struct folio *dst, struct folio *src,
	     const struct migrate_dma_batch *batch)
{
	return 2;
}

MIGRATOR_POLICY(policy_invalid, invalid_can_migrate_dma);

char LICENSE[] SEC("license") = "GPL";
