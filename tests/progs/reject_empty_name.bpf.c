// SPDX-License-Identifier: GPL-2.0
/*
 * Must be refused at attach: an empty name, which
 * /sys/kernel/mm/migrate_dma/policy would show as an empty line.
 */
#include "migrator.bpf.h"

SEC("struct_ops/can_migrate_dma")
bool BPF_PROG(empty_can_migrate_dma, struct folio *dst, struct folio *src,
	      const struct migrate_dma_batch *batch)
{
	return true;
}

SEC(".struct_ops.link")
struct migrate_dma_policy_ops reject_empty_name = {
	.can_migrate_dma = (void *)empty_can_migrate_dma,
	.name = "",
};

char LICENSE[] SEC("license") = "GPL";
